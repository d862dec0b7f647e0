// Moderators from the attacker's side (backend/moderators.go, migration 1795700160): who may appoint,
// who may be appointed, where a moderator's powers end, and the one audit entry each action leaves
// (backend/audit_log.go). Alice owns the room "tidy"; Bob moderates it; Carol and Dave are members.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { accept, createRoom, invite, post, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let mallory: TestUser;

interface Entry {
  actor: string;
  actorKind: string;
  action: string;
  targetCollection: string;
  target: string;
  room: string;
  detail: unknown;
}

/** Every audit entry of a room, as a superuser reads them, in no particular order. */
async function auditOf(roomId: string): Promise<Entry[]> {
  const admin = await server.admin();
  const entries = await admin.collection('audit_log').getFullList<Entry & { id: string }>({
    filter: admin.filter('room = {:room}', { room: roomId }),
  });
  return entries.map(({ actor, actorKind, action, targetCollection, target, room, detail }) => ({
    actor,
    actorKind,
    action,
    targetCollection,
    target,
    room,
    detail,
  }));
}

/** The room's audit entries are exactly these (compared as a set: entries of one request share a moment). */
async function expectAudit(roomId: string, expected: Array<Partial<Entry>>): Promise<void> {
  const entries = await auditOf(roomId);
  expect(entries).toHaveLength(expected.length);
  expect(entries).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
}

function entry(actor: TestUser, action: string, target: string, roomId: string, detail?: unknown): Partial<Entry> {
  const base = { actor: actor.id, actorKind: 'user', action, target, room: roomId };
  return detail === undefined ? base : { ...base, detail };
}

async function stored(roomId: string): Promise<RoomsRecord> {
  return (await server.admin()).collection('rooms').getOne<RoomsRecord>(roomId);
}

async function exists(messageId: string): Promise<boolean> {
  const admin = await server.admin();
  return (
    (await admin.collection('messages').getList(1, 1, { filter: admin.filter('id = {:id}', { id: messageId }) }))
      .totalItems === 1
  );
}

function removeMember(who: TestUser, roomId: string, member: string): Promise<unknown> {
  return who.pb.send(`/api/palaver/rooms/${roomId}/remove`, { method: 'POST', body: { member }, requestKey: null });
}

function appoint(who: TestUser, roomId: string, user: string): Promise<RoomsRecord> {
  return who.pb.collection('rooms').update<RoomsRecord>(roomId, { 'moderators+': user });
}

let tidy: RoomsRecord;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, dave, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'dave'),
    signUp(server, 'mallory'),
  ]);
});

beforeEach(async () => {
  tidy = await createRoom(alice, 'private', [bob, carol, dave], `tidy ${Date.now()}`);
  await appoint(alice, tidy.id, bob.id);
});

afterAll(async () => {
  await server?.stop();
});

describe('appointing', () => {
  it('is the owner’s alone, each appointment and removal one audit entry', async () => {
    await expectAudit(tidy.id, [entry(alice, 'moderator_added', bob.id, tidy.id)]);
    // A moderator, a member and an outsider cannot appoint anyone, themselves included, nor dismiss anyone.
    for (const [who, target] of [
      [bob, carol],
      [carol, carol],
      [mallory, mallory],
    ] as const) {
      expect([403, 404]).toContain((await refused(appoint(who, tidy.id, target.id))).status);
    }
    await refused(carol.pb.collection('rooms').update(tidy.id, { 'moderators-': bob.id }));
    await refused(bob.pb.collection('rooms').update(tidy.id, { moderators: [bob.id, carol.id, dave.id] }));
    expect((await stored(tidy.id)).moderators).toEqual([bob.id]);

    await alice.pb.collection('rooms').update(tidy.id, { 'moderators-': bob.id });
    expect((await stored(tidy.id)).moderators).toEqual([]);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(alice, 'moderator_removed', bob.id, tidy.id),
    ]);
  });

  it('refuses anyone who is not a member: an outsider, an invitee, the owner; and any moderator of a direct conversation', async () => {
    const invitee = await signUp(server, 'invitee');
    const room = await invite(alice, 'private', [invitee]);
    for (const [user, code] of [
      [mallory.id, 'validation_moderator_not_member'],
      [invitee.id, 'validation_moderator_not_member'],
      [alice.id, 'validation_moderator_owner'],
    ] as const) {
      const result = await refused(appoint(alice, room.id, user));
      expect([result.status, result.data.moderators?.code]).toEqual([400, code]);
    }
    const direct = await createRoom(alice, 'direct', [carol]);
    const result = await refused(appoint(alice, direct.id, carol.id));
    expect([result.status, result.data.moderators?.code]).toEqual([400, 'validation_direct_no_moderators']);
    // Nor at creation, where the creator is the only member.
    const created = await refused(
      alice.pb
        .collection('rooms')
        .create({ name: 'pre-staffed', kind: 'private', owner: alice.id, members: [alice.id], moderators: [bob.id] }),
    );
    expect(created.data.moderators?.code).toBe('validation_moderator_not_member');
    for (const id of [room.id, direct.id]) {
      expect((await stored(id)).moderators).toEqual([]);
      await expectAudit(id, []);
    }
  });

  it('ends when the moderator leaves the room, with no audit entry (leaving is no moderation)', async () => {
    await roomAction(bob, tidy, 'leave');
    expect((await stored(tidy.id)).moderators).toEqual([]);
    await expectAudit(tidy.id, [entry(alice, 'moderator_added', bob.id, tidy.id)]);
    // Back by invitation, they are a member only.
    await alice.pb.collection('rooms').update(tidy.id, { 'invited+': bob.id });
    await accept(bob, tidy);
    const message = await post(carol, tidy, 'still here');
    await refused(bob.pb.collection('messages').delete(message.id));
    expect(await exists(message.id)).toBe(true);
  });
});

