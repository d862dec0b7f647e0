// Message search at scale: GET /api/palaver/search (an FTS5 index kept by SQL triggers on messages)
// against the naive way, PocketBase's messages list with `text ~ 'word'` (a LIKE '%word%' scan), both
// through the real HTTP API as the same signed-in reader; what the index costs on disk; and creates per
// second with the index's triggers and without them.
//
//   npx tsx bench/search.ts
//   PALAVER_SEARCH_SIZES=100000 PALAVER_SEARCH_RUNS=50 npx tsx bench/search.ts
//   (also PALAVER_SEARCH_NAIVE_RUNS, _MEMBER_ROOMS, _CREATE_CLIENTS, _CREATE_SECONDS, _CREATE_CYCLES;
//   PALAVER_SEARCH_KEEP_DB=<file> keeps a copy of the largest size's data.db for sqlite3)
//
// Data: the history benchmark's (bench/history-seed.ts: 1,000 rooms, 10,000 users, messages of words
// drawn uniformly from its list of 101, a year of history at 1M), seeded straight into the stopped
// server's SQLite file with the sqlite3 CLI, the search triggers firing for every row as they would for
// any writer; plus one rare word, RARE, appended to one message in 10,000 (a pure function of the
// message's index: nothing else in the data changes). The reader is then left a member of MEMBER_ROOMS
// (50) rooms, private and direct ones first (rooms.members edited with SQL); they can read every public
// room besides, and they blocked the busiest seeded author. ANALYZE at the end, as history does.
//
// Queries (page 1, 20 per page, as the app's first request):
//   rare word    RARE: about 100 messages at 1M
//   common word  "deploy": in about 8 % of messages (80,000 at 1M; the route ranks the newest 1,000)
//   phrase       "rollback prod": two common words, the phrase itself in about 0.07 % of messages (searched
//                as its one word pair, migration 1795700145: before it, both words' whole position lists)
// Naive: GET /api/collections/messages/records?filter=(text ~ '<words>' && user != '<blocked>')
// &sort=-created&perPage=20 (the SDK's getList: with its COUNT for totalItems, as a result count needs).
// Timing: the client's round trip on loopback, one request at a time, ours and naive interleaved (a naive
// request after every RUNS / NAIVE_RUNS of ours) so the machine's other load falls on both alike; server
// CPU is the server process's utime+stime over the requests. The naive totals are checked against ours
// first (rare word and phrase, under the route's cap of 1,000), and every item ours returns is checked to
// be in a room the reader can read and not by the person they blocked.
//
// Creates: CREATE_CLIENTS (8) accounts posting into one public room as fast as they are answered
// (bench/search-creates.ts, as bench/sending.ts), on the largest size's data, CREATE_SECONDS per round,
// rounds ABBA: with the index's triggers, then the same data dir with those triggers dropped (sqlite3,
// server stopped and started again), then restored. Rate limits off, as in sending.ts.
import { loadavg, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { createRoom, roomAction, signUp, type TestUser } from '../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { backendDir, ensureBackendBuilt, serverBinary } from '../scripts/backend-build.ts';
import { deadlines } from './lib/deadline.ts';
import { cpuSeconds, findServerPid } from './lib/proc.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';
import { seed, sqliteExec, sqliteJson } from './history-seed.ts';
import { createsRound, type CreatesRound } from './search-creates.ts';
import {
  dropTriggers,
  restoreTriggers,
  searchSchema,
  space,
  triggerCount,
  type SearchSchema,
} from './search-schema.ts';
import { rebuildCommand, runRebuild } from './search-rebuild.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

const SIZES = (process.env.PALAVER_SEARCH_SIZES ?? '100000,1000000').split(',').map((s) => {
  const n = Number(s.trim().replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`PALAVER_SEARCH_SIZES: bad size ${s}`);
  return n;
});
const ROOMS = envNumber('PALAVER_SEARCH_ROOMS', 1000);
const USERS = envNumber('PALAVER_SEARCH_USERS', 10_000);
const MEMBER_ROOMS = envNumber('PALAVER_SEARCH_MEMBER_ROOMS', 50);
const RUNS = envNumber('PALAVER_SEARCH_RUNS', 200);
const NAIVE_RUNS = envNumber('PALAVER_SEARCH_NAIVE_RUNS', 20);
const CREATE_CLIENTS = envNumber('PALAVER_SEARCH_CREATE_CLIENTS', 8);
const CREATE_SECONDS = envNumber('PALAVER_SEARCH_CREATE_SECONDS', 15);
/** ABBA cycles of creates rounds (with, without, without, with): more average out a shared machine. */
const CREATE_CYCLES = envNumber('PALAVER_SEARCH_CREATE_CYCLES', 1);
const PER_PAGE = 20;
const GOAL = { p50: 15, p99: 50 };
const RARE = 'quetzal';
const RARE_EVERY = 10_000;
const QUERIES = [
  { query: 'rare word', q: RARE, naive: RARE },
  { query: 'common word', q: 'deploy', naive: 'deploy' },
  { query: 'phrase', q: '"rollback prod"', naive: 'rollback prod' },
] as const;
const READER = { email: 'reader@bench.palaver.test', username: 'reader', password: 'reader-password-1' };

const deadline = deadlines('search');
/** The server program every server of the run starts (a copy: see main). */
const BINARY = { path: serverBinary, version: '' };
const seedMs = (size: number) => 120_000 + size * 1.5;
const measureMs = () => 120_000 + QUERIES.length * (RUNS * 1_000 + NAIVE_RUNS * 30_000);

interface SearchPage {
  totalItems: number;
  more: boolean;
  items: Array<{ id: string; room: string; user: string; text: string }>;
}

const ours = (pb: PocketBase, q: string) =>
  pb.send<SearchPage>('/api/palaver/search', { query: { q, perPage: PER_PAGE }, requestKey: null });

const naive = (pb: PocketBase, words: string, blocked: string) =>
  pb.collection('messages').getList(1, PER_PAGE, {
    filter: pb.filter('text ~ {:words} && user != {:blocked}', { words, blocked }),
    sort: '-created',
    requestKey: null,
  });

/** Leaves the reader in `keep` of their rooms (private and direct first); returns the rooms kept. */
function trimMemberships(db: string, reader: string, keep: number): { kept: number; left: number } {
  const rooms = sqliteJson<{ id: string; kind: string }>(
    db,
    `SELECT id, kind FROM rooms WHERE members LIKE '%"${reader}"%' ORDER BY kind = 'public', id;`,
  );
  const notPublic = rooms.filter((r) => r.kind !== 'public');
  const kept = [...notPublic.slice(0, Math.ceil(keep / 2)), ...rooms.filter((r) => r.kind === 'public')].slice(0, keep);
  const keptIds = new Set(kept.map((r) => r.id));
  const leave = rooms.filter((r) => !keptIds.has(r.id)).map((r) => `'${r.id}'`);
  if (leave.length) {
    sqliteExec(
      db,
      `UPDATE rooms SET members = (SELECT json_group_array(value) FROM json_each(rooms.members) WHERE value != '${reader}')
       WHERE id IN (${leave.join(',')});`,
    );
  }
  return { kept: kept.length, left: leave.length };
}

interface Timed {
  ms: number[];
  cpuMs: number;
}

async function timed<T>(into: Timed, pid: number, request: () => Promise<T>): Promise<T> {
  const cpu = cpuSeconds(pid);
  const started = performance.now();
  const result = await request();
  into.ms.push(performance.now() - started);
  into.cpuMs += (cpuSeconds(pid) - cpu) * 1000;
  return result;
}

interface SizeResult {
  rows: Row[];
  seeding: Row;
  space: Row[];
  fileMiB: number;
  schema: SearchSchema;
  load: number[];
}

async function measureSize(
  size: number,
  sizeIndex: number,
  creates: boolean,
): Promise<SizeResult & { creates?: Row[] }> {
  console.log(`\n=== ${size.toLocaleString('en')} messages, ${ROOMS} rooms, ${USERS} users`);
  const server: TestServer = await startTestServer({ binary: BINARY.path });
  try {
    const admin = await server.admin();
    await admin.settings.update({ rateLimits: { enabled: false } });
    const readerRecord = await admin
      .collection('users')
      .create({ ...READER, passwordConfirm: READER.password, verified: true });
    const reader = readerRecord.id as string;
    // The senders and their room exist before the seed, which leaves them alone.
    const senders: TestUser[] = [];
    let createsRoom = '';
    if (creates) {
      for (let i = 0; i < CREATE_CLIENTS; i++) senders.push(await signUp(server, `sender${i}`));
      const room = await createRoom(senders[0]!, 'public', [], `search bench creates ${sizeIndex}`);
      for (const sender of senders.slice(1)) await roomAction(sender, room, 'join');
      createsRoom = room.id;
    }
    await server.kill();

    const db = join(server.dataDir, 'data.db');
    const schema = searchSchema(db);
    if (schema.triggers.length === 0)
      console.warn('  ! no search triggers on messages in this build: the seed does not fill an index');
    const general = sqliteJson<{ id: string }>(db, "SELECT id FROM rooms WHERE name = 'general';").map((r) => r.id);
    const passwordHash = sqliteJson<{ password: string }>(db, `SELECT password FROM users WHERE id = '${reader}';`)[0]!
      .password;
    const seedOptions = {
      messages: size,
      rooms: ROOMS,
      users: USERS,
      existingUserIds: [reader],
      readerId: reader,
      existingRoomIds: general,
      passwordHash,
      seed: 1000 + sizeIndex,
      extraText: (i: number) => (i % RARE_EVERY === RARE_EVERY / 2 ? ` ${RARE}` : ''),
      serverBinary: BINARY.path,
    };
    // The same seed into a copy whose search triggers are dropped: what the triggers add to seeding.
    const scratch = mkdtempSync(join(tmpdir(), 'palaver-search-seed-'));
    let seedWithoutS = NaN;
    try {
      sqliteExec(db, 'PRAGMA wal_checkpoint(TRUNCATE);');
      copyFileSync(db, join(scratch, 'data.db'));
      dropTriggers(join(scratch, 'data.db'), schema);
      const started = performance.now();
      await deadline.within(
        `${size} messages to be seeded without the search triggers`,
        seedMs(size),
        seed(scratch, seedOptions),
      );
      seedWithoutS = (performance.now() - started) / 1000;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const seedStarted = performance.now();
    const data = await deadline.within(
      `${size} messages to be seeded (search triggers firing)`,
      seedMs(size),
      seed(server.dataDir, seedOptions),
    );
    const seedS = (performance.now() - seedStarted) / 1000;
    const members = trimMemberships(db, reader, MEMBER_ROOMS);
    const analyzeStarted = performance.now();
    sqliteExec(db, 'ANALYZE;');
    const analyzeS = (performance.now() - analyzeStarted) / 1000;
    const indexed = schema.fts.length
      ? sqliteJson<{ n: number }>(db, `SELECT COUNT(*) AS n FROM \`${schema.fts[0]}\`;`)[0]!.n
      : 0;
    const spaceStarted = performance.now();
    const used = space(db, schema);
    console.log(`  space (dbstat, ${round((performance.now() - spaceStarted) / 1000, 1)} s):`);
    console.table(used.rows);
    const readable = sqliteJson<{ id: string }>(
      db,
      `SELECT id FROM rooms WHERE kind = 'public' OR members LIKE '%"${reader}"%';`,
    ).map((r) => r.id);
    const seeding: Row = {
      size,
      seed_s: round(seedS, 1),
      seed_without_triggers_s: round(seedWithoutS, 1),
      // of seed_s: `pocketbase search merge` indexing what the triggers queued (history-seed.ts)
      search_merge_s: data.searchMergeS === null ? null : round(data.searchMergeS, 1),
      search_triggers: schema.triggers.length,
      indexed_rows: indexed,
      analyze_s: round(analyzeS, 1),
      db_MiB: round(statSync(db).size / 2 ** 20, 0),
      reader_member_rooms: members.kept,
      reader_readable_rooms: readable.length,
      rooms_public: data.rooms.filter((r) => r.kind === 'public').length,
      rare_word_messages: Math.floor((size - 1 - RARE_EVERY / 2) / RARE_EVERY) + 1,
    };
    console.log('  seeding:', seeding);

    await server.restart();
    const pb = new PocketBase(server.url);
    pb.autoCancellation(false);
    await pb.collection('users').authWithPassword(READER.username, READER.password);
    const blocked = data.userIds.find((id) => id !== reader)!;
    await pb.collection('blocks').create({ user: reader, blocked });
    const pid = findServerPid(server.port);
    const readableSet = new Set(readable);

    // --- checks before timing: the same totals both ways where the route counts them all; only readable rooms
    const checks: Record<string, Row> = {};
    let oursAvailable = true;
    for (const { query, q, naive: words } of QUERIES) {
      const n = await naive(pb, words, blocked);
      let o: SearchPage | null = null;
      try {
        o = await ours(pb, q);
      } catch (error) {
        if (error instanceof ClientResponseError && error.status === 404) {
          oursAvailable = false;
          console.warn(`  ! GET /api/palaver/search answers 404 in this build: only the naive way is measured`);
          break;
        }
        throw error;
      }
      const unreadable = o.items.filter((item) => !readableSet.has(item.room) || item.user === blocked);
      if (unreadable.length)
        throw new Error(`search: "${q}" returned ${unreadable.length} items the reader must not see`);
      const comparable = n.totalItems <= 1000;
      if (comparable && o.totalItems !== n.totalItems)
        throw new Error(`search: "${q}" found ${o.totalItems} messages, the naive way ${n.totalItems}`);
      checks[query] = { ours_total: o.totalItems, ours_more: String(o.more), naive_total: n.totalItems };
    }

    // --- the timed requests, interleaved
    const rows: Row[] = [];
    const load: number[] = [];
    const measure = async () => {
      for (const { query, q, naive: words } of QUERIES) {
        const o: Timed = { ms: [], cpuMs: 0 };
        const n: Timed = { ms: [], cpuMs: 0 };
        for (let i = 0; i < 3; i++) if (oursAvailable) await ours(pb, q);
        await naive(pb, words, blocked);
        const every = Math.max(1, Math.floor(RUNS / NAIVE_RUNS));
        for (let run = 0; run < RUNS; run++) {
          if (oursAvailable) await timed(o, pid, () => ours(pb, q));
          if (run % every === 0 && n.ms.length < NAIVE_RUNS) await timed(n, pid, () => naive(pb, words, blocked));
          load.push(loadavg()[0]!);
        }
        const so = summarize(o.ms);
        const sn = summarize(n.ms);
        const met = so.p50 < GOAL.p50 && so.p99 < GOAL.p99;
        rows.push({
          size,
          query,
          q,
          matches: checks[query] ? `${checks[query].ours_total}${checks[query].ours_more === 'true' ? '+' : ''}` : null,
          naive_matches: checks[query]?.naive_total ?? null,
          ours_p50_ms: oursAvailable ? round(so.p50) : null,
          ours_p99_ms: oursAvailable ? round(so.p99) : null,
          ours_max_ms: oursAvailable ? round(so.max) : null,
          naive_p50_ms: round(sn.p50),
          naive_p99_ms: round(sn.p99),
          naive_p50_over_ours: oursAvailable ? ratio(sn.p50, so.p50) : null,
          naive_p99_over_ours: oursAvailable ? ratio(sn.p99, so.p99) : null,
          ours_cpu_ms: oursAvailable ? round(o.cpuMs / so.n, 1) : null,
          naive_cpu_ms: round(n.cpuMs / sn.n, 1),
          runs: `${so.n} / ${sn.n}`,
          goal: oursAvailable
            ? `p50 < ${GOAL.p50} ms, p99 < ${GOAL.p99} ms: ${met ? 'met' : 'NOT met'}`
            : 'ours not in this build',
        });
        console.log(`  ${query}: ours p50 ${round(so.p50)} p99 ${round(so.p99)} ms; naive p50 ${round(sn.p50)} ms`);
      }
    };
    await deadline.within('the timed searches', measureMs(), measure(), () => `${rows.length} queries done`);

    // --- creates with the index and without: ABBA on this data dir
    let createRows: Row[] | undefined;
    if (creates) {
      createRows = await measureCreates(server, db, schema, senders, createsRoom);
    }
    // --- the rebuild command, last (it would replace the index the triggers built), server stopped
    const rebuild = rebuildCommand(BINARY.path);
    if (rebuild) {
      await server.kill();
      const done = runRebuild(BINARY.path, rebuild, server.dataDir);
      seeding.rebuild = `\`pocketbase ${rebuild.join(' ')}\`: ${round(done.seconds, 1)} s (${done.said})`;
      console.log(`  rebuild: ${seeding.rebuild}`);
    } else {
      seeding.rebuild = 'no rebuild command in this build';
    }
    // PALAVER_SEARCH_KEEP_DB=<file>: a copy of the largest size's database, to read query plans with sqlite3.
    if (creates && process.env.PALAVER_SEARCH_KEEP_DB) {
      await server.kill();
      copyFileSync(db, process.env.PALAVER_SEARCH_KEEP_DB);
    }
    return { rows, seeding, space: used.rows, fileMiB: used.fileMiB, schema, load, creates: createRows };
  } finally {
    await server.stop();
  }
}

/** Waits until the server's merger has indexed every queued change (none when the triggers are dropped). */
async function searchQueueEmpty(db: string): Promise<void> {
  const [queue] = sqliteJson<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'message_search_pending';",
  );
  if (!queue?.n) return;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const [left] = sqliteJson<{ n: number }>(
      db,
      'SELECT (SELECT count(*) FROM message_search_pending) + (SELECT count(*) FROM message_search_gone) AS n;',
    );
    if (!left?.n) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('search: the server did not merge its queued changes within a minute of the last create');
}

async function measureCreates(
  server: TestServer,
  db: string,
  schema: SearchSchema,
  senders: TestUser[],
  room: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  const results: Record<'with' | 'without', CreatesRound[]> = { with: [], without: [] };
  let triggersOn = true;
  const setTriggers = async (on: boolean) => {
    if (on === triggersOn) return;
    await server.kill();
    if (on) restoreTriggers(db, schema);
    else dropTriggers(db, schema);
    triggersOn = on;
    await server.restart();
  };
  const order = Array.from({ length: CREATE_CYCLES }, () => ['with', 'without', 'without', 'with'] as const).flat();
  for (const [round_, variant] of order.entries()) {
    await setTriggers(variant === 'with');
    const present = triggerCount(db, schema);
    const pid = findServerPid(server.port);
    // A second of warm-up after each start, not counted.
    await createsRound(senders, room, 1, 99 + round_, pid);
    const result = await deadline.within(
      `a ${CREATE_SECONDS} s round of creates (${variant} the index)`,
      CREATE_SECONDS * 1000 + 60_000,
      createsRound(senders, room, CREATE_SECONDS, round_ + 1, pid, () => searchQueueEmpty(db)),
    );
    results[variant].push(result);
    rows.push({
      round: round_ + 1,
      index: variant === 'with' ? `with (${present} triggers)` : `without (triggers dropped: ${present} left)`,
      clients: senders.length,
      ...result,
      load1m: round(loadavg()[0]!, 2),
    });
    console.log(
      `  creates ${variant} the index: ${result.perSecond}/s (p50 ${result.p50_ms} ms, server CPU ${result.server_cpu_ms} ms each)`,
    );
  }
  await setTriggers(true);
  const pooled = (list: CreatesRound[]) =>
    list.reduce((s, r) => s + r.messages, 0) / list.reduce((s, r) => s + r.seconds, 0);
  const withRate = pooled(results.with);
  const withoutRate = pooled(results.without);
  const cpuPer = (list: CreatesRound[]) =>
    list.reduce((s, r) => s + r.server_cpu_ms * r.messages, 0) /
    Math.max(
      1,
      list.reduce((s, r) => s + r.messages, 0),
    );
  rows.push({
    round: 'pooled',
    index: `with / without: ${ratio(withRate, withoutRate)} (goal: at least 0.85)`,
    clients: senders.length,
    messages: null,
    failed: null,
    seconds: null,
    perSecond: `${round(withRate, 1)} / ${round(withoutRate, 1)}`,
    server_cpu_ms: `${round(cpuPer(results.with), 2)} / ${round(cpuPer(results.without), 2)}`,
  });
  return rows;
}

async function main(): Promise<void> {
  ensureBackendBuilt();
  // A copy of the server as built now, with its migrations and hooks beside it as in backend/ (the
  // program finds them from its own path): other work in the tree may rebuild backend/bin/pocketbase
  // while this runs, and every server of the run (and the rebuild) must be the same program.
  const dir = mkdtempSync(join(tmpdir(), 'palaver-search-bin-'));
  for (const part of ['pb_migrations', 'pb_hooks'])
    cpSync(join(backendDir, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, 'bin'));
  BINARY.path = join(dir, 'bin', 'pocketbase');
  copyFileSync(serverBinary, BINARY.path);
  chmodSync(BINARY.path, 0o755);
  BINARY.version = spawnSync(BINARY.path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const started = Date.now();
  const loadAtStart = loadavg().map((x) => round(x, 2));
  const results: Array<SizeResult & { creates?: Row[] }> = [];
  for (const [index, size] of SIZES.entries()) {
    results.push(await measureSize(size, index, index === SIZES.length - 1));
  }
  const load = results.flatMap((r) => r.load);
  const loadAverage = {
    atStart: loadAtStart,
    duringTimedRequests: load.length ? { min: round(Math.min(...load), 2), max: round(Math.max(...load), 2) } : null,
    atEnd: loadavg().map((x) => round(x, 2)),
  };
  const note =
    'Load generator (one Node SDK client, one request at a time) on the same 2 cores as the server, which other work shared: see loadAverage.';
  report(
    'search',
    `Search, page 1 of ${PER_PAGE}, as a member of ${MEMBER_ROOMS} rooms: client round trip on loopback, ms (load generator on the same 2 cores as the server)`,
    results.flatMap((r) => r.rows),
    {
      loadAverage,
      seconds: Math.round((Date.now() - started) / 1000),
      seeding: results.map((r) => r.seeding),
      space: results.map((r) => ({ size: r.seeding.size, fileMiB: r.fileMiB, parts: r.space })),
      schema: results.at(-1)?.schema,
      config: {
        sizes: SIZES,
        rooms: ROOMS,
        users: USERS,
        memberRooms: MEMBER_ROOMS,
        runs: RUNS,
        naiveRuns: NAIVE_RUNS,
      },
      goal: GOAL,
      server: BINARY.version,
      note,
    },
  );
  for (const r of results) {
    console.log(`\nspace at ${Number(r.seeding.size).toLocaleString('en')} messages (file ${r.fileMiB} MiB):`);
    console.table(r.space.map(({ part, MiB, pages }) => ({ part, MiB, pages })));
  }
  const creates = results.at(-1)?.creates;
  if (creates) {
    report(
      'search-creates',
      `Creates per second through the API, ${CREATE_CLIENTS} clients, with the search index's triggers and without (same data dir, triggers dropped), at ${Number(results.at(-1)!.seeding.size).toLocaleString('en')} messages (load generator on the same 2 cores as the server)`,
      creates,
      { loadAverage, note },
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
