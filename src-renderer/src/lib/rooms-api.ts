// Every request the chat makes about rooms and the people to put in them, each with a name (the
// messages' counterpart is messages-api.ts). Tested against a real PocketBase in rooms-api.server.test.ts.
import type PocketBase from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';

export interface NewRoom {
  name: string;
  kind: 'public' | 'private' | 'direct';
  members: string[];
}

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
}

export const USER_SEARCH_LIMIT = 8;

export class PocketBaseRoomsApi implements RoomsApi {
  constructor(private readonly pb: PocketBase) {}

  private get selfId(): string {
    return this.pb.authStore.record?.id ?? '';
  }

  list(): Promise<ChatRoom[]> {
    return this.pb.collection('rooms').getFullList<ChatRoom>({ expand: 'members', sort: 'name', requestKey: null });
  }

  one(id: string): Promise<ChatRoom> {
    return this.pb.collection('rooms').getOne<ChatRoom>(id, { expand: 'members', requestKey: null });
  }

  create(room: NewRoom): Promise<ChatRoom> {
    return this.pb
      .collection('rooms')
      .create<ChatRoom>({ ...room, owner: this.selfId }, { expand: 'members', requestKey: null });
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
}
