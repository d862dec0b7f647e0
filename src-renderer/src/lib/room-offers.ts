// What a room's details offer the user, from the server's rules (backend/pb_migrations, consent.go,
// public_rooms.go): nothing is offered that the server would refuse. The owner renames and deletes a
// room and invites people to a private one (a direct conversation's people and name are fixed); members
// leave a room (a direct conversation is closed from Room options instead); anyone reading a public
// room may join it.
import type { ChatRoom } from './rooms.ts';

export interface RoomOffers {
  rename: boolean;
  invite: boolean;
  remove: boolean;
  leave: boolean;
  join: boolean;
}

export function roomOffers(room: ChatRoom, selfId: string): RoomOffers {
  // An ownerless room (`general`) has owner "": nobody signed in is its owner.
  const owner = selfId !== '' && room.owner === selfId;
  const member = room.members.includes(selfId);
  const direct = room.kind === 'direct';
  return {
    rename: owner && !direct,
    invite: owner && room.kind === 'private',
    remove: owner && !direct,
    leave: member && !direct,
    join: !member && room.kind === 'public',
  };
}
