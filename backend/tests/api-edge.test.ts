// Bad input at the API edge: every malformed request gets a clear error, nothing is stored, and the
// server is still healthy afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let general: RoomsRecord;

async function messageCount(): Promise<number> {
  return (await (await server.admin()).collection('messages').getList(1, 1)).totalItems;
}

/** A raw request, for bodies the SDK would never send. */
function raw(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', init.token);
  if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${server.url}${path}`, { ...init, headers });
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  await post(bob, general, 'a message that exists');
});

afterAll(async () => {
  // Whatever was thrown at it, the server still answers and still takes a normal message.
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
  expect((await post(alice, general, 'still working')).text).toBe('still working');
  await server?.stop();
});

describe('creating a message with bad input', () => {
  const create = (body: unknown) => alice.pb.collection('messages').create(body as Record<string, unknown>);

  it('refuses values of the wrong type, naming the field', async () => {
    const before = await messageCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ text: { nested: 'object' }, user: alice.id, room: general.id }, 'text'],
      [{ text: 'hi', user: alice.id, room: 12345 }, 'room'],
      [{ text: 'hi', user: alice.id, room: [general.id, general.id + 'x'] }, 'room'],
      [{ text: 'hi', user: [alice.id, bob.id], room: general.id }, 'user'],
      [{ text: 'hi', user: alice.id, room: null }, 'room'],
    ];
    for (const [body, field] of cases) {
      const result = await refused(create(body));
      expect(result.status, JSON.stringify(body)).toBe(400);
      if (Object.keys(result.data).length > 0) expect(Object.keys(result.data), JSON.stringify(body)).toContain(field);
    }
    expect(await messageCount()).toBe(before);
  });

  it('refuses over-long text with a field error, even a megabyte of it', async () => {
    const before = await messageCount();
    for (const size of [2001, 100_000, 1_000_000]) {
      const result = await refused(post(alice, general, 'x'.repeat(size)));
      expect(result.status).toBe(400);
      expect(result.data.text?.code).toMatch(/^validation_/);
    }
    expect(await messageCount()).toBe(before);
  });

  it('refuses a body larger than the server takes, with 413', async () => {
    const before = await messageCount();
    const response = await raw('/api/collections/messages/records', {
      method: 'POST',
      token: alice.pb.authStore.token,
      body: JSON.stringify({ text: 'x'.repeat(40 * 1024 * 1024), user: alice.id, room: general.id }),
    });
    expect(response.status).toBe(413);
    expect(await messageCount()).toBe(before);
  });

  it('refuses malformed JSON with a clear message', async () => {
    const response = await raw('/api/collections/messages/records', {
      method: 'POST',
      token: alice.pb.authStore.token,
      body: '{"text": "unterminated',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBeTruthy();
  });

  it('ignores unknown fields rather than storing them', async () => {
    const message = await create({
      text: 'with extras',
      user: alice.id,
      room: general.id,
      isAdmin: true,
      owner: alice.id,
      collectionName: 'users',
    });
    const stored = await (await server.admin()).collection('messages').getOne(message.id);
    expect(stored).not.toHaveProperty('isAdmin');
    expect(stored.collectionName).toBe('messages');
  });

  it("refuses a forged record id: ill-formed, too long, or someone else's", async () => {
    const before = await messageCount();
    const existing = (await alice.pb.collection('messages').getFirstListItem(`user = "${bob.id}"`)).id;
    for (const id of ['../../etc/passwd', 'UPPERCASE_ID_12', 'x'.repeat(200), existing]) {
      const result = await refused(create({ id, text: 'forged id', user: alice.id, room: general.id }));
      expect(result.status, id).toBe(400);
      expect(result.data.id?.code, id).toMatch(/^validation_/);
    }
    expect(await messageCount()).toBe(before);
    // Bob's message is untouched.
    expect((await alice.pb.collection('messages').getOne(existing)).user).toBe(bob.id);
  });
});

describe('querying with bad input', () => {
  it('refuses malformed filters and sorts with 400, never a server error', async () => {
    for (const query of [
      'filter=' + encodeURIComponent('room = '),
      'filter=' + encodeURIComponent("text = 'a' OR 1=1 --"),
      'filter=' + encodeURIComponent('text ~ "a") UNION SELECT * FROM _superusers --'),
      'filter=' + encodeURIComponent('nosuchfield = 1'),
      'filter=' + encodeURIComponent('(((((((((('),
      'sort=' + encodeURIComponent('nosuchfield'),
      'sort=' + encodeURIComponent('-created;DROP TABLE messages'),
      'perPage=-5&page=abc',
    ]) {
      const response = await raw(`/api/collections/messages/records?${query}`);
      expect(response.status, query).toBeLessThan(500);
      if (response.status !== 200) {
        expect(response.status, query).toBe(400);
        expect(((await response.json()) as { message: string }).message, query).toBeTruthy();
      }
    }
    expect(await messageCount()).toBeGreaterThan(0);
  });

  it('answers 404 for collections and records that do not exist', async () => {
    expect((await raw('/api/collections/nope/records')).status).toBe(404);
    expect((await raw('/api/collections/messages/records/doesnotexist123')).status).toBe(404);
  });
});