describe('the owner leaving without naming a successor', () => {
  it('hands the room to a moderator before the longest-standing member', async () => {
    // bob is the longest-standing member after alice; dave, who joined later, moderates.
    await alice.pb.collection('rooms').update(tidy.id, { moderators: [dave.id] });
    const before = (await stored(tidy.id)).members.filter((id) => id !== alice.id);
    expect(before.indexOf(bob.id)).toBe(0);
    expect(before.indexOf(dave.id)).toBeGreaterThan(0);
    await roomAction(alice, tidy, 'leave');
    const after = await stored(tidy.id);
    expect(after.owner).toBe(dave.id);
    expect(after.members).not.toContain(alice.id);
  });
});

describe('deleting messages', () => {
  it('lets a moderator delete anyone’s message in their room, leaving one entry with its author and text', async () => {
    const message = await post(carol, tidy, 'buy cheap watches');
    await bob.pb.collection('messages').delete(message.id);
    expect(await exists(message.id)).toBe(false);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      { ...entry(bob, 'message_deleted', message.id, tidy.id), targetCollection: 'messages' },
    ]);
    const [deleted] = (await auditOf(tidy.id)).filter((e) => e.action === 'message_deleted');
    expect(deleted!.detail).toEqual({ author: carol.id, text: 'buy cheap watches' });
  });

  it('leaves no entry when authors delete their own messages, moderators included', async () => {
    for (const author of [carol, bob, alice]) {
      const message = await post(author, tidy, `mine, ${author.username}`);
      await author.pb.collection('messages').delete(message.id);
      expect(await exists(message.id)).toBe(false);
    }
    await expectAudit(tidy.id, [entry(alice, 'moderator_added', bob.id, tidy.id)]);
  });

  it('counts the owner’s delete of someone else’s message as moderation', async () => {
    const message = await post(dave, tidy, 'off topic');
    await alice.pb.collection('messages').delete(message.id);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(alice, 'message_deleted', message.id, tidy.id, { author: dave.id, text: 'off topic' }),
    ]);
  });

  it('gives a moderator no power elsewhere: not in another room they are in, not in a direct conversation', async () => {
    const other = await createRoom(carol, 'private', [bob, dave]);
    const direct = await createRoom(bob, 'direct', [carol]);
    const publicRoom = await createRoom(carol, 'public', [], `open ${Date.now()}`);
    await roomAction(bob, publicRoom, 'join');
    const targets = [
      await post(dave, other, 'not yours to delete'),
      await post(carol, direct, 'between us'),
      await post(dave, publicRoom, 'open talk'),
    ];
    for (const message of targets) {
      expect((await refused(bob.pb.collection('messages').delete(message.id))).status).toBe(404);
      expect(await exists(message.id)).toBe(true);
    }
    // Nor can members who do not moderate delete each other's messages.
    const inTidy = await post(carol, tidy, 'hello');
    expect((await refused(dave.pb.collection('messages').delete(inTidy.id))).status).toBe(404);
    for (const room of [other, direct, publicRoom]) await expectAudit(room.id, []);
  });

  it('says in the delete event that a moderator removed it, without its text; an author’s delete says nothing', async () => {
    const events: Array<{ action: string; record: MessagesRecord & { removedBy?: string } }> = [];
    const unsubscribe = await dave.pb.realtime.subscribe(MESSAGES_TOPIC, (e) => events.push(e));
    const removed = await post(carol, tidy, 'something rude');
    const withdrawn = await post(carol, tidy, 'oops, wrong room');
    await bob.pb.collection('messages').delete(removed.id);
    await carol.pb.collection('messages').delete(withdrawn.id);
    const deadline = Date.now() + 5000;
    while (events.filter((e) => e.action === 'delete').length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await unsubscribe();
    const deletes = new Map(events.filter((e) => e.action === 'delete').map((e) => [e.record.id, e.record]));
    expect(deletes.get(removed.id)).toMatchObject({ removedBy: 'moderator', text: '', room: tidy.id });
    expect(deletes.get(withdrawn.id)).toMatchObject({ text: 'oops, wrong room' });
    expect(deletes.get(withdrawn.id)).not.toHaveProperty('removedBy');
  });
});

