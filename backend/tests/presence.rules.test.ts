// Presence (backend/presence.go): worked out from realtime connections, in memory. Online while any of a
// person's connections is open (several devices count once), away/dnd as each connection declares for
// itself, offline shortly after the last one closes, told on palaver/presence to signed-in accounts only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { anonymous, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { PRESENCE_TOPIC } from '../../src-shared/realtime-topics.ts';
import { openSse, subscribe } from '../../bench/lib/sse.ts';

interface PresenceEvent {
  user: string;
  status: string;
}

let server: TestServer;
let bob: TestUser;
let watcher: Awaited<ReturnType<typeof listen>>;
const devices: PocketBase[] = [];

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Listens on the presence topic as `pb`: each change, and how many messages brought them. */
async function listen(pb: PocketBase) {
  const events: PresenceEvent[] = [];
  const counts = { messages: 0 };
  // The changes of a burst come together, as a list.
  const stop = await pb.realtime.subscribe(PRESENCE_TOPIC, (e: PresenceEvent | PresenceEvent[]) => {
    counts.messages += 1;
    events.push(...(Array.isArray(e) ? e : [e]));
  });
  return { events, counts, stop };
}

/** A device of `person`: its own SDK and realtime connection, signed in with the person's token. */
async function connect(person: TestUser): Promise<PocketBase> {
  const pb = anonymous(server);
  pb.authStore.save(person.pb.authStore.token, person.pb.authStore.record);
  // Any subscription opens the connection and carries the sign-in; this one is as good as any.
  await pb.realtime.subscribe(PRESENCE_TOPIC, () => undefined);
  devices.push(pb);
  return pb;
}

async function close(device: PocketBase): Promise<void> {
  await device.realtime.unsubscribe();
}

function statuses(pb: PocketBase, ids: string[]): Promise<Record<string, string>> {
  return pb.send(`/api/palaver/presence?ids=${ids.join(',')}`, { requestKey: null });
}

function declare(pb: PocketBase, body: Record<string, unknown>): Promise<unknown> {
  return pb.send('/api/palaver/presence', { method: 'POST', body, requestKey: null });
}

const about = (person: TestUser) => watcher.events.filter((e) => e.user === person.id).map((e) => e.status);

beforeAll(async () => {
  server = await startTestServer();
  bob = await signUp(server, 'bob');
  watcher = await listen(bob.pb);
});

afterAll(async () => {
  for (const device of devices) await device.realtime.unsubscribe().catch(() => undefined);
  await watcher?.stop();
  await server?.stop();
});

