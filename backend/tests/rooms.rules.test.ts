// The rooms rules, adversarially: creation, visibility, ownership and membership.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { accept, anonymous, createRoom, invite, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mallory: TestUser;

async function storedRoom(id: string): Promise<RoomsRecord> {
  return (await server.admin()).collection('rooms').getOne<RoomsRecord>(id);
}

async function roomCount(): Promise<number> {
  return (await (await server.admin()).collection('rooms').getList(1, 1)).totalItems;
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

describe('the general room', () => {
  it('exists on a fresh server, public, owned by nobody, and nobody but a superuser can delete it', async () => {
    const general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
    expect(general.kind).toBe('public');
    expect(general.owner).toBe('');
    for (const client of [alice.pb, anonymous(server)]) await refused(client.collection('rooms').delete(general.id));
    await refused(alice.pb.collection('rooms').update(general.id, { name: 'mine now', owner: alice.id }));
    expect((await storedRoom(general.id)).name).toBe('general');
  });
});

describe('creating', () => {
  it('lets a signed-in user create public, private and direct rooms they own and belong to', async () => {
    const pub = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    const priv = await createRoom(alice, 'private', [bob.id]);
    const dm = await createRoom(alice, 'direct', [carol.id]);
    for (const room of [pub, priv, dm]) {
      expect(room.owner).toBe(alice.id);
      expect(room.members).toContain(alice.id);
    }
    expect(dm.name).toBe('');
  });

  it('refuses a room from someone signed out', async () => {
    const before = await roomCount();
    await refused(
      anonymous(server).collection('rooms').create({ name: 'anon', kind: 'public', members: [], owner: '' }),
    );
    await refused(
      anonymous(server)
        .collection('rooms')
        .create({ name: 'anon', kind: 'public', members: [alice.id], owner: alice.id }),
    );
    expect(await roomCount()).toBe(before);
  });

  it('refuses a room whose owner is someone else, or whose creator is not a member', async () => {
    const before = await roomCount();
    await refused(
      mallory.pb
        .collection('rooms')
        .create({ name: 'framed', kind: 'private', owner: alice.id, members: [alice.id, mallory.id] }),
    );
    await refused(
      mallory.pb.collection('rooms').create({ name: 'ghost', kind: 'private', owner: mallory.id, members: [alice.id] }),
    );
    await refused(
      mallory.pb.collection('rooms').create({ name: 'nobody', kind: 'private', owner: mallory.id, members: [] }),
    );
    expect(await roomCount()).toBe(before);
  });

  it('refuses a direct conversation that does not have exactly two people', async () => {
    const before = await roomCount();
    await refused(createRoom(bob, 'direct', []));
    await refused(createRoom(bob, 'direct', [carol.id, mallory.id]));
    await refused(createRoom(bob, 'direct', [bob.id]));
    expect(await roomCount()).toBe(before);
  });

  it('refuses a second direct conversation between the same two people, with a field error', async () => {
    await createRoom(bob, 'direct', [mallory.id]);
    const before = await roomCount();
    const result = await refused(createRoom(mallory, 'direct', [bob.id]));
    expect(result.status).toBe(400);
    expect(result.data.members?.code).toBe('validation_direct_room_exists');
    expect(await roomCount()).toBe(before);
  });

  it('makes one direct conversation when both people start one many times at once', async () => {
    const [ann, ben] = await Promise.all([signUp(server, 'ann'), signUp(server, 'ben')]);
    // Both directions at once, interleaved: a check before the insert lets several through.
    const attempts = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? invite(ann, 'direct', [ben]) : invite(ben, 'direct', [ann]))),
    );
    // Those that succeed answer with the one conversation: the first made it, and one of the other
    // person's may have joined it (starting a conversation with its starter accepts it: direct_start.go).
    const made = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value.id] : []));
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(made).size).toBe(1);
    for (const attempt of attempts) {
      if (attempt.status === 'fulfilled') continue;
      const result = await refused(Promise.reject(attempt.reason as Error));
      expect(result.status).toBe(400);
      expect(result.data.members?.code).toBe('validation_direct_room_exists');
    }
    const stored = await (
      await server.admin()
    )
      .collection('rooms')
      .getFullList<RoomsRecord>({ filter: `kind = "direct" && (owner = "${ann.id}" || owner = "${ben.id}")` });
    expect(stored).toHaveLength(1);
  });

  it('refuses a room name or display name made of control characters, and stores names without them', async () => {
    const result = await refused(createRoom(alice, 'private', [], '\u0000\u202E\u0007'));
    expect(result.data.name?.code).toBe('validation_required');
    const room = await createRoom(alice, 'private', [], 'plans\u0000\nfor\tthe \u202Eweekend\u2066x\u2069\u0085');
    expect(room.name).toBe('plans for the weekendx');
  });

  it('refuses a public or private room without a name, with a field error on "name"', async () => {
    for (const kind of ['public', 'private'] as const) {
      const result = await refused(createRoom(alice, kind, [], '   '));
      expect(result.status).toBe(400);
      expect(result.data.name?.code).toBe('validation_required');
    }
    const tooLong = await refused(createRoom(alice, 'private', [], 'n'.repeat(65)));
    expect(tooLong.data.name?.code).toMatch(/^validation_/);
  });

  it('refuses a public room whose name is taken, in any letter case', async () => {
    const name = `Music-${Date.now()}`;
    await createRoom(alice, 'public', [], name);
    const result = await refused(createRoom(bob, 'public', [], name.toUpperCase()));
    expect(result.status).toBe(400);
    expect(result.data.name?.code).toBe('validation_not_unique');
    // Private rooms are nobody else's business: the same name is fine there.
    expect((await createRoom(bob, 'private', [], name)).name).toBe(name);
  });
});

