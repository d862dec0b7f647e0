// Every request the chat makes about rooms and the people to put in them, each with a name (the
// messages' counterpart is messages-api.ts): listing, creating, the owner's changes (rename, invite,
// delete), and the routes by which people change their own place: join a public room
// (backend/public_rooms.go), accept an invitation, decline, leave and close (backend/consent.go).
// Tested against a real PocketBase in rooms-api.server.test.ts.
import type PocketBase from 'pocketbase';
import type { ListResult } from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';

export interface NewRoom {
  name: string;
  kind: 'public' | 'private' | 'direct';
  /** The creator alone: nobody is put into a room by someone else, they are invited and accept. */
  members: string[];
  /** The people asked to join. */
  invited: string[];
}

/** Rooms' member, invitee and moderator records, expanded, so names show for all. */
const ROOM_EXPAND = 'members,invited,moderators';

export interface RoomsApi {
  /** Every room the user can see, members expanded. */
  list(): Promise<ChatRoom[]>;
  /** One room by id (404 when it does not exist or the user may not see it). */
  one(id: string): Promise<ChatRoom>;
  /** A room owned by the signed-in user. */
  create(room: NewRoom): Promise<ChatRoom>;
  /** People whose username or name contains the query, the user excepted; a few at most. */
  findUsers(query: string): Promise<UsersRecord[]>;
  /** The user with this username, in any letter case (404 when there is none). */
  userByUsername(username: string): Promise<UsersRecord>;
  /** Joins a room the user was invited to (400 when they were not). */
  accept(roomId: string): Promise<void>;
  /** Turns an invitation down: the user is no longer invited (400 when they were not). */
  decline(roomId: string): Promise<void>;
  /**
   * Leaves a room. An owner hands it to `successor` (a member), or by default to the longest-standing
   * member; an owner alone deletes it. A direct conversation is closed instead (400).
   */
  leave(roomId: string, successor?: string): Promise<void>;
  /** Closes a direct conversation for the user: it leaves their list until the other person writes. */
  close(roomId: string): Promise<void>;
  /** Every public room, joined or not, by name, with its `memberCount` (`members`: the user, if they joined). */
  listPublic(): Promise<ChatRoom[]>;
  /**
   * The first `limit` people in a room, by the name shown, and how many there are: a public room's record
   * does not hold them (rooms.ts `memberCount`). 404 for a room the user may not see.
   */
  members(roomId: string, limit: number, search?: string): Promise<RoomMembersPage>;
  /** Joins a public room (400 for any other kind, or when already in it); returns it, people expanded. */
  join(roomId: string): Promise<ChatRoom>;
  /** Renames a room the user owns (a field error on `name` when the name is refused or taken). */
  rename(roomId: string, name: string): Promise<ChatRoom>;
  /** Sets who is invited to a private room the user owns: the invitations it had and the new ones. */
  setInvited(roomId: string, invited: readonly string[]): Promise<ChatRoom>;
  /** Deletes a room the user owns, with its messages. */
  remove(roomId: string): Promise<void>;
  /** The owner appoints a member as moderator (a field error on `moderators` for anyone else) or dismisses one. */
  setModerator(roomId: string, userId: string, moderator: boolean): Promise<ChatRoom>;
  /** The owner or a moderator takes a member out of a private room (backend/moderators.go). */
  removeMember(roomId: string, userId: string): Promise<void>;
}

/** A page of a room's people, and how many it has in all. */
export interface RoomMembersPage {
  people: UsersRecord[];
  total: number;
}

export const USER_SEARCH_LIMIT = 8;

export class PocketBaseRoomsApi implements RoomsApi {
  constructor(private readonly pb: PocketBase) {}

  private get selfId(): string {
    return this.pb.authStore.record?.id ?? '';
  }

  list(): Promise<ChatRoom[]> {
    return this.pb.collection('rooms').getFullList<ChatRoom>({ expand: ROOM_EXPAND, sort: 'name', requestKey: null });
  }

