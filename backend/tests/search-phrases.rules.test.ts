// Phrases in message search (backend/search_pairs.go, search_query.go, migration 1795700145): a phrase is
// searched as the phrase of its word pairs in the index's pairs column, filled in Go by the merger. What
// a person would notice: a phrase is found across punctuation, accents and letter case, in the words'
// order only and with nothing between them; three words; a prefix at the end; an excluded phrase; an
// edited message by its new words only, both before the merger moved the edit into FTS5 and after; a
// message the sqlite3 CLI wrote while the server was stopped; messages indexed before the pairs column
// existed (the migration queues them again); and the phrase's FTS5-looking input never a 500.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { backendDir, serverBinary } from '../../scripts/backend-build.ts';
import { createRoom, post, signUp, type TestUser } from '../testing/clients.ts';
import { searchMerged } from '../testing/search-index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { sqliteCli } from '../testing/sqlite-cli.ts';

interface SearchAnswer {
  totalItems: number;
  more: boolean;
  items: Array<{ id: string; text: string; matches: Array<[number, number]> }>;
}

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let room: RoomsRecord;
const ids: Record<string, string> = {};

const texts = {
  plain: 'Rollback prod now, please',
  punctuated: 'ROLLBACK, prod! (Now) we wait',
  accented: 'Le déjà-vu du Café Crème',
  reversed: 'prod rollback, reversed',
  between: 'rollback the prod later',
  production: 'rollback production tonight',
  threeApart: 'rollback prod later now',
  privateUse: 'odd \ue000glyph here and odd glyph there',
};

function search(who: TestUser, q: string): Promise<SearchAnswer> {
  return who.pb.send<SearchAnswer>('/api/palaver/search', { query: { q }, requestKey: null });
}

/** The names (keys of texts) of the messages a search finds, sorted. */
async function found(q: string): Promise<string[]> {
  const answer = await search(bob, q);
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return answer.items.map((item) => names[item.id] ?? item.id).sort();
}

function sql(statements: string): string {
  return sqliteCli(server, statements);
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  room = await createRoom(alice, 'public', [], `phrases ${process.pid}`);
  for (const [name, text] of Object.entries(texts)) ids[name] = (await post(alice, room, text)).id;
  await searchMerged(server);
});

afterAll(async () => {
  await server?.stop();
});

