import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, WINDOW_SIZE, type ChatMessage } from './history.ts';
import { RoomHistory } from './room-history.svelte.ts';
import { MemoryMessages, message, notFound, timeline } from './test-messages.ts';

function historyOf(messages: ChatMessage[]) {
  const server = new MemoryMessages(messages);
  const seen: ChatMessage[] = [];
  const history = new RoomHistory('r1', {
    pages: server,
    seen: (list) => seen.push(...list),
    problem: (error, action) => `Could not ${action}: ${error instanceof Error ? error.message : String(error)}`,
  });
  return { server, seen, history };
}

const ids = (history: RoomHistory) => history.messages.map((m) => m.id);

/** True when the held sent messages are one unbroken run of the room's timeline. */
function contiguous(history: RoomHistory, room: ChatMessage[]): boolean {
  const held = history.messages.filter((m) => !m.delivery);
  const start = room.findIndex((m) => m.id === held[0]?.id);
  return held.every((m, i) => room[start + i]?.id === m.id);
}

describe('RoomHistory', () => {
  it('opens at the newest page and pages back to the beginning without a gap or a repeat', async () => {
    const room = timeline(120);
    const { history, seen } = historyOf(room);
    await history.loadOlder();
    expect(history.loaded).toBe(true);
    expect(history.lastChange).toBe('reset');
    expect(ids(history)).toEqual(room.slice(-PAGE_SIZE).map((m) => m.id));
    while (history.hasOlder) await history.loadOlder();
    expect(ids(history)).toEqual(room.map((m) => m.id));
    expect(history.lastChange).toBe('older');
    expect(seen).toHaveLength(120);
  });

  it('holds at most a window when scrolling far back, and brings the newest back going forward', async () => {
    const room = timeline(WINDOW_SIZE + 3 * PAGE_SIZE);
    const { history } = historyOf(room);
    await history.loadOlder();
    while (history.hasOlder) {
      await history.loadOlder();
      expect(history.messages.length).toBeLessThanOrEqual(WINDOW_SIZE);
      expect(contiguous(history, room)).toBe(true);
    }
    expect(history.hasNewer).toBe(true);
    expect(history.messages[0]?.id).toBe(room[0]!.id);
    while (history.hasNewer) {
      await history.loadNewer();
      expect(history.messages.length).toBeLessThanOrEqual(WINDOW_SIZE);
      expect(contiguous(history, room)).toBe(true);
    }
    expect(history.messages.at(-1)?.id).toBe(room.at(-1)!.id);
    expect(history.lastChange).toBe('newer');
  });

  it('shows the room around one message: half a page either side, the message named for the list', async () => {
    const room = timeline(200);
    const { history } = historyOf(room);
    await history.loadOlder();
    const pending = message('local', 999, { delivery: 'pending' });
    history.showLocal(pending);
    expect(await history.loadAround('m0100')).toBe(true);
    expect(history.lastChange).toBe('around');
    expect(history.landed?.id).toBe('m0100');
    const sent = history.messages.filter((m) => !m.delivery).map((m) => m.id);
    expect(sent).toEqual(room.slice(100 - PAGE_SIZE / 2, 101 + PAGE_SIZE / 2).map((m) => m.id));
    expect(history.hasOlder && history.hasNewer).toBe(true);
    // The user's unsent message is not lost by the jump.
    expect(ids(history)).toContain('local');
    // From there, paging either way continues without a gap.
    await history.loadNewer();
    await history.loadOlder();
    expect(contiguous(history, room)).toBe(true);
  });

  it('knows it reached either end when the message is near the start or the present', async () => {
    const { history } = historyOf(timeline(20));
    expect(await history.loadAround('m0003')).toBe(true);
    expect(history.hasOlder).toBe(false);
    expect(history.hasNewer).toBe(false);
    expect(history.messages).toHaveLength(20);
  });

  it('says why it cannot show a message that is gone or belongs to another room', async () => {
    const { history } = historyOf([...timeline(10), message('elsewhere', 50, { room: 'r2' })]);
    expect(await history.loadAround('nope')).toBe(false);
    expect(history.error).toMatch(/Could not show that message/);
    expect(await history.loadAround('elsewhere')).toBe(false);
    expect(history.error).toMatch(/another room/);
    expect(history.loadingOlder).toBe(false);
  });

  it('a jump wins over the first page still on its way, and back to the present over a jump on its way', async () => {
    const room = timeline(200);
    const { history } = historyOf(room);
    const opening = history.loadOlder();
    const jumping = history.loadAround('m0050');
    await Promise.all([opening, jumping]);
    expect(history.landed?.id).toBe('m0050');
    expect(history.lastChange).toBe('around');
    expect(ids(history)).toEqual(room.slice(50 - PAGE_SIZE / 2, 51 + PAGE_SIZE / 2).map((m) => m.id));
    expect(history.loadingOlder).toBe(false);

    const again = history.loadAround('m0020');
    const back = history.jumpToPresent();
    expect(await again).toBe(false);
    await back;
    expect(history.jumpFailure).toBeNull(); // overtaken, not a failure to report
    expect(history.landed).toBeNull();
    expect(ids(history)).toEqual(room.slice(-PAGE_SIZE).map((m) => m.id));
    expect(history.hasNewer).toBe(false);
    expect(history.loadingOlder).toBe(false);
  });

  it('drops a page asked for before a jump replaced the window', async () => {
    const room = timeline(300);
    const { history } = historyOf(room);
    await history.loadAround('m0100');
    const newer = history.loadNewer();
    await history.loadAround('m0250');
    await newer;
    const held = ids(history);
    expect(held).toEqual(room.slice(250 - PAGE_SIZE / 2, 251 + PAGE_SIZE / 2).map((m) => m.id));
    expect(contiguous(history, room)).toBe(true);
  });

  it('pages no further from the window a jump is replacing, in whatever order the pages come back', async () => {
    const room = timeline(300);
    const { history, server } = historyOf(room);
    await history.loadAround('m0100'); // far back: newer messages beyond the window
    // The reader's own newer pages (no limit: a jump asks for half pages) are held back until let go.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const newerThan = server.newerThan.bind(server);
    server.newerThan = async (roomId, cursor, limit) => {
      if (limit === undefined) await held;
      return newerThan(roomId, cursor, limit);
    };
    const jump = history.loadAround('m0250');
    // Scrolled forward while the jump is on its way: the old window's newest and its stale hasNewer.
    const newer = history.loadNewer();
    expect(await jump).toBe(true);
    letGo();
    await newer;
    expect(ids(history)).toEqual(room.slice(250 - PAGE_SIZE / 2, 251 + PAGE_SIZE / 2).map((m) => m.id));
    expect(history.loadingNewer).toBe(false);
    // Once landed, paging forward goes on from the new window without a gap.
    await history.loadNewer();
    expect(contiguous(history, room)).toBe(true);
    expect(history.messages.at(-1)?.id).toBe('m0299');
  });

  it('says nothing of a page that failed after a jump replaced the window it was for', async () => {
    const room = timeline(300);
    const { history, server } = historyOf(room);
    await history.loadAround('m0100');
    let fail = () => {};
    const failing = new Promise<void>((resolve) => (fail = resolve));
    const newerThan = server.newerThan.bind(server);
    server.newerThan = async (roomId, cursor, limit) => {
      if (limit === undefined) {
        await failing;
        throw notFound();
      }
      return newerThan(roomId, cursor, limit);
    };
    const newer = history.loadNewer(); // the old window's next page, on its way
    expect(await history.loadAround('m0250')).toBe(true);
    fail();
    await newer;
    expect(history.error).toBe('');
    expect(history.loadingNewer).toBe(false);
    expect(history.landed?.id).toBe('m0250');
  });

  it('keeps a failed page load as an error the reader can retry', async () => {
    const { history, server } = historyOf(timeline(10));
    server.failNext = notFound();
    await history.loadOlder();
    expect(history.loaded).toBe(false);
    expect(history.error).toMatch(/Could not load messages/);
    expect(history.loadingOlder).toBe(false);
    await history.loadOlder();
    expect(history.error).toBe('');
    expect(history.messages).toHaveLength(10);
  });

  it('follows live messages at the present, letting go of old ones a page at a time', async () => {
    const room = timeline(WINDOW_SIZE);
    const { history } = historyOf(room);
    await history.loadOlder();
    while (history.hasOlder) await history.loadOlder();
    expect(history.messages).toHaveLength(WINDOW_SIZE);
    for (let i = 0; i < PAGE_SIZE; i++) history.applyLive(message(`live${i}`, 10_000 + i), true);
    expect(history.messages).toHaveLength(WINDOW_SIZE + PAGE_SIZE);
    history.applyLive(message('one-more', 20_000), true);
    expect(history.messages.length).toBe(WINDOW_SIZE);
    expect(history.messages.at(-1)?.id).toBe('one-more');
    expect(history.hasOlder).toBe(true);
  });

  it('announces live messages beyond a window far back instead of adding them', async () => {
    const room = timeline(WINDOW_SIZE + 2 * PAGE_SIZE);
    const { history } = historyOf(room);
    await history.loadOlder();
    while (history.hasOlder) await history.loadOlder();
    expect(history.hasNewer).toBe(true);
    const before = ids(history);
    history.applyLive(message('live1', 99_998), true);
    history.applyLive(message('live2', 99_999), true);
    history.applyLive(room[WINDOW_SIZE + PAGE_SIZE]!, false); // an edit beyond the window: not new
    expect(ids(history)).toEqual(before);
    expect(history.newArrivals).toBe(2);
    await history.jumpToPresent();
    expect(history.newArrivals).toBe(0);
    expect(history.hasNewer).toBe(false);
    expect(history.messages.at(-1)?.id).toBe(room.at(-1)!.id);
  });

  it('merges a live message that beat the first page, and leaves older early arrivals to paging', async () => {
    const room = timeline(80);
    const { history } = historyOf(room);
    history.applyLive(room[79]!, true); // arrived while the first page was on its way
    history.applyLive(room[5]!, false); // an edit of an old message, far outside the first page
    await history.loadOlder();
    expect(ids(history)).toEqual(room.slice(-PAGE_SIZE).map((m) => m.id));
  });

  it('drops messages deleted while away when it reconciles with the newest page', async () => {
    const room = timeline(20);
    const { history, server } = historyOf(room);
    await history.loadOlder();
    server.messages = server.messages.filter((m) => m.id !== 'm0010');
    server.messages.push(message('m0100', 100));
    await history.reconcileNewest();
    expect(ids(history)).not.toContain('m0010');
    expect(ids(history).at(-1)).toBe('m0100');
  });

  // Seen in CI: an outbox message sent just as the reconnect's page was asked for vanished from the list
  // (it was on the server): taken for deleted, because its waiting copy had the same id.
  it('keeps a message sent while the reconciling page was on its way, which that page does not have', async () => {
    const { history } = historyOf(timeline(3));
    await history.loadOlder();
    history.showLocal(message('x', 50, { delivery: 'pending' }));
    const reconciling = history.reconcileNewest(); // the page is taken now, without x
    history.applyServer([message('x', 50)]); // the create answered meanwhile
    await reconciling;
    expect(ids(history)).toContain('x');
  });

  it('shows an unsent message in place, changes its state, and never lets it replace the server copy', () => {
    const { history } = historyOf([]);
    const pending = message('x', 1, { delivery: 'pending' });
    history.showLocal(pending);
    history.showLocal({ ...pending, delivery: 'failed', failure: 'too long' });
    expect(history.messages[0]?.delivery).toBe('failed');
    history.applyServer([message('x', 2)]);
    history.showLocal(pending);
    expect(history.messages[0]?.delivery).toBeUndefined();
    history.remove('x');
    expect(history.messages).toEqual([]);
  });
});

describe('RoomHistory.visible', () => {
  it('leaves out hidden messages (a blocked author), pages past them, and shows them again when unhidden', async () => {
    // The newest page is all from the blocked author: the cursor must still move on to older ones.
    const room = timeline(PAGE_SIZE * 2).map((m, i) => (i >= PAGE_SIZE ? { ...m, user: 'pest' } : m));
    const server = new MemoryMessages(room);
    const blocked = new Set(['pest']);
    const history = new RoomHistory('r1', {
      pages: server,
      seen: () => undefined,
      problem: (_error, action) => `Could not ${action}`,
      hidden: (m) => blocked.has(m.user),
    });
    await history.loadOlder();
    expect(history.visible).toEqual([]);
    await history.loadOlder();
    expect(history.visible.map((m) => m.id)).toEqual(room.slice(0, PAGE_SIZE).map((m) => m.id));
    expect(history.messages).toHaveLength(PAGE_SIZE * 2);
  });
});
