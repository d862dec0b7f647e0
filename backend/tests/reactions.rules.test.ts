// Reactions from the attacker's side (backend/reactions.go, migration 1795700110): readable only where the
// message is, created only as yourself where you could post, never changed, deleted only by their author;
// one emoji each, at most 20 different ones on a message; the message's `reactionInfo` is the server's
// summary of them, which no client can forge, and it reaches the room's readers, and only them, as one
// `update` event on palaver/messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, ReactionsRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { reactionId } from '../../src-shared/reaction-id.ts';
import { anonymous, createRoom, invite, post, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { TWENTY_EMOJI } from '../testing/emoji.ts';

interface ReactionSummary {
  emoji: string;
  count: number;
  users: string[];
}

let server: TestServer;
let alice: TestUser; // owns the rooms, writes the messages
let bob: TestUser; // member of the private room
let carol: TestUser; // member of the private room
let mallory: TestUser; // member of none
let ivan: TestUser; // invited to the private room `pending`, has not accepted
let secret: RoomsRecord;
let pending: RoomsRecord;
let open: RoomsRecord; // public

function react(who: TestUser, message: MessagesRecord | string, emoji: string, as: string = who.id) {
  const id = typeof message === 'string' ? message : message.id;
  return who.pb.collection('reactions').create<ReactionsRecord>({ message: id, user: as, emoji });
}

async function stored(id: string): Promise<MessagesRecord> {
  return (await server.admin()).collection('messages').getOne<MessagesRecord>(id);
}

async function info(id: string): Promise<ReactionSummary[] | null> {
  return (await stored(id)).reactionInfo as ReactionSummary[] | null;
}

async function reactionsOf(id: string): Promise<ReactionsRecord[]> {
  return (await server.admin()).collection('reactions').getFullList<ReactionsRecord>({ filter: `message = "${id}"` });
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, mallory, ivan] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
    signUp(server, 'ivan'),
  ]);
  secret = await createRoom(alice, 'private', [bob, carol]);
  pending = await invite(alice, 'private', [ivan]);
  open = await createRoom(alice, 'public');
});

afterAll(async () => {
  await server?.stop();
});

describe('reacting', () => {
  it('adds and removes a reaction, and the message’s summary follows without marking it edited', async () => {
    const message = await post(alice, secret, 'lunch at noon?');
    const reaction = await react(bob, message, '👍');
    expect(reaction).toMatchObject({ message: message.id, user: bob.id, emoji: '👍' });
    const after = await stored(message.id);
    expect(after.reactionInfo).toEqual([{ emoji: '👍', count: 1, users: [bob.id] }]);
    expect(after.updated > message.updated).toBe(true);
    expect(after.editedAt).toBe('');

    await bob.pb.collection('reactions').delete(reaction.id);
    const removed = await stored(message.id);
    expect(removed.reactionInfo).toBeNull();
    expect(removed.updated >= after.updated).toBe(true);
    expect(removed.editedAt).toBe('');
    expect(await reactionsOf(message.id)).toEqual([]);
  });

  it('has the id the client computes, so toggling off can delete by id', async () => {
    const message = await post(alice, secret, 'ids');
    const id = reactionId(message.id, bob.id, '🎉');
    const reaction = await bob.pb
      .collection('reactions')
      .create<ReactionsRecord>({ id, message: message.id, user: bob.id, emoji: '🎉' });
    expect(reaction.id).toBe(id);
    // Sent without one, it gets the same.
    expect((await react(carol, message, '🎉')).id).toBe(reactionId(message.id, carol.id, '🎉'));
    await bob.pb.collection('reactions').delete(id);
    expect(await info(message.id)).toEqual([{ emoji: '🎉', count: 1, users: [carol.id] }]);
  });

  it('refuses any other id, so nobody can take the id someone else’s reaction will need', async () => {
    const target = await post(alice, secret, 'bob will like this');
    const bait = await post(mallory, open, 'mine');
    const squatted = reactionId(target.id, bob.id, '👍');
    const refusal = await refused(
      mallory.pb.collection('reactions').create({ id: squatted, message: bait.id, user: mallory.id, emoji: '👍' }),
    );
    expect(refusal.status).toBe(400);
    expect(refusal.data.id?.message).toMatch(/made from its message, person and emoji/);
    expect((await react(bob, target, '👍')).id).toBe(squatted);
  });

  it('refuses the same person, emoji and message twice', async () => {
    const message = await post(alice, secret, 'twice');
    await react(bob, message, '😂');
    const twice = await refused(react(bob, message, '😂'));
    expect(twice.status).toBe(400);
    expect(await info(message.id)).toEqual([{ emoji: '😂', count: 1, users: [bob.id] }]);
  });

  it('refuses a reaction in someone else’s name', async () => {
    const message = await post(alice, secret, 'who said that');
    expect((await refused(react(bob, message, '👍', carol.id))).status).toBe(400);
    expect((await refused(react(mallory, message, '👍', bob.id))).status).toBe(400);
    expect(await reactionsOf(message.id)).toEqual([]);
  });

  it('refuses an update of any kind, even of one’s own reaction', async () => {
    const message = await post(alice, secret, 'fixed');
    const reaction = await react(bob, message, '👍');
    for (const change of [{ emoji: '👎' }, { user: carol.id }, { message: (await post(alice, secret, 'x')).id }]) {
      expect((await refused(bob.pb.collection('reactions').update(reaction.id, change))).status).toBe(403);
    }
    expect((await reactionsOf(message.id)).map((r) => [r.user, r.emoji])).toEqual([[bob.id, '👍']]);
  });

  it('lets only its author delete a reaction', async () => {
    const message = await post(alice, secret, 'mine');
    const reaction = await react(bob, message, '👍');
    for (const other of [alice, carol, mallory]) {
      expect((await refused(other.pb.collection('reactions').delete(reaction.id))).status).toBe(404);
    }
    expect((await refused(anonymous(server).collection('reactions').delete(reaction.id))).status).toBe(404);
    expect(await reactionsOf(message.id)).toHaveLength(1);
    expect(await info(message.id)).toEqual([{ emoji: '👍', count: 1, users: [bob.id] }]);
  });
});

