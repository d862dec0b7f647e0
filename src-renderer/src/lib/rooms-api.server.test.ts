// The named room and people queries against a real PocketBase: what a user lists, fetches, creates and
// finds is exactly what the server's rules allow, the owner's changes (rename, invite, delete) are the
// owner's alone, and the routes by which people change their own place (join, accept, decline, leave,
// close) do what the room list then shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, invite, refused, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { PocketBaseRoomsApi, type NewRoom } from './rooms-api.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

describe('PocketBaseRoomsApi', () => {
  it('lists public rooms and the private ones the user is in, with members expanded, and fetches no other', async () => {
    const secret = await createRoom(alice, 'private', [bob.id]);
    const forBob = await new PocketBaseRoomsApi(bob.pb).list();
    expect(forBob.map((r) => r.name)).toEqual(expect.arrayContaining(['general', secret.name]));
    expect(
      forBob
        .find((r) => r.id === secret.id)
        ?.expand?.members?.map((m) => m.username)
        .sort(),
    ).toEqual([alice.username, bob.username].sort());
    const mallorys = new PocketBaseRoomsApi(mallory.pb);
    expect((await mallorys.list()).map((r) => r.id)).not.toContain(secret.id);
    expect((await refused(mallorys.one(secret.id))).status).toBe(404);
  });

  it('creates rooms owned by the user with the others invited, and one direct conversation per pair', async () => {
    const api = new PocketBaseRoomsApi(alice.pb);
    const room = await api.create({
      name: `ops-${Date.now()}`,
      kind: 'private',
      members: [alice.id],
      invited: [bob.id],
    });
    expect(room.owner).toBe(alice.id);
    expect(room.invited).toEqual([bob.id]);
    expect(room.expand?.invited?.map((u) => u.username)).toEqual([bob.username]);
    const direct = await api.create({ name: '', kind: 'direct', members: [alice.id], invited: [mallory.id] });
    expect(direct.expand?.members).toHaveLength(1);
    expect(direct.expand?.invited).toHaveLength(1);
    const second: NewRoom = { name: '', kind: 'direct', members: [alice.id], invited: [mallory.id] };
    expect((await refused(api.create(second))).status).toBe(400);
    // Mallory, invited, starting one with alice joins hers: still one conversation for the pair.
    const joined = await new PocketBaseRoomsApi(mallory.pb).create({
      name: '',
      kind: 'direct',
      members: [mallory.id],
      invited: [alice.id],
    });
    expect(joined.id).toBe(direct.id);
    expect(joined.members).toEqual([alice.id, mallory.id]);
    expect(joined.expand?.members?.map((m) => m.id)).toEqual([alice.id, mallory.id]);
    // Nobody is put into a room by someone else, whatever the client sends.
    const forced = await refused(
      api.create({ name: `forced-${Date.now()}`, kind: 'private', members: [alice.id, bob.id], invited: [] }),
    );
    expect(forced.status).toBe(400);
  });

  it('accept joins an invited room, decline leaves it, and neither works for someone not invited', async () => {
    const joined = await invite(alice, 'private', [bob]);
    const bobs = new PocketBaseRoomsApi(bob.pb);
    const mallorys = new PocketBaseRoomsApi(mallory.pb);
    expect((await refused(mallorys.accept(joined.id))).status).toBe(404);
    await bobs.accept(joined.id);
    const after = await bobs.one(joined.id);
    expect(after.members).toEqual([alice.id, bob.id]);
    expect(after.invited).toEqual([]);
    expect((await refused(bobs.accept(joined.id))).status).toBe(400);

    const declined = await invite(alice, 'private', [bob]);
    await bobs.decline(declined.id);
    expect((await refused(bobs.one(declined.id))).status).toBe(404);
    expect((await refused(bobs.decline(declined.id))).status).toBe(404);
  });

  it("leave takes a member out, hands an owner's room to the successor named, and a direct conversation is closed instead", async () => {
    const carol = await signUp(server, 'carol');
    const room = await createRoom(alice, 'private', [bob, carol]);
    const alices = new PocketBaseRoomsApi(alice.pb);
    expect((await refused(alices.leave(room.id, mallory.id))).status).toBe(400);
    await alices.leave(room.id, carol.id);
    const seen = await new PocketBaseRoomsApi(carol.pb).one(room.id);
    expect(seen.owner).toBe(carol.id);
    expect(seen.members).toEqual([bob.id, carol.id]);
    expect((await refused(alices.one(room.id))).status).toBe(404);

    const direct = await createRoom(alice, 'direct', [carol]);
    const refusal = await refused(alices.leave(direct.id));
    expect(refusal.status).toBe(400);
    await alices.close(direct.id);
    expect((await alices.one(direct.id)).closedBy).toEqual([alice.id]);
    // The other person is not told who closed it.
    expect((await new PocketBaseRoomsApi(carol.pb).one(direct.id)).closedBy).toEqual([]);
    expect((await refused(alices.close(room.id))).status).toBe(404);
  });

  it('lists every public room with its members, joins one once, and refuses joining any other kind', async () => {
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    const bobs = new PocketBaseRoomsApi(bob.pb);
    const listed = await bobs.listPublic();
    expect(listed.every((r) => r.kind === 'public')).toBe(true);
    // A public room's people are counted, not listed: the user sees only themself, if they joined.
    expect(listed.find((r) => r.id === lobby.id)).toMatchObject({ members: [], memberCount: 1 });
    expect(listed.find((r) => r.name === 'general')?.members).toEqual([bob.id]);
    const joined = await bobs.join(lobby.id);
    expect(joined).toMatchObject({ members: [bob.id], memberCount: 2 });
    expect(joined.expand?.members?.map((m) => m.id)).toEqual([bob.id]);
    expect((await refused(bobs.join(lobby.id))).status).toBe(400);
    const secret = await createRoom(alice, 'private', []);
    expect((await refused(bobs.join(secret.id))).status).toBe(404);
    const direct = await createRoom(alice, 'direct', [bob]);
    expect((await refused(bobs.join(direct.id))).status).toBe(400);
  });

  it('pages through who is in a room, by name, and refuses a room the user cannot see', async () => {
    const lobby = await createRoom(alice, 'public', [], `people-${Date.now()}`);
    const mallorys = new PocketBaseRoomsApi(mallory.pb);
    await new PocketBaseRoomsApi(bob.pb).join(lobby.id);
    const page = await mallorys.members(lobby.id, 1);
    expect(page.total).toBe(2);
    expect(page.people.map((p) => p.id)).toEqual([alice.id]);
    expect((await mallorys.members(lobby.id, 50)).people.map((p) => p.id)).toEqual([alice.id, bob.id]);
    // The attacker's side: a private room's people, asked for by its id, by someone not in it.
    const secret = await createRoom(alice, 'private', [bob]);
    expect((await refused(mallorys.members(secret.id, 50))).status).toBe(404);
    expect((await new PocketBaseRoomsApi(bob.pb).members(secret.id, 50)).total).toBe(2);
  });

  it('renames, invites to and deletes a room for its owner only, with field errors for a bad name', async () => {
    const team = await createRoom(alice, 'private', [bob]);
    const alices = new PocketBaseRoomsApi(alice.pb);
    const bobs = new PocketBaseRoomsApi(bob.pb);
    expect((await alices.rename(team.id, 'renamed')).name).toBe('renamed');
    const invited = await alices.setInvited(team.id, [mallory.id]);
    expect(invited.invited).toEqual([mallory.id]);
    expect(invited.expand?.invited?.map((u) => u.id)).toEqual([mallory.id]);
    const blank = await refused(alices.rename(team.id, '   '));
    expect(blank.data.name?.code).toBe('validation_required');
    expect((await refused(alices.setInvited(team.id, [alice.id]))).data.invited?.code).toBe('validation_invite_self');
    // One at a time: a refusal that arrives while another is awaited would count as unhandled.
    const attempts = [
      () => bobs.rename(team.id, 'mine'),
      () => bobs.setInvited(team.id, [bob.id]),
      () => bobs.remove(team.id),
    ];
    for (const attempt of attempts) {
      expect((await refused(attempt())).status).toBeGreaterThanOrEqual(400);
    }
    expect((await alices.one(team.id)).name).toBe('renamed');
    await alices.remove(team.id);
    expect((await refused(alices.one(team.id))).status).toBe(404);
  });

  it('appoints a member moderator (expanded), who then removes another member; the owner dismisses them', async () => {
    const carol = await signUp(server, 'carol');
    const room = await createRoom(alice, 'private', [bob, carol]);
    const owners = new PocketBaseRoomsApi(alice.pb);
    const appointed = await owners.setModerator(room.id, bob.id, true);
    expect(appointed.expand?.moderators?.map((m) => m.id)).toEqual([bob.id]);
    expect((await refused(owners.setModerator(room.id, mallory.id, true))).data.moderators?.code).toBe(
      'validation_moderator_not_member',
    );
    await new PocketBaseRoomsApi(bob.pb).removeMember(room.id, carol.id);
    expect((await owners.one(room.id)).members.sort()).toEqual([alice.id, bob.id].sort());
    expect((await owners.setModerator(room.id, bob.id, false)).moderators).toEqual([]);
    expect((await refused(new PocketBaseRoomsApi(bob.pb).removeMember(room.id, alice.id))).status).toBe(403);
  });

  it('finds people by name or username, never the user themself, and by exact username in any case', async () => {
    const api = new PocketBaseRoomsApi(alice.pb);
    const found = (await api.findUsers('bob')).map((u) => u.id);
    expect(found).toContain(bob.id);
    expect((await api.findUsers('alice')).map((u) => u.id)).not.toContain(alice.id);
    expect((await api.userByUsername(bob.username.toUpperCase())).id).toBe(bob.id);
    expect((await refused(api.userByUsername('nobody-here'))).status).toBe(404);
  });
});
