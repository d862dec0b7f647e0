// The rooms the user can see and how they come and go: the list (rooms one is in, public rooms one
// joined), the invitations kept apart from it, public rooms to browse, join and leave, rooms fetched by
// id (a link, a notification), rooms created (the others invited, never put in), renamed, given more
// invitations and deleted by their owner, direct conversations started, accepted, declined, left, closed
// and blocked, and the people one can find to start them with. Room events from the server are applied
// here too, and each new message's time, which orders direct conversations.
import { SvelteSet } from 'svelte/reactivity';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { Blocklist, Outcome } from './blocklist.svelte.ts';
import type { RoomsApi } from './rooms-api.ts';
import { later, newInvitees, publicRoomEntries, withPeopleField } from './room-changes.ts';
import { roomPeople } from './room-people.ts';
import type { BrowseResult, FieldOutcome } from './room-changes.ts';
import { directPartner, roomLabel, type ChatRoom } from './rooms.ts';
import { closedByOf, invitedOf, listed, openable, standing, withEveryone } from './room-standing.ts';

export type { BrowseResult, FieldOutcome, PublicRoomEntry } from './room-changes.ts';

export type CreateRoomResult = { roomId: string } | { problems: Record<string, string> };
export type DirectResult = { roomId: string } | { problem: string };

export interface RoomDirectoryDeps {
  api: RoomsApi;
  selfId: string;
  /** What went wrong, field by field where the server named fields. */
  problem(error: unknown, action: string): { message: string; fields: Record<string, string> };
  /** The people the user blocked: loaded with the rooms, and blocked from a direct conversation. */
  blocks: Pick<Blocklist, 'block' | 'load'>;
  /** A room the user declined, left or closed has left their list: forget it, open another if it was open. */
  gone(roomId: string): void;
}

export class RoomDirectory {
  /** Every room the server shows the user: listed ones, invitations and closed conversations. */
  rooms = $state.raw<ChatRoom[]>([]);
  /** Rooms changed while the list was loading (their copy here is newer than the list's), or null. */
  private changedDuringLoad: Set<string> | null = null;
  /** Closed conversations the user went back to this session (the server reopens one when the other writes). */
  private readonly reopened = new SvelteSet<string>();
  /** The room list: rooms the user is in (public ones they joined), and closed conversations they went back to. */
  readonly listed = $derived(this.rooms.filter((r) => listed(r, this.deps.selfId) || this.reopened.has(r.id)));
  /** Rooms someone else asked the user into, not joined until accepted. */
  readonly invitations = $derived(this.rooms.filter((r) => standing(r, this.deps.selfId) === 'invited'));

  constructor(private readonly deps: RoomDirectoryDeps) {}

  async load(): Promise<void> {
    const changed = (this.changedDuringLoad = new Set());
    // Blocks come with the rooms: after a reconnect, both may have changed on another device.
    const [rooms] = await Promise.all([this.deps.api.list(), this.deps.blocks.load()]);
    if (this.changedDuringLoad === changed) this.changedDuringLoad = null;
    // A room created, changed or gone while the list was on its way is newer than the list: a room
    // just created and opened must not vanish because the list was read a moment before it existed.
    const current = new Map(this.rooms.map((room) => [room.id, room]));
    // A message that arrived meanwhile is newer than the list's lastMessageAt: keep the later one.
    const untouched = rooms
      .filter((room) => !changed.has(room.id))
      .map((room) => later(room, current.get(room.id)?.lastMessageAt));
    this.rooms = [...untouched, ...[...changed].flatMap((id) => current.get(id) ?? [])];
  }

  /** A new message arrived in a room at `created` (server time): it orders direct conversations. */
  touched(roomId: string, created: string): void {
    const room = this.find(roomId);
    if (room && later(room, created) !== room) this.rooms = this.rooms.map((r) => (r === room ? later(r, created) : r));
  }

  find(roomId: string): ChatRoom | undefined {
    return this.rooms.find((room) => room.id === roomId);
  }

  /** Adds a room to the list, or replaces the copy we had. */
  upsert(room: ChatRoom): void {
    this.changedDuringLoad?.add(room.id);
    this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
  }

  /** The room is gone for the user (deleted, or they may no longer see it): out of every list here. */
  forget(roomId: string): void {
    this.changedDuringLoad?.add(roomId);
    this.rooms = this.rooms.filter((r) => r.id !== roomId);
  }

  /** A room to open that is not in the list yet (a link, a notification): throws when it cannot be opened. */
  async fetchListed(roomId: string): Promise<ChatRoom> {
    const room = await this.fetch(roomId);
    if (standing(room, this.deps.selfId) === 'invited') {
      throw new Error('you are invited to it. Accept the invitation under “Invitations” to open it.');
    }
    if (standing(room, this.deps.selfId) === 'closed') this.reopened.add(room.id);
    return room;
  }

