// Message search's query language and answers (backend/search_query.go, search_route.go): filters from q
// and from parameters, echoed for the client's chips; paging and the 1,000 cap; clear 400s; FTS5 syntax
// as plain text (200 or 400, never 500); matched ranges as UTF-16 offsets; the per-account rate limit;
// the sqlite3 CLI writing data.db with the triggers firing; `search rebuild` after the index is broken.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { serverBinary } from '../../scripts/backend-build.ts';
import { createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { searchMerged } from '../testing/search-index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { sqliteCli } from '../testing/sqlite-cli.ts';

interface SearchAnswer {
  page: number;
  perPage: number;
  totalItems: number;
  more: boolean;
  filters: { room: unknown; from: unknown; before: string; after: string };
  items: Array<{ id: string; text: string; created: string; matches: Array<[number, number]>; expand: unknown }>;
}

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let team: RoomsRecord; // public, named with a space
let quiet: RoomsRecord; // public

function search(who: TestUser, query: Record<string, string | number>): Promise<SearchAnswer> {
  const params = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return who.pb.send<SearchAnswer>('/api/palaver/search', { query: params, requestKey: null });
}

/** The raw status of a search, for inputs the SDK would not let through unchanged. */
async function status(who: TestUser, q: string): Promise<number> {
  const url = `${server.url}/api/palaver/search?q=${encodeURIComponent(q)}`;
  const response = await fetch(url, { headers: { Authorization: who.pb.authStore.token } });
  return response.status;
}

function sql(statements: string): string {
  return sqliteCli(server, statements);
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  team = await createRoom(alice, 'public', [], `team ${process.pid} room`);
  quiet = await createRoom(alice, 'public', [], `quiet${process.pid}`);
  for (let i = 0; i < 25; i++) await post(i % 2 ? bob : alice, team, `pelican number ${i}`);
  await post(alice, quiet, 'pelican in the quiet room');
});

afterAll(async () => {
  await server?.stop();
});

describe('filters', () => {
  it('in:#room (quoted for a name with spaces) and the room parameter, echoed', async () => {
    const all = await search(bob, { q: 'pelican' });
    expect(all.totalItems).toBe(26);
    const inQuiet = await search(bob, { q: `pelican in:#${quiet.name.toUpperCase()}` });
    expect(inQuiet.items.map((i) => i.text)).toEqual(['pelican in the quiet room']);
    expect(inQuiet.filters.room).toEqual({ id: quiet.id, name: quiet.name, kind: 'public' });
    const inTeam = await search(bob, { q: `in:#"${team.name}" pelican` });
    expect(inTeam.totalItems).toBe(25);
    expect((await search(bob, { q: 'pelican', room: quiet.id })).totalItems).toBe(1);
    const unknown = await refused(search(bob, { q: 'pelican in:#nowhere' }));
    expect(unknown).toMatchObject({ status: 400, data: { room: { code: 'invalid_query' } } });
    expect(unknown.data.room?.message).toContain('#nowhere');
    expect((await refused(search(bob, { q: `pelican in:#${quiet.name}`, room: team.id }))).status).toBe(400);
  });

  it('from:@username and the from parameter, echoed without email', async () => {
    const byBob = await search(alice, { q: `pelican from:@${bob.username}` });
    expect(byBob.totalItems).toBe(12);
    expect(byBob.filters.from).toEqual({ id: bob.id, username: bob.username, name: 'bob' });
    expect((await search(alice, { q: 'pelican', from: alice.id })).totalItems).toBe(14);
    const nobody = await refused(search(alice, { q: 'pelican from:@nobody_at_all' }));
    expect(nobody).toMatchObject({ status: 400, data: { from: { code: 'invalid_query' } } });
    const [item] = byBob.items;
    expect(item?.expand).toEqual({
      user: {
        id: bob.id,
        username: bob.username,
        name: 'bob',
        avatar: '',
        collectionId: expect.any(String),
        collectionName: 'users',
      },
      room: { id: team.id, name: team.name, kind: 'public' },
    });
    expect(JSON.stringify(byBob)).not.toContain('@palaver.test');
  });

  it("before: and after: a day, in the person's time zone, and as RFC 3339 times", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await search(bob, { q: `pelican before:${tomorrow}` })).totalItems).toBe(26);
    expect((await search(bob, { q: `pelican before:${yesterday}` })).totalItems).toBe(0);
    expect((await search(bob, { q: `pelican after:${yesterday}` })).totalItems).toBe(26);
    expect((await search(bob, { q: `pelican after:${today}` })).totalItems).toBe(0);
    // 14 hours east, "today" in UTC may already have ended there, never begun later: before tomorrow still holds
    expect((await search(bob, { q: `pelican before:${tomorrow}`, utcOffset: -840 })).totalItems).toBe(26);
    const echo = await search(bob, { q: 'pelican', before: tomorrow, after: '2020-01-01T00:00:00Z' });
    expect(echo).toMatchObject({ totalItems: 26, filters: { before: tomorrow, after: '2020-01-01T00:00:00Z' } });
    for (const bad of ['before:2026-13-01', 'after:yesterday', 'before:2026-02-30']) {
      expect((await refused(search(bob, { q: `pelican ${bad}` }))).status).toBe(400);
    }
    expect((await refused(search(bob, { q: 'pelican', utcOffset: 900 }))).data.utcOffset?.code).toBe('invalid_query');
  });

  it('refuses a bound past year 9999 in UTC, which would compare as text before every date', async () => {
    expect((await refused(search(bob, { q: 'pelican after:9999-12-31' }))).data.after?.code).toBe('invalid_query');
    const instant = await refused(search(bob, { q: 'pelican', before: '9999-12-31T23:00:00-05:00' }));
    expect(instant.data.before?.code).toBe('invalid_query');
    expect((await search(bob, { q: 'pelican before:9999-12-31' })).totalItems).toBe(26);
  });
});

