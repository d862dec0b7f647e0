// History at scale: how long the server takes to answer the client's history queries when the messages
// table holds 10k, 100k and 1M messages (1,000 rooms, 10,000 users), through the real HTTP API as a
// signed-in reader, so the messages list rule applies.
//
//   npx tsx bench/history.ts
//   PALAVER_HISTORY_SIZES=10000,100000 PALAVER_HISTORY_RUNS=100 npx tsx bench/history.ts
//
// Queries, exactly as the client sends them (src-renderer/src/lib/history.ts, chat.svelte.ts), each with
// expand=user:
//   newest           the newest page of a room: room = X, sort -created,-id, 50, skipTotal
//   older            the page before a cursor from the middle of a room's history (created, id)
//   after-room       messages after T in one room (at least one): room = X && created > T,
//                    sort created,id, 200
//   after-all        gap recovery across rooms: updated >= T, sort updated,id, 200 (recover())
//   newest-busiest   the newest page of the busiest room the reader can read (always 50 rows: the
//                    cleanest check that cost is flat in table size)
//   after-room-empty after-room with nothing new (ours only): PocketBase's empty-result throttle
// Rooms are drawn uniformly from the rooms the reader can read; T for after-all is 5 min to 6 h ago.
//
// Variants, each its own server on its own copy of the same seeded data.db, all running side by side;
// requests take turns across them (the machine's other load falls on every variant alike):
//   naive             without our indexes (idx_messages_room_created, idx_messages_updated) and without
//                     skipTotal (the SDK's default COUNT)
//   ours              the schema as backend/pb_migrations makes it; the client's requests (skipTotal)
//   ours-idx_updated  ours without idx_messages_updated (updated, id): what that index buys
//   proposed          ours (with both indexes) and the read rule checking membership without joining
//                     every member of the room (bench/history-migrations.ts)
//   proposed-stale    proposed, with the planner statistics PocketBase leaves from migration time
// Indexes are dropped from a variant's copy with sqlite3; what a variant adds (the read rule, and the
// updated index where backend/ lacks it) are PocketBase migrations that its server applies from its own
// copy of pb_migrations as it starts: what is measured is what PocketBase makes of the migration text.
// Nothing in backend/ changes. Only naive, ours and proposed run at every size; all of them at
// PALAVER_HISTORY_DETAIL_SIZES (default: the largest). A variant stops taking turns in a query once
// its requests have taken PALAVER_HISTORY_CELL_SECONDS (12) and it has at least 10.
// Planner statistics: PocketBase runs PRAGMA optimize when migrations change tables (when they are
// nearly empty) and nightly; the seed runs ANALYZE, the state a live server reaches after its nightly
// optimize has seen the tables grow. proposed-stale shows what the stale statistics cost.
//
// Timing: p50/p99/max are PocketBase's own execution time per request (data.execTime of the request
// log, read from /api/logs as the superuser): from the router's first middleware to the handler's end,
// without the loopback round trip and the client's JSON parsing. client_* is the SDK round trip.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { backendDir, ensureBackendBuilt } from '../scripts/backend-build.ts';
import { DeadlineError, deadlines } from './lib/deadline.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';
import {
  PROPOSED_READ_RULE,
  READ_RULE_MIGRATION,
  SHIPPED_READ_RULE,
  UPDATED_INDEX_MIGRATION,
} from './history-migrations.ts';
import {
  indexSql,
  pbDate,
  prng,
  seed,
  sqliteExec,
  sqliteJson,
  type SeededData,
  type SeededRoom,
} from './history-seed.ts';

// ------------------------------------------------------------------------------------------------
// Configuration

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}

const SIZES = (process.env.PALAVER_HISTORY_SIZES ?? '10000,100000,1000000')
  .split(',')
  .map((s) => Number(s.trim().replace(/_/g, '')))
  .filter((n) => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`PALAVER_HISTORY_SIZES: ${n} is not a message count`);
    return true;
  });
const ROOMS = envNumber('PALAVER_HISTORY_ROOMS', 1000);
const USERS = envNumber('PALAVER_HISTORY_USERS', 10_000);
/** Requests per query kind and variant (fewer if the cell's time budget runs out first). */
const RUNS = envNumber('PALAVER_HISTORY_RUNS', 200);
const BUSIEST_RUNS = Math.min(RUNS, 50);
/**
 * after-room-empty: PocketBase sleeps a random 0-500 ms before answering a signed-in list request with
 * a filter that found nothing, once there were more than 3 such in 3 s (apis/record_crud.go,
 * randomizedThrottle): a timing-attack guard that a per-room "anything new?" sweep runs into. Measured
 * for ours only, on its own, so it does not hide in the other queries' percentiles.
 */
