// Threads from the attacker's side and the reader's (backend/threads.go, pb_migrations/1795700100): a reply
// lives in its root's room and is stored with the root, nobody replies where they cannot write, the root's
// threadInfo is the server's alone and follows every reply and delete, `thread` and `alsoInRoom` are fixed
// once sent, and the realtime path carries the reply with its updated root to the room's readers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, post, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

interface ThreadInfo {
  replies: number;
  lastReplyAt: string;
  repliers: string[];
  followers: string[];
}
type Message = Omit<MessagesRecord, 'threadInfo'> & { threadInfo: ThreadInfo | null };
type MessageEvent = RecordSubscription<Message & { expand?: { thread?: Message; user?: { id: string } } }>;

let server: TestServer;
let alice: TestUser; // owns the rooms
let bob: TestUser; // member of `secret` and of `elsewhere`
let carol: TestUser; // member of `secret`
let erin: TestUser; // member of `secret` who never writes in a thread: followers only through mentions
let dave: TestUser; // invited to `secret`, never accepted
let mallory: TestUser; // member of `elsewhere` only
let secret: RoomsRecord; // private: alice, bob, carol, erin
let elsewhere: RoomsRecord; // private: alice, bob, mallory

async function stored(id: string): Promise<Message> {
  return (await server.admin()).collection('messages').getOne<Message>(id);
}

async function reply(author: TestUser, root: { id: string; room: string }, text: string, extra = {}) {
  return author.pb
    .collection('messages')
    .create<Message>({ text, user: author.id, room: root.room, thread: root.id, ...extra });
}

async function exists(id: string): Promise<boolean> {
  return (await server.admin())
    .collection('messages')
    .getOne(id)
    .then(
      () => true,
      () => false,
    );
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, erin, dave, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'erin'),
    signUp(server, 'dave'),
    signUp(server, 'mallory'),
  ]);
  secret = await createRoom(alice, 'private', [bob, carol, erin]);
  await alice.pb.collection('rooms').update(secret.id, { 'invited+': dave.id });
  elsewhere = await createRoom(alice, 'private', [bob, mallory]);
});

afterAll(async () => {
  await server?.stop();
});

describe('a reply', () => {
  it('updates its root’s threadInfo: count, last reply time, repliers newest first, followers', async () => {
    const root = await post(alice, secret, 'shall we meet on Friday?');
    expect(root.thread).toBe('');
    expect(root.threadInfo).toBeNull();

    const first = await reply(bob, root, 'yes');
    expect(first.thread).toBe(root.id);
    expect(first.alsoInRoom).toBe(false);
    expect(first.threadInfo).toBeNull();
    let info = (await stored(root.id)).threadInfo;
    expect(info).toEqual({ replies: 1, lastReplyAt: first.created, repliers: [bob.id], followers: [alice.id, bob.id] });

    const second = await reply(carol, root, `only after noon, @${erin.username}?`);
    const third = await reply(bob, root, 'noon is fine');
    info = (await stored(root.id)).threadInfo;
    expect(info?.replies).toBe(3);
    expect(info?.lastReplyAt).toBe(third.created);
    // bob wrote last, then carol; each once.
    expect(info?.repliers).toEqual([bob.id, carol.id]);
    // erin never wrote here, but carol's reply mentions her.
    expect(info?.followers).toEqual([alice.id, bob.id, carol.id, erin.id]);
    expect(second.mentions).toEqual([erin.id]);
  });

  it('counts the root’s mentions among the followers, and keeps the root’s own fields as they were', async () => {
    const root = await post(alice, secret, `@${carol.username} can you check this?`);
    expect(root.mentions).toEqual([carol.id]);
    // carol leaves the room: an edit of the root would now mention nobody, but a reply is no edit.
    await roomAction(carol, secret, 'leave');
    try {
      await new Promise((r) => setTimeout(r, 5)); // so that `updated` can move
      await reply(bob, root, 'on it');
      const after = await stored(root.id);
      expect(after.text).toBe(root.text);
      expect(after.mentions).toEqual([carol.id]);
      expect(after.editedAt).toBe('');
      expect(after.updated > root.updated).toBe(true);
      expect(after.threadInfo?.followers).toEqual([alice.id, carol.id, bob.id]);
    } finally {
      await alice.pb.collection('rooms').update(secret.id, { 'invited+': carol.id });
      await roomAction(carol, secret, 'accept');
    }
  });

  it('shows at most five repliers, the most recent first, while followers keep everyone', async () => {
    const open = await createRoom(alice, 'public');
    const people = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => signUp(server, `replier${n}`)));
    const root = await post(alice, open, 'roll call');
    for (const person of people) await reply(person, root, 'here');
    await reply(people[0]!, root, 'still here');
    const info = (await stored(root.id)).threadInfo;
    expect(info?.replies).toBe(7);
    expect(info?.repliers).toEqual([people[0]!.id, people[5]!.id, people[4]!.id, people[3]!.id, people[2]!.id]);
    expect(info?.followers).toEqual([alice.id, ...people.map((p) => p.id)]);
  });

  it('to a reply joins the root’s thread', async () => {
    const root = await post(alice, secret, 'root');
    const first = await reply(bob, root, 'first');
    const nested = await reply(carol, first, 'answering bob');
    expect(nested.thread).toBe(root.id);
    expect((await stored(nested.id)).thread).toBe(root.id);
    expect((await stored(first.id)).threadInfo).toBeNull();
    expect((await stored(root.id)).threadInfo?.replies).toBe(2);
  });

  it('is counted exactly when many arrive at once (the summary is recounted, not incremented)', async () => {
    const root = await post(alice, secret, 'busy thread');
    const authors = [bob, carol, erin, alice];
    await Promise.all(Array.from({ length: 12 }, (_, i) => reply(authors[i % authors.length]!, root, `reply ${i}`)));
    const info = (await stored(root.id)).threadInfo;
    expect(info?.replies).toBe(12);
    expect(new Set(info?.repliers)).toEqual(new Set(authors.map((a) => a.id)));
  });

  it('is also in the room only when asked, and never without a thread', async () => {
    const root = await post(alice, secret, 'root');
    const shared = await reply(bob, root, 'for everyone', { alsoInRoom: true });
    expect(shared.alsoInRoom).toBe(true);
    const plain = await alice.pb
      .collection('messages')
      .create<Message>({ text: 'not a reply', user: alice.id, room: secret.id, alsoInRoom: true });
    expect(plain.alsoInRoom).toBe(false);
    expect((await stored(plain.id)).alsoInRoom).toBe(false);
  });
});

