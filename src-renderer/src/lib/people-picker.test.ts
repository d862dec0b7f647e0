import { expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { exactMatch, matchesQuery, moveHighlight, offerable, recentPeople, unmatchedProblem } from './people-picker.ts';
import type { ChatRoom } from './rooms.ts';

const person = (id: string, username: string, name = '') => ({ id, username, name }) as UsersRecord;
const me = person('me', 'alice');
const bob = person('b', 'bob', 'Bob');
const carol = person('c', 'carol');
const dave = person('d', 'dave');

function direct(id: string, partner: UsersRecord, lastMessageAt: string, invited = false): ChatRoom {
  return {
    id,
    kind: 'direct',
    name: '',
    members: invited ? [me.id] : [me.id, partner.id],
    invited: invited ? [partner.id] : [],
    closedBy: [],
    owner: me.id,
    created: '2026-01-01 00:00:00.000Z',
    updated: '2026-01-01 00:00:00.000Z',
    lastMessageAt,
    expand: invited ? { members: [me], invited: [partner] } : { members: [me, partner] },
  } as unknown as ChatRoom;
}

it('offers nobody already picked or left out', () => {
  expect(offerable([bob, carol, dave], ['c', 'me']).map((p) => p.username)).toEqual(['bob', 'dave']);
  expect(offerable([bob], [])).toEqual([bob]);
});

it('moves the highlight with the arrow keys, wrapping at both ends, and ignores other keys', () => {
  expect(moveHighlight(-1, 'ArrowDown', 3)).toBe(0);
  expect(moveHighlight(0, 'ArrowDown', 3)).toBe(1);
  expect(moveHighlight(2, 'ArrowDown', 3)).toBe(0);
  expect(moveHighlight(0, 'ArrowUp', 3)).toBe(2);
  expect(moveHighlight(-1, 'ArrowUp', 3)).toBe(2);
  expect(moveHighlight(1, 'ArrowUp', 3)).toBe(0);
  expect(moveHighlight(0, 'ArrowDown', 0)).toBeUndefined();
  expect(moveHighlight(0, 'Home', 3)).toBeUndefined();
  expect(moveHighlight(0, 'a', 3)).toBeUndefined();
});

it('takes typed text as a person only when it is exactly their username', () => {
  expect(exactMatch('BOB', [carol, bob])).toBe(bob);
  expect(exactMatch(' @bob ', [bob])).toBe(bob);
  // A name, or part of a username, is not enough: the wrong Bob would be invited.
  expect(exactMatch('Bob', [person('x', 'bobby', 'Bob')])).toBeUndefined();
  expect(exactMatch('', [bob])).toBeUndefined();
});

it('says what was typed and what to do about it', () => {
  expect(unmatchedProblem(' @bbo ')).toBe(
    'There is no user named "bbo". Pick people from the list as you type, or clear the text.',
  );
});

it('offers the people last written to first, each once, invitees included', () => {
  const rooms = [
    direct('1', bob, '2026-01-02 10:00:00.000Z'),
    direct('2', carol, '2026-01-03 09:00:00.000Z'),
    direct('3', dave, '', true),
    { ...direct('4', bob, ''), kind: 'private', name: 'team' } as ChatRoom,
  ];
  expect(recentPeople(rooms, me.id).map((p) => p.username)).toEqual(['carol', 'bob', 'dave']);
  expect(recentPeople(rooms, me.id, 1).map((p) => p.username)).toEqual(['carol']);
  expect(recentPeople([], me.id)).toEqual([]);
});

it('narrows an earlier answer to the text typed since, by username or name, in any letter case', () => {
  expect(matchesQuery(bob, 'BO')).toBe(true);
  expect(matchesQuery(person('x', 'xy', 'Roberta'), 'bert')).toBe(true);
  expect(matchesQuery(carol, 'bo')).toBe(false);
});
