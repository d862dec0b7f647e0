// Replication lag: how long after its create is acknowledged a message can be restored from
// Litestream's replica, under a sustained load of creates (500/s by default, paced over 32 clients). Litestream
// runs with the shipped backend/deploy/litestream.yml (only the paths moved to the test server's data
// dir); a follower (`litestream restore -f`, polling the replica every 50 ms) keeps a copy restored from
// the replica, which is read every 50 ms: a message's lag is from its acknowledgement to the first
// read that has it. So the figure is an upper bound that includes up to ~100 ms of the follower's own
// polling. Replicas: a local file replica; versitygw (testing/s3-server.sh) on loopback, which has no
// network latency (Linode Object Storage in the server's region adds a PUT's round trip, tens of ms);
// and the same S3 replica with Litestream's default intervals (1 s / 1 s), as the comparison.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUp, type TestUser } from '../backend/testing/clients.ts';
import { freePort, startTestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { deadlines } from './lib/deadline.ts';
import { cpuSeconds } from './lib/proc.ts';
import { report, round, summarize, type Row } from './lib/report.ts';

const RATE = Number(process.env.PALAVER_REPLICATION_RATE ?? 500);
const SECONDS = Number(process.env.PALAVER_REPLICATION_SECONDS ?? 20);
// Requests in flight: each client sends its next create when its turn comes and its last one is answered.
const CLIENTS = Number(process.env.PALAVER_REPLICATION_CLIENTS ?? 32);
const POLL_MS = 50;
const deadline = deadlines('replication');
const deployDir = join(repoRoot, 'backend', 'deploy');
const S3 = {
  region: 'us-east-1',
  key: 'bench-replica-access',
  secret: 'bench-replica-secret',
  bucket: 'bench-replica',
};

const tool = (name: string) => execFileSync('bash', [join(deployDir, name)], { encoding: 'utf8' }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const missing = ['go', 'sqlite3', 'curl'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
if (missing.length > 0) {
  console.log(
    `replication: skipped: no ${missing.join(', ')} on this machine (Litestream and versitygw are built with go; the follower is read with sqlite3)`,
  );
  process.exit(0);
}

interface Phase {
  name: string;
  url: (dir: string) => string;
  env: Record<string, string>;
  intervals?: { monitor: string; sync: string };
}

/** The shipped configuration, with the test server's paths, and other intervals for the comparison. */
function config(dataDir: string, work: string, phase: Phase): string {
  let text = readFileSync(join(deployDir, 'litestream.yml'), 'utf8')
    .replaceAll('/var/lib/palaver/pb_data', dataDir)
    .replaceAll('/var/lib/palaver/litestream', join(work, 'meta'));
  if (phase.intervals) {
    text = text
      .replace(/monitor-interval: \S+/, `monitor-interval: ${phase.intervals.monitor}`)
      .replace(/sync-interval: \S+/, `sync-interval: ${phase.intervals.sync}`);
  }
  const file = join(work, 'litestream.yml');
  writeFileSync(file, text);
  return file;
}

async function measure(
  phase: Phase,
  users: TestUser[],
  room: string,
  dataDir: string,
  litestream: string,
): Promise<Row> {
  const work = mkdtempSync(join(tmpdir(), `palaver-replication-${phase.name.replace(/\W+/g, '-')}-`));
  const replicaUrl = phase.url(work);
  // Not this machine's AWS_CA_BUNDLE & co., which a server's Litestream would not have either (and with
  // which its S3 client does not start).
  const own = Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'));
  const env = { ...Object.fromEntries(own), ...phase.env, LITESTREAM_REPLICA_URL: replicaUrl };
  const children: ChildProcess[] = [];
  try {
    const replicator = spawn(litestream, ['replicate', '-config', config(dataDir, work, phase)], {
      env,
      stdio: 'ignore',
    });
    children.push(replicator);
    const follower = join(work, 'follower.db');
    // The follower names the replica by URL; an S3 endpoint goes in its query.
    const followUrl = phase.env.LITESTREAM_S3_ENDPOINT
      ? `${replicaUrl}?endpoint=${phase.env.LITESTREAM_S3_ENDPOINT}&region=${S3.region}`
      : replicaUrl;
    await deadline.poll(
      'the replica to have its first snapshot',
      30_000,
      () => spawnSync(litestream, ['ltx', followUrl], { env, encoding: 'utf8' }).stdout.trim().split('\n').length,
      (lines) => lines > 1, // a header, then a file
    );
    children.push(
      spawn(litestream, ['restore', '-f', '-follow-interval', `${POLL_MS}ms`, '-o', follower, followUrl], {
        env,
        stdio: 'ignore',
      }),
    );
    await deadline.poll('the follower to restore the replica', 30_000, () => existsSync(follower), Boolean);

    const label = `lag-${phase.name.replace(/\W+/g, '-')}`;
    const acked = new Map<number, number>();
    const seen = new Map<number, number>();
    let lastRowid = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const read = spawnSync(
          'sqlite3',
          [
            '-readonly',
            '-separator',
            ' ',
            follower,
            `SELECT rowid, text FROM messages WHERE rowid > ${lastRowid} AND text LIKE '${label} %'`,
          ],
          { encoding: 'utf8' },
        );
        const now = Date.now();
        if (read.status === 0) {
          for (const line of read.stdout.split('\n')) {
            const [rowid, , seq] = line.split(' ');
            if (!rowid || seq === undefined) continue;
            lastRowid = Math.max(lastRowid, Number(rowid));
            if (!seen.has(Number(seq))) seen.set(Number(seq), now);
          }
        } // a read racing the follower's write is retried at the next poll
        await sleep(POLL_MS);
      }
    })();

    const cpuBefore = cpuSeconds(replicator.pid!);
    const started = Date.now();
    const spacing = (1000 * CLIENTS) / RATE;
    let failed = 0;
    let next = 0;
    await Promise.all(
      users.map(async (user, i) => {
        for (let k = 0; ; k++) {
          const due = started + i * (spacing / CLIENTS) + k * spacing;
          // The phase ends on time: a client that has fallen behind its turns does not catch up afterwards.
          if (due > started + SECONDS * 1000 || Date.now() > started + SECONDS * 1000) return;
          if (due > Date.now()) await sleep(due - Date.now());
          const seq = next++;
          try {
            await user.pb
              .collection('messages')
              .create({ text: `${label} ${seq}`, user: user.id, room }, { requestKey: null });
            acked.set(seq, Date.now());
          } catch {
            failed++;
          }
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const cpu = cpuSeconds(replicator.pid!) - cpuBefore;
    await deadline
      .poll(
        'every acknowledged message to reach the follower',
        15_000,
        () => [...acked.keys()].filter((seq) => seen.has(seq)).length,
        (n) => n === acked.size,
        { show: (n) => `${n} of ${acked.size}` },
      )
      .catch((error: Error) => console.warn(`replication (${phase.name}): ${error.message}`));
    polling = false;
    await poller;
    const lags = [...acked].filter(([s]) => seen.has(s)).map(([s, at]) => seen.get(s)! - at);
    const s = summarize(lags);
    return {
      replica: phase.name,
      intervals: phase.intervals ? `${phase.intervals.monitor} / ${phase.intervals.sync}` : 'shipped (250ms / 250ms)',
      creates_per_s: round(acked.size / elapsed, 1),
      failed,
      never_seen: acked.size - lags.length,
      lag_p50_ms: round(s.p50, 0),
      lag_p95_ms: round(s.p95, 0),
      lag_p99_ms: round(s.p99, 0),
      lag_max_ms: round(s.max, 0),
      over_1s: lags.filter((lag) => lag > 1000).length,
      litestream_cpu_pct: round((100 * cpu) / elapsed, 1),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(500);
    rmSync(work, { recursive: true, force: true });
  }
}

ensureBackendBuilt();
const litestream = tool('litestream.sh');
const s3Binary = tool('testing/s3-server.sh');
const s3Root = mkdtempSync(join(tmpdir(), 'palaver-replication-s3-'));
const s3Port = await freePort();
const s3Server = spawn(s3Binary, ['--port', `127.0.0.1:${s3Port}`, '--quiet', 'posix', s3Root], {
  env: { ...process.env, ROOT_ACCESS_KEY: S3.key, ROOT_SECRET_KEY: S3.secret },
  stdio: 'ignore',
});
const server = await startTestServer();
try {
  await deadline.poll(
    'the S3 server to answer',
    10_000,
    async () => (await fetch(`http://127.0.0.1:${s3Port}/`).catch(() => null)) !== null,
    Boolean,
  );
  execFileSync('curl', [
    '-sSf',
    '-X',
    'PUT',
    '--aws-sigv4',
    `aws:amz:${S3.region}:s3`,
    '--user',
    `${S3.key}:${S3.secret}`,
    '-H',
    'x-amz-content-sha256: UNSIGNED-PAYLOAD',
    `http://127.0.0.1:${s3Port}/${S3.bucket}`,
  ]);
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const users: TestUser[] = [];
  for (let i = 0; i < CLIENTS; i++) users.push(await signUp(server, `writer${i}`));
  const room = (await admin.collection('rooms').getFirstListItem('name = "general"')).id;
  const s3Env = {
    LITESTREAM_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    LITESTREAM_S3_REGION: S3.region,
    LITESTREAM_ACCESS_KEY_ID: S3.key,
    LITESTREAM_SECRET_ACCESS_KEY: S3.secret,
  };
  const phases: Phase[] = [
    { name: 'file', url: (dir) => `file://${join(dir, 'replica')}`, env: {} },
    { name: 'S3 (versitygw)', url: () => `s3://${S3.bucket}/shipped/data.db`, env: s3Env },
    {
      name: 'S3 (versitygw), Litestream defaults',
      url: () => `s3://${S3.bucket}/defaults/data.db`,
      env: s3Env,
      intervals: { monitor: '1s', sync: '1s' },
    },
  ];
  const rows: Row[] = [];
  for (const phase of phases) {
    mkdirSync(tmpdir(), { recursive: true });
    rows.push(await measure(phase, users, room, server.dataDir, litestream));
    console.log(`replication: ${phase.name}: p99 ${rows.at(-1)!.lag_p99_ms} ms, max ${rows.at(-1)!.lag_max_ms} ms`);
  }
  report(
    'replication',
    `Replication lag: ${RATE} creates/s for ${SECONDS} s by ${CLIENTS} clients, acknowledged -> restorable from Litestream's replica (load generator, Litestream and the server share the 2 cores)`,
    rows,
    { targetRate: RATE, seconds: SECONDS, followerPollMs: POLL_MS },
  );
} finally {
  await server.stop();
  s3Server.kill();
  rmSync(s3Root, { recursive: true, force: true });
}
