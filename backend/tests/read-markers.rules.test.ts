// Read markers from the attacker's side (backend/read_markers.go, migrations 1795700120-1795700121): only
// their owner lists, reads, makes, moves or deletes one, only in a room they are a member of; its id is
// readMarkerId(user, room) and nothing else; `readAt` is the server's; `message` stays in the marker's
// room; GET /api/palaver/unread counts every joined room as the client does, and a marker's move reaches
// the owner's other devices on palaver/reads and nobody else.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, ReadMarkersRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { readMarkerId } from '../../src-shared/read-marker-id.ts';
import { READS_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, invite, post, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

interface RoomReadState {
  unread: number;
  mentions: number;
  message: string;
  readAt: string;
}
interface ReadsEvent extends RoomReadState {
  room: string;
}

let server: TestServer;
let alice: TestUser; // owns the rooms, writes most messages
let bob: TestUser; // the reader: member of `secret`
let carol: TestUser; // member of `secret` too
let mallory: TestUser; // member of nothing of alice's
let secret: RoomsRecord;
let elsewhere: RoomsRecord; // alice's other private room, with bob and carol

function mark(who: TestUser, room: RoomsRecord, message: string, extra: Record<string, unknown> = {}) {
  return who.pb.collection('read_markers').create<ReadMarkersRecord>({
    id: readMarkerId(who.id, room.id),
    user: who.id,
    room: room.id,
    message,
    ...extra,
  });
}

function move(who: TestUser, room: RoomsRecord, body: Record<string, unknown>, owner: TestUser = who) {
  return who.pb.collection('read_markers').update<ReadMarkersRecord>(readMarkerId(owner.id, room.id), body);
}

async function unread(who: TestUser): Promise<Record<string, RoomReadState>> {
  const body = await who.pb.send<{ rooms: Record<string, RoomReadState> }>('/api/palaver/unread', { requestKey: null });
  return body.rooms;
}

function reply(author: TestUser, root: MessagesRecord, text: string, extra: Record<string, unknown> = {}) {
  return author.pb
    .collection('messages')
    .create<MessagesRecord>({ text, user: author.id, room: root.room, thread: root.id, ...extra });
}

/** Runs SQL on the stopped server's database with the sqlite3 CLI (as bench/history-seed.ts does). */
function sql(statements: string): string {
  const run = spawnSync('sqlite3', [join(server.dataDir, 'data.db')], { input: statements, encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`sqlite3 failed (is the sqlite3 CLI installed?): ${run.error?.message ?? run.stderr}`);
  }
  return run.stdout;
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
  ]);
  secret = await createRoom(alice, 'private', [bob, carol]);
  elsewhere = await createRoom(alice, 'private', [bob, carol]);
});

afterAll(async () => {
  await server?.stop();
});

