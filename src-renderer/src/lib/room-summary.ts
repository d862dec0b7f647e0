// The line under a room's name in its header: what kind of room it is, how many are in it, and, where it
// matters, who can read it or who has yet to accept.
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { invitedOf } from './room-standing.ts';
import { memberCountOf, type ChatRoom } from './rooms.ts';

const members = (count: number) => `${count} ${count === 1 ? 'member' : 'members'}`;

/** `partner` is the other person of a direct conversation, when known. */
export function roomSummary(room: ChatRoom, partner: UsersRecord | undefined): string {
  if (room.kind === 'public') {
    return `Public room · ${members(memberCountOf(room))} · anyone on this server can read it`;
  }
  if (room.kind === 'private') {
    const invited = invitedOf(room).length;
    return `Private room · ${members(room.members.length)}${invited ? ` · ${invited} invited` : ''}`;
  }
  if (!partner) return 'Direct conversation';
  const waiting = invitedOf(room).includes(partner.id) ? ' · waiting for them to accept' : '';
  return `Direct conversation with @${partner.username}${waiting}`;
}