describe('runaway queries', () => {
  it('counts a repeated word once, and refuses more than 16 different words', async () => {
    expect((await search(bob, { q: Array(15).fill('pelican PELICAN "pélican"').join(' ') })).totalItems).toBe(26);
    const many = Array.from({ length: 15 }, (_, i) => `w${i}`).join(' '); // and pelican: 16
    expect((await search(bob, { q: `${many} pelican w1 W1` })).totalItems).toBe(0);
    const refusal = await refused(search(bob, { q: `${many} pelican -number` }));
    expect(refusal.data.q?.message).toContain('16');
  });

  it('refuses a prefix of one or two letters that stands for too many words, not one that stands for a few', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `zyw${i}x`).join(' ');
    const message = await post(alice, quiet, words);
    await searchMerged(server); // the words of the index are those merged into FTS5 (a cost guard, not what is found)
    const short = await refused(search(bob, { q: 'zy*' }));
    expect(short.data.q?.message).toBe('Type at least 3 letters before *.');
    expect((await search(bob, { q: 'zyw*' })).items.map((i) => i.id)).toEqual([message.id]);
    expect((await search(bob, { q: 'pe*' })).totalItems).toBe(26);
  });
});

describe('pages and refusals', () => {
  it('pages through the ranked matches without repeating one', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => search(bob, { q: 'pelican', perPage: 10, page })));
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 6]);
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(26);
    expect(pages[0]).toMatchObject({ page: 1, perPage: 10, totalItems: 26, more: false });
    expect((await search(bob, { q: 'pelican', page: 9 })).items).toEqual([]);
  });

  it('answers 400 on the field for an empty query, exclusions only, and out-of-range paging', async () => {
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ q: '' }, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: '-pelican' }, 'q'],
      [{ q: '🎉 !!!' }, 'q'],
      [{ q: 'x'.repeat(501) }, 'q'],
      [{ q: 'from:@a from:@b pelican' }, 'q'],
      [{ q: 'pelican', perPage: 51 }, 'perPage'],
      [{ q: 'pelican', perPage: 0 }, 'perPage'],
      [{ q: 'pelican', page: 0 }, 'page'],
      [{ q: 'pelican', page: 'two' }, 'page'],
    ];
    for (const [query, field] of cases) {
      const refusal = await refused(search(bob, query));
      expect(refusal.status, JSON.stringify(query)).toBe(400);
      expect(refusal.data[field]?.code, JSON.stringify(query)).toBe('invalid_query');
    }
    const onlyExcluded = await refused(search(bob, { q: '-pelican' }));
    expect(onlyExcluded.data.q?.message).toBe('Add a word to search for: -x only excludes.');
    expect((await search(bob, { q: 'x'.repeat(500) })).totalItems).toBe(0);
  });
});