describe('the owner', () => {
  it('makes, reads, moves forwards and backwards, and deletes their marker', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const first = await post(alice, room, 'one');
    const second = await post(alice, room, 'two');
    const created = await mark(bob, room, second.id);
    expect(created).toMatchObject({ id: readMarkerId(bob.id, room.id), user: bob.id, room: room.id });
    expect(created.readAt).toBe(second.created);

    expect((await bob.pb.collection('read_markers').getOne(created.id)).message).toBe(second.id);
    expect((await bob.pb.collection('read_markers').getFullList({ filter: `room = "${room.id}"` })).length).toBe(1);

    // "Mark as unread": backwards, then to nothing read at all.
    expect((await move(bob, room, { message: first.id })).readAt).toBe(first.created);
    const cleared = await move(bob, room, { message: '' });
    expect(cleared).toMatchObject({ message: '', readAt: '' });

    await bob.pb.collection('read_markers').delete(created.id);
    expect((await refused(bob.pb.collection('read_markers').getOne(created.id))).status).toBe(404);
  });

  it('gets the computed id when sending none, and is refused any other id', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const message = await post(alice, room, 'hello');
    const wrong = await refused(
      bob.pb
        .collection('read_markers')
        .create({ id: 'aaaaaaaaaaaaaaa', user: bob.id, room: room.id, message: message.id }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.id?.code).toBe('validation_read_marker_id');
    // Someone else's id for the same room is "another id" too.
    const theirs = await refused(
      bob.pb
        .collection('read_markers')
        .create({ id: readMarkerId(alice.id, room.id), user: bob.id, room: room.id, message: message.id }),
    );
    expect(theirs.status).toBe(400);

    const made = await bob.pb
      .collection('read_markers')
      .create<ReadMarkersRecord>({ user: bob.id, room: room.id, message: message.id });
    expect(made.id).toBe(readMarkerId(bob.id, room.id));
    // A second create (another device) finds it taken: the client then updates.
    const again = await refused(mark(bob, room, message.id));
    expect(again.status).toBe(400);
    expect(again.data.id?.code).toBe('validation_not_unique');
  });

  it('cannot forge readAt: it is always the message’s created, on create and on update', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const message = await post(alice, room, 'when?');
    const future = '2099-01-01 00:00:00.000Z';
    expect((await mark(bob, room, message.id, { readAt: future })).readAt).toBe(message.created);
    expect((await move(bob, room, { readAt: future })).readAt).toBe(message.created);
    expect((await move(bob, room, { message: '', readAt: future })).readAt).toBe('');
    // A forged readAt would have hidden every later message; the counts prove it did not.
    await post(alice, room, 'later');
    expect((await unread(bob))[room.id]).toMatchObject({ unread: 2, readAt: '' });
  });

  it('cannot point the marker at a message of another room (400 on message), readable or not', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const here = await post(alice, room, 'here');
    const readableElsewhere = await post(alice, elsewhere, 'bob can read this one');
    const unreadable = await post(mallory, await createRoom(mallory, 'private'), 'mallory’s own');
    for (const other of [readableElsewhere.id, unreadable.id, 'zzzzzzzzzzzzzzz']) {
      const result = await refused(mark(bob, room, other));
      expect(result.status).toBe(400);
      expect(Object.keys(result.data)).toContain('message');
    }
    await mark(bob, room, here.id);
    const moved = await refused(move(bob, room, { message: readableElsewhere.id }));
    expect(moved.status).toBe(400);
    expect(moved.data.message?.code).toBe('validation_read_marker_message');
  });

  it('cannot move the marker to another person or room', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const message = await post(alice, room, 'fixed');
    await mark(bob, room, message.id);
    expect([400, 404]).toContain((await refused(move(bob, room, { user: alice.id }))).status);
    expect([400, 404]).toContain((await refused(move(bob, room, { room: elsewhere.id }))).status);
    const stored = await bob.pb.collection('read_markers').getOne<ReadMarkersRecord>(readMarkerId(bob.id, room.id));
    expect(stored).toMatchObject({ user: bob.id, room: room.id });
  });

  it('keeps readAt when the message it points at is deleted, so the room does not turn unread again', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    await post(alice, room, 'older');
    const gone = await post(alice, room, 'soon deleted');
    await mark(bob, room, gone.id);
    await alice.pb.collection('messages').delete(gone.id);
    const stored = await bob.pb.collection('read_markers').getOne<ReadMarkersRecord>(readMarkerId(bob.id, room.id));
    expect(stored).toMatchObject({ message: '', readAt: gone.created });
    expect((await unread(bob))[room.id]).toEqual({ unread: 0, mentions: 0, message: '', readAt: gone.created });
    await post(alice, room, 'newer');
    expect((await unread(bob))[room.id]?.unread).toBe(1);
  });
});