describe('phrases', () => {
  it('are found across punctuation, accents and letter case, in order and adjacent only', async () => {
    expect(await found('"rollback prod"')).toEqual(['plain', 'punctuated', 'threeApart']);
    expect(await found('"Rollback, PROD"')).toEqual(['plain', 'punctuated', 'threeApart']);
    expect(await found('"prod rollback"')).toEqual(['reversed']);
    expect(await found('"deja vu du cafe"')).toEqual(['accented']);
    expect(await found('"DÉJÀ VU"')).toEqual(['accented']);
    expect(await found('déjà-vu')).toEqual(['accented']); // one word to the typist, two to the index
    const [hit] = (await search(bob, '"rollback prod"')).items.filter((i) => i.id === ids.punctuated);
    expect(hit?.matches.map(([s, e]) => texts.punctuated.slice(s, e))).toEqual(['ROLLBACK, prod']);
  });

  it('of three words need all three in a row', async () => {
    expect(await found('"rollback prod now"')).toEqual(['plain', 'punctuated']);
    expect(await found('"prod later now"')).toEqual(['threeApart']);
    expect(await found('"rollback the prod later"')).toEqual(['between']);
    expect(await found('"rollback prod later now please"')).toEqual([]);
  });

  it('may end with a prefix', async () => {
    expect(await found('"rollback pro"*')).toEqual(['plain', 'production', 'punctuated', 'threeApart']);
    expect(await found('"rollback produc"*')).toEqual(['production']);
    expect(await found('"rollback prod la"*')).toEqual(['threeApart']);
    expect(await found('"rollback zz"*')).toEqual([]);
  });

  it('may be excluded', async () => {
    expect(await found('rollback -"rollback prod"')).toEqual(['between', 'production', 'reversed']);
    expect(await found('rollback -"rollback pro"*')).toEqual(['between', 'reversed']);
    expect(await found('"rollback prod" -"prod now"')).toEqual(['threeApart']);
  });

  it('with private-use characters in a word match only that word', async () => {
    expect(await found('"odd \ue000glyph"')).toEqual(['privateUse']);
    expect(await found('"odd glyph"')).toEqual(['privateUse']);
    expect(await found('"\ue000odd glyph"')).toEqual([]);
  });

  it('find an edited message by its new words only, before and after the merger moved the edit', async () => {
    const message = await post(alice, room, 'the albatross glides over prod');
    await searchMerged(server);
    expect((await search(bob, '"albatross glides"')).items.map((i) => i.id)).toEqual([message.id]);
    await alice.pb.collection('messages').update(message.id, { text: 'the albatross soars over prod' });
    // at once: the edit may still be queued (evaluated in Go), FTS5 holding the old words
    expect((await search(bob, '"albatross glides"')).items).toEqual([]);
    expect((await search(bob, '"albatross soars"')).items.map((i) => i.id)).toEqual([message.id]);
    await searchMerged(server);
    expect((await search(bob, '"albatross glides"')).items).toEqual([]);
    expect((await search(bob, '"albatross soars"')).items.map((i) => i.id)).toEqual([message.id]);
    expect((await search(bob, '"soars over prod"')).items.map((i) => i.id)).toEqual([message.id]);
    await alice.pb.collection('messages').delete(message.id);
    await searchMerged(server);
    expect((await search(bob, '"albatross soars"')).items).toEqual([]);
  });

  it('with FTS5 syntax or marks in them answer 200 or 400, never 500', async () => {
    const corpus = [
      '"a b"*"',
      '-"x y"*',
      '"rollback prod"**',
      '"rollback * prod"',
      '"rollback" "prod"',
      '"\ue000rollback\ue000prod"',
      '"rollback\ue000prod"',
      '"\ue001\ue000 \ue000"*',
      '"NEAR(rollback prod)"',
      '"rollback prod" NOT "x y"',
      '"pairs : x y"',
      'pairs:"rollback prod"',
      '{pairs text}:"rollback prod"',
      '"' + 'a b '.repeat(120) + '"',
      '"a b" '.repeat(20),
    ];
    for (const q of corpus) {
      const response = await fetch(`${server.url}/api/palaver/search?q=${encodeURIComponent(q)}`, {
        headers: { Authorization: bob.pb.authStore.token },
      });
      expect([200, 400], q).toContain(response.status);
    }
    // the marks a pair is made of are no way to reach one: typed, they are letters of a word
    expect(await found('"rollback\ue000prod"')).toEqual([]);
  });
});

// Last: these write to the stopped server's database, and restart it.
describe('outside the API', () => {
  it('finds by phrase what the sqlite3 CLI wrote while the server was stopped', async () => {
    await server.kill();
    const created = '2026-12-01 10:00:00.000Z';
    sql(`INSERT INTO messages (id, room, user, text, created, updated)
      VALUES ('cliphrase000001', '${room.id}', '${alice.id}', 'the CLI wrote: pelican crossing', '${created}', '${created}');`);
    await server.restart();
    expect((await search(bob, '"pelican crossing"')).items.map((i) => i.id)).toEqual(['cliphrase000001']);
    await searchMerged(server);
    expect((await search(bob, '"wrote pelican crossing"')).items.map((i) => i.id)).toEqual(['cliphrase000001']);
  });

  it('finds by phrase the messages indexed before the pairs column existed (migration 1795700145 again)', async () => {
    // every migration from 1795700145 on, reverted with the server stopped, then applied again by serve
    const later = readdirSync(join(backendDir, 'pb_migrations')).filter(
      (file) => /^\d+_/.test(file) && Number(file.split('_')[0]) >= 1795700145,
    );
    await server.kill();
    const down = spawnSync(serverBinary, ['migrate', 'down', String(later.length), '--dir', server.dataDir], {
      encoding: 'utf8',
      input: 'y\n',
    });
    expect(down.status, down.stderr + down.stdout).toBe(0);
    expect(sql("SELECT count(*) FROM pragma_table_info('message_search') WHERE name = 'pairs';").trim()).toBe('0');
    await server.restart();
    expect(await found('"rollback prod now"')).toEqual(['plain', 'punctuated']);
    await searchMerged(server);
    expect(await found('"rollback prod now"')).toEqual(['plain', 'punctuated']);
    expect(await found('"rollback pro"*')).toEqual(['plain', 'production', 'punctuated', 'threeApart']);
  });
});
