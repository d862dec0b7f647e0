import { describe, expect, it } from 'vitest';
import { catchUp, RECOVERY_PAGE, SyncPoint } from './catch-up.ts';
import type { ChatMessage } from './history.ts';
import { RoomHistory } from './room-history.svelte.ts';
import { MemoryMessages, message, timeline } from './test-messages.ts';
import { Threads } from './threads.svelte.ts';

describe('SyncPoint', () => {
  it('has nothing to catch up on before anything was seen', () => {
    const sync = new SyncPoint();
    expect(sync.behind).toBe(false);
    expect(sync.take()).toBeNull();
  });

  it('catches up from a minute before the newest change seen, by the server clock only', () => {
    const sync = new SyncPoint();
    sync.seen([
      message('a', 0, { updated: '2026-01-01 10:00:00.000Z' }),
      message('b', 0, { updated: '2026-01-01 10:05:00.000Z' }),
    ]);
    // Unsent messages carry the client's clock: never a reason to skip ahead.
    sync.seen([message('c', 0, { updated: '2030-01-01 00:00:00.000Z', delivery: 'pending' })]);
    expect(sync.behind).toBe(true);
    sync.lost();
    expect(sync.take()).toBe('2026-01-01 10:04:00.000Z');
  });

  it('takes a snapshot loaded while disconnected as the start of the gap, and keeps a gap whose catch-up failed', () => {
    const sync = new SyncPoint();
    sync.serverDate(new Date('2026-01-01T10:00:00Z'), false);
    sync.serverDate(new Date('2026-01-01T11:00:00Z'), false); // the first snapshot is what counts
    const since = sync.take();
    expect(since).toBe('2026-01-01 09:59:58.000Z');
    sync.failed(since);
    expect(sync.take()).toBe(since);
  });

  it('uses the server clock heard while connected when it is later than anything seen', () => {
    const sync = new SyncPoint();
    sync.seen([message('a', 0, { updated: '2026-01-01 10:00:00.000Z' })]);
    sync.serverDate(new Date('2026-01-01T12:00:00Z'), true);
    sync.lost();
    expect(sync.take()).toBe('2026-01-01 11:59:00.000Z');
  });
});

describe('catchUp', () => {
  function setup(room: ChatMessage[]) {
    const server = new MemoryMessages(room);
    const arrived: string[] = [];
    const seen: string[] = [];
    const histories = new Map<string, RoomHistory>();
    const order: string[] = [];
    const deps = {
      changes: server,
      reloadRooms: async () => void order.push('rooms'),
      history: (roomId: string) => histories.get(roomId),
      histories: () => histories.values(),
      arrived: (m: ChatMessage) => arrived.push(m.id),
      seen: (list: readonly ChatMessage[]) => seen.push(...list.map((m) => m.id)),
    };
    const history = new RoomHistory('r1', { pages: server, seen: () => undefined, problem: (_e, a) => a });
    histories.set('r1', history);
    return { server, arrived, seen, history, deps, order };
  }

  it('brings in what was written and edited while away, counts only the new as unread, and drops the deleted', async () => {
    const room = timeline(10);
    const { server, arrived, history, deps, order } = setup(room);
    await history.loadOlder();
    const since = '2026-01-01 12:00:00.000Z';
    server.messages = server.messages.filter((m) => m.id !== 'm0002');
    server.messages.push(
      message('new', 50_000, { created: '2026-01-01 12:00:05.000Z', updated: '2026-01-01 12:00:05.000Z' }),
    );
    const edited = {
      ...server.messages.find((m) => m.id === 'm0005')!,
      text: 'edited',
      updated: '2026-01-01 12:00:06.000Z',
    };
    server.messages = server.messages.map((m) => (m.id === 'm0005' ? edited : m));
    await catchUp(since, deps);
    expect(order[0]).toBe('rooms');
    expect(arrived).toEqual(['new']);
    const ids = history.messages.map((m) => m.id);
    expect(ids).toContain('new');
    expect(ids).not.toContain('m0002');
    expect(history.messages.find((m) => m.id === 'm0005')?.text).toBe('edited');
  });

  it('does not count as unread what was already on screen when the gap began (the margin brings it back)', async () => {
    const room = timeline(5);
    const { arrived, history, deps } = setup(room);
    await history.loadOlder();
    // The gap reaches back before the page that was loaded: everything in it comes back.
    await catchUp('2000-01-01 00:00:00.000Z', deps);
    expect(history.messages).toHaveLength(5);
    expect(arrived).toEqual([]);
  });

  it('pages through a gap longer than one page', async () => {
    const room = timeline(RECOVERY_PAGE * 2 + 5);
    const { server, seen, deps } = setup(room);
    await catchUp('2000-01-01 00:00:00.000Z', deps);
    expect(new Set(seen).size).toBe(room.length);
    // Three pages; the room was never opened, so there is no newest page of it to reconcile.
    expect(server.requests).toBe(3);
  });

  it('fails as a whole when the server cannot be asked, so the caller keeps the gap', async () => {
    const { server, deps } = setup(timeline(3));
    server.failNext = new Error('offline');
    await expect(catchUp('2000-01-01 00:00:00.000Z', deps)).rejects.toThrow('offline');
  });

  it('puts a reply written while away into its open thread, not the room, and counts it as arrived', async () => {
    const { server, arrived, history, deps } = setup(timeline(3));
    await history.loadOlder();
    const threads = new Threads({ pages: server.threadPages(), seen: () => undefined, problem: (_e, a) => a });
    await threads.open('m0001');
    const at = { created: '2026-01-01 12:00:05.000Z', updated: '2026-01-01 12:00:05.000Z' };
    server.messages.push(message('reply', 50_000, { ...at, thread: 'm0001' }));
    server.messages.push(message('shared', 50_001, { ...at, thread: 'm0001', alsoInRoom: true }));
    await catchUp('2026-01-01 12:00:00.000Z', { ...deps, threads });
    expect(threads.history?.messages.map((m) => m.id)).toEqual(['reply', 'shared']);
    expect(history.messages.map((m) => m.id)).toEqual(['m0000', 'm0001', 'm0002', 'shared']);
    expect(arrived).toEqual(['reply', 'shared']);
  });
});
