// Consent, from the attacker's side: nobody is put into a room or a direct conversation by someone else
// (they are invited and accept or decline), anyone leaves, direct conversations close, and a block keeps
// a person out of your rooms and your screen without telling them. Rules: pb_migrations/1795700030_consent.js;
// routes and the rest: backend/consent.go; the broadcast: backend/room_broadcast.go.
//
// PALAVER_SERVER_BINARY runs this suite against another build (e.g. the code before a change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { BlocksRecord, MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { accept, createRoom, invite, post, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  server = await startTestServer({ binary: process.env.PALAVER_SERVER_BINARY || undefined });
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

async function stored(id: string): Promise<RoomsRecord> {
  return (await server.admin()).collection('rooms').getOne<RoomsRecord>(id);
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Collects what a client receives on one realtime topic (e.g. palaver/messages, rooms/*). */
async function listen<T>(pb: TestUser['pb'], topic: string) {
  const events: Array<RecordSubscription<T>> = [];
  const unsubscribe = await pb.realtime.subscribe(topic, (event) => events.push(event as RecordSubscription<T>));
  return { events, ids: () => events.map((e) => (e.record as { id: string }).id), unsubscribe };
}

const listedFor = async (person: TestUser) =>
  (await person.pb.collection('rooms').getFullList<RoomsRecord>({ requestKey: null })).map((r) => r.id);

describe('being put into a room', () => {
  it('refuses a stranger who makes a private room or a direct conversation with others as members', async () => {
    for (const kind of ['private', 'direct'] as const) {
      const others = kind === 'direct' ? [alice.id] : [alice.id, bob.id, carol.id];
      await refused(
        mallory.pb
          .collection('rooms')
          .create({ name: 'trap', kind, owner: mallory.id, members: [mallory.id, ...others] }),
      );
    }
    const trapped = (await (await server.admin()).collection('rooms').getFullList<RoomsRecord>()).filter(
      (r) => r.owner === mallory.id,
    );
    expect(trapped).toEqual([]);
  });

  it("refuses an owner who adds someone to an existing room's members instead of inviting them", async () => {
    const room = await invite(mallory, 'private', [], 'later');
    const result = await refused(mallory.pb.collection('rooms').update(room.id, { 'members+': alice.id }));
    expect(result.status).toBe(400);
    await refused(mallory.pb.collection('rooms').update(room.id, { members: [mallory.id, bob.id] }));
    // Nor by way of the invitation: the invited person is not a member until they accept.
    await mallory.pb.collection('rooms').update(room.id, { 'invited+': alice.id });
    expect((await stored(room.id)).members).toEqual([mallory.id]);
    expect((await stored(room.id)).invited).toEqual([alice.id]);
  });

  it('shows the invitation to the invitee, but no message, over REST or realtime, until they accept', async () => {
    const room = await invite(mallory, 'private', [alice]);
    expect(await listedFor(alice)).toContain(room.id);
    expect((await alice.pb.collection('rooms').getOne<RoomsRecord>(room.id)).invited).toEqual([alice.id]);
    const broadcast = await listen<MessagesRecord>(alice.pb, MESSAGES_TOPIC);
    const collection = await listen<MessagesRecord>(alice.pb, 'messages/*');
    const control = await listen<MessagesRecord>(mallory.pb, MESSAGES_TOPIC);

    const before = await post(mallory, room, 'buy my stuff');
    await until(() => control.ids().includes(before.id), 'the owner to get their own message');
    expect(broadcast.ids()).not.toContain(before.id);
    expect(collection.ids()).not.toContain(before.id);
    expect(await alice.pb.collection('messages').getFullList({ filter: `room = "${room.id}"` })).toEqual([]);
    expect((await refused(alice.pb.collection('messages').getOne(before.id))).status).toBe(404);
    // Nor can an invitee write there.
    await refused(post(alice, room, 'hello?'));

    await accept(alice, room);
    const after = await post(mallory, room, 'welcome');
    await until(() => broadcast.ids().includes(after.id), 'the new member to get the message');
    const history = await alice.pb.collection('messages').getFullList({ filter: `room = "${room.id}"` });
    expect(history.map((m) => m.id).sort()).toEqual([before.id, after.id].sort());
    expect((await stored(room.id)).members).toEqual([mallory.id, alice.id]);
    expect((await stored(room.id)).invited).toEqual([]);
    for (const listener of [broadcast, collection, control]) await listener.unsubscribe();
  });

  it("delivers the invitation on the invitee's rooms subscription, so it arrives without a reload", async () => {
    const rooms = await listen<RoomsRecord>(carol.pb, 'rooms/*');
    const room = await invite(mallory, 'private', [carol]);
    await until(() => rooms.events.some((e) => e.record.id === room.id), 'the invitation to arrive');
    expect(rooms.events.find((e) => e.record.id === room.id)?.record.invited).toEqual([carol.id]);
    await rooms.unsubscribe();
  });

  it('refuses accept or decline by someone not invited, and lets the invitee decline and be gone', async () => {
    const room = await invite(mallory, 'private', [alice]);
    // An outsider cannot even see the room; a member has nothing to accept.
    expect((await refused(roomAction(carol, room, 'accept'))).status).toBe(404);
    expect((await refused(roomAction(carol, room, 'decline'))).status).toBe(404);
    expect((await refused(roomAction(mallory, room, 'accept'))).status).toBe(400);
    expect((await refused(roomAction(mallory, room, 'decline'))).status).toBe(400);
    expect((await stored(room.id)).members).toEqual([mallory.id]);

    const rooms = await listen<RoomsRecord>(alice.pb, 'rooms/*');
    await roomAction(alice, room, 'decline');
    await until(
      () => rooms.events.some((e) => e.action === 'delete' && e.record.id === room.id),
      'the decliner to be told the room is gone',
    );
    expect(await listedFor(alice)).not.toContain(room.id);
    expect((await stored(room.id)).invited).toEqual([]);
    expect((await refused(roomAction(alice, room, 'accept'))).status).toBe(404);
    await rooms.unsubscribe();
  });

  it('keeps the members of rooms made before invitations existed (migration leaves them as they were)', async () => {
    const admin = await server.admin();
    const old = await admin
      .collection('rooms')
      .create<RoomsRecord>({ name: 'old', kind: 'private', owner: bob.id, members: [bob.id, carol.id] });
    expect((await carol.pb.collection('rooms').getOne<RoomsRecord>(old.id)).members).toEqual([bob.id, carol.id]);
    await post(carol, old, 'still here');
  });
});

describe('leaving', () => {
  it('refuses leave by a non-member, and a member removing someone else', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    expect((await refused(roomAction(mallory, room, 'leave'))).status).toBe(404);
    // A public room one reads without having joined it has nothing to leave.
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    const publicLeave = await refused(roomAction(mallory, lobby, 'leave'));
    expect(publicLeave.status).toBe(400);
    await refused(bob.pb.collection('rooms').update(room.id, { 'members-': carol.id }));
    await refused(bob.pb.collection('rooms').update(room.id, { members: [alice.id, bob.id] }));
    // The route removes only the caller, whatever the body says.
    await refused(roomAction(bob, room, 'leave', { successor: carol.id }));
    expect((await stored(room.id)).members).toEqual([alice.id, bob.id, carol.id]);
  });

  it('lets a member leave: they stop seeing the room and its messages', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    const broadcast = await listen<MessagesRecord>(bob.pb, MESSAGES_TOPIC);
    await roomAction(bob, room, 'leave');
    const later = await post(alice, room, 'after bob left');
    expect(await listedFor(bob)).not.toContain(room.id);
    expect((await refused(bob.pb.collection('messages').getOne(later.id))).status).toBe(404);
    expect((await stored(room.id)).members).toEqual([alice.id, carol.id]);
    expect((await stored(room.id)).owner).toBe(alice.id);
    expect(broadcast.ids()).not.toContain(later.id);
    await broadcast.unsubscribe();
  });

  it('hands the room on when the owner leaves: to the successor named, who must be a member', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    await invite(alice, 'private', [mallory]);
    await alice.pb.collection('rooms').update(room.id, { 'invited+': mallory.id });
    for (const stranger of [mallory.id, 'nosuchuser0000', alice.id]) {
      const result = await refused(roomAction(alice, room, 'leave', { successor: stranger }));
      expect(result.status).toBe(400);
      expect(result.data.successor?.code).toBe('validation_not_member');
    }
    expect((await stored(room.id)).owner).toBe(alice.id);

    await roomAction(alice, room, 'leave', { successor: carol.id });
    const after = await stored(room.id);
    expect([after.owner, after.members]).toEqual([carol.id, [bob.id, carol.id]]);
    // The new owner has the owner's rights; the old one none.
    await carol.pb.collection('rooms').update(room.id, { name: 'carol runs it' });
    await refused(alice.pb.collection('rooms').update(room.id, { name: 'mine again' }));
  });

  it('hands the room to the longest-standing member when none is named, and deletes it when alone', async () => {
    const room = await createRoom(alice, 'private', [carol, bob]);
    await roomAction(alice, room, 'leave');
    expect((await stored(room.id)).owner).toBe(carol.id);
    await roomAction(bob, room, 'leave');
    const message = await post(carol, room, 'last one here');
    await roomAction(carol, room, 'leave');
    expect((await refused(stored(room.id))).status).toBe(404);
    expect((await refused((await server.admin()).collection('messages').getOne(message.id))).status).toBe(404);
  });
});

