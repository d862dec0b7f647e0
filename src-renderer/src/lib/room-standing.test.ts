import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { inviter, listed, openable, standing, successors, withEveryone } from './room-standing.ts';
import type { ChatRoom } from './rooms.ts';

const person = (id: string) => ({ id, username: id, name: '' }) as UsersRecord;
const room = (kind: ChatRoom['kind'], members: string[], invited: string[] = [], closedBy: string[] = []) =>
  ({
    id: 'r',
    name: 'r',
    kind,
    owner: members[0] ?? '',
    members,
    invited,
    closedBy,
    expand: { members: members.map(person), invited: invited.map(person) },
  }) as unknown as ChatRoom;

describe('standing', () => {
  it('tells members, the invited, readers of public rooms and closed conversations apart', () => {
    expect(standing(room('private', ['bob', 'me']), 'me')).toBe('member');
    expect(standing(room('private', ['bob'], ['me']), 'me')).toBe('invited');
    expect(standing(room('public', ['bob']), 'me')).toBe('reader');
    expect(standing(room('direct', ['bob', 'me'], [], ['me']), 'me')).toBe('closed');
  });

  it('lists rooms one is in and public rooms one joined, never invitations nor closed conversations', () => {
    expect(listed(room('public', ['bob', 'me']), 'me')).toBe(true);
    expect(listed(room('public', ['bob']), 'me')).toBe(false);
    expect(listed(room('private', ['bob', 'me']), 'me')).toBe(true);
    expect(listed(room('private', ['bob'], ['me']), 'me')).toBe(false);
    expect(listed(room('direct', ['bob', 'me'], [], ['me']), 'me')).toBe(false);
  });

  it('opens a public room one has not joined as a preview, never an invitation nor a closed conversation', () => {
    expect(openable(room('public', ['bob']), 'me')).toBe(true);
    expect(openable(room('public', ['bob', 'me']), 'me')).toBe(true);
    expect(openable(room('private', ['bob']), 'me')).toBe(false);
    expect(openable(room('private', ['bob'], ['me']), 'me')).toBe(false);
    expect(openable(room('direct', ['bob', 'me'], [], ['me']), 'me')).toBe(false);
  });
});

describe('the people of a room', () => {
  it('names the owner as the inviter, counts invitees among the people, and offers successors longest-standing first', () => {
    const r = room('private', ['me', 'amy', 'zed'], ['bob']);
    expect(inviter(r)?.id).toBe('me');
    expect(withEveryone(r).expand?.members?.map((m) => m.id)).toEqual(['me', 'amy', 'zed', 'bob']);
    expect(successors(r, 'me').map((m) => m.id)).toEqual(['amy', 'zed']);
  });
});
