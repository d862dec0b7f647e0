import { expect, it } from 'vitest';
import type { ChatRoom } from './rooms.ts';
import { countText, UnreadCounter } from './unread.ts';

const away = { selfId: 'me', openRoomId: 'r1', windowFocused: false, conversationVisible: true };
const joined = { members: ['me', 'bob', 'carol'] } as ChatRoom;

it("counts others' messages per room, once each, and not my own", () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away, joined);
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away, joined);
  unread.onMessage({ id: 'b', room: 'r2', user: 'bob' }, away, joined);
  unread.onMessage({ id: 'c', room: 'r2', user: 'me' }, away, joined);
  expect(unread.snapshot()).toEqual({ r1: 1, r2: 1 });
  expect(unread.total).toBe(2);
});

it('does not count what I am looking at, and opening a room reads it', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, { ...away, windowFocused: true }, joined);
  unread.onMessage({ id: 'b', room: 'r2', user: 'bob' }, { ...away, windowFocused: true }, joined);
  expect(unread.snapshot()).toEqual({ r2: 1 });
  unread.markRead('r2');
  expect(unread.total).toBe(0);
});

it('takes back a deleted unread message', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away, joined);
  unread.onDelete({ id: 'a', room: 'r1' });
  unread.onDelete({ id: 'zzz', room: 'r1' });
  expect(unread.count('r1')).toBe(0);
});

it('never counts a message from someone the user blocked', () => {
  const unread = new UnreadCounter();
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, { ...away, blocked: new Set(['bob']) }, joined);
  unread.onMessage({ id: 'b', room: 'r1', user: 'carol' }, { ...away, blocked: new Set(['bob']) }, joined);
  expect(unread.count('r1')).toBe(1);
});

it('gives no badge for a room the user has not joined, is only invited to, or does not know', () => {
  const unread = new UnreadCounter();
  // A public room read without joining it, and a private room the user is only invited to.
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob' }, away, { members: ['bob'] } as ChatRoom);
  unread.onMessage({ id: 'b', room: 'r2', user: 'bob' }, away, undefined);
  expect(unread.total).toBe(0);
  // Joined later: what arrives from then on counts.
  unread.onMessage({ id: 'c', room: 'r1', user: 'bob' }, away, joined);
  expect(unread.snapshot()).toEqual({ r1: 1 });
});

it('counts mentions of me apart, and badges what each room’s level counts', () => {
  const unread = new UnreadCounter();
  const room = (kind: ChatRoom['kind']) => ({ ...joined, kind }) as ChatRoom;
  unread.onMessage({ id: 'a', room: 'r1', user: 'bob', mentions: ['me'] }, away, room('private'));
  unread.onMessage({ id: 'b', room: 'r1', user: 'bob', mentions: ['carol'] }, away, room('private'));
  unread.onMessage({ id: 'c', room: 'd1', user: 'bob' }, away, room('direct'));
  unread.onMessage({ id: 'd', room: 'd1', user: 'bob' }, away, room('direct'));
  expect([unread.mentionCount('r1'), unread.total]).toEqual([1, 4]);
  expect(unread.mentionSnapshot()).toEqual({ r1: 1 });
  // Defaults: a room badges its mentions, a direct conversation every message.
  expect(unread.badge(undefined)).toBe(3);
  expect(unread.badge(new Map([['r1', 'all' as const]]))).toBe(4);
  expect(unread.badge(new Map([['d1', 'nothing' as const]]))).toBe(1);
  unread.onDelete({ id: 'a', room: 'r1' });
  expect([unread.mentionCount('r1'), unread.badge(undefined)]).toEqual([0, 2]);
  // The room list shows rooms with mentions only.
  expect(unread.mentionSnapshot()).toEqual({});
});

it("spells the server's cap as 999+, since a room at it may have more", () => {
  expect([countText(1), countText(999), countText(1000)]).toEqual(['1', '999', '999+']);
});

it("takes the server's count for a room, mentions and all, and clears them all at once", () => {
  const unread = new UnreadCounter();
  unread.set('r1', 'private', 4, 1);
  unread.set('r2', 'direct', 2, 0);
  expect([unread.snapshot(), unread.mentionSnapshot()]).toEqual([{ r1: 4, r2: 2 }, { r1: 1 }]);
  // A direct conversation badges every message, a private room only its mentions.
  expect(unread.badge(undefined)).toBe(3);
  unread.set('r1', 'private', 0, 0);
  expect(unread.snapshot()).toEqual({ r2: 2 });
  unread.clear();
  expect(unread.total).toBe(0);
});
