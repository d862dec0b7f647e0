// Typing signals from the attacker's side (backend/typing.go): POST /api/palaver/rooms/{id}/typing is
// allowed to whoever may post a message in the room and to nobody else; a signal reaches, on
// palaver/typing, the people who can read the room and nobody else (not an outsider, an invitee who has not
// accepted, someone removed, a signed-out connection, nor the typist's own connections); one signal per
// person and room every 3 s, and only the first four typing in a room at once are sent; and nothing of it is
// ever written to the database.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { TYPING_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

interface TypingEvent {
  room: string;
  user: string;
  name: string;
}

let server: TestServer;
let alice: TestUser; // owns the rooms
let bob: TestUser; // member of `secret`, the typist
let carol: TestUser; // member of `secret`
let dave: TestUser; // was a member of `secret`, removed
let ivan: TestUser; // invited to `secret`, has not accepted
let mallory: TestUser; // member of none of alice's rooms
let secret: RoomsRecord;
let open: RoomsRecord; // public, nobody but alice joined it
let general: RoomsRecord; // public, everyone joined it on sign-up

/** Signals as `who`; resolves with the HTTP status and the Retry-After header, never throws. */
async function signal(who: TestUser | null, room: string, body: Record<string, unknown> = {}) {
  const response = await fetch(`${server.url}/api/palaver/rooms/${encodeURIComponent(room)}/typing`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(who ? { Authorization: who.pb.authStore.token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('Retry-After') };
}

/** Collects what a client receives on palaver/typing, with the time each arrived. */
async function listen(pb: TestUser['pb']) {
  const events: Array<TypingEvent & { at: number }> = [];
  const unsubscribe = await pb.realtime.subscribe(TYPING_TOPIC, (event: TypingEvent) =>
    events.push({ ...event, at: Date.now() }),
  );
  return { events, unsubscribe };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every table of the server's database with its row count, read with the sqlite3 CLI. */
function tableCounts(): Record<string, number> {
  const db = join(server.dataDir, 'data.db');
  const run = (sql: string) => {
    const result = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`sqlite3 failed (is it installed?): ${result.stderr}`);
    return result.stdout.trim();
  };
  const tables = run("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n');
  return Object.fromEntries(tables.map((table) => [table, Number(run(`SELECT count(*) FROM "${table}"`))]));
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server, 'alice');
  bob = await signUp(server, 'bob');
  carol = await signUp(server, 'carol');
  dave = await signUp(server, 'dave');
  ivan = await signUp(server, 'ivan');
  mallory = await signUp(server, 'mallory');
  secret = await createRoom(alice, 'private', [bob, carol, dave]);
  await alice.pb.collection('rooms').update(secret.id, { 'members-': dave.id, 'invited+': ivan.id });
  open = await createRoom(alice, 'public');
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
});

afterAll(async () => {
  await server?.stop();
});

describe('a typing signal', () => {
  it("reaches the room's other members within a second, and nobody who cannot read the room", async () => {
    const members = await Promise.all([alice, carol].map((who) => listen(who.pb)));
    const typist = await listen(bob.pb);
    const removed = await listen(dave.pb);
    const invitee = await listen(ivan.pb);
    const outsider = await listen(mallory.pb);
    const guest = anonymous(server);
    const signedOut = await listen(guest);

    const sentAt = Date.now();
    expect((await signal(bob, secret.id)).status).toBe(204);
    await until(() => members.every((m) => m.events.length === 1), 'both members to hear bob');
    for (const { events } of members) {
      const [heard] = events as [TypingEvent & { at: number }];
      expect(heard).toMatchObject({ room: secret.id, user: bob.id, name: 'bob' });
      expect(Object.keys(heard).sort()).toEqual(['at', 'name', 'room', 'user']);
      expect(heard.at - sentAt).toBeLessThan(1000);
    }

    // A later signal in a room they can all read arrives; the private one, sent first, was withheld.
    expect((await signal(carol, general.id)).status).toBe(204);
    await until(
      () => [removed, invitee, outsider, typist].every((l) => l.events.some((e) => e.room === general.id)),
      'everyone signed in to hear the signal in general',
    );
    await pause(200);
    for (const listener of [removed, invitee, outsider, typist]) {
      expect(listener.events.filter((e) => e.room === secret.id)).toEqual([]);
    }
    // Never back to the typist: carol heard nothing of her own signal in general.
    expect(members[1]!.events.filter((e) => e.user === carol.id)).toEqual([]);
    expect(signedOut.events).toEqual([]);

    for (const listener of [...members, typist, removed, invitee, outsider]) await listener.unsubscribe();
    await guest.realtime.unsubscribe();
  });

  it('may be sent by exactly those who may post a message in the room', async () => {
    const cases: Array<[TestUser, RoomsRecord, string]> = [
      [bob, secret, 'a member, private room'],
      [dave, secret, 'a removed member'],
      [ivan, secret, 'an invitee who has not accepted'],
      [mallory, secret, 'an outsider, private room'],
      [mallory, open, 'someone signed in who has not joined a public room'],
    ];
    for (const [who, room, label] of cases) {
      const message = await post(who, room, `may ${who.username} post?`).then(
        () => true,
        () => false,
      );
      const { status } = await signal(who, room.id);
      // 429: allowed, but bob signalled in this room a moment ago.
      expect({ label, allowed: [204, 429].includes(status) }).toEqual({ label, allowed: message });
      expect([204, 429, 403, 404]).toContain(status);
    }
  });

  it('is refused for a room one is not in (403 invited, 404 otherwise), and nothing goes out', async () => {
    const member = await listen(carol.pb);
    expect((await signal(mallory, secret.id)).status).toBe(404);
    expect((await signal(dave, secret.id)).status).toBe(404);
    expect((await signal(ivan, secret.id)).status).toBe(403);
    // A room that does not exist answers as a room one cannot see: a probe learns nothing.
    expect((await signal(mallory, 'doesnotexist123')).status).toBe(404);
    // The SDK's own error shape for the same refusal.
    const viaSdk = await refused(mallory.pb.send(`/api/palaver/rooms/${secret.id}/typing`, { method: 'POST' }));
    expect(viaSdk.status).toBe(404);
    await pause(300);
    expect(member.events).toEqual([]);
    await member.unsubscribe();
  });

  // Else one person could signal in a different public room each time, each going to all its readers.
  it('is one signal a second per person, whatever the room: another room at once gets 429 and nothing goes out', async () => {
    const [first, second] = await Promise.all([createRoom(mallory, 'public'), createRoom(mallory, 'public')]);
    const listener = await listen(alice.pb);
    await pause(3000); // mallory's earlier signals are past every limit
    expect((await signal(mallory, first.id)).status).toBe(204);
    const refusedAt = await signal(mallory, second.id);
    expect(refusedAt.status).toBe(429);
    await pause(300);
    expect(listener.events.map((e) => e.room)).toEqual([first.id]);
    await pause(1000);
    expect((await signal(mallory, second.id)).status).toBe(204);
    await until(() => listener.events.length === 2, 'alice to hear mallory in the second room');
    await listener.unsubscribe();
  });

  it('cannot be forged for someone else: the server names the signed-in typist', async () => {
    const listener = await listen(alice.pb);
    await pause(3000); // mallory's budget in general from an earlier test is spent for 3 s at most
    expect((await signal(mallory, general.id, { user: bob.id, name: 'bob', room: secret.id })).status).toBe(204);
    await until(() => listener.events.length === 1, 'alice to hear mallory');
    expect(listener.events[0]!).toMatchObject({ room: general.id, user: mallory.id, name: 'mallory' });
    await listener.unsubscribe();
  });

  it('is refused signed out (401), and nothing goes out', async () => {
    const member = await listen(carol.pb);
    expect((await signal(null, secret.id)).status).toBe(401);
    await pause(300);
    expect(member.events).toEqual([]);
    await member.unsubscribe();
  });

  it('comes at most once per person and room every 3 s: a faster one is 429 with Retry-After and not sent', async () => {
    const room = await createRoom(alice, 'private', [bob, carol]);
    const member = await listen(carol.pb);
    expect((await signal(bob, room.id)).status).toBe(204);
    const again = await signal(bob, room.id);
    expect(again.status).toBe(429);
    expect(Number(again.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(again.retryAfter)).toBeLessThanOrEqual(3);
    // Someone else in the same room has a budget of their own.
    expect((await signal(alice, room.id)).status).toBe(204);
    await until(() => member.events.length === 2, "carol to hear bob's first signal and alice's");
    await pause(300);
    expect(member.events.map((e) => e.user)).toEqual([bob.id, alice.id]);

    // Once the 3 s are over, bob may signal again.
    await pause(3000);
    expect((await signal(bob, room.id)).status).toBe(204);
    await until(() => member.events.length === 3, "carol to hear bob's next signal");
    await member.unsubscribe();
  });

  it('does not reach someone who blocked the typist', async () => {
    await pause(1100); // one signal a second per person: the earlier tests' have passed
    const room = await createRoom(alice, 'private', [bob, carol]);
    const block = await carol.pb.collection('blocks').create({ user: carol.id, blocked: bob.id });
    const [blocker, other] = await Promise.all([listen(carol.pb), listen(alice.pb)]);
    expect((await signal(bob, room.id)).status).toBe(204);
    await until(() => other.events.length === 1, 'alice to hear bob');
    await pause(200);
    expect(blocker.events).toEqual([]);
    await carol.pb.collection('blocks').delete(block.id);
    for (const listener of [blocker, other]) await listener.unsubscribe();
  });

  it('is sent for the first four typing in a room at once; a fifth is sent once one of them has posted', async () => {
    await pause(1100); // one signal a second per person: the earlier tests' have passed
    const five = [bob, carol, dave, ivan, mallory];
    const room = await createRoom(alice, 'private', five);
    const reader = await listen(alice.pb);
    for (const who of five) expect((await signal(who, room.id)).status).toBe(204);
    await until(() => reader.events.length === 4, 'alice to hear four typists');
    await pause(300);
    // "Several people are typing…" from three on: a fifth name would change nothing alice reads.
    expect(reader.events.map((e) => e.user)).toEqual([bob.id, carol.id, dave.id, ivan.id]);
    await post(bob, room, 'done typing');
    await pause(3000); // mallory's next signal, 3 s on
    expect((await signal(mallory, room.id)).status).toBe(204);
    await until(() => reader.events.length === 5, "alice to hear mallory once bob's message is in");
    expect(reader.events[4]!.user).toBe(mallory.id);
    await reader.unsubscribe();
  });

  it('is never written to the database', async () => {
    await pause(1100); // one signal a second per person: the earlier tests' have passed
    const before = tableCounts();
    expect(Object.keys(before).filter((table) => /typing/i.test(table))).toEqual([]);
    const member = await listen(carol.pb);
    await pause(3000); // earlier tests' budgets are over
    for (const [who, room] of [
      [bob, secret],
      [carol, secret],
      [alice, secret],
      [mallory, open],
    ] as const) {
      expect((await signal(who, room.id)).status).toBe(204);
    }
    expect((await signal(bob, secret.id)).status).toBe(429);
    await until(() => member.events.length === 3, 'carol to hear the signals she can read');
    expect(tableCounts()).toEqual(before);
    await member.unsubscribe();
  });
});
