// Typing indicators under load (issue 16): S subscribers in one private room (all members, each listening
// on `palaver/messages` and `palaver/typing` as the app does), T of them typing: each sends a typing
// signal every 3.1 s (POST /api/palaver/rooms/{id}/typing), the pace of the app's composer while someone
// types without stopping (one per 3 s at most, backend/typing.go). Meanwhile one member posts M messages
// at a fixed pace, and every message delivery's latency is measured (receive time minus send time, one
// clock), as bench/fanout.ts does and with its worker processes (fanout-worker.ts).
//
// Phases, with the same subscribers: idle (nothing sent: the server's CPU at rest with S connections),
// then `rounds` times: messages alone, messages with the typing load; then the typing load alone. Reported:
// message p50/p95/p99/max with and without typing (and the p99 ratio), and the server's CPU per typing
// signal: its utime+stime from /proc/<pid>/stat over the typing-only window, less the idle rate, divided
// by the signals it accepted, and by those it sent (only the first four people typing in a room at once
// are sent, backend/typing.go: each sent one is encoded once and delivered to S-1 readers).
//
// The load generator (the workers' SSE clients and the typists here) runs on the same machine as the
// server: on the 2-core machine they compete for the same cores, and every number says so.
//
// Run:  npx tsx bench/typing.ts
//       PALAVER_TYPING_SUBSCRIBERS=200 PALAVER_TYPING_TYPISTS=10 PALAVER_TYPING_MESSAGES=20 npx tsx bench/typing.ts
// Writes bench/results/typing.json.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpuSeconds, findServerPid } from './lib/proc.ts';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import PocketBase, { BaseAuthStore } from 'pocketbase';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { TYPING_TOPIC } from '../src-shared/realtime-topics.ts';
import { deadlines } from './lib/deadline.ts';
import { report, ratio, round, summarize, type Row } from './lib/report.ts';
import { messageText, type FromWorker, type ToWorker, type WorkerResult } from './fanout-shared.ts';

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[`PALAVER_TYPING_${name}`] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`PALAVER_TYPING_${name} must be a number ≥ 0`);
  return value;
};
const options = {
  subscribers: int('SUBSCRIBERS', 1000),
  typists: int('TYPISTS', 50),
  messages: int('MESSAGES', 100),
  intervalMs: int('INTERVAL_MS', 200),
  /** How often each typist signals: just over the server's 3 s, as a steady typist's composer does. */
  typingEveryMs: int('EVERY_MS', 3100),
  rounds: int('ROUNDS', 2),
  typingOnlyS: int('TYPING_ONLY_S', 20),
  idleS: int('IDLE_S', 10),
  drainMs: int('DRAIN_MS', 30_000),
};
if (options.typists >= options.subscribers) throw new Error('the typists are some of the subscribers: fewer, please');