  /** A room not in the list (created after it loaded, or one we may not see): throws when it cannot be had. */
  async fetch(roomId: string): Promise<ChatRoom> {
    const room = await this.deps.api.one(roomId);
    this.upsert(room);
    return room;
  }

  /** A room in the list (not an invitation, nor a closed conversation, nor a public room not joined). */
  findListed(roomId: string): ChatRoom | undefined {
    return this.listed.find((room) => room.id === roomId);
  }

  /** A room that may be open: a listed one, or a public room read without joining it (a preview). */
  findOpenable(roomId: string): ChatRoom | undefined {
    const room = this.find(roomId);
    return room && (openable(room, this.deps.selfId) || this.reopened.has(roomId)) ? room : undefined;
  }

  /** Where the app goes by default: #general, else the first listed room, else a preview of #general. */
  get defaultRoom(): ChatRoom | undefined {
    const general = (r: ChatRoom) => r.kind === 'public' && r.name === 'general';
    return this.listed.find(general) ?? this.listed[0] ?? this.rooms.find(general);
  }

  /** Every public room, joined or not, with how many people joined it, for `Browse rooms`. */
  async browse(): Promise<BrowseResult> {
    try {
      return { rooms: publicRoomEntries(await this.deps.api.listPublic(), this.deps.selfId) };
    } catch (error) {
      return { problem: this.deps.problem(error, 'list the public rooms').message };
    }
  }

  /** Joins a public room: it goes into the room list. The caller opens it. */
  async join(room: ChatRoom): Promise<Outcome> {
    try {
      this.upsert(await this.deps.api.join(room.id));
      return { ok: true };
    } catch (error) {
      return { problem: this.deps.problem(error, 'join the room').message };
    }
  }

  /** Renames a room the user owns. */
  rename(room: ChatRoom, name: string): Promise<FieldOutcome> {
    return this.change('rename the room', () => this.deps.api.rename(room.id, name));
  }

  /** Invites more people to a private room the user owns; they join by accepting. */
  invite(room: ChatRoom, people: readonly UsersRecord[]): Promise<FieldOutcome> {
    if (room.kind !== 'private') {
      const problem = 'Only a private room takes invitations: anyone can join a public room from Browse rooms.';
      return Promise.resolve({ problem, fields: { invited: problem } });
    }
    const added = newInvitees(room, people);
    if (added.length === 0) return Promise.resolve({ ok: true });
    return this.change('invite them', () => this.deps.api.setInvited(room.id, [...invitedOf(room), ...added]));
  }

  /** Deletes a room the user owns, with its messages, for everyone. */
  async remove(room: ChatRoom): Promise<Outcome> {
    try {
      await this.deps.api.remove(room.id);
    } catch (error) {
      return { problem: this.deps.problem(error, 'delete the room').message };
    }
    this.reopened.delete(room.id);
    this.forget(room.id);
    this.deps.gone(room.id);
    return { ok: true };
  }

  /** The owner appoints (`moderator`) or dismisses a moderator; the room as it is now. */
  setModerator(room: ChatRoom, userId: string, moderator: boolean): Promise<FieldOutcome> {
    const action = moderator ? 'make them a moderator' : 'dismiss the moderator';
    return this.change(action, () => this.deps.api.setModerator(room.id, userId, moderator));
  }

  /** The owner or a moderator takes someone out of a private room; the room's event brings the rest. */
  async removeMember(room: ChatRoom, userId: string): Promise<Outcome> {
    try {
      await this.deps.api.removeMember(room.id, userId);
    } catch (error) {
      return { problem: this.deps.problem(error, 'remove them').message };
    }
    const without = (ids: string[] | undefined) => (ids ?? []).filter((id) => id !== userId);
    this.upsert({ ...room, members: without(room.members), moderators: without(room.moderators) });
    return { ok: true };
  }

  /** An owner's change to a room, with the server's refusals mapped onto the form's fields. */
  private async change(action: string, request: () => Promise<ChatRoom>): Promise<FieldOutcome> {
    try {
      this.upsert(await request());
      return { ok: true };
    } catch (error) {
      const { message, fields } = this.deps.problem(error, action);
      return { problem: message, fields: withPeopleField(fields) };
    }
  }

  // Invitees count as the people a room is with: a direct conversation is named after the other
  // person from the moment it is started, not from the moment they accept.
  label(room: ChatRoom): string {
    return roomLabel(withEveryone(room), this.deps.selfId);
  }

  partner(room: ChatRoom): UsersRecord | undefined {
    return directPartner(withEveryone(room), this.deps.selfId);
  }