describe('everyone else', () => {
  it('cannot list, view, make, move or delete someone’s marker', async () => {
    const message = await post(alice, secret, 'for bob and carol');
    const marker = await mark(bob, secret, message.id);
    for (const other of [carol, mallory, alice]) {
      expect(await other.pb.collection('read_markers').getFullList({ filter: `user = "${bob.id}"` })).toEqual([]);
      expect((await refused(other.pb.collection('read_markers').getOne(marker.id))).status).toBe(404);
      expect((await refused(move(other, secret, { message: '' }, bob))).status).toBe(404);
      expect((await refused(other.pb.collection('read_markers').delete(marker.id))).status).toBe(404);
    }
    // Carol, a member too, cannot make bob's marker (as him, or as herself with his id).
    const asBob = await refused(
      carol.pb.collection('read_markers').create({ user: bob.id, room: secret.id, message: message.id }),
    );
    expect(asBob.status).toBeGreaterThanOrEqual(400);
    const anon = anonymous(server);
    expect(await anon.collection('read_markers').getFullList()).toEqual([]);
    expect((await refused(anon.collection('read_markers').getOne(marker.id))).status).toBe(404);
    expect((await bob.pb.collection('read_markers').getOne<ReadMarkersRecord>(marker.id)).message).toBe(message.id);
  });

  it('cannot have a marker in a room they only are invited to, read without joining, or were removed from', async () => {
    const pending = await invite(alice, 'private', [mallory]);
    const pendingMessage = await post(alice, pending, 'not yet');
    expect((await refused(mark(mallory, pending, pendingMessage.id))).status).toBeGreaterThanOrEqual(400);
    expect((await refused(mark(mallory, pending, ''))).status).toBeGreaterThanOrEqual(400);

    const open = await createRoom(alice, 'public');
    const openMessage = await post(alice, open, 'anyone can read this');
    expect((await refused(mark(mallory, open, openMessage.id))).status).toBeGreaterThanOrEqual(400);
    await roomAction(mallory, open, 'join'); // which makes the marker (read up to the join)
    await move(mallory, open, { message: '' });
    await roomAction(mallory, open, 'leave');
    expect((await refused(move(mallory, open, { message: '' }))).status).toBe(404);

    const room = await createRoom(alice, 'private', [mallory]);
    const message = await post(alice, room, 'before');
    await mark(mallory, room, '');
    await alice.pb.collection('rooms').update(room.id, { 'members-': mallory.id });
    expect((await refused(move(mallory, room, { message: message.id }))).status).toBe(404);
    await mallory.pb.collection('read_markers').delete(readMarkerId(mallory.id, room.id));
    expect((await refused(mark(mallory, room, message.id))).status).toBeGreaterThanOrEqual(400);
  });
});

describe('GET /api/palaver/unread', () => {
  it('is for signed-in accounts only', async () => {
    const anon = anonymous(server);
    expect((await refused(anon.send('/api/palaver/unread', {}))).status).toBe(401);
  });

  it('counts others’ messages after the marker, leaving out blocked authors and replies that are not the person’s business', async () => {
    const [dave, erin] = await Promise.all([signUp(server, 'dave'), signUp(server, 'erin')]);
    const room = await createRoom(alice, 'private', [dave, erin, mallory]);
    await dave.pb.collection('blocks').create({ user: dave.id, blocked: mallory.id });
    const read = await post(alice, room, 'read already');
    await mark(dave, room, read.id);
    const rootOfOthers = await post(alice, room, 'a thread dave is not in'); // 1
    const rootOfErins = await post(erin, room, 'erin starts a thread'); // 2
    const rootOfDaves = await post(dave, room, 'dave starts a thread'); // own
    await post(dave, room, 'dave again'); // own
    await post(mallory, room, `@${dave.username} from someone dave blocked`); // blocked
    await post(erin, room, `hey @${dave.username}`); // 3, mention 1
    await reply(alice, rootOfOthers, 'kept to a thread dave does not follow'); // not counted
    await reply(alice, rootOfDaves, 'in dave’s thread'); // 4: dave follows his own thread
    await reply(erin, rootOfOthers, 'also sent to the room', { alsoInRoom: true }); // 5
    await reply(erin, rootOfErins, `@${dave.username} look at this thread`); // 6, mention 2
    await reply(mallory, rootOfDaves, 'blocked, in dave’s thread'); // blocked

    const counts = await unread(dave);
    expect(counts[room.id]).toEqual({ unread: 6, mentions: 2, message: read.id, readAt: read.created });
    // The same room for alice, who has no marker and blocked nobody: everyone else's messages of the list,
    // mallory's reply in dave's thread (she replied there: she follows it), not erin's reply in erin's
    // thread (alice is not in it).
    const forAlice = (await unread(alice))[room.id];
    expect(forAlice).toEqual({ unread: 7, mentions: 0, message: '', readAt: '' });
  });

  it('lists every joined room, a room without a marker counted from its start, and no room one has not joined', async () => {
    const [frank] = await Promise.all([signUp(server, 'frank')]);
    const joined = await createRoom(alice, 'private', [frank]);
    await post(alice, joined, 'one');
    await post(alice, joined, 'two');
    const invitedOnly = await invite(alice, 'private', [frank]);
    await post(alice, invitedOnly, `@${frank.username} come in`);
    const open = await createRoom(alice, 'public');
    await post(alice, open, 'a public room frank reads but never joined');
    const left = await createRoom(alice, 'public');
    await roomAction(frank, left, 'join');
    await post(alice, left, 'frank left after this');
    await roomAction(frank, left, 'leave');

    const counts = await unread(frank);
    expect(counts[joined.id]).toEqual({ unread: 2, mentions: 0, message: '', readAt: '' });
    for (const absent of [invitedOnly, open, left, secret]) expect(counts[absent.id]).toBeUndefined();
    // general, joined at sign-up, is there too.
    expect(Object.keys(counts)).toHaveLength(2);
  });

  it('answers zeros and the marker once everything is read', async () => {
    const room = await createRoom(alice, 'private', [carol]);
    const last = await post(alice, room, 'the end');
    await mark(carol, room, last.id);
    expect((await unread(carol))[room.id]).toEqual({ unread: 0, mentions: 0, message: last.id, readAt: last.created });
  });
});

