import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from './history.ts';
import type { ReadMarkersApi, RoomReadState } from './read-markers-api.ts';
import { dividerBefore, isAfter, ReadState, SETTLE_MS, type RoomInView } from './read-state.svelte.ts';
import { WRITE_INTERVAL_MS } from './read-marker-writer.ts';
import { message, timeline } from './test-messages.ts';

const others = (messages: ChatMessage[]) => messages.map((m) => ({ ...m, user: 'bob' }));
const at = (m: ChatMessage) => ({ message: m.id, readAt: m.created });
const NOTHING = { message: '', readAt: '' };

describe('isAfter and dividerBefore', () => {
  const list = others(timeline(5));

  it('orders by created, then id; everything is after nothing read', () => {
    expect(isAfter(list[2]!, at(list[1]!))).toBe(true);
    expect(isAfter(list[1]!, at(list[1]!))).toBe(false);
    expect(isAfter(list[0]!, at(list[1]!))).toBe(false);
    const twin = { ...list[1]!, id: 'm0001z' };
    expect(isAfter(twin, at(list[1]!))).toBe(true);
    expect(isAfter(list[0]!, NOTHING)).toBe(true);
  });

  it('goes above the first message after the marker, none when all is read', () => {
    expect(dividerBefore(list, at(list[2]!), 'me', false)).toBe('m0003');
    expect(dividerBefore(list, at(list[4]!), 'me', false)).toBeNull();
  });

  it("skips the person's own messages and those not sent yet", () => {
    const mixed = [...list.slice(0, 3), { ...list[3]!, user: 'me' }, list[4]!];
    expect(dividerBefore(mixed, at(list[2]!), 'me', false)).toBe('m0004');
    const pending = message('local', 99, { user: 'bob', delivery: 'pending' });
    expect(dividerBefore([...list, pending], at(list[4]!), 'me', false)).toBeNull();
  });

  it('is not drawn at the top of a list whose first unread message may be in a page not loaded', () => {
    expect(dividerBefore(list, NOTHING, 'me', true)).toBeNull();
    expect(dividerBefore(list, NOTHING, 'me', false)).toBe('m0000');
  });
});

/** A read state over a fake server and one open room whose view a test changes. */
function setup(options: { rooms?: Record<string, RoomReadState>; fail?: boolean; newest?: ChatMessage } = {}) {
  const writes: Array<[string, string]> = [];
  let fail = options.fail ?? false;
  const api: ReadMarkersApi = {
    unread: vi.fn(async () => options.rooms ?? {}),
    newestIn: vi.fn(async () => options.newest),
    write: vi.fn(async (room: string, id: string) => {
      if (fail) throw new Error('offline');
      writes.push([room, id]);
    }),
  };
  const counts: Record<string, number> = {};
  let view: RoomInView | null = { roomId: 'r1', loaded: true, hasNewer: false, messages: others(timeline(3)) };
  let clock = 0;
  const reads = new ReadState({
    api,
    selfId: 'me',
    countedAll: (rooms) => {
      for (const key of Object.keys(counts)) delete counts[key];
      for (const [id, state] of Object.entries(rooms)) counts[id] = state.unread;
    },
    counted: (roomId, state) => (counts[roomId] = state.unread),
    cleared: (roomId) => (counts[roomId] = 0),
    inView: () => view,
    before: async (m) => {
      const list = view?.messages ?? [];
      const index = list.findIndex((x) => x.id === m.id);
      return index > 0 ? list[index - 1] : undefined;
    },
    now: () => clock,
  });
  return {
    reads,
    api,
    writes,
    counts,
    setView: (next: RoomInView | null) => (view = next),
    view: () => view!,
    tick: async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
    failing: (value: boolean) => (fail = value),
  };
}

const state = (unread: number, m?: ChatMessage): RoomReadState => ({
  unread,
  mentions: 0,
  ...(m ? at(m) : NOTHING),
});

