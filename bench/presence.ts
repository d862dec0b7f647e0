// Presence at 10,000 connections (issue 16): what the server's in-memory presence (backend/presence.go)
// costs in memory, and what one person coming online costs: the time until every subscriber has the
// event and the server CPU for that one broadcast, against the naive way in the same run (a `presence`
// collection with one record per person, written when they come online, delivered by PocketBase's own
// record subscription: a database write, and the list rule checked with a query per subscriber).
//
// 10,000 people are seeded straight into the database (one account per connection), each signed in by a
// token from the superuser's impersonation route, and connected from worker processes that hold their
// SSE connections on plain sockets (bench/presence-worker.ts). The connections first subscribe only to
// a keep-alive record (touched once a minute outside measurements: PocketBase ends a connection sent
// nothing for 5 minutes, and opening 10,000 takes longer than that here) and then switch to the topic
// measured: 10,000 people coming online one after another while all of them listen would be 50 million
// deliveries before the first measurement (see "Coming online all at once" in bench/README.md).
//
// The generator shares the machine's 2 cores with the server: every latency here includes the time the
// receiving workers needed to get scheduled.
//
// Options (environment): PALAVER_PRESENCE_CONNECTIONS (10000), PALAVER_PRESENCE_WORKERS (4),
// PALAVER_PRESENCE_RUNS (5 people coming online per way).
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpuSeconds, findServerPid } from './lib/proc.ts';
import { join } from 'node:path';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { PRESENCE_TOPIC } from '../src-shared/realtime-topics.ts';
import { sqliteExec } from './history-seed.ts';
import { openSse, pool, subscribe } from './lib/sse.ts';
import { report, round, summarize, type Row } from './lib/report.ts';
import type { FromPresenceWorker, ToPresenceWorker } from './presence-worker.ts';

const CONNECTIONS = Number(process.env.PALAVER_PRESENCE_CONNECTIONS) || 10_000;
const WORKERS = Number(process.env.PALAVER_PRESENCE_WORKERS) || 4;
const RUNS = Number(process.env.PALAVER_PRESENCE_RUNS) || 5;
/** People coming online together in the burst phase (everyone reconnecting after a restart, in small). */
const BURST = Number(process.env.PALAVER_PRESENCE_BURST) || Math.min(1000, Math.max(10, Math.round(CONNECTIONS / 10)));
const KEEPALIVE_COLLECTION = 'bench_keepalive';
/** PocketBase ends a realtime connection that was sent nothing for 5 minutes; a ramp takes longer here. */
const KEEPALIVE_EVERY_MS = 60_000;
const NAIVE_COLLECTION = 'bench_presence';
const SHARED = 'the load generator shares the 2 cores with the server';