describe('closing a direct conversation', () => {
  it('works for direct conversations only, hides who closed it from the other, and a new message re-opens it', async () => {
    const room = await createRoom(carol, 'private', [bob]);
    expect((await refused(roomAction(bob, room, 'close'))).status).toBe(400);
    const dm = await createRoom(bob, 'direct', [carol]);
    expect((await refused(roomAction(bob, dm, 'leave'))).status).toBe(400);
    expect((await refused(roomAction(mallory, dm, 'close'))).status).toBe(404);

    await roomAction(bob, dm, 'close');
    expect((await bob.pb.collection('rooms').getOne<RoomsRecord>(dm.id)).closedBy).toEqual([bob.id]);
    expect((await carol.pb.collection('rooms').getOne<RoomsRecord>(dm.id)).closedBy).toEqual([]);
    await refused(bob.pb.collection('rooms').update(dm.id, { closedBy: [] }));
    await refused(carol.pb.collection('rooms').update(dm.id, { 'closedBy+': carol.id }));

    const rooms = await listen<RoomsRecord>(bob.pb, 'rooms/*');
    await post(carol, dm, 'are you there?');
    await until(
      () => rooms.events.some((e) => e.record.id === dm.id && e.record.closedBy.length === 0),
      'the conversation to re-open for bob',
    );
    expect((await stored(dm.id)).closedBy).toEqual([]);
    await rooms.unsubscribe();
  });
});

