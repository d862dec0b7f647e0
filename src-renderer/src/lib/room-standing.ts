// Where the user stands with a room, from its member lists alone: a member (of a public room: joined it),
// invited (asked by someone else, not joined until they accept), a reader of a public room they have not
// joined, or someone who closed a direct conversation (it stays out of their list until the other person
// writes again).
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';

export type Standing = 'member' | 'invited' | 'closed' | 'reader';

/** The fields that rooms gained with invitations and closing; absent on records from before them. */
type ConsentFields = { invited?: string[]; closedBy?: string[]; expand?: { invited?: UsersRecord[] } };

export function invitedOf(room: ChatRoom): string[] {
  return (room as ConsentFields).invited ?? [];
}

export function closedByOf(room: ChatRoom): string[] {
  return (room as ConsentFields).closedBy ?? [];
}

export function standing(room: ChatRoom, selfId: string): Standing {
  if (room.members.includes(selfId)) return closedByOf(room).includes(selfId) ? 'closed' : 'member';
  if (invitedOf(room).includes(selfId)) return 'invited';
  return 'reader';
}

/**
 * Shown in the room list: rooms one is in (public rooms one joined included), not invitations, closed
 * conversations, nor public rooms one only reads (those are found under Browse rooms).
 */
export function listed(room: ChatRoom, selfId: string): boolean {
  return standing(room, selfId) === 'member';
}

/** May be open in the conversation pane: a listed room, or a public room read without joining (a preview). */
export function openable(room: ChatRoom, selfId: string): boolean {
  return listed(room, selfId) || (room.kind === 'public' && standing(room, selfId) === 'reader');
}

/** Members and invitees together, as expanded: whom a room is with, whether or not they accepted yet. */
export function withEveryone(room: ChatRoom): ChatRoom {
  const invited = (room as ConsentFields).expand?.invited;
  if (!invited?.length) return room;
  return { ...room, expand: { ...room.expand, members: [...(room.expand?.members ?? []), ...invited] } };
}

/** Who invited the user: the owner, the only one who may invite. */
export function inviter(room: ChatRoom): UsersRecord | undefined {
  return room.expand?.members?.find((m) => m.id === room.owner);
}

/** The members an owner may hand the room to, longest-standing first (the server's default choice). */
export function successors(room: ChatRoom, selfId: string): UsersRecord[] {
  const people = new Map((room.expand?.members ?? []).map((m) => [m.id, m]));
  return room.members.filter((id) => id !== selfId).flatMap((id) => people.get(id) ?? []);
}
