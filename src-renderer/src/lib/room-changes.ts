// Pure rules behind the room directory's changes (room-directory.svelte.ts): how a public room shows in
// `Browse rooms`, whom an invitation adds, how the server's field errors map onto a form's fields, and
// which copy of a room knows its latest message.
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { isJoined, memberCountOf, type ChatRoom } from './rooms.ts';
import { invitedOf } from './room-standing.ts';

/** A change refused by the server: what went wrong, and field by field (`name`, `invited`) where it said. */
export type FieldOutcome = { ok: true } | { problem: string; fields: Record<string, string> };

/** A public room as `Browse rooms` shows it. */
export interface PublicRoomEntry {
  room: ChatRoom;
  name: string;
  memberCount: number;
  /** The user joined it: it is in their room list. */
  joined: boolean;
}

export type BrowseResult = { rooms: PublicRoomEntry[] } | { problem: string };

export function publicRoomEntries(rooms: readonly ChatRoom[], selfId: string): PublicRoomEntry[] {
  return rooms
    .filter((room) => room.kind === 'public')
    .map((room) => ({ room, name: room.name, memberCount: memberCountOf(room), joined: isJoined(room, selfId) }));
}

/** The people to invite who are neither in the room nor invited yet, in the order given. */
export function newInvitees(room: ChatRoom, people: readonly Pick<UsersRecord, 'id'>[]): string[] {
  const invited = invitedOf(room);
  const ids = people.map((p) => p.id).filter((id) => !room.members.includes(id) && !invited.includes(id));
  return [...new Set(ids)];
}

/**
 * The server's field errors as a form shows them: it names `members` or `invited` for people it will
 * not take, and both mean the form's people field, `invited`.
 */
export function withPeopleField(fields: Record<string, string>): Record<string, string> {
  const { members, invited, ...rest } = fields;
  const people = invited ?? members;
  return people ? { ...rest, invited: people } : rest;
}

/** The room with the later of its own lastMessageAt and `at` (the server's sortable UTC timestamps). */
export function later(room: ChatRoom, at: string | undefined): ChatRoom {
  return at && at > (room.lastMessageAt ?? '') ? { ...room, lastMessageAt: at } : room;
}
