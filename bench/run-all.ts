// `npm run bench`: every benchmark in turn, each starting its own server; `npm run bench -- history`
// runs only the named ones. Results: the tables printed, and bench/results/<name>.json.
//
// `npm run bench:smoke` (`--smoke`): every benchmark through the same code, at tiny sizes, in about a
// minute, writing to bench/results/smoke/ (ignored by git) so the real results stay as measured. It is
// there to catch a benchmark that no longer runs (CI runs it); its numbers mean nothing.
//
// Each benchmark has a deadline here too, past its own (DEADLINE_S; PALAVER_BENCH_DEADLINE_S sets one
// for all): a benchmark still running then is stopped with everything it started (its process group:
// servers, browser, workers) and counted as failed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../scripts/backend-build.ts';
import { duration } from './lib/deadline.ts';

const smoke = process.argv.includes('--smoke');
const all = [
  'sending',
  'history',
  'renderer',
  'fanout',
  'attachments',
  'unread',
  'presence',
  'typing',
  'search',
  'replication',
  'capacity',
] as const;
type Bench = (typeof all)[number];

/** Sizes for the smoke run: each benchmark's own options, as small as still exercises its code. */
const SMOKE_ENV: Record<Bench, Record<string, string>> = {
  sending: { PALAVER_SEND_CLIENTS: '2', PALAVER_SEND_SECONDS: '2', PALAVER_SEND_OUTBOX_MESSAGES: '20' },
  history: {
    PALAVER_HISTORY_SIZES: '2000',
    PALAVER_HISTORY_ROOMS: '20',
    PALAVER_HISTORY_USERS: '60',
    PALAVER_HISTORY_RUNS: '10',
    PALAVER_HISTORY_CELL_SECONDS: '1',
    PALAVER_HISTORY_SIZE_DEADLINE_S: '100',
  },
  // More live messages than a room's window holds, so the window lets go of pages.
  renderer: { PALAVER_RENDER_MESSAGES: '500', PALAVER_RENDER_APPENDS: '400', PALAVER_RENDER_RUNS: '2' },
  fanout: {
    PALAVER_FANOUT_SIZES: '20',
    PALAVER_FANOUT_NAIVE_SIZES: '20',
    PALAVER_FANOUT_RULES_SIZES: '20',
    PALAVER_FANOUT_REACTION_SIZES: '20',
    PALAVER_FANOUT_MESSAGES: '5',
    PALAVER_FANOUT_INTERVAL_MS: '50',
    PALAVER_FANOUT_DRAIN_MS: '10000',
    PALAVER_FANOUT_IDLE_MS: '3000',
    PALAVER_FANOUT_BUDGET_S: '150',
  },
  // One upload of 100 KB each way; five small photos, each mode visited once.
  attachments: {
    PALAVER_ATTACH_UPLOAD_MB: '0.1',
    PALAVER_ATTACH_UPLOADS: '1',
    PALAVER_ATTACH_IMAGES: '5',
    PALAVER_ATTACH_DISTINCT_PHOTOS: '2',
    PALAVER_ATTACH_PHOTO_SIZE: '800x600',
    PALAVER_ATTACH_RUNS: '1',
  },
  unread: { PALAVER_UNREAD_MESSAGES: '20000', PALAVER_UNREAD_RUNS: '10', PALAVER_UNREAD_NAIVE_RUNS: '2' },
  presence: { PALAVER_PRESENCE_CONNECTIONS: '200', PALAVER_PRESENCE_WORKERS: '2', PALAVER_PRESENCE_RUNS: '2' },
  typing: {
    PALAVER_TYPING_SUBSCRIBERS: '20',
    PALAVER_TYPING_TYPISTS: '3',
    PALAVER_TYPING_MESSAGES: '5',
    PALAVER_TYPING_ROUNDS: '1',
    PALAVER_TYPING_TYPING_ONLY_S: '4',
    PALAVER_TYPING_IDLE_S: '2',
  },
  // 2,000 messages in 20 rooms (no rare word at that size: its query finds nothing), one size; creates 2 s a round.
  search: {
    PALAVER_SEARCH_SIZES: '2000',
    PALAVER_SEARCH_ROOMS: '20',
    PALAVER_SEARCH_USERS: '60',
    PALAVER_SEARCH_RUNS: '10',
    PALAVER_SEARCH_NAIVE_RUNS: '2',
    PALAVER_SEARCH_CREATE_CLIENTS: '2',
    PALAVER_SEARCH_CREATE_SECONDS: '2',
  },
  // 50 creates/s for 2 s against each of the three replicas (4 clients).
  replication: { PALAVER_REPLICATION_RATE: '50', PALAVER_REPLICATION_SECONDS: '2', PALAVER_REPLICATION_CLIENTS: '4' },
  // 200 subscribers, the half-vCPU plan and no limits, 1 then 2 messages/s for 2 s each, creates 2 s.
  capacity: {
    PALAVER_CAPACITY_PLANS: '0.5/1024,0/0',
    PALAVER_CAPACITY_SUBSCRIBERS: '200',
    PALAVER_CAPACITY_RATES: '1,2',
    PALAVER_CAPACITY_STEP_S: '2',
    PALAVER_CAPACITY_GOAL_S: '2',
    PALAVER_CAPACITY_DRAIN_S: '5',
    PALAVER_CAPACITY_CREATE_CLIENTS: '4',
    PALAVER_CAPACITY_CREATE_S: '2',
    PALAVER_CAPACITY_LIMITS: 'optional', // cgroups need root; CI may not be
  },
};

