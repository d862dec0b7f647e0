// Mentions from the attacker's side: `messages.mentions` is worked out by the server from the text
// (backend/mentions.go), so a client cannot forge one, mention someone who cannot read the room, or keep a
// mention its edit removed; code is not prose; names match whole and in any letter case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { createRoom, invite, post, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser; // owns the rooms
let bob: TestUser; // member of the private room, the direct conversation and the public room `open`
let carol: TestUser; // member of the private room; her username is bob's with an `x` after it
let mallory: TestUser; // member of none of them
let secret: RoomsRecord;
let direct: RoomsRecord;
let open: RoomsRecord; // a public room alice and bob joined

async function stored(id: string): Promise<MessagesRecord> {
  return (await server.admin()).collection('messages').getOne<MessagesRecord>(id);
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
  ]);
  carol.username = `${bob.username}x`;
  await carol.pb.collection('users').update(carol.id, { username: carol.username });
  secret = await createRoom(alice, 'private', [bob, carol]);
  direct = await createRoom(alice, 'direct', [bob]);
  open = await createRoom(alice, 'public');
  await roomAction(bob, open, 'join');
});

afterAll(async () => {
  await server?.stop();
});

describe('who is mentioned', () => {
  it('is the server’s reading of the text: a forged list on create is replaced', async () => {
    const message = await alice.pb.collection('messages').create<MessagesRecord>({
      text: `hello @${bob.username}`,
      user: alice.id,
      room: secret.id,
      mentions: [carol.id, mallory.id],
    });
    expect(message.mentions).toEqual([bob.id]);
    expect((await stored(message.id)).mentions).toEqual([bob.id]);

    const none = await alice.pb
      .collection('messages')
      .create<MessagesRecord>({ text: 'no names here', user: alice.id, room: secret.id, mentions: [bob.id] });
    expect(none.mentions).toEqual([]);
  });

  it('cannot be forged by an edit, nor by the `mentions+` modifier', async () => {
    const message = await post(alice, secret, 'plain words');
    const edited = await alice.pb
      .collection('messages')
      .update<MessagesRecord>(message.id, { mentions: [bob.id], 'mentions+': [carol.id] });
    expect(edited.mentions).toEqual([]);
    expect((await stored(message.id)).mentions).toEqual([]);
  });

  it('follows the text through edits: a mention added is stored, one removed is gone', async () => {
    const message = await post(alice, secret, 'draft');
    const added = await alice.pb
      .collection('messages')
      .update<MessagesRecord>(message.id, { text: `draft for @${carol.username} and @${bob.username}` });
    expect(added.mentions).toEqual([carol.id, bob.id]);
    const removed = await alice.pb
      .collection('messages')
      .update<MessagesRecord>(message.id, { text: `draft for @${carol.username}` });
    expect(removed.mentions).toEqual([carol.id]);
    expect((await stored(message.id)).mentions).toEqual([carol.id]);
  });

  it('leaves out someone who cannot read the room: an outsider in a private room or a direct conversation', async () => {
    const inSecret = await post(alice, secret, `@${mallory.username} look at this, @${bob.username}`);
    expect(inSecret.mentions).toEqual([bob.id]);
    const inDirect = await post(alice, direct, `@${mallory.username} @${carol.username} @${bob.username}`);
    expect(inDirect.mentions).toEqual([bob.id]);
  });

  it('leaves out an invitee who has not accepted: they cannot read the messages yet', async () => {
    const pending = await invite(alice, 'private', [mallory]);
    const message = await alice.pb.collection('messages').create<MessagesRecord>({
      text: `@${mallory.username} welcome`,
      user: alice.id,
      room: pending.id,
      mentions: [mallory.id],
    });
    expect(message.mentions).toEqual([]);
  });

  it('counts only the members of a public room, so nobody pings every account from any public room', async () => {
    const message = await post(alice, open, `@${bob.username} @${mallory.username} @${alice.username}`);
    expect(message.mentions).toEqual([bob.id, alice.id]);
    // Written by someone who never joined: reading and writing stay open, and members are still mentioned.
    const fromOutside = await post(mallory, open, `hey @${bob.username}`);
    expect(fromOutside.mentions).toEqual([bob.id]);
  });

  it('ignores names inside inline code and code blocks written with backticks', async () => {
    const text = [
      `\`@${bob.username}\` in a span, \`\`a \` tick @${bob.username}\`\` in a double span`,
      '```',
      `@${bob.username} in a block`,
      '```',
      `and @${carol.username} outside`,
    ].join('\n');
    expect((await post(alice, secret, text)).mentions).toEqual([carol.id]);
    const unclosed = await post(alice, secret, `@${carol.username} first\n\`\`\`sh\necho @${bob.username}`);
    expect(unclosed.mentions).toEqual([carol.id]);
  });

  it('matches whole names: a username that is the prefix of another mentions only its owner', async () => {
    expect((await post(alice, secret, `@${bob.username} only`)).mentions).toEqual([bob.id]);
    expect((await post(alice, secret, `@${carol.username} only`)).mentions).toEqual([carol.id]);
    // A full stop ends the sentence, not the name.
    expect((await post(alice, secret, `thanks @${bob.username}.`)).mentions).toEqual([bob.id]);
    // Inside a word or an address it is no mention.
    const embedded = await post(alice, secret, `mail x@${bob.username} or @${bob.username}é or ${bob.username}@host`);
    expect(embedded.mentions).toEqual([]);
  });

  it('matches in any letter case, and each person once', async () => {
    const message = await post(alice, secret, `@${bob.username.toUpperCase()} and again @${bob.username}`);
    expect(message.mentions).toEqual([bob.id]);
  });
});

describe('realtime', () => {
  it('carries the mentions on palaver/messages, and an edit’s new list', async () => {
    const events: Array<RecordSubscription<MessagesRecord>> = [];
    const unsubscribe = await bob.pb.realtime.subscribe(MESSAGES_TOPIC, (event) =>
      events.push(event as RecordSubscription<MessagesRecord>),
    );
    const eventFor = async (id: string, action: string) => {
      const deadline = Date.now() + 5000;
      let found: RecordSubscription<MessagesRecord> | undefined;
      while (!(found = events.find((e) => e.record.id === id && e.action === action)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      return found;
    };
    try {
      const message = await post(alice, secret, `ping @${bob.username}`);
      expect((await eventFor(message.id, 'create'))?.record.mentions).toEqual([bob.id]);
      await alice.pb.collection('messages').update(message.id, { text: `ping @${carol.username}` });
      expect((await eventFor(message.id, 'update'))?.record.mentions).toEqual([carol.id]);
    } finally {
      await unsubscribe();
    }
  });
});
