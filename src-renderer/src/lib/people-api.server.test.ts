// People by id against a real PocketBase: the ids asked for, without emails, and an id that is not a
// person's (or is filter syntax) simply finds nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { peopleById } from './people-api.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob'), signUp(server, 'carol')]);
});

afterAll(async () => {
  await server?.stop();
});

describe('peopleById', () => {
  it('returns the people asked for, without their emails', async () => {
    const found = await peopleById(alice.pb)([bob.id, carol.id]);
    expect(found.map((p) => p.username).sort()).toEqual([bob.username, carol.username].sort());
    for (const person of found) expect(person.email ?? '').toBe('');
  });

  it('finds nobody for ids that are not people, filter syntax included, and nothing when signed out', async () => {
    expect(await peopleById(alice.pb)(['nosuchuser00000', '" || id != "'])).toEqual([]);
    expect(await peopleById(alice.pb)([])).toEqual([]);
    expect(await peopleById(anonymous(server))([bob.id])).toEqual([]);
  });
});
