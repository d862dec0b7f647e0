// The reaction requests against a real PocketBase: add and take back under the hashed id, the same
// twice counts as done, a reaction made under another id is still taken back (the 404 lookup), the
// server's summary on the message is what readers see, and outsiders are refused.
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import { reactionId } from '../../../src-shared/reaction-id.ts';
import { createRoom, post, refused, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { readReactionInfo } from './reaction-info.ts';
import { PocketBaseReactionsApi } from './reactions-api.ts';
import { reactionProblem } from './reactions.svelte.ts';
import { TWENTY_EMOJI } from '../../../backend/testing/emoji.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let room: RoomsRecord;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  room = await createRoom(alice, 'private', [bob.id]);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function summary(reader: TestUser, message: MessagesRecord) {
  const fresh = await reader.pb.collection('messages').getOne(message.id, { requestKey: null });
  return readReactionInfo((fresh as { reactionInfo?: unknown }).reactionInfo);
}

describe('PocketBaseReactionsApi', () => {
  it('adds under the hashed id, counts a second add as done, and takes it back by that id', async () => {
    const message = await post(bob, room, 'Lunch at noon?');
    const alices = new PocketBaseReactionsApi(alice.pb);
    await alices.add(message.id, '👍');
    const stored = await alice.pb.collection('reactions').getOne(reactionId(message.id, alice.id, '👍'));
    expect(stored).toMatchObject({ message: message.id, user: alice.id, emoji: '👍' });
    await alices.add(message.id, '👍');

    await new PocketBaseReactionsApi(bob.pb).add(message.id, '👍');
    expect(await summary(bob, message)).toEqual([{ emoji: '👍', count: 2, users: [alice.id, bob.id] }]);

    await alices.remove(message.id, '👍');
    expect(await summary(bob, message)).toEqual([{ emoji: '👍', count: 1, users: [bob.id] }]);
    // Gone already: taking it back again is done too.
    await alices.remove(message.id, '👍');
  });

  it('after a 404 looks the reaction up once: one already gone counts as taken back', async () => {
    const message = await post(bob, room, 'Made elsewhere');
    // Made without an id (a script, another client): the server gives it the id this client computes.
    const made = await alice.pb.collection('reactions').create({ message: message.id, user: alice.id, emoji: '🎉' });
    expect(made.id).toBe(reactionId(message.id, alice.id, '🎉'));
    await new PocketBaseReactionsApi(bob.pb).add(message.id, '🎉');
    expect((await summary(alice, message))[0]?.count).toBe(2);
    await new PocketBaseReactionsApi(alice.pb).remove(message.id, '🎉');
    expect(await summary(alice, message)).toEqual([{ emoji: '🎉', count: 1, users: [bob.id] }]);

    // Taken back already (on another device): the delete is not found, the lookup finds nothing, done.
    const requests: string[] = [];
    alice.pb.beforeSend = (url, options) => {
      const filter = (options.query as { filter?: string } | undefined)?.filter;
      requests.push(`${options.method ?? 'GET'} ${new URL(url).pathname}${filter ? ` ${filter}` : ''}`);
      return { url, options };
    };
    try {
      await new PocketBaseReactionsApi(alice.pb).remove(message.id, '🎉');
    } finally {
      alice.pb.beforeSend = undefined;
    }
    expect(requests).toHaveLength(2);
    expect(requests[0]).toBe(`DELETE /api/collections/reactions/records/${reactionId(message.id, alice.id, '🎉')}`);
    expect(requests[1]).toBe(
      `GET /api/collections/reactions/records message = "${message.id}" && user = "${alice.id}" && emoji = "🎉"`,
    );
    expect(await summary(alice, message)).toEqual([{ emoji: '🎉', count: 1, users: [bob.id] }]);
  });

  it('refuses outsiders: no reacting to, reading, or taking back reactions in a room one is not in', async () => {
    const message = await post(bob, room, 'Members only');
    await new PocketBaseReactionsApi(alice.pb).add(message.id, '👀');
    const mallorys = new PocketBaseReactionsApi(mallory.pb);
    const refusal = await refused(mallorys.add(message.id, '👀'));
    expect([400, 403, 404]).toContain(refusal.status);
    // Bob's reaction cannot be taken back by Mallory, by its id or by the lookup.
    await new PocketBaseReactionsApi(bob.pb).add(message.id, '👀');
    await expect(mallory.pb.collection('reactions').delete(reactionId(message.id, bob.id, '👀'))).rejects.toMatchObject(
      { status: 404 },
    );
    await mallorys.remove(message.id, '👀');
    expect(await summary(alice, message)).toEqual([{ emoji: '👀', count: 2, users: [alice.id, bob.id] }]);
    expect(await mallory.pb.collection('reactions').getFullList({ filter: `message = "${message.id}"` })).toEqual([]);
  });

  it('refuses a 21st different emoji with a sentence the person can act on', async () => {
    const message = await post(bob, room, 'So many feelings');
    const emoji = TWENTY_EMOJI;
    const bobs = new PocketBaseReactionsApi(bob.pb);
    for (const item of emoji) await bobs.add(message.id, item);
    const error = await new PocketBaseReactionsApi(alice.pb).add(message.id, '🦄').then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ClientResponseError);
    expect((error as ClientResponseError).status).toBe(400);
    expect(reactionProblem(error, '🦄', true)).toMatch(/^Could not react with 🦄: .*20/);
    // Adding to one already there is fine.
    await new PocketBaseReactionsApi(alice.pb).add(message.id, '😀');
    expect((await summary(alice, message)).map((s) => s.emoji)).toEqual(emoji);
  });
});
