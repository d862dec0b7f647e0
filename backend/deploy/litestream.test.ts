// Continuous backup rehearsed: a server installed and deployed into a scratch root as in
// rehearsal.test.ts, Litestream started from its installed unit (litestream.service) beside it, messages
// written through the API with the time each was acknowledged, then the volume lost (server and
// Litestream killed with SIGKILL, the data directory emptied), `admin.sh recover` run, and every message
// acknowledged more than a second before the loss read back from the restarted server. Once with a
// file replica and once with a real S3-compatible server (versitygw, built from its Go module by
// testing/s3-server.sh); then a point-in-time recovery (`--at`) from the replica's history. Needs root
// (chroot, mount), as the scratch-root rehearsal does.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, serverBinary } from '../../scripts/backend-build.ts';
import { installedServer } from './testing/installed-server.ts';
import { freePort } from '../testing/server.ts';

const deployDir = join(repoRoot, 'backend', 'deploy');
const script = (name: string) => join(deployDir, name);
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const isRoot = process.getuid?.() === 0;
const SERVICE_USER = '65534:65534';
const tools = ['go', 'curl', 'unshare', 'chroot', 'setsid'].filter((command) => !has(command));
const skipReason = !isRoot
  ? ' (skipped: needs root for chroot and mount, as the scratch-root rehearsal)'
  : tools.length > 0
    ? ` (skipped: no ${tools.join(', ')} on this machine)`
    : '';
if (skipReason) console.warn(`litestream rehearsal${skipReason}`);

const S3_REGION = 'us-east-1';
const S3_ACCESS_KEY = 'palaver-replica-access';
const S3_SECRET = 'replica-s3-secret-value';
const BUCKET = 'palaver-replica';
/** How long messages are written before the volume is lost. */
const WRITE_MS = 2500;

/**
 * The test runner's environment, less what systemd would not hand a service either: this machine's
 * AWS_CA_BUNDLE (a path the scratch root has not) would make Litestream's S3 client fail to start.
 */
const serviceEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const result = spawnSync(command, args, {
    env: { ...serviceEnv, ...env },
    encoding: 'utf8',
    timeout: 120_000,
    input,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Builds a tool with one of the deploy scripts (cached in ~/.cache/palaver-tools) and returns its path. */
function built(name: string): string {
  const result = spawnSync('bash', [script(name)], { encoding: 'utf8', timeout: 900_000 });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return result.stdout.trim();
}

describe.skipIf(skipReason !== '')(
  `continuous backup with Litestream, rehearsed in a scratch root${skipReason}`,
  () => {
    let root: string;
    let url: string;
    let env: NodeJS.ProcessEnv;
    let launcher = '';
    let s3Port = 0;
    let s3Root = '';
    let s3Server: ChildProcess | undefined;
    const admin = { email: 'ops@palaver.test', password: 'rehearsal-password-1' };
    const service = (...args: string[]) => run('bash', [script('testing/service.sh'), root, ...args], env);
    const pid = (name: string) => Number(readFileSync(join(root, `run/${name}.pid`), 'utf8').trim());
    const { settle, superuser } = installedServer(() => url, admin);
    const recover = (...args: string[]) =>
      run('bash', [script('admin.sh'), '--env', join(root, 'admin.env'), 'recover', ...args], {
        ...env,
        PALAVER_PREFIX: root,
        PALAVER_RUN_AS_SERVICE: `bash ${script('testing/service.sh')} ${root} run`,
        PALAVER_SERVICE_OWNER: SERVICE_USER,
      });
    const replicate = (settings: Record<string, string>) => {
      const file = join(root, 'etc/palaver/litestream.env');
      writeFileSync(
        file,
        Object.entries(settings)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      const started = service('start', 'litestream.service');
      expect(started.code, started.out).toBe(0);
    };

    /**
     * Writes messages one after another (as the superuser, whom the production rate limits let through)
     * until stopped, each with the moment its create was acknowledged; then the volume is lost while
     * they are still being written.
     */
    async function writeThenLose(room: string, author: string, label: string) {
      const pb = await superuser();
      const acknowledged: Array<{ id: string; at: number }> = [];
      let writing = true;
      const writers = [0, 1, 2, 3].map(async (w) => {
        for (let n = 0; writing; n++) {
          try {
            const message = await pb
              .collection('messages')
              .create({ text: `${label} ${w}.${n}`, user: author, room }, { requestKey: null });
            acknowledged.push({ id: message.id, at: Date.now() });
          } catch {
            return; // the server is gone: this one was never acknowledged
          }
        }
      });
      // Long enough for a few replication rounds, and for enough messages on a busy machine.
      const started = Date.now();
      while (Date.now() - started < WRITE_MS || acknowledged.filter((m) => m.at < Date.now() - 1000).length < 30) {
        if (Date.now() - started > 30_000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // Replication was running all along (one that had stopped would make this test meaningless).
      const status = service('status', 'litestream.service');
      expect(status.code, readFileSync(join(root, 'var/log/litestream.log'), 'utf8')).toBe(0);
      const lostAt = Date.now();
      process.kill(pid('palaver'), 'SIGKILL');
      process.kill(pid('litestream'), 'SIGKILL');
      writing = false;
      await Promise.all(writers);
      // The whole volume: the database and Litestream's local state alike.
      for (const dir of ['pb_data', 'litestream']) rmSync(join(root, 'var/lib/palaver', dir), { recursive: true });
      expect(existsSync(join(root, 'var/lib/palaver/pb_data/data.db'))).toBe(false);
      return { acknowledged, lostAt };
    }

    /** Every message acknowledged more than a second before the loss is back; says how many later ones are too. */
    async function expectSurvivors(
      room: string,
      { acknowledged, lostAt }: { acknowledged: Array<{ id: string; at: number }>; lostAt: number },
      label: string,
    ) {
      const messages = await (
        await superuser()
      )
        .collection('messages')
        .getFullList({ filter: `room = "${room}" && text ~ "${label} "`, fields: 'id' });
      const back = new Set(messages.map((m) => m.id));
      const safe = acknowledged.filter((m) => m.at < lostAt - 1000);
      const atRisk = acknowledged.filter((m) => m.at >= lostAt - 1000);
      expect(safe.length).toBeGreaterThanOrEqual(30);
      expect(safe.filter((m) => !back.has(m.id))).toEqual([]);
      const newest = Math.max(0, ...acknowledged.filter((m) => back.has(m.id)).map((m) => m.at));
      console.log(
        `litestream rehearsal (${label}): ${acknowledged.length} messages acknowledged, all ${safe.length} acknowledged more than 1 s before the loss are back, and ${atRisk.filter((m) => back.has(m.id)).length} of the ${atRisk.length} of the last second; the newest one back was acknowledged ${lostAt - newest} ms before the loss (below 0: its answer, sent before the kill, was read just after)`,
      );
    }

    beforeAll(async () => {
      const litestream = built('litestream.sh');
      expect(litestream).toMatch(/litestream-v[\d.]+\/litestream$/);
      if (has('systemd-analyze')) {
        launcher = join(mkdtempSync(join(tmpdir(), 'palaver-seccomp-')), 'seccomp-launch');
        const made = spawnSync('go', ['build', '-o', launcher, '.'], {
          cwd: join(deployDir, 'testing', 'seccomp-launch'),
          env: { ...process.env, CGO_ENABLED: '0' },
          encoding: 'utf8',
          timeout: 300_000,
        });
        if (made.status !== 0) throw new Error(`building seccomp-launch failed: ${made.stderr}${made.stdout}`);
      } else {
        console.warn(
          "litestream rehearsal: the services start without the units' system call filter (no systemd-analyze)",
        );
      }
      root = mkdtempSync(join(tmpdir(), 'palaver-litestream-'));
      chmodSync(root, 0o755);
      writeFileSync(join(root, 'admin.env'), '');
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      env = {
        PALAVER_SERVICE_CMD: `bash ${script('testing/service.sh')} ${root}`,
        PALAVER_HEALTH_URL: `${url}/api/health`,
        PALAVER_HEALTH_TIMEOUT: '20',
        SERVICE_USER,
        SECCOMP_LAUNCHER: launcher,
      };
      const installed = run('bash', [script('install.sh'), '--prefix', root, '--owner', SERVICE_USER]);
      expect(installed.code, installed.out).toBe(0);
      writeFileSync(
        join(root, 'etc/palaver/palaver.env'),
        `PALAVER_DOMAIN=\nPALAVER_SERVE_ARGS=--http=127.0.0.1:${port}\nPALAVER_HEALTH_URL=${url}/api/health\n`,
      );
      const deployed = run(
        'bash',
        [script('deploy.sh'), '--local', root, '--binary', serverBinary, '--version', 'v1'],
        env,
      );
      expect(deployed.code, deployed.out).toBe(0);
      const made = run(
        'chroot',
        [
          `--userspec=${SERVICE_USER}`,
          root,
          '/opt/palaver/current/bin/pocketbase',
          'superuser-stdin',
          admin.email,
          '--dir=/var/lib/palaver/pb_data',
        ],
        {},
        `${admin.password}\n`,
      );
      expect(made.code, made.out).toBe(0);
    }, 900_000);

    afterAll(() => {
      if (root) {
        service('stop', 'litestream.service');
        service('stop', 'palaver.service');
        rmSync(root, { recursive: true, force: true });
      }
      s3Server?.kill();
      if (s3Root) rmSync(s3Root, { recursive: true, force: true });
      if (launcher) rmSync(join(launcher, '..'), { recursive: true, force: true });
    });

    it("install.sh installs the unit and its configuration, with the replica settings root's alone and replication off until they name one", () => {
      expect(readFileSync(join(root, 'etc/systemd/system/litestream.service'), 'utf8')).toBe(
        readFileSync(script('litestream.service'), 'utf8'),
      );
      expect(readFileSync(join(root, 'etc/palaver/litestream.yml'), 'utf8')).toBe(
        readFileSync(script('litestream.yml'), 'utf8'),
      );
      const secrets = statSync(join(root, 'etc/palaver/litestream.env'));
      expect(secrets.uid).toBe(0);
      expect(secrets.mode & 0o777).toBe(0o600);
      const again = run('bash', [script('install.sh'), '--prefix', root]);
      expect(again.out).toContain('continuous backup is off');
      // The release carries Litestream and the recovery script to the server.
      expect(existsSync(join(root, 'opt/palaver/current/bin/litestream'))).toBe(true);
      expect(existsSync(join(root, 'opt/palaver/current/deploy/admin-recover.sh'))).toBe(true);
    });

    it.skipIf(!has('systemd-analyze'))(
      'litestream.service passes systemd-analyze verify with no warning, and its security exposure is "OK"',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'palaver-unit-'));
        try {
          const unit = readFileSync(script('litestream.service'), 'utf8').replace(
            /^ExecStart=\S+/m,
            `ExecStart=${join(root, 'opt/palaver/current/bin/litestream')}`,
          );
          writeFileSync(join(dir, 'litestream.service'), unit);
          const verify = run('systemd-analyze', ['verify', join(dir, 'litestream.service')]);
          expect(verify.out.trim()).toBe('');
          expect(verify.code).toBe(0);
          const security = run('systemd-analyze', ['security', '--offline=true', join(dir, 'litestream.service')]);
          const level = /Overall exposure level for litestream\.service: ([\d.]+) (\w+)/.exec(security.out);
          expect(level?.[2], security.out.slice(-500)).toBe('OK');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    let room = '';
    let author = '';

    it('with a file replica: the volume is lost while messages are written, and every one acknowledged more than a second before is recovered', async () => {
      const pb = await superuser();
      const user = await pb.collection('users').create({
        username: 'writer',
        email: 'writer@palaver.test',
        password: 'pw-writer-123456',
        passwordConfirm: 'pw-writer-123456',
        name: 'Writer',
      });
      author = user.id;
      room = (await pb.collection('rooms').create({ name: 'replicated', kind: 'public', owner: author })).id;
      mkdirSync(join(root, 'replica'));
      chmodSync(join(root, 'replica'), 0o777);
      replicate({ LITESTREAM_REPLICA_URL: 'file:///replica/data.db' });

      const loss = await writeThenLose(room, author, 'file');
      const recovered = recover();
      expect(recovered.code, recovered.out).toBe(0);
      expect(recovered.out).toContain('recovered: the server runs on the database at the replica');
      expect(await settle()).toBe(true);
      await expectSurvivors(room, loss, 'file');
      // Replication goes on from the restored database.
      expect(service('status', 'litestream.service').code).toBe(0);
    }, 90_000);

    it('with the replica on an S3 server: the same loss and recovery, the keys never in its output', async () => {
      s3Root = mkdtempSync(join(tmpdir(), 'palaver-replica-s3-'));
      s3Port = await freePort();
      s3Server = spawn(built('testing/s3-server.sh'), ['--port', `127.0.0.1:${s3Port}`, '--quiet', 'posix', s3Root], {
        env: { ...process.env, ROOT_ACCESS_KEY: S3_ACCESS_KEY, ROOT_SECRET_KEY: S3_SECRET },
        stdio: 'ignore',
      });
      for (const deadline = Date.now() + 10_000; ;) {
        if ((await fetch(`http://127.0.0.1:${s3Port}/`).catch(() => null)) !== null) break;
        if (Date.now() > deadline) throw new Error('the S3 test server did not answer within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      const bucket = run('curl', [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'PUT',
        '--aws-sigv4',
        `aws:amz:${S3_REGION}:s3`,
        '--user',
        `${S3_ACCESS_KEY}:${S3_SECRET}`,
        '-H',
        'x-amz-content-sha256: UNSIGNED-PAYLOAD',
        `http://127.0.0.1:${s3Port}/${BUCKET}`,
      ]);
      expect(bucket.out).toBe('200');
      // A replica moved to another place starts from a fresh snapshot: Litestream's local state (what it
      // has uploaded where) goes, as the guide says.
      service('stop', 'litestream.service');
      rmSync(join(root, 'var/lib/palaver/litestream/data.db-litestream'), { recursive: true, force: true });
      replicate({
        LITESTREAM_REPLICA_URL: `s3://${BUCKET}/palaver/data.db`,
        LITESTREAM_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
        LITESTREAM_S3_REGION: S3_REGION,
        LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY,
        LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET,
      });
      const loss = await writeThenLose(room, author, 's3');
      const recovered = recover();
      expect(recovered.code, recovered.out).toBe(0);
      expect(recovered.out).not.toContain(S3_SECRET);
      expect(readFileSync(join(root, 'var/log/litestream.log'), 'utf8')).not.toContain(S3_SECRET);
      expect(await settle()).toBe(true);
      await expectSurvivors(room, loss, 's3');
      // The earlier messages (from the file replica's round) came along in the snapshot.
      const all = await (
        await superuser()
      )
        .collection('messages')
        .getFullList({ filter: `room = "${room}"`, fields: 'id' });
      expect(all.length).toBeGreaterThan(40);
    }, 900_000); // the first build of versitygw on a machine without it (CI builds it ahead)
  },
);
