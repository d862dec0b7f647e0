import { describe, expect, it } from 'vitest';
import type { PresenceHints } from '../../../src-shared/ipc.ts';
import { PRESENCE_TOPIC } from '../../../src-shared/realtime-topics.ts';
import {
  AWAY_AFTER_SECONDS,
  HINTS_EVERY_MS,
  Presence,
  PRESENCE_IDS_PER_REQUEST,
  RESUBSCRIBE_MS,
  type PresenceServer,
} from './presence.svelte.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A server double: records requests, answers statuses from `online`, lets the test deliver events. */
function fakeServer() {
  const listeners = new Map<string, Array<(data: unknown) => void>>();
  const state = {
    clientId: 'conn1',
    online: new Set<string>(),
    requests: [] as string[][],
    declarations: [] as Array<{ clientId: string; away: boolean; dnd: boolean }>,
    failSubscribe: 0,
    forgotten: [] as string[],
    answers: [] as Array<() => void>,
    holdAnswers: false,
  };
  const server: PresenceServer = {
    async subscribe(topic, onEvent) {
      if (state.failSubscribe > 0) {
        state.failSubscribe -= 1;
        throw new Error('realtime connection failed');
      }
      const list = listeners.get(topic) ?? [];
      list.push(onEvent);
      listeners.set(topic, list);
      return async () => {
        listeners.set(
          topic,
          (listeners.get(topic) ?? []).filter((l) => l !== onEvent),
        );
      };
    },
    async forget(topic) {
      state.forgotten.push(topic);
      listeners.delete(topic);
    },
    clientId: () => state.clientId,
    statuses(ids) {
      state.requests.push([...ids]);
      const answer = Object.fromEntries(ids.map((id) => [id, state.online.has(id) ? 'online' : 'offline']));
      if (!state.holdAnswers) return Promise.resolve(answer);
      return new Promise((resolve) => state.answers.push(() => resolve(answer)));
    },
    async declare(declaration) {
      state.declarations.push(declaration);
    },
  };
  const emit = (topic: string, data: unknown) => (listeners.get(topic) ?? []).forEach((l) => l(data));
  return { server, state, emit, listeners };
}

function fakeTimers() {
  const intervals = new Map<number, () => void>();
  const timeouts: Array<() => void> = [];
  let next = 0;
  return {
    intervals,
    timeouts,
    setInterval(run: () => void, ms: number) {
      expect(ms).toBe(HINTS_EVERY_MS);
      intervals.set(++next, run);
      return next;
    },
    clearInterval(handle: unknown) {
      intervals.delete(handle as number);
    },
    setTimeout(run: () => void, ms: number) {
      expect(ms).toBe(RESUBSCRIBE_MS);
      timeouts.push(run);
    },
    tick() {
      for (const run of intervals.values()) run();
    },
  };
}

function setup(hints: PresenceHints = { idleSeconds: 0, doNotDisturb: false }) {
  const fake = fakeServer();
  const timers = fakeTimers();
  const current = { ...hints };
  const presence = new Presence(fake.server, async () => ({ ...current }), timers);
  return { ...fake, timers, hints: current, presence };
}

