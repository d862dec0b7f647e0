// Public rooms with members, each room's latest message time, and direct conversations that reach the
// other person only with their first message, from the attacker's side. Rules:
// pb_migrations/1795700040_public_membership.js; the join route and sign-up: backend/public_rooms.go;
// lastMessageAt: backend/room_activity.go.
//
// PALAVER_SERVER_BINARY runs this suite against another build (e.g. the code before a change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import {
  accept,
  anonymous,
  createRoom,
  invite,
  post,
  refused,
  roomAction,
  signUp,
  type TestUser,
} from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  server = await startTestServer({ binary: process.env.PALAVER_SERVER_BINARY || undefined });
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

const stored = async (id: string) => (await server.admin()).collection('rooms').getOne<RoomsRecord>(id);
const join = (who: TestUser, room: RoomsRecord | string) => roomAction(who, room, 'join');
const listedFor = async (who: TestUser) =>
  (await who.pb.collection('rooms').getFullList<RoomsRecord>({ requestKey: null })).map((r) => r.id);
// As a superuser: others see a public room's members as themselves or nobody (public_room_members.go).
const general = async () =>
  (await server.admin()).collection('rooms').getFirstListItem<RoomsRecord>('name = "general"', { requestKey: null });

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function listen<T>(pb: TestUser['pb'], topic: string, options?: { expand: string }) {
  const events: Array<RecordSubscription<T>> = [];
  const unsubscribe = await pb.realtime.subscribe(topic, (e) => events.push(e as RecordSubscription<T>), options);
  return { events, unsubscribe };
}

describe('public room membership', () => {
  it('makes a new account a member of #general, and of no other public room', async () => {
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    const newcomer = await signUp(server, 'newcomer');
    expect((await general()).members).toContain(newcomer.id);
    expect((await stored(lobby.id)).members).toEqual([alice.id]);
    // Two sign-ups at once both join: neither undoes the other.
    const pair = await Promise.all([signUp(server, 'twin'), signUp(server, 'twin')]);
    expect((await general()).members).toEqual(expect.arrayContaining(pair.map((p) => p.id)));
  });

  it('lets anyone signed in join a public room once, and returns it with its people', async () => {
    const lobby = await createRoom(alice, 'public', [], `open-${Date.now()}`);
    const joined = (await bob.pb.send(`/api/palaver/rooms/${lobby.id}/join`, {
      method: 'POST',
      query: { expand: 'members,invited' },
    })) as RoomsRecord & { expand?: { members?: Array<{ id: string }> } };
    // The room as others see a public room: its count, and of its people only oneself.
    expect(joined).toMatchObject({ members: [bob.id], memberCount: 2 });
    expect(joined.expand?.members?.map((m) => m.id)).toEqual([bob.id]);
    const twice = await refused(join(bob, lobby));
    expect(twice.status).toBe(400);
    expect((await stored(lobby.id)).members).toEqual([alice.id, bob.id]);
  });

  it('refuses joining signed out, a private room by id, an invitation, and a direct conversation', async () => {
    const lobby = await createRoom(alice, 'public', [], `guarded-${Date.now()}`);
    const signedOut = anonymous(server);
    const out = await refused(signedOut.send(`/api/palaver/rooms/${lobby.id}/join`, { method: 'POST' }));
    expect(out.status).toBe(401);

    // A private room mallory cannot see: the same 404 as for a room that does not exist.
    const secret = await createRoom(alice, 'private', [bob]);
    expect((await refused(join(mallory, secret))).status).toBe(404);
    expect((await refused(join(mallory, 'doesnotexist123'))).status).toBe(404);
    // Invited: the invitation is accepted, not bypassed by joining.
    const asked = await invite(alice, 'private', [mallory]);
    expect((await refused(join(mallory, asked))).status).toBe(400);
    // A member of a direct conversation cannot pull anyone in, and nobody joins one.
    const dm = await createRoom(alice, 'direct', [bob]);
    for (const who of [mallory, bob]) await refused(join(who, dm));
    expect((await refused(join(mallory, dm))).status).toBe(404);

    expect((await stored(secret.id)).members).toEqual([alice.id, bob.id]);
    expect((await stored(asked.id)).members).toEqual([alice.id]);
    expect((await stored(dm.id)).members.sort()).toEqual([alice.id, bob.id].sort());
    expect((await stored(lobby.id)).members).toEqual([alice.id]);
  });

  it('refuses its owner writing members back: who is in it changes only by join and leave', async () => {
    const lobby = await createRoom(alice, 'public', [], `kept-${Date.now()}`);
    await join(bob, lobby);
    // Others see a public room's members as themselves, so a record written back would drop everyone.
    await refused(alice.pb.collection('rooms').update(lobby.id, { members: [alice.id] }));
    await refused(alice.pb.collection('rooms').update(lobby.id, { 'members-': bob.id }));
    expect((await stored(lobby.id)).members).toEqual([alice.id, bob.id]);
    // Renaming still works.
    await alice.pb.collection('rooms').update(lobby.id, { name: `renamed-${Date.now()}` });
  });

  it('refuses someone putting others into a public room, or taking its owner’s place', async () => {
    const lobby = await createRoom(alice, 'public', [], `owned-${Date.now()}`);
    await refused(mallory.pb.collection('rooms').update(lobby.id, { 'members+': mallory.id }));
    await refused(alice.pb.collection('rooms').update(lobby.id, { 'members+': bob.id }));
    await refused(alice.pb.collection('rooms').update(lobby.id, { invited: [bob.id] }));
    expect((await stored(lobby.id)).members).toEqual([alice.id]);
  });

  it('lets members leave a public room, hands it on when its owner leaves, and keeps it readable', async () => {
    const lobby = await createRoom(alice, 'public', [], `handover-${Date.now()}`);
    await join(bob, lobby);
    await join(mallory, lobby);
    await roomAction(mallory, lobby, 'leave');
    expect((await stored(lobby.id)).members).toEqual([alice.id, bob.id]);
    // Left already: nothing to leave.
    expect((await refused(roomAction(mallory, lobby, 'leave'))).status).toBe(400);
    await roomAction(alice, lobby, 'leave');
    const after = await stored(lobby.id);
    expect(after.owner).toBe(bob.id);
    expect(after.members).toEqual([bob.id]);
    await roomAction(bob, lobby, 'leave');
    expect(await stored(lobby.id)).toMatchObject({ owner: '', members: [] });
    // Reading and posting stay open to everyone signed in, joined or not.
    await post(mallory, lobby, 'still open');
    expect(await listedFor(mallory)).toContain(lobby.id);
  });

  it('lets only the owner rename or delete a public room or invite to a private one', async () => {
    const lobby = await createRoom(alice, 'public', [], `mine-${Date.now()}`);
    await join(mallory, lobby);
    const team = await createRoom(alice, 'private', [mallory]);
    for (const room of [lobby, team]) {
      await refused(mallory.pb.collection('rooms').update(room.id, { name: 'taken over' }));
      await refused(mallory.pb.collection('rooms').delete(room.id));
    }
    await refused(mallory.pb.collection('rooms').update(team.id, { invited: [bob.id] }));
    expect((await stored(team.id)).invited).toEqual([]);
    expect((await stored(lobby.id)).name).toBe(lobby.name);
    await alice.pb.collection('rooms').update(team.id, { name: 'renamed', invited: [bob.id] });
    expect(await stored(team.id)).toMatchObject({ name: 'renamed', invited: [bob.id] });
    await alice.pb.collection('rooms').delete(lobby.id);
    expect((await refused(stored(lobby.id))).status).toBe(404);
  });
});

