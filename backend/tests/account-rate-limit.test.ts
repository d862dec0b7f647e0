// Production rate limits with an office behind one address: every test client here comes from
// 127.0.0.1, as colleagues behind one NAT would. Signed-in message creates are budgeted per account
// (backend/account_rate_limit.go), so one person's burst never slows another down; signed-out requests
// (sign-in, sign-up) stay limited per address by PocketBase.
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

/** The production `*:create` rule: creates per client in its window. */
const BUDGET = 20;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let room: RoomsRecord;

beforeAll(async () => {
  server = await startTestServer({ rateLimits: 'production' });
  alice = await signUp(server, 'alice');
  bob = await signUp(server, 'bob');
  carol = await signUp(server, 'carol');
  dave = await signUp(server, 'dave');
  room = await alice.pb
    .collection('rooms')
    .create<RoomsRecord>({ name: 'office', kind: 'public', owner: alice.id, members: [alice.id] });
});

afterAll(async () => {
  await server?.stop();
});

interface RateLimitRule {
  label: string;
  audience: string;
  duration: number;
  maxRequests: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

/** Runs `body` with the `*:create` rule changed as given, and puts the settings back afterwards. */
async function withCreateRule(change: Omit<RateLimitRule, 'label'>, body: () => Promise<void>): Promise<void> {
  const admin = await server.admin();
  const { rateLimits } = await admin.settings.getAll();
  const rules = rateLimits.rules as RateLimitRule[];
  const changed = rules.map((r) => (r.label === '*:create' ? { ...r, ...change } : r));
  await admin.settings.update({ rateLimits: { ...rateLimits, rules: changed } });
  try {
    await body();
  } finally {
    await admin.settings.update({ rateLimits: { ...rateLimits, rules } });
  }
}

/** One message create over plain HTTP, since the SDK's errors do not carry response headers. */
async function rawPost(
  who: TestUser,
  text: string,
): Promise<{ status: number; retryAfterHeader: string | null; body: unknown }> {
  const response = await fetch(`${server.url}/api/collections/messages/records`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: who.pb.authStore.token },
    body: JSON.stringify({ text, user: who.id, room: room.id }),
  });
  return {
    status: response.status,
    retryAfterHeader: response.headers.get('Retry-After'),
    body: await response.json(),
  };
}

/** Posts `count` messages as fast as the server answers; the HTTP status of each. */
async function burst(who: TestUser, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) {
    try {
      await post(who, room, `${who.username} ${n}`);
      statuses.push(200);
    } catch (error) {
      if (!(error instanceof ClientResponseError)) throw error;
      statuses.push(error.status);
    }
  }
  return statuses;
}

