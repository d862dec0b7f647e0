// How rooms are named and ordered in the sidebar.
import type { RoomsRecord, UsersRecord } from '../../../src-shared/pocketbase-types.ts';

export interface ChatRoom extends RoomsRecord {
  expand?: { members?: UsersRecord[] };
}

/** The other person of a direct conversation. */
export function directPartner(room: ChatRoom, selfId: string): UsersRecord | undefined {
  return room.expand?.members?.find((member) => member.id !== selfId);
}

export function roomLabel(room: ChatRoom, selfId: string): string {
  if (room.kind === 'direct') {
    const partner = directPartner(room, selfId);
    return partner ? partner.name || partner.username : 'Direct conversation';
  }
  return room.kind === 'public' ? `#${room.name}` : room.name;
}

export function sortRooms(rooms: readonly ChatRoom[], selfId: string): { channels: ChatRoom[]; direct: ChatRoom[] } {
  // By name as read, without the "#" of public rooms, so public and private rooms interleave.
  const sortName = (room: ChatRoom) => (room.kind === 'direct' ? roomLabel(room, selfId) : room.name);
  const byLabel = (a: ChatRoom, b: ChatRoom) =>
    sortName(a).localeCompare(sortName(b), undefined, { sensitivity: 'base' });
  return {
    channels: rooms.filter((r) => r.kind !== 'direct').sort(byLabel),
    direct: rooms.filter((r) => r.kind === 'direct').sort(byLabel),
  };
}
