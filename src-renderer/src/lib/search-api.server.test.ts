// The search client against a real PocketBase: what the results panel relies on from the server's
// answer — the shape it checks, matches as UTF-16 offsets that mark the words in the text, the filters
// echoed for the chips, paging, a refused query as a sentence on its field, and a stale request cancelled.
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, post, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { describeError } from './errors.ts';
import { PocketBaseSearchApi } from './search-api.ts';
import { highlightSegments } from './search-highlight.ts';
import { withoutFilter } from './search-query.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let roomName: string;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  roomName = `plans-${alice.id.slice(0, 5)}`;
  const room = await createRoom(alice, 'private', [bob], roomName);
  await post(alice, room, '🎉 The wombat launch is on Friday');
  await post(bob, room, 'wombat numbers: fine');
  for (let i = 0; i < 5; i++) await post(bob, room, `paging wombat ${i}`);
});

afterAll(async () => {
  await server?.stop();
});

const marked = (text: string, matches: readonly (readonly [number, number])[]) =>
  highlightSegments(text, matches)
    .filter((piece) => piece.mark)
    .map((piece) => piece.text.toLowerCase());

describe('PocketBaseSearchApi', () => {
  it('finds the words, its matches marking them in the text (an emoji before one counts two code units)', async () => {
    const page = await new PocketBaseSearchApi(alice.pb).search({ q: 'launch' });
    expect(page.totalItems).toBe(1);
    const [item] = page.items;
    expect(item!.text).toBe('🎉 The wombat launch is on Friday');
    expect(marked(item!.text, item!.matches)).toEqual(['launch']);
    expect(item!.expand?.user).toMatchObject({ id: alice.id, username: alice.username });
    expect(item!.expand?.user).not.toHaveProperty('email');
    expect(item!.expand?.room).toMatchObject({ name: roomName, kind: 'private' });
    expect(item!.thread).toBe('');
  });

  it('echoes the filters it understood, and the query without one asks for everything again', async () => {
    const api = new PocketBaseSearchApi(alice.pb);
    const q = `wombat from:@${bob.username} in:#${roomName}`;
    const page = await api.search({ q });
    expect(page.filters.from).toMatchObject({ id: bob.id, username: bob.username });
    expect(page.filters.room).toMatchObject({ name: roomName, kind: 'private' });
    expect(page.items.every((item) => item.user === bob.id)).toBe(true);
    const wider = await api.search({ q: withoutFilter(q, 'from') });
    expect(wider.filters.from).toBeNull();
    expect(wider.totalItems).toBe(page.totalItems + 1);
  });

  it('pages through the results, each once', async () => {
    const api = new PocketBaseSearchApi(alice.pb);
    const first = await api.search({ q: 'wombat', perPage: 4 });
    const second = await api.search({ q: 'wombat', perPage: 4, page: 2 });
    expect(first.totalItems).toBe(7);
    expect(first.items).toHaveLength(4);
    expect(second.items).toHaveLength(3);
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(7);
  });

  it('finds nothing of a private room for someone outside it', async () => {
    const carol = await signUp(server, 'carol');
    const page = await new PocketBaseSearchApi(carol.pb).search({ q: 'wombat' });
    expect(page.totalItems).toBe(0);
    expect(page.items).toEqual([]);
  });

  it('refuses a query of exclusions alone with a sentence on q, which the panel shows at the field', async () => {
    const error = await new PocketBaseSearchApi(alice.pb).search({ q: '-wombat' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientResponseError);
    const problem = describeError(error, { action: 'search' });
    expect(problem.status).toBe(400);
    expect(problem.fields.q).toMatch(/\w/);
  });

  it('cancels a request whose signal is aborted', async () => {
    const controller = new AbortController();
    const pending = new PocketBaseSearchApi(alice.pb).search({ q: 'wombat' }, controller.signal);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientResponseError);
    expect((error as ClientResponseError).isAbort).toBe(true);
  });
});
