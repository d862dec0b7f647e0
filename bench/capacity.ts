// Capacity (issue 19): what one server holds on a given VPS plan, with a load generator that is not the
// bottleneck. For each plan the server runs under CPU and memory limits standing for it
// (bench/lib/cgroup.ts), the Go generator (bench/loadgen) outside them; S people (default 10,000) are
// seeded, all members of one public room, each signed in and holding one realtime connection subscribed
// as the app subscribes (chat.svelte.ts, presence, typing, read markers, notification levels). Then:
// - messages into the room at stepped rates (1, 2, 3, 4, 6, … a second) for STEP_S each, every one
//   carrying its send time: per-delivery latency, and what did not arrive; the steps stop at the first
//   whose p99 is over 1 s or that lost anything. Deliveries/s = subscribers x messages/s.
// - creates through the API rules: CREATE_CLIENTS accounts, one create in flight each, into a small
//   private room of theirs (the broadcast still looks at every held connection), while all S are held.
// - server RSS with the connections, and the memory group's peak; server and generator CPU.
// The plan "2 cores, shared" is this machine without limits, generator included (the issue's goal).
//
// Options (environment): PALAVER_CAPACITY_PLANS ("0.5/1024,1/2048,0/0": vCPUs/MiB, 0 = no limit),
// PALAVER_CAPACITY_SUBSCRIBERS (10000), PALAVER_CAPACITY_RATES ("1,2,3,4,6,8,12,16,24,32"),
// PALAVER_CAPACITY_STEP_S (15), PALAVER_CAPACITY_GOAL_S (60: the first step of the unlimited plan),
// PALAVER_CAPACITY_DRAIN_S (10), PALAVER_CAPACITY_CREATE_CLIENTS (16), PALAVER_CAPACITY_CREATE_S (10),
// PALAVER_CAPACITY_TOPICS ("app", or "messages" for palaver/messages alone), PALAVER_CAPACITY_LIMITS
// ("required"; "optional" runs a plan unlimited where cgroups cannot be written, for the smoke run).
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackendBuilt, serverBinary } from '../scripts/backend-build.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { MESSAGES_TOPIC, PRESENCE_TOPIC, READS_TOPIC, TYPING_TOPIC } from '../src-shared/realtime-topics.ts';
import { sqliteExec } from './history-seed.ts';
import { limitServer, type LimitedServer, type Plan } from './lib/cgroup.ts';
import { buildLoadgen, Loadgen, type SendReply, type Sender } from './lib/loadgen.ts';
import { cpuSeconds, findServerPid } from './lib/proc.ts';
import { pool } from './lib/sse.ts';
import { report, round, type Row } from './lib/report.ts';

const env = (name: string, fallback: string) => process.env[`PALAVER_CAPACITY_${name}`] || fallback;
const SUBSCRIBERS = Number(env('SUBSCRIBERS', '10000'));
const RATES = env('RATES', '1,2,3,4,6,8,12,16,24,32').split(',').map(Number);
const STEP_S = Number(env('STEP_S', '15'));
const GOAL_S = Number(env('GOAL_S', '60'));
const DRAIN_S = Number(env('DRAIN_S', '10'));
const CREATE_CLIENTS = Number(env('CREATE_CLIENTS', '16'));
const CREATE_S = Number(env('CREATE_S', '10'));
const PLANS: Plan[] = env('PLANS', '0.5/1024,1/2048,0/0')
  .split(',')
  .map((spec) => {
    const [cpus, memoryMiB] = spec.split('/').map(Number) as [number, number];
    const name =
      cpus > 0
        ? `${cpus} vCPU / ${memoryMiB >= 1024 ? `${memoryMiB / 1024} GB` : `${memoryMiB} MB`}`
        : '2 cores, shared';
    return { name, cpus, memoryMiB };
  });
/** As the SDK sends them: every topic the app subscribes to, options encoded into the topic. */
const APP_TOPICS = [
  'PB_CONNECT',
  MESSAGES_TOPIC,
  `rooms/*?options=${encodeURIComponent(JSON.stringify({ query: { expand: 'members,invited,moderators' } }))}`,
  READS_TOPIC,
  'notification_levels/*',
  PRESENCE_TOPIC,
  TYPING_TOPIC,
];
const TOPICS = env('TOPICS', 'app') === 'app' ? APP_TOPICS : [MESSAGES_TOPIC];
const P99_LIMIT_MS = 1000;
/** PALAVER_CAPACITY_LIMITS=optional: run a plan without its limits when cgroups cannot be written. */
const LIMITS_OPTIONAL = env('LIMITS', 'required') === 'optional';

