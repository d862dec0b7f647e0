import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError } from './errors.ts';
import type { ChatMessage } from './history.ts';
import type { MessageWrites, NewMessage, UploadOptions } from './messages-api.ts';
import { RoomHistories } from './room-history.svelte.ts';
import { Sender } from './sender.svelte.ts';
import { MemoryMessages, message, notFound } from './test-messages.ts';

const self = { id: 'me', username: 'me', name: 'Me' } as UsersRecord;
const refusal = (status: number, data: Record<string, unknown> = {}) =>
  new ClientResponseError({ status, response: { status, message: 'refused', data } });
const unreachable = () => new ClientResponseError({ status: 0, response: {} });

/** The server's messages in memory; `answer` decides what the next create does. */
class MemoryWrites implements MessageWrites {
  stored: ChatMessage[] = [];
  /** The files each stored message came with, by message id: their names and contents. */
  files = new Map<string, Array<[string, string]>>();
  answer: 'store' | 'lose-answer' | ClientResponseError = 'store';
  /** While set, an upload reports half its progress and then waits for this to resolve. */
  hold: Promise<void> | null = null;
  /** Stores the message, then waits like a slow answer (cancelled as its last bytes went out). */
  storeThenHold = false;
  async createWithFiles(input: NewMessage, files: readonly File[], options: UploadOptions = {}): Promise<ChatMessage> {
    options.onProgress?.(0.5);
    if (this.storeThenHold) {
      await this.create(input);
      this.hold = new Promise(() => undefined);
    }
    if (this.hold) {
      const signal = options.signal;
      await Promise.race([
        this.hold,
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(new ClientResponseError({ status: 0, isAbort: true }))),
        ),
      ]);
    }
    const saved = this.storeThenHold ? await this.one(input.id) : await this.create(input);
    this.files.set(input.id, await Promise.all(files.map(async (f) => [f.name, await f.text()] as [string, string])));
    options.onProgress?.(1);
    return saved;
  }
  async create(input: NewMessage): Promise<ChatMessage> {
    const answer = this.answer;
    if (answer instanceof ClientResponseError) throw answer;
    if (this.stored.some((m) => m.id === input.id))
      throw refusal(400, { id: { code: 'validation_not_unique', message: 'taken' } });
    const saved = message(input.id, this.stored.length, { room: input.room, text: input.text, user: self.id });
    this.stored.push(saved);
    if (answer === 'lose-answer') {
      this.answer = 'store';
      throw unreachable();
    }
    return saved;
  }
  async one(id: string) {
    const found = this.stored.find((m) => m.id === id);
    if (!found) throw notFound();
    return found;
  }
  async update(id: string, text: string) {
    if (text.length > 2000)
      throw refusal(400, { text: { code: 'validation_max_text_constraint', message: 'x', params: { max: 2000 } } });
    const saved = { ...(await this.one(id)), text, updated: '2027-01-01 00:00:00.000Z' };
    this.stored = this.stored.map((m) => (m.id === id ? saved : m));
    return saved;
  }
  async remove(id: string) {
    await this.one(id);
    this.stored = this.stored.filter((m) => m.id !== id);
  }
}

