// Realtime obeys the same rules as reading: a subscriber never receives an event for a record they
// could not view, and `expand` on a subscription delivers the author with the event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, post, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

type Event<T> = RecordSubscription<T & { expand?: { user?: UsersRecord } }>;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let general: RoomsRecord;

/** Collects the events a client receives on a collection until stopped. */
async function listen<T>(pb: TestUser['pb'], collection: string, options: { expand?: string } = {}) {
  const events: Array<Event<T>> = [];
  const unsubscribe = await pb.collection(collection).subscribe<T>('*', (event) => events.push(event as Event<T>), options);
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
  [alice, bob, mallory] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob'), signUp(server, 'mallory')]);
  general = await anonymous(server).collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
});

afterAll(async () => {
  await server?.stop();
});

describe('message events', () => {
  it('reach a non-member for public rooms only, and members for their private rooms', async () => {
    const secret = await createRoom(alice, 'private', [bob.id]);
    const outsider = await listen<MessagesRecord>(mallory.pb, 'messages');
    const guest = anonymous(server);
    const signedOut = await listen<MessagesRecord>(guest, 'messages');
    const member = await listen<MessagesRecord>(bob.pb, 'messages');

    const hidden = await post(alice, secret, 'members only');
    const open = await post(alice, general, 'for everyone');

    await until(() => member.events.some((e) => e.record.id === open.id) && member.events.some((e) => e.record.id === hidden.id), 'the member to get both');
    await until(() => outsider.events.some((e) => e.record.id === open.id), 'the outsider to get the public message');
    await until(() => signedOut.events.some((e) => e.record.id === open.id), 'the signed-out client to get the public message');
    // The public message was sent after the private one and has arrived, so the private one is not late: it was withheld.
    expect(outsider.events.map((e) => e.record.id)).not.toContain(hidden.id);
    expect(signedOut.events.map((e) => e.record.id)).not.toContain(hidden.id);

    // Updates and deletes are withheld the same way.
    await alice.pb.collection('messages').update(hidden.id, { text: 'members only (edited)' });
    await alice.pb.collection('messages').delete(hidden.id);
    await alice.pb.collection('messages').update(open.id, { text: 'for everyone (edited)' });
    await until(() => outsider.events.some((e) => e.action === 'update' && e.record.id === open.id), 'the public edit');
    await until(() => member.events.some((e) => e.action === 'delete' && e.record.id === hidden.id), 'the member to see the delete');
    expect(outsider.events.filter((e) => e.record.id === hidden.id)).toEqual([]);

    for (const listener of [outsider, signedOut, member]) await listener.unsubscribe();
    guest.realtime.unsubscribe();
  });

  it('carry the author when subscribed with expand: user, without the author\'s email', async () => {
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

describe('room events', () => {
  it('reach only the members of a private room', async () => {
    const outsider = await listen<RoomsRecord>(mallory.pb, 'rooms');
    const member = await listen<RoomsRecord>(bob.pb, 'rooms');
    const secret = await createRoom(alice, 'private', [bob.id]);
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    await until(() => member.events.some((e) => e.record.id === secret.id) && member.events.some((e) => e.record.id === lobby.id), 'the member');
    await until(() => outsider.events.some((e) => e.record.id === lobby.id), 'the outsider to see the public room');
    expect(outsider.events.map((e) => e.record.id)).not.toContain(secret.id);
    await outsider.unsubscribe();
    await member.unsubscribe();
  });
});

describe('subscription options', () => {
  it('refuse a filter on private account fields', async () => {
    const pb = mallory.pb;
    await expect(pb.collection('users').subscribe('*', () => undefined, { filter: 'verified = true' })).rejects.toMatchObject({ status: 400 });
    await expect(pb.collection('messages').subscribe('*', () => undefined, { filter: 'user.email ~ "a"' })).rejects.toMatchObject({ status: 400 });
    pb.realtime.unsubscribe();
  });
});
