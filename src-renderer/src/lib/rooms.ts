// How rooms are named and ordered in the sidebar.
import { displayName, personLabel } from '../../../src-shared/person-name.ts';
import type { RoomsRecord, UsersRecord } from '../../../src-shared/pocketbase-types.ts';

export interface ChatRoom extends RoomsRecord {
  expand?: { members?: UsersRecord[]; invited?: UsersRecord[]; moderators?: UsersRecord[] };
  /**
   * How many people joined a public room, computed by the server (backend/public_room_members.go) and
   * never written. A public room's `members` then holds only the user, if they joined it: everyone is in
   * #general, and its whole list would go with every room list and every join. Absent for other rooms,
   * whose `members` are all there.
   */
  memberCount?: number;
}

/** How many people are in a room: a public room's count from the server, else its members. */
export function memberCountOf(room: ChatRoom): number {
  return room.memberCount ?? room.members.length;
}

/** The other person of a direct conversation. */
export function directPartner(room: ChatRoom, selfId: string): UsersRecord | undefined {
  return room.expand?.members?.find((member) => member.id !== selfId);
}

/**
 * A room as a line of text. A direct conversation is its other person, named with their username
 * ("Bob (@bob)"): anyone may call themselves Bob, and this is where one decides whom one is writing to.
 */
export function roomLabel(room: ChatRoom, selfId: string): string {
  if (room.kind === 'direct') {
    const partner = directPartner(room, selfId);
    return partner ? personLabel(partner) : 'Direct conversation';
  }
  return room.kind === 'public' ? `#${room.name}` : room.name;
}

/**
 * Whether the user is in a room: joined a public room, or a member of a private room or direct
 * conversation (invited is not in yet). Reading a public room needs no joining; joining lists it.
 */
export function isJoined(room: ChatRoom, selfId: string): boolean {
  return room.members.includes(selfId);
}

/**
 * When a room last had something in it, for ordering: its newest message, or, before any, when it was
 * made (a conversation just started goes to the top). Both are the server's sortable UTC timestamps.
 */
export function lastActivity(room: ChatRoom): string {
  return room.lastMessageAt || room.created || '';
}

/** Rooms and private rooms by name; direct conversations by latest message first, then by name. */
export function sortRooms(rooms: readonly ChatRoom[], selfId: string): { channels: ChatRoom[]; direct: ChatRoom[] } {
  // By name as read, without the "#" of public rooms, so public and private rooms interleave.
  const sortName = (room: ChatRoom) => {
    if (room.kind !== 'direct') return room.name;
    const partner = directPartner(room, selfId);
    return partner ? displayName(partner) : roomLabel(room, selfId);
  };
  const byLabel = (a: ChatRoom, b: ChatRoom) =>
    sortName(a).localeCompare(sortName(b), undefined, { sensitivity: 'base' });
  return {
    channels: rooms.filter((r) => r.kind !== 'direct').sort(byLabel),
    direct: rooms
      .filter((r) => r.kind === 'direct')
      .sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)) || byLabel(a, b)),
  };
}
