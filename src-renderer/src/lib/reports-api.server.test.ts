// The report request against a real PocketBase: sent, the same twice is "already", and a message the
// person cannot read is refused with a sentence for the dialog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, post, signUp } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { reportMessages } from './reports-api.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('reportMessages', () => {
  it('sends a report once, says so the second time, and refuses what the person cannot read', async () => {
    const [alice, bob, mallory] = await Promise.all([
      signUp(server, 'alice'),
      signUp(server, 'bob'),
      signUp(server, 'mallory'),
    ]);
    const room = await createRoom(alice, 'private', [bob.id]);
    const message = await post(alice, room, 'report me');

    expect(await reportMessages(bob.pb)(message.id, '  spam  ')).toEqual({ kind: 'sent' });
    expect(await reportMessages(bob.pb)(message.id, 'spam again')).toEqual({ kind: 'already' });
    expect(await reportMessages(mallory.pb)(message.id, 'spam')).toEqual({
      kind: 'refused',
      problem: 'This message is gone, or you can no longer read it.',
    });
    const stored = await (await server.admin()).collection('reports').getFullList();
    expect(stored.map((r) => [r.reporter, r.reason])).toEqual([[bob.id, 'spam']]);
  });
});