/** How long a benchmark may run before it is stopped: a full run's sizes, then the smoke run's. */
const DEADLINE_S: Record<Bench, { full: number; smoke: number }> = {
  sending: { full: 300, smoke: 60 },
  history: { full: 3_600, smoke: 100 },
  // The web build, then two rooms seeded (plain and rich), opened, followed and scrolled back through.
  renderer: { full: 1_500, smoke: 180 },
  // Its own budget (--budget-s, 660 s) plus its watchdog's 80 s, plus the build and setup.
  fanout: { full: 870, smoke: 180 },
  // The web build, 200 photos made and uploaded, then each mode visited and scrolled through.
  attachments: { full: 1_200, smoke: 150 },
  // 1M messages seeded by SQL, then ours and the naive sweeps interleaved.
  unread: { full: 1_200, smoke: 120 },
  // 10,000 people seeded and signed in, their connections opened, five people online each way.
  presence: { full: 900, smoke: 120 },
  // 1,000 members connected; idle, two rounds of messages with and without typing, typing alone.
  typing: { full: 600, smoke: 120 },
  // 100k then 1M messages seeded by SQL with the search triggers firing, ours and naive interleaved for
  // three queries, then four 15 s rounds of creates with and without the triggers, then the rebuild.
  search: { full: 3_000, smoke: 120 },
  // Litestream and versitygw built (cached), then three replicas each 20 s under load and its drain.
  replication: { full: 600, smoke: 120 },
  // Per plan: 10,000 people seeded and connected, up to ten message rates of 15 s (the first 60 s without
  // limits), then creates; three plans.
  capacity: { full: 1_800, smoke: 120 },
};

function run(name: Bench): Promise<{ ok: boolean; why: string; seconds: number }> {
  const limitS = Number(process.env.PALAVER_BENCH_DEADLINE_S) || DEADLINE_S[name][smoke ? 'smoke' : 'full'];
  const env = smoke
    ? { ...process.env, PALAVER_BENCH_RESULTS: join('bench', 'results', 'smoke'), ...SMOKE_ENV[name] }
    : process.env;
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so that stopping it stops its servers, browser and workers too.
    const child = spawn('npx', ['tsx', join('bench', `${name}.ts`)], {
      cwd: repoRoot,
      stdio: 'inherit',
      env,
      detached: true,
    });
    let timedOut = false;
    const stopGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\nbench/${name}.ts: still running after its deadline of ${duration(limitS * 1000)}; stopping it`);
      stopGroup('SIGTERM');
      setTimeout(() => stopGroup('SIGKILL'), 15_000).unref();
    }, limitS * 1000);
    const onSignal = () => stopGroup('SIGTERM');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Whatever it left behind in its group (a server it did not stop) goes with it.
      stopGroup('SIGKILL');
      const seconds = Math.round((Date.now() - started) / 1000);
      if (timedOut) resolve({ ok: false, why: `hit the deadline of ${duration(limitS * 1000)}`, seconds });
      else if (code === 0) resolve({ ok: true, why: '', seconds });
      else resolve({ ok: false, why: signal ? `stopped by ${signal}` : `exit code ${code}`, seconds });
    });
  });
}

const chosen = all.filter((name) => process.argv.includes(name));
const started = Date.now();
const failed: string[] = [];
const times: string[] = [];
for (const name of chosen.length ? chosen : all) {
  console.log(`\n=== bench/${name}.ts${smoke ? ' (smoke: tiny sizes)' : ''}`);
  const result = await run(name);
  times.push(`${name} ${result.seconds} s`);
  if (!result.ok) failed.push(`${name} (${result.why})`);
}
console.log(
  `\n${smoke ? 'bench:smoke' : 'bench'}: ${times.join(', ')}; ${Math.round((Date.now() - started) / 1000)} s in all`,
);
if (failed.length) {
  console.error(`These benchmarks failed: ${failed.join(', ')} (see their output above).`);
  process.exit(1);
}
