// Realtime fan-out benchmark (issue "Measured performance").
//
// Part 1: S realtime subscribers (PocketBase SDK + `eventsource`, spread over worker processes, see
// fanout-worker.ts), in a public room and in a private room (all members; rooms.members allows at most
// 1,000), two ways in the same run: ours, the server's `palaver/messages` topic (backend/room_broadcast.go:
// access checked and the event encoded once per message; signed-in subscribers, accounts reused across
// connections past 1,000 like one person's several devices), and PocketBase's own `messages` '*' with
// `expand: 'user'` (the rule checked and the author expanded per subscriber; signed-in subscribers
// everywhere, since nobody signed out receives anything), reported as a ratio. One
// sender posts M messages at a fixed pace with Date.now() in the text; every delivery's latency is
// receive time minus send time (one machine, one clock). Also: deliveries lost, server CPU (utime+stime
// from /proc/<pid>/stat over the send+drain window, % of one core) and peak RSS (VmHWM; the server is
// restarted before every case so the peak is that case's).
//
// Part 2: "naive vs ours": the seed tutorial's client (subscribe without expand, then one
// users.getOne per event) against ours (the author is in the event), same S and M, public room.
//
// Part 3: reactions beside messages (at reaction-sizes, 1,000 by default): after its M messages, the case
// on ours sends R reactions to them at the same pace to the same subscribers; each is a `reactions`
// create, after which the server recomputes the message's `reactionInfo` and one message `update` goes
// out on palaver/messages. PocketBase's own path for the same thing is `reactions` '*' (a case of its
// own, in each room): the server writes reactionInfo with one SQL UPDATE and announces it only on
// palaver/messages (backend/reactions.go), so `messages` '*' carries no event for a reaction at all; a
// client without our broadcast subscribes to the reactions and adds them up itself.
//
// Run:  npx tsx bench/fanout.ts                      (S = 100, 1,000, 10,000; naive at 100, 1,000)
//       PALAVER_FANOUT_SIZES=100,1000 PALAVER_FANOUT_MESSAGES=20 npx tsx bench/fanout.ts
//       npx tsx bench/fanout.ts --sizes=100,1000 --messages=50 --interval-ms=100 --workers=4
// Every option: see `options` below (flag --name=value or env PALAVER_FANOUT_NAME).
// Writes bench/results/fanout.json, fanout-naive.json and fanout-reactions.json.
//
// The open-file limit of the server and of the workers is raised with `prlimit --nofile=1048576` as in
// production; where that is refused (no CAP_SYS_RESOURCE in a container) the inherited hard limit stays
// and is reported (10,000 connections need ~10,000 descriptors in the server, ~2,500 per worker).
// Rate limits are switched off in the bench's throwaway server: all load comes from 127.0.0.1.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { CLK_TCK, cpuSeconds, findServerPid } from './lib/proc.ts';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import PocketBase, { BaseAuthStore } from 'pocketbase';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { DeadlineError, deadlines } from './lib/deadline.ts';
import { report, ratio, round, summarize, type Row } from './lib/report.ts';
import { reactionId } from '../src-shared/reaction-id.ts';
import {
  messageText,
  REACTION_EMOJI,
  type ClientMode,
  type FromWorker,
  type ToWorker,
  type WorkerResult,
} from './fanout-shared.ts';

// ---------------------------------------------------------------------------------------------------
// Options

function option(name: string, fallback: string): string {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  if (flag) return flag.slice(name.length + 3);
  const env = process.env[`PALAVER_FANOUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return env !== undefined && env !== '' ? env : fallback;
}
const numbers = (text: string): number[] =>
  text
    .split(',')
    .map((x) => Number(x.trim().replace(/_/g, '')))
    .filter((x) => Number.isInteger(x) && x > 0);
const int = (name: string, fallback: number): number => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return Math.floor(value);
};

const options = {
  /** Subscriber counts for part 1 (public room, and private room up to the members limit). */
  sizes: numbers(option('sizes', '100,1000,10000')),
  /** Subscriber counts for part 2 (naive vs ours, public room). */
  naiveSizes: numbers(option('naive-sizes', '100,1000')),
  /** Subscriber counts at which PocketBase's per-subscriber path (`messages` '*') is measured beside ours. */
  rulesSizes: numbers(option('rules-sizes', '100,1000')),
  /** Subscriber counts at which reactions are measured after the messages (see `reactions` in cases). */
  reactionSizes: numbers(option('reaction-sizes', '1000')),
  /**
   * Which cases: public, private (ours, the topic), rules (PocketBase's path at rules-sizes, in the rooms
   * chosen), naive; reactions (at reaction-sizes, in the rooms chosen: a reaction phase after the
   * messages on ours, and a case on PocketBase's `reactions` '*'); and plain (public room without expand:
   * a diagnostic baseline, not run by default).
   */
  cases: option('cases', 'public,private,rules,naive,reactions')
    .split(',')
    .map((x) => x.trim()),
  messages: int('messages', 50),
  /** Reactions in the reaction phase, at the same pace; at most 20 per message (the server's emoji limit). */
  reactions: int('reactions', Number(option('messages', '50'))),
  intervalMs: int('interval-ms', 100),
  /** Worker processes per case; 0 = automatic: one per 250 subscribers, at most 4. */
  workers: int('workers', 0),
  /** Subscribers connecting at once in each worker. */
  connectConcurrency: int('connect-concurrency', 50),
  connectTimeoutMs: int('connect-timeout-ms', 120_000),
  subscribeTimeoutMs: int('subscribe-timeout-ms', 20_000),
  /** After the last send: stop waiting for deliveries after this long at most... */
  drainMs: int('drain-ms', 60_000),
  /** ...or when no delivery arrived for this long. */
  idleMs: int('idle-ms', 15_000),
  /**
   * Time budget of the whole bench: no case starts, connects or drains past it (a case's collection and
   * cleanup can add ~30 s), and a watchdog stops everything 80 s after it.
   */
  budgetS: int('budget-s', 660),
  nofile: int('nofile', 1_048_576),
  /** Extra `pocketbase serve` arguments, space-separated, for what-if runs (e.g. "--hooksPool=50"). */
  serveArgs: option('serve-args', '').split(' ').filter(Boolean),
  /** Another server binary than backend/bin/pocketbase (e.g. an unstripped build for `perf`). */
  binary: option('binary', ''),
  /**
   * Before each case, wait up to this long for the rest of the machine to go quiet (other processes
   * using under 25% of a core over 2 s), since anything else running competes with the measurement.
   */
  quietWaitS: int('quiet-wait-s', 0),
  /** Results go to bench/results/fanout[-tag].json and fanout-naive[-tag].json (for what-if runs). */
  tag: option('tag', '').replace(/[^A-Za-z0-9_.-]/g, ''),
};
if (options.reactions > options.messages * REACTION_EMOJI.length)
  throw new Error(
    `--reactions=${options.reactions}: at most ${REACTION_EMOJI.length} per message (${options.messages * REACTION_EMOJI.length} for ${options.messages} messages)`,
  );
const resultName = (base: string) => (options.tag ? `${base}-${options.tag}` : base);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const waits = deadlines('fanout');
const started = Date.now();
const deadline = started + options.budgetS * 1000;
const log = (line: string) => console.log(`[fanout +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

// ---------------------------------------------------------------------------------------------------
// /proc: CPU, memory and open-file limits of the server and of the load generator

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine, in seconds summed over cores. */
function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as number[];
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: (total - idle! - iowait!) / CLK_TCK, total: total / CLK_TCK };
}

function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

function maxOpenFiles(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line?.replace('Max open files', '').trim().split(/\s+/) ?? [];
    return `${soft}:${hard}`;
  } catch {
    return 'unknown';
  }
}

