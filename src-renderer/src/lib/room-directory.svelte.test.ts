import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError } from './errors.ts';
import { RoomDirectory } from './room-directory.svelte.ts';
import type { NewRoom, RoomsApi } from './rooms-api.ts';
import type { ChatRoom } from './rooms.ts';
import { notFound } from './test-messages.ts';

const user = (id: string, username: string) => ({ id, username, name: '' }) as UsersRecord;
const room = (id: string, name: string, kind: ChatRoom['kind'], members: string[], invited: string[] = []) =>
  ({
    id,
    name,
    kind,
    members,
    invited,
    closedBy: [],
    owner: members[0] ?? '',
    collectionId: 'r',
    collectionName: 'rooms',
  }) as unknown as ChatRoom;
const invitedOf = (r: ChatRoom | undefined) => (r as { invited?: string[] } | undefined)?.invited;

/** Rooms and people in memory, answering as the server's rules and consent routes would for these cases. */
class MemoryRooms implements RoomsApi {
  rooms: ChatRoom[] = [];
  users = [user('self', 'me'), user('bob', 'bob'), user('carol', 'Carol')];
  created: NewRoom[] = [];
  /** Consent requests made: `accept r1`, `leave r1 bob`… */
  calls: string[] = [];
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
    const made = room(`new${this.created.length}`, input.name, input.kind, input.members, input.invited);
    this.rooms.push(made);
    return made;
  }
  private consent(call: string, roomId: string, change: (r: ChatRoom) => ChatRoom | null) {
    if (this.refuse) throw this.refuse;
    this.calls.push(call);
    const found = this.rooms.find((r) => r.id === roomId);
    if (!found) throw notFound();
    const changed = change(found);
    this.rooms = this.rooms.flatMap((r) => (r.id !== roomId ? [r] : changed ? [changed] : []));
  }
  async accept(id: string) {
    this.consent(`accept ${id}`, id, (r) => ({ ...r, members: [...r.members, 'self'], invited: [] }) as ChatRoom);
  }
  async decline(id: string) {
    this.consent(`decline ${id}`, id, () => null);
  }
  async leave(id: string, successor?: string) {
    this.consent(`leave ${id}${successor ? ` ${successor}` : ''}`, id, (r) =>
      r.kind === 'public' && r.members.length > 1 ? { ...r, members: r.members.filter((m) => m !== 'self') } : null,
    );
  }
  async close(id: string) {
    this.consent(`close ${id}`, id, (r) => ({ ...r, closedBy: ['self'] }) as ChatRoom);
  }
  async listPublic() {
    return this.rooms.filter((r) => r.kind === 'public');
  }
  async join(id: string) {
    this.consent(`join ${id}`, id, (r) => ({ ...r, members: [...r.members, 'self'] }) as ChatRoom);
    return this.one(id);
  }
  async rename(id: string, name: string) {
    this.consent(`rename ${id} ${name}`, id, (r) => ({ ...r, name }) as ChatRoom);
    return this.one(id);
  }
  async setInvited(id: string, invited: readonly string[]) {
    this.consent(`invite ${id} ${invited.join(',')}`, id, (r) => ({ ...r, invited: [...invited] }) as ChatRoom);
    return this.one(id);
  }
  async remove(id: string) {
    this.consent(`delete ${id}`, id, () => null);
  }
  async setModerator(id: string, user: string, moderator: boolean) {
    this.consent(`moderator ${id} ${user} ${moderator}`, id, (r) => {
      const others = (r.moderators ?? []).filter((m) => m !== user);
      return { ...r, moderators: moderator ? [...others, user] : others } as ChatRoom;
    });
    return this.one(id);
  }
  async removeMember(id: string, user: string) {
    this.consent(
      `remove ${id} ${user}`,
      id,
      (r) => ({ ...r, members: r.members.filter((m) => m !== user) }) as ChatRoom,
    );
  }
  async members(id: string, limit: number) {
    const people = this.users.filter((u) => (this.rooms.find((r) => r.id === id)?.members ?? []).includes(u.id));
    return { people: people.slice(0, limit), total: people.length };
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
  const gone: string[] = [];
  const blocked: string[] = [];
  const blocks = {
    load: async () => undefined,
    block: async (id: string) => (blocked.push(id), { ok: true as const }),
  };
  const problem = (error: unknown, action: string) => describeError(error, { action });
  const rooms = new RoomDirectory({ api, selfId: 'self', problem, blocks, gone: (id) => gone.push(id) });
  return { api, rooms, gone, blocked };
}

const refusal = (message: string, data: object = {}) =>
  new ClientResponseError({ status: 400, response: { message, data } });

