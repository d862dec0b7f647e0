// Realtime obeys the same rules as reading: a subscriber never receives an event for a record they
// could not view, and `expand` on a subscription delivers the author with the event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, post, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';

type Event<T> = RecordSubscription<T & { expand?: { user?: UsersRecord } }>;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let general: RoomsRecord;

/** Collects the events a client receives on a collection until stopped. */
async function listen<T>(pb: TestUser['pb'], collection: string, options: { expand?: string } = {}) {
  const events: Array<Event<T>> = [];
  const unsubscribe = await pb
    .collection(collection)
    .subscribe<T>('*', (event) => events.push(event as Event<T>), options);
  return { events, unsubscribe };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
});

afterAll(async () => {
  await server?.stop();
});

describe('message events', () => {
  it('reach a non-member for public rooms only, members for their private rooms, and nobody signed out', async () => {
    const secret = await createRoom(alice, 'private', [bob.id]);
    const outsider = await listen<MessagesRecord>(mallory.pb, 'messages');
    const guest = anonymous(server);
    const signedOut = await listen<MessagesRecord>(guest, 'messages');
    const member = await listen<MessagesRecord>(bob.pb, 'messages');

    const hidden = await post(alice, secret, 'members only');
    const open = await post(alice, general, 'for everyone');

    await until(
      () => member.events.some((e) => e.record.id === open.id) && member.events.some((e) => e.record.id === hidden.id),
      'the member to get both',
    );
    await until(() => outsider.events.some((e) => e.record.id === open.id), 'the outsider to get the public message');
    // The public message was sent after the private one and has arrived, so the private one is not late: it was withheld.
    expect(outsider.events.map((e) => e.record.id)).not.toContain(hidden.id);

    // Updates and deletes are withheld the same way.
    await alice.pb.collection('messages').update(hidden.id, { text: 'members only (edited)' });
    await alice.pb.collection('messages').delete(hidden.id);
    await alice.pb.collection('messages').update(open.id, { text: 'for everyone (edited)' });
    await until(() => outsider.events.some((e) => e.action === 'update' && e.record.id === open.id), 'the public edit');
    await until(
      () => member.events.some((e) => e.action === 'delete' && e.record.id === hidden.id),
      'the member to see the delete',
    );
    expect(outsider.events.filter((e) => e.record.id === hidden.id)).toEqual([]);
    // Everything above reached the signed-in outsider after the signed-out client subscribed.
    expect(signedOut.events).toEqual([]);

    for (const listener of [outsider, signedOut, member]) await listener.unsubscribe();
    await guest.realtime.unsubscribe();
  });

  it("carry the author when subscribed with expand: user, without the author's email", async () => {
    const listener = await listen<MessagesRecord>(mallory.pb, 'messages', { expand: 'user' });
    const message = await post(bob, general, 'with my name on it');
    await until(() => listener.events.some((e) => e.record.id === message.id), 'the expanded event');
    const event = listener.events.find((e) => e.record.id === message.id);
    expect(event?.action).toBe('create');
    expect(event?.record.expand?.user?.username).toBe(bob.username);
    expect(event?.record.expand?.user).not.toHaveProperty('email');
    expect(event?.record.expand?.user).not.toHaveProperty('verified');
    await listener.unsubscribe();
  });

  it('stop after unsubscribing', async () => {
    const listener = await listen<MessagesRecord>(mallory.pb, 'messages');
    await listener.unsubscribe();
    const control = await listen<MessagesRecord>(bob.pb, 'messages');
    const message = await post(alice, general, 'nobody listening?');
    await until(() => control.events.some((e) => e.record.id === message.id), 'the control listener');
    expect(listener.events).toEqual([]);
    await control.unsubscribe();
  });
});

