// Suspended accounts from the attacker's side (backend/suspension.go, migration 1795700170): from the
// moment a superuser sets `suspended`, the account's old token, its realtime connection, sign-in, token
// refresh and creates all fail with the one suspension error; nobody else changes the flag; clearing it
// restores sign-in. (The purge route that deletes what they wrote: purge.rules.test.ts.)
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
});

afterAll(async () => {
  await server?.stop();
});

const SUSPENDED = { status: 403, data: { account: { code: 'account_suspended' } } };

async function setSuspended(user: TestUser, suspended: boolean): Promise<void> {
  await admin.collection('users').update(user.id, { suspended });
}

async function auditOf(target: string): Promise<Array<Record<string, unknown>>> {
  return admin.collection('audit_log').getFullList({ filter: `target = "${target}"`, sort: 'created' });
}

/**
 * Opens a realtime connection as `user` with the raw SSE stream (no SDK reconnects) and subscribes it to
 * the messages topic; `closed` resolves with the time the server ended the stream.
 */
async function openRealtime(user: TestUser): Promise<{ closed: Promise<number>; abort: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/realtime`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!/"clientId":"([^"]+)"/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the realtime stream ended before PB_CONNECT');
    text += decoder.decode(value);
  }
  const clientId = /"clientId":"([^"]+)"/.exec(text)![1];
  const subscribed = await fetch(`${server.url}/api/realtime`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: user.pb.authStore.token },
    body: JSON.stringify({ clientId, subscriptions: [MESSAGES_TOPIC] }),
  });
  expect(subscribed.status).toBe(204);
  const closed = (async () => {
    for (;;) {
      const { done } = await reader.read().catch(() => ({ done: true }));
      if (done) return performance.now();
    }
  })();
  return { closed, abort: () => controller.abort() };
}

describe('a suspended account', () => {
  let spammer: TestUser;
  let friend: TestUser;
  let room: RoomsRecord;
  let oldToken: string;

  beforeAll(async () => {
    spammer = await signUp(server, 'spammer');
    friend = await signUp(server, 'friend');
    room = await createRoom(friend, 'private', [spammer]);
    await post(spammer, room, 'buy my things');
    oldToken = spammer.pb.authStore.token;
  });

  it('loses its realtime connection within a second, then its token, refresh, creates and sign-in', async () => {
    const realtime = await openRealtime(spammer);
    const control = await openRealtime(friend);
    // From the moment the request is sent: the connection ends before the superuser's answer arrives.
    const suspendedAt = performance.now();
    await setSuspended(spammer, true);
    const closedAfter =
      (await Promise.race([realtime.closed, new Promise<number>((r) => setTimeout(() => r(-1), 3000))])) - suspendedAt;
    console.log(`realtime connection closed ${closedAfter.toFixed(1)} ms after the suspension was sent`);
    expect(closedAfter).toBeGreaterThanOrEqual(0);
    expect(closedAfter).toBeLessThan(1000);
    // Only theirs: the friend's connection stays open.
    const friendClosed = await Promise.race([
      control.closed.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 300)),
    ]);
    expect(friendClosed).toBe(false);
    control.abort();

    // The old token, on reads, refresh, creates and the realtime subscription a reconnect sends.
    const pb = new PocketBase(server.url);
    pb.authStore.save(oldToken, spammer.record);
    expect(await refused(pb.collection('messages').getList(1, 10))).toMatchObject(SUSPENDED);
    expect(await refused(pb.collection('users').authRefresh())).toMatchObject(SUSPENDED);
    expect(
      await refused(pb.collection('messages').create({ text: 'still here', user: spammer.id, room: room.id })),
    ).toMatchObject(SUSPENDED);
    expect(
      await refused(
        pb.collection('rooms').create({ name: 'new', kind: 'private', owner: spammer.id, members: [spammer.id] }),
      ),
    ).toMatchObject(SUSPENDED);
    expect(
      await refused(pb.collection('reactions').create({ message: 'x', user: spammer.id, emoji: '👍' })),
    ).toMatchObject(SUSPENDED);
    expect(await refused(pb.send('/api/palaver/search', { query: { q: 'things' } }))).toMatchObject(SUSPENDED);
    const resubscribe = await fetch(`${server.url}/api/realtime`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: oldToken },
      body: JSON.stringify({ clientId: 'whatever', subscriptions: [MESSAGES_TOPIC] }),
    });
    expect(resubscribe.status).toBe(403);
    expect(await resubscribe.json()).toMatchObject({ data: { account: { code: 'account_suspended' } } });

    // Sign-in, by email and by username: the suspension is said only once the password is right.
    const fresh = anonymous(server);
    expect(await refused(fresh.collection('users').authWithPassword(spammer.email, spammer.password))).toMatchObject(
      SUSPENDED,
    );
    expect(await refused(fresh.collection('users').authWithPassword(spammer.username, spammer.password))).toMatchObject(
      SUSPENDED,
    );
    expect((await refused(fresh.collection('users').authWithPassword(spammer.email, 'wrong password'))).status).toBe(
      400,
    );
    expect(fresh.authStore.token).toBe('');

    // Past messages stay, readable by the others.
    const kept = await friend.pb.collection('messages').getFullList<MessagesRecord>({ filter: `room = "${room.id}"` });
    expect(kept.map((m) => m.text)).toContain('buy my things');
  });

  it('is restored by a superuser, and signs in again', async () => {
    await setSuspended(spammer, false);
    const fresh = anonymous(server);
    await fresh.collection('users').authWithPassword(spammer.email, spammer.password);
    await post({ ...spammer, pb: fresh }, room, 'sorry');
    // The old token works again too: suspension never revoked it.
    const pb = new PocketBase(server.url);
    pb.authStore.save(oldToken, spammer.record);
    await pb.collection('users').authRefresh();

    const entries = await auditOf(spammer.id);
    expect(entries.map((e) => [e.action, e.actorKind, e.targetCollection])).toEqual([
      ['account_suspended', 'superuser', 'users'],
      ['account_restored', 'superuser', 'users'],
    ]);
  });
});

describe('the suspended flag', () => {
  it('is changed by superusers only: nobody suspends or restores themselves or others', async () => {
    const mallory = await signUp(server, 'mallory');
    const victim = await signUp(server, 'victim');
    expect((await refused(mallory.pb.collection('users').update(mallory.id, { suspended: true }))).status).toBe(403);
    expect((await refused(mallory.pb.collection('users').update(victim.id, { suspended: true }))).status).toBe(403);
    expect(
      (await refused(mallory.pb.collection('users').update(mallory.id, { name: 'M', suspended: false }))).status,
    ).toBe(403);
    // The rest of a profile stays theirs to change.
    expect((await mallory.pb.collection('users').update(mallory.id, { name: 'Mal' })).name).toBe('Mal');
    const username = `selfsuspended_${process.pid}`;
    const signup = anonymous(server)
      .collection('users')
      .create({
        username,
        email: `${username}@palaver.test`,
        password: 'pw-long-enough',
        passwordConfirm: 'pw-long-enough',
        suspended: true,
      });
    expect((await refused(signup)).status).toBe(403);

    // A suspended account cannot lift its own suspension either.
    await setSuspended(mallory, true);
    expect(await refused(mallory.pb.collection('users').update(mallory.id, { suspended: false }))).toMatchObject(
      SUSPENDED,
    );
    for (const who of [mallory, victim])
      expect((await admin.collection('users').getOne(who.id)).suspended).toBe(who === mallory);
    // Nobody else learns that an account is suspended.
    const seen = await victim.pb.collection('users').getOne(mallory.id);
    expect(seen).not.toHaveProperty('suspended');
    // Not even by filtering on it (a hidden field).
    const filtered = victim.pb.collection('users').getList(1, 1, { filter: 'suspended = true' });
    expect((await refused(filtered)).status).toBe(400);
  });
});

describe('a file token taken before a suspension', () => {
  it('no longer downloads the files of the rooms the account was in', async () => {
    const holder = await signUp(server, 'holder');
    const friend = await signUp(server, 'friend');
    const room = await createRoom(friend, 'private', [holder]);
    const message = await friend.pb.collection('messages').create<MessagesRecord>({
      text: 'the plan',
      user: friend.id,
      room: room.id,
      attachments: [new File(['secret plan'], 'plan.txt', { type: 'text/plain' })],
    });
    const token = await holder.pb.files.getToken();
    const url = holder.pb.files.getURL(message, message.attachments[0]!, { token });
    expect((await fetch(url)).status).toBe(200);

    await setSuspended(holder, true);
    const after = await fetch(url);
    expect(after.status).toBe(403);
    expect(await after.text()).not.toContain('secret plan');
    // The friend's own token still works: only the suspended account's are refused.
    const friendsUrl = friend.pb.files.getURL(message, message.attachments[0]!, {
      token: await friend.pb.files.getToken(),
    });
    expect(await (await fetch(friendsUrl)).text()).toBe('secret plan');
  });
});
