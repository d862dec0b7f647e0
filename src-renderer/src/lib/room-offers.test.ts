import { expect, it } from 'vitest';
import { roomOffers } from './room-offers.ts';
import type { ChatRoom } from './rooms.ts';

const room = (kind: ChatRoom['kind'], owner: string, members: string[]) =>
  ({ id: 'r', kind, name: 'x', owner, members, invited: [], closedBy: [] }) as unknown as ChatRoom;

it('offers the owner of a private room everything but joining', () => {
  expect(roomOffers(room('private', 'me', ['me', 'b']), 'me')).toEqual({
    rename: true,
    invite: true,
    remove: true,
    leave: true,
    join: false,
  });
});

it('offers a member only leaving, never what the owner alone may do', () => {
  expect(roomOffers(room('private', 'a', ['a', 'me']), 'me')).toEqual({
    rename: false,
    invite: false,
    remove: false,
    leave: true,
    join: false,
  });
});

it('takes no invitations for a public room: people join it themselves', () => {
  const offers = roomOffers(room('public', 'me', ['me']), 'me');
  expect(offers.invite).toBe(false);
  expect(offers.rename && offers.remove && offers.leave).toBe(true);
});

it('offers joining to someone reading a public room, and nothing else', () => {
  expect(roomOffers(room('public', 'a', ['a']), 'me')).toEqual({
    rename: false,
    invite: false,
    remove: false,
    leave: false,
    join: true,
  });
});

it('offers nothing on an ownerless room but joining or leaving, even to an empty self id', () => {
  expect(roomOffers(room('public', '', []), '')).toMatchObject({ rename: false, remove: false, join: true });
  expect(roomOffers(room('public', '', ['me']), 'me')).toMatchObject({ rename: false, remove: false, leave: true });
});

it('leaves a direct conversation as it is: no rename, invite, delete or leave (it is closed instead)', () => {
  expect(roomOffers(room('direct', 'me', ['me', 'b']), 'me')).toEqual({
    rename: false,
    invite: false,
    remove: false,
    leave: false,
    join: false,
  });
});