describe('reading a room and a thread', () => {
  it('the main list holds roots and replies also sent to the room; the thread holds every reply in order', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const root = await post(alice, room, 'root');
    const hidden = await reply(bob, root, 'in the thread only');
    const shared = await reply(alice, root, 'also in the room', { alsoInRoom: true });
    const later = await post(bob, room, 'next topic');

    const main = await bob.pb.collection('messages').getFullList<Message>({
      filter: bob.pb.filter("room = {:room} && (thread = '' || alsoInRoom = true)", { room: room.id }),
      sort: '-created,-id',
    });
    expect(main.map((m) => m.id)).toEqual([later.id, shared.id, root.id]);

    const thread = await bob.pb.collection('messages').getFullList<Message>({
      filter: bob.pb.filter('thread = {:root}', { root: root.id }),
      sort: 'created,id',
      expand: 'thread',
    });
    expect(thread.map((m) => m.id)).toEqual([hidden.id, shared.id]);
  });

  it('a thread of a private room stays hidden from outsiders, expand included', async () => {
    const root = await post(alice, secret, 'members only');
    const answer = await reply(bob, root, 'indeed');
    const filter = mallory.pb.filter('thread = {:root}', { root: root.id });
    expect(await mallory.pb.collection('messages').getFullList({ filter })).toEqual([]);
    expect((await refused(mallory.pb.collection('messages').getOne(answer.id, { expand: 'thread' }))).status).toBe(404);
  });
});

