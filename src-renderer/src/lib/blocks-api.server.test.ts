// The named block requests against a real PocketBase: a user lists, makes and lifts only their own
// blocks, and nobody else, the blocked person included, can tell a block exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invite, refused, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { PocketBaseBlocksApi } from './blocks-api.ts';
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

describe('PocketBaseBlocksApi', () => {
  it('blocks and unblocks, with the person expanded, and lists only the user’s own blocks', async () => {
    const alices = new PocketBaseBlocksApi(alice.pb);
    const block = await alices.create(mallory.id);
    expect(block).toMatchObject({ user: alice.id, blocked: mallory.id });
    expect(block.expand?.blocked?.username).toBe(mallory.username);
    expect((await alices.list()).map((b) => b.blocked)).toEqual([mallory.id]);
    expect((await refused(alices.create(mallory.id))).status).toBe(400);

    // Neither the blocked person nor anyone else sees it, nor can lift it.
    const mallorys = new PocketBaseBlocksApi(mallory.pb);
    expect(await mallorys.list()).toEqual([]);
    expect(await new PocketBaseBlocksApi(bob.pb).list()).toEqual([]);
    expect((await refused(mallorys.remove(block.id))).status).toBe(404);

    await alices.remove(block.id);
    expect(await alices.list()).toEqual([]);
  });

  it('someone blocked can no longer invite the blocker, and is not told why', async () => {
    const bobs = new PocketBaseBlocksApi(bob.pb);
    const block = await bobs.create(mallory.id);
    const refusal = await refused(
      new PocketBaseRoomsApi(mallory.pb).create({ name: '', kind: 'direct', members: [mallory.id], invited: [bob.id] }),
    );
    expect(refusal.status).toBe(400);
    expect(JSON.stringify(refusal.data)).not.toMatch(/block/i);
    await bobs.remove(block.id);
    expect((await invite(mallory, 'direct', [bob])).invited).toEqual([bob.id]);
  });
});
