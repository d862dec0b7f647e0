import { ClientResponseError } from 'pocketbase';
import type PocketBase from 'pocketbase';
import { describe, expect, it, vi } from 'vitest';
import { MESSAGES_TOPIC, TYPING_TOPIC } from '../../../src-shared/realtime-topics.ts';
import {
  Typing,
  TypingRooms,
  TypingSignal,
  TYPING_SHOWN_MS,
  TYPING_SIGNAL_MS,
  typingOf,
  typingText,
  type Clock,
} from './typing.svelte.ts';

/** A clock whose time moves only when told, running the timers that fall due. */
function fakeClock() {
  let now = 1_000_000;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let ids = 0;
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimer(run, ms) {
      const id = ++ids;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer(id) {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = end;
    },
    pending: () => timers.length,
  };
  return clock;
}

const signal = (user: string, room = 'r1', name = user) => ({ room, user, name });

describe('TypingRooms', () => {
  it('shows a typist for 6 s after their last signal, each room apart, with one timer at a time', () => {
    const clock = fakeClock();
    const rooms = new TypingRooms(clock);
    rooms.heard(signal('alice'));
    clock.advance(1000);
    rooms.heard(signal('bob'));
    rooms.heard(signal('carol', 'r2'));
    expect(rooms.in('r1').map((t) => t.id)).toEqual(['alice', 'bob']);
    expect(rooms.in('r2').map((t) => t.id)).toEqual(['carol']);
    expect(clock.pending()).toBe(1);

    // alice signals again at 3 s: she stays in her place, shown until 9 s.
    clock.advance(2000);
    rooms.heard(signal('alice', 'r1', 'Alice A.'));
    expect(rooms.in('r1').map((t) => [t.id, t.name])).toEqual([
      ['alice', 'Alice A.'],
      ['bob', 'bob'],
    ]);
    clock.advance(TYPING_SHOWN_MS - 2000 - 1); // 6.999 s after bob's
    expect(rooms.in('r1').map((t) => t.id)).toEqual(['alice', 'bob']);
    clock.advance(1);
    expect(rooms.in('r1').map((t) => t.id)).toEqual(['alice']);
    expect(rooms.in('r2')).toEqual([]);
    clock.advance(2000);
    expect(rooms.in('r1')).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('forgets a typist as soon as their message arrives in that room, and only there', () => {
    const clock = fakeClock();
    const rooms = new TypingRooms(clock);
    rooms.heard(signal('alice'));
    rooms.heard(signal('alice', 'r2'));
    rooms.heard(signal('bob'));
    rooms.messageArrived('r1', 'alice');
    expect(rooms.in('r1').map((t) => t.id)).toEqual(['bob']);
    expect(rooms.in('r2').map((t) => t.id)).toEqual(['alice']);
    rooms.messageArrived('r1', 'nobody');
    rooms.clear();
    expect(rooms.in('r1')).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});

describe('typingText', () => {
  it('names one or two typists and counts more as several', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['alice'])).toBe('alice is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['alice', 'bob', 'carol'])).toBe('Several people are typing…');
  });
});

describe('TypingSignal', () => {
  it('sends at most one signal per room every 3 s while the text changes, none for an empty text', async () => {
    let now = 0;
    const posts: string[] = [];
    const signals = new TypingSignal({ post: async (room) => posts.push(room), now: () => now });
    signals.changed('r1', 'h');
    signals.changed('r1', 'he');
    signals.changed('r2', 'x'); // another room has its own pace
    now = TYPING_SIGNAL_MS - 1;
    signals.changed('r1', 'hel');
    expect(posts).toEqual(['r1', 'r2']);
    now = TYPING_SIGNAL_MS;
    signals.changed('r1', '');
    signals.changed('r1', '  \n');
    expect(posts).toEqual(['r1', 'r2']);
    signals.changed('r1', 'hello');
    expect(posts).toEqual(['r1', 'r2', 'r1']);
  });

  it('swallows failures, logging the first one only, and a 429 not at all', async () => {
    let now = 0;
    const warn = vi.fn();
    let failure: unknown = new ClientResponseError({ status: 429 });
    const signals = new TypingSignal({ post: () => Promise.reject(failure), now: () => now, warn });
    signals.changed('r1', 'a');
    await Promise.resolve();
    await Promise.resolve();
    expect(warn).not.toHaveBeenCalled();
    failure = new ClientResponseError({ status: 0 });
    for (let i = 1; i <= 3; i++) {
      now = i * TYPING_SIGNAL_MS;
      signals.changed('r1', 'a');
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('Typing', () => {
  function fakeChat(blocked: string[] = []) {
    const listeners = new Map<string, (data: unknown) => void>();
    const unsubscribed: string[] = [];
    const sent: string[] = [];
    const pb = {
      realtime: {
        subscribe: vi.fn(async (topic: string, callback: (data: unknown) => void) => {
          listeners.set(topic, callback);
          return async () => void unsubscribed.push(topic);
        }),
      },
      send: vi.fn(async (path: string) => void sent.push(path)),
    };
    const chat = {
      pb: pb as unknown as PocketBase,
      self: { id: 'me' },
      blocks: { has: (id: string) => blocked.includes(id) },
    };
    return { chat, pb, listeners, unsubscribed, sent };
  }

  it('listens to both topics once however many lines show it, and stops with the last', async () => {
    const { chat, pb, listeners, unsubscribed } = fakeChat();
    const typing = new Typing(chat, fakeClock());
    const stopOne = typing.listen();
    const stopTwo = typing.listen();
    expect(pb.realtime.subscribe).toHaveBeenCalledTimes(2);
    expect([...listeners.keys()].sort()).toEqual([MESSAGES_TOPIC, TYPING_TOPIC].sort());
    listeners.get(TYPING_TOPIC)?.(signal('alice'));
    expect(typing.shown('r1').map((t) => t.id)).toEqual(['alice']);
    stopOne();
    stopOne();
    await Promise.resolve();
    expect(unsubscribed).toEqual([]);
    stopTwo();
    await new Promise((r) => setTimeout(r, 0));
    expect(unsubscribed.sort()).toEqual([MESSAGES_TOPIC, TYPING_TOPIC].sort());
    expect(typing.shown('r1')).toEqual([]);
  });

  it('takes a typist away when their new message arrives, not on an edit; never shows oneself or the blocked', () => {
    const { chat, listeners } = fakeChat(['mallory']);
    const typing = new Typing(chat, fakeClock());
    const stop = typing.listen();
    for (const user of ['alice', 'me', 'mallory', 'bob']) listeners.get(TYPING_TOPIC)?.(signal(user));
    expect(typing.shown('r1').map((t) => t.id)).toEqual(['alice', 'bob']);
    const message = (action: string, user: string) => ({ action, record: { room: 'r1', user } });
    listeners.get(MESSAGES_TOPIC)?.(message('update', 'alice'));
    expect(typing.shown('r1').map((t) => t.id)).toEqual(['alice', 'bob']);
    listeners.get(MESSAGES_TOPIC)?.(message('create', 'alice'));
    expect(typing.shown('r1').map((t) => t.id)).toEqual(['bob']);
    stop();
  });

  it("posts the room's signal to the server route; typingOf gives one Typing per chat", () => {
    const { chat, sent } = fakeChat();
    const typing = typingOf(chat);
    expect(typingOf(chat)).toBe(typing);
    typing.signal.changed('room 1', 'hi');
    expect(sent).toEqual(['/api/palaver/rooms/room%201/typing']);
  });
});