/** Whether this process may raise hard resource limits (CAP_SYS_RESOURCE, bit 24 of CapEff). */
const canRaiseHardLimits = (() => {
  try {
    const hex = /^CapEff:\s+([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return hex ? (BigInt(`0x${hex}`) & (1n << 24n)) !== 0n : false;
  } catch {
    return false;
  }
})();

let openFilesWarned = false;

/**
 * Raises the open-file limit of a running process the way the deployment does (prlimit, util-linux).
 * Without CAP_SYS_RESOURCE (as in some containers) the hard limit cannot go up: then the soft limit is
 * raised to the hard one, and the limit actually in force is what gets reported.
 */
function raiseOpenFiles(pid: number, what: string): string {
  const prlimit = (soft: number, hard: number) =>
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:${hard}`], { stdio: 'pipe' });
  try {
    prlimit(options.nofile, options.nofile);
  } catch (error) {
    const hard = Number(maxOpenFiles(pid).split(':')[1]);
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message.split('\n')[0];
    if (!openFilesWarned) {
      openFilesWarned = true;
      log(
        `note: prlimit --nofile=${options.nofile} refused for ${what} (${reason}${canRaiseHardLimits ? '' : '; this process lacks CAP_SYS_RESOURCE'}); ` +
          `the processes keep the inherited hard limit ${hard}`,
      );
    }
    try {
      if (Number.isFinite(hard)) prlimit(hard, hard);
    } catch {
      // keep what it has
    }
  }
  return maxOpenFiles(pid);
}
// ---------------------------------------------------------------------------------------------------
// Workers

const workerPath = join(repoRoot, 'bench', 'fanout-worker.ts');
const liveWorkers = new Set<ChildProcess>();

interface Worker {
  child: ChildProcess;
  pid: number;
  received: number;
  next<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>>;
  send(message: ToWorker): void;
}

function startWorker(): Worker {
  const child = fork(workerPath, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  liveWorkers.add(child);
  child.once('exit', () => liveWorkers.delete(child));
  if (!child.pid) throw new Error('could not fork a fan-out worker');
  const waiting = new Map<string, (message: FromWorker) => void>();
  const worker: Worker = {
    child,
    pid: child.pid,
    received: 0,
    next(type, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(type);
          reject(new Error(`worker ${child.pid}: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          clearTimeout(timer);
          reject(new Error(`worker ${child.pid} exited (${code}) while waiting for "${type}"`));
        };
        child.once('exit', onExit);
        waiting.set(type, (message) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          waiting.delete(type);
          resolve(message as never);
        });
      });
    },
    send(message) {
      if (child.connected) child.send(message);
    },
  };
  child.on('message', (message: FromWorker) => {
    if (message.type === 'progress') worker.received = message.received;
    if (message.type === 'fatal') {
      log(`worker ${child.pid} failed: ${message.error}`);
      child.kill('SIGKILL');
    }
    waiting.get(message.type)?.(message);
  });
  return worker;
}

function stopWorkers(workers: Worker[]): Promise<void> {
  return Promise.all(
    workers.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          if (child.connected) child.send({ type: 'stop' } satisfies ToWorker);
          else child.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

// ---------------------------------------------------------------------------------------------------
// Setup: accounts, rooms

interface Account {
  id: string;
  token: string;
}

async function createAccounts(admin: PocketBase, count: number): Promise<Account[]> {
  // Setup speed only: in this throwaway data dir, hash the accounts' passwords with the cheapest bcrypt
  // cost, or creating 1,000 members takes a minute or more of both cores before anything is measured.
  // Nothing measured signs in with a password.
  const users = await admin.collections.getOne('users');
  const fields = (users.fields as Array<Record<string, unknown>>).map((f) =>
    f.name === 'password' ? { ...f, cost: 4 } : f,
  );
  await admin.collections.update('users', { fields });
  const tag = randomBytes(3).toString('hex');
  const accounts: Account[] = new Array(count);
  let next = 0;
  // Created by the superuser (no sign-up rate limit) and signed in by impersonation (no password
  // check): 1,000 bcrypt verifications would only slow the setup down, not test anything.
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const username = `fan_${tag}_${i}`;
      const password = `pw-${username}-secret`;
      const record = await admin
        .collection('users')
        .create({ username, email: `${username}@palaver.test`, password, passwordConfirm: password, name: `Fan ${i}` });
      const client = await admin.collection('users').impersonate(record.id, 4 * 3600);
      accounts[i] = { id: record.id, token: client.authStore.token };
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, count) }, lane));
  return accounts;
}

// ---------------------------------------------------------------------------------------------------
// One case

type RoomKind = 'public' | 'private';

interface CaseResult {
  room: RoomKind;
  mode: ClientMode;
  subscribers: number;
  workers: number;
  held: number;
  failed: number;
  notAttempted: number;
  connectS: number;
  messages: number;
  sent: number;
  sendErrors: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  missingAuthor: number;
  disconnects: number;
  stillConnected: number;
  latency: ReturnType<typeof summarize>;
  sendMs: ReturnType<typeof summarize>;
  windowS: number;
  serverCpuS: number;
  serverCpuPct: number;
  serverRssPeakMb: number;
  serverRssAfterConnectMb: number;
  serverFdsAfterConnect: number;
  loadgenCpuPct: number;
  machineCpuPct: number;
  /** CPU of everything else on the machine during the window (other engineers' tests, etc.). */
  otherCpuPct: number;
  loadAverageAtStart: number[];
  /** When --quiet-wait-s is set: how long the case waited, and what other processes used then. */
  quiet: { waitedS: number; otherCpuPct: number } | null;
  clientLoopDelayP99Ms: number;
  requestsClient: number;
  connectRequestsClient: number;
  requestsServerLog: number | null;
  userViewsServerLog: number | null;
  openFiles: { server: string; workers: string[] };
  errors: Record<string, number>;
  note: string;
  /** The reaction phase that followed the messages, with the same subscribers (reactsIn). */
  reactions: PhaseResult | null;
}

