import { expect, it } from 'vitest';
import { later, newInvitees, publicRoomEntries, withPeopleField } from './room-changes.ts';
import type { ChatRoom } from './rooms.ts';

const room = (kind: ChatRoom['kind'], members: string[], invited: string[] = [], lastMessageAt = '') =>
  ({ id: `${kind}-${members.join('')}`, name: kind, kind, members, invited, lastMessageAt }) as unknown as ChatRoom;

it('shows only public rooms to browse, with how many joined and whether the user did', () => {
  const entries = publicRoomEntries([room('public', ['a', 'me']), room('public', []), room('private', ['me'])], 'me');
  expect(entries.map(({ memberCount, joined }) => [memberCount, joined])).toEqual([
    [2, true],
    [0, false],
  ]);
});

it('counts a public room’s people by the server’s memberCount: its members hold only the user', () => {
  const big = { ...room('public', ['me']), memberCount: 1000 } as ChatRoom;
  const other = { ...room('public', []), memberCount: 7 } as ChatRoom;
  expect(publicRoomEntries([big, other], 'me').map(({ memberCount, joined }) => [memberCount, joined])).toEqual([
    [1000, true],
    [7, false],
  ]);
});

it('invites only people neither in the room nor invited yet, each once', () => {
  const r = room('private', ['me', 'bob'], ['carol']);
  expect(newInvitees(r, [{ id: 'bob' }, { id: 'carol' }, { id: 'dave' }, { id: 'dave' }, { id: 'eve' }])).toEqual([
    'dave',
    'eve',
  ]);
  expect(newInvitees(r, [{ id: 'me' }])).toEqual([]);
});

it('puts the server’s refusals of people, on members or invited, under the form’s people field', () => {
  expect(withPeopleField({ members: 'no', name: 'bad' })).toEqual({ invited: 'no', name: 'bad' });
  expect(withPeopleField({ members: 'm', invited: 'i' })).toEqual({ invited: 'i' });
  expect(withPeopleField({ name: 'bad' })).toEqual({ name: 'bad' });
});

it('keeps the later latest-message time, and the same room when nothing changes', () => {
  const r = room('direct', ['me', 'bob'], [], '2026-01-02 00:00:00.000Z');
  expect(later(r, '2026-01-01 00:00:00.000Z')).toBe(r);
  expect(later(r, undefined)).toBe(r);
  expect(later(r, '2026-01-03 00:00:00.000Z').lastMessageAt).toBe('2026-01-03 00:00:00.000Z');
  expect(later(room('direct', ['me']), '2026-01-01 00:00:00.000Z').lastMessageAt).toBe('2026-01-01 00:00:00.000Z');
});