describe('who can see and react', () => {
  it('keeps a private room’s reactions from an outsider: no list, no view, no filter trick, no create', async () => {
    const message = await post(alice, secret, 'members only');
    const reaction = await react(bob, message, '🔒');
    const reactions = mallory.pb.collection('reactions');
    expect(await reactions.getFullList()).toEqual([]);
    for (const filter of [
      `message = "${message.id}"`,
      `message.room = "${secret.id}"`,
      `emoji ~ ''`,
      `emoji = "🔒"`,
      `user = "${bob.id}"`,
      `message.room.kind = "private"`,
    ]) {
      expect(await reactions.getFullList({ filter }), filter).toEqual([]);
    }
    expect((await refused(reactions.getOne(reaction.id))).status).toBe(404);
    expect((await refused(react(mallory, message, '👀'))).status).toBe(400);
    expect(await reactionsOf(message.id)).toHaveLength(1);
  });

  it('refuses an invitee who has not accepted: they cannot read the room yet', async () => {
    const message = await post(alice, pending, 'before you join');
    await react(alice, message, '👋');
    expect((await refused(react(ivan, message, '👋'))).status).toBe(400);
    expect(await ivan.pb.collection('reactions').getFullList({ filter: `message = "${message.id}"` })).toEqual([]);
  });

  it('refuses someone signed out: nothing to list, view or create', async () => {
    const message = await post(alice, open, 'in the open');
    const reaction = await react(bob, message, '👍');
    const guest = anonymous(server).collection('reactions');
    expect(await guest.getFullList()).toEqual([]);
    expect((await refused(guest.getOne(reaction.id))).status).toBe(404);
    const status = (await refused(guest.create({ message: message.id, user: bob.id, emoji: '👎' }))).status;
    expect([400, 401, 403]).toContain(status);
    expect(await reactionsOf(message.id)).toHaveLength(1);
  });

  it('lets anyone signed in read and react in a public room, and a member of a private one', async () => {
    const inOpen = await post(alice, open, 'hello all');
    await react(mallory, inOpen, '👋');
    expect((await mallory.pb.collection('reactions').getFullList({ filter: `message = "${inOpen.id}"` })).length).toBe(
      1,
    );

    const inSecret = await post(alice, secret, 'hello team');
    await react(carol, inSecret, '👋');
    const seen = await bob.pb
      .collection('reactions')
      .getFullList<ReactionsRecord>({ filter: `message = "${inSecret.id}"` });
    expect(seen.map((r) => r.user)).toEqual([carol.id]);
  });
});