describe('lastMessageAt', () => {
  it("is the time of a direct conversation's newest message, set by the server", async () => {
    const carol = await signUp(server, 'carol');
    const dm = await createRoom(alice, 'direct', [carol]);
    await post(alice, dm, 'one');
    const second = await post(carol, dm, 'two');
    expect((await stored(dm.id)).lastMessageAt).toBe(second.created);
    // A delete leaves it where it was (room_activity.go says why).
    await carol.pb.collection('messages').delete(second.id);
    expect((await stored(dm.id)).lastMessageAt).toBe(second.created);
  });

  it('is not written for other rooms: a busy room costs no extra write per message', async () => {
    const team = await createRoom(alice, 'private', [bob]);
    const lobby = await createRoom(alice, 'public', []);
    await post(alice, team, 'one');
    await post(bob, lobby, 'two');
    expect((await stored(team.id)).lastMessageAt).toBe('');
    expect((await stored(lobby.id)).lastMessageAt).toBe('');
  });

  it('cannot be set through the API, on create or on update', async () => {
    const forged = '2030-01-01 00:00:00.000Z';
    const team = await createRoom(alice, 'private', []);
    await refused(alice.pb.collection('rooms').update(team.id, { lastMessageAt: forged }));
    await refused(alice.pb.collection('rooms').update(team.id, { name: 'x', lastMessageAt: '' }));
    await refused(
      alice.pb
        .collection('rooms')
        .create({ name: 'forged', kind: 'private', owner: alice.id, members: [alice.id], lastMessageAt: forged }),
    );
    // The forgery that matters: an empty direct conversation made visible to its invitee before any message.
    await refused(
      mallory.pb
        .collection('rooms')
        .create({ kind: 'direct', owner: mallory.id, members: [mallory.id], invited: [bob.id], lastMessageAt: forged }),
    );
    expect((await stored(team.id)).lastMessageAt).toBe('');
    expect((await stored(team.id)).name).toBe(team.name);
  });

  it('changes with a message without sending any rooms event, except for a direct conversation’s first', async () => {
    const team = await createRoom(alice, 'private', [bob]);
    const rooms = await listen<RoomsRecord>(bob.pb, 'rooms/*');
    const messages = await listen<MessagesRecord>(bob.pb, MESSAGES_TOPIC);
    await post(alice, team, 'busy');
    await post(alice, team, 'busier');
    await until(() => messages.events.length >= 2, 'the messages to arrive');
    expect(rooms.events).toEqual([]);
    for (const listener of [rooms, messages]) await listener.unsubscribe();
  });
});