describe('seeing', () => {
  it('shows public rooms to everyone signed in and private rooms and direct conversations to members only', async () => {
    const pub = await createRoom(carol, 'public', [], `open-${Date.now()}`);
    const priv = await createRoom(carol, 'private', [bob.id]);
    const dave = await signUp(server, 'dave');
    const dm = await createRoom(carol, 'direct', [dave.id]);

    const listedFor = async (pb: TestUser['pb']) =>
      (await pb.collection('rooms').getFullList<RoomsRecord>()).map((r) => r.id);
    expect(await listedFor(mallory.pb)).toContain(pub.id);
    // Signed out, nothing: not even public rooms, listed or by id.
    expect(await listedFor(anonymous(server))).toEqual([]);
    expect((await refused(anonymous(server).collection('rooms').getOne(pub.id))).status).toBe(404);
    expect(await listedFor(bob.pb)).toEqual(expect.arrayContaining([pub.id, priv.id]));
    expect(await listedFor(bob.pb)).not.toContain(dm.id);
    expect(await listedFor(dave.pb)).toEqual(expect.arrayContaining([pub.id, dm.id]));
    expect(await listedFor(dave.pb)).not.toContain(priv.id);
    for (const outsider of [mallory.pb, alice.pb, anonymous(server)]) {
      expect(await listedFor(outsider)).not.toContain(priv.id);
      expect(await listedFor(outsider)).not.toContain(dm.id);
      expect((await refused(outsider.collection('rooms').getOne(priv.id))).status).toBe(404);
      expect((await refused(outsider.collection('rooms').getOne(dm.id))).status).toBe(404);
    }
  });

  it("never reveals members' emails through room expands or filters", async () => {
    const priv = await createRoom(alice, 'private', [bob.id]);
    const room = await bob.pb
      .collection('rooms')
      .getOne<RoomsRecord & { expand: { members: Array<Record<string, unknown>> } }>(priv.id, {
        expand: 'members,owner',
      });
    // bob sees his own email, as the owner of his account; never alice's.
    const others = room.expand.members.filter((m) => m.id !== bob.id);
    expect(others).toHaveLength(1);
    for (const member of others) expect(member).not.toHaveProperty('email');
    expect(
      (await refused(bob.pb.collection('rooms').getFullList({ filter: `members.email ?= "${alice.email}"` }))).status,
    ).toBe(400);
  });
});

