// How rooms are named and ordered in the sidebar.
import { displayName, personLabel } from '../../../src-shared/person-name.ts';
import type { RoomsRecord, UsersRecord } from '../../../src-shared/pocketbase-types.ts';

export interface ChatRoom extends RoomsRecord {
  expand?: { members?: UsersRecord[]; invited?: UsersRecord[] };
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
    direct: rooms.filter((r) => r.kind === 'direct').sort(byLabel),
  };
}