describe('blocking', () => {
  it('is invisible to the blocked person and to everyone else, and made only by the blocker', async () => {
    const block = await carol.pb.collection('blocks').create<BlocksRecord>({ user: carol.id, blocked: mallory.id });
    for (const other of [mallory, alice]) {
      expect(await other.pb.collection('blocks').getFullList()).toEqual([]);
      expect((await refused(other.pb.collection('blocks').getOne(block.id))).status).toBe(404);
      await refused(other.pb.collection('blocks').delete(block.id));
      const filtered = await other.pb
        .collection('rooms')
        .getFullList({ filter: `@collection.blocks.blocked ?= "${mallory.id}"` })
        .catch(() => []);
      expect(filtered).toEqual([]);
    }
    // Nobody blocks on someone else's behalf, nor themselves.
    await refused(mallory.pb.collection('blocks').create({ user: alice.id, blocked: bob.id }));
    await refused(alice.pb.collection('blocks').create({ user: alice.id, blocked: alice.id }));
    expect((await carol.pb.collection('blocks').getFullList()).map((b) => b.id)).toEqual([block.id]);
    await carol.pb.collection('blocks').delete(block.id);
  });

  it('refuses inviting or starting a direct conversation with someone who blocked you, without saying so', async () => {
    const blocker = await signUp(server, 'blocker');
    const block = await blocker.pb.collection('blocks').create({ user: blocker.id, blocked: mallory.id });
    const attempts = [
      refused(invite(mallory, 'direct', [blocker])),
      refused(invite(mallory, 'private', [alice, blocker])),
      (async () => {
        const room = await invite(mallory, 'private', []);
        return refused(mallory.pb.collection('rooms').update(room.id, { 'invited+': blocker.id }));
      })(),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.status).toBe(400);
      // Neither the code nor the words name the block: the person refused learns only "not you".
      expect(result.data.invited?.code).toBe('validation_cannot_add');
      expect(JSON.stringify(result)).not.toMatch(/block/i);
    }
    const fromMallory = await blocker.pb
      .collection('rooms')
      .getFullList<RoomsRecord>({ filter: `owner = "${mallory.id}"` });
    expect(fromMallory).toEqual([]);
    // Once unblocked, the invitation goes through.
    await blocker.pb.collection('blocks').delete(block.id);
    const dm = await invite(mallory, 'direct', [blocker]);
    expect(dm.invited).toEqual([blocker.id]);
  });

  it("stops a blocked author's messages reaching the blocker in a shared room, and only them", async () => {
    const room = await createRoom(alice, 'private', [bob, mallory]);
    const blocker = await listen<MessagesRecord>(alice.pb, MESSAGES_TOPIC);
    const other = await listen<MessagesRecord>(bob.pb, MESSAGES_TOPIC);
    const block = await alice.pb.collection('blocks').create({ user: alice.id, blocked: mallory.id });

    const unwanted = await post(mallory, room, 'you cannot ignore me');
    const fine = await post(bob, room, 'hi all');
    await until(() => blocker.ids().includes(fine.id), 'the blocker to get the message after it');
    await until(() => other.ids().includes(unwanted.id), 'the others to get the blocked author');
    expect(blocker.ids()).not.toContain(unwanted.id);

    // Unblocking takes effect at once: the broadcast does not keep a stale list.
    await alice.pb.collection('blocks').delete(block.id);
    const again = await post(mallory, room, 'back again');
    await until(() => blocker.ids().includes(again.id), 'the unblocked author to reach alice');
    for (const listener of [blocker, other]) await listener.unsubscribe();
  });

  it('keeps a closed direct conversation closed for the blocker when the blocked person writes', async () => {
    const dm = await createRoom(bob, 'direct', [mallory]);
    await bob.pb.collection('blocks').create({ user: bob.id, blocked: mallory.id });
    await roomAction(bob, dm, 'close');
    await post(mallory, dm, 'open up');
    expect((await stored(dm.id)).closedBy).toEqual([bob.id]);
  });
});
