// The named message queries against a real PocketBase: pages by (created, id) cursor that neither skip
// nor repeat, the catch-up query, and writes as the signed-in user only. The unit tests of the chat
// core use test-messages.ts, an in-memory double with these semantics; this suite holds the real
// queries to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import { newRecordId } from '../../../src-shared/record-id.ts';
import { createRoom, post, refused, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { compareMessages, mergeMessages, PAGE_SIZE, type ChatMessage } from './history.ts';
import { MessagesApi } from './messages-api.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let general: RoomsRecord;
let secret: RoomsRecord;
let written: string[];

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  secret = await createRoom(alice, 'private', [bob.id]);
  written = [];
  // In bursts of parallel writes, so that many messages share a millisecond and the id tiebreak matters.
  for (let burst = 0; burst < 13; burst++) {
    const texts = Array.from({ length: 10 }, (_, i) => `m${burst * 10 + i}`);
    await Promise.all(texts.map((text, i) => post(i % 2 ? bob : alice, secret, text)));
    written.push(...texts);
  }
  await post(alice, general, 'hello everyone');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('MessagesApi', () => {
  it('pages a room back to its start, every message once, in the server order', async () => {
    const api = new MessagesApi(bob.pb);
    let held = mergeMessages([], await api.newest(secret.id));
    expect(held).toHaveLength(PAGE_SIZE);
    for (;;) {
      const page = await api.olderThan(secret.id, held[0]!);
      if (page.length === 0) break;
      held = mergeMessages(held, page);
    }
    expect(held).toHaveLength(written.length);
    expect(new Set(held.map((m) => m.text))).toEqual(new Set(written));
    expect(held.every((m) => m.expand?.user?.username)).toBe(true);
    // Forward from the first message gives the same run, in the same order.
    let forward: ChatMessage[] = [held[0]!];
    for (;;) {
      const page = await api.newerThan(secret.id, forward.at(-1)!);
      if (page.length === 0) break;
      forward = [...forward, ...page];
    }
    expect(forward.map((m) => m.id)).toEqual(held.map((m) => m.id));
    expect([...forward].sort(compareMessages).map((m) => m.id)).toEqual(forward.map((m) => m.id));
  });

  it('answers the catch-up query with what changed since, across the rooms the user can read only', async () => {
    const before = await new MessagesApi(alice.pb).newest(general.id, 1);
    const since = before[0]!.updated;
    const edited = await new MessagesApi(alice.pb).update(before[0]!.id, 'hello again');
    const fresh = await post(bob, secret, 'while you were away');
    const forBob = (await new MessagesApi(bob.pb).changedSince(since, 1, 200)).map((m) => m.id);
    expect(forBob).toEqual(expect.arrayContaining([edited.id, fresh.id]));
    const forMallory = (await new MessagesApi(mallory.pb).changedSince(since, 1, 200)).map((m) => m.id);
    expect(forMallory).toContain(edited.id);
    expect(forMallory).not.toContain(fresh.id);
  });

  it('writes as the signed-in user, with the id the client chose, and refuses a second copy', async () => {
    const api = new MessagesApi(mallory.pb);
    const id = newRecordId();
    const saved = await api.create({ id, room: general.id, text: 'mine' });
    expect(saved.user).toBe(mallory.id);
    expect(saved.expand?.user?.username).toBe(mallory.username);
    expect((await refused(api.create({ id, room: general.id, text: 'again' }))).data.id?.code).toBe(
      'validation_not_unique',
    );
  });

  it('refuses an outsider every read and write in a private room', async () => {
    const api = new MessagesApi(mallory.pb);
    const inside = (await new MessagesApi(alice.pb).newest(secret.id, 1))[0]!;
    expect(await api.newest(secret.id)).toEqual([]);
    expect(await api.olderThan(secret.id, inside)).toEqual([]);
    expect((await refused(api.one(inside.id))).status).toBe(404);
    expect((await refused(api.update(inside.id, 'mine now'))).status).toBe(404);
    expect((await refused(api.remove(inside.id))).status).toBe(404);
    expect((await refused(api.create({ id: newRecordId(), room: secret.id, text: 'let me in' }))).status).toBe(400);
  });

  it('keeps replies out of the room list unless also sent there, and pages a thread by (created, id)', async () => {
    const room = await createRoom(alice, 'private', [bob.id]);
    const root = await post(alice, room, 'the root');
    const api = new MessagesApi(bob.pb);
    const replies: string[] = [];
    for (let burst = 0; burst < 6; burst++) {
      const texts = Array.from({ length: 10 }, (_, i) => `r${burst * 10 + i}`);
      await Promise.all(
        texts.map((text, i) =>
          api.create({ id: newRecordId(), room: room.id, text, thread: root.id, alsoInRoom: i === 0 && burst === 0 }),
        ),
      );
      replies.push(...texts);
    }
    const list = await api.newest(room.id);
    expect(list.map((m) => m.text).sort()).toEqual(['r0', 'the root']);
    const thread = api.threadPages();
    let held = mergeMessages([], await thread.newest(root.id));
    expect(held).toHaveLength(PAGE_SIZE);
    held = mergeMessages(held, await thread.olderThan(root.id, held[0]!));
    expect(held.map((m) => m.text).sort()).toEqual([...replies].sort());
    expect(held.every((m) => m.thread === root.id)).toBe(true);
    // The catch-up still brings every change, replies with their root and its summary expanded.
    const changed = await api.changedSince(root.created, 1, 200);
    const reply = changed.find((m) => m.text === 'r1');
    expect(reply?.expand?.thread?.id).toBe(root.id);
    expect((reply?.expand?.thread?.threadInfo as { replies: number }).replies).toBe(60);
    // Someone outside the room reads no thread of it.
    expect(await new MessagesApi(mallory.pb).threadPages().newest(root.id)).toEqual([]);
  });
});