describe('changing', () => {
  it('lets the owner rename, invite (who joins by accepting) and remove members, and delete the room', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    await alice.pb.collection('rooms').update(room.id, { name: 'renamed' });
    await alice.pb.collection('rooms').update(room.id, { 'invited+': carol.id });
    await accept(carol, room);
    await alice.pb.collection('rooms').update(room.id, { 'members-': bob.id });
    const stored = await storedRoom(room.id);
    expect(stored.name).toBe('renamed');
    expect(stored.members.sort()).toEqual([alice.id, carol.id].sort());
    await alice.pb.collection('rooms').delete(room.id);
    expect((await refused(storedRoom(room.id))).status).toBe(404);
  });

  it('refuses renames, member changes and deletion by a member who is not the owner', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    await refused(bob.pb.collection('rooms').update(room.id, { name: 'bob was here' }));
    await refused(bob.pb.collection('rooms').update(room.id, { 'members+': mallory.id }));
    await refused(bob.pb.collection('rooms').update(room.id, { members: [bob.id] }));
    await refused(bob.pb.collection('rooms').delete(room.id));
    const stored = await storedRoom(room.id);
    expect([stored.name, stored.members.sort()]).toEqual([room.name, [alice.id, bob.id].sort()]);
  });

  it('refuses a non-member who adds themselves to a private room', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    await refused(mallory.pb.collection('rooms').update(room.id, { 'members+': mallory.id }));
    await refused(mallory.pb.collection('rooms').update(room.id, { members: [alice.id, bob.id, mallory.id] }));
    expect((await storedRoom(room.id)).members).not.toContain(mallory.id);
  });

  it('refuses taking over a room, by a member or by the owner handing it on', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    await refused(bob.pb.collection('rooms').update(room.id, { owner: bob.id }));
    await refused(alice.pb.collection('rooms').update(room.id, { owner: bob.id }));
    await refused(mallory.pb.collection('rooms').update(room.id, { owner: mallory.id, 'members+': mallory.id }));
    expect((await storedRoom(room.id)).owner).toBe(alice.id);
  });

  it('refuses turning a private room public, and the owner leaving their own room', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    await refused(alice.pb.collection('rooms').update(room.id, { kind: 'public' }));
    await refused(alice.pb.collection('rooms').update(room.id, { 'members-': alice.id }));
    await refused(alice.pb.collection('rooms').update(room.id, { members: [bob.id] }));
    const stored = await storedRoom(room.id);
    expect(stored.kind).toBe('private');
    expect(stored.members).toContain(alice.id);
  });

  it('refuses changing who is in a direct conversation', async () => {
    const dm = await createRoom(carol, 'direct', [mallory.id]);
    await refused(carol.pb.collection('rooms').update(dm.id, { members: [carol.id, bob.id] }));
    await refused(carol.pb.collection('rooms').update(dm.id, { 'members+': bob.id }));
    await refused(carol.pb.collection('rooms').update(dm.id, { kind: 'private' }));
    const stored = await storedRoom(dm.id);
    expect(stored.members.sort()).toEqual([carol.id, mallory.id].sort());
    expect(stored.kind).toBe('direct');
  });

  it("deletes a room's messages with it", async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    const message = await bob.pb.collection('messages').create({ text: 'soon gone', user: bob.id, room: room.id });
    await alice.pb.collection('rooms').delete(room.id);
    expect((await refused((await server.admin()).collection('messages').getOne(message.id))).status).toBe(404);
  });
});