const EMPTY_RUNS = Math.min(RUNS, 30);
/** Time budget of one (size, query, variant) cell, summed over its requests; at least MIN_RUNS are made. */
const CELL_BUDGET_MS = envNumber('PALAVER_HISTORY_CELL_SECONDS', 12) * 1000;
const MIN_RUNS = 10;
/** Unmeasured requests before each cell: up to this many, for at most WARMUP_MS. */
const WARMUP = 10;
const WARMUP_MS = 2_000;
/**
 * Without the room index, SQLite joins every matching row to its room's members before it sorts
 * (then again for the COUNT): a naive request whose rows x members exceed this is not made (it would
 * take from seconds to minutes each). Skipping only the heaviest inputs makes naive look better than it
 * is: its ratios are lower bounds.
 */
const NAIVE_CAP = envNumber('PALAVER_HISTORY_NAIVE_CAP', 2_000_000);
const GOAL_MS = 10;
/** Sizes at which every variant is measured; at the others only naive, ours and proposed. Default: the largest size. */
const DETAIL_SIZES = (process.env.PALAVER_HISTORY_DETAIL_SIZES ?? String(Math.max(...SIZES)))
  .split(',')
  .map((s) => Number(s.trim().replace(/_/g, '')));

const deadline = deadlines('history');
/**
 * Deadline of one size (seeding, every variant's server, every query): generous for a busy machine,
 * so only a wait that will never end hits it. PALAVER_HISTORY_SIZE_DEADLINE_S overrides it.
 */
const sizeDeadlineMs = (size: number) => envNumber('PALAVER_HISTORY_SIZE_DEADLINE_S', 300 + size * 0.0015) * 1000;
/** PocketBase writes its request log in batches: of 200, or 3 s after the last request. */
const REQUEST_LOG_MS = 15_000;

const READER = { email: 'reader@bench.palaver.test', username: 'reader', password: 'reader-password-1' };

type QueryKind = 'newest' | 'older' | 'after-room' | 'after-all' | 'newest-busiest' | 'after-room-empty';
const QUERY_KINDS: QueryKind[] = ['newest', 'older', 'after-room', 'after-all', 'newest-busiest', 'after-room-empty'];
type Variant = 'naive' | 'ours' | 'ours-idx_updated' | 'proposed' | 'proposed-stale';

interface QueryInput {
  filter: string;
  sort: string;
  perPage: number;
  /** Rows SQLite joins to room members for this request without the room index and with COUNT. */
  naiveWork: number;
}

interface Sample {
  input: number;
  tag: string;
  clientMs: number;
  serverMs?: number;
  items: number;
  ids: string;
}

interface Cell {
  size: number;
  query: QueryKind;
  variant: Variant;
  samples: Sample[];
  skipped: number;
  unrun: number;
}