describe('a direct conversation before its first message', () => {
  it('is invisible to the invitee, by list, by id, over realtime, and in their message feed', async () => {
    const quiet = await signUp(server, 'quiet');
    const roomsSeen = await listen<RoomsRecord>(quiet.pb, 'rooms/*', { expand: 'members,invited' });
    const perRoom = await listen<RoomsRecord>(quiet.pb, 'rooms/*');
    const messages = await listen<MessagesRecord>(quiet.pb, MESSAGES_TOPIC);
    const dm = await invite(mallory, 'direct', [quiet]);

    expect(await listedFor(quiet)).not.toContain(dm.id);
    expect((await refused(quiet.pb.collection('rooms').getOne(dm.id))).status).toBe(404);
    expect((await refused(accept(quiet, dm))).status).toBe(404);
    expect((await refused(roomAction(quiet, dm, 'decline'))).status).toBe(404);
    // Its starter renames nothing and changes nothing that would show it early.
    await refused(mallory.pb.collection('rooms').update(dm.id, { lastMessageAt: '2030-01-01 00:00:00.000Z' }));
    // Give realtime a moment to deliver anything it (wrongly) would.
    await new Promise((r) => setTimeout(r, 300));
    expect(roomsSeen.events.filter((e) => e.record.id === dm.id)).toEqual([]);
    expect(perRoom.events.filter((e) => e.record.id === dm.id)).toEqual([]);
    expect(messages.events).toEqual([]);
    // Its starter sees it all along.
    expect(await listedFor(mallory)).toContain(dm.id);

    // The first message brings it to the invitee as an invitation (never the message itself).
    const first = await post(mallory, dm, 'hi there');
    await until(() => roomsSeen.events.some((e) => e.record.id === dm.id), 'the room to reach the invitee');
    const arrived = roomsSeen.events.find((e) => e.record.id === dm.id)!;
    expect(arrived.record.invited).toEqual([quiet.id]);
    expect(arrived.record.lastMessageAt).toBe(first.created);
    expect(await listedFor(quiet)).toContain(dm.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(messages.events).toEqual([]);
    expect((await refused(quiet.pb.collection('messages').getOne(first.id))).status).toBe(404);

    // Accepted: now a member, the conversation's messages reach them.
    await accept(quiet, dm);
    const reply = await post(mallory, dm, 'welcome');
    await until(() => messages.events.some((e) => e.record.id === reply.id), 'the next message to reach the invitee');
    for (const listener of [roomsSeen, perRoom, messages]) await listener.unsubscribe();
  });

  it('is joined, not duplicated, when its invitee starts a conversation with its starter', async () => {
    const [starter, invitee, stranger] = await Promise.all([
      signUp(server, 'starter'),
      signUp(server, 'invitee'),
      signUp(server, 'stranger'),
    ]);
    const dm = await invite(starter, 'direct', [invitee]);
    const start = (who: TestUser, other: TestUser) =>
      who.pb
        .collection('rooms')
        .create<RoomsRecord>({ kind: 'direct', owner: who.id, members: [who.id], invited: [other.id] });
    // The starter asking again is refused as before: one conversation per pair.
    const again = await refused(start(starter, invitee));
    expect(again.data.members?.code).toBe('validation_direct_room_exists');
    // Someone else's conversation with the invitee is another pair: a room of its own, nothing taken over.
    const theirs = await start(stranger, invitee);
    expect(theirs.id).not.toBe(dm.id);
    // Forged members or owner are refused by the create rule, never turned into an acceptance.
    await refused(
      invitee.pb
        .collection('rooms')
        .create({ kind: 'direct', owner: starter.id, members: [invitee.id], invited: [starter.id] }),
    );
    expect((await stored(dm.id)).invited).toEqual([invitee.id]);

    const joined = await start(invitee, starter);
    expect(joined.id).toBe(dm.id);
    expect(await stored(dm.id)).toMatchObject({ members: [starter.id, invitee.id], invited: [], owner: starter.id });
    const rooms = (await (await server.admin()).collection('rooms').getFullList<RoomsRecord>()).filter(
      (r) => r.kind === 'direct' && [...r.members, ...r.invited].includes(invitee.id),
    );
    expect(rooms.map((r) => r.id).sort()).toEqual([dm.id, theirs.id].sort());
    await post(invitee, dm, 'found it');
  });

  it('stays out of reach of an invitee its starter then blocked', async () => {
    const [starter, invitee] = await Promise.all([signUp(server, 'starter'), signUp(server, 'invitee')]);
    const dm = await invite(starter, 'direct', [invitee]);
    await starter.pb.collection('blocks').create({ user: starter.id, blocked: invitee.id });
    const refusal = await refused(
      invitee.pb
        .collection('rooms')
        .create({ kind: 'direct', owner: invitee.id, members: [invitee.id], invited: [starter.id] }),
    );
    expect(refusal.data.invited?.code).toBe('validation_cannot_add');
    expect((await stored(dm.id)).members).toEqual([starter.id]);
  });
});