describe('ReadState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("takes the server's counts at load, and marks the open room read at its newest message", async () => {
    const first = others(timeline(3))[0]!;
    const t = setup({ rooms: { r1: state(2, first), r2: state(7) } });
    t.reads.opened('r1');
    t.reads.consider(); // before the markers are known, nothing is written: it could be backwards
    expect(t.writes).toEqual([]);
    await t.reads.load();
    expect(t.counts).toEqual({ r1: 0, r2: 7 });
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'm0002']]));
    // The divider stands where the room was read up to when it was opened.
    expect(t.reads.dividerIn('r1', t.view().messages, false)).toBe('m0001');
  });

  it('reads nothing while the room is not in view, or its list is scrolled back from the present', async () => {
    const t = setup({ rooms: { r1: state(3) } });
    t.reads.opened('r1');
    t.setView(null); // unfocused, or the conversation not on screen
    await t.reads.load();
    expect(t.writes).toEqual([]);
    expect(t.counts.r1).toBe(3);

    t.setView({ ...t.view(), roomId: 'r1', loaded: true, hasNewer: false, messages: others(timeline(3)) });
    t.reads.listAt('r1', false);
    t.reads.consider();
    expect(t.writes).toEqual([]);
    expect(t.reads.seesNewest('r1')).toBe(false);

    t.reads.listAt('r1', true); // back at the bottom: read
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'm0002']]));
    expect(t.counts.r1).toBe(0);
  });

  it('holding a window scrolled back (newer messages not loaded) reads nothing', async () => {
    const t = setup({ rooms: { r1: state(3) } });
    t.reads.opened('r1');
    t.setView({ roomId: 'r1', loaded: true, hasNewer: true, messages: others(timeline(3)) });
    await t.reads.load();
    expect(t.writes).toEqual([]);
  });

  it('writes at most once a second per room, the newest marker when the second is up', async () => {
    const t = setup({ rooms: { r1: state(0) } });
    t.reads.opened('r1');
    await t.reads.load();
    await vi.waitFor(() => expect(t.writes).toHaveLength(1));
    const list = others(timeline(6));
    for (const n of [3, 4, 5]) {
      t.setView({ ...t.view(), messages: list.slice(0, n + 1) });
      t.reads.arrived(list[n]!, true);
    }
    expect(t.writes).toHaveLength(1);
    await t.tick(WRITE_INTERVAL_MS);
    expect(t.writes).toEqual([
      ['r1', 'm0002'],
      ['r1', 'm0005'],
    ]);
  });

  it('never moves the marker backwards by reading, and an unsent message is never a marker', async () => {
    const newer = message('m9999', 500, { user: 'bob' });
    const t = setup({ rooms: { r1: state(0, newer) } });
    t.reads.opened('r1');
    const pending = message('local', 900, { user: 'me', delivery: 'pending' });
    t.setView({ ...t.view(), messages: [...others(timeline(3)), pending] });
    await t.reads.load();
    t.reads.consider();
    expect(t.writes).toEqual([]);
  });

  it('marks read up to a reply kept to its thread that arrived after the newest message of the list', async () => {
    const t = setup({ rooms: { r1: state(1) } });
    t.reads.opened('r1');
    t.setView(null);
    await t.reads.load();
    t.reads.arrived(message('reply', 100, { user: 'bob', thread: 'm0000' }), false);
    t.setView({ roomId: 'r1', loaded: true, hasNewer: false, messages: others(timeline(3)) });
    t.reads.consider();
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'reply']]));
  });

  it("reads up to the room's newest reply when the server still counts one the list does not show", async () => {
    const list = others(timeline(3));
    const reply = message('reply', 100, { user: 'bob', thread: 'm0000' });
    // Read up to the newest message of the list, but a reply kept to its thread came after it.
    const t = setup({ rooms: { r1: state(1, list[2]) }, newest: reply });
    t.reads.opened('r1');
    await t.reads.load();
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'reply']]));
    expect(t.api.newestIn).toHaveBeenCalledTimes(1);
    // Its event says nothing is unread now: nothing more is asked.
    t.reads.event({ room: 'r1', ...state(0, reply) });
    expect(t.api.newestIn).toHaveBeenCalledTimes(1);
  });

  it('messages arriving while the counts load: the counts are asked for again once no message comes for a while', async () => {
    let answer!: (rooms: Record<string, RoomReadState>) => void;
    const t = setup({ rooms: { r2: state(3) } });
    t.setView(null);
    vi.mocked(t.api.unread).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const loading = t.reads.load();
    t.reads.arrived(message('live1', 50, { room: 'r2', user: 'bob' }), true);
    answer({ r2: state(2) }); // counted before live1 was
    await loading;
    expect(t.counts.r2).toBe(2);
    await t.tick(SETTLE_MS / 2);
    t.reads.arrived(message('live2', 51, { room: 'r2', user: 'bob' }), true); // still busy: wait on
    await t.tick(SETTLE_MS / 2);
    expect(t.api.unread).toHaveBeenCalledTimes(1);
    await t.tick(SETTLE_MS);
    expect(t.api.unread).toHaveBeenCalledTimes(2);
    expect(t.counts.r2).toBe(3);
    await t.tick(SETTLE_MS * 3); // quiet since: asked no more
    expect(t.api.unread).toHaveBeenCalledTimes(2);
  });

  it('a failed write is tried again on the next occasion, silently', async () => {
    const t = setup({ rooms: { r1: state(2) }, fail: true });
    t.reads.opened('r1');
    await t.reads.load();
    await vi.waitFor(() => expect(t.api.write).toHaveBeenCalledTimes(1));
    expect(t.writes).toEqual([]);
    t.failing(false);
    await t.tick(WRITE_INTERVAL_MS);
    expect(t.writes).toEqual([]); // no timer of its own: it waits for an occasion
    t.reads.consider();
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'm0002']]));
  });

  it('Mark as unread moves the marker back at once and holds the room unread until it is opened again', async () => {
    const t = setup({ rooms: { r1: state(0) } });
    t.reads.opened('r1');
    await t.reads.load();
    await vi.waitFor(() => expect(t.writes).toHaveLength(1));
    const list = t.view().messages;

    await t.reads.markUnread(list[1]!);
    await vi.waitFor(() => expect(t.writes.at(-1)).toEqual(['r1', 'm0000']));
    expect(t.reads.dividerIn('r1', list, false)).toBe('m0001');
    // The server's event for it brings the count back.
    t.reads.event({ room: 'r1', ...state(2, list[0]) });
    expect(t.counts.r1).toBe(2);

    // Still looking, a message arrives: the room stays unread, and the message counts.
    const more = others(timeline(4));
    t.setView({ ...t.view(), messages: more });
    t.reads.arrived(more[3]!, true);
    t.reads.listAt('r1', true);
    t.reads.consider();
    await t.tick(WRITE_INTERVAL_MS);
    expect(t.writes).toHaveLength(2);
    expect(t.reads.seesNewest('r1')).toBe(false);

    // Away and back: read again.
    t.reads.opened('r2');
    t.reads.opened('r1');
    t.reads.consider();
    await vi.waitFor(() => expect(t.writes.at(-1)).toEqual(['r1', 'm0003']));
  });

  it('Mark as unread on the first message of a room marks nothing read', async () => {
    const t = setup({ rooms: { r1: state(0) } });
    t.reads.opened('r1');
    await t.reads.load();
    await vi.waitFor(() => expect(t.writes).toHaveLength(1));
    await t.reads.markUnread(t.view().messages[0]!);
    await vi.waitFor(() => expect(t.writes.at(-1)).toEqual(['r1', '']));
  });

  it("a marker moved on another device sets the room's counts here; an echo overtaken by a newer write is ignored", async () => {
    const t = setup({ rooms: { r2: state(5) } });
    t.setView(null);
    await t.reads.load();
    t.reads.event({ room: 'r2', ...state(0, message('x', 10)) });
    expect(t.counts.r2).toBe(0);

    // r1 read here: two writes a second apart; the first one's echo comes while the second waits.
    const u = setup({ rooms: { r1: state(0) } });
    u.reads.opened('r1');
    await u.reads.load();
    await vi.waitFor(() => expect(u.writes).toHaveLength(1));
    const list = others(timeline(5));
    u.setView({ ...u.view(), messages: list });
    u.reads.arrived(list[4]!, true);
    u.reads.event({ room: 'r1', ...state(2, list[2]) }); // the echo of m0002, now out of date
    expect(u.counts.r1).toBe(0);
    await u.tick(WRITE_INTERVAL_MS);
    u.reads.event({ room: 'r1', ...state(0, list[4]) });
    expect(u.counts.r1).toBe(0);
  });

  it('the divider stays while the room stays open, and goes when it is opened again with nothing unread', async () => {
    const list = others(timeline(3));
    const t = setup({ rooms: { r1: state(1, list[1]) } });
    await t.reads.load();
    t.reads.opened('r1');
    expect(t.reads.dividerIn('r1', list, false)).toBe('m0002');
    await vi.waitFor(() => expect(t.writes).toHaveLength(0));
    t.reads.consider();
    await vi.waitFor(() => expect(t.writes).toEqual([['r1', 'm0002']]));
    expect(t.reads.dividerIn('r1', list, false)).toBe('m0002');
    t.reads.opened('r2');
    t.reads.opened('r1');
    expect(t.reads.dividerIn('r1', list, false)).toBeNull();
    expect(t.reads.dividerIn('r2', list, false)).toBeNull();
  });
});
