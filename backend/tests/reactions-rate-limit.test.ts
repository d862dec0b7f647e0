// Reactions under production rate limits, with an office behind one address (every test client comes
// from 127.0.0.1): each account has its own budget of reactions (the `*:create` rule, backend/reactions.go),
// apart from its budget of messages, so reacting never stops someone writing, and one colleague's burst
// never stops another's reactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { TWENTY_EMOJI } from '../testing/emoji.ts';

/** The production `*:create` rule: creates per account in its 10-second window. */
const BUDGET = 20;
const EMOJI = TWENTY_EMOJI;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let room: RoomsRecord;

function react(who: TestUser, message: MessagesRecord, emoji: string) {
  return who.pb.collection('reactions').create({ message: message.id, user: who.id, emoji });
}

beforeAll(async () => {
  server = await startTestServer({ rateLimits: 'production' });
  alice = await signUp(server, 'alice');
  bob = await signUp(server, 'bob');
  room = await alice.pb
    .collection('rooms')
    .create<RoomsRecord>({ name: 'office', kind: 'public', owner: alice.id, members: [alice.id] });
});

afterAll(async () => {
  await server?.stop();
});

describe('the reaction budget', () => {
  it('is per account and apart from messages', async () => {
    const first = await post(alice, room, 'react to this');
    const second = await post(alice, room, 'and this');
    for (const emoji of EMOJI.slice(0, BUDGET)) await react(bob, first, emoji);

    const over = await refused(react(bob, second, '👍'));
    expect(over.status).toBe(429);
    expect(over.data).toMatchObject({ retryAfter: expect.any(Number) });

    // Bob can still write, and a colleague at the same address can still react.
    await post(bob, room, 'still writing');
    await react(alice, second, '👍');
    const onSecond = await (
      await server.admin()
    )
      .collection('reactions')
      .getFullList({ filter: `message = "${second.id}"` });
    expect(onSecond.map((r) => r.user)).toEqual([alice.id]);
  });
});