describe('who may reply', () => {
  let root: Message;
  beforeAll(async () => {
    root = (await post(alice, secret, 'private thread')) as Message;
  });

  async function refusedReply(author: TestUser | null, body: Record<string, unknown>) {
    const pb = author?.pb ?? anonymous(server);
    const before = (await stored(root.id)).threadInfo;
    const result = await refused(pb.collection('messages').create({ text: 'let me in', ...body }));
    expect((await stored(root.id)).threadInfo).toEqual(before);
    return result;
  }

  it('refuses a non-member of the private room', async () => {
    const result = await refusedReply(mallory, { user: mallory.id, room: secret.id, thread: root.id });
    expect(result.status).toBe(400);
  });

  it('refuses a thread in another room, even one the author may read, with one answer for every case', async () => {
    // mallory writes in her own room with a root from one she cannot read.
    const foreign = await refusedReply(mallory, { user: mallory.id, room: elsewhere.id, thread: root.id });
    expect(foreign.status).toBe(400);
    expect(foreign.data.thread?.code).toBe('validation_thread_not_in_room');
    // bob is in both rooms: a thread still lives in its root's room only.
    const both = await refusedReply(bob, { user: bob.id, room: elsewhere.id, thread: root.id });
    expect(both.data.thread?.code).toBe('validation_thread_not_in_room');
    // A made-up root is answered in the same words, so replying tells nobody what exists elsewhere.
    const missing = await refusedReply(mallory, { user: mallory.id, room: elsewhere.id, thread: 'nosuchmessage00' });
    expect(missing.data.thread).toEqual(foreign.data.thread);
  });

  it('refuses a reply posted into a room the author is not in, towards a root in their own room', async () => {
    const mine = await post(mallory, elsewhere, 'my root');
    const result = await refused(
      mallory.pb.collection('messages').create({ text: 'sneaky', user: mallory.id, room: secret.id, thread: mine.id }),
    );
    expect(result.status).toBe(400);
    expect((await stored(mine.id)).threadInfo).toBeNull();
  });

  it('refuses an invitee who has not accepted, a removed member, someone posing as another, and anyone signed out', async () => {
    await refusedReply(dave, { user: dave.id, room: secret.id, thread: root.id });
    const room = await createRoom(alice, 'private', [mallory]);
    const theirs = await post(alice, room, 'root before the removal');
    await alice.pb.collection('rooms').update(room.id, { 'members-': mallory.id });
    await refused(
      mallory.pb
        .collection('messages')
        .create({ text: 'still here?', user: mallory.id, room: room.id, thread: theirs.id }),
    );
    expect((await stored(theirs.id)).threadInfo).toBeNull();
    await refusedReply(mallory, { user: bob.id, room: secret.id, thread: root.id });
    await refusedReply(null, { user: bob.id, room: secret.id, thread: root.id });
  });
});

describe('what a client cannot forge or change', () => {
  it('ignores a threadInfo sent with a new message or a reply', async () => {
    const forged = {
      replies: 99,
      lastReplyAt: '2030-01-01 00:00:00.000Z',
      repliers: [mallory.id],
      followers: [mallory.id],
    };
    const root = await alice.pb
      .collection('messages')
      .create<Message>({ text: 'fresh', user: alice.id, room: secret.id, threadInfo: forged });
    expect(root.threadInfo).toBeNull();
    const answer = await reply(bob, root, 'hi', { threadInfo: forged });
    expect(answer.threadInfo).toBeNull();
    expect((await stored(root.id)).threadInfo?.replies).toBe(1);
  });

  it('ignores a threadInfo sent with an edit, and an edit keeps the stored one', async () => {
    const root = await post(alice, secret, 'edit me');
    await reply(bob, root, 'a reply');
    const expected = (await stored(root.id)).threadInfo;
    const edited = await alice.pb.collection('messages').update<Message>(root.id, {
      text: 'edited',
      threadInfo: { replies: 0, lastReplyAt: '', repliers: [], followers: [] },
    });
    expect(edited.threadInfo).toEqual(expected);
    const onlyForged = await alice.pb.collection('messages').update<Message>(root.id, { threadInfo: null });
    expect(onlyForged.threadInfo).toEqual(expected);
    expect((await stored(root.id)).threadInfo).toEqual(expected);
    // A message without replies cannot be given a summary either.
    const lone = await post(alice, secret, 'lonely');
    await alice.pb.collection('messages').update(lone.id, { threadInfo: { replies: 5 } });
    expect((await stored(lone.id)).threadInfo).toBeNull();
  });

  it('refuses moving a message into, out of or between threads, and changing alsoInRoom', async () => {
    const root = await post(alice, secret, 'root');
    const otherRoot = await post(alice, secret, 'another root');
    const answer = await reply(bob, root, 'reply');
    const mine = await post(bob, secret, 'not a reply');

    const out = await refused(bob.pb.collection('messages').update(answer.id, { thread: '' }));
    expect(out.status).toBe(400);
    expect(out.data.thread?.code).toBe('validation_thread_fixed');
    await refused(bob.pb.collection('messages').update(answer.id, { thread: otherRoot.id }));
    await refused(bob.pb.collection('messages').update(mine.id, { thread: root.id }));
    const shown = await refused(bob.pb.collection('messages').update(answer.id, { alsoInRoom: true }));
    expect(shown.data.alsoInRoom?.code).toBe('validation_also_in_room_fixed');

    expect(await stored(answer.id)).toMatchObject({ thread: root.id, alsoInRoom: false });
    expect((await stored(mine.id)).thread).toBe('');
    expect((await stored(root.id)).threadInfo?.replies).toBe(1);
    expect((await stored(otherRoot.id)).threadInfo).toBeNull();
    // An edit of the text alone is still an edit.
    expect((await bob.pb.collection('messages').update<Message>(answer.id, { text: 'reply, edited' })).thread).toBe(
      root.id,
    );
  });
});