// ------------------------------------------------------------------------------------------------
// Clean-up, also on Ctrl-C and on errors

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      console.error('clean-up:', (error as Error).message);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and removing their data dirs ...`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// Inputs: the same random rooms, cursors and moments for every variant

function buildInputs(pb: PocketBase, data: SeededData, seedValue: number): Record<QueryKind, QueryInput[]> {
  const random = prng(seedValue);
  const { ids, created, updated, room } = data.messages;
  const readable = data.rooms.filter((r) => r.readable && r.history.length > 0);
  const withOlder = readable.filter((r) => r.history.length > 51);
  if (readable.length === 0) throw new Error('the reader can read no room with messages');
  const perMessage = (r: SeededRoom) => Math.max(1, r.members); // json_each rows per message row
  const any = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const count = RUNS + WARMUP;

  const newest = (r: SeededRoom): QueryInput => ({
    filter: pb.filter('room = {:room}', { room: r.id }),
    sort: '-created,-id',
    perPage: 50,
    naiveWork: 2 * r.history.length * perMessage(r),
  });

  const older: QueryInput[] = [];
  for (let i = 0; i < count && withOlder.length; i++) {
    const r = any(withOlder);
    // The oldest loaded message: anywhere from just past the newest page back to the second message.
    const position = 1 + Math.floor(random() * (r.history.length - 51));
    const cursor = r.history[position]!;
    older.push({
      filter: pb.filter('room = {:room} && (created < {:created} || (created = {:created} && id < {:id}))', {
        room: r.id,
        created: pbDate(created[cursor]!),
        id: ids[cursor]!,
      }),
      sort: '-created,-id',
      perPage: 50,
      naiveWork: 2 * position * perMessage(r),
    });
  }

  // Somewhere in the room's last 300 messages, so at least one is newer: a client that was away for a
  // while. (An empty answer is another matter: PocketBase throttles those, see afterRoomEmpty.)
  const afterRoom: QueryInput[] = [];
  const withTwo = readable.filter((r) => r.history.length > 1);
  for (let i = 0; i < count; i++) {
    const r = any(withTwo);
    const back = 1 + Math.floor(random() * Math.min(300, r.history.length - 1));
    const position = r.history.length - 1 - back;
    afterRoom.push({
      filter: pb.filter('room = {:room} && created > {:t}', { room: r.id, t: pbDate(created[r.history[position]!]!) }),
      sort: 'created,id',
      perPage: 200,
      naiveWork: 2 * back * perMessage(r),
    });
  }
  // Nothing new in the room since its newest message.
  const afterRoomEmpty = Array.from({ length: EMPTY_RUNS + WARMUP }, () => {
    const r = any(readable);
    return {
      filter: pb.filter('room = {:room} && created > {:t}', { room: r.id, t: pbDate(created[r.history.at(-1)!]!) }),
      sort: 'created,id',
      perPage: 200,
      naiveWork: 0,
    };
  });

  // Rows changed at or after T, each joined to its room's members: suffix sums over `updated` order.
  const byUpdated = Array.from(ids.keys()).sort((a, b) => updated[a]! - updated[b]!);
  const suffixWork = new Float64Array(byUpdated.length + 1);
  for (let k = byUpdated.length - 1; k >= 0; k--)
    suffixWork[k] = suffixWork[k + 1]! + perMessage(data.rooms[room[byUpdated[k]!]!]!);
  const firstAtOrAfter = (t: number) => {
    let lo = 0;
    let hi = byUpdated.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (updated[byUpdated[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const afterAll: QueryInput[] = [];
  for (let i = 0; i < count; i++) {
    const t = Math.floor(data.endMs - (5 * 60_000 + random() * (6 * 3_600_000 - 5 * 60_000)));
    afterAll.push({
      filter: pb.filter('updated >= {:t}', { t: pbDate(t) }),
      sort: 'updated,id',
      perPage: 200,
      naiveWork: 2 * suffixWork[firstAtOrAfter(t)]!,
    });
  }

  const busiest = readable.reduce((a, b) => (b.history.length > a.history.length ? b : a));
  return {
    newest: Array.from({ length: count }, () => newest(any(readable))),
    older,
    'after-room': afterRoom,
    'after-all': afterAll,
    'newest-busiest': Array.from({ length: BUSIEST_RUNS + WARMUP }, () => newest(busiest)),
    'after-room-empty': afterRoomEmpty,
  };
}

// ------------------------------------------------------------------------------------------------
// Measuring: every variant has its own server on its own copy of the seeded data, all running at once;
// the requests take turns across the variants (input i to each, in rotating order), so whatever else the
// machine is doing weighs on every variant alike.

interface VariantSpec {
  variant: Variant;
  /** Measured only at DETAIL_SIZES. */
  detailOnly?: boolean;
  skipTotal: boolean;
  /** Inputs with more naive work than this are not requested. */
  cap: number;
  /**
   * The schema wanted, whatever backend/pb_migrations ships today (absent: as shipped). An index that
   * must go is dropped from the copy with sqlite3; one that must be there and is not comes from its
   * migration; the proposed rule comes from its migration.
   */
  roomIndex?: boolean;
  updatedIndex?: boolean;
  rule?: 'shipped' | 'proposed';
  staleStats?: boolean;
}

const ROOM_INDEX = 'idx_messages_room_created';

const VARIANTS: VariantSpec[] = [
  { variant: 'ours', skipTotal: true, cap: Infinity },
  { variant: 'naive', skipTotal: false, cap: NAIVE_CAP, roomIndex: false, updatedIndex: false, rule: 'shipped' },
  { variant: 'ours-idx_updated', detailOnly: true, skipTotal: true, cap: Infinity, updatedIndex: false },
  { variant: 'proposed', skipTotal: true, cap: Infinity, roomIndex: true, updatedIndex: true, rule: 'proposed' },
  {
    variant: 'proposed-stale',
    detailOnly: true,
    skipTotal: true,
    cap: Infinity,
    roomIndex: true,
    updatedIndex: true,
    rule: 'proposed',
    staleStats: true,
  },
];

interface Running {
  spec: VariantSpec;
  server: TestServer;
  reader: PocketBase;
  tag: string;
}

function request(target: Running, input: QueryInput, tag?: string) {
  return target.reader.collection('messages').getList(1, input.perPage, {
    filter: input.filter,
    sort: input.sort,
    expand: 'user',
    skipTotal: target.spec.skipTotal,
    requestKey: null,
    ...(tag ? { query: { bench: tag } } : {}),
  });
}

/** One query kind across the variants, interleaved; returns one cell per variant. */
async function measureKind(
  size: number,
  kind: QueryKind,
  kindIndex: number,
  targets: Running[],
  inputs: QueryInput[],
  runs: number,
): Promise<Cell[]> {
  const state = targets.map((target) => ({ target, samples: [] as Sample[], skipped: 0, unrun: 0, spentMs: 0 }));

  // Warm-up on inputs that are not measured (caches after a start, the JS hook pool).
  for (const { target } of state) {
    const started = performance.now();
    for (const input of inputs
      .slice(runs)
      .filter((i) => i.naiveWork <= target.spec.cap)
      .slice(0, WARMUP)) {
      if (performance.now() - started > WARMUP_MS) break;
      await request(target, input);
    }
  }

  for (let i = 0; i < Math.min(runs, inputs.length); i++) {
    const input = inputs[i]!;
    for (let k = 0; k < state.length; k++) {
      const s = state[(i + k) % state.length]!;
      if (input.naiveWork > s.target.spec.cap) {
        s.skipped++;
        continue;
      }
      if (s.spentMs > CELL_BUDGET_MS && s.samples.length >= MIN_RUNS) {
        s.unrun++;
        continue;
      }
      const tag = `${s.target.tag}x${kindIndex}x${i}`;
      const t0 = performance.now();
      const list = await request(s.target, input, tag);
      const clientMs = performance.now() - t0;
      s.spentMs += clientMs;
      s.samples.push({ input: i, tag, clientMs, items: list.items.length, ids: list.items.map((m) => m.id).join(',') });
    }
  }
  return state.map((s) => ({
    size,
    query: kind,
    variant: s.target.spec.variant,
    samples: s.samples,
    skipped: s.skipped,
    unrun: s.unrun,
  }));
}

/** A superuser client of its own (the server's cached one may hold a token of the data.db replaced since). */
async function superuser(server: TestServer): Promise<PocketBase> {
  const admin = new PocketBase(server.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(server.superuser.email, server.superuser.password);
  return admin;
}

/** PocketBase's own execution time of each tagged request, from its request log. */
async function attachServerTimes(server: TestServer, phaseTag: string, samples: Sample[]): Promise<void> {
  const want = new Map(samples.map((s) => [s.tag, s]));
  if (want.size === 0) return;
  const admin = await superuser(server);
  const found = () => samples.filter((s) => s.serverMs !== undefined).length;
  const readLog = async () => {
    for (let page = 1; ; page++) {
      const list = await admin.logs.getList(page, 1000, {
        filter: admin.filter('data.url ~ {:tag}', { tag: `bench=${phaseTag}x` }),
        skipTotal: true,
        requestKey: null,
      });
      for (const log of list.items) {
        const match = /[?&]bench=([A-Za-z0-9]+)/.exec(String(log.data?.url ?? ''));
        const sample = match ? want.get(match[1]!) : undefined;
        if (sample && typeof log.data?.execTime === 'number') sample.serverMs = log.data.execTime;
      }
      if (list.items.length < 1000) break;
    }
    return found();
  };
  try {
    await deadline.poll(
      `${samples.length} requests of ${phaseTag} in the request log`,
      REQUEST_LOG_MS,
      readLog,
      (n) => n === samples.length,
      { intervalMs: 1_000 },
    );
  } catch (error) {
    // A few requests missing from the log leave the other samples measured: say so, go on.
    if (!(error instanceof DeadlineError)) throw error;
    console.warn(
      `  ! ${samples.length - found()} of ${samples.length} requests of ${phaseTag} are missing from the request log (${error.message})`,
    );
  }
}

// ------------------------------------------------------------------------------------------------
// Checks that every variant answers the same, and that the rule still keeps private rooms private

interface RuleCheck {
  memberRoomVisible: boolean;
  otherPrivateRoomHidden: boolean;
  signedOutSeesNoPrivate: boolean;
}

async function checkRule(server: TestServer, reader: PocketBase, data: SeededData): Promise<RuleCheck> {
  const smallest = (list: SeededRoom[]) =>
    list.filter((r) => r.history.length > 0).sort((a, b) => a.history.length - b.history.length)[0];
  const memberRoom = smallest(data.rooms.filter((r) => r.kind !== 'public' && r.readable));
  const otherRoom = smallest(data.rooms.filter((r) => r.kind !== 'public' && !r.readable));
  const anonymous = new PocketBase(server.url);
  anonymous.autoCancellation(false);
  const page = (client: PocketBase, r: SeededRoom) =>
    client.collection('messages').getList(1, 50, {
      filter: client.filter('room = {:room}', { room: r.id }),
      sort: '-created,-id',
      skipTotal: true,
      requestKey: null,
    });
  return {
    memberRoomVisible: memberRoom ? (await page(reader, memberRoom)).items.length > 0 : true,
    otherPrivateRoomHidden: otherRoom ? (await page(reader, otherRoom)).items.length === 0 : true,
    signedOutSeesNoPrivate: memberRoom ? (await page(anonymous, memberRoom)).items.length === 0 : true,
  };
}

// ------------------------------------------------------------------------------------------------
// One size: seed, then every variant

interface SizeResult {
  cells: Cell[];
  seedInfo: Row;
  ruleChecks: Record<string, RuleCheck>;
  schemaChecks: Record<string, Record<string, boolean | string>>;
  shippedUpdatedIndex: boolean;
}

function analyze(db: string): number {
  const t0 = performance.now();
  sqliteExec(db, 'ANALYZE;');
  return performance.now() - t0;
}

async function runSize(size: number, sizeIndex: number): Promise<SizeResult> {
  console.log(`\n=== ${size.toLocaleString('en')} messages, ${ROOMS} rooms, ${USERS} users`);
  const detail = DETAIL_SIZES.includes(size);
  const specs = VARIANTS.filter((v) => detail || !v.detailOnly);
  const started: Array<{ server: TestServer; dirs: string[] }> = [];
  const stopAll = async () => {
    for (const { server, dirs } of started.splice(0)) {
      await server.stop().catch((error: Error) => console.error('stop:', error.message));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  };
  cleanups.push(stopAll);

  /** A server with its own copies of pb_migrations (plus extra ones) and pb_hooks. */
  const startVariantServer = async () => {
    const migrationsDir = mkdtempSync(join(tmpdir(), 'palaver-history-migrations-'));
    const hooksDir = mkdtempSync(join(tmpdir(), 'palaver-history-hooks-'));
    try {
      for (const [from, to] of [
        [join(backendDir, 'pb_migrations'), migrationsDir],
        [join(backendDir, 'pb_hooks'), hooksDir],
      ] as const) {
        for (const file of readdirSync(from)) if (file.endsWith('.js')) copyFileSync(join(from, file), join(to, file));
      }
      const server = await startTestServer({ serveArgs: ['--migrationsDir', migrationsDir, '--hooksDir', hooksDir] });
      started.push({ server, dirs: [migrationsDir, hooksDir] });
      return { server, migrationsDir };
    } catch (error) {
      for (const dir of [migrationsDir, hooksDir]) rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  };

  try {
    // --- seed once, on the server that stays "ours"
    const base = await startVariantServer();
    const baseDb = join(base.server.dataDir, 'data.db');
    const admin = await base.server.admin();
    const readerRecord = await admin
      .collection('users')
      .create({ ...READER, passwordConfirm: READER.password, verified: true });
    await base.server.kill();

    const general = sqliteJson<{ id: string }>(baseDb, 'SELECT id FROM rooms;').map((r) => r.id);
    const passwordHash = sqliteJson<{ password: string }>(
      baseDb,
      `SELECT password FROM users WHERE id = '${readerRecord.id}';`,
    )[0]!.password;
    const t0 = performance.now();
    const data = await seed(base.server.dataDir, {
      messages: size,
      rooms: ROOMS,
      users: USERS,
      existingUserIds: [readerRecord.id as string],
      readerId: readerRecord.id as string,
      existingRoomIds: general,
      passwordHash,
      seed: 1000 + sizeIndex,
    });
    const seedMs = performance.now() - t0;
    const staleStats = sqliteJson<{ tbl: string; idx: string | null; stat: string }>(
      baseDb,
      'SELECT tbl, idx, stat FROM sqlite_stat1;',
    );
    const analyzeMs = analyze(baseDb);
    const shipped = {
      roomIndex: indexSql(baseDb, ROOM_INDEX) !== null,
      updatedIndex: indexSql(baseDb, UPDATED_INDEX_MIGRATION.index) !== null,
      rule: sqliteJson<{ listRule: string }>(baseDb, "SELECT listRule FROM _collections WHERE name = 'messages';")[0]
        ?.listRule,
    };
    if (shipped.rule !== SHIPPED_READ_RULE)
      console.warn(
        `  ! the shipped messages list rule is not the one bench/history-migrations.ts knows: ${shipped.rule}`,
      );
    const readable = data.rooms.filter((r) => r.readable && r.history.length > 0);
    const busiest = readable.reduce((a, b) => (b.history.length > a.history.length ? b : a));
    const seedInfo: Row = {
      size,
      seed_s: round(seedMs / 1000, 1),
      analyze_s: round(analyzeMs / 1000, 1),
      db_MiB: round(statSync(baseDb).size / 2 ** 20, 0),
      history_days: round((data.endMs - data.startMs) / 86_400_000, 1),
      rooms_public: data.rooms.filter((r) => r.kind === 'public').length,
      rooms_private: data.rooms.filter((r) => r.kind === 'private').length,
      rooms_direct: data.rooms.filter((r) => r.kind === 'direct').length,
      rooms_readable: readable.length,
      busiest_room_msgs: busiest.history.length,
      busiest_room_members: busiest.members,
      median_room_msgs: [...data.rooms].map((r) => r.history.length).sort((a, b) => a - b)[
        Math.floor(data.rooms.length / 2)
      ]!,
    };
    console.log(`seeded in ${seedInfo.seed_s} s (ANALYZE ${seedInfo.analyze_s} s), data.db ${seedInfo.db_MiB} MiB`);

    // --- every other variant: a fresh server, given a copy of the seeded data.db, then its changes
    const schemaChecks: Record<string, Record<string, boolean | string>> = {};
    const targets: Running[] = [];
    const prepared: Array<{ spec: VariantSpec; server: TestServer }> = [{ spec: VARIANTS[0]!, server: base.server }];
    for (const spec of specs.slice(1)) {
      const t1 = performance.now();
      const { server, migrationsDir } = await startVariantServer();
      await server.kill();
      const db = join(server.dataDir, 'data.db');
      for (const suffix of ['-wal', '-shm']) rmSync(db + suffix, { force: true });
      copyFileSync(baseDb, db);
      const migrations: Array<{ file: string; text: string }> = [];
      if (spec.roomIndex === false) sqliteExec(db, `DROP INDEX IF EXISTS \`${ROOM_INDEX}\`;`);
      // The unread counts' index (migration 1795700122) starts with the same columns: naive has neither.
      if (spec.roomIndex === false) sqliteExec(db, 'DROP INDEX IF EXISTS `idx_messages_room_unread`;');
      if (spec.roomIndex === true && !shipped.roomIndex)
        throw new Error(`the shipped schema has no ${ROOM_INDEX}: update bench/history.ts`);
      if (spec.updatedIndex === false) sqliteExec(db, `DROP INDEX IF EXISTS \`${UPDATED_INDEX_MIGRATION.index}\`;`);
      if (spec.updatedIndex === true && !shipped.updatedIndex) migrations.push(UPDATED_INDEX_MIGRATION);
      if (spec.rule === 'proposed') migrations.push(READ_RULE_MIGRATION);
      for (const migration of migrations) writeFileSync(join(migrationsDir, migration.file), migration.text);
      if (migrations.length) {
        // PocketBase applies the migrations as it starts; then the statistics are set as for the others.
        await server.restart();
        await server.kill();
      }
      if (spec.staleStats) {
        const rows = staleStats.map(
          (s) =>
            `(${[s.tbl, s.idx, s.stat].map((v) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`)).join(',')})`,
        );
        const hasStat4 = sqliteJson(db, "SELECT 1 AS x FROM sqlite_master WHERE name = 'sqlite_stat4';").length > 0;
        sqliteExec(
          db,
          `DELETE FROM sqlite_stat1; ${rows.length ? `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ${rows.join(',')};` : ''} ${hasStat4 ? 'DELETE FROM sqlite_stat4;' : ''}`,
        );
      } else {
        analyze(db);
      }
      const rules = sqliteJson<{ listRule: string; viewRule: string }>(
        db,
        "SELECT listRule, viewRule FROM _collections WHERE name = 'messages';",
      )[0];
      schemaChecks[spec.variant] = {
        roomIndex: indexSql(db, ROOM_INDEX) !== null,
        updatedIndex: indexSql(db, UPDATED_INDEX_MIGRATION.index) ?? false,
        readRule:
          rules?.listRule === PROPOSED_READ_RULE && rules.viewRule === PROPOSED_READ_RULE
            ? 'proposed'
            : rules?.listRule === SHIPPED_READ_RULE
              ? 'shipped'
              : `other: ${rules?.listRule}`,
      };
      await server.restart();
      prepared.push({ spec, server });
      console.log(`  ${spec.variant} ready (${round((performance.now() - t1) / 1000, 1)} s)`);
    }
    await base.server.restart();
    schemaChecks.ours = {
      roomIndex: indexSql(baseDb, ROOM_INDEX) !== null,
      updatedIndex: indexSql(baseDb, UPDATED_INDEX_MIGRATION.index) ?? false,
      readRule:
        sqliteJson<{ listRule: string }>(baseDb, "SELECT listRule FROM _collections WHERE name = 'messages';")[0]
          ?.listRule === SHIPPED_READ_RULE
          ? 'shipped'
          : 'other',
    };
    for (const [index, { spec, server }] of prepared.entries()) {
      const reader = new PocketBase(server.url);
      reader.autoCancellation(false);
      await reader.collection('users').authWithPassword(READER.username, READER.password);
      targets.push({ spec, server, reader, tag: `S${sizeIndex}v${index}` });
    }

    // --- the measurements, interleaved across the variants
    const inputs = buildInputs(targets[0]!.reader, data, 77 + sizeIndex);
    const cells: Cell[] = [];
    for (const [kindIndex, kind] of QUERY_KINDS.entries()) {
      const t1 = performance.now();
      const runs = kind === 'newest-busiest' ? BUSIEST_RUNS : kind === 'after-room-empty' ? EMPTY_RUNS : RUNS;
      const kindTargets = kind === 'after-room-empty' ? targets.filter((t) => t.spec.variant === 'ours') : targets;
      const kindCells = await measureKind(size, kind, kindIndex, kindTargets, inputs[kind], runs);
      cells.push(...kindCells);
      const line = kindCells.map((c) => {
        const notes = [c.skipped ? `${c.skipped} too heavy` : '', c.unrun ? `${c.unrun} over budget` : '']
          .filter(Boolean)
          .join(', ');
        return `${c.variant} ${c.samples.length}x ${round(summarize(c.samples.map((x) => x.clientMs)).p50, 1)} ms${notes ? ` (${notes})` : ''}`;
      });
      console.log(`  ${kind} (${round((performance.now() - t1) / 1000, 1)} s): ${line.join('; ')}`);
    }

    // --- server times from each server's request log (written in batches: of 200, or 3 s after the last)
    await sleep(3_300);
    for (const target of targets) {
      await attachServerTimes(
        target.server,
        target.tag,
        cells.filter((c) => c.variant === target.spec.variant).flatMap((c) => c.samples),
      );
    }
    if (process.env.PALAVER_HISTORY_DEBUG) {
      for (const cell of cells) {
        const slowest = [...cell.samples].sort((a, b) => (b.serverMs ?? 0) - (a.serverMs ?? 0)).slice(0, 3);
        for (const s of slowest)
          console.log(
            `  slow ${cell.variant} ${cell.query} #${s.input}: server ${round(s.serverMs ?? NaN)} ms, client ${round(s.clientMs)} ms, ${s.items} rows: ${inputs[cell.query][s.input]!.filter}`,
          );
      }
    }

    const ruleChecks: Record<string, RuleCheck> = {};
    for (const target of targets) ruleChecks[target.spec.variant] = await checkRule(target.server, target.reader, data);
    return { cells, seedInfo, ruleChecks, schemaChecks, shippedUpdatedIndex: shipped.updatedIndex };
  } finally {
    cleanups.splice(cleanups.indexOf(stopAll), 1);
    await stopAll();
  }
}