const started = Date.now();
const log = (line: string) => console.log(`[capacity +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((x) => round(x, 1))
    .join(' ');

function status(pid: number): { rssMiB: number; peakMiB: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) / 1024;
  return { rssMiB: round(kb('VmRSS'), 0), peakMiB: round(kb('VmHWM'), 0) };
}

/** People seeded by SQL (hashing thousands of passwords is setup, not measurement), ids bench<n>. */
function seedPeople(dataDir: string, count: number): string[] {
  const ids = Array.from({ length: count }, (_, i) => `cap${String(i).padStart(12, '0')}`);
  const now = new Date().toISOString().replace('T', ' ');
  let sql = 'BEGIN;\n';
  for (let start = 0; start < count; start += 500) {
    const rows = ids
      .slice(start, start + 500)
      .map(
        (id, j) =>
          `('${id}','${id}@bench.palaver.test','${id}key','${now}','${now}',1,'cap_${start + j}','Person ${start + j}','')`,
      );
    sql += `INSERT INTO users (id,email,tokenKey,created,updated,verified,username,name,password) VALUES\n${rows.join(',\n')};\n`;
  }
  sqliteExec(join(dataDir, 'data.db'), `${sql}COMMIT;\n`);
  return ids;
}

interface PlanResult {
  plan: Plan;
  how: string;
  held: number;
  connectSeconds: number;
  connectErrors: Record<string, number>;
  rssIdleMiB: number;
  rssHeldMiB: number;
  steps: Array<SendReply & { serverCpuPercent: number; load: string; passed: boolean }>;
  creates: { perSecond: number; p50Ms: number; p99Ms: number; errors: number; serverCpuPercent: number; load: string };
  rssPeakMiB: number;
  groupPeakMiB: number;
  oomKills: number;
  throttledSeconds: number;
}

async function measurePlan(plan: Plan, generatorBinary: string): Promise<PlanResult> {
  let limits: LimitedServer | null = null;
  let unlimitedWhy = '';
  if (plan.cpus > 0 || plan.memoryMiB > 0) {
    try {
      limits = limitServer(plan, serverBinary);
    } catch (error) {
      // The smoke run proves the code runs where cgroups cannot be written (not root); a real run must not.
      if (!LIMITS_OPTIONAL) throw error;
      unlimitedWhy = `limits NOT applied (${String(error)})`;
      log(`${plan.name}: ${unlimitedWhy}`);
    }
  }
  const server = await startTestServer({ binary: limits?.binary });
  const generator = new Loadgen(generatorBinary, SUBSCRIBERS + 2_000);
  try {
    const pid = findServerPid(server.port);
    const admin = await server.admin();
    // Thousands of requests from one address: PocketBase's per-IP and per-account limits are not measured.
    await admin.settings.update({ rateLimits: { enabled: false } });
    const people = seedPeople(server.dataDir, SUBSCRIBERS + CREATE_CLIENTS + 1);
    const [owner] = people;
    const room = await admin
      .collection('rooms')
      .create({ name: 'general-capacity', kind: 'public', owner, members: [owner] });
    // Everyone a member, as everyone is of #general (a room record of SUBSCRIBERS ids read per message).
    sqliteExec(
      join(server.dataDir, 'data.db'),
      `UPDATE rooms SET members = '${JSON.stringify(people)}' WHERE id = '${room.id}';`,
    );
    const writers = people.slice(SUBSCRIBERS + 1);
    const small = await admin
      .collection('rooms')
      .create({ name: 'writers', kind: 'private', owner: writers[0], members: writers });
    const tokens: string[] = new Array(people.length);
    await pool(people.length, 16, async (i) => {
      const answer = await admin.send<{ token: string }>(`/api/collections/users/impersonate/${people[i]}`, {
        method: 'POST',
        body: { duration: 7200 },
        requestKey: null,
      });
      tokens[i] = answer.token;
    });
    const sender: Sender = { token: tokens[0]!, user: owner! };
    const senders: Sender[] = writers.map((user, i) => ({ user, token: tokens[SUBSCRIBERS + 1 + i]! }));
    await sleep(2000);
    const rssIdleMiB = status(pid).rssMiB;
    log(`${plan.name}: ${people.length} people seeded and signed in (${limits?.how ?? 'no limits'}); load ${load()}`);

    const connected = await generator.ask({
      cmd: 'connect',
      url: server.url,
      tokens: tokens.slice(1, SUBSCRIBERS + 1),
      topics: TOPICS,
      concurrency: 64,
      timeoutMs: 60_000,
    });
    log(
      `${plan.name}: ${connected.held} held, ${connected.failed} failed in ${round(connected.seconds, 1)} s ${connected.failed ? JSON.stringify(connected.errors) : ''}`,
    );
    // Everyone coming online is a burst of presence events to everyone; measure after it settles.
    for (let quiet = 0, i = 0; quiet < 2 && i < 60; i++) {
      const cpu0 = cpuSeconds(pid);
      await sleep(1000);
      quiet = cpuSeconds(pid) - cpu0 < 0.05 ? quiet + 1 : 0;
    }
    const rssHeldMiB = status(pid).rssMiB;

    const steps: PlanResult['steps'] = [];
    for (const [i, rate] of RATES.entries()) {
      const seconds = i === 0 && plan.cpus === 0 ? GOAL_S : STEP_S;
      const stepLoad = load();
      const cpu0 = cpuSeconds(pid);
      const t0 = Date.now();
      const reply = await generator.ask({
        cmd: 'send',
        room: room.id,
        senders: [sender],
        rate,
        seconds,
        phase: `r${rate}`,
        drainMs: DRAIN_S * 1000,
      });
      const serverCpuPercent = round((100 * (cpuSeconds(pid) - cpu0) * 1000) / (Date.now() - t0), 0);
      const errors = Object.values(reply.createErrors).reduce((s, n) => s + n, 0);
      const passed =
        reply.latency.p99Ms < P99_LIMIT_MS && reply.missing === 0 && errors === 0 && reply.droppedDuring === 0;
      steps.push({ ...reply, serverCpuPercent, load: stepLoad, passed });
      log(
        `${plan.name}: ${rate}/s x ${reply.subscribers} for ${seconds} s: p50 ${reply.latency.p50Ms} p99 ${reply.latency.p99Ms} max ${reply.latency.maxMs} ms, ` +
          `missing ${reply.missing}, create errors ${errors}, dropped ${reply.droppedDuring}; server ${serverCpuPercent}% of a core, ` +
          `generator ${round(reply.generatorCpuPercent, 0)}%; load ${stepLoad}${passed ? '' : ' -> over the line, stopping'}`,
      );
      if (!passed) break;
      await sleep(2000);
    }

    const createLoad = load();
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    const made = await generator.ask({ cmd: 'creates', room: small.id, senders, seconds: CREATE_S, phase: 'creates' });
    const creates = {
      perSecond: round(made.perSecond, 0),
      p50Ms: made.latency.p50Ms,
      p99Ms: made.latency.p99Ms,
      errors: Object.values(made.errors).reduce((s, n) => s + n, 0),
      serverCpuPercent: round((100 * (cpuSeconds(pid) - cpu0) * 1000) / (Date.now() - t0), 0),
      load: createLoad,
    };
    log(
      `${plan.name}: ${creates.perSecond} creates/s (${made.clients} clients, p99 ${creates.p99Ms} ms, ${creates.errors} errors); load ${createLoad}`,
    );
    const group = limits?.memory() ?? { peakMiB: NaN, oomKills: 0 };
    return {
      plan,
      how:
        limits?.how ??
        (unlimitedWhy || 'no limits: the whole 2-core machine, shared with the generator and other work'),
      held: connected.held,
      connectSeconds: round(connected.seconds, 1),
      connectErrors: connected.errors,
      rssIdleMiB,
      rssHeldMiB,
      steps,
      creates,
      rssPeakMiB: status(pid).peakMiB,
      groupPeakMiB: round(group.peakMiB, 0),
      oomKills: group.oomKills,
      throttledSeconds: round(limits?.throttledSeconds() ?? 0, 1),
    };
  } finally {
    generator.stop();
    await server.stop();
    limits?.remove();
  }
}

function planRow(r: PlanResult): Row {
  const best = r.steps.filter((s) => s.passed).at(-1);
  return {
    plan: r.plan.name,
    'connections held': r.held,
    'messages/s (p99 < 1 s, none lost)': best?.rate ?? 0,
    'deliveries/s': best ? best.rate * best.subscribers : 0,
    'p99 ms there': best?.latency.p99Ms ?? null,
    'server CPU % there': best?.serverCpuPercent ?? null,
    'generator CPU % there': best ? round(best.generatorCpuPercent, 0) : null,
    'first step over': r.steps.find((s) => !s.passed)?.rate ?? 'none',
    'creates/s': r.creates.perSecond,
    'RSS idle / held / peak MiB': `${r.rssIdleMiB} / ${r.rssHeldMiB} / ${r.rssPeakMiB}`,
    'load at start': r.steps[0]?.load ?? '',
  };
}

async function main(): Promise<void> {
  ensureBackendBuilt(log);
  const generatorBinary = buildLoadgen();
  const results: PlanResult[] = [];
  for (const plan of PLANS) {
    log(`--- ${plan.name}`);
    results.push(await measurePlan(plan, generatorBinary));
  }
  report(
    'capacity',
    `Capacity: ${SUBSCRIBERS} signed-in subscribers of one public room (topics: ${TOPICS.length > 1 ? 'as the app' : MESSAGES_TOPIC}), the server under each plan's limits, the Go generator outside them`,
    results.map(planRow),
    {
      subscribers: SUBSCRIBERS,
      topics: TOPICS,
      rates: RATES,
      stepSeconds: STEP_S,
      goalSeconds: GOAL_S,
      plans: results,
    },
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
