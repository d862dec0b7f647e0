// Who may moderate a room, as the server decides it (backend/moderators.go and the messages delete rule
// of pb_migrations/1795700160_room_moderators.js): nothing is offered that the server would refuse. The
// owner and the moderators they appoint delete anyone's message and remove members of a private room,
// never the owner, and a moderator never another moderator. A direct conversation has no moderation.
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';

type RoomStaff = Pick<ChatRoom, 'kind' | 'owner' | 'moderators'>;

/** The moderators' ids (a room from before the field, or a test's, may have none). */
export function moderatorsOf(room: Pick<ChatRoom, 'moderators'>): string[] {
  return room.moderators ?? [];
}

/** The moderators as people, in the order they were appointed, as expanded. */
export function moderatorPeople(room: ChatRoom): UsersRecord[] {
  const byId = new Map((room.expand?.moderators ?? []).map((m) => [m.id, m]));
  return moderatorsOf(room).flatMap((id) => byId.get(id) ?? []);
}

/** Whether the user deletes others' messages in this room: its owner or a moderator, never in a direct conversation. */
export function moderates(room: RoomStaff | undefined, selfId: string): boolean {
  if (!room || selfId === '' || room.kind === 'direct') return false;
  return room.owner === selfId || moderatorsOf(room).includes(selfId);
}

/** Whether the owner may appoint and dismiss this room's moderators. */
export function appoints(room: RoomStaff, selfId: string): boolean {
  return selfId !== '' && room.kind !== 'direct' && room.owner === selfId;
}

/**
 * Whether the user may take `member` out of the room: a private room only (anyone can join a public one
 * again), never themself (they leave), never the owner, and another moderator only as the owner.
 */
export function removes(room: RoomStaff, selfId: string, member: string): boolean {
  if (room.kind !== 'private' || !moderates(room, selfId)) return false;
  if (member === selfId || member === room.owner) return false;
  return room.owner === selfId || !moderatorsOf(room).includes(member);
}