describe('PocketBase’s own messages topics, from a subscriber’s side', () => {
  it('send a deleted message without its text or files: not again after a moderator removed it', async () => {
    const hall = await createRoom(alice, 'public', [], `hall ${Date.now()}`);
    await roomAction(bob, hall, 'join');
    const secret = await createRoom(alice, 'private', [bob.id]);
    const removed = await post(bob, hall, 'my neighbour lives at 12 Elm Street');
    const hidden = await post(bob, secret, 'members only, removed');
    const messages = { id: removed.collectionId };
    // Every way to name the topic: the wildcard with options, by collection id, one record's own topic.
    const wildcard = await listen<MessagesRecord>(mallory.pb, 'messages', { expand: 'user' });
    const byId = await listen<MessagesRecord>(mallory.pb, messages.id);
    const one: Array<Event<MessagesRecord>> = [];
    const unsubscribeOne = await mallory.pb
      .collection('messages')
      .subscribe<MessagesRecord>(removed.id, (e) => one.push(e as Event<MessagesRecord>));

    // The room's owner removes it, as a moderator; and a message of a private room Mallory is not in.
    await alice.pb.collection('messages').delete(removed.id);
    await alice.pb.collection('messages').delete(hidden.id);
    const deleted = (events: Array<Event<MessagesRecord>>) =>
      events.filter((e) => e.action === 'delete' && e.record.id === removed.id);
    await until(
      () => [wildcard.events, byId.events, one].every((events) => deleted(events).length === 1),
      'every topic to send the delete',
    );
    for (const events of [wildcard.events, byId.events, one]) {
      const [event] = deleted(events);
      expect(event?.record).toEqual({
        id: removed.id,
        collectionId: messages.id,
        collectionName: 'messages',
        room: hall.id,
        thread: '',
      });
      expect(JSON.stringify(events)).not.toContain('Elm Street');
      expect(events.map((e) => e.record.id)).not.toContain(hidden.id);
    }
    for (const listener of [wildcard, byId]) await listener.unsubscribe();
    await unsubscribeOne();
  });
});

