import { expect, it } from 'vitest';
import { UnreadCounter } from './unread.ts';

const away = { selfId: 'me', openRoomId: 'r1', windowFocused: false };

it("counts others' messages per room, once each, and not my own", () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away);
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away);
  unread.onMessage({ id: 'b', room: 'r2', user: 'bob' }, away);
  unread.onMessage({ id: 'c', room: 'r2', user: 'me' }, away);
  expect(unread.snapshot()).toEqual({ r1: 1, r2: 1 });
  expect(unread.total).toBe(2);
});

it('does not count what I am looking at, and opening a room reads it', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, { ...away, windowFocused: true });
  unread.onMessage({ id: 'b', room: 'r2', user: 'bob' }, { ...away, windowFocused: true });
  expect(unread.snapshot()).toEqual({ r2: 1 });
  unread.markRead('r2');
  expect(unread.total).toBe(0);
});

it('takes back a deleted unread message', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away);
  unread.onDelete({ id: 'a', room: 'r1' });
  unread.onDelete({ id: 'zzz', room: 'r1' });
  expect(unread.count('r1')).toBe(0);
});

it('never counts a message from someone the user blocked', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, { ...away, blocked: new Set(['bob']) });
  unread.onMessage({ id: 'b', room: 'r1', user: 'carol' }, { ...away, blocked: new Set(['bob']) });
  expect(unread.count('r1')).toBe(1);
});