describe('joining a room', () => {
  // Whoever joins has read it up to then (backend/read_markers_join.go): its history is not news to count.
  it('reads a public room, an accepted invitation and #general up to the moment of joining; new messages count', async () => {
    const open = await createRoom(alice, 'public');
    await post(alice, open, 'history one');
    await post(alice, open, 'history two');
    const invited = await invite(alice, 'private', []);
    await post(alice, invited, 'before the invitation');
    const general = (await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"')).id;
    await post(alice, general, 'said in general before gina came');

    const gina = await signUp(server, 'gina'); // joins #general at sign-up
    await roomAction(gina, open, 'join');
    await alice.pb.collection('rooms').update(invited.id, { 'invited+': gina.id });
    await roomAction(gina, invited, 'accept');
    let counts = await unread(gina);
    for (const room of [open.id, invited.id, general]) expect(counts[room], room).toMatchObject({ unread: 0 });
    expect(counts[open.id]!.message).not.toBe('');

    await post(alice, open, 'after gina joined');
    counts = await unread(gina);
    expect(counts[open.id]).toMatchObject({ unread: 1 });
    // Left and joined again later: read up to the new moment, not counting what was said while away.
    await roomAction(gina, open, 'leave');
    await post(alice, open, 'while gina was away');
    await roomAction(gina, open, 'join');
    expect((await unread(gina))[open.id]).toMatchObject({ unread: 0 });
  });

  it('leaves what was written in a direct conversation before it was accepted as unread', async () => {
    const hank = await signUp(server, 'hank');
    const dm = await invite(alice, 'direct', [hank], '');
    await post(alice, dm, 'hello hank');
    await roomAction(hank, dm, 'accept');
    expect((await unread(hank))[dm.id]).toMatchObject({ unread: 1 });
  });
});

describe('palaver/reads', () => {
  async function listen(pb: PocketBase) {
    const events: ReadsEvent[] = [];
    const unsubscribe = await pb.realtime.subscribe(READS_TOPIC, (event) => events.push(event as ReadsEvent));
    return { events, unsubscribe };
  }

  async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('reaches the person’s other device within a second with the room’s counts, and nobody else', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    const first = await post(alice, room, 'one');
    const second = await post(alice, room, `two @${bob.username}`);
    await post(alice, room, 'three');

    // Bob's second device: its own SDK client and its own realtime connection.
    const laptop = new PocketBase(server.url);
    laptop.autoCancellation(false);
    laptop.authStore.save(bob.pb.authStore.token, bob.pb.authStore.record);
    const bobsLaptop = await listen(laptop);
    const bobsDesktop = await listen(bob.pb);
    const carols = await listen(carol.pb);
    const mallorys = await listen(mallory.pb);
    try {
      const sent = Date.now();
      await mark(bob, room, first.id);
      await until(() => bobsLaptop.events.length > 0, 'the event on bob’s other device', 1000);
      expect(Date.now() - sent).toBeLessThan(1000);
      expect(bobsLaptop.events[0]).toEqual({
        room: room.id,
        message: first.id,
        readAt: first.created,
        unread: 2,
        mentions: 1,
      });
      await until(() => bobsDesktop.events.length > 0, 'the event on bob’s own device');

      await move(bob, room, { message: second.id });
      await until(() => bobsLaptop.events.length > 1, 'the second event');
      expect(bobsLaptop.events[1]).toMatchObject({ message: second.id, unread: 1, mentions: 0 });

      // Carol reads too: her event is hers alone.
      await mark(carol, room, second.id);
      await new Promise((r) => setTimeout(r, 500));
      expect(carols.events).toHaveLength(1);
      expect(bobsLaptop.events).toHaveLength(2);
      expect(mallorys.events).toEqual([]);
      expect(carols.events.every((event) => event.room === room.id && event.message === second.id)).toBe(true);
    } finally {
      await bobsLaptop.unsubscribe();
      await bobsDesktop.unsubscribe();
      await carols.unsubscribe();
      await mallorys.unsubscribe();
      await laptop.realtime.unsubscribe();
    }
  });
});

