// Who is in a room, as its details and the leave dialog show them. A private room or direct conversation
// carries its people (expanded with it); a public room carries only their number (rooms.ts
// `memberCount`), and its people are asked for, the first page by name (rooms-api.ts `members`).
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { RoomsApi } from './rooms-api.ts';
import type { ChatRoom } from './rooms.ts';

/** How many of a public room's people are shown at once. */
export const MEMBERS_SHOWN = 50;

/** Some of a room's people (all of them unless `total` is larger), or why they could not be had. */
export type RoomPeople = { people: UsersRecord[]; total: number } | { problem: string };

/** The members a room's record carries, in its order (longest-standing first), as expanded. */
export function expandedMembers(room: ChatRoom): UsersRecord[] {
  const byId = new Map((room.expand?.members ?? []).map((m) => [m.id, m]));
  return room.members.flatMap((id) => byId.get(id) ?? []);
}

/** A room's people: from the record, or for a public room the first page from the server. */
export async function roomPeople(
  api: Pick<RoomsApi, 'members'>,
  room: ChatRoom,
  problem: (error: unknown) => string,
): Promise<RoomPeople> {
  if (room.kind !== 'public') {
    const people = expandedMembers(room);
    return { people, total: people.length };
  }
  try {
    return await api.members(room.id, MEMBERS_SHOWN);
  } catch (error) {
    return { problem: problem(error) };
  }
}

/** The line under a list that shows fewer people than there are, or '' when it shows everyone. */
export function morePeople(shown: number, total: number): string {
  const more = total - shown;
  return more > 0 ? `and ${more} more` : '';
}
