// The production scripts, rehearsed on this machine as far as it allows: lint (shellcheck), the unit
// (systemd-analyze verify and its security score), an install into a scratch root, a real start of
// the installed server from that root (chroot, as an unprivileged user, through the unit's own
// ExecStart, under the unit's /proc options and system call filter), an upgrade, a deploy that fails
// and rolls back by itself, a second install that changes nothing, the settings an operator applies,
// and a backup made, the data changed and the backup restored. No systemd runs here, so
// backend/deploy/testing/service.sh stands in for `systemctl restart`.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, serverBinary } from '../../scripts/backend-build.ts';
import { signUp, createRoom, post } from '../testing/clients.ts';
import { installedServer } from './testing/installed-server.ts';
import { freePort, type TestServer } from '../testing/server.ts';

const deployDir = join(repoRoot, 'backend', 'deploy');
const script = (name: string) => join(deployDir, name);
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const isRoot = process.getuid?.() === 0;
const SERVICE_USER = '65534:65534';
/** What applying the unit's SystemCallFilter= needs: the launcher is built with go, the groups expanded by systemd-analyze. */
const filterTools = ['go', 'systemd-analyze'].filter((command) => !has(command));
const filterSkipped = filterTools.length > 0 ? ` (skipped: no ${filterTools.join(', ')} on this machine)` : '';
/** Where service.sh puts the launcher inside the scratch root. */
const launcherInRoot = '/run/palaver-seccomp-launch';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const result = spawnSync(command, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
    input,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout, stderr: result.stderr };
}

describe('shell scripts', () => {
  it.skipIf(!has('shellcheck'))(
    'pass shellcheck (install it with apt-get install shellcheck if this is skipped)',
    () => {
      const scripts = [
        ...readdirSync(deployDir)
          .filter((f) => f.endsWith('.sh'))
          .map(script),
        join(deployDir, 'testing', 'service.sh'),
        join(deployDir, 'testing', 's3-server.sh'),
      ];
      expect(scripts.length).toBeGreaterThanOrEqual(5);
      const result = run('shellcheck', ['-x', ...scripts]);
      expect(result.out).toBe('');
      expect(result.code).toBe(0);
    },
  );
});

/** What service.sh's start needs besides root. */
const startTools = ['unshare', 'chroot', 'setsid'].filter((command) => !has(command));

const scratchRootTitle = `a server installed into a scratch root (needs root: chroot, mount${startTools.length > 0 ? `; skipped: no ${startTools.join(', ')} on this machine` : ''})`;

