// Seeds a stopped PocketBase data dir with users, rooms and messages straight into data.db through the
// sqlite3 CLI, in one transaction, in exactly the column formats PocketBase itself writes: 15-character
// [a-z0-9] ids, dates as '2026-11-26 13:54:37.559Z', a single relation as the raw id and a multiple one
// (rooms.members) as JSON array text. The schema must already exist (the migrations made it).
//
// The data is shaped like a chat, deterministically (a seeded PRNG):
// - messages arrive at a fixed overall rate (1,000,000 a year), with a day/night cycle, so a larger table
//   is a longer history and "what changed in the last hours" is the same amount of data at every size;
// - rooms are Zipf-popular (a few busy rooms, a long tail), mostly public, some private, some direct;
//   busier rooms have more members (up to the 1000 that rooms.members allows);
// - a few percent of messages were edited minutes to hours after they were written (updated > created).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { serverBinary } from '../scripts/backend-build.ts';

export interface SeedOptions {
  messages: number;
  rooms: number;
  users: number;
  /** Users that already exist (made through the API, e.g. the ones the bench signs in as). */
  existingUserIds: string[];
  /** The user the bench reads as: made a member of some private and direct rooms. */
  readerId: string;
  /** Rooms that already exist (the migration's "general"); counted in `rooms`. */
  existingRoomIds: string[];
  /** A valid password hash copied onto every seeded user (nobody signs in as them). */
  passwordHash: string;
  seed?: number;
  /** The newest message is this long before now. */
  endGapMs?: number;
  /**
   * Text appended to message i (search's rare words). A pure function of i: it draws nothing from the
   * seeded PRNG, so every other message, room and user is the same with or without it.
   */
  extraText?: (index: number) => string;
  /** The server program whose `search merge` indexes what the seed queued (default backend/bin/pocketbase). */
  serverBinary?: string;
}

export type RoomKind = 'public' | 'private' | 'direct';

export interface SeededRoom {
  id: string;
  kind: RoomKind;
  members: number;
  readable: boolean;
  /** Indexes into SeededData.messages, oldest first (created, then id). */
  history: number[];
}

export interface SeededData {
  userIds: string[];
  rooms: SeededRoom[];
  /** Message ids, created and updated (ms since epoch), room index; oldest first. */
  messages: { ids: string[]; created: Float64Array; updated: Float64Array; room: Uint16Array };
  startMs: number;
  endMs: number;
  sqlBytes: number;
  /** Seconds `pocketbase search merge` took to index the seeded messages; null when the build has no queue. */
  searchMergeS: number | null;
}

/** 1,000,000 messages a year, whatever the size: a bigger table is a longer history. */
export const MESSAGES_PER_MS = 1_000_000 / (365 * 86_400_000);

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** PocketBase's default record id shape: 15 characters of [a-z0-9]. */
export function idMaker(random: () => number, taken: Iterable<string> = []): () => string {
  const seen = new Set<string>(taken);
  return () => {
    for (;;) {
      let id = '';
      for (let i = 0; i < 15; i++) id += ID_ALPHABET[Math.floor(random() * 36)];
      if (!seen.has(id)) {
        seen.add(id);
        return id;
      }
    }
  };
}

function randomString(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[Math.floor(random() * 36)];
  return out;
}

/** PocketBase's stored date format. */
export function pbDate(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('T', ' ');
}

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Runs SQL through the sqlite3 CLI and returns the rows (-json). */
export function sqliteJson<T = Record<string, unknown>>(dbPath: string, sql: string): T[] {
  const result = spawnSync('sqlite3', ['-bail', '-json', dbPath], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.error) throw new Error(`sqlite3 could not run (apt-get install -y sqlite3): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}\nSQL: ${sql.slice(0, 500)}`);
  const out = result.stdout.trim();
  if (out === '') return [];
  // -json prints one array per statement that returns rows; join them.
  return JSON.parse(`[${out.replace(/\]\s*\[/g, '],[')}]`).flat() as T[];
}

