import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../src-shared/pocketbase-types.ts';
import { anonymous } from '../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { demoPassword, seedDemo } from './demo-data.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

it('seeds a fresh server once with users who can sign in and see their rooms', async () => {
  const admin = await server.admin();
  expect(await seedDemo(admin)).toBe(true);
  expect(await seedDemo(admin)).toBe(false);

  const bob = anonymous(server);
  await bob.collection('users').authWithPassword('bob', demoPassword);
  const rooms = await bob.collection('rooms').getFullList<RoomsRecord>();
  expect(rooms.map((r) => r.kind).sort()).toEqual(['direct', 'private', 'public']);
  const messages = await bob.collection('messages').getFullList<MessagesRecord>();
  expect(messages.length).toBe(8);

  // carol is in neither the private room nor the direct conversation: she is invited to the private room,
  // which she sees, but none of its messages until she accepts.
  const carol = anonymous(server);
  const carolId = (await carol.collection('users').authWithPassword('carol', demoPassword)).record.id;
  expect((await carol.collection('messages').getFullList()).length).toBe(4);
  const invitations = (await carol.collection('rooms').getFullList<RoomsRecord>()).filter((r) =>
    r.invited.includes(carolId),
  );
  expect(invitations.map((r) => r.name)).toEqual(['design']);
});
