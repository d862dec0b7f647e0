import { expect, it } from 'vitest';
import { directPartner, isJoined, roomLabel, sortRooms, type ChatRoom } from './rooms.ts';

const user = (id: string, username: string, name = '') => ({ id, username, name }) as never;
const room = (id: string, kind: ChatRoom['kind'], name: string, members: unknown[] = []) =>
  ({ id, kind, name, expand: { members } }) as unknown as ChatRoom;

it('labels public rooms with #, private rooms by name, direct ones by the other person', () => {
  expect(roomLabel(room('1', 'public', 'general'), 'me')).toBe('#general');
  expect(roomLabel(room('2', 'private', 'design'), 'me')).toBe('design');
  const dm = room('3', 'direct', '', [user('me', 'alice'), user('b', 'bob', 'Bob M.')]);
  expect(roomLabel(dm, 'me')).toBe('Bob M. (@bob)');
  expect(roomLabel(room('5', 'direct', '', [user('me', 'alice'), user('c', 'carol')]), 'me')).toBe('carol');
  expect(directPartner(dm, 'me')?.username).toBe('bob');
  expect(roomLabel(room('4', 'direct', '', []), 'me')).toBe('Direct conversation');
});

it('lists channels and direct conversations apart, alphabetically', () => {
  const sorted = sortRooms(
    [room('1', 'public', 'zebra'), room('2', 'private', 'Apple'), room('3', 'direct', '', [user('x', 'carol')])],
    'me',
  );
  expect(sorted.channels.map((r) => r.id)).toEqual(['2', '1']);
  expect(sorted.direct.map((r) => r.id)).toEqual(['3']);
});

it('tells apart a direct conversation with someone who took another person’s name', () => {
  const withBob = room('1', 'direct', '', [user('me', 'alice'), user('b', 'bob', 'Bob')]);
  const withMallory = room('2', 'direct', '', [user('me', 'alice'), user('m', 'mallory', 'Bob')]);
  expect(roomLabel(withMallory, 'me')).not.toBe(roomLabel(withBob, 'me'));
  expect(roomLabel(withMallory, 'me')).toBe('Bob (@mallory)');
  // A direction override cannot mirror the username into something else.
  const mirrored = room('3', 'direct', '', [user('me', 'alice'), user('m', 'mallory', '\u202eBob')]);
  expect(roomLabel(mirrored, 'me')).toBe('Bob (@mallory)');
});

it('orders direct conversations by the name people read, not by the username beside it', () => {
  const sorted = sortRooms(
    [
      room('z', 'direct', '', [user('a', 'aaron', 'Zoe')]),
      room('b', 'direct', '', [user('b', 'zed', 'Bea')]),
      room('c', 'direct', '', [user('c', 'carl')]),
    ],
    'me',
  );
  expect(sorted.direct.map((r) => r.id)).toEqual(['b', 'c', 'z']);
});

it('orders direct conversations by latest message first, one just started by when it was made, ties by name', () => {
  const dm = (id: string, name: string, lastMessageAt: string, created = '2026-01-01 00:00:00.000Z') =>
    ({ ...room(id, 'direct', '', [user(id, id, name)]), lastMessageAt, created }) as ChatRoom;
  const sorted = sortRooms(
    [
      dm('old', 'Ann', '2026-01-02 10:00:00.000Z'),
      dm('new', 'Zoe', '2026-01-03 10:00:00.000Z'),
      dm('fresh', 'Max', '', '2026-01-04 10:00:00.000Z'),
      dm('tieb', 'Bea', '2026-01-02 10:00:00.000Z'),
      dm('quiet', 'Cy', '', '2026-01-01 00:00:00.000Z'),
    ],
    'me',
  );
  expect(sorted.direct.map((r) => r.id)).toEqual(['fresh', 'new', 'old', 'tieb', 'quiet']);
});

it('counts the user in a public room only once they joined it, and in any other room once a member', () => {
  const r = (kind: ChatRoom['kind'], members: string[]) => ({ ...room('1', kind, 'x'), members }) as ChatRoom;
  expect(isJoined(r('public', ['bob']), 'me')).toBe(false);
  expect(isJoined(r('public', ['bob', 'me']), 'me')).toBe(true);
  expect(isJoined(r('private', ['me']), 'me')).toBe(true);
  expect(isJoined(r('direct', ['bob']), 'me')).toBe(false);
});