describe('deleting', () => {
  it('a reply recounts the thread, and the last one clears the summary', async () => {
    const root = await post(alice, secret, 'root');
    const first = await reply(bob, root, 'first');
    const second = await reply(carol, root, 'second');
    await carol.pb.collection('messages').delete(second.id);
    expect((await stored(root.id)).threadInfo).toEqual({
      replies: 1,
      lastReplyAt: first.created,
      repliers: [bob.id],
      followers: [alice.id, bob.id],
    });
    await bob.pb.collection('messages').delete(first.id);
    expect((await stored(root.id)).threadInfo).toBeNull();
  });

  it('the root deletes its replies with it, and a room its threads', async () => {
    const root = await post(alice, secret, 'root');
    const answers = [await reply(bob, root, 'one'), await reply(carol, root, 'two')];
    await alice.pb.collection('messages').delete(root.id);
    for (const answer of answers) expect(await exists(answer.id)).toBe(false);

    const room = await createRoom(alice, 'private', [bob]);
    const roomRoot = await post(alice, room, 'root');
    const roomReply = await reply(bob, roomRoot, 'reply');
    await alice.pb.collection('rooms').delete(room.id);
    expect(await exists(roomRoot.id)).toBe(false);
    expect(await exists(roomReply.id)).toBe(false);
  });
});

describe('realtime on palaver/messages', () => {
  const listen = async (who: TestUser) => {
    const events: MessageEvent[] = [];
    const unsubscribe = await who.pb.realtime.subscribe(MESSAGES_TOPIC, (e) => events.push(e as MessageEvent));
    return { events, unsubscribe };
  };
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('brings a member the reply with its updated root and the root’s update; an outsider gets neither', async () => {
    const root = await post(alice, secret, `thread for @${erin.username}`);
    const member = await listen(erin);
    const outsider = await listen(mallory);
    try {
      const answer = await reply(bob, root, 'first reply');
      await until(() => member.events.some((e) => e.action === 'create' && e.record.id === answer.id), 'the reply');
      const created = member.events.find((e) => e.action === 'create' && e.record.id === answer.id)!;
      expect(created.record.thread).toBe(root.id);
      expect(created.record.expand?.user?.id).toBe(bob.id);
      expect(created.record.expand?.thread?.id).toBe(root.id);
      expect(created.record.expand?.thread?.threadInfo).toMatchObject({ replies: 1, repliers: [bob.id] });
      expect(created.record.expand?.thread?.threadInfo?.followers).toEqual([alice.id, erin.id, bob.id]);
      await until(
        () => member.events.some((e) => e.action === 'update' && e.record.id === root.id),
        'the root’s update',
      );
      const update = member.events.find((e) => e.action === 'update' && e.record.id === root.id)!;
      expect(update.record.threadInfo?.replies).toBe(1);

      await bob.pb.collection('messages').delete(answer.id);
      await until(() => member.events.some((e) => e.action === 'delete' && e.record.id === answer.id), 'the delete');
      await until(
        () =>
          member.events.some((e) => e.action === 'update' && e.record.id === root.id && e.record.threadInfo === null),
        'the root cleared',
      );

      // Sent after everything above to a room mallory is in: once it reaches her, the rest was withheld.
      const marker = await post(alice, elsewhere, 'marker');
      await until(() => outsider.events.some((e) => e.record.id === marker.id), 'the marker');
      expect(outsider.events.filter((e) => [root.id, answer.id].includes(e.record.id))).toEqual([]);
      expect(outsider.events.some((e) => e.record.expand?.thread)).toBe(false);
    } finally {
      await member.unsubscribe();
      await outsider.unsubscribe();
    }
  });

  it('keeps a blocked replier’s reply from the person who blocked them, who still sees the root’s new count', async () => {
    const root = await post(alice, secret, 'a thread carol follows');
    const block = await carol.pb.collection('blocks').create({ user: carol.id, blocked: bob.id });
    const blocker = await listen(carol);
    try {
      const unwanted = await reply(bob, root, 'carol blocked me');
      await until(
        () => blocker.events.some((e) => e.action === 'update' && e.record.id === root.id),
        'the root’s update, which is alice’s message',
      );
      const marker = await reply(erin, root, 'after bob');
      await until(() => blocker.events.some((e) => e.record.id === marker.id), 'erin’s reply');
      expect(blocker.events.filter((e) => e.record.id === unwanted.id)).toEqual([]);
    } finally {
      await blocker.unsubscribe();
      await carol.pb.collection('blocks').delete(block.id);
    }
  });
});
