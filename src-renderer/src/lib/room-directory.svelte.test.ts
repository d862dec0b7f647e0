import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError } from './errors.ts';
import { RoomDirectory } from './room-directory.svelte.ts';
import type { NewRoom, RoomsApi } from './rooms-api.ts';
import type { ChatRoom } from './rooms.ts';
import { notFound } from './test-messages.ts';

const user = (id: string, username: string) => ({ id, username, name: '' }) as UsersRecord;
const room = (id: string, name: string, kind: ChatRoom['kind'], members: string[]) =>
  ({
    id,
    name,
    kind,
    members,
    owner: members[0] ?? '',
    collectionId: 'r',
    collectionName: 'rooms',
  }) as unknown as ChatRoom;

/** Rooms and people in memory, answering as the server's rules would for these cases. */
class MemoryRooms implements RoomsApi {
  rooms: ChatRoom[] = [];
  users = [user('self', 'me'), user('bob', 'bob'), user('carol', 'Carol')];
  created: NewRoom[] = [];
  refuse: ClientResponseError | null = null;
  async list() {
    return this.rooms;
  }
  async one(id: string) {
    const found = this.rooms.find((r) => r.id === id);
    if (!found) throw notFound();
    return found;
  }
  async create(input: NewRoom) {
    if (this.refuse) throw this.refuse;
    this.created.push(input);
    return room(`new${this.created.length}`, input.name, input.kind, input.members);
  }
  async findUsers(query: string) {
    return this.users.filter((u) => u.id !== 'self' && u.username.toLowerCase().includes(query.toLowerCase()));
  }
  async userByUsername(username: string) {
    const found = this.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!found) throw notFound();
    return found;
  }
}

function directory() {
  const api = new MemoryRooms();
  return {
    api,
    rooms: new RoomDirectory({ api, selfId: 'self', problem: (error, action) => describeError(error, { action }) }),
  };
}

describe('RoomDirectory', () => {
  it('opens #general by default, else the first room', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('a', 'alpha', 'public', []), room('g', 'general', 'public', [])];
    await rooms.load();
    expect(rooms.defaultRoom?.id).toBe('g');
    rooms.remove('g');
    expect(rooms.defaultRoom?.id).toBe('a');
  });

  it('creates a room with the people named, in any letter case, and names the one that does not exist', async () => {
    const { api, rooms } = directory();
    const made = await rooms.create('ops', 'private', ['BOB', 'carol']);
    expect(made).toEqual({ roomId: 'new1' });
    expect(api.created[0]?.members).toEqual(['self', 'bob', 'carol']);
    expect(rooms.find('new1')?.name).toBe('ops');
    expect(await rooms.create('x', 'private', ['nobody'])).toEqual({
      problems: { members: 'There is no user named "nobody".' },
    });
    expect(api.created).toHaveLength(1);
  });

  it("puts the server's field problems next to the fields", async () => {
    const { api, rooms } = directory();
    api.refuse = new ClientResponseError({
      status: 400,
      response: { message: 'x', data: { name: { code: 'validation_not_unique', message: 'taken' } } },
    });
    expect(await rooms.create('general', 'public', [])).toEqual({ problems: { name: 'That name is taken.' } });
  });

  it('reuses the direct conversation with someone instead of starting a second one', async () => {
    const { api, rooms } = directory();
    const first = await rooms.directWith(user('bob', 'bob'));
    const again = await rooms.directWith(user('bob', 'bob'));
    expect(again).toEqual(first);
    expect(api.created).toEqual([{ name: '', kind: 'direct', members: ['self', 'bob'] }]);
    expect(rooms.label(rooms.rooms[0]!)).toBe('Direct conversation'); // members not expanded in this double
  });

  it('finds people by a trimmed query and asks nothing for an empty one', async () => {
    const { rooms } = directory();
    expect(await rooms.findUsers('   ')).toEqual([]);
    expect((await rooms.findUsers(' car ')).map((u) => u.id)).toEqual(['carol']);
  });

  it('fetches a room it did not list, and says so when it cannot be had', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('late', 'late', 'public', [])];
    await rooms.fetch('late');
    expect(rooms.find('late')).toBeDefined();
    await expect(rooms.fetch('gone')).rejects.toMatchObject({ status: 404 });
  });
});