const SHARED = 'load generator on the same 2 cores as the server';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const waits = deadlines('typing');
const started = Date.now();
const log = (line: string) => console.log(`[typing +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

// ---- workers (bench/fanout-worker.ts), driven over IPC

interface Worker {
  child: ChildProcess;
  received: number;
  next<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>>;
  send(message: ToWorker): void;
}

const workers: Worker[] = [];

function startWorker(): Worker {
  const child = fork(join(repoRoot, 'bench', 'fanout-worker.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, (message: FromWorker) => void>();
  const worker: Worker = {
    child,
    received: 0,
    next: (type, timeoutMs) =>
      waits.within(
        `worker ${child.pid}: "${type}"`,
        timeoutMs,
        new Promise((resolve) => waiting.set(type, (message) => resolve(message as never))),
      ),
    send: (message) => void (child.connected && child.send(message)),
  };
  child.on('message', (message: FromWorker) => {
    if (message.type === 'progress') worker.received = message.received;
    if (message.type === 'fatal') log(`worker ${child.pid} failed: ${message.error}`);
    waiting.get(message.type)?.(message);
  });
  return worker;
}

// ---- setup

interface Account {
  id: string;
  token: string;
}

/** Members made by the superuser and signed in by impersonation, with the cheapest bcrypt (as fanout.ts). */
async function createAccounts(admin: PocketBase, count: number): Promise<Account[]> {
  const users = await admin.collections.getOne('users');
  const fields = (users.fields as Array<Record<string, unknown>>).map((f) =>
    f.name === 'password' ? { ...f, cost: 4 } : f,
  );
  await admin.collections.update('users', { fields });
  const tag = randomBytes(3).toString('hex');
  const accounts: Account[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const username = `typ_${tag}_${i}`;
      const password = `pw-${username}-secret`;
      const record = await admin.collection('users').create({
        username,
        email: `${username}@palaver.test`,
        password,
        passwordConfirm: password,
        name: `Typist ${i}`,
      });
      const client = await admin.collection('users').impersonate(record.id, 4 * 3600);
      accounts[i] = { id: record.id, token: client.authStore.token };
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, count) }, lane));
  return accounts;
}

// ---- the typists: plain fetch, one request per signal (the cheapest client there is)

interface TypingCounts {
  accepted: number;
  limited: number;
  failed: number;
}

function startTypists(url: string, tokens: string[], roomId: string) {
  const counts: TypingCounts = { accepted: 0, limited: 0, failed: 0 };
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();
  const signal = (token: string) => {
    const request = fetch(`${url}/api/palaver/rooms/${roomId}/typing`, {
      method: 'POST',
      headers: { Authorization: token },
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 204) counts.accepted += 1;
        else if (response.status === 429) counts.limited += 1;
        else counts.failed += 1;
      })
      .catch(() => void (counts.failed += 1))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  // Spread over the period, as people do not all start typing in the same millisecond.
  tokens.forEach((token, i) => {
    timers.push(
      setTimeout(
        () => {
          signal(token);
          timers.push(setInterval(() => signal(token), options.typingEveryMs));
        },
        Math.floor((i * options.typingEveryMs) / tokens.length),
      ),
    );
  });
  return {
    counts,
    async stop(): Promise<TypingCounts> {
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      return { ...counts };
    },
  };
}

// ---- phases

interface Phase {
  name: string;
  windowS: number;
  serverCpuS: number;
  typing: TypingCounts;
  typingDeliveries: number;
  expected: number;
  received: number;
  latencies: number[];
}

async function collect(): Promise<WorkerResult[]> {
  return Promise.all(
    workers.map((w) => {
      const result = w.next('result', 30_000);
      w.send({ type: 'collect' });
      return result;
    }),
  );
}

/** Clears the workers' counts and starts a measured window. */
async function begin(): Promise<void> {
  for (const w of workers) {
    w.received = 0;
    w.send({ type: 'reset' });
    w.send({ type: 'measure' });
  }
  await sleep(500);
}

async function phase(
  name: string,
  p: {
    serverPid: number;
    held: number;
    post?: (seq: number, at: number) => Promise<unknown>;
    typing?: () => ReturnType<typeof startTypists>;
    quietS?: number;
  },
): Promise<Phase> {
  const typists = p.typing?.();
  // With messages: every typist has signalled once before they are measured, so the load is steady.
  if (typists && p.post) await sleep(options.typingEveryMs);
  await begin();
  const cpu0 = cpuSeconds(p.serverPid);
  const t0 = Date.now();
  const typing0 = { ...(typists?.counts ?? { accepted: 0, limited: 0, failed: 0 }) };
  let expected = 0;
  if (p.post) {
    const posts: Promise<unknown>[] = [];
    for (let seq = 0; seq < options.messages; seq += 1) {
      const wait = t0 + seq * options.intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      posts.push(p.post(seq, Date.now()).catch((error: unknown) => log(`  a message failed: ${String(error)}`)));
    }
    await Promise.allSettled(posts);
    expected = p.held * options.messages;
    let last = -1;
    let lastChange = Date.now();
    await waits
      .poll(
        `${expected} deliveries (${name})`,
        options.drainMs,
        () => workers.reduce((s, w) => s + w.received, 0),
        (total) => {
          if (total !== last) [last, lastChange] = [total, Date.now()];
          return total >= expected || Date.now() - lastChange > 5_000;
        },
      )
      .catch((error: unknown) => log(`  ${(error as Error).message}`));
  } else {
    await sleep((p.quietS ?? 0) * 1000);
  }
  const typed = typists ? await typists.stop() : typing0;
  if (!p.post && typists) await sleep(1000); // the last signals' deliveries, still on their way
  const cpu1 = cpuSeconds(p.serverPid);
  const windowS = (Date.now() - t0) / 1000;
  const results = await collect();
  const latencies: number[] = [];
  for (const r of results) for (const x of r.latencies) latencies.push(x);
  return {
    name,
    windowS: round(windowS, 2),
    serverCpuS: cpu1 - cpu0,
    typing: {
      accepted: typed.accepted - typing0.accepted,
      limited: typed.limited - typing0.limited,
      failed: typed.failed - typing0.failed,
    },
    typingDeliveries: results.reduce((s, r) => s + r.alsoReceived, 0),
    expected,
    received: results.reduce((s, r) => s + r.received, 0),
    latencies,
  };
}

function row(r: Phase): Row {
  const l = summarize(r.latencies);
  return {
    phase: r.name,
    'message p50 ms': round(l.p50, 1),
    'p95 ms': round(l.p95, 1),
    'p99 ms': round(l.p99, 1),
    'max ms': round(l.max, 1),
    'delivered / expected': r.expected ? `${r.received} / ${r.expected}` : '—',
    'typing signals accepted (429, failed)': `${r.typing.accepted} (${r.typing.limited}, ${r.typing.failed})`,
    'typing deliveries': r.typingDeliveries,
    'server CPU % of a core': round((r.serverCpuS / r.windowS) * 100, 1),
    'window s': r.windowS,
    note: SHARED,
  };
}

// ---- main

let server: TestServer | undefined;

async function main(): Promise<void> {
  ensureBackendBuilt((line) => log(line));
  server = await startTestServer({ rateLimits: 'tests' });
  const admin = await server.admin();
  // All load comes from 127.0.0.1; the per-IP limits would see one very busy client. The typing limit
  // (one signal per person and room every 3 s) is the server's own and stays.
  await admin.settings.update({ rateLimits: { enabled: false } });
  const serverPid = findServerPid(server.port);
  try {
    execFileSync('prlimit', ['--pid', String(serverPid), '--nofile=65536:65536'], { stdio: 'pipe' });
  } catch {
    // the inherited limit stays; enough for a thousand connections on the machines we run on
  }
  const S = options.subscribers;
  log(`server pid ${serverPid}; creating ${S} members…`);
  const accounts = await createAccounts(admin, S);
  const sender = accounts[S - 1]!;
  const runId = randomBytes(4).toString('hex');
  const room = await admin
    .collection('rooms')
    .create({ name: `typing ${runId}`, kind: 'private', owner: sender.id, members: accounts.map((a) => a.id) });

  const workerCount = Math.max(1, Math.min(4, Math.ceil(S / 250)));
  let offset = 0;
  const readies = Array.from({ length: workerCount }, (_, w) => {
    const worker = startWorker();
    workers.push(worker);
    const count = Math.floor(S / workerCount) + (w < S % workerCount ? 1 : 0);
    const tokens = accounts.slice(offset, offset + count).map((a) => a.token);
    offset += count;
    const ready = worker.next('ready', 240_000);
    worker.send({
      type: 'connect',
      url: server!.url,
      count,
      tokens,
      mode: 'topic',
      runId,
      messages: options.messages,
      concurrency: 50,
      connectTimeoutMs: 180_000,
      subscribeTimeoutMs: 30_000,
      alsoTopics: [TYPING_TOPIC],
    });
    return ready;
  });
  const ready = await Promise.all(readies);
  const held = ready.reduce((s, r) => s + r.held, 0);
  log(`${held}/${S} subscribers connected, on palaver/messages and palaver/typing`);

  const senderPb = new PocketBase(server.url, new BaseAuthStore());
  senderPb.autoCancellation(false);
  senderPb.authStore.save(sender.token, null);
  const post = (seq: number, at: number) =>
    senderPb.collection('messages').create({ text: messageText(runId, seq, at), user: sender.id, room: room.id });
  const typistTokens = accounts.slice(0, options.typists).map((a) => a.token);
  const typing = () => startTypists(server!.url, typistTokens, room.id);

  const idle = await phase('idle (connected, nothing sent)', { serverPid, held, quietS: options.idleS });
  const without: Phase[] = [];
  const withTyping: Phase[] = [];
  // Unmeasured: the first messages after a thousand connections meet cold caches in the server and in the
  // workers (a first measured round was several times slower than the next ones). Same length as a measured phase.
  await phase('warm-up', { serverPid, held, post });
  // ABBA: rounds alternate which goes first, so a machine growing busier or quieter favours neither.
  const runWithout = async (round: number) => {
    without.push(await phase(`messages alone, round ${round}`, { serverPid, held, post }));
    log(`  ${row(without.at(-1)!)['p99 ms']} ms p99 without typing`);
  };
  const runWith = async (round: number) => {
    withTyping.push(
      await phase(`messages + ${options.typists} typing, round ${round}`, { serverPid, held, post, typing }),
    );
    log(`  ${row(withTyping.at(-1)!)['p99 ms']} ms p99 with typing`);
  };
  for (let round = 1; round <= options.rounds; round += 1) {
    if (round % 2 === 1) {
      await runWithout(round);
      await runWith(round);
    } else {
      await runWith(round);
      await runWithout(round);
    }
  }
  const typingOnly = await phase(`${options.typists} typing alone`, {
    serverPid,
    held,
    typing,
    quietS: options.typingOnlyS,
  });

  const pooled = (phases: Phase[]) => summarize(phases.flatMap((p) => p.latencies));
  const a = pooled(without);
  const b = pooled(withTyping);
  const idleRate = idle.serverCpuS / idle.windowS;
  const typingCpuS = Math.max(0, typingOnly.serverCpuS - idleRate * typingOnly.windowS);
  const signals = typingOnly.typing.accepted;
  // Sent ones reached every other subscriber (the typists are subscribers too): deliveries / (held - 1).
  const sent = held > 1 ? typingOnly.typingDeliveries / (held - 1) : 0;
  const cpuPerSignalMs = signals ? (typingCpuS / signals) * 1000 : NaN;
  const cpuPerSentMs = sent ? (typingCpuS / sent) * 1000 : NaN;
  const perDelivery = typingOnly.typingDeliveries ? (typingCpuS / typingOnly.typingDeliveries) * 1e6 : NaN;
  const rows: Row[] = [idle, ...without, ...withTyping, typingOnly].map(row);
  rows.push({
    phase: `summary: message p99 with / without ${options.typists} typists (pooled over ${options.rounds} rounds)`,
    'message p50 ms': `${round(b.p50, 1)} / ${round(a.p50, 1)}`,
    'p99 ms': `${round(b.p99, 1)} / ${round(a.p99, 1)} = ${ratio(b.p99, a.p99)}x`,
    note: SHARED,
  });
  rows.push({
    phase: 'summary: server CPU per typing signal (typing alone, less the idle rate)',
    'server CPU % of a core':
      `${round(cpuPerSignalMs, 3)} ms per signal accepted (${signals}); ${round(cpuPerSentMs, 3)} ms per signal sent ` +
      `(${round(sent, 0)}: the first four typists); ${round(perDelivery, 2)} µs per delivery to one reader`,
    'typing deliveries': typingOnly.typingDeliveries,
    note: SHARED,
  });
  report(
    'typing',
    `Typing load: ${S} members in one room, ${options.typists} typing every ${options.typingEveryMs} ms`,
    rows,
    {
      options,
      loadAverage: loadavg().map((x) => round(x, 2)),
      held,
      messageP99WithoutMs: round(a.p99, 1),
      messageP99WithMs: round(b.p99, 1),
      p99Ratio: ratio(b.p99, a.p99),
      serverCpuPerSignalMs: round(cpuPerSignalMs, 3),
      serverCpuPerSentSignalMs: round(cpuPerSentMs, 3),
      typingSignalsAccepted: signals,
      typingSignalsSent: round(sent, 1),
      serverCpuPerTypingDeliveryUs: round(perDelivery, 2),
      idleServerCpuPct: round(idleRate * 100, 1),
      sharedCores: SHARED,
    },
  );
}

async function cleanup(): Promise<void> {
  for (const w of workers) w.send({ type: 'stop' });
  await sleep(500);
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await server?.stop();
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
