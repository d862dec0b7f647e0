import { describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../../src-shared/ipc.ts';
import { Outbox, type OutboxDeps, type SendOutcome } from './outbox.ts';

const entry = (id: string, text = id): OutboxEntry => ({
  id,
  room: 'room1',
  text,
  created: `2026-11-26 10:00:0${id.length % 10}.000Z`,
  state: 'pending',
});

function harness(outcomes: Record<string, SendOutcome[]>, initial: OutboxEntry[] = []) {
  const sentOrder: string[] = [];
  const persisted: OutboxEntry[][] = [];
  const timers: Array<() => void> = [];
  const deps: OutboxDeps = {
    send: vi.fn(async (e: OutboxEntry) => {
      const queue = outcomes[e.id] ?? [];
      const outcome = queue.length > 1 ? queue.shift()! : (queue[0] ?? { kind: 'sent' });
      if (outcome.kind === 'sent') sentOrder.push(e.id);
      return outcome;
    }),
    persist: vi.fn(async (entries: OutboxEntry[]) => void persisted.push(entries.map((e) => ({ ...e })))),
    changed: vi.fn(),
    sent: vi.fn(),
    signedOut: vi.fn(),
    setTimer: (run) => timers.push(run),
    clearTimer: () => undefined,
  };
  const outbox = new Outbox(initial, deps);
  return { outbox, deps, sentOrder, persisted, timers };
}

describe('Outbox', () => {
  it('sends in the order written and forgets what was sent', async () => {
    const { outbox, sentOrder, persisted } = harness({});
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    await outbox.flush();
    expect(sentOrder).toEqual(['a', 'b']);
    expect(outbox.list()).toEqual([]);
    expect(persisted.at(-1)).toEqual([]);
  });

  it('keeps everything, in order, while the server cannot be reached, and sends it when it can', async () => {
    let online = false;
    const { outbox, deps, sentOrder, timers } = harness({});
    vi.mocked(deps.send).mockImplementation(async (e: OutboxEntry) => {
      if (!online) return { kind: 'later', reason: 'offline' };
      sentOrder.push(e.id);
      return { kind: 'sent' };
    });
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    await outbox.flush();
    expect(sentOrder).toEqual([]);
    expect(outbox.list().map((e) => [e.id, e.state])).toEqual([
      ['a', 'pending'],
      ['b', 'pending'],
    ]);
    expect(outbox.waitingReason).toBe('offline');
    // Only the first message is tried while down: nothing overtakes it.
    expect(new Set(vi.mocked(deps.send).mock.calls.map(([e]) => (e as OutboxEntry).id))).toEqual(new Set(['a']));
    // A retry was scheduled (with backoff); once the server is back it sends both, in order.
    expect(timers.length).toBeGreaterThan(0);
    online = true;
    timers.at(-1)!();
    await outbox.flush();
    expect(sentOrder).toEqual(['a', 'b']);
    expect(outbox.list()).toEqual([]);
    expect(outbox.waitingReason).toBe('');
  });

  it('marks a refused message failed and goes on with the next; Retry sends it again', async () => {
    const { outbox, sentOrder } = harness({
      a: [{ kind: 'refused', reason: 'Use at most 2000 characters.' }, { kind: 'sent' }],
    });
    await outbox.add(entry('a'));
    await outbox.add(entry('b'));
    await outbox.flush();
    expect(sentOrder).toEqual(['b']);
    expect(outbox.list()).toEqual([
      expect.objectContaining({ id: 'a', state: 'failed', failure: 'Use at most 2000 characters.' }),
    ]);
    await outbox.retry('a');
    await outbox.flush();
    expect(sentOrder).toEqual(['b', 'a']);
  });

  it('pauses when the session has ended and resumes after signing in again', async () => {
    const { outbox, deps, sentOrder } = harness({
      a: [{ kind: 'later', reason: 'signed out', signedOut: true }, { kind: 'sent' }],
    });
    await outbox.add(entry('a'));
    await outbox.flush();
    expect(deps.signedOut).toHaveBeenCalledTimes(1);
    await outbox.add(entry('b'));
    await outbox.flush();
    expect(sentOrder).toEqual([]);
    outbox.resume();
    await outbox.flush();
    expect(sentOrder).toEqual(['a', 'b']);
  });

  it('when the server asks to slow down, knows until when, and forgets it once the message is sent', async () => {
    const { outbox, deps, timers, sentOrder } = harness(
      {
        a: [
          { kind: 'later', reason: 'Too many requests', slowDown: true },
          { kind: 'later', reason: 'Too many requests', slowDown: true },
          { kind: 'sent' },
        ],
      },
      [entry('a')],
    );
    let clock = 1_000_000;
    deps.now = () => clock;
    const seen: Array<number | null> = [];
    deps.changed = vi.fn(() => void seen.push(outbox.slowedUntil));
    await outbox.flush();
    // The next attempt is when the backoff says: a second, then two.
    expect(outbox.slowedUntil).toBe(1_001_000);
    expect(seen.at(-1)).toBe(1_001_000);
    clock += 1_000;
    expect(timers.splice(0)).toHaveLength(1); // the retry the outbox set: run it now
    await outbox.flush();
    expect(outbox.slowedUntil).toBe(1_003_000);
    clock += 2_000;
    expect(timers.splice(0)).toHaveLength(1); // the retry the outbox set: run it now
    await outbox.flush();
    expect(sentOrder).toEqual(['a']);
    expect(outbox.slowedUntil).toBeNull();
    expect(outbox.waitingReason).toBe('');
  });

  it('while the server asked to slow down, a new message waits for the planned attempt instead of trying at once', async () => {
    const { outbox, deps, timers, sentOrder } = harness(
      { a: [{ kind: 'later', reason: 'Too many requests', slowDown: true }, { kind: 'sent' }] },
      [entry('a')],
    );
    const clock = 1_000_000;
    deps.now = () => clock;
    await outbox.flush();
    await outbox.add(entry('b'));
    await outbox.add(entry('c'));
    expect(deps.send).toHaveBeenCalledTimes(1);
    expect(outbox.slowedUntil).toBe(1_001_000); // not pushed further out
    timers.splice(0);
    await outbox.flush();
    expect(sentOrder).toEqual(['a', 'b', 'c']);
  });

  it('waits exactly as long as the server said, however often it refused, instead of its own growing back-off', async () => {
    const slowed = (retryAfterMs: number): SendOutcome => ({
      kind: 'later',
      reason: 'Too many requests',
      slowDown: true,
      retryAfterMs,
    });
    const { outbox, deps, timers, sentOrder } = harness(
      { a: [slowed(4_000), slowed(3_000), slowed(1_000), { kind: 'sent' }] },
      [entry('a')],
    );
    let clock = 1_000_000;
    deps.now = () => clock;
    const delays: number[] = [];
    deps.setTimer = (run, ms) => void (timers.push(run), delays.push(ms));
    for (const wait of [4_000, 3_000, 1_000]) {
      await outbox.flush();
      expect(outbox.slowedUntil).toBe(clock + wait);
      clock += wait;
      timers.splice(0);
    }
    await outbox.flush();
    // The back-off alone would have waited 1, 2 and 5 s here, each time regardless of the window.
    expect(delays).toEqual([4_000, 3_000, 1_000]);
    expect(sentOrder).toEqual(['a']);
  });

  it('a wait for another reason (offline, server down) is no slow-down', async () => {
    const { outbox } = harness({ a: [{ kind: 'later', reason: 'offline' }] });
    await outbox.add(entry('a'));
    await outbox.flush();
    expect(outbox.waitingReason).toBe('offline');
    expect(outbox.slowedUntil).toBeNull();
  });

  it('starts from what was persisted, and removing a message persists that too', async () => {
    const { outbox, persisted, sentOrder } = harness({ x: [{ kind: 'refused', reason: 'no' }] }, [
      entry('x'),
      entry('y'),
    ]);
    await outbox.flush();
    expect(sentOrder).toEqual(['y']);
    expect((await outbox.remove('x'))?.text).toBe('x');
    expect(persisted.at(-1)).toEqual([]);
  });

  it('never sends one message twice at the same time, however often flush is called', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { outbox, deps } = harness({});
    vi.mocked(deps.send).mockImplementationOnce(async () => {
      await gate;
      return { kind: 'sent' };
    });
    await outbox.add(entry('a'));
    const flushes = [outbox.flush(), outbox.flush(), outbox.flush()];
    release();
    await Promise.all(flushes);
    await outbox.flush();
    expect(vi.mocked(deps.send).mock.calls.filter(([e]) => (e as OutboxEntry).id === 'a')).toHaveLength(1);
  });
});
