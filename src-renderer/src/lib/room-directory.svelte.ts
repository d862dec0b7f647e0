// The rooms the user can see and how they come and go: the list, rooms fetched by id (a link, a
// notification), rooms created, direct conversations started, and the people one can find to start
// them with. Room events from the server are applied here too.
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { RoomsApi } from './rooms-api.ts';
import { directPartner, roomLabel, type ChatRoom } from './rooms.ts';

export type CreateRoomResult = { roomId: string } | { problems: Record<string, string> };
export type DirectResult = { roomId: string } | { problem: string };

export interface RoomDirectoryDeps {
  api: RoomsApi;
  selfId: string;
  /** What went wrong, field by field where the server named fields. */
  problem(error: unknown, action: string): { message: string; fields: Record<string, string> };
}

export class RoomDirectory {
  rooms = $state.raw<ChatRoom[]>([]);

  constructor(private readonly deps: RoomDirectoryDeps) {}

  async load(): Promise<void> {
    this.rooms = await this.deps.api.list();
  }

  find(roomId: string): ChatRoom | undefined {
    return this.rooms.find((room) => room.id === roomId);
  }

  /** Adds a room to the list, or replaces the copy we had. */
  upsert(room: ChatRoom): void {
    this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
  }

  remove(roomId: string): void {
    this.rooms = this.rooms.filter((r) => r.id !== roomId);
  }

  /** A room not in the list (created after it loaded, or one we may not see): throws when it cannot be had. */
  async fetch(roomId: string): Promise<ChatRoom> {
    const room = await this.deps.api.one(roomId);
    this.upsert(room);
    return room;
  }

  /** Where the app goes when no particular room was asked for: #general, else the first room. */
  get defaultRoom(): ChatRoom | undefined {
    return this.rooms.find((r) => r.name === 'general') ?? this.rooms[0];
  }

  label(room: ChatRoom): string {
    return roomLabel(room, this.deps.selfId);
  }

  partner(room: ChatRoom): UsersRecord | undefined {
    return directPartner(room, this.deps.selfId);
  }

  findUsers(query: string): Promise<UsersRecord[]> {
    const q = query.trim();
    return q === '' ? Promise.resolve([]) : this.deps.api.findUsers(q);
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
    const members = [this.deps.selfId];
    for (const username of inviteUsernames) {
      try {
        members.push((await this.deps.api.userByUsername(username)).id);
      } catch {
        return { problems: { members: `There is no user named "${username}".` } };
      }
    }
    try {
      const room = await this.deps.api.create({ name, kind, members });
      this.upsert(room);
      return { roomId: room.id };
    } catch (error) {
      const problem = this.deps.problem(error, 'create the room');
      return { problems: Object.keys(problem.fields).length ? problem.fields : { name: problem.message } };
    }
  }

  /** The direct conversation with a user, created the first time; returns its id or a problem. */
  async directWith(user: UsersRecord): Promise<DirectResult> {
    const self = this.deps.selfId;
    const existing = this.rooms.find(
      (r) => r.kind === 'direct' && r.members.includes(user.id) && r.members.includes(self),
    );
    if (existing) return { roomId: existing.id };
    try {
      const room = await this.deps.api.create({ name: '', kind: 'direct', members: [self, user.id] });
      this.upsert(room);
      return { roomId: room.id };
    } catch (error) {
      return { problem: this.deps.problem(error, 'start the conversation').message };
    }
  }
}