describe('message budget per account', () => {
  it('one account flooding is answered 429, in PocketBase’s error shape, and what it refused is not stored', async () => {
    const statuses = await burst(alice, BUDGET + 1);
    expect(statuses.slice(0, BUDGET).every((s) => s === 200)).toBe(true);
    expect(statuses[BUDGET]).toBe(429);
    const answer = await post(alice, room, 'one too many').catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(ClientResponseError);
    expect((answer as ClientResponseError).response).toEqual({
      status: 429,
      message: expect.any(String),
      data: { retryAfter: expect.any(Number) },
    });
    const admin = await server.admin();
    const stored = await admin.collection('messages').getFullList({ filter: `user = "${alice.id}"` });
    expect(stored).toHaveLength(BUDGET);
  });

  it('a colleague behind the same address still has a whole budget of their own', async () => {
    // Alice used up hers a moment ago from the same address: under a per-address limit Bob's first
    // message would be refused.
    expect(await burst(bob, BUDGET)).toEqual(Array(BUDGET).fill(200));
    expect((await refused(post(bob, room, 'now bob is over'))).status).toBe(429);
  });

  it('one address still has a ceiling for all its accounts together, so signing up more buys no more', async () => {
    const admin = await server.admin();
    const { rateLimits } = await admin.settings.getAll();
    const rules = rateLimits.rules as Array<{ label: string; audience: string; maxRequests: number }>;
    expect(rules).toContainEqual(expect.objectContaining({ label: 'messages:create', audience: '@auth' }));
    // Lowered below one account's budget (saving also starts PocketBase's counters afresh): Carol's two
    // messages and Dave's first fill it together, though each of them is far below their own budget.
    const lowered = rules.map((r) => (r.label === 'messages:create' ? { ...r, maxRequests: 3 } : r));
    await admin.settings.update({ rateLimits: { ...rateLimits, rules: lowered } });
    try {
      expect(await burst(carol, 2)).toEqual([200, 200]);
      expect(await burst(dave, 2)).toEqual([200, 429]);
    } finally {
      await admin.settings.update({ rateLimits: { ...rateLimits, rules } });
    }
  });

  it('a refusal says when the window reopens: a retry then succeeds, one well before it is refused again', async () => {
    const erin = await signUp(server, 'erin');
    await withCreateRule({ audience: '', duration: 5, maxRequests: 2 }, async () => {
      expect(await burst(erin, 2)).toEqual([200, 200]);
      await sleep(2000);
      // Two of the window's five seconds have passed: three remain, whatever back-off a client would guess.
      const first = await rawPost(erin, 'third');
      expect(first.status).toBe(429);
      expect(first.retryAfterHeader).toBe('3');
      expect(first.body).toMatchObject({ status: 429, data: { retryAfter: 3 } });
      const refusedAt = Date.now();
      await sleep(1500);
      const early = await rawPost(erin, 'too early');
      expect(early.status).toBe(429);
      expect(Number(early.retryAfterHeader)).toBeGreaterThanOrEqual(1);
      await sleep(refusedAt + 3000 - Date.now());
      expect((await rawPost(erin, 'on time')).status).toBe(200);
    });
  });

  it('a `*:create` rule narrowed to signed-in requests (@auth) still budgets each account', async () => {
    const frank = await signUp(server, 'frank');
    await withCreateRule({ audience: '@auth', duration: 10, maxRequests: 2 }, async () => {
      expect(await burst(frank, 3)).toEqual([200, 200, 429]);
    });
  });

  it('PocketBase’s own per-address refusals say when to retry too (the whole window: its start is not known)', async () => {
    const admin = await server.admin();
    const { rateLimits } = await admin.settings.getAll();
    const rules = rateLimits.rules as RateLimitRule[];
    const lowered = rules.map((r) => (r.label === 'messages:create' ? { ...r, maxRequests: 1, duration: 7 } : r));
    await admin.settings.update({ rateLimits: { ...rateLimits, rules: lowered } });
    try {
      const gina = await signUp(server, 'gina');
      expect((await rawPost(gina, 'one')).status).toBe(200);
      const refusal = await rawPost(gina, 'two');
      expect(refusal.status).toBe(429);
      expect(refusal.retryAfterHeader).toBe('7');
      expect(refusal.body).toMatchObject({ data: { retryAfter: 7 } });
    } finally {
      await admin.settings.update({ rateLimits: { ...rateLimits, rules } });
    }
  });

  it('signed-out sign-in attempts are still limited per address, whatever account they name', async () => {
    // Saving the settings starts PocketBase's counters afresh, so the count starts here.
    const admin = await server.admin();
    await admin.settings.update({ rateLimits: (await admin.settings.getAll()).rateLimits });
    const pb = anonymous(server);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const who = attempt % 2 === 0 ? alice.username : `nobody_${attempt}`;
      statuses.push((await refused(pb.collection('users').authWithPassword(who, `guess-${attempt}`))).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // The right password changes nothing once the address is over its budget.
    expect((await refused(pb.collection('users').authWithPassword(bob.username, bob.password))).status).toBe(429);
  });

  it('a server started with no rule that budgets accounts says so in its log, naming the setting to fix', async () => {
    const admin = await server.admin();
    const { rateLimits } = await admin.settings.getAll();
    const rules = rateLimits.rules as RateLimitRule[];
    const guestsOnly = rules.map((r) => (r.label === '*:create' ? { ...r, audience: '@guest' } : r));
    await admin.settings.update({ rateLimits: { ...rateLimits, rules: guestsOnly } });
    try {
      await server.restart();
      const after = await server.admin();
      const warning = await vi.waitFor(
        async () => {
          const logs = await after.logs.getList(1, 20, { filter: 'level = 4 && message ~ "per-account"' });
          expect(logs.items).toHaveLength(1);
          return logs.items[0]!;
        },
        { timeout: 15000, interval: 500 },
      );
      expect(warning.message).toContain('*:create');
      expect(warning.message).toContain('Rate limits');
    } finally {
      await (await server.admin()).settings.update({ rateLimits: { ...rateLimits, rules } });
    }
  });
});