function autoWorkers(subscribers: number): number {
  if (options.workers > 0) return Math.min(options.workers, subscribers);
  return Math.max(1, Math.min(4, Math.ceil(subscribers / 250)));
}

/** PocketBase writes its request log in batches (200 entries, or 3 s after the last one). */
async function countLoggedRequests(
  admin: PocketBase,
  from: number,
  to: number,
): Promise<{ all: number; userViews: number } | null> {
  const at = (t: number) => new Date(t).toISOString().replace('T', ' ');
  const window = `data.type = "request" && created >= "${at(from)}" && created <= "${at(to)}"`;
  try {
    await sleep(3500);
    const all = await admin.logs.getList(1, 1, { filter: window, skipTotal: false });
    const userViews = await admin.logs.getList(1, 1, {
      filter: `${window} && data.url ~ "/api/collections/users/records/"`,
    });
    return { all: all.totalItems, userViews: userViews.totalItems };
  } catch (error) {
    log(`could not read the request log: ${(error as Error).message}`);
    return null;
  }
}

/** CPU used by everything but this bench (the server and this process) over `ms`, as % of one core. */
async function otherCpuPct(serverPid: number, ms: number): Promise<number> {
  const m0 = machineCpu();
  const s0 = cpuSeconds(serverPid);
  const own0 = process.cpuUsage();
  await sleep(ms);
  const m1 = machineCpu();
  const own = process.cpuUsage(own0);
  const ours = cpuSeconds(serverPid) - s0 + (own.user + own.system) / 1e6;
  const busy = (m1.busy - m0.busy) / ((m1.total - m0.total) / cpus().length);
  return Math.max(0, (busy - ours / (ms / 1000)) * 100);
}

async function waitForQuiet(serverPid: number): Promise<{ waitedS: number; otherCpuPct: number }> {
  const since = Date.now();
  let other = NaN;
  const probe = async () => {
    if (!Number.isNaN(other))
      log(`  waiting for the machine to go quiet: other processes use ${round(other, 0)}% of a core`);
    return (other = await otherCpuPct(serverPid, 2000));
  };
  // Not quiet in time: measure anyway, and report how busy the machine was.
  const waitMs = Math.max(0, Math.min(options.quietWaitS * 1000, deadline - 120_000 - Date.now()));
  await waits
    .poll('the machine to go quiet', waitMs, probe, (pct) => pct < 25, { intervalMs: 0 })
    .catch((error: unknown) => {
      if (!(error instanceof DeadlineError)) throw error;
    });
  return { waitedS: round((Date.now() - since) / 1000, 1), otherCpuPct: round(other, 1) };
}

/** One measured phase of a case: events sent by the sender at the fixed pace, and their deliveries. */
interface PhaseResult {
  events: number;
  /** The sender's create requests answered by the end of the window. */
  sent: number;
  sendErrors: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  missingAuthor: number;
  disconnects: number;
  stillConnected: number;
  latency: ReturnType<typeof summarize>;
  sendMs: ReturnType<typeof summarize>;
  t0: number;
  t1: number;
  windowS: number;
  serverCpuS: number;
  serverCpuPct: number;
  loadgenCpuPct: number;
  machineCpuPct: number;
  otherCpuPct: number;
  clientLoopDelayP99Ms: number;
  /** Requests the naive client made (users.getOne per event). */
  requestsNaive: number;
  note: string;
}

/**
 * Sends `events` creates at the fixed pace (open loop: a slow server does not slow the sender down), then
 * drains: until every delivery arrived, or nothing arrived for idleMs, or drainMs passed (what has not
 * arrived by then is counted as lost: a measurement, not a failure of the bench), and collects.
 */
