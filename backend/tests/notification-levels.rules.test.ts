// Notification levels from the attacker's side: each person reads and writes only their own level, only
// for a room whose messages they can read, and only one of the three levels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationLevelsRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, invite, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser; // owns the rooms
let bob: TestUser; // member of the private room and the direct conversation
let mallory: TestUser; // member of neither; invited to `pending`
let secret: RoomsRecord;
let direct: RoomsRecord;
let pending: RoomsRecord;
let general: RoomsRecord;

function setLevel(who: TestUser, room: RoomsRecord, level: string, user = who.id) {
  return who.pb.collection('notification_levels').create<NotificationLevelsRecord>({ user, room: room.id, level });
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  secret = await createRoom(alice, 'private', [bob]);
  direct = await createRoom(alice, 'direct', [bob]);
  pending = await invite(alice, 'private', [mallory]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
});

afterAll(async () => {
  await server?.stop();
});

describe('setting a level', () => {
  it('takes all, mentions or nothing for a room or a direct conversation one can read', async () => {
    const a = await setLevel(bob, secret, 'nothing');
    const b = await setLevel(bob, direct, 'mentions');
    expect([a.level, b.level]).toEqual(['nothing', 'mentions']);
    const changed = await bob.pb
      .collection('notification_levels')
      .update<NotificationLevelsRecord>(a.id, { level: 'all' });
    expect(changed.level).toBe('all');
  });

  it('takes a public room, which everyone signed in reads, joined or not', async () => {
    const level = await setLevel(mallory, general, 'nothing');
    expect(level.level).toBe('nothing');
  });

  it('refuses a level that is none of the three, naming the field', async () => {
    for (const level of ['loud', '', 'ALL']) {
      const result = await refused(setLevel(alice, secret, level));
      expect(result.status).toBe(400);
      expect(result.data.level?.code).toMatch(/^validation_/);
    }
  });

  it('keeps one level per person and room', async () => {
    await setLevel(alice, direct, 'all');
    const result = await refused(setLevel(alice, direct, 'nothing'));
    expect(result.status).toBe(400);
    expect(result.data.user?.code ?? result.data.room?.code).toBe('validation_not_unique');
  });

  it('refuses a room one cannot read: a private room of others, an invitation not yet accepted', async () => {
    expect((await refused(setLevel(mallory, secret, 'all'))).status).toBe(400);
    expect((await refused(setLevel(mallory, direct, 'all'))).status).toBe(400);
    expect((await refused(setLevel(mallory, pending, 'all'))).status).toBe(400);
  });

  it('refuses a level set for someone else (a forged user), even for a room both can read', async () => {
    expect((await refused(setLevel(mallory, general, 'nothing', bob.id))).status).toBe(400);
    expect((await refused(setLevel(alice, secret, 'nothing', bob.id))).status).toBe(400);
    const levels = await (
      await server.admin()
    )
      .collection('notification_levels')
      .getFullList<NotificationLevelsRecord>({ filter: `user = "${bob.id}"` });
    expect(levels.map((l) => l.room).sort()).toEqual([secret.id, direct.id].sort());
  });

  it('refuses the signed out', async () => {
    const result = await refused(
      anonymous(server).collection('notification_levels').create({ user: bob.id, room: general.id, level: 'all' }),
    );
    expect(result.status).toBe(400);
  });
});

describe('someone else’s levels', () => {
  it('are neither listed nor shown to anyone but their owner', async () => {
    const own = await bob.pb.collection('notification_levels').getFullList<NotificationLevelsRecord>();
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((l) => l.user === bob.id)).toBe(true);
    expect(await mallory.pb.collection('notification_levels').getFullList({ filter: `user = "${bob.id}"` })).toEqual(
      [],
    );
    expect(await alice.pb.collection('notification_levels').getFullList({ filter: `room = "${secret.id}"` })).toEqual(
      [],
    );
    expect((await refused(alice.pb.collection('notification_levels').getOne(own[0]!.id))).status).toBe(404);
    expect(await anonymous(server).collection('notification_levels').getFullList()).toEqual([]);
  });

  it('cannot be changed or removed by another person', async () => {
    const [level] = await bob.pb.collection('notification_levels').getFullList<NotificationLevelsRecord>();
    expect(
      (await refused(alice.pb.collection('notification_levels').update(level!.id, { level: 'nothing' }))).status,
    ).toBe(404);
    expect((await refused(alice.pb.collection('notification_levels').delete(level!.id))).status).toBe(404);
    const still = await bob.pb.collection('notification_levels').getOne<NotificationLevelsRecord>(level!.id);
    expect(still.level).toBe(level!.level);
  });

  it('reach nobody else on the realtime topic', async () => {
    const seen: unknown[] = [];
    const unsubscribe = await alice.pb.realtime.subscribe('notification_levels/*', (event) => seen.push(event));
    try {
      const level = await setLevel(bob, general, 'all');
      await bob.pb.collection('notification_levels').update(level.id, { level: 'nothing' });
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([]);
    } finally {
      await unsubscribe();
    }
  });
});

describe('moving a level', () => {
  it('refuses handing one’s level to someone else or moving it to another room', async () => {
    const level = await setLevel(bob, await createRoom(alice, 'private', [bob]), 'mentions');
    const levels = bob.pb.collection('notification_levels');
    expect((await refused(levels.update(level.id, { user: mallory.id }))).status).toBe(404);
    expect((await refused(levels.update(level.id, { room: general.id }))).status).toBe(404);
    expect((await refused(levels.update(level.id, { room: pending.id }))).status).toBe(404);
    expect((await levels.getOne<NotificationLevelsRecord>(level.id)).user).toBe(bob.id);
  });

  it('after leaving a private room: no more changes, but the person can still remove their level', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const level = await setLevel(bob, room, 'all');
    await roomAction(bob, room, 'leave');
    const levels = bob.pb.collection('notification_levels');
    expect((await refused(levels.update(level.id, { level: 'nothing' }))).status).toBe(404);
    await levels.delete(level.id);
  });

  it('goes with its room when the room is deleted', async () => {
    const room = await createRoom(alice, 'private', [bob]);
    const level = await setLevel(bob, room, 'all');
    await alice.pb.collection('rooms').delete(room.id);
    expect((await refused(bob.pb.collection('notification_levels').getOne(level.id))).status).toBe(404);
  });
});
