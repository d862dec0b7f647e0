// A public room's record stays small whatever its size (backend/public_room_members.go): everyone is in
// #general, so its `members` was every account, sent whole and expanded with each room list and to each
// `rooms/*` subscriber on every join. Now non-superusers see `members` as themselves or nobody and a
// read-only `memberCount`; who is in the room is asked for page by page, through the users collection.
// From the attacker's side and the size's.
//
// PALAVER_PUBLIC_ROOM_MEMBERS sets how many people the big room holds (the measurement for
// bench/README.md uses 1000; the sizes are printed). PALAVER_SERVER_BINARY runs it against another build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

type Room = RoomsRecord & { memberCount?: number; expand?: { members?: UsersRecord[]; invited?: UsersRecord[] } };

const EXPAND = { expand: 'members,invited' };
const BIG = Number(process.env.PALAVER_PUBLIC_ROOM_MEMBERS || 40);
/** Bytes a public room's record may take for a non-superuser, however many people it holds. */
const SMALL_RECORD_BYTES = 1500;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  server = await startTestServer({ binary: process.env.PALAVER_SERVER_BINARY || undefined });
  [alice, bob, carol, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

const asSeenBy = (who: TestUser, id: string) =>
  who.pb.collection('rooms').getOne<Room>(id, { ...EXPAND, requestKey: null });
const stored = async (id: string) => (await server.admin()).collection('rooms').getOne<Room>(id, { requestKey: null });
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Accounts made by a superuser, a few at a time (sign-up's hashing is the slow part). */
async function manyAccounts(count: number): Promise<string[]> {
  const admin = await server.admin();
  const ids: string[] = [];
  const stamp = `${process.pid}_${Date.now()}`;
  for (let start = 0; start < count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count - start) }, (_, i) => {
      const username = `crowd_${stamp}_${start + i}`;
      const password = `pw-${username}-secret`;
      return admin.collection('users').create<UsersRecord>(
        {
          username,
          email: `${username}@palaver.test`,
          password,
          passwordConfirm: password,
          name: `Crowd ${start + i}`,
        },
        { requestKey: null },
      );
    });
    ids.push(...(await Promise.all(batch)).map((u) => u.id));
  }
  return ids;
}

describe('a public room as others see it', () => {
  it('shows a non-member no members, and the right count', async () => {
    const lobby = await createRoom(alice, 'public', [], `lobby-${Date.now()}`);
    await roomAction(bob, lobby, 'join');
    const seen = await asSeenBy(mallory, lobby.id);
    expect(seen.members).toEqual([]);
    expect(seen.expand?.members ?? []).toEqual([]);
    expect(seen.memberCount).toBe(2);
    const listed = await mallory.pb.collection('rooms').getFullList<Room>({ ...EXPAND, filter: `id = "${lobby.id}"` });
    expect(listed.map((r) => [r.members, r.memberCount])).toEqual([[[], 2]]);
    // The real column is untouched, and the rules still read it: the owner is still the owner.
    expect((await stored(lobby.id)).members).toEqual([alice.id, bob.id]);
  });

  it('shows a member only themself, expanded', async () => {
    const lobby = await createRoom(alice, 'public', [], `own-${Date.now()}`);
    await roomAction(bob, lobby, 'join');
    await roomAction(carol, lobby, 'join');
    const seen = await asSeenBy(bob, lobby.id);
    expect(seen.members).toEqual([bob.id]);
    expect(seen.expand?.members?.map((m) => m.id)).toEqual([bob.id]);
    expect(seen.memberCount).toBe(3);
    // The join route answers the same way.
    const joined = (await mallory.pb.send(`/api/palaver/rooms/${lobby.id}/join`, {
      method: 'POST',
      query: EXPAND,
    })) as Room;
    expect([joined.members, joined.memberCount]).toEqual([[mallory.id], 4]);
  });

  it('cannot have its member count written by a client', async () => {
    const lobby = await createRoom(alice, 'public', [], `count-${Date.now()}`);
    const updated = await alice.pb
      .collection('rooms')
      .update<Room>(lobby.id, { name: `renamed-${Date.now()}`, memberCount: 500 });
    expect(updated.memberCount).toBe(1);
    await refused(mallory.pb.collection('rooms').update(lobby.id, { memberCount: 500 }));
    const created = await mallory.pb.collection('rooms').create<Room>({
      name: `forged-${Date.now()}`,
      kind: 'public',
      owner: mallory.id,
      members: [mallory.id],
      memberCount: 9,
    });
    expect(created.memberCount).toBe(1);
    expect((await asSeenBy(bob, created.id)).memberCount).toBe(1);
  });

  it('keeps every member of a private room or direct conversation visible to its members', async () => {
    const secret = await createRoom(alice, 'private', [bob, carol]);
    const seen = await asSeenBy(bob, secret.id);
    expect(seen.members).toEqual([alice.id, bob.id, carol.id]);
    expect(seen.expand?.members?.map((m) => m.id)).toEqual([alice.id, bob.id, carol.id]);
    expect(seen.memberCount).toBeUndefined();
    const dm = await createRoom(alice, 'direct', [bob]);
    expect((await asSeenBy(bob, dm.id)).members.sort()).toEqual([alice.id, bob.id].sort());
  });

  it('shows a superuser every member', async () => {
    const lobby = await createRoom(alice, 'public', [], `admin-${Date.now()}`);
    await roomAction(bob, lobby, 'join');
    expect((await stored(lobby.id)).members).toEqual([alice.id, bob.id]);
  });
});

