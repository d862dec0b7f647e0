import { ClientResponseError } from 'pocketbase';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { upload, type UploadXhr } from './upload.ts';

const progressEvent = {} as ProgressEvent;

/** A stand-in for XMLHttpRequest that records what was sent and is answered by the test. */
class FakeXhr implements UploadXhr {
  opened = '';
  headers: Record<string, string> = {};
  sent: FormData | null = null;
  aborted = false;
  status = 0;
  responseText = '';
  upload: UploadXhr['upload'] = { onprogress: null, onload: null };
  onload: ((event: ProgressEvent) => void) | null = null;
  onerror: ((event: ProgressEvent) => void) | null = null;
  onabort: ((event: ProgressEvent) => void) | null = null;
  ontimeout: ((event: ProgressEvent) => void) | null = null;
  open(method: string, url: string) {
    this.opened = `${method} ${url}`;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.(progressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.(progressEvent);
  }
}

function start(signal?: AbortSignal) {
  const xhr = new FakeXhr();
  const progress: number[] = [];
  const form = new FormData();
  form.append('text', 'hi');
  const result = upload<{ id: string }>(
    {
      url: 'http://s/api/collections/messages/records',
      token: 'tok',
      form,
      onProgress: (f) => progress.push(f),
      signal,
    },
    () => xhr,
  );
  return { xhr, progress, result };
}

describe('upload', () => {
  it('posts the form with the session token and reports progress, reaching 1 only with the answer', async () => {
    const { xhr, progress, result } = start();
    expect(xhr.opened).toBe('POST http://s/api/collections/messages/records');
    expect(xhr.headers.Authorization).toBe('tok');
    expect(xhr.sent?.get('text')).toBe('hi');
    xhr.upload.onprogress?.({ loaded: 50, total: 100, lengthComputable: true } as ProgressEvent);
    xhr.upload.onprogress?.({ loaded: 100, total: 100, lengthComputable: true } as ProgressEvent);
    expect(progress).toEqual([0.5, 0.99]);
    xhr.answer(200, { id: 'abc' });
    await expect(result).resolves.toEqual({ id: 'abc' });
    expect(progress.at(-1)).toBe(1);
  });

  it("rejects with the server's error, fields and all, as the SDK would", async () => {
    const { xhr, result } = start();
    xhr.answer(400, {
      message: 'Failed',
      data: { attachments: { code: 'validation_file_size_limit', message: 'too big' } },
    });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientResponseError);
    expect((error as ClientResponseError).status).toBe(400);
    expect((error as ClientResponseError).response.data.attachments.code).toBe('validation_file_size_limit');
  });

  it('says unreachable (status 0) when the line drops, and aborted when cancelled', async () => {
    const dropped = start();
    dropped.xhr.onerror?.(progressEvent);
    const error = (await dropped.result.catch((e: unknown) => e)) as ClientResponseError;
    expect(error.status).toBe(0);
    expect(error.isAbort).toBe(false);

    const controller = new AbortController();
    const cancelled = start(controller.signal);
    controller.abort();
    expect(cancelled.xhr.aborted).toBe(true);
    expect(((await cancelled.result.catch((e: unknown) => e)) as ClientResponseError).isAbort).toBe(true);
  });

  describe('a line that stalls without breaking', () => {
    afterEach(() => vi.useRealTimers());

    it('is given up as unreachable after a minute without progress, not as cancelled', async () => {
      vi.useFakeTimers();
      const { xhr, result } = start();
      vi.advanceTimersByTime(59_000);
      xhr.upload.onprogress?.({ loaded: 10, total: 100, lengthComputable: true } as ProgressEvent);
      vi.advanceTimersByTime(59_000);
      expect(xhr.aborted).toBe(false);
      vi.advanceTimersByTime(2_000);
      expect(xhr.aborted).toBe(true);
      const error = (await result.catch((e: unknown) => e)) as ClientResponseError;
      expect(error.status).toBe(0);
      expect(error.isAbort).toBe(false);
    });

    it('waits as long as the server takes once every byte is out', async () => {
      vi.useFakeTimers();
      const { xhr, result } = start();
      xhr.upload.onload?.(progressEvent);
      vi.advanceTimersByTime(10 * 60_000);
      expect(xhr.aborted).toBe(false);
      xhr.answer(200, { id: 'late' });
      await expect(result).resolves.toEqual({ id: 'late' });
    });
  });
});