describe('removing members', () => {
  it('lets a moderator remove a member, who then reads nothing of the room, with one entry', async () => {
    const message = await post(alice, tidy, 'members only');
    await removeMember(bob, tidy.id, dave.id);
    expect((await stored(tidy.id)).members).not.toContain(dave.id);
    expect((await refused(dave.pb.collection('messages').getOne(message.id))).status).toBe(404);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(bob, 'member_removed', dave.id, tidy.id, { moderator: false }),
    ]);
  });

  it('never lets a moderator remove the owner or another moderator, nor anyone act outside their rooms', async () => {
    await appoint(alice, tidy.id, carol.id);
    expect((await refused(removeMember(bob, tidy.id, alice.id))).status).toBe(403);
    expect((await refused(removeMember(bob, tidy.id, carol.id))).status).toBe(403);
    expect((await refused(removeMember(carol, tidy.id, bob.id))).status).toBe(403);
    // A member who does not moderate removes nobody; an outsider does not even see the room.
    expect((await refused(removeMember(dave, tidy.id, carol.id))).status).toBe(403);
    expect((await refused(removeMember(mallory, tidy.id, dave.id))).status).toBe(404);
    // Bob is a member of Carol's room, not its moderator.
    const other = await createRoom(carol, 'private', [bob, dave]);
    expect((await refused(removeMember(bob, other.id, dave.id))).status).toBe(403);
    // Nobody is removed from a direct conversation or a public room (anyone can join that again).
    const direct = await createRoom(bob, 'direct', [dave]);
    expect((await refused(removeMember(bob, direct.id, dave.id))).status).toBe(400);
    const publicRoom = await createRoom(alice, 'public', [], `hall ${Date.now()}`);
    await roomAction(dave, publicRoom, 'join');
    expect((await refused(removeMember(alice, publicRoom.id, dave.id))).status).toBe(400);
    // Nor someone not in the room.
    const notMember = await refused(removeMember(bob, tidy.id, mallory.id));
    expect([notMember.status, notMember.data.member?.code]).toEqual([400, 'validation_not_member']);

    expect((await stored(tidy.id)).members.sort()).toEqual([alice.id, bob.id, carol.id, dave.id].sort());
    expect((await stored(other.id)).members).toContain(dave.id);
    expect((await stored(publicRoom.id)).members).toContain(dave.id);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(alice, 'moderator_added', carol.id, tidy.id),
    ]);
    for (const room of [other, direct, publicRoom]) await expectAudit(room.id, []);
  });

  it('lets the owner remove a moderator from the room, which ends the role, as one member_removed entry', async () => {
    await removeMember(alice, tidy.id, bob.id);
    const room = await stored(tidy.id);
    expect([room.members.includes(bob.id), room.moderators]).toEqual([false, []]);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(alice, 'member_removed', bob.id, tidy.id, { moderator: true }),
    ]);
  });

  it('audits the owner’s removal through the room record too', async () => {
    await alice.pb.collection('rooms').update(tidy.id, { 'members-': [bob.id, dave.id] });
    expect((await stored(tidy.id)).moderators).toEqual([]);
    await expectAudit(tidy.id, [
      entry(alice, 'moderator_added', bob.id, tidy.id),
      entry(alice, 'member_removed', bob.id, tidy.id, { moderator: true }),
      entry(alice, 'member_removed', dave.id, tidy.id, { moderator: false }),
    ]);
  });
});

describe('the audit log', () => {
  it('cannot be read by the people it names: moderators, owners, members', async () => {
    const message = await post(carol, tidy, 'spam');
    await bob.pb.collection('messages').delete(message.id);
    for (const who of [alice, bob, carol]) {
      expect((await refused(who.pb.collection('audit_log').getList(1, 50))).status).toBe(403);
    }
    expect(await auditOf(tidy.id)).toHaveLength(2);
  });
});