  /** Who is in a room: a public room's first page comes from the server (room-people.ts). */
  people = (room: ChatRoom) => roomPeople(this.deps.api, room, (e) => this.deps.problem(e, 'list its members').message);
  /** People by name: anyone on the server, or (`inRoom`) a room's members, as `@` in a public room offers. */
  findUsers(query: string, inRoom?: string): Promise<UsersRecord[]> {
    const q = query.trim();
    if (q === '') return Promise.resolve([]);
    return inRoom ? this.deps.api.members(inRoom, 8, q).then((page) => page.people) : this.deps.api.findUsers(q);
  }

  /**
   * Creates a room; returns its id, or field problems for the dialog. The caller opens the room once
   * its dialog is closed (a modal dialog makes the composer behind it unreachable).
   */
  async create(
    name: string,
    kind: 'public' | 'private',
    inviteUsernames: readonly string[],
  ): Promise<CreateRoomResult> {
    const invited: string[] = [];
    for (const username of inviteUsernames) {
      try {
        const id = (await this.deps.api.userByUsername(username)).id;
        if (id !== this.deps.selfId && !invited.includes(id)) invited.push(id);
      } catch {
        return { problems: { invited: `There is no user named "${username}".` } };
      }
    }
    try {
      const room = await this.deps.api.create({ name, kind, members: [this.deps.selfId], invited });
      this.upsert(room);
      return { roomId: room.id };
    } catch (error) {
      const { fields, message } = this.deps.problem(error, 'create the room');
      const problems = withPeopleField(fields);
      return { problems: Object.keys(problems).length ? problems : { name: message } };
    }
  }

  /** The direct conversation with a user, created the first time; returns its id or a problem. */
  async directWith(user: UsersRecord): Promise<DirectResult> {
    const self = this.deps.selfId;
    const existing = this.rooms.find((r) => {
      const people = [...r.members, ...invitedOf(r)];
      return r.kind === 'direct' && people.includes(user.id) && people.includes(self);
    });
    if (existing && standing(existing, self) === 'closed') this.reopened.add(existing.id);
    if (existing && standing(existing, self) === 'invited') {
      // They wrote first: starting the conversation with them is accepting theirs.
      const accepted = await this.accept(existing);
      return 'problem' in accepted ? accepted : { roomId: existing.id };
    }
    if (existing) return { roomId: existing.id };
    try {
      const room = await this.deps.api.create({ name: '', kind: 'direct', members: [self], invited: [user.id] });
      this.upsert(room);
      return { roomId: room.id };
    } catch (error) {
      const { fields, message } = this.deps.problem(error, 'start the conversation');
      return { problem: fields.invited ?? fields.members ?? message };
    }
  }

  /** Joins a room the user was invited to; the caller opens it. */
  async accept(room: ChatRoom): Promise<Outcome> {
    try {
      await this.deps.api.accept(room.id);
    } catch (error) {
      return { problem: this.deps.problem(error, 'accept the invitation').message };
    }
    const self = this.deps.selfId;
    // Joined now, whether or not the refreshed copy (or the room event) has arrived yet.
    const invited = invitedOf(room).filter((id) => id !== self);
    this.upsert({ ...room, members: [...room.members, self], invited } as ChatRoom);
    await this.fetch(room.id).catch(() => undefined);
    return { ok: true };
  }

  decline(room: ChatRoom): Promise<Outcome> {
    return this.leaving(room, 'decline the invitation', () => this.deps.api.decline(room.id));
  }

  /** Leaves a room; an owner names who takes it over (the server picks the longest-standing member if not). */
  leave(room: ChatRoom, successor?: string): Promise<Outcome> {
    return this.leaving(room, 'leave the room', () => this.deps.api.leave(room.id, successor));
  }

  /** Closes a direct conversation: it leaves the list until the other person writes again. */
  close(room: ChatRoom): Promise<Outcome> {
    return this.leaving(room, 'close the conversation', () => this.deps.api.close(room.id));
  }

  /** Blocks the other person of a direct conversation and closes it: their messages no longer reach the user. */
  async blockPartner(room: ChatRoom): Promise<Outcome> {
    const partner = this.partner(room);
    if (!partner) return { problem: 'Could not block: this conversation has nobody else in it.' };
    const blocked = await this.deps.blocks.block(partner.id);
    return 'problem' in blocked ? blocked : this.close(room);
  }

  private async leaving(room: ChatRoom, action: string, request: () => Promise<void>): Promise<Outcome> {
    try {
      await request();
    } catch (error) {
      return { problem: this.deps.problem(error, action).message };
    }
    this.reopened.delete(room.id);
    const self = this.deps.selfId;
    const closed = room.kind === 'direct' && standing(room, self) !== 'invited';
    if (closed) this.upsert({ ...room, closedBy: [...closedByOf(room), self] } as ChatRoom);
    // A public room stays readable by everyone after its members left, unless it was deleted with them.
    else if (room.kind === 'public') await this.fetch(room.id).catch(() => this.forget(room.id));
    else this.forget(room.id);
    this.deps.gone(room.id);
    return { ok: true };
  }
}