const started = Date.now();
const log = (line: string) => console.log(`[presence +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

// --- /proc: memory and limits (the pid and CPU time from bench/lib/proc.ts)

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? round(Number(match[1]) / 1024, 1) : NaN;
}

function openFilesLimit(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.replace('Max open files', '').trim().split(/\s+/)[0]);
}

/** The heap the tracker keeps per connected person, from the Go benchmark beside presence.go. */
function trackerBytesPerPerson(): number {
  const out = execFileSync('go', ['test', '-run', '^$', '-bench', 'PresenceTrackerMemory', '-benchtime', '1x', '.'], {
    cwd: join(repoRoot, 'backend'),
    encoding: 'utf8',
  });
  return Number(/([\d.]+) bytes\/person/.exec(out)?.[1]);
}

// --- workers

const workers: ChildProcess[] = [];

function ask<T extends FromPresenceWorker['type']>(
  worker: ChildProcess,
  message: ToPresenceWorker,
  answer: T,
): Promise<Extract<FromPresenceWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const listener = (reply: FromPresenceWorker) => {
      if (reply.type === 'fatal') reject(new Error(reply.error));
      if (reply.type !== answer) return;
      worker.off('message', listener);
      resolve(reply as Extract<FromPresenceWorker, { type: T }>);
    };
    worker.on('message', listener);
    worker.send(message);
  });
}

const askAll = <T extends FromPresenceWorker['type']>(message: ToPresenceWorker, answer: T) =>
  Promise.all(workers.map((worker) => ask(worker, message, answer)));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  ensureBackendBuilt(log);
  const server = await startTestServer();
  const stopAll = async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await server.stop();
  };
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(1)));
  try {
    const pid = findServerPid(server.port);
    const admin = await server.admin();
    // Ten thousand subscription requests from one address: PocketBase's per-IP limits are not what is measured.
    await admin.settings.update({ rateLimits: { enabled: false } });
    await admin.collections.create({
      name: NAIVE_COLLECTION,
      type: 'base',
      fields: [
        { name: 'user', type: 'text', required: true },
        { name: 'status', type: 'text' },
      ],
      listRule: "@request.auth.id != ''",
      viewRule: "@request.auth.id != ''",
    });
    // Open rules: PocketBase delivers its events without a query per subscriber.
    await admin.collections.create({
      name: KEEPALIVE_COLLECTION,
      type: 'base',
      fields: [{ name: 'tick', type: 'number' }],
      listRule: '',
      viewRule: '',
    });
    const keepalive = await admin.collection(KEEPALIVE_COLLECTION).create<{ id: string }>({ tick: 0 });
    const KEEPALIVE_TOPIC = `${KEEPALIVE_COLLECTION}/${keepalive.id}`;
    let measuring = false;
    let ticks = 0;
    const keepaliveTimer = setInterval(() => {
      if (!measuring) void admin.collection(KEEPALIVE_COLLECTION).update(keepalive.id, { tick: ++ticks });
    }, KEEPALIVE_EVERY_MS);

    // --- people: seeded by SQL (hashing 10,000 passwords would take longer than the measurements)
    const people = CONNECTIONS + RUNS + BURST;
    const ids = Array.from({ length: people }, (_, i) => `bench${String(i).padStart(10, '0')}`);
    const now = new Date().toISOString().replace('T', ' ');
    const userRows = ids.map(
      (id, i) =>
        `('${id}','${id}@bench.palaver.test','${id}tokenkey${i}','${now}','${now}',1,'presence_${i}','Bench ${i}','')`,
    );
    let sql = 'BEGIN;\n';
    for (let start = 0; start < userRows.length; start += 500) {
      sql += `INSERT INTO users (id,email,tokenKey,created,updated,verified,username,name,password) VALUES\n${userRows.slice(start, start + 500).join(',\n')};\n`;
    }
    sqliteExec(join(server.dataDir, 'data.db'), `${sql}COMMIT;\n`);
    const tokens: string[] = new Array(people);
    await pool(people, 16, async (i) => {
      const answer = await admin.send<{ token: string }>(`/api/collections/users/impersonate/${ids[i]}`, {
        method: 'POST',
        body: { duration: 7200 },
        requestKey: null,
      });
      tokens[i] = answer.token;
    });
    log(`${people} people seeded and signed in; server open-file limit ${openFilesLimit(pid)}`);
    const naiveRecords: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      const record = await admin
        .collection(NAIVE_COLLECTION)
        .create<{ id: string }>({ user: ids[CONNECTIONS + r], status: 'offline' });
      naiveRecords.push(record.id);
    }

    await sleep(2000);
    const rssBefore = rssMiB(pid);

    // --- the connections
    const perWorker = Math.ceil(CONNECTIONS / WORKERS);
    for (let w = 0; w < WORKERS; w++) {
      workers.push(fork(join(repoRoot, 'bench', 'presence-worker.ts'), { execArgv: ['--import', 'tsx'] }));
    }
    const ready = await Promise.all(
      workers.map((worker, w) =>
        ask(
          worker,
          {
            type: 'connect',
            url: server.url,
            tokens: tokens.slice(w * perWorker, Math.min(CONNECTIONS, (w + 1) * perWorker)),
            topics: [KEEPALIVE_TOPIC],
            concurrency: 25,
          },
          'ready',
        ),
      ),
    );
    const held = ready.reduce((s, r) => s + r.held, 0);
    const failed = ready.reduce((s, r) => s + r.failed, 0);
    const errors = Object.assign({}, ...ready.map((r) => r.errors)) as Record<string, number>;
    log(`${held} connections held, ${failed} failed ${failed ? JSON.stringify(errors) : ''}`);
    await sleep(3000);
    const rssConnected = rssMiB(pid);
    // Asked as one of the people (the route is for accounts, not the superuser).
    const answer = await fetch(`${server.url}/api/palaver/presence?ids=${ids.slice(0, 200).join(',')}`, {
      headers: { authorization: tokens[0]! },
    });
    const check = (await answer.json()) as Record<string, string>;
    const onlineSample = Object.values(check).filter((s) => s === 'online').length;

    // --- one person coming online, each way
    async function measure(way: 'ours' | 'naive', r: number): Promise<Row> {
      const person = CONNECTIONS + r;
      const key = `${ids[person]}|online`;
      measuring = true;
      const connection = way === 'ours' ? await openSse(server.url, () => undefined) : null;
      // Longer than the server's grace before the previous person's offline goes out.
      await sleep(4000);
      const cpu0 = cpuSeconds(pid);
      const t0 = Date.now();
      if (connection) await subscribe(server.url, connection.clientId, tokens[person]!, [KEEPALIVE_TOPIC]);
      else await admin.collection(NAIVE_COLLECTION).update(naiveRecords[r]!, { status: 'online' });
      // Until every subscriber has it, or 60 s.
      const times: number[] = [];
      const deadline = Date.now() + 60_000;
      let loopP99 = 0;
      while (Date.now() < deadline) {
        await sleep(250);
        const got = await askAll({ type: 'collect', key }, 'arrivals');
        for (const g of got) times.push(...g.times);
        loopP99 = Math.max(loopP99, ...got.map((g) => g.loopDelayP99Ms));
        if (times.length >= subscribers) break;
      }
      const cpu = cpuSeconds(pid) - cpu0;
      connection?.close();
      measuring = false;
      const latencies = summarize(times.map((t) => t - t0));
      return {
        way,
        subscribers,
        received: times.length,
        'p50 ms': round(latencies.p50, 0),
        'p99 ms': round(latencies.p99, 0),
        'all ms': round(latencies.max, 0),
        'server CPU ms': round(cpu * 1000, 0),
        'generator loop p99 ms': round(loopP99, 0),
      };
    }

    /** BURST people not online yet sign in at the same moment while every subscriber listens. */
    async function measureBurst(): Promise<Row> {
      const first = CONNECTIONS + RUNS;
      const connections = await Promise.all(Array.from({ length: BURST }, () => openSse(server.url, () => undefined)));
      const keys = ids.slice(first, first + BURST).map((id) => `${id}|online`);
      await sleep(4000);
      measuring = true;
      const eventsBefore = (await askAll({ type: 'tally', keys }, 'tallied')).reduce((s, t) => s + t.events, 0);
      const cpu0 = cpuSeconds(pid);
      const t0 = Date.now();
      await pool(BURST, 50, (i) =>
        subscribe(server.url, connections[i]!.clientId, tokens[first + i]!, [KEEPALIVE_TOPIC]),
      );
      const want = subscribers * BURST;
      let tally = { received: 0, last: 0, events: 0 };
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline && tally.received < want) {
        await sleep(500);
        const got = await askAll({ type: 'tally', keys }, 'tallied');
        tally = {
          received: got.reduce((s, t) => s + t.received, 0),
          last: Math.max(...got.map((t) => t.last)),
          events: got.reduce((s, t) => s + t.events, 0),
        };
      }
      const cpu = cpuSeconds(pid) - cpu0;
      for (const connection of connections) connection.close();
      await sleep(4000);
      await askAll({ type: 'collect', key: '' }, 'arrivals');
      measuring = false;
      const row = {
        people: BURST,
        subscribers,
        'changes delivered': tally.received,
        'of them expected': want,
        'events sent': tally.events - eventsBefore,
        'events one per change would be': want,
        'all known ms': round(tally.last - t0, 0),
        'server CPU ms': round(cpu * 1000, 0),
      };
      log(`burst: ${JSON.stringify(row)}`);
      return row;
    }

    const results: Row[] = [];
    let burst: Row | undefined;
    let subscribers = held;
    for (const [way, topics] of [
      ['ours', [PRESENCE_TOPIC]],
      ['naive', [`${NAIVE_COLLECTION}/*`]],
    ] as const) {
      const switched = await askAll(
        { type: 'resubscribe', topics: [...topics, KEEPALIVE_TOPIC], concurrency: 25 },
        'resubscribed',
      );
      subscribers = switched.reduce((s, x) => s + x.ok, 0);
      log(`${way}: ${subscribers} subscribed to ${topics.join(', ')}`);
      await sleep(3000);
      for (let r = 0; r < RUNS; r++) {
        const row = await measure(way, r);
        log(JSON.stringify(row));
        results.push(row);
      }
      if (way === 'ours') burst = await measureBurst();
    }

    clearInterval(keepaliveTimer);
    const bytesPerPerson = trackerBytesPerPerson();
    const median = (way: string, column: string) =>
      summarize(results.filter((row) => row.way === way).map((row) => Number(row[column]))).p50;
    const rows: Row[] = [
      { measure: 'server RSS before the connections (MiB)', value: rssBefore, note: '' },
      { measure: `server RSS with ${held} signed-in connections (MiB)`, value: rssConnected, note: SHARED },
      {
        measure: 'of which presence tracking (MiB, Go heap)',
        value: round((bytesPerPerson * held) / 2 ** 20, 1),
        note: `${round(bytesPerPerson, 0)} bytes per connected person (go test -bench PresenceTrackerMemory)`,
      },
      ...(['ours', 'naive'] as const).flatMap((way) =>
        ['p50 ms', 'p99 ms', 'all ms', 'server CPU ms'].map((column) => ({
          measure: `${way === 'ours' ? 'ours (palaver/presence)' : 'naive (record write + presence/* subscription)'}: one person online, ${column} (median of ${RUNS})`,
          value: median(way, column),
          note: SHARED,
        })),
      ),
    ];
    if (burst) {
      rows.push(
        {
          measure: `ours: ${burst.people} people online at the same moment, events sent to ${burst.subscribers} subscribers`,
          value: burst['events sent']!,
          note: `one per change would be ${burst['events one per change would be']}; ${burst['changes delivered']} of ${burst['of them expected']} changes delivered`,
        },
        { measure: 'ours: burst, all subscribers know all of them (ms)', value: burst['all known ms']!, note: SHARED },
        { measure: 'ours: burst, server CPU (ms)', value: burst['server CPU ms']!, note: SHARED },
      );
    }
    report('presence', `Presence: ${held} signed-in connections (${SHARED})`, rows, {
      burst,
      connections: { asked: CONNECTIONS, held, failed, errors, workers: WORKERS },
      onlineOfFirst200: onlineSample,
      runs: results,
      note: `Every number was measured while ${SHARED}.`,
    });
    console.table(results);
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
