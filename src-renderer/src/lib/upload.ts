// Sending a message with files: a multipart create through XMLHttpRequest, because the SDK's fetch
// reports no upload progress (fetch has none for request bodies) and a 25 MB screenshot recording on a
// slow line needs a bar that moves. Its answers become the SDK's ClientResponseError, so describeError,
// retryAfterMs and the outbox treat an upload like every other request.
import { ClientResponseError } from 'pocketbase';

/** The part of XMLHttpRequest an upload uses; tests pass a double, the app the browser's. */
export interface UploadXhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: {
    onprogress: ((event: ProgressEvent) => void) | null;
    onload: ((event: ProgressEvent) => void) | null;
  };
  onload: ((event: ProgressEvent) => void) | null;
  onerror: ((event: ProgressEvent) => void) | null;
  onabort: ((event: ProgressEvent) => void) | null;
  ontimeout: ((event: ProgressEvent) => void) | null;
}

export interface UploadRequest {
  url: string;
  /** The session token, sent as PocketBase expects it; '' for none. */
  token: string;
  form: FormData;
  /** How much of the body has gone, 0 to 1 (never 1 before the server has answered). */
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
  /**
   * How long the body may make no progress before the upload is given up as unreachable (the outbox
   * tries again later): a line that stalls without breaking would otherwise hold every message behind.
   */
  stallMs?: number;
}

const STALL_MS = 60_000;

/** POSTs the form; resolves to the server's JSON answer, rejects with a ClientResponseError. */
export function upload<T>(request: UploadRequest, makeXhr: () => UploadXhr = () => new XMLHttpRequest()): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = makeXhr();
    const fail = (status: number, response: unknown, cause?: unknown, isAbort = false) =>
      reject(
        new ClientResponseError({
          url: request.url,
          status,
          response: typeof response === 'object' && response !== null ? response : {},
          isAbort,
          originalError: cause,
        }),
      );
    if (request.signal?.aborted) {
      fail(0, {}, request.signal.reason, true);
      return;
    }
    const abort = () => xhr.abort();
    request.signal?.addEventListener('abort', abort, { once: true });
    let stalled = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = true;
        xhr.abort();
      }, request.stallMs ?? STALL_MS);
    };
    const done = () => {
      clearTimeout(watchdog);
      request.signal?.removeEventListener('abort', abort);
    };

    xhr.open('POST', request.url);
    if (request.token) xhr.setRequestHeader('Authorization', request.token);
    xhr.upload.onprogress = (event) => {
      // The last bytes sent are not the message stored: the bar stops short of full until the answer.
      if (event.lengthComputable && event.total > 0) request.onProgress?.(Math.min(event.loaded / event.total, 0.99));
      watch();
    };
    // Every byte is out: the server is storing it, which takes as long as it takes.
    xhr.upload.onload = () => clearTimeout(watchdog);
    xhr.onload = () => {
      done();
      let body: unknown = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        // A proxy's HTML error page: the status still says what happened.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        request.onProgress?.(1);
        resolve(body as T);
      } else fail(xhr.status, body);
    };
    xhr.onerror = () => {
      done();
      fail(0, {}, new Error('The upload did not reach the server.'));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      done();
      if (stalled) fail(0, {}, new Error('The upload stalled: nothing went through for a minute.'));
      else fail(0, {}, new Error('The upload was cancelled.'), true);
    };
    xhr.send(request.form);
    watch();
  });
}