describe('FTS5 syntax is text', () => {
  const corpus = [
    '"',
    '""',
    '"""',
    'pelican"',
    '"pelican',
    'NEAR(pelican number)',
    'NEAR(pelican number, 2)',
    'pelican*',
    '*',
    '*pelican',
    'pel*can',
    ':',
    'text:pelican',
    '{text}:pelican',
    '{text room user}: pelican',
    'room:x',
    'user : pelican',
    '(',
    ')',
    '(pelican',
    'pelican)',
    '()',
    '^pelican',
    'pelican^',
    'pelican AND number',
    'pelican OR number',
    'pelican NOT number',
    'AND',
    'OR',
    'NOT',
    'NOT pelican',
    '-',
    '--pelican',
    '- pelican',
    '-"',
    '+pelican',
    'pelican\u0000number',
    '\u0000',
    '\u0001\u001f\u007f',
    '\u202epelican',
    '\\"',
    "'",
    "''",
    ';',
    '; DROP TABLE messages; --',
    '%',
    '_',
    'pelican🎉',
    '🎉',
    'שלום',
    'مرحبا pelican',
    'in:#',
    'from:@',
    'in:#"',
    'before:',
    'after:"',
    'x'.repeat(499) + '"',
    '"'.repeat(500),
    '('.repeat(500),
    'a* '.repeat(166),
    'pelican\uFFFF',
  ];
  it.each(corpus)('%j answers 200 or 400', async (q) => {
    expect([200, 400]).toContain(await status(bob, q));
  });

  it('takes bytes that are not UTF-8 as text too', async () => {
    for (const raw of ['%FF', 'pelican%C3', '%ED%A0%80', '%00']) {
      const response = await fetch(`${server.url}/api/palaver/search?q=${raw}`, {
        headers: { Authorization: bob.pb.authStore.token },
      });
      expect([200, 400], raw).toContain(response.status);
    }
  });

  it('finds the words of an FTS5-looking query as words', async () => {
    expect((await search(bob, { q: 'NEAR(pelican number)' })).totalItems).toBe(0); // "near" is in no message
    // the phrase "text pelican": a column filter is two words, found in no message in that order
    expect((await search(bob, { q: '{text}:pelican' })).totalItems).toBe(0);
    expect((await search(bob, { q: '(pelican' })).totalItems).toBe(26);
    expect((await search(bob, { q: 'pelic*' })).totalItems).toBe(26);
    expect((await search(bob, { q: '"pelican numb"*' })).totalItems).toBe(25);
    expect((await search(bob, { q: 'PÉLIC* -quiet' })).totalItems).toBe(25);
    expect((await search(bob, { q: 'pelicans*' })).totalItems).toBe(0);
    expect((await search(bob, { q: 'pelican NOT' })).totalItems).toBe(0);
  });
});

