// A refused send asks whether the session still stands: against a real server, a revoked token says
// "signed out", a live one and an unreachable server do not.
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { freePort, startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { sessionStillValid } from './session-check.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server, 'alice');
});

afterAll(async () => {
  await server?.stop();
});

it('tells a live session from a revoked one, and never calls a session ended for want of a server', async () => {
  expect(await sessionStillValid(alice.pb)).toBe(true);

  const elsewhere = new PocketBase(`http://127.0.0.1:${await freePort()}`);
  elsewhere.authStore.save(alice.pb.authStore.token, alice.pb.authStore.record);
  expect(await sessionStillValid(elsewhere)).toBe(true);

  // Another device changes the password: every other token of the account is revoked.
  const other = new PocketBase(server.url);
  await other.collection('users').authWithPassword(alice.email, alice.password);
  const stale = new PocketBase(server.url);
  stale.authStore.save(alice.pb.authStore.token, alice.pb.authStore.record);
  await other.collection('users').update(alice.id, {
    oldPassword: alice.password,
    password: 'a-new-password-1',
    passwordConfirm: 'a-new-password-1',
  });
  expect(await sessionStillValid(stale)).toBe(false);

  stale.authStore.clear();
  expect(await sessionStillValid(stale)).toBe(false);
});