async function measurePhase(p: {
  workers: Worker[];
  serverPid: number;
  held: number;
  events: number;
  /** False when the subscribers cannot receive these events (reactions '*' while messages are sent). */
  expectDeliveries: boolean;
  post: (seq: number, sentAt: number) => Promise<unknown>;
  /** The reaction phase: the workers kept receive times, and get the send times to subtract. */
  sendTimesToWorkers: boolean;
  errors: Record<string, number>;
  what: string;
}): Promise<PhaseResult> {
  const { workers, serverPid, errors } = p;
  await sleep(1000);
  for (const w of workers) w.send({ type: 'measure' });
  const expected = p.expectDeliveries ? p.held * p.events : 0;
  const loadgenPids = workers.map((w) => w.pid);
  const loadgenCpu = () =>
    loadgenPids.reduce((s, pid) => s + cpuSeconds(pid), 0) +
    process.cpuUsage().user / 1e6 +
    process.cpuUsage().system / 1e6;
  const cpu0 = cpuSeconds(serverPid);
  const loadgen0 = loadgenCpu();
  const machine0 = machineCpu();
  const t0 = Date.now();
  const sendMs: number[] = [];
  const sentAt: number[] = new Array(p.events).fill(NaN);
  let sendErrors = 0;
  const posts: Promise<void>[] = [];
  for (let seq = 0; seq < p.events; seq += 1) {
    const wait = t0 + seq * options.intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    const at = Date.now();
    sentAt[seq] = at;
    posts.push(
      p.post(seq, at).then(
        () => void sendMs.push(Date.now() - at),
        (error: unknown) => {
          sendErrors += 1;
          const key = `send ${p.what}: ${(error as Error).message}`;
          errors[key] = (errors[key] ?? 0) + 1;
        },
      ),
    );
  }
  const lastSend = Date.now();
  let postsSettled = false;
  void Promise.allSettled(posts).then(() => (postsSettled = true));

  const drainUntil = lastSend + Math.min(options.drainMs, Math.max(5_000, deadline - Date.now()));
  let lastTotal = -1;
  let lastChange = Date.now();
  let lastLog = Date.now();
  const drainProbe = () => {
    const total = workers.reduce((s, w) => s + w.received, 0);
    if (total !== lastTotal) {
      lastTotal = total;
      lastChange = Date.now();
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(
        `  draining ${p.what}… ${total}/${expected} received, ${sendMs.length + sendErrors}/${p.events} posts answered`,
      );
    }
    return total;
  };
  const drained = (total: number) => postsSettled && (total >= expected || Date.now() - lastChange > options.idleMs);
  await waits
    .poll(`${expected} deliveries of ${p.what}`, Math.max(0, drainUntil - Date.now()), drainProbe, drained, {
      show: (total) => `${total} received`,
    })
    .catch((error: unknown) => {
      if (!(error instanceof DeadlineError)) throw error;
    });
  const t1 = Date.now();
  const cpu1 = cpuSeconds(serverPid);
  const answeredAtEnd = sendMs.length;
  const settledAtEnd = postsSettled;
  const sendErrorsAtEnd = sendErrors;
  const machine1 = machineCpu();
  const loadgen1 = loadgenCpu();
  const windowS = (t1 - t0) / 1000;

  const results: WorkerResult[] = await Promise.all(
    workers.map((w) => {
      const result = w.next('result', 20_000);
      w.send({ type: 'collect', ...(p.sendTimesToWorkers ? { sentAt } : {}) });
      return result;
    }),
  );
  // A reaction whose create failed has no send time (NaN): nobody can have received it anyway.
  const latencies: number[] = [];
  for (const r of results) for (const x of r.latencies) if (Number.isFinite(x)) latencies.push(x);
  const received = results.reduce((s, r) => s + r.received, 0);
  const requestErrors = results.reduce((s, r) => s + r.requestErrors, 0);
  for (const r of results)
    for (const [k, v] of Object.entries(r.requestErrorKinds))
      errors[`getOne: ${k}`] = (errors[`getOne: ${k}`] ?? 0) + v;
  if (requestErrors) log(`  ${requestErrors} getOne requests failed`);
  const serverCpuS = cpu1 - cpu0;
  const loadgenCpuS = loadgen1 - loadgen0;
  // Busy time of all cores over the window, as % of one core (like the other CPU columns).
  const machineCpuPct = round(
    ((machine1.busy - machine0.busy) / ((machine1.total - machine0.total) / cpus().length)) * 100,
    1,
  );
  const notes: string[] = [];
  if (sendErrors) notes.push(`${sendErrors} sends failed`);
  if (!settledAtEnd)
    notes.push(`${p.events - answeredAtEnd - sendErrorsAtEnd} of ${p.events} sends still unanswered at the end`);
  if (received < expected)
    notes.push(t1 >= drainUntil ? 'drain time limit reached' : `no delivery for ${options.idleMs / 1000} s`);
  return {
    events: p.events,
    sent: answeredAtEnd,
    sendErrors,
    expected,
    received,
    lost: expected - received,
    duplicates: results.reduce((s, r) => s + r.duplicates, 0),
    missingAuthor: results.reduce((s, r) => s + r.missingAuthor, 0),
    disconnects: results.reduce((s, r) => s + r.disconnects, 0),
    stillConnected: results.reduce((s, r) => s + r.stillConnected, 0),
    latency: summarize(latencies),
    sendMs: summarize(sendMs.slice(0, answeredAtEnd)),
    t0,
    t1,
    windowS: round(windowS, 2),
    serverCpuS: round(serverCpuS, 2),
    serverCpuPct: round((serverCpuS / windowS) * 100, 1),
    loadgenCpuPct: round((loadgenCpuS / windowS) * 100, 1),
    machineCpuPct,
    otherCpuPct: round(Math.max(0, machineCpuPct - ((serverCpuS + loadgenCpuS) / windowS) * 100), 1),
    clientLoopDelayP99Ms: round(Math.max(...results.map((r) => r.loopDelayP99Ms)), 1),
    requestsNaive: results.reduce((s, r) => s + r.requestsDuringRun, 0),
    note: notes.join('; '),
  };
}

/** Whether a case runs the reaction phase after its messages. */
const reactsIn = (mode: ClientMode, subscribers: number) =>
  options.cases.includes('reactions') &&
  options.reactionSizes.includes(subscribers) &&
  (mode === 'topic' || mode === 'reactions');

