// Stored text, from the attacker's side: control characters and bidirectional overrides that would
// reorder the screen around a message or a name never reach the database (pb_hooks/text.lib.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let mallory: TestUser;
let room: RoomsRecord;

beforeAll(async () => {
  server = await startTestServer();
  mallory = await signUp(server, 'mallory');
  room = await createRoom(mallory, 'private', [], 'text hygiene');
});

afterAll(async () => {
  await server?.stop();
});

async function stored(message: MessagesRecord): Promise<string> {
  return (await (await server.admin()).collection('messages').getOne<MessagesRecord>(message.id)).text;
}

describe('message text', () => {
  it('loses NUL, other control characters and bidi overrides, and keeps newlines, tabs and isolates', async () => {
    const sent = await post(
      mallory,
      room,
      'invoice\u0000\u0007 for\r\n\tyou: \u202Egnp.exe\u202C \u2067שלום\u2069\u009B',
    );
    expect(await stored(sent)).toBe('invoice for\n\tyou: gnp.exe \u2067שלום\u2069');
  });

  it('counts a text of only controls and spaces as empty, with a field error', async () => {
    const result = await refused(post(mallory, room, ' \u0000\u202E\u0008 '));
    expect(result.status).toBe(400);
    expect(result.data.text?.code).toMatch(/^validation_/);
  });

  it('is cleaned on edit too', async () => {
    const sent = await post(mallory, room, 'first');
    await mallory.pb.collection('messages').update(sent.id, { text: 'second\u202E\u0000' });
    expect(await stored(sent)).toBe('second');
  });
});

describe('display names', () => {
  // Other control and bidi characters are refused with a field error (profile.rules.test.ts).
  it('are one line: line breaks and tabs become spaces', async () => {
    await mallory.pb.collection('users').update(mallory.id, { name: 'admin\n\tteam' });
    const seen = await (await server.admin()).collection('users').getOne<UsersRecord>(mallory.id);
    expect(seen.name).toBe('admin  team');
  });
});
