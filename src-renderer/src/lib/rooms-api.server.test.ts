// The named room and people queries against a real PocketBase: what a user lists, fetches, creates and
// finds is exactly what the server's rules allow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, refused, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { PocketBaseRoomsApi } from './rooms-api.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

describe('PocketBaseRoomsApi', () => {
  it('lists public rooms and the private ones the user is in, with members expanded, and fetches no other', async () => {
    const secret = await createRoom(alice, 'private', [bob.id]);
    const forBob = await new PocketBaseRoomsApi(bob.pb).list();
    expect(forBob.map((r) => r.name)).toEqual(expect.arrayContaining(['general', secret.name]));
    expect(
      forBob
        .find((r) => r.id === secret.id)
        ?.expand?.members?.map((m) => m.username)
        .sort(),
    ).toEqual([alice.username, bob.username].sort());
    const mallorys = new PocketBaseRoomsApi(mallory.pb);
    expect((await mallorys.list()).map((r) => r.id)).not.toContain(secret.id);
    expect((await refused(mallorys.one(secret.id))).status).toBe(404);
  });

  it('creates rooms owned by the user, and one direct conversation per pair', async () => {
    const api = new PocketBaseRoomsApi(alice.pb);
    const room = await api.create({ name: `ops-${Date.now()}`, kind: 'private', members: [alice.id, bob.id] });
    expect(room.owner).toBe(alice.id);
    const direct = await api.create({ name: '', kind: 'direct', members: [alice.id, mallory.id] });
    expect(direct.expand?.members).toHaveLength(2);
    expect(
      (
        await refused(
          new PocketBaseRoomsApi(mallory.pb).create({ name: '', kind: 'direct', members: [mallory.id, alice.id] }),
        )
      ).status,
    ).toBe(400);
  });

  it('finds people by name or username, never the user themself, and by exact username in any case', async () => {
    const api = new PocketBaseRoomsApi(alice.pb);
    const found = (await api.findUsers('bob')).map((u) => u.id);
    expect(found).toContain(bob.id);
    expect((await api.findUsers('alice')).map((u) => u.id)).not.toContain(alice.id);
    expect((await api.userByUsername(bob.username.toUpperCase())).id).toBe(bob.id);
    expect((await refused(api.userByUsername('nobody-here'))).status).toBe(404);
  });
});