// ------------------------------------------------------------------------------------------------
// Tables

function stats(samples: Sample[], pick: (s: Sample) => number | undefined) {
  return summarize(samples.map(pick).filter((x): x is number => x !== undefined));
}

const serverMs = (s: Sample) => s.serverMs;
const clientMs = (s: Sample) => s.clientMs;

function resultRows(cells: Cell[]): Row[] {
  return cells.map((cell) => {
    const server = stats(cell.samples, serverMs);
    const client = stats(cell.samples, clientMs);
    const ours = cells.find((c) => c.size === cell.size && c.query === cell.query && c.variant === 'ours');
    let differing = 0;
    if (ours && cell !== ours) {
      const byInput = new Map(ours.samples.map((s) => [s.input, s.ids]));
      differing = cell.samples.filter((s) => byInput.has(s.input) && byInput.get(s.input) !== s.ids).length;
    }
    return {
      size: cell.size,
      query: cell.query,
      variant: cell.variant,
      runs: cell.samples.length,
      p50_ms: round(server.p50),
      p99_ms: round(server.p99),
      max_ms: round(server.max),
      client_p50_ms: round(client.p50),
      client_p99_ms: round(client.p99),
      rows_avg: round(cell.samples.reduce((sum, s) => sum + s.items, 0) / (cell.samples.length || 1), 1),
      skipped_heavy: cell.skipped,
      same_as_ours: cell.variant === 'ours' ? '-' : differing === 0 ? 'yes' : `${differing} differ`,
    };
  });
}

