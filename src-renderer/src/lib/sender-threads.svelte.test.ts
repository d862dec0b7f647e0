import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError } from './errors.ts';
import type { ChatMessage } from './history.ts';
import type { MessageWrites, NewMessage } from './messages-api.ts';
import { RoomHistories } from './room-history.svelte.ts';
import { Sender } from './sender.svelte.ts';
import { MemoryMessages, message, notFound } from './test-messages.ts';

const self = { id: 'me', username: 'me', name: 'Me' } as UsersRecord;

/** The server's messages in memory, replies with their thread; `offline` refuses to answer at all. */
class ThreadWrites implements MessageWrites {
  stored: ChatMessage[] = [];
  offline = false;
  async create(input: NewMessage): Promise<ChatMessage> {
    if (this.offline) throw new ClientResponseError({ status: 0, response: {} });
    const { id, room, text, thread = '', alsoInRoom = false } = input;
    const saved = message(id, this.stored.length, { room, text, thread, alsoInRoom, user: self.id });
    this.stored.push(saved);
    return saved;
  }
  createWithFiles(input: NewMessage): Promise<ChatMessage> {
    return this.create(input);
  }
  async one(id: string): Promise<ChatMessage> {
    const found = this.stored.find((m) => m.id === id);
    if (!found) throw notFound();
    return found;
  }
  async update(id: string, text: string): Promise<ChatMessage> {
    return { ...(await this.one(id)), text };
  }
  async remove(): Promise<void> {}
}

function setup(saved: OutboxEntry[] = []) {
  const writes = new ThreadWrites();
  const kept = new Map<string, OutboxEntry[]>([['me@server', saved]]);
  const deps = { pages: new MemoryMessages([]), seen: () => undefined, problem: (_e: unknown, a: string) => a };
  const [histories, threads] = [new RoomHistories(deps), new RoomHistories(deps)];
  const sender = new Sender({
    writes,
    store: {
      load: async (scope) => kept.get(scope) ?? [],
      save: async (scope, entries) => void kept.set(scope, entries),
      putFile: async () => undefined,
      getFile: async () => null,
    },
    scope: 'me@server',
    self,
    histories,
    threads,
    seen: () => undefined,
    problem: (error, action) => describeError(error, { action }),
    sessionValid: async () => true,
    sessionEnded: () => undefined,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { writes, kept, histories, threads, sender, settle };
}

const shown = (histories: RoomHistories, id: string) =>
  histories.get(id)?.messages.map((m) => [m.text, m.delivery ?? 'sent']) ?? [];

describe('Sender and threads', () => {
  it('sends a reply into its thread only, with its root, through the outbox', async () => {
    const { sender, writes, histories, threads, kept, settle } = setup();
    await sender.start();
    await sender.send('r1', 'a reply', [], { thread: 'root', alsoInRoom: false });
    await settle();
    expect(writes.stored.map((m) => [m.text, m.thread, m.alsoInRoom])).toEqual([['a reply', 'root', false]]);
    expect(shown(threads, 'root')).toEqual([['a reply', 'sent']]);
    expect(shown(histories, 'r1')).toEqual([]);
    expect(kept.get('me@server')).toEqual([]);
  });

  it('shows a reply also sent to the room in both places', async () => {
    const { sender, histories, threads, settle } = setup();
    await sender.start();
    await sender.send('r1', 'for everyone', [], { thread: 'root', alsoInRoom: true });
    await settle();
    expect(shown(threads, 'root')).toEqual([['for everyone', 'sent']]);
    expect(shown(histories, 'r1')).toEqual([['for everyone', 'sent']]);
  });

  it('keeps an unsent reply with its thread while offline, and sends it when back', async () => {
    const { sender, writes, threads, histories, kept, settle } = setup();
    await sender.start();
    writes.offline = true;
    await sender.send('r1', 'later', [], { thread: 'root', alsoInRoom: false });
    await settle();
    expect(shown(threads, 'root')).toEqual([['later', 'pending']]);
    expect(shown(histories, 'r1')).toEqual([]);
    expect(kept.get('me@server')?.map((e) => [e.text, e.thread, e.alsoInRoom])).toEqual([['later', 'root', undefined]]);
    writes.offline = false;
    sender.flush();
    await settle();
    expect(writes.stored.map((m) => [m.text, m.thread])).toEqual([['later', 'root']]);
    expect(shown(threads, 'root')).toEqual([['later', 'sent']]);
  });

  it('shows a reply kept from the last run in its thread, not in the room', async () => {
    const waiting: OutboxEntry = {
      id: 'abcdefghijklmno',
      room: 'r1',
      text: 'from before',
      created: '2026-12-02 01:00:00.000Z',
      state: 'failed',
      failure: 'refused',
      thread: 'root',
      alsoInRoom: false,
    };
    const { sender, threads, histories } = setup([waiting]);
    await sender.start();
    expect(shown(threads, 'root')).toEqual([['from before', 'failed']]);
    expect(shown(histories, 'r1')).toEqual([]);
    await sender.discard(waiting.id);
    expect(shown(threads, 'root')).toEqual([]);
  });
});