describe('what a reaction may be', () => {
  it('is one emoji: text, markup, two emoji, spaces and controls are refused with a clear message', async () => {
    const message = await post(alice, secret, 'react to me');
    for (const emoji of ['abc', '<img src=x>', '👍👍', ' ', '👍 ', '\u0007', '\u202e👍', '1', ':+1:', 'x'.repeat(65)]) {
      const refusal = await refused(react(bob, message, emoji));
      expect(refusal.status, emoji).toBe(400);
      expect(refusal.data.emoji?.message, emoji).toBe('Reactions take a single emoji.');
    }
    for (const emoji of ['👍🏽', '🏳️‍🌈', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '❤️']) await react(bob, message, emoji);
    expect((await info(message.id))?.map((entry) => entry.emoji)).toEqual(['👍🏽', '🏳️‍🌈', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '❤️']);
  });

  it('allows 20 different emoji on a message, then only more of those', async () => {
    const message = await post(alice, open, 'pick one');
    const twenty = TWENTY_EMOJI;
    for (const [i, emoji] of twenty.entries()) await react(i % 2 ? bob : carol, message, emoji);
    const twentyFirst = await refused(react(mallory, message, '🤔'));
    expect(twentyFirst.status).toBe(400);
    expect(twentyFirst.data.emoji?.message).toBe(
      'This message already has 20 different reactions; add to one of them.',
    );
    // More of an emoji already there is always fine.
    await react(mallory, message, '😀');
    await react(alice, message, '🙂');
    const summary = await info(message.id);
    expect(summary?.map((entry) => entry.emoji)).toEqual(twenty);
    expect(summary?.[0]).toEqual({ emoji: '😀', count: 2, users: [carol.id, mallory.id] });
    expect(summary?.[19]).toEqual({ emoji: '🙂', count: 2, users: [bob.id, alice.id] });
    // Once one kind is gone, another may take its place.
    const gone = (await reactionsOf(message.id)).find((r) => r.emoji === '😁');
    await bob.pb.collection('reactions').delete(gone!.id);
    await react(mallory, message, '🤔');
    expect((await info(message.id))?.map((entry) => entry.emoji)).toEqual([
      ...twenty.filter((emoji) => emoji !== '😁'),
      '🤔',
    ]);
  });

  it('keeps to 20 kinds when many people add new ones at once', async () => {
    const message = await post(alice, open, 'race');
    const many = [
      '🍎',
      '🍐',
      '🍊',
      '🍋',
      '🍌',
      '🍉',
      '🍇',
      '🍓',
      '🫐',
      '🍈',
      '🍒',
      '🍑',
      '🥭',
      '🍍',
      '🥥',
      '🥝',
      '🍅',
      '🍆',
      '🥑',
      '🥦',
      '🥬',
      '🥒',
      '🌶️',
      '🫑',
      '🌽',
    ];
    const people = [alice, bob, carol, mallory];
    const results = await Promise.allSettled(many.map((emoji, i) => react(people[i % people.length]!, message, emoji)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(new Set((await reactionsOf(message.id)).map((r) => r.emoji)).size).toBe(20);
    expect(await info(message.id)).toHaveLength(20);
  });
});

describe('reactionInfo', () => {
  it('cannot be forged on a message’s create or edit, and an edit keeps the real one', async () => {
    const forged = [{ emoji: '💩', count: 999, users: [mallory.id] }];
    const message = await alice.pb
      .collection('messages')
      .create<MessagesRecord>({ text: 'forge', user: alice.id, room: secret.id, reactionInfo: forged });
    expect(message.reactionInfo).toBeNull();
    expect(await info(message.id)).toBeNull();

    await react(bob, message, '👍');
    const real = [{ emoji: '👍', count: 1, users: [bob.id] }];
    const edited = await alice.pb
      .collection('messages')
      .update<MessagesRecord>(message.id, { text: 'forge, edited', reactionInfo: forged });
    expect(edited.reactionInfo).toEqual(real);
    expect(await info(message.id)).toEqual(real);
    const cleared = await alice.pb.collection('messages').update<MessagesRecord>(message.id, { reactionInfo: null });
    expect(cleared.reactionInfo).toEqual(real);
    expect((await stored(message.id)).text).toBe('forge, edited');
  });

  it('survives edits made at the same time as reactions: the summary ends matching the reactions', async () => {
    // An edit validates before its write transaction: were the stored summary read then, a reaction
    // committed in between would be written over and its chip lost.
    const message = await post(alice, secret, 'busy');
    const emoji = ['👍', '🎉', '🚀', '👀', '❤️', '😂'];
    await Promise.all([
      ...emoji.flatMap((e) => [react(bob, message, e), react(carol, message, e)]),
      ...Array.from({ length: 12 }, (_, i) =>
        alice.pb.collection('messages').update(message.id, { text: `busy ${i}` }, { requestKey: null }),
      ),
    ]);
    const summary = await info(message.id);
    expect(summary?.map((s) => s.count)).toEqual(emoji.map(() => 2));
    expect(summary?.reduce((sum, s) => sum + s.count, 0)).toBe((await reactionsOf(message.id)).length);
  });

  it('refuses a reaction to a message deleted before it was stored, leaving nothing behind', async () => {
    const message = await post(alice, open, 'going');
    const attempts = await Promise.allSettled([
      alice.pb.collection('messages').delete(message.id, { requestKey: null }),
      ...['👍', '🎉', '🚀', '👀'].map((e) => react(bob, message, e)),
    ]);
    expect(attempts[0]!.status).toBe('fulfilled');
    expect(await reactionsOf(message.id)).toEqual([]);
  });

  it('counts exactly and keeps each emoji in the order of its first reaction, people oldest first', async () => {
    const message = await post(alice, open, 'counting');
    await react(bob, message, '🎉');
    await react(carol, message, '👍');
    await react(alice, message, '🎉');
    // Many at once: the summary, written in each reaction's transaction, still matches the rows.
    const crowd = await Promise.all([
      ...[mallory, ivan].flatMap((person) => ['👍', '🎉', '🚀'].map((emoji) => react(person, message, emoji))),
      react(bob, message, '🚀'),
      react(carol, message, '🚀'),
      react(alice, message, '👍'),
    ]);
    let summary = await info(message.id);
    expect(summary?.map((entry) => [entry.emoji, entry.count])).toEqual([
      ['🎉', 4],
      ['👍', 4],
      ['🚀', 4],
    ]);
    expect(summary?.[0]?.users.slice(0, 2)).toEqual([bob.id, alice.id]);
    expect(new Set(summary?.[0]?.users)).toEqual(new Set([bob.id, alice.id, mallory.id, ivan.id]));
    expect(summary?.[1]?.users[0]).toBe(carol.id);

    // Removed at once: counts follow, an emoji nobody uses any more leaves the summary.
    const people = [alice, bob, carol, mallory, ivan];
    await Promise.all(
      crowd
        .filter((r) => r.emoji !== '🎉')
        .map((r) =>
          people
            .find((p) => p.id === r.user)!
            .pb.collection('reactions')
            .delete(r.id),
        ),
    );
    summary = await info(message.id);
    expect(summary?.map((entry) => [entry.emoji, entry.count])).toEqual([
      ['🎉', 4],
      ['👍', 1],
    ]);
    expect(summary?.[1]?.users).toEqual([carol.id]);
  });

  it('leaves the message’s text, mentions, files and edit mark as they were', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    const form = new FormData();
    form.append('text', `see this @${bob.username}`);
    form.append('user', alice.id);
    form.append('room', room.id);
    form.append('attachments', new File(['notes'], 'notes.txt', { type: 'text/plain' }));
    const message = await alice.pb.collection('messages').create<MessagesRecord>(form);
    // bob leaves: the mention stays on what alice wrote while he was there (a save of the message would
    // work the mentions out again from today's members).
    await roomAction(bob, room, 'leave');
    const before = await stored(message.id);
    expect(before.mentions).toEqual([bob.id]);
    const reaction = await react(carol, message, '📎');
    await react(alice, message, '👀');
    await carol.pb.collection('reactions').delete(reaction.id);
    const after = await stored(message.id);
    for (const field of ['text', 'mentions', 'attachments', 'attachmentInfo', 'editedAt', 'created'] as const) {
      expect(after[field], field).toEqual(before[field]);
    }
    expect(after.reactionInfo).toEqual([{ emoji: '👀', count: 1, users: [alice.id] }]);
  });

  it('goes with the message: deleting it deletes its reactions', async () => {
    const message = await post(alice, open, 'short-lived');
    await react(bob, message, '👍');
    await react(carol, message, '👍');
    await alice.pb.collection('messages').delete(message.id);
    expect(await reactionsOf(message.id)).toEqual([]);
  });

  it('drops a deleted account’s reactions from the summary', async () => {
    const message = await post(alice, open, 'goodbye');
    const leaver = await signUp(server, 'leaver');
    await react(leaver, message, '👋');
    await react(bob, message, '👋');
    await react(leaver, message, '😢');
    await (await server.admin()).collection('users').delete(leaver.id);
    expect(await info(message.id)).toEqual([{ emoji: '👋', count: 1, users: [bob.id] }]);
  });

  it('counts a reaction from someone the author blocked', async () => {
    const room = await createRoom(alice, 'private', [mallory]);
    await alice.pb.collection('blocks').create({ user: alice.id, blocked: mallory.id });
    const message = await post(alice, room, 'hi');
    await react(mallory, message, '🙃');
    expect(await info(message.id)).toEqual([{ emoji: '🙃', count: 1, users: [mallory.id] }]);
  });
});

describe('realtime', () => {
  type Event = RecordSubscription<MessagesRecord>;

  async function listen(who: TestUser) {
    const events: Event[] = [];
    const unsubscribe = await who.pb.realtime.subscribe(MESSAGES_TOPIC, (event) => events.push(event as Event));
    return { events, unsubscribe };
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('sends the message once with its new summary to the room’s readers, and nothing to an outsider', async () => {
    const room = await createRoom(alice, 'private', [carol]);
    const message = await post(alice, room, 'watch this');
    const member = await listen(alice);
    const outsider = await listen(mallory);
    const outsiderOnCollection: Array<RecordSubscription<ReactionsRecord>> = [];
    const unsubscribeCollection = await mallory.pb
      .collection('reactions')
      .subscribe<ReactionsRecord>('*', (event) => outsiderOnCollection.push(event));
    try {
      const reaction = await react(carol, message, '🔥');
      const updates = () => member.events.filter((e) => e.record.id === message.id && e.action === 'update');
      await until(() => updates().length > 0, 'the member’s update');
      expect(updates()[0]?.record.reactionInfo).toEqual([{ emoji: '🔥', count: 1, users: [carol.id] }]);
      expect(updates()[0]?.record.text).toBe('watch this');

      await carol.pb.collection('reactions').delete(reaction.id);
      await until(() => updates().length > 1, 'the member’s second update');
      expect(updates()[1]?.record.reactionInfo).toBeNull();
      // Each change went out once.
      await new Promise((r) => setTimeout(r, 300));
      expect(updates()).toHaveLength(2);
      expect(outsider.events.filter((e) => e.record.id === message.id)).toEqual([]);
      expect(outsiderOnCollection.filter((e) => e.record.message === message.id)).toEqual([]);
    } finally {
      await member.unsubscribe();
      await outsider.unsubscribe();
      await unsubscribeCollection();
    }
  });

  it('does not send the message to someone who blocked its author', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    await bob.pb.collection('blocks').create({ user: bob.id, blocked: alice.id });
    const message = await post(alice, room, 'from alice');
    const blocker = await listen(bob);
    const member = await listen(alice);
    try {
      await react(carol, message, '👏');
      await until(() => member.events.some((e) => e.record.id === message.id), 'the member’s update');
      await new Promise((r) => setTimeout(r, 300));
      expect(blocker.events.filter((e) => e.record.id === message.id)).toEqual([]);
    } finally {
      await blocker.unsubscribe();
      await member.unsubscribe();
    }
  });
});