function ratioRows(cells: Cell[]): Row[] {
  const rows: Row[] = [];
  const find = (size: number, query: QueryKind, variant: Variant) =>
    cells.find((c) => c.size === size && c.query === query && c.variant === variant);
  const compare = (
    size: number | string,
    query: QueryKind,
    label: string,
    slow: Sample[],
    fast: Sample[],
    on: string,
  ) => {
    const a = stats(slow, serverMs);
    const b = stats(fast, serverMs);
    if (a.n === 0 || b.n === 0) return;
    rows.push({ size, query, compare: label, p50_ratio: ratio(a.p50, b.p50), p99_ratio: ratio(a.p99, b.p99), on });
  };
  const sizes = [...new Set(cells.map((c) => c.size))];
  for (const size of sizes) {
    for (const query of QUERY_KINDS) {
      const ours = find(size, query, 'ours');
      const naive = find(size, query, 'naive');
      const noUpdated = find(size, query, 'ours-idx_updated');
      const proposed = find(size, query, 'proposed');
      const stale = find(size, query, 'proposed-stale');
      if (ours && naive) {
        // The same inputs on both sides: naive skips its heaviest ones.
        const ran = new Set(naive.samples.map((s) => s.input));
        compare(
          size,
          query,
          'naive / ours',
          naive.samples,
          ours.samples.filter((s) => ran.has(s.input)),
          `${ran.size} same inputs`,
        );
      }
      if (ours && noUpdated)
        compare(size, query, 'ours-idx_updated / ours', noUpdated.samples, ours.samples, 'all inputs');
      if (ours && proposed) compare(size, query, 'ours / proposed', ours.samples, proposed.samples, 'all inputs');
      if (stale && proposed)
        compare(size, query, 'proposed-stale / proposed', stale.samples, proposed.samples, 'all inputs');
    }
  }
  // Flatness: the same query at a larger table over the smallest table (1.0 is flat).
  const smallest = Math.min(...sizes);
  for (const size of sizes.filter((s) => s !== smallest)) {
    for (const variant of ['ours', 'proposed'] as const) {
      for (const query of QUERY_KINDS) {
        const big = find(size, query, variant);
        const small = find(smallest, query, variant);
        const rows = (c: Cell) => round(c.samples.reduce((sum, s) => sum + s.items, 0) / (c.samples.length || 1), 0);
        if (big && small)
          compare(
            `${size} vs ${smallest}`,
            query,
            `${variant} growth`,
            big.samples,
            small.samples,
            `rows/page ${rows(small)} -> ${rows(big)}`,
          );
      }
    }
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg().map((x) => round(x, 2));
  ensureBackendBuilt();
  const results: SizeResult[] = [];
  for (const [index, size] of SIZES.entries()) {
    results.push(
      await deadline.within(
        `${size.toLocaleString('en')} messages to be seeded and measured`,
        sizeDeadlineMs(size),
        runSize(size, index),
      ),
    );
  }

  const cells = results.flatMap((r) => r.cells);
  const rows = resultRows(cells);
  const goal = SIZES.map((size) => {
    const worst = (variant: Variant) =>
      Math.max(
        ...rows
          .filter((r) => r.size === size && r.variant === variant && r.query !== 'after-room-empty')
          .map((r) => Number(r.p99_ms)),
      );
    return {
      size,
      goal_ms: GOAL_MS,
      ours_worst_p99_ms: worst('ours'),
      proposed_worst_p99_ms: worst('proposed'),
      ours_meets: worst('ours') < GOAL_MS,
      proposed_meets: worst('proposed') < GOAL_MS,
    };
  });
  const seeding = results.map((r) => r.seedInfo);
  const checks = Object.fromEntries(results.map((r, i) => [SIZES[i], { rules: r.ruleChecks, schema: r.schemaChecks }]));
  const extra = {
    timing: 'p50/p99/max_ms: PocketBase request log data.execTime (server); client_*: SDK round trip on loopback',
    config: {
      sizes: SIZES,
      rooms: ROOMS,
      users: USERS,
      runs: RUNS,
      busiestRuns: BUSIEST_RUNS,
      cellBudgetSeconds: CELL_BUDGET_MS / 1000,
      naiveCap: NAIVE_CAP,
      shippedRule: SHIPPED_READ_RULE,
    },
    seeding,
    goal,
    checks,
    recommendedMigrations: results.every((r) => r.shippedUpdatedIndex)
      ? [READ_RULE_MIGRATION]
      : [UPDATED_INDEX_MIGRATION, READ_RULE_MIGRATION],
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => round(x, 2)) },
    seconds: round((performance.now() - started) / 1000, 0),
  };

  console.log('\nSeeding');
  console.table(seeding);
  report('history', 'History queries: server time (PocketBase request log execTime), ms', rows, extra);
  report('history-ratios', 'History ratios (server time): slower / faster, on the same inputs', ratioRows(cells), {
    timing: extra.timing,
  });
  console.log('\nGoal: every history query under 10 ms (p99, server time; after-room-empty aside)');
  console.table(goal);
  console.log('\nChecks (rules keep private rooms private; migrations applied as intended)');
  console.log(JSON.stringify(checks, null, 2));
  console.log(`\nhistory bench done in ${extra.seconds} s`);
}

main()
  .catch(async (error) => {
    console.error(error);
    process.exitCode = 1;
  })
  // Past a deadline the work that timed out may still hold sockets or a sqlite3 child: end here.
  .finally(() => cleanUp().then(() => process.exit(process.exitCode ?? 0)));