describe('who is in a room, page by page (GET /api/palaver/rooms/{id}/members)', () => {
  type Page = { page: number; perPage: number; totalItems: number; items: UsersRecord[] };
  const members = (who: TestUser | ReturnType<typeof anonymous>, id: string, query: Record<string, unknown> = {}) =>
    ('pb' in who ? who.pb : who).send<Page>(`/api/palaver/rooms/${id}/members`, { query, requestKey: null });

  it('lists a public room’s people to anyone signed in, by the name shown, a page at a time, emails hidden', async () => {
    const lobby = await createRoom(alice, 'public', [], `people-${Date.now()}`);
    await roomAction(carol, lobby, 'join');
    await roomAction(bob, lobby, 'join');
    const first = await members(mallory, lobby.id, { perPage: 2 });
    expect(first).toMatchObject({ page: 1, perPage: 2, totalItems: 3 });
    expect(first.items.map((u) => u.name)).toEqual(['alice', 'bob']);
    const second = await members(mallory, lobby.id, { perPage: 2, page: 2 });
    expect(second.items.map((u) => u.name)).toEqual(['carol']);
    expect([...first.items, ...second.items].every((u) => !u.email)).toBe(true);
    // A page can be asked for no larger than the server allows.
    expect((await members(mallory, lobby.id, { perPage: 100000 })).perPage).toBe(200);
  });

  it('searches a room’s people by username or name, never by email, and never beyond its members', async () => {
    const lobby = await createRoom(alice, 'public', [], `search-${Date.now()}`);
    await roomAction(bob, lobby, 'join');
    const found = async (search: string) =>
      (await members(mallory, lobby.id, { search })).items.map((u) => u.id).sort();
    expect(await found('BO')).toEqual([bob.id]); // any letter case
    expect(await found(bob.username.slice(2, 8))).toEqual([bob.id]);
    // carol is on the server but not in the room: a search does not reach her.
    expect(await found('carol')).toEqual([]);
    // The email is private: a part of it finds nobody, and % or _ match only themselves.
    expect(await found(bob.email.split('@')[1]!)).toEqual([]);
    expect(await found('%')).toEqual([]);
    expect(await found('b_b')).toEqual([]); // not "b, any letter, b"
    // A private room's people cannot be searched by someone outside it.
    const secret = await createRoom(alice, 'private', [bob]);
    expect((await refused(members(mallory, secret.id, { search: 'b' }))).status).toBe(404);
  });

  it('refuses signed out, and a private room or direct conversation to anyone not in it', async () => {
    const lobby = await createRoom(alice, 'public', [], `out-${Date.now()}`);
    expect((await refused(members(anonymous(server), lobby.id))).status).toBe(401);
    const secret = await createRoom(alice, 'private', [bob]);
    const dm = await createRoom(bob, 'direct', [carol]);
    for (const id of [secret.id, dm.id, 'nosuchroom12345']) {
      expect((await refused(members(mallory, id))).status).toBe(404);
    }
    expect((await members(bob, secret.id)).items.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
  });
});

describe('the rooms/* event when someone joins a public room', () => {
  it(`stays small with ${BIG} members, for a member and for someone who has not joined`, async () => {
    const lobby = await createRoom(alice, 'public', [], `crowd-${Date.now()}`);
    const crowd = await manyAccounts(BIG - 2);
    await (await server.admin()).collection('rooms').update(lobby.id, { members: [alice.id, ...crowd] });

    // "Before": the record with every member expanded, as every subscriber received it (emails hidden,
    // as other people's are).
    const whole = await (await server.admin()).collection('rooms').getOne<Room>(lobby.id, EXPAND);
    for (const member of whole.expand?.members ?? []) delete (member as Partial<UsersRecord>).email;
    delete whole.memberCount;

    const member: Array<RecordSubscription<Room>> = [];
    const outsider: Array<RecordSubscription<Room>> = [];
    const stopMember = await alice.pb.realtime.subscribe(
      'rooms/*',
      (e) => member.push(e as RecordSubscription<Room>),
      EXPAND,
    );
    const stopOutsider = await carol.pb.realtime.subscribe(
      'rooms/*',
      (e) => outsider.push(e as RecordSubscription<Room>),
      EXPAND,
    );
    try {
      await roomAction(bob, lobby, 'join');
      await until(() => member.length > 0 && outsider.length > 0, 'the join event for a member and an outsider');
      expect(member[0]!.record).toMatchObject({ id: lobby.id, members: [alice.id], memberCount: BIG });
      expect(member[0]!.record.expand?.members?.map((m) => m.id)).toEqual([alice.id]);
      expect(outsider[0]!.record).toMatchObject({ id: lobby.id, members: [], memberCount: BIG });
      expect(outsider[0]!.record.expand?.members ?? []).toEqual([]);
      expect(bytes(outsider[0]!.record)).toBeLessThan(SMALL_RECORD_BYTES);
      expect(bytes(member[0]!.record)).toBeLessThan(SMALL_RECORD_BYTES);
    } finally {
      await stopMember();
      await stopOutsider();
    }

    const list = await fetch(
      `${server.url}/api/collections/rooms/records?perPage=500&expand=members,invited&filter=${encodeURIComponent(`id="${lobby.id}"`)}`,
      { headers: { Authorization: mallory.pb.authStore.token } },
    );
    const listBytes = Buffer.byteLength(await list.text());
    expect(listBytes).toBeLessThan(SMALL_RECORD_BYTES + 200);
    // Who is in it, the first page by name, as Room details asks (rooms-api.ts `members`).
    const started = performance.now();
    const page = await mallory.pb.send<{ totalItems: number }>(`/api/palaver/rooms/${lobby.id}/members`, {
      query: { perPage: 50 },
      requestKey: null,
    });
    const pageMs = Math.round(performance.now() - started);
    expect(page.totalItems).toBe(BIG);
    console.log(
      `public room with ${BIG} members: record before (all expanded) ${bytes(whole)} B; after: join event ` +
        `${bytes(member[0]!.record)} B to a member, ${bytes(outsider[0]!.record)} B to a non-member; ` +
        `rooms list answer for it ${listBytes} B; first page of its people ${bytes(page)} B in ${pageMs} ms`,
    );
  }, 600_000);
});