async function runCase(
  server: TestServer,
  accounts: Account[],
  room: RoomKind,
  mode: ClientMode,
  subscribers: number,
  timeLeftMs: number,
): Promise<CaseResult> {
  const loadAverageAtStart = loadavg().map((x) => round(x, 2));
  const label = `${caseName({ room, mode })}, S=${subscribers}`;
  log(`case: ${label}`);

  // A fresh server process for every case (same data dir): no subscribers left over from the last
  // case, and VmHWM is this case's peak.
  await server.restart();
  const serverPid = findServerPid(server.port);
  const serverFiles = raiseOpenFiles(serverPid, 'the server');
  log(`server pid ${serverPid}, max open files ${serverFiles}`);
  const quiet = options.quietWaitS > 0 ? await waitForQuiet(serverPid) : null;

  const admin = await server.admin();
  const sender = accounts[0]!;
  const senderPb = new PocketBase(server.url, new BaseAuthStore());
  senderPb.autoCancellation(false);
  senderPb.authStore.save(sender.token, null);
  const runId = randomBytes(4).toString('hex');
  const members = room === 'private' ? accounts.slice(0, subscribers).map((a) => a.id) : [sender.id];
  const roomRecord = await admin
    .collection('rooms')
    .create({ name: `fanout ${room} ${runId}`, kind: room, owner: sender.id, members });

  const workerCount = autoWorkers(subscribers);
  const workers = Array.from({ length: workerCount }, startWorker);
  const workerFiles = workers.map((w) => raiseOpenFiles(w.pid, `worker ${w.pid}`));

  let peakRss = 0;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, statusKb(serverPid, 'VmRSS') || 0);
  }, 250);

  try {
    // ---- connect (paced: connectConcurrency at a time per worker, bounded in time)
    const withReactions = reactsIn(mode, subscribers);
    const phaseMs = (events: number) => events * options.intervalMs + options.drainMs + 20_000;
    const sendAndDrainMs = phaseMs(options.messages) + (withReactions ? phaseMs(options.reactions) : 0);
    const connectTimeoutMs = Math.max(10_000, Math.min(options.connectTimeoutMs, timeLeftMs - sendAndDrainMs));
    const connectStarted = Date.now();
    let offset = 0;
    const readies = workers.map((worker, w) => {
      const count = Math.floor(subscribers / workerCount) + (w < subscribers % workerCount ? 1 : 0);
      // Private rooms: every subscriber is a different member. Nobody signed out receives anything, so
      // subscribers of public rooms are signed in too: accounts are reused round-robin past the ones created.
      const tokens =
        room === 'private'
          ? accounts.slice(offset, offset + count).map((a) => a.token)
          : Array.from({ length: count }, (_, i) => accounts[(offset + i) % accounts.length]!.token);
      offset += count;
      const ready = worker.next('ready', connectTimeoutMs + options.subscribeTimeoutMs + 60_000);
      worker.send({
        type: 'connect',
        url: server.url,
        count,
        tokens,
        mode,
        runId,
        messages: options.messages,
        concurrency: options.connectConcurrency,
        connectTimeoutMs,
        subscribeTimeoutMs: options.subscribeTimeoutMs,
      });
      return ready;
    });
    const connectProgress = setInterval(
      () => log(`  connecting… ${Math.round((Date.now() - connectStarted) / 1000)} s`),
      10_000,
    );
    const ready = await Promise.all(readies).finally(() => clearInterval(connectProgress));
    const connectS = (Date.now() - connectStarted) / 1000;
    const held = ready.reduce((s, r) => s + r.held, 0);
    const failed = ready.reduce((s, r) => s + r.failed, 0);
    const notAttempted = ready.reduce((s, r) => s + r.notAttempted, 0);
    const errors: Record<string, number> = {};
    for (const r of ready) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    log(
      `  held ${held}/${subscribers} after ${connectS.toFixed(1)} s (failed ${failed}, not attempted ${notAttempted})`,
    );
    if (Object.keys(errors).length) log(`  connect errors: ${JSON.stringify(errors)}`);

    const rssAfterConnectMb = round(statusKb(serverPid, 'VmRSS') / 1024, 1);
    const fdsAfterConnect = openFds(serverPid);
    log(`  server after connecting: RSS ${rssAfterConnectMb} MB, ${fdsAfterConnect} open files (limit ${serverFiles})`);

    // ---- M messages (on `reactions` '*' nobody receives them: they are only the reactions' targets)
    const messageIds: string[] = new Array<string>(options.messages).fill('');
    const phase = await measurePhase({
      workers,
      serverPid,
      held,
      events: options.messages,
      expectDeliveries: mode !== 'reactions',
      sendTimesToWorkers: false,
      errors,
      what: 'messages',
      post: async (seq, sentAt) => {
        const record = await senderPb
          .collection('messages')
          .create({ text: messageText(runId, seq, sentAt), user: sender.id, room: roomRecord.id });
        messageIds[seq] = record.id;
      },
    });

    if (mode !== 'reactions')
      log(
        `  received ${phase.received}/${phase.expected} (lost ${phase.lost}), p50 ${phase.latency.p50} ms, p99 ${phase.latency.p99} ms, max ${phase.latency.max} ms, ` +
          `server CPU ${phase.serverCpuPct}% of a core over ${phase.windowS} s`,
      );

    // ---- R reactions to those messages, the same subscribers (each one update of its message)
    let reactions: PhaseResult | null = null;
    if (withReactions) {
      for (const w of workers) w.send({ type: 'reactions', messageIds, reactions: options.reactions });
      reactions = await measurePhase({
        workers,
        serverPid,
        held,
        events: options.reactions,
        expectDeliveries: true,
        sendTimesToWorkers: true,
        errors,
        what: 'reactions',
        post: (k) => {
          const message = messageIds[k % messageIds.length]!;
          const emoji = REACTION_EMOJI[Math.floor(k / messageIds.length)]!;
          if (!message) return Promise.reject(new Error('its message was not stored'));
          return senderPb.collection('reactions').create({
            id: reactionId(message, sender.id, emoji),
            message,
            user: sender.id,
            emoji,
          });
        },
      });
      log(
        `  reactions: received ${reactions.received}/${reactions.expected} (lost ${reactions.lost}), p50 ${reactions.latency.p50} ms, p99 ${reactions.latency.p99} ms, ` +
          `server CPU ${reactions.serverCpuPct}% of a core over ${reactions.windowS} s`,
      );
    }

    const serverHwmMb = statusKb(serverPid, 'VmHWM') / 1024;
    await stopWorkers(workers);
    const logged = await countLoggedRequests(admin, phase.t0, phase.t1);
    const notes = [held < subscribers ? `held ${held} of ${subscribers}` : '', phase.note].filter(Boolean);

    const result: CaseResult = {
      room,
      mode,
      subscribers,
      workers: workerCount,
      held,
      failed,
      notAttempted,
      connectS: round(connectS, 1),
      messages: options.messages,
      sent: phase.sent,
      sendErrors: phase.sendErrors,
      expected: phase.expected,
      received: phase.received,
      lost: phase.lost,
      duplicates: phase.duplicates,
      missingAuthor: phase.missingAuthor,
      disconnects: phase.disconnects,
      stillConnected: phase.stillConnected,
      latency: phase.latency,
      sendMs: phase.sendMs,
      windowS: phase.windowS,
      serverCpuS: phase.serverCpuS,
      serverCpuPct: phase.serverCpuPct,
      serverRssPeakMb: round(Math.max(serverHwmMb, peakRss / 1024), 1),
      serverRssAfterConnectMb: rssAfterConnectMb,
      serverFdsAfterConnect: fdsAfterConnect,
      loadgenCpuPct: phase.loadgenCpuPct,
      machineCpuPct: phase.machineCpuPct,
      otherCpuPct: phase.otherCpuPct,
      loadAverageAtStart,
      quiet,
      clientLoopDelayP99Ms: phase.clientLoopDelayP99Ms,
      requestsClient: options.messages + phase.requestsNaive,
      connectRequestsClient: ready.reduce((s, r) => s + r.connectRequests, 0),
      requestsServerLog: logged?.all ?? null,
      userViewsServerLog: logged?.userViews ?? null,
      openFiles: { server: serverFiles, workers: workerFiles },
      errors,
      note: notes.join('; '),
      reactions,
    };
    log(`  peak RSS ${result.serverRssPeakMb} MB`);
    return result;
  } finally {
    clearInterval(rssTimer);
    await stopWorkers(workers);
  }
}

// ---------------------------------------------------------------------------------------------------
// Tables

const modeName: Record<ClientMode, string> = {
  topic: 'ours: palaver/messages',
  expand: "PocketBase's: messages '*', expand",
  naive: 'naive getOne/event',
  plain: 'no expand (baseline)',
  reactions: "PocketBase's: reactions '*'",
};
const caseName = (r: { room: RoomKind; mode: ClientMode }) => `${r.room}, ${modeName[r.mode]}`;

function fanoutRow(r: CaseResult): Row {
  return {
    case: caseName(r),
    subscribers: r.subscribers,
    held: r.held,
    connect_s: r.connectS,
    messages: r.messages,
    expected: r.expected,
    received: r.received,
    lost: r.lost,
    p50_ms: r.latency.p50,
    p95_ms: r.latency.p95,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    posts_answered: r.sent,
    post_p50_ms: r.sent ? r.sendMs.p50 : null,
    post_max_ms: r.sent ? r.sendMs.max : null,
    server_cpu_pct: r.serverCpuPct,
    cpu_ms_per_delivery: r.received ? round((r.serverCpuS * 1000) / r.received, 3) : null,
    server_rss_mb: r.serverRssPeakMb,
    rss_connected_mb: r.serverRssAfterConnectMb,
    loadgen_cpu_pct: r.loadgenCpuPct,
    machine_cpu_pct: r.machineCpuPct,
    other_cpu_pct: r.otherCpuPct,
    note: r.note,
  };
}

