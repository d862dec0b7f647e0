// The read-marker requests against a real PocketBase: the first write creates the marker under its
// computed id and later ones update it, both devices' first writes at once both succeed, the counts of
// every joined room come in one request and follow the marker both ways, and a marker cannot be written
// for a room one is not in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import { readMarkerId } from '../../../src-shared/read-marker-id.ts';
import { createRoom, post, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { PocketBaseReadMarkersApi } from './read-markers-api.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let room: RoomsRecord;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  room = await createRoom(bob, 'private', [alice.id]);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Another device of the same person: its own client, signed in with the same token. */
function otherDevice(person: TestUser): PocketBase {
  const pb = new PocketBase(server.url);
  pb.autoCancellation(false);
  pb.authStore.save(person.pb.authStore.token, person.pb.authStore.record);
  return pb;
}

describe('PocketBaseReadMarkersApi', () => {
  it('creates the marker the first time, updates it after, and the counts follow it both ways', async () => {
    const messages = [];
    for (const text of ['one', 'two', `three @${alice.username}`]) messages.push(await post(bob, room, text));
    const api = new PocketBaseReadMarkersApi(alice.pb);
    expect((await api.unread())[room.id]).toMatchObject({ unread: 3, message: '' });

    await api.write(room.id, messages[1]!.id);
    const stored = await alice.pb.collection('read_markers').getOne(readMarkerId(alice.id, room.id));
    expect(stored).toMatchObject({ user: alice.id, room: room.id, message: messages[1]!.id });
    expect((await api.unread())[room.id]).toMatchObject({ unread: 1, message: messages[1]!.id });

    await api.write(room.id, messages[2]!.id);
    expect((await api.unread())[room.id]).toMatchObject({ unread: 0, mentions: 0 });
    // Mark as unread from the first message: nothing read, everything counts again, the mention too.
    await api.write(room.id, '');
    expect((await api.unread())[room.id]).toMatchObject({ unread: 3, mentions: 1, message: '', readAt: '' });
  });

  it("two devices' first writes at the same moment both succeed (one creates, the other updates)", async () => {
    const other = await createRoom(bob, 'private', [alice.id]);
    const message = await post(bob, other, 'hello');
    const devices = [new PocketBaseReadMarkersApi(alice.pb), new PocketBaseReadMarkersApi(otherDevice(alice))];
    await Promise.all(devices.map((device) => device.write(other.id, message.id)));
    expect((await devices[0]!.unread())[other.id]).toMatchObject({ unread: 0, message: message.id });
  });

  it("finds a room's newest message in any of its lists, a reply kept to its thread too", async () => {
    const other = await createRoom(bob, 'private', [alice.id]);
    const root = await post(bob, other, 'root');
    const reply = await bob.pb
      .collection('messages')
      .create(
        { room: other.id, user: bob.id, text: `reply @${alice.username}`, thread: root.id },
        { requestKey: null },
      );
    const api = new PocketBaseReadMarkersApi(alice.pb);
    expect(await api.newestIn(other.id)).toEqual({ id: reply.id, created: reply.created });
    await api.write(other.id, root.id);
    expect((await api.unread())[other.id]).toMatchObject({ unread: 1, mentions: 1 });
    await api.write(other.id, reply.id);
    expect((await api.unread())[other.id]).toMatchObject({ unread: 0 });
  });

  it('a room one is not in has no counts and takes no marker', async () => {
    const theirs = await createRoom(bob, 'private', []);
    const message = await post(bob, theirs, 'private');
    const api = new PocketBaseReadMarkersApi(alice.pb);
    expect((await api.unread())[theirs.id]).toBeUndefined();
    await expect(api.write(theirs.id, message.id)).rejects.toMatchObject({ status: expect.any(Number) });
    expect(await bob.pb.collection('read_markers').getList(1, 10)).toMatchObject({ totalItems: 0 });
  });
});