describe('matched ranges', () => {
  it('are UTF-16 offsets, after é and emoji too, and never mark excluded words', async () => {
    const text = 'Crème 🎉 brûlée: the crème de la crème, not the custard';
    await post(alice, quiet, text);
    const [hit] = (await search(bob, { q: 'creme -custards brulee' })).items;
    expect(hit?.text).toBe(text);
    expect(hit?.matches.map(([start, end]) => text.slice(start, end))).toEqual(['Crème', 'brûlée', 'crème', 'crème']);
    const [phrase] = (await search(bob, { q: '"de la creme"' })).items;
    expect(phrase?.matches.map(([start, end]) => text.slice(start, end))).toEqual(['de la crème']);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once an account used its searches, and others still search', async () => {
    const admin = await server.admin();
    const { rateLimits } = await admin.settings.getAll();
    const rules = rateLimits.rules as Array<{ label: string; maxRequests: number }>;
    expect(rules.find((r) => r.label === 'palaverSearch')).toBeTruthy();
    const lowered = rules.map((r) => (r.label === 'palaverSearch' ? { ...r, maxRequests: 3 } : r));
    await admin.settings.update({ rateLimits: { ...rateLimits, rules: lowered } });
    try {
      const carol = await signUp(server, 'carol');
      for (let i = 0; i < 3; i++) await search(carol, { q: 'pelican' });
      const response = await fetch(`${server.url}/api/palaver/search?q=pelican`, {
        headers: { Authorization: carol.pb.authStore.token },
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect((await search(bob, { q: 'pelican' })).totalItems).toBeGreaterThan(0);
    } finally {
      await admin.settings.update({ rateLimits: { ...rateLimits, rules } });
    }
  });
});

// Last: these write to the stopped server's database, and restart it.
describe('the index outside the API', () => {
  it('follows inserts of the sqlite3 CLI, and `search rebuild` mends a broken index', async () => {
    await server.kill();
    const created = '2026-12-01 10:00:00.000Z';
    sql(`INSERT INTO messages (id, room, user, text, created, updated)
      VALUES ('clisearch000001', '${team.id}', '${alice.id}', 'written by the cli albatross', '${created}', '${created}');`);
    // queued by the triggers (migration 1795700140), found as soon as a server runs, merged by it
    expect(sql("SELECT count(*) FROM message_search_pending WHERE text LIKE '%albatross%';").trim()).toBe('1');
    await server.restart();
    expect((await search(bob, { q: 'albatross' })).items.map((i) => i.id)).toEqual(['clisearch000001']);
    await searchMerged(server);
    expect(sql("SELECT count(*) FROM message_search WHERE message_search MATCH 'albatross';").trim()).toBe('1');
    expect((await search(bob, { q: 'albatross' })).items.map((i) => i.id)).toEqual(['clisearch000001']);
    await server.kill();
    // broken: every row number forgotten, the index emptied
    sql("DELETE FROM message_search_rows; INSERT INTO message_search (message_search) VALUES ('delete-all');");
    await server.restart();
    expect((await search(bob, { q: 'albatross' })).totalItems).toBe(0);
    await server.kill();
    const rebuild = spawnSync(serverBinary, ['search', 'rebuild', '--dir', server.dataDir], { encoding: 'utf8' });
    expect(rebuild.status, rebuild.stderr).toBe(0);
    const total = Number(sql('SELECT count(*) FROM messages;').trim());
    expect(rebuild.stdout).toContain(`${total} messages indexed`);
    await server.restart();
    expect((await search(bob, { q: 'albatross' })).items.map((i) => i.id)).toEqual(['clisearch000001']);
    // numbered by creation, older than the API's messages: dates bound it among them
    expect((await search(bob, { q: 'albatross before:2026-12-02' })).totalItems).toBe(1);
    expect((await search(bob, { q: 'albatross before:2026-12-01' })).totalItems).toBe(0);
    expect((await search(bob, { q: 'albatross after:2026-11-30' })).totalItems).toBe(1);
    expect((await search(bob, { q: 'albatross after:2026-12-01' })).totalItems).toBe(0);
    expect((await search(bob, { q: 'albatross after:2026-12-01T09:59:59.999Z' })).totalItems).toBe(1);
    expect((await search(bob, { q: 'pelican' })).totalItems).toBe(26);
  });

  it("shows a match by its message's own room, not the one the index kept", async () => {
    const hidden = await createRoom(alice, 'private', [], `kept${process.pid}`);
    const message = await post(alice, hidden, 'a cormorant in private');
    await server.kill();
    // an index out of step (edited by hand, or written before migration 1795700133) says it is in quiet
    sql(`UPDATE message_search_rows SET room = '${quiet.id}' WHERE message = '${message.id}';`);
    await server.restart();
    expect((await search(bob, { q: 'cormorant' })).items).toEqual([]);
    expect((await search(alice, { q: 'cormorant' })).items.map((i) => i.id)).toEqual([message.id]);
  });

  it('stops after 20,000 matches of the index, readable or not, and says there may be more', async () => {
    const hidden = await createRoom(alice, 'private', [], `hidden${process.pid}`);
    const older = await post(alice, quiet, 'a readable gannet, older than the hidden ones');
    await server.kill();
    const created = '2026-12-02 08:00:00.000Z';
    sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20001)
      INSERT INTO messages (id, room, user, text, created, updated)
      SELECT printf('gannet%09d', i), '${hidden.id}', '${alice.id}', 'a hidden gannet', '${created}', '${created}' FROM n;`);
    await server.restart();
    await searchMerged(server); // until then a search looks at the newest 5,000 queued rows (search-merge.rules.test.ts)
    // the operator is told, in the server's logs (the dashboard's Logs: PocketBase's auxiliary.db)
    const logged = () =>
      spawnSync('sqlite3', [join(server.dataDir, 'auxiliary.db')], {
        input: "SELECT message FROM _logs WHERE message LIKE 'search: index%';",
        encoding: 'utf8',
      }).stdout;
    await expect.poll(logged, { timeout: 15_000 }).toMatch(/indexed \d+ queued changes in [\d.]+ s/);
    expect(logged()).toMatch(/search: indexing 200\d\d messages written while the server was stopped/);
    // bob reads none of the 20,001 newer matches: he is told there may be more, not shown the older one
    expect(await search(bob, { q: 'gannet' })).toMatchObject({ totalItems: 0, more: true, items: [] });
    expect(await search(alice, { q: 'gannet' })).toMatchObject({ totalItems: 1000, more: true });
    // narrowed to a room, the index only walks that room's matches
    const inQuiet = await search(bob, { q: 'gannet', room: quiet.id });
    expect(inQuiet).toMatchObject({ totalItems: 1, more: false });
    expect(inQuiet.items.map((i) => i.id)).toEqual([older.id]);
  });
});