/** PocketBase's per-subscriber path over ours, same room and size: above 1, ours is better by that factor. */
function ratioRow(theirs: CaseResult, ours: CaseResult): Row {
  const perDelivery = (r: CaseResult) => r.serverCpuS / r.received;
  return {
    case: `${theirs.room}, ratio PocketBase's/ours`,
    subscribers: theirs.subscribers,
    p50_ms: ratio(theirs.latency.p50, ours.latency.p50),
    p95_ms: ratio(theirs.latency.p95, ours.latency.p95),
    p99_ms: ratio(theirs.latency.p99, ours.latency.p99),
    max_ms: ratio(theirs.latency.max, ours.latency.max),
    server_cpu_pct: ratio(theirs.serverCpuPct, ours.serverCpuPct),
    cpu_ms_per_delivery: theirs.received && ours.received ? ratio(perDelivery(theirs), perDelivery(ours)) : null,
    server_rss_mb: ratio(theirs.serverRssPeakMb, ours.serverRssPeakMb),
    note:
      theirs.lost > 0 || ours.lost > 0
        ? 'a side lost deliveries within the drain window: compare cpu_ms_per_delivery'
        : '',
  };
}

/** A case's message phase, in the shape of a reaction phase. */
function phaseOf(r: CaseResult): PhaseResult {
  return { ...r, events: r.messages, t0: 0, t1: 0, requestsNaive: 0 };
}

function phaseRow(room: RoomKind, event: string, path: string, subscribers: number, r: PhaseResult): Row {
  return {
    case: `${room}, ${event}s, ${path}`,
    subscribers,
    events: r.events,
    expected: r.expected,
    received: r.received,
    lost: r.lost,
    p50_ms: r.latency.p50,
    p95_ms: r.latency.p95,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    posts_answered: r.sent,
    post_p50_ms: r.sent ? r.sendMs.p50 : null,
    server_cpu_pct: r.serverCpuPct,
    cpu_ms_per_delivery: r.received ? round((r.serverCpuS * 1000) / r.received, 3) : null,
    loadgen_cpu_pct: r.loadgenCpuPct,
    other_cpu_pct: r.otherCpuPct,
    note: [r.missingAuthor ? `${r.missingAuthor} without the author` : '', r.note].filter(Boolean).join('; '),
  };
}

function phaseRatioRow(label: string, subscribers: number, a: PhaseResult, b: PhaseResult): Row {
  return {
    case: label,
    subscribers,
    p50_ms: ratio(a.latency.p50, b.latency.p50),
    p95_ms: ratio(a.latency.p95, b.latency.p95),
    p99_ms: ratio(a.latency.p99, b.latency.p99),
    max_ms: ratio(a.latency.max, b.latency.max),
    post_p50_ms: ratio(a.sendMs.p50, b.sendMs.p50),
    server_cpu_pct: ratio(a.serverCpuPct, b.serverCpuPct),
    cpu_ms_per_delivery: a.received && b.received ? ratio(a.serverCpuS / a.received, b.serverCpuS / b.received) : null,
    note: a.lost > 0 || b.lost > 0 ? 'a side lost deliveries within the drain window: compare cpu_ms_per_delivery' : '',
  };
}

function skippedRow(room: RoomKind, mode: ClientMode, subscribers: number, note: string): Row {
  return {
    case: caseName({ room, mode }),
    subscribers,
    held: null,
    expected: null,
    received: null,
    lost: null,
    p99_ms: null,
    note,
  };
}

// ---------------------------------------------------------------------------------------------------
// Main

/** SIGTERM, and SIGKILL if the server has not exited 10 s later (then its data dir is still removed). */
async function stopServer(target: TestServer): Promise<void> {
  const stopping = target.stop().catch(() => undefined);
  const timer = setTimeout(() => void target.kill().catch(() => undefined), 10_000);
  await stopping;
  clearTimeout(timer);
}

