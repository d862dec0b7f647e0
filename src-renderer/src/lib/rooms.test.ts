import { expect, it } from 'vitest';
import { directPartner, roomLabel, sortRooms, type ChatRoom } from './rooms.ts';

const user = (id: string, username: string, name = '') => ({ id, username, name }) as never;
const room = (id: string, kind: ChatRoom['kind'], name: string, members: unknown[] = []) =>
  ({ id, kind, name, expand: { members } }) as unknown as ChatRoom;

it('labels public rooms with #, private rooms by name, direct ones by the other person', () => {
  expect(roomLabel(room('1', 'public', 'general'), 'me')).toBe('#general');
  expect(roomLabel(room('2', 'private', 'design'), 'me')).toBe('design');
  const dm = room('3', 'direct', '', [user('me', 'alice'), user('b', 'bob', 'Bob M.')]);
  expect(roomLabel(dm, 'me')).toBe('Bob M.');
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
