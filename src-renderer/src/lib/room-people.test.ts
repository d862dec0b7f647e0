import { expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';
import { MEMBERS_SHOWN, expandedMembers, morePeople, roomPeople } from './room-people.ts';

const user = (id: string) => ({ id, username: id, name: id }) as UsersRecord;
const room = (kind: ChatRoom['kind'], members: string[], extra: Partial<ChatRoom> = {}) =>
  ({ id: `${kind}-room`, kind, members, expand: { members: members.map(user) }, ...extra }) as unknown as ChatRoom;

it('takes a private room’s people from its record, longest-standing first, and asks nothing', async () => {
  const asked: string[] = [];
  const api = { members: (id: string) => (asked.push(id), Promise.resolve({ people: [], total: 0 })) };
  const team = room('private', ['ann', 'bob']);
  team.expand = { members: [user('bob'), user('ann')] };
  expect(await roomPeople(api, team, String)).toEqual({ people: [user('ann'), user('bob')], total: 2 });
  expect(expandedMembers(room('direct', ['x', 'y'])).map((p) => p.id)).toEqual(['x', 'y']);
  expect(asked).toEqual([]);
});

it('asks the server for a public room’s first page, and says what failed', async () => {
  const asked: Array<[string, number]> = [];
  const page = { people: [user('ann')], total: 900 };
  const api = { members: (id: string, limit: number) => (asked.push([id, limit]), Promise.resolve(page)) };
  const lobby = room('public', ['self'], { memberCount: 900 });
  expect(await roomPeople(api, lobby, String)).toEqual(page);
  expect(asked).toEqual([['public-room', MEMBERS_SHOWN]]);
  const failing = { members: () => Promise.reject(new Error('offline')) };
  expect(await roomPeople(failing, lobby, (e) => `Could not list them: ${(e as Error).message}`)).toEqual({
    problem: 'Could not list them: offline',
  });
});

it('says how many more people there are than shown', () => {
  expect(morePeople(50, 1000)).toBe('and 950 more');
  expect(morePeople(3, 3)).toBe('');
});