describe('Presence statuses', () => {
  it('asks once for everyone wanted in the same moment, in batches the server accepts', async () => {
    const { presence, state } = setup();
    await presence.start();
    const ids = Array.from({ length: PRESENCE_IDS_PER_REQUEST * 2 + 50 }, (_, i) => `u${i}`);
    state.online.add('u3');
    presence.want(ids.slice(0, 10));
    presence.want(ids);
    await settle();
    expect(state.requests.map((r) => r.length)).toEqual([PRESENCE_IDS_PER_REQUEST, PRESENCE_IDS_PER_REQUEST, 50]);
    expect(presence.status('u3')).toBe('online');
    expect(presence.status('u4')).toBe('offline');
    expect(presence.status('never-asked')).toBeUndefined();
    presence.want(ids);
    await settle();
    expect(state.requests).toHaveLength(3);
  });

  it('follows the events about the people shown, and ignores the rest and anything malformed', async () => {
    const { presence, emit } = setup();
    await presence.start();
    presence.want(['bob']);
    await settle();
    emit(PRESENCE_TOPIC, { user: 'bob', status: 'dnd' });
    expect(presence.status('bob')).toBe('dnd');
    emit(PRESENCE_TOPIC, { user: 'bob', status: 'busy' });
    emit(PRESENCE_TOPIC, { user: 42, status: 'online' });
    emit(PRESENCE_TOPIC, null);
    expect(presence.status('bob')).toBe('dnd');
    emit(PRESENCE_TOPIC, { user: 'stranger', status: 'online' });
    expect(presence.status('stranger')).toBeUndefined();
  });

  it('takes the changes of a burst, which come as one list', async () => {
    const { presence, emit } = setup();
    await presence.start();
    presence.want(['bob', 'carol']);
    await settle();
    emit(PRESENCE_TOPIC, [
      { user: 'bob', status: 'away' },
      { user: 'stranger', status: 'online' },
      { user: 'carol', status: 'bogus' },
      { user: 'carol', status: 'online' },
    ]);
    expect(presence.status('bob')).toBe('away');
    expect(presence.status('carol')).toBe('online');
    expect(presence.status('stranger')).toBeUndefined();
  });

  it('does not let an answer undo an event that came while it was on its way', async () => {
    const { presence, state, emit } = setup();
    await presence.start();
    state.holdAnswers = true;
    presence.want(['bob', 'carol']);
    await settle();
    emit(PRESENCE_TOPIC, { user: 'bob', status: 'online' });
    state.answers.forEach((answer) => answer());
    await settle();
    expect(presence.status('bob')).toBe('online');
    expect(presence.status('carol')).toBe('offline');
  });

  it('asks again for everyone shown after a reconnect', async () => {
    const { presence, state, emit } = setup();
    await presence.start();
    presence.want(['bob']);
    await settle();
    expect(presence.status('bob')).toBe('offline');
    state.online.add('bob');
    state.clientId = 'conn2';
    emit('PB_CONNECT', { clientId: 'conn2' });
    await settle();
    expect(state.requests).toEqual([['bob'], ['bob']]);
    expect(presence.status('bob')).toBe('online');
  });
});

describe("Presence: this device's declaration", () => {
  it('says away after ten minutes without input and in use again after input, only on change', async () => {
    const { presence, state, timers, hints } = setup();
    await presence.start();
    expect(state.declarations).toEqual([]); // a new connection is online on the server already

    hints.idleSeconds = AWAY_AFTER_SECONDS - 1;
    timers.tick();
    await settle();
    expect(state.declarations).toEqual([]);

    hints.idleSeconds = AWAY_AFTER_SECONDS;
    timers.tick();
    await settle();
    timers.tick();
    await settle();
    expect(state.declarations).toEqual([{ clientId: 'conn1', away: true, dnd: false }]);

    hints.idleSeconds = 1;
    hints.doNotDisturb = true;
    timers.tick();
    await settle();
    expect(state.declarations.at(-1)).toEqual({ clientId: 'conn1', away: false, dnd: true });
    expect(state.declarations).toHaveLength(2);
  });

  it('declares again on a new connection, which the server holds as online', async () => {
    const { presence, state, emit } = setup({ idleSeconds: 0, doNotDisturb: true });
    await presence.start();
    expect(state.declarations).toEqual([{ clientId: 'conn1', away: false, dnd: true }]);
    state.clientId = 'conn2';
    emit('PB_CONNECT', { clientId: 'conn2' });
    await settle();
    expect(state.declarations.at(-1)).toEqual({ clientId: 'conn2', away: false, dnd: true });
  });

  it('tries again at the next check when a declaration fails', async () => {
    const { presence, state, timers, server } = setup({ idleSeconds: 0, doNotDisturb: true });
    let failures = 1;
    const declare = server.declare;
    server.declare = async (d) => {
      if (failures-- > 0) throw new Error('404: no realtime connection of yours has this clientId');
      return declare(d);
    };
    await presence.start();
    expect(state.declarations).toEqual([]);
    timers.tick();
    await settle();
    expect(state.declarations).toEqual([{ clientId: 'conn1', away: false, dnd: true }]);
  });
});

describe('Presence subscriptions', () => {
  it('undoes a failed subscription and subscribes again later', async () => {
    const { presence, state, timers, listeners } = setup();
    state.failSubscribe = 1;
    await presence.start();
    expect(state.forgotten).toEqual([PRESENCE_TOPIC]);
    expect(timers.intervals.size).toBe(0);
    expect(timers.timeouts).toHaveLength(1);
    timers.timeouts[0]!();
    await settle();
    expect(listeners.get(PRESENCE_TOPIC)).toHaveLength(1);
    expect(listeners.get('PB_CONNECT')).toHaveLength(1);
    expect(timers.intervals.size).toBe(1);
  });

  it('stops listening and checking when stopped', async () => {
    const { presence, timers, listeners } = setup();
    await presence.start();
    await presence.stop();
    expect(listeners.get(PRESENCE_TOPIC)).toEqual([]);
    expect(listeners.get('PB_CONNECT')).toEqual([]);
    expect(timers.intervals.size).toBe(0);
  });
});