describe('RoomDirectory', () => {
  it('opens #general by default, else the first room joined, else a preview of #general', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('a', 'alpha', 'public', ['self']), room('g', 'general', 'public', ['self'])];
    await rooms.load();
    expect(rooms.defaultRoom?.id).toBe('g');
    rooms.forget('g');
    expect(rooms.defaultRoom?.id).toBe('a');
    api.rooms = [room('a', 'alpha', 'public', ['bob']), room('g', 'general', 'public', ['bob'])];
    await rooms.load();
    expect(rooms.listed).toEqual([]);
    expect(rooms.defaultRoom?.id).toBe('g');
    expect(rooms.findOpenable('g')).toBeDefined();
  });

  it('creates a room with the people named invited, not put in, and names the one that does not exist', async () => {
    const { api, rooms } = directory();
    const made = await rooms.create('ops', 'private', ['BOB', 'carol', 'bob', 'me']);
    expect(made).toEqual({ roomId: 'new1' });
    expect(api.created[0]).toMatchObject({ members: ['self'], invited: ['bob', 'carol'] });
    expect(rooms.find('new1')?.name).toBe('ops');
    expect(rooms.listed.map((r) => r.id)).toEqual(['new1']);
    expect(await rooms.create('x', 'private', ['nobody'])).toEqual({
      problems: { invited: 'There is no user named "nobody".' },
    });
    expect(api.created).toHaveLength(1);
  });

  it('puts a person the server will not take next to the invite field, in its words', async () => {
    const { api, rooms } = directory();
    api.refuse = refusal('x', { members: { code: 'validation_blocked', message: "You can't add this person." } });
    expect(await rooms.create('ops', 'private', ['bob'])).toEqual({
      problems: { invited: "You can't add this person." },
    });
    expect(await rooms.directWith(user('bob', 'bob'))).toEqual({ problem: "You can't add this person." });
  });

  it('keeps invitations apart from the room list, and never opens one by default', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('inv', 'aaa-invite', 'private', ['bob'], ['self']), room('mine', 'mine', 'private', ['self'])];
    await rooms.load();
    expect(rooms.invitations.map((r) => r.id)).toEqual(['inv']);
    expect(rooms.listed.map((r) => r.id)).toEqual(['mine']);
    expect(rooms.defaultRoom?.id).toBe('mine');
    expect(rooms.findListed('inv')).toBeUndefined();
    await expect(rooms.fetchListed('inv')).rejects.toThrow('Accept the invitation');
  });

  it('accepting joins the room: it moves from the invitations to the list', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('inv', 'plans', 'private', ['bob'], ['self'])];
    await rooms.load();
    expect(await rooms.accept(rooms.invitations[0]!)).toEqual({ ok: true });
    expect(api.calls).toEqual(['accept inv']);
    expect(rooms.invitations).toEqual([]);
    expect(rooms.findListed('inv')?.members).toEqual(['bob', 'self']);
  });

  it('declining, leaving and closing take the room out of the list and say it is gone', async () => {
    const { api, rooms, gone } = directory();
    api.rooms = [
      room('inv', 'plans', 'private', ['bob'], ['self']),
      room('team', 'team', 'private', ['self', 'bob']),
      room('dm', '', 'direct', ['bob', 'self']),
    ];
    await rooms.load();
    await rooms.decline(rooms.find('inv')!);
    await rooms.leave(rooms.find('team')!, 'bob');
    await rooms.close(rooms.find('dm')!);
    expect(api.calls).toEqual(['decline inv', 'leave team bob', 'close dm']);
    expect(gone).toEqual(['inv', 'team', 'dm']);
    expect(rooms.listed).toEqual([]);
    expect(rooms.invitations).toEqual([]);
    // The closed conversation is still known, so starting it again reopens it instead of making a second.
    expect(await rooms.directWith(user('bob', 'bob'))).toEqual({ roomId: 'dm' });
    expect(rooms.findListed('dm')).toBeDefined();
    expect(api.created).toEqual([]);
  });

  it('a public room left leaves the list but stays readable, unless leaving deleted it', async () => {
    const { api, rooms, gone } = directory();
    api.rooms = [room('busy', 'busy', 'public', ['self', 'bob']), room('solo', 'solo', 'public', ['self'])];
    await rooms.load();
    await rooms.leave(rooms.find('busy')!);
    await rooms.leave(rooms.find('solo')!);
    expect(rooms.listed).toEqual([]);
    expect(gone).toEqual(['busy', 'solo']);
    expect(rooms.findOpenable('busy')?.members).toEqual(['bob']);
    expect(rooms.findOpenable('solo')).toBeUndefined();
  });

  it('browses every public room with its member count, and joining one lists it', async () => {
    const { api, rooms } = directory();
    api.rooms = [
      room('g', 'general', 'public', ['self', 'bob']),
      room('r', 'random', 'public', ['bob', 'carol', 'dave']),
      room('p', 'secret', 'private', ['self']),
    ];
    await rooms.load();
    const browsed = await rooms.browse();
    expect(
      'rooms' in browsed && browsed.rooms.map(({ name, memberCount, joined }) => [name, memberCount, joined]),
    ).toEqual([
      ['general', 2, true],
      ['random', 3, false],
    ]);
    expect(rooms.findListed('r')).toBeUndefined();
    expect(await rooms.join(rooms.find('r')!)).toEqual({ ok: true });
    expect(api.calls).toEqual(['join r']);
    expect(rooms.findListed('r')?.members).toEqual(['bob', 'carol', 'dave', 'self']);
  });

  it('asks the server who is in a public room, and says what failed', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('g', 'general', 'public', ['self', 'bob'])];
    await rooms.load();
    const people = await rooms.people(rooms.find('g')!);
    expect('people' in people && [people.people.map((p) => p.id), people.total]).toEqual([['self', 'bob'], 2]);
    api.members = () => Promise.reject(refusal('The server is busy.'));
    expect(await rooms.people(rooms.find('g')!)).toEqual({ problem: 'The server is busy.' });
  });

  it('says why browsing or joining failed, and lists nothing it did not join', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('r', 'random', 'public', ['bob'])];
    await rooms.load();
    api.refuse = refusal('You are already in this room.');
    expect(await rooms.join(rooms.find('r')!)).toEqual({ problem: 'You are already in this room.' });
    expect(rooms.listed).toEqual([]);
    api.listPublic = () => Promise.reject(new TypeError('Failed to fetch'));
    const browsed = await rooms.browse();
    expect('problem' in browsed && browsed.problem).toMatch(/list the public rooms/);
  });

  it('renames a room, with a refused name next to the name field', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('p', 'plans', 'private', ['self'])];
    await rooms.load();
    expect(await rooms.rename(rooms.find('p')!, 'roadmap')).toEqual({ ok: true });
    expect(rooms.find('p')?.name).toBe('roadmap');
    api.refuse = refusal('x', { name: { code: 'validation_not_unique', message: 'taken' } });
    expect(await rooms.rename(rooms.find('p')!, 'general')).toEqual({
      problem: expect.any(String),
      fields: { name: 'That name is taken.' },
    });
    expect(rooms.find('p')?.name).toBe('roadmap');
  });

  it('invites only people not in a private room yet, keeps earlier invitations, and puts a refusal by the people field', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('p', 'plans', 'private', ['self', 'bob'], ['carol']), room('g', 'general', 'public', ['self'])];
    await rooms.load();
    const people = [user('bob', 'bob'), user('carol', 'Carol'), user('dave', 'dave'), user('dave', 'dave')];
    expect(await rooms.invite(rooms.find('p')!, people)).toEqual({ ok: true });
    expect(api.calls).toEqual(['invite p carol,dave']);
    expect(invitedOf(rooms.find('p'))).toEqual(['carol', 'dave']);
    expect(await rooms.invite(rooms.find('p')!, [user('bob', 'bob')])).toEqual({ ok: true });
    expect(api.calls).toHaveLength(1);
    const publicInvite = await rooms.invite(rooms.find('g')!, [user('bob', 'bob')]);
    expect('problem' in publicInvite && publicInvite.fields.invited).toMatch(/Browse rooms/);
    api.refuse = refusal('x', { invited: { code: 'validation_cannot_add', message: "You can't add this person." } });
    expect(await rooms.invite(rooms.find('p')!, [user('eve', 'eve')])).toMatchObject({
      fields: { invited: "You can't add this person." },
    });
  });

  it('deleting a room takes it out and says it is gone; a refusal keeps it', async () => {
    const { api, rooms, gone } = directory();
    api.rooms = [room('p', 'plans', 'private', ['self']), room('q', 'other', 'private', ['bob', 'self'])];
    await rooms.load();
    expect(await rooms.remove(rooms.find('p')!)).toEqual({ ok: true });
    expect(rooms.find('p')).toBeUndefined();
    expect(gone).toEqual(['p']);
    api.refuse = refusal('Only the owner can delete this room.');
    expect(await rooms.remove(rooms.find('q')!)).toEqual({ problem: 'Only the owner can delete this room.' });
    expect(rooms.findListed('q')).toBeDefined();
  });

  it('appoints and dismisses moderators, and a member removed stops moderating at once; a refusal says why', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('p', 'plans', 'private', ['self', 'bob', 'carol'])];
    await rooms.load();
    expect(await rooms.setModerator(rooms.find('p')!, 'bob', true)).toEqual({ ok: true });
    expect(rooms.find('p')!.moderators).toEqual(['bob']);
    expect(await rooms.removeMember(rooms.find('p')!, 'bob')).toEqual({ ok: true });
    expect([rooms.find('p')!.members, rooms.find('p')!.moderators]).toEqual([['self', 'carol'], []]);
    api.refuse = refusal('Only the room’s owner removes a moderator.');
    expect(await rooms.removeMember(rooms.find('p')!, 'carol')).toEqual({
      problem: 'Only the room’s owner removes a moderator.',
    });
    expect(rooms.find('p')!.members).toContain('carol');
  });

  it('keeps the latest message time of each room, even when a list read earlier arrives after it', async () => {
    const { api, rooms } = directory();
    const dm = { ...room('dm', '', 'direct', ['self', 'bob']), lastMessageAt: '2026-01-01 10:00:00.000Z' };
    api.rooms = [dm];
    await rooms.load();
    const before = rooms.rooms;
    rooms.touched('dm', '2026-01-01 09:00:00.000Z');
    expect(rooms.rooms).toBe(before); // older: nothing changes, nothing redraws
    rooms.touched('unknown', '2026-01-02 09:00:00.000Z');
    let release: () => void = () => undefined;
    api.list = () => new Promise((resolve) => (release = () => resolve([dm])));
    const loading = rooms.load();
    rooms.touched('dm', '2026-01-01 11:00:00.000Z');
    release();
    await loading;
    expect(rooms.find('dm')?.lastMessageAt).toBe('2026-01-01 11:00:00.000Z');
  });

  it('starting a conversation with someone who already started one with you accepts theirs', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('theirs', '', 'direct', ['bob'], ['self'])];
    await rooms.load();
    expect(await rooms.directWith(user('bob', 'bob'))).toEqual({ roomId: 'theirs' });
    expect(api.calls).toEqual(['accept theirs']);
    expect(api.created).toEqual([]);
    expect(rooms.findListed('theirs')).toBeDefined();
  });

  it('a refused consent request keeps the room and says why', async () => {
    const { api, rooms, gone } = directory();
    api.rooms = [room('dm', '', 'direct', ['self', 'bob'])];
    await rooms.load();
    api.refuse = refusal('A direct conversation is not left: close it instead.');
    expect(await rooms.leave(rooms.find('dm')!)).toEqual({
      problem: 'A direct conversation is not left: close it instead.',
    });
    expect(rooms.findListed('dm')).toBeDefined();
    expect(gone).toEqual([]);
  });

  it('blocking in a direct conversation blocks the other person and closes it', async () => {
    const { api, rooms, blocked, gone } = directory();
    const dm = room('dm', '', 'direct', ['self', 'bob']);
    (dm as { expand?: unknown }).expand = { members: [user('self', 'me'), user('bob', 'bob')] };
    api.rooms = [dm];
    await rooms.load();
    expect(await rooms.blockPartner(dm)).toEqual({ ok: true });
    expect(blocked).toEqual(['bob']);
    expect(gone).toEqual(['dm']);
    expect(rooms.listed).toEqual([]);
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
    expect(api.created).toEqual([{ name: '', kind: 'direct', members: ['self'], invited: ['bob'] }]);
    expect(invitedOf(rooms.rooms[0])).toEqual(['bob']);
    expect(rooms.label(rooms.rooms[0]!)).toBe('Direct conversation'); // members not expanded in this double
  });

  it('finds people by a trimmed query and asks nothing for an empty one', async () => {
    const { rooms } = directory();
    expect(await rooms.findUsers('   ')).toEqual([]);
    expect((await rooms.findUsers(' car ')).map((u) => u.id)).toEqual(['carol']);
  });

  it('keeps a room created while the list was loading, and forgets one removed meanwhile', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('old', 'old', 'private', ['self']), room('doomed', 'doomed', 'private', ['self'])];
    // The list is read before the room is created, and arrives after.
    const stale = [...api.rooms];
    let release: () => void = () => undefined;
    api.list = () => new Promise((resolve) => (release = () => resolve(stale)));
    const loading = rooms.load();
    await rooms.create('fresh', 'private', []);
    rooms.forget('doomed');
    release();
    await loading;
    expect(rooms.rooms.map((r) => r.id).sort()).toEqual(['new1', 'old']);
  });

  it('fetches a room it did not list, and says so when it cannot be had', async () => {
    const { api, rooms } = directory();
    api.rooms = [room('late', 'late', 'public', [])];
    await rooms.fetch('late');
    expect(rooms.find('late')).toBeDefined();
    await expect(rooms.fetch('gone')).rejects.toMatchObject({ status: 404 });
  });
});