describe('the palaver/messages topic (one broadcast per message, checked in memory)', () => {
  /** Collects the events a client receives on a custom topic until stopped. */
  async function listenTopic(pb: TestUser['pb'], topic = MESSAGES_TOPIC) {
    const events: Array<Event<MessagesRecord>> = [];
    const unsubscribe = await pb.realtime.subscribe(topic, (event) => events.push(event as Event<MessagesRecord>));
    return { events, unsubscribe };
  }

  it('reaches members for private rooms and everyone signed in for public ones, never the signed-out', async () => {
    const secret = await createRoom(alice, 'private', [bob.id]);
    const outsider = await listenTopic(mallory.pb);
    const guest = anonymous(server);
    const signedOut = await listenTopic(guest);
    const member = await listenTopic(bob.pb);
    const lookalike = await listenTopic(bob.pb, `${MESSAGES_TOPIC}-and-more`);
    // Options turn the topic into "palaver/messages?options=...": still the same events.
    const withOptions: Array<Event<MessagesRecord>> = [];
    const unsubscribeWithOptions = await bob.pb.realtime.subscribe(
      MESSAGES_TOPIC,
      (e) => withOptions.push(e as Event<MessagesRecord>),
      { query: { fields: 'id' } },
    );

    const hidden = await post(alice, secret, 'members only');
    const open = await post(alice, general, 'for everyone');
    await until(
      () => member.events.some((e) => e.record.id === open.id) && member.events.some((e) => e.record.id === hidden.id),
      'the member to get both',
    );
    await until(() => outsider.events.some((e) => e.record.id === open.id), 'the outsider to get the public message');
    // Sent after the private message and arrived, so the private one was withheld, not late.
    expect(outsider.events.map((e) => e.record.id)).not.toContain(hidden.id);

    await alice.pb.collection('messages').update(hidden.id, { text: 'members only (edited)' });
    await alice.pb.collection('messages').delete(hidden.id);
    await alice.pb.collection('messages').update(open.id, { text: 'for everyone (edited)' });
    await until(() => outsider.events.some((e) => e.action === 'update' && e.record.id === open.id), 'the public edit');
    await until(
      () => member.events.some((e) => e.action === 'delete' && e.record.id === hidden.id),
      'the member to see the delete',
    );
    expect(member.events.find((e) => e.action === 'update' && e.record.id === hidden.id)?.record.text).toBe(
      'members only (edited)',
    );
    expect(outsider.events.filter((e) => e.record.id === hidden.id)).toEqual([]);
    expect(signedOut.events).toEqual([]);
    expect(lookalike.events).toEqual([]);
    const key = (e: Event<MessagesRecord>) => `${e.action} ${e.record.id}`;
    await until(() => withOptions.length >= member.events.length, 'the subscription with options to get as much');
    expect(withOptions.map(key).sort()).toEqual(member.events.map(key).sort());
    await unsubscribeWithOptions();

    for (const listener of [outsider, signedOut, member, lookalike]) await listener.unsubscribe();
    await guest.realtime.unsubscribe();
  });

  it('carries the author by name, without their email or verification state', async () => {
    const listener = await listenTopic(mallory.pb);
    const message = await post(bob, general, 'with my name on it');
    await until(() => listener.events.some((e) => e.record.id === message.id), 'the event');
    const event = listener.events.find((e) => e.record.id === message.id);
    expect(event?.action).toBe('create');
    expect(event?.record).toMatchObject({ text: 'with my name on it', user: bob.id, room: general.id });
    expect(event?.record.expand?.user?.username).toBe(bob.username);
    for (const hidden of ['email', 'verified', 'emailVisibility', 'password', 'tokenKey']) {
      expect(event?.record.expand?.user).not.toHaveProperty(hidden);
    }
    await listener.unsubscribe();
  });

  it('stops reaching a member removed from a private room', async () => {
    const room = await createRoom(alice, 'private', [bob.id, mallory.id]);
    const leaving = await listenTopic(mallory.pb);
    const staying = await listenTopic(bob.pb);
    const before = await post(alice, room, 'while you are here');
    await until(() => leaving.events.some((e) => e.record.id === before.id), 'the member to get the first message');

    await alice.pb.collection('rooms').update(room.id, { members: [alice.id, bob.id] });
    const after = await post(alice, room, 'after you left');
    await until(() => staying.events.some((e) => e.record.id === after.id), 'the remaining member');
    expect(leaving.events.map((e) => e.record.id)).not.toContain(after.id);
    await leaving.unsubscribe();
    await staying.unsubscribe();
  });

  it('stops reaching an account as soon as it is deleted, on its open connection', async () => {
    const leaver = await signUp(server, 'leaver');
    const listener = await listenTopic(leaver.pb);
    const control = await listenTopic(bob.pb);
    const first = await post(alice, general, 'before the account went');
    await until(() => listener.events.some((e) => e.record.id === first.id), 'the account to get the first message');
    await leaver.pb.collection('users').delete(leaver.id);
    const second = await post(alice, general, 'after the account went');
    await until(() => control.events.some((e) => e.record.id === second.id), 'the control listener');
    expect(listener.events.map((e) => e.record.id)).not.toContain(second.id);
    await leaver.pb.realtime.unsubscribe();
    await control.unsubscribe();
  });
});

describe('room events', () => {
  it('reach only the members of a private room', async () => {
    const outsider = await listen<RoomsRecord>(mallory.pb, 'rooms');
    const member = await listen<RoomsRecord>(bob.pb, 'rooms');
    const secret = await createRoom(alice, 'private', [bob.id]);
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    await until(
      () => member.events.some((e) => e.record.id === secret.id) && member.events.some((e) => e.record.id === lobby.id),
      'the member',
    );
    await until(() => outsider.events.some((e) => e.record.id === lobby.id), 'the outsider to see the public room');
    expect(outsider.events.map((e) => e.record.id)).not.toContain(secret.id);
    await outsider.unsubscribe();
    await member.unsubscribe();
  });
});