describe('presence from connections', () => {
  it('is online while any device is connected, once, and offline soon after the last one closes', async () => {
    const alice = await signUp(server, 'alice');
    expect(await statuses(bob.pb, [alice.id])).toEqual({ [alice.id]: 'offline' });

    const laptop = await connect(alice);
    await until(() => about(alice).length === 1, 'bob to see alice come online');
    expect(about(alice)).toEqual(['online']);

    const desktop = await connect(alice);
    // A control event after the second device: had it caused an event, that one would have come first.
    const carol = await signUp(server, 'carol');
    await connect(carol);
    await until(() => about(carol).length === 1, "carol's event");
    expect(about(alice)).toEqual(['online']);

    await close(laptop);
    await pause(2500); // longer than the server's grace for reconnects
    expect(about(alice)).toEqual(['online']);
    expect(await statuses(bob.pb, [alice.id, carol.id])).toEqual({ [alice.id]: 'online', [carol.id]: 'online' });

    const closedAt = Date.now();
    await close(desktop);
    await until(() => about(alice).length === 2, 'bob to see alice go offline', 4000);
    expect(about(alice)).toEqual(['online', 'offline']);
    expect(Date.now() - closedAt).toBeLessThan(3000);
    expect(await statuses(bob.pb, [alice.id])).toEqual({ [alice.id]: 'offline' });
  });

  it('takes away and do-not-disturb from each connection, for its own connection only', async () => {
    const alice = await signUp(server, 'alice');
    const laptop = await connect(alice);
    const desktop = await connect(alice);
    await until(() => about(alice).length === 1, 'alice online');

    await declare(alice.pb, { clientId: laptop.realtime.clientId, away: true, dnd: false });
    expect((await statuses(bob.pb, [alice.id]))[alice.id]).toBe('online'); // the desktop is in use
    await declare(alice.pb, { clientId: desktop.realtime.clientId, away: true, dnd: false });
    await until(() => about(alice).at(-1) === 'away', 'away');
    await declare(alice.pb, { clientId: laptop.realtime.clientId, away: true, dnd: true });
    await until(() => about(alice).at(-1) === 'dnd', 'dnd');
    expect((await statuses(bob.pb, [alice.id]))[alice.id]).toBe('dnd');
    await declare(alice.pb, { clientId: laptop.realtime.clientId, away: false, dnd: false });
    await until(() => about(alice).at(-1) === 'online', 'online again');
    expect(about(alice)).toEqual(['online', 'away', 'dnd', 'online']);

    // Bob may not declare for alice's connection, even though he knows its id; nor without an id.
    const forged = await refused(declare(bob.pb, { clientId: laptop.realtime.clientId, away: false, dnd: true }));
    expect(forged.status).toBe(404);
    expect((await refused(declare(bob.pb, { clientId: 'no-such-connection', dnd: true }))).status).toBe(404);
    expect((await refused(declare(alice.pb, { away: true }))).status).toBe(400);
    expect((await statuses(bob.pb, [alice.id]))[alice.id]).toBe('online');

    await close(laptop);
    await close(desktop);
    await until(() => about(alice).at(-1) === 'offline', 'offline');
  });

  it('sends the changes of a burst together (everyone reconnecting after a restart), each person once', async () => {
    const people = await Promise.all(Array.from({ length: 10 }, () => signUp(server, 'burst')));
    // Connections open first, then all sign in at once: ten changes within a few milliseconds.
    const connections = await Promise.all(people.map(() => openSse(server.url, () => undefined)));
    const before = watcher.counts.messages;
    await Promise.all(
      connections.map((c, i) => subscribe(server.url, c.clientId, people[i]!.pb.authStore.token, [PRESENCE_TOPIC])),
    );
    await until(() => people.every((p) => about(p).length === 1), 'every one of them online');
    for (const person of people) expect(about(person)).toEqual(['online']);
    expect(watcher.counts.messages - before).toBeLessThan(people.length);
    for (const c of connections) c.close();
    await until(() => people.every((p) => about(p).at(-1) === 'offline'), 'every one of them offline');
  });

  it('answers at most 200 ids, offline for the unknown', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `nobody${String(i).padStart(9, '0')}`);
    const answer = await statuses(bob.pb, ids);
    expect(Object.keys(answer)).toHaveLength(200);
    expect(new Set(Object.values(answer))).toEqual(new Set(['offline']));
    expect((await refused(statuses(bob.pb, [...ids, 'one-too-many']))).status).toBe(400);
  });
});

describe('signed out', () => {
  it('never receives presence events, and may neither ask nor declare', async () => {
    const guest = anonymous(server);
    const seen = await listen(guest);
    const alice = await signUp(server, 'alice');
    const device = await connect(alice);
    await until(() => about(alice).length === 1, "bob to get alice's event");
    await close(device);
    await until(() => about(alice).length === 2, "bob to get alice's offline");
    expect(seen.events).toEqual([]);

    expect((await refused(statuses(guest, [alice.id]))).status).toBe(401);
    expect((await refused(declare(guest, { clientId: guest.realtime.clientId, dnd: true }))).status).toBe(401);
    await seen.stop();
  });

  it('stops counting a connection whose sign-in the server cleared (a password change signs out every device)', async () => {
    const alice = await signUp(server, 'alice');
    const device = await connect(alice);
    const heard = await listen(device);
    await until(() => about(alice).length === 1, 'alice online');

    const password = 'a-new-password-123';
    await alice.pb
      .collection('users')
      .update(alice.id, { oldPassword: alice.password, password, passwordConfirm: password });
    await until(() => about(alice).at(-1) === 'offline', 'alice offline once her old sign-in is cleared', 4000);

    // The connection stays open but signed out: it hears nothing more.
    const dave = await signUp(server, 'dave');
    await connect(dave);
    await until(() => about(dave).length === 1, "dave's event");
    expect(heard.events.map((e) => e.user)).not.toContain(dave.id);
  });

  it('stops counting a deleted account at once', async () => {
    const leaver = await signUp(server, 'leaver');
    await connect(leaver);
    await until(() => about(leaver).length === 1, 'online');
    await leaver.pb.collection('users').delete(leaver.id);
    await until(() => about(leaver).at(-1) === 'offline', 'offline after deletion', 4000);
  });
});

describe('a server restart', () => {
  it('leaves nobody online', async () => {
    const alice = await signUp(server, 'alice');
    const device = await connect(alice);
    await until(() => about(alice).length === 1, 'alice online');
    expect((await statuses(bob.pb, [alice.id]))[alice.id]).toBe('online');

    // A crash: no graceful close of anything; alice's device is gone by the time the server is back.
    await server.kill();
    await close(device);
    await server.restart();
    expect(await statuses(bob.pb, [alice.id])).toEqual({ [alice.id]: 'offline' });
  });
});