// Last: these write to the stopped server's database, and restart it.
describe('counted straight from the database', () => {
  it('stops each room’s count at 1000, and the migration gives every member a marker at the newest message', async () => {
    const [gina, hank] = await Promise.all([signUp(server, 'gina'), signUp(server, 'hank')]);
    const busy = await createRoom(alice, 'private', [gina]);
    const quiet = await createRoom(alice, 'private', [gina, hank]);
    const newest = await post(alice, quiet, 'the newest of the room’s list');
    const root = await post(alice, quiet, 'root');
    await reply(alice, root, 'kept to its thread: not where the marker goes');
    const empty = await createRoom(alice, 'private', [gina]);

    await server.kill();
    // 1,500 messages from alice in `busy`, the last ten mentioning gina; then the backfill run again over
    // a database that has lost every marker.
    sql(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
      INSERT INTO messages (id, text, user, room, mentions, created, updated)
      SELECT printf('cap%012d', i), 'busy', '${alice.id}', '${busy.id}',
        CASE WHEN i > 1490 THEN '["${gina.id}"]' ELSE '[]' END,
        strftime('%Y-%m-%d %H:%M:%f', '2026-12-02 00:00:00', printf('+%d seconds', i)) || 'Z',
        strftime('%Y-%m-%d %H:%M:%f', '2026-12-02 00:00:00', printf('+%d seconds', i)) || 'Z'
      FROM n;
      DELETE FROM read_markers;
      DELETE FROM _migrations WHERE file = '1795700121_read_markers_backfill.js';
    `);
    await server.restart();
    const admin = await server.admin();

    const markers = await admin.collection('read_markers').getFullList<ReadMarkersRecord>();
    const of = (who: TestUser, room: RoomsRecord) => markers.find((m) => m.user === who.id && m.room === room.id);
    for (const who of [alice, gina, hank]) {
      const marker = of(who, quiet);
      expect(marker).toMatchObject({
        id: readMarkerId(who.id, quiet.id),
        message: root.id,
        readAt: root.created,
      });
    }
    expect(of(gina, empty)).toBeUndefined();
    expect(newest.created <= root.created).toBe(true);
    // Every marker the migration made has the id the client computes.
    expect(markers.every((m) => m.id === readMarkerId(m.user, m.room))).toBe(true);

    await admin.collection('read_markers').delete(readMarkerId(gina.id, busy.id));
    await gina.pb.collection('users').authRefresh();
    const counts = await unread(gina);
    // The newest 1000 are the ones counted: today's mentions are not lost behind the cap.
    expect(counts[busy.id]).toMatchObject({ unread: 1000, mentions: 10, message: '' });
    expect(counts[quiet.id]).toMatchObject({ unread: 0, mentions: 0, message: root.id });
  });
});
