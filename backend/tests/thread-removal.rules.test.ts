// A thread's replies go with its root (backend/thread_removal.go). Whoever deletes a root removes every
// reply in it: each reply written by someone else leaves its own audit entry, as if deleted alone, and
// when the root's removal is moderation every reply's delete event says "removed by a moderator" without
// its text. Alice owns the room; Bob moderates it; Carol and Dave are members.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { createRoom, post, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let room: RoomsRecord;

type Removed = MessagesRecord & { removedBy?: string };

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, dave] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'dave'),
  ]);
});

beforeEach(async () => {
  room = await createRoom(alice, 'private', [bob, carol, dave], `threads ${Date.now()}`);
  await alice.pb.collection('rooms').update(room.id, { 'moderators+': bob.id });
});

afterAll(async () => {
  await server?.stop();
});

function reply(author: TestUser, root: MessagesRecord, text: string, alsoInRoom = false): Promise<MessagesRecord> {
  return author.pb
    .collection('messages')
    .create<MessagesRecord>({ text, user: author.id, room: root.room, thread: root.id, alsoInRoom });
}

/** The room's message_deleted entries, by the message they name. */
async function deletions(): Promise<Map<string, { actor: string; detail: unknown }>> {
  const admin = await server.admin();
  const entries = await admin.collection('audit_log').getFullList<{ actor: string; target: string; detail: unknown }>({
    filter: admin.filter('room = {:room} && action = "message_deleted"', { room: room.id }),
  });
  return new Map(entries.map((e) => [e.target, { actor: e.actor, detail: e.detail }]));
}

/** Dave listens to the app's messages topic while `act` runs, until `count` delete events have come. */
async function deleteEvents(count: number, act: () => Promise<unknown>): Promise<Map<string, Removed>> {
  const events: Array<{ action: string; record: Removed }> = [];
  const unsubscribe = await dave.pb.realtime.subscribe(MESSAGES_TOPIC, (e) => events.push(e));
  await act();
  await expect.poll(() => events.filter((e) => e.action === 'delete').length).toBe(count);
  await unsubscribe();
  return new Map(events.filter((e) => e.action === 'delete').map((e) => [e.record.id, e.record]));
}

describe('deleting a thread’s root', () => {
  it('by a moderator removes every reply as moderation: an entry for each reply by another, the placeholder for all', async () => {
    const root = await post(carol, room, 'who wants cheap watches?');
    const replies = [
      await reply(dave, root, 'me, DM me your address', true),
      await reply(alice, root, 'not here please'),
      await reply(carol, root, 'sent you a link'),
      await reply(bob, root, 'closing this thread'),
    ];
    const events = await deleteEvents(5, () => bob.pb.collection('messages').delete(root.id));

    const admin = await server.admin();
    for (const id of [root.id, ...replies.map((r) => r.id)]) {
      await expect(admin.collection('messages').getOne(id)).rejects.toMatchObject({ status: 404 });
      // Nothing removed is sent out again, and every client puts the moderator's note where it was.
      expect(events.get(id)).toMatchObject({ removedBy: 'moderator', text: '' });
    }
    const entries = await deletions();
    expect(entries.get(root.id)).toEqual({ actor: bob.id, detail: { author: carol.id, text: root.text } });
    for (const r of replies.slice(0, 3)) {
      expect(entries.get(r.id)).toEqual({ actor: bob.id, detail: { author: r.user, text: r.text, thread: root.id } });
    }
    // The moderator's own reply is no one else's message: no entry, as when they delete it alone.
    expect(entries.has(replies[3]!.id)).toBe(false);
    expect(entries.size).toBe(4);
  });

  it('by its author removes others’ replies with an entry each, and says nothing of a moderator', async () => {
    const root = await post(carol, room, 'my thread');
    const others = await reply(dave, root, 'my reply to it');
    const own = await reply(carol, root, 'my own follow-up');
    const events = await deleteEvents(3, () => carol.pb.collection('messages').delete(root.id));
    for (const id of [root.id, others.id, own.id]) expect(events.get(id)).not.toHaveProperty('removedBy');
    const entries = await deletions();
    expect([...entries.keys()]).toEqual([others.id]);
    expect(entries.get(others.id)).toEqual({
      actor: carol.id,
      detail: { author: dave.id, text: 'my reply to it', thread: root.id },
    });
  });

  it('keeps the thread whole when the root’s delete is refused: nobody else deletes a member’s replies', async () => {
    const root = await post(carol, room, 'a thread Dave cannot delete');
    const answer = await reply(alice, root, 'an answer');
    await expect(dave.pb.collection('messages').delete(root.id)).rejects.toMatchObject({ status: 404 });
    const admin = await server.admin();
    for (const id of [root.id, answer.id]) expect((await admin.collection('messages').getOne(id)).id).toBe(id);
    expect((await admin.collection('messages').getOne<MessagesRecord>(root.id)).threadInfo).toMatchObject({
      replies: 1,
    });
    expect((await deletions()).size).toBe(0);
  });
});