describe.skipIf(!isRoot || startTools.length > 0)(scratchRootTitle, () => {
  let root: string;
  let port: number;
  let url: string;
  let env: NodeJS.ProcessEnv;
  /** The seccomp launcher built for this run (backend/deploy/testing/seccomp-launch), or '' without the tools. */
  let launcher = '';
  const admin = { email: 'ops@palaver.test', password: 'rehearsal-password-1' };

  const deploy = (version: string, extra: string[] = []) =>
    run('bash', [script('deploy.sh'), '--local', root, '--binary', serverBinary, '--version', version, ...extra], env);
  const current = () => readlinkSync(join(root, 'opt/palaver/current'));
  const { settle, superuser } = installedServer(() => url, admin);

  beforeAll(async () => {
    if (filterSkipped) {
      console.warn(`rehearsal: the server starts without the unit's system call filter${filterSkipped}`);
    } else {
      // Static (no cgo): the chroot has no C library. Built outside backend/go.mod, so no test code ships.
      launcher = join(mkdtempSync(join(tmpdir(), 'palaver-seccomp-')), 'seccomp-launch');
      const built = spawnSync('go', ['build', '-o', launcher, '.'], {
        cwd: join(deployDir, 'testing', 'seccomp-launch'),
        env: { ...process.env, CGO_ENABLED: '0' },
        encoding: 'utf8',
        timeout: 300_000,
      });
      if (built.status !== 0)
        throw new Error(`building backend/deploy/testing/seccomp-launch failed: ${built.stderr}${built.stdout}`);
    }
    root = mkdtempSync(join(tmpdir(), 'palaver-rehearsal-'));
    chmodSync(root, 0o755); // the service user must be able to walk into its "/"
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      PALAVER_SERVICE_CMD: `bash ${script('testing/service.sh')} ${root}`,
      PALAVER_HEALTH_URL: `${url}/api/health`,
      PALAVER_HEALTH_TIMEOUT: '10',
      SERVICE_USER,
      SECCOMP_LAUNCHER: launcher,
    };
  }, 300_000);

  afterAll(() => {
    if (launcher) rmSync(join(launcher, '..'), { recursive: true, force: true });
    if (!root) return;
    run('bash', [script('testing/service.sh'), root, 'stop']);
    rmSync(root, { recursive: true, force: true });
  });

  it('install.sh lays out the server: releases, data owned by the service user, unit, environment file', () => {
    const result = run('bash', [
      script('install.sh'),
      '--prefix',
      root,
      '--owner',
      SERVICE_USER,
      '--domain',
      'chat.example.com',
    ]);
    expect(result.code, result.out).toBe(0);
    expect(readFileSync(join(root, 'etc/systemd/system/palaver.service'), 'utf8')).toBe(
      readFileSync(script('palaver.service'), 'utf8'),
    );
    expect(existsSync(join(root, 'opt/palaver/release.sh'))).toBe(true);
    const data = statSync(join(root, 'var/lib/palaver/pb_data'));
    expect(`${data.uid}:${data.gid}`).toBe(SERVICE_USER);
    expect(data.mode & 0o777).toBe(0o750);
    const envFile = readFileSync(join(root, 'etc/palaver/palaver.env'), 'utf8');
    expect(envFile).toContain('PALAVER_DOMAIN=chat.example.com');
    expect(envFile).toContain('PALAVER_HEALTH_URL=https://chat.example.com/api/health');
    expect(statSync(join(root, 'etc/palaver/palaver.env')).mode & 0o777).toBe(0o640);

    // This rehearsal serves plain HTTP on a loopback port instead of the domain's 80/443.
    writeFileSync(
      join(root, 'etc/palaver/palaver.env'),
      `PALAVER_DOMAIN=\nPALAVER_SERVE_ARGS=--http=127.0.0.1:${port}\nPALAVER_HEALTH_URL=${url}/api/health\n`,
    );
  });

  it.skipIf(!has('systemd-analyze'))(
    'the unit passes systemd-analyze verify with no warning, and its security exposure is "OK"',
    () => {
      // verify checks that ExecStart exists: point it at the scratch root's (installed next, so use the
      // binary's future place through a copy of the unit whose ExecStart names the built binary).
      const dir = mkdtempSync(join(tmpdir(), 'palaver-unit-'));
      try {
        const unit = readFileSync(script('palaver.service'), 'utf8').replace(
          /^ExecStart=\S+/m,
          `ExecStart=${serverBinary}`,
        );
        writeFileSync(join(dir, 'palaver.service'), unit);
        const verify = run('systemd-analyze', ['verify', join(dir, 'palaver.service')]);
        expect(verify.out.trim()).toBe('');
        expect(verify.code).toBe(0);
        const security = run('systemd-analyze', ['security', '--offline=true', join(dir, 'palaver.service')]);
        const level = /Overall exposure level for palaver\.service: ([\d.]+) (\w+)/.exec(security.out);
        expect(level?.[2], security.out.slice(-500)).toBe('OK');
        // The server's /proc and system calls are fenced in: other processes hidden, no privileged
        // or resource-changing calls.
        for (const line of [
          'ProtectProc=',
          'ProcSubset=',
          'SystemCallFilter=~@privileged',
          'SystemCallFilter=~@resources',
        ])
          expect(security.out, line).toMatch(new RegExp(`✓ ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('the first deploy starts the installed server as the unit says, and it answers /api/health', async () => {
    const result = deploy('v1');
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('release v1 is live');
    expect(current()).toBe('releases/v1');
    expect(await settle()).toBe(true);
    // Started from the release, as the unprivileged user, with the data on the data directory.
    const pid = readFileSync(join(root, 'run/palaver.pid'), 'utf8').trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\b/m);
    // Its /proc is mounted as ProtectProc=invisible and ProcSubset=pid mount it.
    const procMount = /^\S+ \S+ \S+ \S+ \/proc .* - proc \S+ (\S+)$/m.exec(
      readFileSync(`/proc/${pid}/mountinfo`, 'utf8'),
    );
    expect((procMount?.[1] ?? '').split(',')).toEqual(expect.arrayContaining(['hidepid=invisible', 'subset=pid']));
    // And it runs under a seccomp filter with no_new_privs (the filter's content is checked below).
    if (launcher) {
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^Seccomp:\s+2$/m);
    }
    expect(existsSync(join(root, 'var/lib/palaver/pb_data/data.db'))).toBe(true);
    // Release files are root's, readable by everyone: the service cannot change its own code.
    const binary = statSync(join(root, 'opt/palaver/releases/v1/bin/pocketbase'));
    expect(binary.uid).toBe(0);
    expect(binary.mode & 0o777).toBe(0o755);
  });

  it('the first superuser is made on the server with the installed binary, its password never an argument', async () => {
    const argv = [
      `--userspec=${SERVICE_USER}`,
      root,
      '/opt/palaver/current/bin/pocketbase',
      'superuser-stdin',
      admin.email,
      '--dir=/var/lib/palaver/pb_data',
    ];
    // The password goes in on standard input, so neither sudo's log nor `ps` ever has it.
    expect(argv.join(' ')).not.toContain(admin.password);
    const result = run('chroot', argv, {}, `${admin.password}\n`);
    expect(result.code, result.out).toBe(0);
    const pb = await superuser();
    expect(pb.authStore.isSuperuser).toBe(true);
  });

  it.skipIf(filterTools.length > 0)(
    `inside the service's sandbox, other users' processes and /proc/sys are hidden, and the unit's refused calls fail with EPERM${filterSkipped}`,
    () => {
      // The launcher's probe, started exactly as the server is (same chroot, /proc, user and filter).
      const inside = run('bash', [script('testing/service.sh'), root, 'run', launcherInRoot, 'probe'], env);
      expect(inside.code, inside.out).toBe(0);
      const line = (name: string) => new RegExp(`^${name} (\\S+)$`, 'm').exec(inside.stdout)?.[1];
      expect(line('getpid')).toBe('ok');
      // @privileged (changing users) and @resources (changing limits) are refused as the unit says.
      expect(line('setuid')).toBe('EPERM');
      expect(line('setrlimit')).toBe('EPERM');
      // The same calls succeed without the filter, so the refusal above is the filter's.
      const outside = run(launcher, ['probe']);
      expect(outside.stdout).toMatch(/^setuid ok$/m);
      expect(outside.stdout).toMatch(/^setrlimit ok$/m);

      const proc = (line('proc') ?? '').split(',');
      expect(proc).toContain('self');
      expect(proc).not.toContain('sys');
      expect(proc).not.toContain('kcore');
      // This test runner is root's: the service user does not see it, nor any process not its own.
      expect(proc).not.toContain(String(process.pid));
      const pids = proc.filter((entry) => /^\d+$/.test(entry));
      expect(pids).toContain(readFileSync(join(root, 'run/palaver.pid'), 'utf8').trim());
      for (const pid of pids) {
        const owner = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
        if (owner) expect(owner, `pid ${pid}`).toMatch(/^Uid:\s+65534\b/m);
      }
    },
  );

  it("under the unit's sandbox, a person signs up, starts a room and posts a message", async () => {
    // The client helpers of the server suites, pointed at the installed server.
    const unsupported = () => Promise.reject(new Error('the rehearsal server is managed by service.sh'));
    const installed: TestServer = {
      url,
      port,
      dataDir: join(root, 'var/lib/palaver/pb_data'),
      superuser: admin,
      admin: superuser,
      kill: unsupported,
      restart: unsupported,
      stop: unsupported,
      log: () => readFileSync(join(root, 'var/log/palaver.log'), 'utf8'),
    };
    const author = await signUp(installed, 'rehearsal');
    const room = await createRoom(author, 'public');
    const message = await post(author, room, 'hello from the sandbox');
    const read = await author.pb.collection('messages').getOne(message.id);
    expect(read.text).toBe('hello from the sandbox');
    expect(readFileSync(join(root, 'var/log/palaver.log'), 'utf8')).not.toMatch(/operation not permitted/i);
  });

  it('an upgrade keeps the data and the previous release', async () => {
    const pb = await superuser();
    const before = await pb.collection('users').create({
      username: 'kept_user',
      email: 'kept@palaver.test',
      password: 'pw-kept-123456',
      passwordConfirm: 'pw-kept-123456',
      name: 'Kept',
    });
    const result = deploy('v2');
    expect(result.code, result.out).toBe(0);
    expect(current()).toBe('releases/v2');
    expect(readlinkSync(join(root, 'opt/palaver/previous'))).toBe('releases/v1');
    expect(await settle()).toBe(true);
    expect((await (await superuser()).collection('users').getOne(before.id)).username).toBe('kept_user');
  });

  it('a release that does not come up is rolled back by itself, and the data is untouched', async () => {
    // A release whose new migration fails: the server refuses to start with it.
    const broken = mkdtempSync(join(tmpdir(), 'palaver-broken-'));
    try {
      cpSync(join(repoRoot, 'backend/pb_migrations'), join(broken, 'pb_migrations'), { recursive: true });
      cpSync(join(repoRoot, 'backend/pb_hooks'), join(broken, 'pb_hooks'), { recursive: true });
      writeFileSync(
        join(broken, 'pb_migrations', '1899999999_broken.js'),
        'migrate(() => { throw new Error("rehearsal: a broken release"); });\n',
      );
      const result = deploy('v3-broken', ['--backend-dir', broken]);
      expect(result.code).not.toBe(0);
      expect(result.out).toContain('v3-broken did not come up; rolling back to v2');
      expect(result.out).toContain('rolled back to v2, which is up');
      expect(result.out).not.toContain('is live');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
    expect(current()).toBe('releases/v2');
    expect(await settle()).toBe(true);
    expect(readFileSync(join(root, 'var/log/palaver.log'), 'utf8')).toContain('rehearsal: a broken release');
    const users = await (await superuser()).collection('users').getFullList({ filter: 'username = "kept_user"' });
    expect(users).toHaveLength(1);
    // The same version cannot be deployed twice by mistake.
    const again = deploy('v2');
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('release v2 is already on the server');
    expect(current()).toBe('releases/v2');
    // 90 s: it starts and stops servers in turn (the damaged backup alone waits ~20 s), past 30 s at load 15-20.
  }, 90_000);

  it('a release whose migrations ran but which does not come up is rolled back with the database as it was', async () => {
    const changed = mkdtempSync(join(tmpdir(), 'palaver-unhealthy-'));
    try {
      cpSync(join(repoRoot, 'backend/pb_migrations'), join(changed, 'pb_migrations'), { recursive: true });
      cpSync(join(repoRoot, 'backend/pb_hooks'), join(changed, 'pb_hooks'), { recursive: true });
      // A migration that succeeds (a new collection) and a hook that makes the health check fail.
      writeFileSync(
        join(changed, 'pb_migrations', '1899999998_marker.js'),
        'migrate((app) => { app.save(new Collection({ type: "base", name: "rehearsal_marker", fields: [{ type: "text", name: "note" }] })); });\n',
      );
      writeFileSync(
        join(changed, 'pb_hooks', 'unhealthy.pb.js'),
        'routerUse((e) => { if (e.request.url.path === "/api/health") { throw new InternalServerError("rehearsal: unhealthy"); } return e.next(); });\n',
      );
      const result = deploy('v4-unhealthy', ['--backend-dir', changed]);
      expect(result.code).not.toBe(0);
      expect(result.out).toContain('database restored from');
      expect(result.out).toContain('rolled back to v2, which is up, with the database as it was before v4-unhealthy');
    } finally {
      rmSync(changed, { recursive: true, force: true });
    }
    expect(current()).toBe('releases/v2');
    expect(await settle()).toBe(true);
    const pb = await superuser();
    // The new release's migration had run (its log says so), and is undone.
    await expect(pb.collections.getOne('rehearsal_marker')).rejects.toMatchObject({ status: 404 });
    expect((await pb.collection('users').getFullList({ filter: 'username = "kept_user"' })).length).toBe(1);
    // 90 s: it starts and stops servers in turn (the damaged backup alone waits ~20 s), past 30 s at load 15-20.
  }, 90_000);

  it("running install.sh again changes nothing and keeps the operator's environment file", () => {
    const envBefore = readFileSync(join(root, 'etc/palaver/palaver.env'), 'utf8');
    const result = run('bash', [script('install.sh'), '--prefix', root, '--domain', 'other.example.com']);
    expect(result.code, result.out).toBe(0);
    expect(result.out).not.toMatch(/installed|wrote/);
    expect(readFileSync(join(root, 'etc/palaver/palaver.env'), 'utf8')).toBe(envBefore);
    const data = statSync(join(root, 'var/lib/palaver/pb_data'));
    expect(`${data.uid}:${data.gid}`).toBe(SERVICE_USER);
  });

  it('admin.sh applies the production settings and keeps secrets out of its output', async () => {
    const result = run('bash', [script('admin.sh'), 'configure'], {
      PALAVER_URL: url,
      PB_SUPERUSER_EMAIL: admin.email,
      PB_SUPERUSER_PASSWORD: admin.password,
      SENDER_ADDRESS: 'noreply@chat.example.com',
      SMTP_HOST: 'smtp.example.net',
      SMTP_USERNAME: 'mailer',
      SMTP_PASSWORD: 'smtp-secret-value',
      BACKUP_CRON: '0 3 * * *',
      BACKUP_KEEP: '7',
      S3_BUCKET: 'palaver-backups',
      S3_REGION: 'us-ord-1',
      S3_ENDPOINT: 'https://us-ord-1.linodeobjects.com',
      S3_ACCESS_KEY: 'access-key-id',
      S3_SECRET: 's3-secret-value',
      SUPERUSER_IPS: '127.0.0.1, 10.9.0.0/16',
    });
    expect(result.code, result.out).toBe(0);
    expect(result.out).not.toMatch(/smtp-secret-value|s3-secret-value|rehearsal-password/);
    const settings = await (await superuser()).settings.getAll();
    expect(settings.backups).toMatchObject({
      cron: '0 3 * * *',
      cronMaxKeep: 7,
      s3: { enabled: true, bucket: 'palaver-backups', endpoint: 'https://us-ord-1.linodeobjects.com' },
    });
    expect(settings.smtp).toMatchObject({ enabled: true, host: 'smtp.example.net', username: 'mailer' });
    expect(settings.meta).toMatchObject({ senderAddress: 'noreply@chat.example.com', appURL: url });
    expect(settings.rateLimits.enabled).toBe(true);
    expect(settings.superuserIPs).toEqual(['127.0.0.1', '10.9.0.0/16']);
  });

  it('a backup is made, the data changes, the backup is restored and the data is back', async () => {
    const adminEnv = { PALAVER_URL: url, PB_SUPERUSER_EMAIL: admin.email, PB_SUPERUSER_PASSWORD: admin.password };
    // Backups to the data volume here (no object storage on this machine); S3 is the same call.
    const local = run('bash', [script('admin.sh'), 'configure'], { ...adminEnv, SUPERUSER_IPS: '' });
    expect(local.code, local.out).toBe(0);
    const pb = await superuser();
    const room = await pb.collection('rooms').create({ name: 'before-backup', kind: 'public', owner: '' });

    const made = run('bash', [script('admin.sh'), 'backup', 'rehearsal.zip'], adminEnv);
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain('backup made: rehearsal.zip');
    expect(run('bash', [script('admin.sh'), 'backups'], adminEnv).out).toContain('rehearsal.zip');
    expect(existsSync(join(root, 'var/lib/palaver/pb_data/backups/rehearsal.zip'))).toBe(true);

    await pb.collection('rooms').delete(room.id);
    await pb.collection('rooms').create({ name: 'after-backup', kind: 'public', owner: '' });
    const missing = run('bash', [script('admin.sh'), 'restore', 'nope.zip'], adminEnv);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain("there is no backup 'nope.zip'");

    // A backup that cannot be unpacked: the restore stops, the server does not restart, and admin.sh
    // says so instead of reporting success.
    writeFileSync(join(root, 'var/lib/palaver/pb_data/backups/damaged.zip'), 'this is not a zip file');
    const damaged = run('bash', [script('admin.sh'), 'restore', 'damaged.zip'], adminEnv);
    expect(damaged.code).not.toBe(0);
    expect(damaged.out).toContain('stopped without a restart, so the data is unchanged');
    expect(
      (await (await superuser()).collection('rooms').getFullList({ filter: 'name ~ "backup"' })).map((r) => r.name),
    ).toEqual(['after-backup']);

    const restored = run('bash', [script('admin.sh'), 'restore', 'rehearsal.zip'], adminEnv);
    expect(restored.code, restored.out).toBe(0);
    expect(await settle()).toBe(true);
    const after = await superuser();
    const names = (await after.collection('rooms').getFullList({ filter: 'name ~ "backup"' })).map((r) => r.name);
    expect(names).toEqual(['before-backup']);
    // 90 s: it starts and stops servers in turn (the damaged backup alone waits ~20 s), past 30 s at load 15-20.
  }, 90_000);

  it('with an allowlist that leaves this address out, a superuser is refused; users are not (last: it locks this test out)', async () => {
    const result = run('bash', [script('admin.sh'), 'configure'], {
      PALAVER_URL: url,
      PB_SUPERUSER_EMAIL: admin.email,
      PB_SUPERUSER_PASSWORD: admin.password,
      SUPERUSER_IPS: '10.9.0.0/16',
    });
    expect(result.code, result.out).toBe(0);
    await expect(superuser()).rejects.toMatchObject({ status: 403 });
    const again = run('bash', [script('admin.sh'), 'backups'], {
      PALAVER_URL: url,
      PB_SUPERUSER_EMAIL: admin.email,
      PB_SUPERUSER_PASSWORD: admin.password,
    });
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('answered 403');
    // Everyone else's API is untouched.
    expect((await fetch(`${url}/api/collections/rooms/records`)).status).toBe(200);
  });
});