describe('leaving a private room', () => {
  it('tells the removed member the room is gone for them, and nobody else', async () => {
    const room = await createRoom(alice, 'private', [bob.id, mallory.id]);
    const removed = await listen<RoomsRecord>(mallory.pb, 'rooms', { expand: 'members' });
    const staying = await listen<RoomsRecord>(bob.pb, 'rooms');
    const bystander = await signUp(server, 'bystander');
    const outside = await listen<RoomsRecord>(bystander.pb, 'rooms');

    await alice.pb.collection('rooms').update(room.id, { members: [alice.id, bob.id] });
    await until(
      () => removed.events.some((e) => e.action === 'delete' && e.record.id === room.id),
      'the removed member to get a delete',
    );
    await until(
      () => staying.events.some((e) => e.action === 'update' && e.record.id === room.id),
      'the remaining member to get the update',
    );
    // Only the id: the removed member may no longer read the room's name or members.
    const gone = removed.events.find((e) => e.action === 'delete')!;
    expect(Object.keys(gone.record).sort()).toEqual(['collectionId', 'collectionName', 'id']);
    expect(removed.events.filter((e) => e.action === 'update')).toEqual([]);
    expect(staying.events.filter((e) => e.action === 'delete')).toEqual([]);
    expect(outside.events.filter((e) => e.record.id === room.id)).toEqual([]);
    for (const listener of [removed, staying, outside]) await listener.unsubscribe();
  });
});

describe('signed out', () => {
  it('receives nothing on messages/*, rooms/* or users/*, while the signed-in do', async () => {
    const guest = anonymous(server);
    const seen: string[] = [];
    for (const collection of ['messages', 'rooms', 'users']) {
      await guest.collection(collection).subscribe('*', (e) => seen.push(`${collection} ${e.action} ${e.record.id}`));
    }
    const control = {
      messages: await listen<MessagesRecord>(mallory.pb, 'messages'),
      rooms: await listen<RoomsRecord>(mallory.pb, 'rooms'),
      users: await listen<UsersRecord>(mallory.pb, 'users'),
    };

    const lobby = await createRoom(alice, 'public', [], `open-${Date.now()}`);
    const message = await post(alice, general, 'for everyone signed in');
    await alice.pb.collection('users').update(alice.id, { name: `Alice ${Date.now()}` });
    await until(
      () =>
        control.rooms.events.some((e) => e.record.id === lobby.id) &&
        control.messages.events.some((e) => e.record.id === message.id) &&
        control.users.events.some((e) => e.record.id === alice.id),
      'the signed-in control to get a room, a message and a profile event',
    );
    expect(seen).toEqual([]);
    for (const listener of Object.values(control)) await listener.unsubscribe();
    await guest.realtime.unsubscribe();
  });
});

describe('subscription options', () => {
  it('refuse a filter on private account fields', async () => {
    const pb = mallory.pb;
    await expect(
      pb.collection('users').subscribe('*', () => undefined, { filter: 'verified = true' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      pb.collection('messages').subscribe('*', () => undefined, { filter: 'user.email ~ "a"' }),
    ).rejects.toMatchObject({ status: 400 });
    await pb.realtime.unsubscribe();
  });

  // The server reads a topic's options with URL query parsing and Go's JSON decoder: the options need
  // not come first, field names match in any letter case, and a repeated key is merged, not replaced.
  // Each spelling below, accepted before, delivered only verified accounts' events.
  it('refuse a private filter however the options are spelled', async () => {
    const options = (json: string) => `options=${encodeURIComponent(json)}`;
    const filter = JSON.stringify('verified = true');
    const hidden = JSON.stringify('id != "" // "\n && verified = true // "');
    const topics = {
      'options after another parameter': `users/*?x=1&${options(`{"query":{"filter":${filter}}}`)}`,
      'Query in another letter case': `users/*?${options(`{"Query":{"filter":${filter}}}`)}`,
      'a repeated query key': `users/*?${options(`{"query":{"filter":${filter}},"query":{}}`)}`,
      'a condition between comments': `users/*?${options(`{"query":{"filter":${hidden}}}`)}`,
      'messages through the author': `messages/*?${options(`{"query":{"filter":"user.verified = true"}}`)}`,
    };
    for (const [spelling, topic] of Object.entries(topics)) {
      // A client of its own each time: the SDK would resend a refused topic with the next subscription.
      const attacker = anonymous(server);
      attacker.authStore.save(mallory.pb.authStore.token, mallory.pb.authStore.record);
      const received: unknown[] = [];
      await expect(
        attacker.realtime.subscribe(topic, (e) => received.push(e)),
        spelling,
      ).rejects.toMatchObject({ status: 400 });
      await attacker.realtime.unsubscribe();
      expect(received, spelling).toEqual([]);
    }
  });
});