let server: TestServer | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of liveWorkers) child.kill('SIGKILL');
    if (server) await stopServer(server);
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping workers and the server`);
    void cleanup().then(() => process.exit(130));
  });
}
// Last resort if something hangs past the budget: kill the workers and the server, and exit.
setTimeout(
  () => {
    log('watchdog: the bench ran 80 s past its budget; stopping everything');
    void cleanup().then(() => process.exit(3));
  },
  options.budgetS * 1000 + 80_000,
).unref();

async function main(): Promise<void> {
  ensureBackendBuilt((line) => log(line));
  server = await startTestServer({
    rateLimits: 'tests',
    serveArgs: options.serveArgs,
    ...(options.binary ? { binary: options.binary } : {}),
  });
  log(`server at ${server.url}`);
  const admin = await server.admin();
  // All load comes from one address (127.0.0.1), which the per-IP limits would treat as one very
  // busy client (the naive client alone makes S×M requests); in production these are S addresses.
  await admin.settings.update({ rateLimits: { enabled: false } });
  const rooms = await admin.collections.getOne('rooms');
  const membersField = (rooms.fields as Array<{ name: string; maxSelect?: number }>).find((f) => f.name === 'members');
  const membersLimit = membersField?.maxSelect ?? 1000;

  const want = new Set(options.cases);
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  const naiveSizes = want.has('naive') ? [...new Set(options.naiveSizes)].sort((a, b) => a - b) : [];
  const privateSizes = want.has('private') ? sizes.filter((s) => s <= membersLimit) : [];
  const accountsNeeded = Math.max(1, ...privateSizes, Math.min(membersLimit, Math.max(0, ...sizes)));
  log(`creating ${accountsNeeded} accounts (sender, private-room members, signed-in subscribers)…`);
  const accounts = await createAccounts(admin, accountsNeeded);
  log(`accounts ready`);

  // Plan: every size ascending; within a size public, private, naive. The most expensive runs last, so a
  // time budget running out costs the fewest cases.
  type Planned = { room: RoomKind; mode: ClientMode; subscribers: number };
  const plan: Planned[] = [];
  for (const s of [...new Set([...sizes, ...naiveSizes])].sort((a, b) => a - b)) {
    const ours = (want.has('public') && sizes.includes(s)) || naiveSizes.includes(s);
    const rules = want.has('rules') && options.rulesSizes.includes(s);
    if (ours) plan.push({ room: 'public', mode: 'topic', subscribers: s });
    if (privateSizes.includes(s)) plan.push({ room: 'private', mode: 'topic', subscribers: s });
    if (rules && want.has('public')) plan.push({ room: 'public', mode: 'expand', subscribers: s });
    if (rules && privateSizes.includes(s)) plan.push({ room: 'private', mode: 'expand', subscribers: s });
    if (reactsIn('reactions', s) && want.has('public'))
      plan.push({ room: 'public', mode: 'reactions', subscribers: s });
    if (reactsIn('reactions', s) && privateSizes.includes(s))
      plan.push({ room: 'private', mode: 'reactions', subscribers: s });
    if (naiveSizes.includes(s)) plan.push({ room: 'public', mode: 'naive', subscribers: s });
    if (want.has('plain') && sizes.includes(s)) plan.push({ room: 'public', mode: 'plain', subscribers: s });
  }

  const results = new Map<string, CaseResult>();
  const failures = new Map<string, string>();
  const key = (p: Planned) => `${p.room}/${p.mode}/${p.subscribers}`;
  for (const p of plan) {
    const timeLeftMs = deadline - Date.now();
    const phaseMs = (events: number) => events * options.intervalMs + Math.min(options.drainMs, 20_000);
    const minimum =
      30_000 +
      phaseMs(options.messages) +
      (reactsIn(p.mode, p.subscribers) ? phaseMs(options.reactions) : 0) +
      p.subscribers * 3;
    if (timeLeftMs < minimum) {
      failures.set(key(p), `skipped: the bench's time budget (${options.budgetS} s) ran out`);
      log(`skipping ${key(p)}: out of time`);
      continue;
    }
    try {
      results.set(key(p), await runCase(server, accounts, p.room, p.mode, p.subscribers, timeLeftMs));
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      failures.set(key(p), `failed: ${message}`);
      log(`case ${key(p)} failed: ${message}`);
    }
  }

  // ---- part 1 table
  const rows: Row[] = [];
  for (const s of sizes) {
    const plain = results.get(`public/plain/${s}`);
    for (const room of ['public', 'private'] as const) {
      if (!want.has(room)) continue;
      const k = `${room}/topic/${s}`;
      const r = results.get(k);
      if (r) rows.push(fanoutRow(r));
      else if (room === 'private' && s > membersLimit)
        rows.push(
          skippedRow(
            room,
            'topic',
            s,
            `not run: rooms.members allows at most ${membersLimit} members (maxSelect), so a private room cannot have ${s}`,
          ),
        );
      else rows.push(skippedRow(room, 'topic', s, failures.get(k) ?? 'not run'));
      if (!want.has('rules') || !options.rulesSizes.includes(s) || (room === 'private' && s > membersLimit)) continue;
      const theirs = results.get(`${room}/expand/${s}`);
      rows.push(
        theirs ? fanoutRow(theirs) : skippedRow(room, 'expand', s, failures.get(`${room}/expand/${s}`) ?? 'not run'),
      );
      if (r && theirs) rows.push(ratioRow(theirs, r));
    }
    if (plain) rows.push(fanoutRow(plain));
  }
  const details = [...results.values()].map((r) => ({ ...r, latency: { ...r.latency }, sendMs: { ...r.sendMs } }));
  const config = {
    ...options,
    membersLimit,
    clockTicksPerSecond: CLK_TCK,
    rateLimits: 'disabled for the bench (all load comes from 127.0.0.1)',
  };
  if (rows.length) {
    report(
      resultName('fanout'),
      `Realtime fan-out: S subscribers of one room, ours (palaver/messages) vs PocketBase's per-subscriber path (messages '*'), ${options.messages} messages every ${options.intervalMs} ms`,
      rows,
      {
        config,
        notes: [
          "ours = the palaver/messages topic (backend/room_broadcast.go); PocketBase's = messages '*' with expand: 'user', where the server checks the list rule with a query and expands the author once per subscriber; ratio row = PocketBase's / ours (above 1: ours is better by that factor)",
          'latency: receive Date.now() in a worker minus send Date.now() written into the message text by the sender (same machine, same clock)',
          `expected = held subscribers × messages; lost = expected − received, i.e. not received by the end of the drain (which ends when everything arrived, after ${options.idleMs / 1000} s without a delivery, or ${options.drainMs / 1000} s after the last send); received counts the first delivery of each message to each subscriber`,
          'server_cpu_pct: server utime+stime over the send+drain window, % of one core (this machine has ' +
            cpus().length +
            ' cores)',
          'cpu_ms_per_delivery: server CPU time over the window divided by deliveries received (less sensitive to other load on the machine than latency)',
          'server_rss_mb: VmHWM of a server process restarted just before the case (includes the connect phase)',
          'loadgen_cpu_pct: CPU of the worker processes and the sender (coordinator) over the same window; machine_cpu_pct: all processes, % of one core; other_cpu_pct: machine minus server minus load generator (anything else running on the machine competes with the measurement)',
          'posts_answered: the sender’s create requests answered by the end of the window; post_*_ms: how long the sender waited for its create request; PocketBase evaluates the rules and encodes every subscriber’s event inside that request',
        ],
        cases: details,
        failures: Object.fromEntries(failures),
      },
    );
  }

  // ---- reactions beside messages
  const reactionRows: Row[] = [];
  for (const s of sizes.filter((size) => reactsIn('topic', size))) {
    for (const room of ['public', 'private'] as const) {
      if (!want.has(room) || (room === 'private' && s > membersLimit)) continue;
      const ours = results.get(`${room}/topic/${s}`);
      const theirs = results.get(`${room}/expand/${s}`);
      const collection = results.get(`${room}/reactions/${s}`);
      const line = (r: CaseResult | undefined, event: 'message' | 'reaction', path: string, mode: ClientMode): Row =>
        r && (event === 'message' || r.reactions)
          ? phaseRow(room, event, path, s, event === 'message' ? phaseOf(r) : r.reactions!)
          : {
              case: `${room}, ${event}s, ${path}`,
              subscribers: s,
              note: failures.get(`${room}/${mode}/${s}`) ?? 'not run',
            };
      reactionRows.push(line(ours, 'message', 'ours', 'topic'));
      reactionRows.push(line(ours, 'reaction', 'ours', 'topic'));
      if (want.has('rules') && options.rulesSizes.includes(s))
        reactionRows.push(line(theirs, 'message', "PocketBase's messages '*'", 'expand'));
      reactionRows.push(line(collection, 'reaction', "PocketBase's reactions '*'", 'reactions'));
      if (ours?.reactions && collection?.reactions)
        reactionRows.push(
          phaseRatioRow(`${room}, reactions, ratio reactions '*'/ours`, s, collection.reactions, ours.reactions),
        );
      if (ours?.reactions)
        reactionRows.push(phaseRatioRow(`${room}, ours, reaction/message`, s, ours.reactions, phaseOf(ours)));
    }
  }
  if (reactionRows.length) {
    report(
      resultName('fanout-reactions'),
      `Reactions beside messages: S subscribers of one room, ${options.messages} messages then ${options.reactions} reactions to them, every ${options.intervalMs} ms`,
      reactionRows,
      {
        config,
        notes: [
          `each case connects S subscribers, sends ${options.messages} messages (measured as in fanout.json), then ${options.reactions} reactions by the same sender to those messages, reaction k to message k % ${options.messages} with emoji k / ${options.messages} (${REACTION_EMOJI.length} at most per message); the same subscribers receive both`,
          "ours: a reaction is a `reactions` create; the server recomputes the message's reactionInfo and its message update goes out once on palaver/messages (backend/reactions.go, room_broadcast.go). PocketBase's reactions '*': PocketBase's own per-subscriber path for the same reaction (its list rule checked with a query per subscriber, the record encoded per subscriber; a small record, no expand), what a client subscribes to without the broadcast, adding the reactions up itself. PocketBase's messages '*' carries no reaction (the summary is written by SQL and announced on palaver/messages only): its row here is its messages, for reference",
          "latency: a reaction changes no text, so each worker keeps receive times and subtracts the send time the sender recorded (same machine, same clock); which reaction an update is comes from its message and its reactions' total count (on reactions '*': its message and emoji)",
          "cpu_ms_per_delivery: server CPU over the phase window / deliveries received; post_p50_ms: how long the sender waited for its create (the reactionInfo recompute and, on PocketBase's path, every subscriber's rule check happen inside it)",
          `ratio rows: the first row over the second (above 1: the second is cheaper); "reaction/message" compares a reaction with a message on our path. The machine has ${cpus().length} cores, shared by the server and the load generator (loadgen_cpu_pct)`,
        ],
      },
    );
  }

  // ---- part 2 table
  const naiveRows: Row[] = [];
  for (const s of naiveSizes) {
    const ours = results.get(`public/topic/${s}`);
    const naive = results.get(`public/naive/${s}`);
    const line = (r: CaseResult | undefined, client: string, note?: string): Row =>
      r
        ? {
            client,
            subscribers: s,
            messages: r.messages,
            held: r.held,
            lost: r.lost,
            received: r.received,
            requests_client: r.requestsClient,
            requests_server_log: r.requestsServerLog,
            server_cpu_s: r.serverCpuS,
            server_cpu_pct: r.serverCpuPct,
            cpu_ms_per_delivery: r.received ? round((r.serverCpuS * 1000) / r.received, 3) : null,
            p50_ms: r.latency.p50,
            p99_ms: r.latency.p99,
            note: r.note,
          }
        : { client, subscribers: s, note: note ?? 'not run' };
    naiveRows.push(line(naive, 'naive: getOne per event', failures.get(`public/naive/${s}`)));
    naiveRows.push(line(ours, 'ours: palaver/messages (author in the event)', failures.get(`public/topic/${s}`)));
    if (ours && naive) {
      naiveRows.push({
        client: 'ratio naive/ours',
        subscribers: s,
        messages: options.messages,
        requests_client: ratio(naive.requestsClient, ours.requestsClient),
        requests_server_log:
          naive.requestsServerLog !== null && ours.requestsServerLog
            ? ratio(naive.requestsServerLog, ours.requestsServerLog)
            : null,
        server_cpu_s: ratio(naive.serverCpuS, ours.serverCpuS),
        server_cpu_pct: ratio(naive.serverCpuPct, ours.serverCpuPct),
        cpu_ms_per_delivery:
          naive.received && ours.received
            ? ratio(naive.serverCpuS / naive.received, ours.serverCpuS / ours.received)
            : null,
        p50_ms: ratio(naive.latency.p50, ours.latency.p50),
        p99_ms: ratio(naive.latency.p99, ours.latency.p99),
        note:
          naive.lost > 0 || ours.lost > 0
            ? `${[naive.lost > 0 ? 'naive' : '', ours.lost > 0 ? 'ours' : ''].filter(Boolean).join(' and ')} did not receive everything within the drain window: totals (requests, CPU s, latency) cover only what was done by then; cpu_ms_per_delivery compares the work per delivery`
            : '',
      });
    }
  }
  if (naiveRows.length) {
    report(
      resultName('fanout-naive'),
      `Naive (getOne per realtime event) vs ours (author in the event): public room, ${options.messages} messages every ${options.intervalMs} ms`,
      naiveRows,
      {
        config,
        notes: [
          'requests_client: requests made during the send+drain window, counted by the clients (the sender’s creates + the naive client’s users.getOne calls); connecting (SSE GET + subscription POST per subscriber) is the same for both and not included',
          'requests_server_log: requests PocketBase logged (/api/logs, data.type = "request") in the same window, as a cross-check',
          'naive latency: until the author’s record is back from getOne (when the message can be shown with its author)',
          'server_cpu_s: server CPU seconds for the whole window (the fairest measure of work when both received everything); server_cpu_pct: the same per second of window; cpu_ms_per_delivery: server CPU per delivery received (comparable even when a run did not finish)',
        ],
      },
    );
  }

  // ---- verdict against the goals of the issue (reported, not asserted)
  const biggest = results.get(`public/topic/10000`);
  const at1000 = ['public', 'private']
    .map((room) => results.get(`${room}/topic/1000`))
    .filter((r): r is CaseResult => !!r);
  const measured = [...results.values()].filter((r) => r.mode === 'topic');
  const held10k = biggest
    ? `${biggest.held >= 10_000 ? 'yes' : 'NO'} (held ${biggest.held.toLocaleString('en')} of 10,000${biggest.held ? `, still connected at the end ${biggest.stillConnected.toLocaleString('en')}` : ''})`
    : 'not measured';
  const p99 = at1000.length
    ? `${at1000.every((r) => r.latency.p99 < 250) ? 'yes' : 'NO'} (${at1000.map((r) => `${r.room} p99 ${r.latency.p99} ms`).join(', ')})`
    : 'not measured';
  const lossy = measured.filter((r) => r.lost > 0 || r.held < r.subscribers);
  // (lost = not received by the end of the drain window; see the notes in the JSON)
  const zeroLost = measured.length
    ? lossy.length === 0
      ? 'yes (every held subscriber got every message, and every subscriber was held)'
      : `NO (${lossy.map((r) => `${caseName(r)} S=${r.subscribers}: lost ${r.lost}${r.held < r.subscribers ? `, held ${r.held}/${r.subscribers}` : ''}`).join('; ')})`
    : 'not measured';
  console.log(
    `\nVERDICT — 10,000 subscribers held: ${held10k}. 1,000-subscriber fan-out p99 < 250 ms: ${p99}. Zero lost: ${zeroLost}.`,
  );
  // A case that failed, or that the time budget left unrun, fails the bench (after the tables of the
  // cases that did run are written).
  if (failures.size) {
    console.error(
      `\nfanout: ${failures.size} of ${plan.length} cases did not run to the end:\n${[...failures].map(([k, why]) => `  ${k}: ${why}`).join('\n')}`,
    );
    process.exitCode = 1;
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit(process.exitCode ?? 0)));