function setup(options: { sessionValid?: boolean; saved?: OutboxEntry[]; bytes?: Map<string, Uint8Array> } = {}) {
  const writes = new MemoryWrites();
  const kept = new Map<string, OutboxEntry[]>(options.saved ? [['me@server', options.saved]] : []);
  // Kept file bytes, by key; what the outbox store does to them on save is main's and the web bridge's.
  const bytes = options.bytes ?? new Map<string, Uint8Array>();
  const histories = new RoomHistories({ pages: new MemoryMessages([]), seen: () => undefined, problem: (_e, a) => a });
  let ended = 0;
  const sender = new Sender({
    writes,
    store: {
      load: async (scope) => kept.get(scope) ?? [],
      save: async (scope, entries) => void kept.set(scope, entries),
      putFile: async (_scope, key, data) => void bytes.set(key, data),
      getFile: async (_scope, key) => bytes.get(key) ?? null,
    },
    scope: 'me@server',
    self,
    histories,
    seen: () => undefined,
    problem: (error, action) => describeError(error, { action }),
    sessionValid: async () => options.sessionValid ?? true,
    sessionEnded: () => (ended += 1),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { writes, kept, bytes, histories, sender, settle, ended: () => ended };
}

describe('Sender', () => {
  it('shows a message at once and replaces it with the server copy, keeping nothing in the outbox', async () => {
    const { sender, histories, writes, kept, settle } = setup();
    await sender.start();
    await sender.send('r1', '  hello  ');
    await settle();
    expect(writes.stored.map((m) => m.text)).toEqual(['hello']);
    expect(histories.get('r1')?.messages.map((m) => [m.text, m.delivery])).toEqual([['hello', undefined]]);
    expect(kept.get('me@server')).toEqual([]);
    expect(sender.waiting).toBe(0);
  });

  it('sends a message whose answer was lost once, not twice', async () => {
    const { sender, writes, histories, settle } = setup();
    await sender.start();
    writes.answer = 'lose-answer';
    await sender.send('r1', 'once');
    await settle();
    sender.flush();
    await settle();
    expect(writes.stored).toHaveLength(1);
    expect(histories.get('r1')?.messages.map((m) => m.delivery)).toEqual([undefined]);
  });

  it('marks what waits because the server asked to slow down (429) with the moment of the next attempt', async () => {
    const { sender, writes, histories, settle } = setup();
    await sender.start();
    writes.answer = refusal(429);
    const before = Date.now();
    await sender.send('r1', 'one');
    await sender.send('r1', 'two');
    await settle();
    const pending = histories.get('r1')?.messages ?? [];
    expect(pending.map((m) => m.text).sort()).toEqual(['one', 'two']);
    expect(pending.map((m) => m.delivery)).toEqual(['pending', 'pending']);
    // Told on the message tried next; the one behind it follows it.
    const byText = new Map(pending.map((m) => [m.text, m.slowedUntil]));
    expect(byText.get('one')).toBeGreaterThan(before);
    expect(byText.get('two')).toBeUndefined();
    // Offline is another kind of wait: no slow-down shown.
    writes.answer = unreachable();
    sender.flush();
    await settle();
    expect(histories.get('r1')?.messages.map((m) => m.slowedUntil)).toEqual([undefined, undefined]);
    sender.dispose();
  });

  it('waits until the moment a 429 names (data.retryAfter), not its own back-off', async () => {
    const { sender, writes, histories, settle } = setup();
    await sender.start();
    writes.answer = refusal(429, { retryAfter: 7 });
    const before = Date.now();
    await sender.send('r1', 'one');
    await settle();
    const slowedUntil = histories.get('r1')?.messages[0]?.slowedUntil ?? 0;
    expect(slowedUntil).toBeGreaterThanOrEqual(before + 7_000);
    expect(slowedUntil).toBeLessThanOrEqual(Date.now() + 7_000);
    sender.dispose();
  });

  it('keeps a message that cannot reach the server, with the reason, across a restart', async () => {
    const first = setup();
    await first.sender.start();
    first.writes.answer = unreachable();
    await first.sender.send('r1', 'later');
    await first.settle();
    expect(first.sender.waiting).toBe(1);
    expect(first.sender.waitingReason).toMatch(/Can't reach the server/);
    first.sender.dispose();

    const again = setup({ saved: first.kept.get('me@server') });
    await again.sender.start();
    expect(again.histories.get('r1')?.messages.map((m) => [m.text, m.delivery])).toEqual([['later', 'pending']]);
    again.sender.flush(); // as the chat does once connected
    await again.settle();
    expect(again.writes.stored.map((m) => m.text)).toEqual(['later']);
  });

  it("marks a refused message failed with the server's reason, and gives its text back when discarded", async () => {
    const { sender, writes, histories, settle } = setup();
    await sender.start();
    writes.answer = refusal(400, {
      text: { code: 'validation_max_text_constraint', message: 'x', params: { max: 2000 } },
    });
    await sender.send('r1', 'too long');
    await settle();
    const [failed] = histories.get('r1')!.messages;
    expect(failed?.delivery).toBe('failed');
    expect(failed?.failure).toBe('Use at most 2000 characters.');
    expect(await sender.discard(failed!.id)).toEqual({ text: 'too long', files: [] });
    expect(histories.get('r1')?.messages).toEqual([]);
  });

  it('waits for a new sign-in instead of failing when the refusal means the session ended', async () => {
    const { sender, writes, settle, ended, histories } = setup({ sessionValid: false });
    await sender.start();
    writes.answer = refusal(403);
    await sender.send('r1', 'after sign-in');
    await settle();
    expect(ended()).toBe(1);
    expect(sender.waitingReason).toBe('Your session has ended: sign in again to send.');
    expect(histories.get('r1')?.messages[0]?.delivery).toBe('pending');
  });

  it('saves edits and deletes on the server, and names what was refused', async () => {
    const { sender, writes, histories, settle } = setup();
    await sender.start();
    await sender.send('r1', 'first');
    await settle();
    const id = writes.stored[0]!.id;
    expect(await sender.edit(id, 'x'.repeat(2001))).toBe('Use at most 2000 characters.');
    expect(await sender.edit(id, 'fixed')).toBeNull();
    expect(histories.get('r1')?.messages[0]?.text).toBe('fixed');
    expect(await sender.remove(id)).toBeNull();
    expect(histories.get('r1')?.messages).toEqual([]);
    expect(await sender.remove(id)).toMatch(/no longer exists/);
  });
});

describe('Sender with files', () => {
  const file = (name: string, text: string) => new File([text], name, { type: 'text/plain' });

  it('keeps the files before the message enters the outbox, shows them as cards, and uploads them with it', async () => {
    const { sender, writes, kept, bytes, histories, settle } = setup();
    await sender.start();
    writes.hold = new Promise(() => undefined);
    await sender.send('r1', '', [file('a.txt', 'alpha'), file('b.txt', 'beta')]);
    await settle();
    const entry = kept.get('me@server')?.[0];
    expect(entry?.files?.map((f) => [f.name, f.size])).toEqual([
      ['a.txt', 5],
      ['b.txt', 4],
    ]);
    expect(entry?.files?.every((f) => bytes.has(f.key))).toBe(true);
    const [shown] = histories.get('r1')!.messages;
    expect(shown?.localFiles?.map((f) => f.name)).toEqual(['a.txt', 'b.txt']);
    expect(shown?.uploaded).toBe(0.5);

    writes.hold = null;
    sender.cancel(shown!.id);
    await settle();
    expect(histories.get('r1')!.messages[0]?.delivery).toBe('failed');
    expect(histories.get('r1')!.messages[0]?.failure).toBe('Upload cancelled.');
    expect(writes.stored).toEqual([]);

    await sender.retry(shown!.id);
    await settle();
    await settle();
    expect(writes.files.get(shown!.id)).toEqual([
      ['a.txt', 'alpha'],
      ['b.txt', 'beta'],
    ]);
    expect(histories.get('r1')!.messages[0]?.delivery).toBeUndefined();
    expect(kept.get('me@server')).toEqual([]);
  });

  it('sends a message with files written before a restart once, after the answer to its upload was lost', async () => {
    const first = setup();
    await first.sender.start();
    first.writes.answer = unreachable();
    await first.sender.send('r1', 'see attached', [file('log.txt', 'lines')]);
    await first.settle();
    first.sender.dispose();

    const again = setup({ saved: first.kept.get('me@server'), bytes: first.bytes });
    await again.sender.start();
    expect(again.histories.get('r1')?.messages[0]?.localFiles?.map((f) => f.name)).toEqual(['log.txt']);
    again.writes.answer = 'lose-answer';
    again.sender.flush();
    await again.settle();
    again.sender.flush();
    await again.settle();
    await again.settle();
    expect(again.writes.stored.map((m) => m.text)).toEqual(['see attached']);
    expect(again.histories.get('r1')?.messages.map((m) => m.delivery)).toEqual([undefined]);
  });

  it('gives text and files back when a failed message is discarded, and fails one whose files are gone', async () => {
    const { sender, writes, bytes, histories, settle } = setup();
    await sender.start();
    writes.answer = refusal(400, { attachments: { code: 'validation_file_size_limit', message: 'Too large.' } });
    await sender.send('r1', 'big', [file('big.bin', 'xx')]);
    await settle();
    const [failed] = histories.get('r1')!.messages;
    expect(failed?.failure).toBe('Too large.');
    const back = await sender.discard(failed!.id);
    expect(back.text).toBe('big');
    expect(await Promise.all(back.files.map((f) => f.text()))).toEqual(['xx']);

    writes.answer = unreachable();
    await sender.send('r1', 'lost', [file('gone.txt', 'x')]);
    await settle();
    bytes.clear(); // the browser's storage was cleared while it waited
    writes.answer = 'store';
    sender.flush();
    await settle();
    expect(histories.get('r1')!.messages[0]?.failure).toMatch(/no longer kept on this device/);
  });

  it('keeps nothing and says why when a file cannot be kept', async () => {
    const { sender, kept } = setup();
    await sender.start();
    const full = new Sender({
      ...(sender as unknown as { deps: ConstructorParameters<typeof Sender>[0] }).deps,
      store: {
        load: async () => [],
        save: async () => undefined,
        putFile: () => Promise.reject(new Error('disk full')),
        getFile: async () => null,
      },
    });
    await full.start();
    await expect(full.send('r1', 'x', [file('a.txt', 'a')])).rejects.toThrow(
      /Could not keep a.txt for sending: disk full/,
    );
    expect(kept.get('me@server') ?? []).toEqual([]);
  });

  it('counts a message cancelled after the server stored it as sent, never as one to send again', async () => {
    const { sender, writes, kept, histories, settle } = setup();
    await sender.start();
    writes.storeThenHold = true;
    await sender.send('r1', 'just made it', [file('a.txt', 'a')]);
    await settle();
    sender.cancel(histories.get('r1')!.messages[0]!.id);
    await settle();
    await settle();
    expect(writes.stored.map((m) => m.text)).toEqual(['just made it']);
    expect(histories.get('r1')!.messages.map((m) => m.delivery)).toEqual([undefined]);
    expect(kept.get('me@server')).toEqual([]);
  });

  it('stops its uploads when stopped (signed out), and saves nothing over the outbox after', async () => {
    const { sender, writes, kept, settle } = setup();
    await sender.start();
    writes.hold = new Promise(() => undefined);
    await sender.send('r1', 'interrupted', [file('a.txt', 'a')]);
    await settle();
    const before = kept.get('me@server');
    sender.dispose();
    await settle();
    await settle();
    expect(kept.get('me@server')).toBe(before);
    expect(before?.map((e) => [e.text, e.state])).toEqual([['interrupted', 'pending']]);
  });
});