  one(id: string): Promise<ChatRoom> {
    return this.pb.collection('rooms').getOne<ChatRoom>(id, { expand: ROOM_EXPAND, requestKey: null });
  }

  create(room: NewRoom): Promise<ChatRoom> {
    return this.pb
      .collection('rooms')
      .create<ChatRoom>({ ...room, owner: this.selfId }, { expand: ROOM_EXPAND, requestKey: null });
  }

  async findUsers(query: string): Promise<UsersRecord[]> {
    const list = await this.pb.collection('users').getList<UsersRecord>(1, USER_SEARCH_LIMIT, {
      filter: this.pb.filter('id != {:self} && (username ~ {:q} || name ~ {:q})', { self: this.selfId, q: query }),
      sort: 'username',
      skipTotal: true,
      // A newer search cancels the one still on its way: only the latest answer matters.
      requestKey: 'user-search',
    });
    return list.items;
  }

  userByUsername(username: string): Promise<UsersRecord> {
    return this.pb
      .collection('users')
      .getFirstListItem<UsersRecord>(this.pb.filter('username:lower = {:u}', { u: username.toLowerCase() }), {
        requestKey: null,
      });
  }

  accept(roomId: string): Promise<void> {
    return this.consent(roomId, 'accept');
  }

  decline(roomId: string): Promise<void> {
    return this.consent(roomId, 'decline');
  }

  leave(roomId: string, successor?: string): Promise<void> {
    return this.consent(roomId, 'leave', successor ? { successor } : {});
  }

  close(roomId: string): Promise<void> {
    return this.consent(roomId, 'close');
  }

  listPublic(): Promise<ChatRoom[]> {
    return this.pb
      .collection('rooms')
      .getFullList<ChatRoom>({ filter: 'kind = "public"', sort: 'name', requestKey: null });
  }

  async members(roomId: string, limit: number, search?: string): Promise<RoomMembersPage> {
    // A route of its own (backend/public_room_members.go): a users filter through the rooms' members
    // relation read backwards takes seconds once everyone is in #general.
    const page = await this.pb.send<ListResult<UsersRecord>>(
      `/api/palaver/rooms/${encodeURIComponent(roomId)}/members`,
      // A search (the composer's `@` in a public room) cancels the one still on its way.
      { query: { perPage: limit, ...(search ? { search } : {}) }, requestKey: search ? 'room-members-search' : null },
    );
    return { people: page.items, total: page.totalItems };
  }

  join(roomId: string): Promise<ChatRoom> {
    return this.pb.send<ChatRoom>(`/api/palaver/rooms/${encodeURIComponent(roomId)}/join`, {
      method: 'POST',
      query: { expand: ROOM_EXPAND },
      requestKey: null,
    });
  }

  rename(roomId: string, name: string): Promise<ChatRoom> {
    return this.update(roomId, { name });
  }

  setInvited(roomId: string, invited: readonly string[]): Promise<ChatRoom> {
    return this.update(roomId, { invited: [...invited] });
  }

  async remove(roomId: string): Promise<void> {
    await this.pb.collection('rooms').delete(roomId, { requestKey: null });
  }

  setModerator(roomId: string, userId: string, moderator: boolean): Promise<ChatRoom> {
    // One id added or taken away, never the whole list: two changes at once do not undo each other.
    return this.update(roomId, { [moderator ? 'moderators+' : 'moderators-']: userId });
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.consent(roomId, 'remove', { member: userId });
  }

  private update(roomId: string, body: Record<string, unknown>): Promise<ChatRoom> {
    return this.pb.collection('rooms').update<ChatRoom>(roomId, body, { expand: ROOM_EXPAND, requestKey: null });
  }

  private async consent(roomId: string, action: string, body: Record<string, string> = {}): Promise<void> {
    await this.pb.send(`/api/palaver/rooms/${encodeURIComponent(roomId)}/${action}`, {
      method: 'POST',
      body,
      requestKey: null,
    });
  }
}

/** The rooms subscription's options: its events carry the same people as the list. */
export const ROOM_EVENT_OPTIONS = { expand: ROOM_EXPAND };