/** Runs SQL for its effects through the sqlite3 CLI. */
export function sqliteExec(dbPath: string, sql: string): string {
  const result = spawnSync('sqlite3', ['-bail', dbPath], { input: sql, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.error) throw new Error(`sqlite3 could not run (apt-get install -y sqlite3): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}\nSQL: ${sql.slice(0, 500)}`);
  return result.stdout;
}

/** The CREATE INDEX statement PocketBase made for an index, to drop it and put it back exactly. */
export function indexSql(dbPath: string, name: string): string | null {
  const rows = sqliteJson<{ sql: string }>(
    dbPath,
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ${sqlText(name)};`,
  );
  return rows[0]?.sql ?? null;
}

export const WORDS = (
  'the a to and of in is it you that for on we this be with are have not just can do so my what at about ' +
  'was if but all get like there your out one will up when how now time think know yes no ok sure thanks ' +
  'good right see need today tomorrow meeting build deploy test review merge branch release fix bug issue ' +
  'server client room message chat coffee lunch later maybe done looks great idea plan week friday monday ' +
  'update ticket design spec doc link call sync shipping prod staging rollback flaky green red check again'
).split(' ');

function messageText(random: () => number): string {
  // Mostly short chat lines, a long tail of paragraphs (capped far below the 2000-character limit).
  const words = Math.min(250, 1 + Math.floor(-Math.log(1 - random()) * 8));
  let text = '';
  for (let i = 0; i < words; i++) text += (i ? ' ' : '') + WORDS[Math.floor(random() * WORDS.length)];
  return text;
}

function zipfCumulative(n: number, s: number): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cumulative[i]! /= sum;
  return cumulative;
}

function pick(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sample<T>(random: () => number, from: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, from.length)) chosen.add(Math.floor(random() * from.length));
  return [...chosen].map((i) => from[i]!);
}

/** Streams SQL into `sqlite3 <db>`; resolves when sqlite3 has committed and exited. */
class SqlPipe {
  private readonly child;
  private readonly done: Promise<void>;
  private buffer: string[] = [];
  private buffered = 0;
  bytes = 0;

  constructor(dbPath: string) {
    this.child = spawn('sqlite3', ['-bail', dbPath], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', (error) =>
        reject(new Error(`sqlite3 could not run (apt-get install -y sqlite3): ${error.message}`)),
      );
      this.child.on('exit', (code) =>
        code === 0 && stderr === '' ? resolve() : reject(new Error(`sqlite3 seeding failed (exit ${code}): ${stderr}`)),
      );
    });
    this.done.catch(() => undefined);
  }

  async write(sql: string): Promise<void> {
    this.buffer.push(sql);
    this.buffered += sql.length;
    if (this.buffered > 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    this.bytes += chunk.length;
    if (!this.child.stdin.write(chunk)) {
      await Promise.race([new Promise((r) => this.child.stdin.once('drain', r)), this.done]);
    }
  }

  async end(): Promise<void> {
    await this.flush();
    this.child.stdin.end();
    await this.done;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** Inserts rows `INSERT INTO table (cols) VALUES (...),(...)` 500 at a time. */
async function insertRows(pipe: SqlPipe, table: string, columns: string[], rows: Iterable<string>): Promise<void> {
  const head = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) VALUES\n`;
  let batch: string[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === 500) {
      await pipe.write(`${head}${batch.join(',\n')};\n`);
      batch = [];
    }
  }
  if (batch.length) await pipe.write(`${head}${batch.join(',\n')};\n`);
}

export async function seed(dataDir: string, options: SeedOptions): Promise<SeededData> {
  const dbPath = join(dataDir, 'data.db');
  const random = prng(options.seed ?? 20261126);
  const newId = idMaker(random, [...options.existingUserIds, ...options.existingRoomIds]);
  const endMs = Date.now() - (options.endGapMs ?? 60_000);
  const spanMs = options.messages / MESSAGES_PER_MS;
  const startMs = endMs - spanMs;

  // --- users: the existing ones first, then seeded ones (Zipf-active, created before history starts)
  const userIds = [...options.existingUserIds];
  while (userIds.length < options.users) userIds.push(newId());
  const seededUsers = userIds.slice(options.existingUserIds.length);
  const userCreated = seededUsers.map(() => startMs - random() * 90 * 86_400_000);

  // --- rooms: rank 0 is the busiest; kinds mostly public
  const roomCount = options.rooms;
  const roomIds = [...options.existingRoomIds];
  while (roomIds.length < roomCount) roomIds.push(newId());
  const kinds: RoomKind[] = roomIds.map((_, rank) => {
    if (rank < options.existingRoomIds.length) return 'public';
    const u = random();
    return u < 0.85 ? 'public' : u < 0.95 ? 'private' : 'direct';
  });
  const readerIndex = userIds.indexOf(options.readerId);
  const others = userIds.filter((id) => id !== options.readerId);
  const members: string[][] = kinds.map((kind, rank) => {
    const jitter = 0.5 + random();
    if (kind === 'direct') {
      const pair = sample(random, others, 2);
      // The reader is one side of about a fifth of the direct conversations.
      if (random() < 0.2) pair[0] = options.readerId;
      return pair;
    }
    const size =
      kind === 'public'
        ? Math.max(2, Math.min(1000, Math.round((1000 / Math.pow(rank + 1, 0.7)) * jitter)))
        : Math.max(3, Math.min(1000, Math.round((200 / Math.pow(rank + 1, 0.5)) * jitter)));
    const list = sample(random, others, size);
    // The reader is in half of the private rooms (the other half must stay unreadable) and a third of
    // the public ones (membership does not matter for reading those, but it is checked all the same).
    if (random() < (kind === 'private' ? 0.5 : 0.33)) list[list.length - 1] = options.readerId;
    return list;
  });
  void readerIndex;

  // --- messages: times at a fixed rate with a day/night cycle, then rooms, authors and edits
  const n = options.messages;
  const created = new Float64Array(n);
  for (let i = 0; i < n;) {
    const t = startMs + random() * spanMs;
    const hour = (t / 3_600_000) % 24;
    // Busiest mid-afternoon UTC, quietest at night: density between 0.15 and 1.
    if (random() < 0.575 + 0.425 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) created[i++] = Math.floor(t);
  }
  created.sort();
  const roomCumulative = zipfCumulative(roomCount, 0.9);
  const userCumulative = zipfCumulative(userIds.length, 0.8);
  const room = new Uint16Array(n);
  const updated = new Float64Array(n);
  const author: string[] = new Array(n);
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = pick(roomCumulative, random());
    room[i] = r;
    const roomMembers = members[r]!;
    author[i] =
      kinds[r] !== 'public' || random() < 0.7
        ? roomMembers[Math.floor(random() * roomMembers.length)]!
        : userIds[pick(userCumulative, random())]!;
    // 3% edited, a few minutes to a few hours later (never after the end of the history).
    updated[i] =
      random() < 0.03 ? Math.min(endMs, created[i]! + Math.floor(-Math.log(1 - random()) * 20 * 60_000)) : created[i]!;
    ids[i] = newId();
  }

  // Per-room histories in server order (created, then id).
  const histories: number[][] = roomIds.map(() => []);
  for (let i = 0; i < n; i++) histories[room[i]!]!.push(i);
  for (const history of histories) {
    history.sort((a, b) => created[a]! - created[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  }
  const roomCreated = histories.map(
    (history) => (history.length ? created[history[0]!]! : endMs) - random() * 7 * 86_400_000,
  );

  // --- the SQL: one transaction; indexes dropped during the load and rebuilt with PocketBase's own SQL
  const messageIndexes = ['idx_messages_room_created', 'idx_messages_user'].map((name) => {
    const sql = indexSql(dbPath, name);
    if (!sql) throw new Error(`${name} is missing from ${dbPath}: did the migrations run?`);
    return { name, sql };
  });
  const pipe = new SqlPipe(dbPath);
  try {
    await pipe.write('PRAGMA synchronous = OFF;\nPRAGMA cache_size = -1000000;\nPRAGMA temp_store = MEMORY;\nBEGIN;\n');
    for (const { name } of messageIndexes) await pipe.write(`DROP INDEX \`${name}\`;\n`);

    await insertRows(
      pipe,
      'users',
      [
        'avatar',
        'created',
        'email',
        'emailVisibility',
        'id',
        'name',
        'password',
        'tokenKey',
        'updated',
        'verified',
        'username',
      ],
      (function* () {
        for (let i = 0; i < seededUsers.length; i++) {
          const id = seededUsers[i]!;
          const date = sqlText(pbDate(userCreated[i]!));
          const tokenKey = sqlText(id + randomString(random, 35));
          yield `('',${date},'user${i}@bench.palaver.test',0,'${id}','Bench User ${i}',${sqlText(options.passwordHash)},${tokenKey},${date},1,'user${i}')`;
        }
      })(),
    );

    const roomRow = (r: number) => {
      const date = sqlText(pbDate(roomCreated[r]!));
      const owner = kinds[r] === 'public' && r === 0 ? '' : members[r]![0]!;
      const name = kinds[r] === 'direct' ? '' : `${kinds[r]}-room-${r}`;
      return { date, owner, name, members: sqlText(JSON.stringify(members[r])) };
    };
    for (let r = 0; r < options.existingRoomIds.length; r++) {
      const row = roomRow(r);
      await pipe.write(
        `UPDATE \`rooms\` SET \`members\` = ${row.members}, \`created\` = ${row.date}, \`updated\` = ${row.date} WHERE \`id\` = '${roomIds[r]}';\n`,
      );
    }
    await insertRows(
      pipe,
      'rooms',
      ['created', 'id', 'kind', 'members', 'name', 'owner', 'updated'],
      (function* () {
        for (let r = options.existingRoomIds.length; r < roomCount; r++) {
          const row = roomRow(r);
          yield `(${row.date},'${roomIds[r]}','${kinds[r]}',${row.members},'${row.name}','${row.owner}',${row.date})`;
        }
      })(),
    );

    // In arrival order, as a live server would have written them.
    await insertRows(
      pipe,
      'messages',
      ['created', 'id', 'room', 'text', 'updated', 'user'],
      (function* () {
        for (let i = 0; i < n; i++) {
          yield `('${pbDate(created[i]!)}','${ids[i]}','${roomIds[room[i]!]}',${sqlText(messageText(random) + (options.extraText?.(i) ?? ''))},'${pbDate(updated[i]!)}','${author[i]}')`;
        }
      })(),
    );
    for (const { sql } of messageIndexes) await pipe.write(`${sql};\n`);
    await pipe.write('COMMIT;\nPRAGMA wal_checkpoint(TRUNCATE);\n');
    await pipe.end();
  } catch (error) {
    pipe.kill();
    throw error;
  }
  const searchMergeS = mergeSearchQueue(dataDir, options.serverBinary ?? serverBinary);

  return {
    userIds,
    rooms: roomIds.map((id, r) => ({
      id,
      kind: kinds[r]!,
      members: members[r]!.length,
      readable: kinds[r] === 'public' || members[r]!.includes(options.readerId),
      history: histories[r]!,
    })),
    messages: { ids, created, updated, room },
    startMs,
    endMs,
    sqlBytes: pipe.bytes,
    searchMergeS,
  };
}

/**
 * The search index's triggers (migration 1795700140) queue every seeded message, and a server indexes the
 * queue in the background after it starts, under a benchmark's timed requests. So the seed indexes it here
 * with the server program's own `search merge`, on the stopped data dir, and times it: every benchmark
 * that seeds measures a merged index. Null when the build has no queue.
 */
export function mergeSearchQueue(dataDir: string, binary: string): number | null {
  const db = join(dataDir, 'data.db');
  const [queue] = sqliteJson<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'message_search_pending';",
  );
  if (!queue?.n) return null;
  const started = performance.now();
  const result = spawnSync(binary, ['search', 'merge', `--dir=${dataDir}`], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (result.status !== 0)
    throw new Error(`\`pocketbase search merge\` failed after the seed: ${result.stdout ?? ''}${result.stderr ?? ''}`);
  sqliteExec(db, 'PRAGMA wal_checkpoint(TRUNCATE);'); // as the seed leaves it: data.db alone may be copied
  return (performance.now() - started) / 1000;
}
