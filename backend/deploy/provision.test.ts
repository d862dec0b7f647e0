// backend/deploy/provision.sh: what an operator sees. The dry run prints the exact linode-cli calls and
// runs none; bad settings are refused before anything happens; a real run (against a stand-in for
// linode-cli, testdata/fake-linode-cli.mjs) creates each resource once and reuses it on the next run;
// the cloud-init it renders is valid, carries the unit file unchanged, and makes the operator's login
// (ADMIN_USER, default admin) before it turns root's SSH login off.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const deployDir = dirname(fileURLToPath(import.meta.url));
const script = join(deployDir, 'provision.sh');
const fakeCli = join(deployDir, 'testdata', 'fake-linode-cli.mjs');
const firstBootLogin = join(deployDir, 'testdata', 'first-boot-login.sh');
const isRoot = process.getuid?.() === 0;
const unitFile = readFileSync(join(deployDir, 'palaver.service'));

/** Where a command is on PATH, or undefined. */
function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** PATH without any directory holding a linode-cli: the script must not need (or find) a real one. */
const pathWithoutLinodeCli = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir && !existsSync(join(dir, 'linode-cli')))
  .join(delimiter);

let tmp: string;
let keyFile: string;
let fakeBin: string;
const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmSMBzRiceX1dizuCM+C23l6fKeRE42COYgEd6XvBuo op@laptop';

const baseSettings = (): Record<string, string> => ({
  LINODE_LABEL: 'palaver-prod',
  LINODE_REGION: 'us-ord',
  LINODE_TYPE: 'g6-standard-2',
  SSH_PUBLIC_KEY_FILE: keyFile,
  PALAVER_DOMAIN: 'chat.example.com',
});

let configCount = 0;
/** Writes a config file (shell KEY=value lines, values single-quoted) and returns its path. */
function writeConfig(settings: Record<string, string>): string {
  const file = join(tmp, `provision-${++configCount}.env`);
  const lines = Object.entries(settings).map(([k, v]) => `${k}='${v.replaceAll("'", `'\\''`)}'`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs provision.sh with a clean environment (no token unless given), never throwing. */
function run(args: string[], env: Record<string, string> = {}): Run {
  try {
    const stdout = execFileSync(script, args, {
      encoding: 'utf8',
      env: { PATH: pathWithoutLinodeCli, HOME: tmp, LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number | null; stdout: string; stderr: string };
    return { status: err.status ?? -1, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The '+ ' lines: the linode-cli calls the script printed. */
const calls = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('+ '));

/** Splits a printed call back into words the way bash would, proving it can be copy-pasted. */
function shellWords(line: string): string[] {
  const out = execFileSync('bash', ['-c', `set -- ${line.slice(2)}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

function argAfter(words: string[], flag: string): string | undefined {
  const i = words.indexOf(flag);
  return i >= 0 ? words[i + 1] : undefined;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'palaver-provision-'));
  keyFile = join(tmp, 'id_ed25519.pub');
  writeFileSync(keyFile, publicKey + '\n');
  // linode-cli for the "real" runs: the stand-in, launched with this very node.
  fakeBin = join(tmp, 'bin');
  execFileSync('mkdir', ['-p', fakeBin]);
  writeFileSync(join(fakeBin, 'linode-cli'), `#!/bin/sh\nexec '${process.execPath}' '${fakeCli}' "$@"\n`);
  chmodSync(join(fakeBin, 'linode-cli'), 0o755);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('provision.sh --dry-run', () => {
  it('prints the exact linode-cli calls, in order, with placeholders, and needs no linode-cli or token', () => {
    const config = writeConfig({ ...baseSettings(), DNS_ZONE: 'example.com' });
    const { status, stdout, stderr } = run(['--dry-run', '--config', config]);
    expect(stderr).toBe('');
    expect(status).toBe(0);

    const userData = execFileSync(script, ['--render-cloud-init', '--config', config], {
      encoding: 'utf8',
      env: { PATH: pathWithoutLinodeCli, HOME: tmp },
    });
    const b64 = Buffer.from(userData).toString('base64');
    const rules =
      '[{"label":"ssh-http-https","action":"ACCEPT","protocol":"TCP","ports":"22,80,443","addresses":{"ipv4":["0.0.0.0/0"],"ipv6":["::/0"]}}]';
    expect(calls(stdout)).toEqual([
      '+ linode-cli regions view us-ord --json',
      '+ linode-cli images view linode/debian12 --json',
      '+ linode-cli firewalls list --all-rows --json',
      `+ linode-cli firewalls create --label palaver-prod-fw --rules.inbound_policy DROP --rules.outbound_policy ACCEPT --rules.inbound '${rules}' --no-defaults --json`,
      '+ linode-cli linodes list --label palaver-prod --json',
      `+ linode-cli linodes create --label palaver-prod --region us-ord --type g6-standard-2 --image linode/debian12 --root_pass --authorized_keys '${publicKey}' --firewall_id '<firewall-id>' --booted false --metadata.user_data ${b64} --no-defaults --json`,
      "+ linode-cli linodes view '<linode-id>' --json",
      '+ linode-cli volumes list --label palaver-prod-data --json',
      "+ linode-cli volumes create --label palaver-prod-data --size 20 --linode_id '<linode-id>' --no-defaults --json",
      "+ linode-cli volumes view '<volume-id>' --json",
      "+ linode-cli linodes boot '<linode-id>'",
      '+ linode-cli domains list --all-rows --json',
      "+ linode-cli domains records-list '<zone-id>' --all-rows --json",
      "+ linode-cli domains records-create '<zone-id>' --type A --name chat --target '<ipv4>' --ttl_sec 300 --json",
    ]);
    expect(stdout).toContain('nothing was created');
    expect(stdout).toContain('ssh admin@<ipv4> cloud-init status --wait');
    expect(stdout).toContain('backend/deploy/deploy.sh --host admin@<ipv4> --domain chat.example.com');
    expect(stdout).not.toContain('root@');
  });

  it('names ADMIN_USER in the next steps when it is set', () => {
    const { status, stdout } = run(['--dry-run', '--config', writeConfig({ ...baseSettings(), ADMIN_USER: 'ops' })]);
    expect(status).toBe(0);
    expect(stdout).toContain('login ops with the key(s) in');
    expect(stdout).toContain('ssh ops@<ipv4> cloud-init status --wait');
    expect(stdout).toContain('backend/deploy/deploy.sh --host ops@<ipv4> --domain chat.example.com');
  });

  it('prints calls a shell reads back as the intended arguments (copy-pasteable)', () => {
    const { stdout } = run(['--dry-run', '--config', writeConfig(baseSettings())]);
    const firewall = shellWords(calls(stdout).find((l) => l.includes('firewalls create'))!);
    expect(JSON.parse(argAfter(firewall, '--rules.inbound')!)).toEqual([
      {
        label: 'ssh-http-https',
        action: 'ACCEPT',
        protocol: 'TCP',
        ports: '22,80,443',
        addresses: { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] },
      },
    ]);
    const create = shellWords(calls(stdout).find((l) => l.includes('linodes create'))!);
    expect(argAfter(create, '--authorized_keys')).toBe(publicKey);
    // The password is no argument (linode-cli reads it from LINODE_CLI_ROOT_PASS).
    expect(argAfter(create, '--root_pass')).toBe('--authorized_keys');
    expect(argAfter(create, '--firewall_id')).toBe('<firewall-id>');
  });

  it('leaves DNS alone when DNS_ZONE is unset, and says to point DNS by hand', () => {
    const { status, stdout } = run(['--dry-run', '--config', writeConfig({ ...baseSettings(), VOLUME_SIZE_GB: '40' })]);
    expect(status).toBe(0);
    expect(calls(stdout).some((l) => l.includes(' domains '))).toBe(false);
    expect(calls(stdout)).toContain(
      "+ linode-cli volumes create --label palaver-prod-data --size 40 --linode_id '<linode-id>' --no-defaults --json",
    );
    expect(stdout).toContain('Point DNS at the server: an A record chat.example.com -> <ipv4>');
  });

  it('puts the rendered cloud-init, with the domain and the exact unit file, in --metadata.user_data', () => {
    const config = writeConfig(baseSettings());
    const { stdout } = run(['--dry-run', '--config', config]);
    const create = shellWords(calls(stdout).find((l) => l.includes('linodes create'))!);
    const userData = Buffer.from(argAfter(create, '--metadata.user_data')!, 'base64').toString('utf8');

    const rendered = execFileSync(script, ['--render-cloud-init', '--config', config], {
      encoding: 'utf8',
      env: { PATH: pathWithoutLinodeCli, HOME: tmp },
    });
    expect(userData).toBe(rendered);
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(userData).not.toMatch(/@[A-Z0-9_]+@/);
    expect(userData).toContain('      PALAVER_DOMAIN=chat.example.com\n');
    expect(userData).toContain('      PALAVER_SERVE_ARGS=\n');
    expect(userData).toContain('      PALAVER_HEALTH_URL=https://chat.example.com/api/health\n');
    expect(userData).toContain("volume_label='palaver-prod-data'");
    expect(Buffer.byteLength(userData)).toBeLessThanOrEqual(16384); // Linode's Metadata limit

    // The unit is written from base64, byte for byte.
    const unit = /path: \/etc\/systemd\/system\/palaver\.service\n(?: {4}.*\n)*? {4}content: '([A-Za-z0-9+/=]+)'/.exec(
      userData,
    );
    expect(unit, 'palaver.service entry in write_files').not.toBeNull();
    expect(Buffer.from(unit![1]!, 'base64').equals(unitFile)).toBe(true);
  });

  it("has no superuser address setting: that is PocketBase's superuserIPs, set by admin.sh configure", () => {
    const rendered = run(['--render-cloud-init', '--config', writeConfig(baseSettings())]).stdout;
    expect(rendered).not.toMatch(/superuserIPs|SUPERUSER_IPS/i);
  });

  it('makes the operator login (default admin) with the key, passwordless sudo, then the sshd drop-in', () => {
    const rendered = run(['--render-cloud-init', '--config', writeConfig(baseSettings())]).stdout;
    expect(rendered).toContain("      admin='admin'\n");
    const keys = /^ {6}admin_keys_b64='([A-Za-z0-9+/=]+)'$/m.exec(rendered);
    expect(keys, 'admin_keys_b64 in palaver-first-boot').not.toBeNull();
    expect(Buffer.from(keys![1]!, 'base64').toString('utf8')).toBe(publicKey + '\n');
    expect(rendered).toContain('useradd --create-home --shell /bin/bash --groups sudo');
    expect(rendered).toContain('install -d -o "$admin" -g "$group" -m 0700 "$home/.ssh"');
    expect(rendered).toContain('chmod 0600 "$keys_file"');
    expect(rendered).toContain('"$admin ALL=(ALL:ALL) NOPASSWD: ALL"');
    expect(rendered).toContain('visudo -cqf "$draft"');
    expect(rendered).toContain('sshd_dropin=/etc/ssh/sshd_config.d/10-palaver.conf');
    expect(rendered).toContain("'PermitRootLogin no' 'PasswordAuthentication no'");
    expect(rendered).toContain('systemctl reload ssh.service');
    // Root's login goes only after the key file is written, sudoers is in place and sudo works.
    const at = (text: string) => {
      const i = rendered.indexOf(text);
      expect(i, text).toBeGreaterThan(0);
      return i;
    };
    expect(at('printf \'%s\\n\' "$key" >>"$keys_file"')).toBeLessThan(at('mv -f "$draft" "$sudoers"'));
    expect(at('mv -f "$draft" "$sudoers"')).toBeLessThan(at('runuser -u "$admin" -- sudo -n true'));
    expect(at('runuser -u "$admin" -- sudo -n true')).toBeLessThan(at('mv -f "$sshd_dropin.new" "$sshd_dropin"'));
    // Before the service account and the volume, so the login works even if the volume is missing.
    expect(at('mv -f "$sshd_dropin.new" "$sshd_dropin"')).toBeLessThan(at('groupadd --system pocketbase'));
  });

  it('puts ADMIN_USER in the first-boot script', () => {
    const rendered = run([
      '--render-cloud-init',
      '--config',
      writeConfig({ ...baseSettings(), ADMIN_USER: 'ops_1' }),
    ]).stdout;
    expect(rendered).toContain("      admin='ops_1'\n");
    expect(rendered).not.toContain("admin='admin'");
  });
});

describe('refused settings: non-zero exit, a message naming the variable, nothing run', () => {
  type Settings = Record<string, string>;
  const cases: Array<{ what: string; change: (s: Settings) => void; message: RegExp }> = [
    {
      what: 'a missing key file',
      change: (s) => (s.SSH_PUBLIC_KEY_FILE = '/nonexistent/id_ed25519.pub'),
      message: /SSH_PUBLIC_KEY_FILE=\/nonexistent\/id_ed25519\.pub: no such readable file/,
    },
    {
      what: 'a private key',
      change: (s) => (s.SSH_PUBLIC_KEY_FILE = join(tmp, 'private')),
      message: /SSH_PUBLIC_KEY_FILE=.* is a PRIVATE key: point it at the \.pub file/,
    },
    {
      what: 'a domain outside DNS_ZONE',
      change: (s) => (s.DNS_ZONE = 'example.org'),
      message: /PALAVER_DOMAIN=chat\.example\.com is not inside DNS_ZONE=example\.org/,
    },
    {
      what: 'a label with characters Linode refuses',
      change: (s) => (s.LINODE_LABEL = 'palaver prod!'),
      message: /LINODE_LABEL='palaver prod!' is not a label Linode accepts/,
    },
    {
      what: 'a label too short',
      change: (s) => (s.LINODE_LABEL = 'pv'),
      message: /LINODE_LABEL='pv' is not a label Linode accepts: use 3-64 characters/,
    },
    {
      what: 'a label whose volume label would be too long',
      change: (s) => (s.LINODE_LABEL = 'palaver-production-server-eu'),
      message: /LINODE_LABEL='palaver-production-server-eu' gives the volume label 'palaver-production-server-eu-data'/,
    },
    {
      what: 'a non-numeric size',
      change: (s) => (s.VOLUME_SIZE_GB = '20GB'),
      message: /VOLUME_SIZE_GB='20GB' is not a whole number of GB/,
    },
    {
      what: "a size below Linode's minimum",
      change: (s) => (s.VOLUME_SIZE_GB = '5'),
      message: /VOLUME_SIZE_GB=5 is below Linode's minimum/,
    },
    {
      what: 'a domain with a scheme',
      change: (s) => (s.PALAVER_DOMAIN = 'https://chat.example.com'),
      message: /PALAVER_DOMAIN='https:\/\/chat\.example\.com' is not a DNS name/,
    },
    {
      what: 'an ADMIN_USER with capitals',
      change: (s) => (s.ADMIN_USER = 'Admin'),
      message: /ADMIN_USER='Admin' is not a Debian user name/,
    },
    {
      what: 'an ADMIN_USER starting with a digit',
      change: (s) => (s.ADMIN_USER = '1ops'),
      message: /ADMIN_USER='1ops' is not a Debian user name/,
    },
    {
      what: 'an ADMIN_USER with shell characters',
      change: (s) => (s.ADMIN_USER = "ops'; reboot"),
      message: /ADMIN_USER='ops'; reboot' is not a Debian user name/,
    },
    {
      what: 'an ADMIN_USER longer than 32 characters',
      change: (s) => (s.ADMIN_USER = 'a'.repeat(33)),
      message: /ADMIN_USER='a{33}' is not a Debian user name/,
    },
    {
      what: 'ADMIN_USER=root',
      change: (s) => (s.ADMIN_USER = 'root'),
      message: /ADMIN_USER='root' is a system account/,
    },
    {
      what: 'ADMIN_USER=pocketbase (the service account)',
      change: (s) => (s.ADMIN_USER = 'pocketbase'),
      message: /ADMIN_USER='pocketbase' is a system account/,
    },
    {
      what: 'a missing LINODE_REGION',
      change: (s) => delete s.LINODE_REGION,
      message: /LINODE_REGION is not set/,
    },
  ];

  for (const { what, change, message } of cases) {
    it(`refuses ${what}`, () => {
      writeFileSync(
        join(tmp, 'private'),
        '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n',
      );
      const settings = baseSettings();
      change(settings);
      const config = writeConfig(settings);
      for (const args of [['--dry-run'], []]) {
        const { status, stdout, stderr } = run([...args, '--config', config]);
        expect(status).toBe(1);
        expect(stderr).toMatch(message);
        expect(calls(stdout)).toEqual([]);
      }
    });
  }

  it('names a missing config file and the template to copy', () => {
    const { status, stderr } = run(['--dry-run', '--config', join(tmp, 'nope.env')]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/config file .*nope\.env not found: copy .*provision\.env\.example/);
  });

  it('names an unknown flag, and --help prints the usage', () => {
    const bad = run(['--dry-runn']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown option '--dry-runn'");
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: provision.sh [--dry-run] [--config FILE]');
  });
});

describe('provision.sh for real', () => {
  const haveJq = which('jq') !== undefined;

  it('without linode-cli and token: one line naming both, nothing created', () => {
    const { status, stdout, stderr } = run(['--config', writeConfig(baseSettings())]);
    expect(status).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('linode-cli is not on PATH');
    expect(stderr).toContain('LINODE_CLI_TOKEN is not set');
    expect(stderr).toContain('Nothing was created');
    expect(calls(stdout)).toEqual([]);
  });

  it('with linode-cli but no token: one line naming LINODE_CLI_TOKEN, linode-cli never called', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    const { status, stderr } = run(['--config', writeConfig(baseSettings())], {
      PATH: `${fakeBin}${delimiter}${pathWithoutLinodeCli}`,
      FAKE_LINODE_STATE: state,
    });
    expect(status).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('LINODE_CLI_TOKEN is not set');
    expect(stderr).not.toContain('linode-cli is not on PATH');
    expect(existsSync(join(state, 'calls.json'))).toBe(false);
  });

  /** A real run against the stand-in linode-cli, whose state lives in `state`. */
  const realRun = (state: string, config: string, extra: Record<string, string> = {}): Run =>
    run(['--config', config], {
      PATH: `${fakeBin}${delimiter}${pathWithoutLinodeCli}`,
      FAKE_LINODE_STATE: state,
      LINODE_CLI_TOKEN: 'test-token',
      PROVISION_POLL_SECONDS: '0',
      ...extra,
    });
  const fakeCalls = (state: string): string[][] => JSON.parse(readFileSync(join(state, 'calls.json'), 'utf8'));
  const fakeState = (state: string) => JSON.parse(readFileSync(join(state, 'state.json'), 'utf8'));
  const seed = (state: string, value: object) =>
    writeFileSync(
      join(state, 'state.json'),
      JSON.stringify({
        nextId: 100,
        firewalls: [],
        linodes: [],
        volumes: [],
        domains: [],
        records: {},
        secrets: {},
        ...value,
      }),
    );

  it.skipIf(!haveJq)('creates each resource once, with the ids from the JSON, and reuses them on the next run', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    seed(state, { domains: [{ id: 7, domain: 'example.com' }] });
    const config = writeConfig({ ...baseSettings(), DNS_ZONE: 'example.com' });

    const first = realRun(state, config);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const made = fakeState(state);
    const [fw] = made.firewalls;
    const [linode] = made.linodes;
    const [volume] = made.volumes;
    expect(fw).toMatchObject({
      label: 'palaver-prod-fw',
      rules: { inbound_policy: 'DROP', outbound_policy: 'ACCEPT' },
    });
    expect(linode).toMatchObject({
      label: 'palaver-prod',
      region: 'us-ord',
      type: 'g6-standard-2',
      image: 'linode/debian12',
      firewall_id: fw.id,
      status: 'running',
    });
    expect(volume).toMatchObject({ label: 'palaver-prod-data', size: 20, linode_id: linode.id });
    expect(made.records['7']).toEqual([
      expect.objectContaining({ type: 'A', name: 'chat', target: linode.ipv4[0], ttl_sec: 300 }),
    ]);
    // The volume was attached before the first boot.
    const order = fakeCalls(state).map((c) => `${c[0]} ${c[1]}`);
    expect(order.indexOf('volumes create')).toBeLessThan(order.indexOf('linodes boot'));

    // The root password: long, random, passed to Linode and shown nowhere.
    const { root_pass: rootPass, authorized_keys: keys } = made.secrets[linode.id];
    expect(rootPass.length).toBeGreaterThanOrEqual(32);
    expect(keys).toEqual([publicKey]);
    expect(first.stdout + first.stderr).not.toContain(rootPass);
    // Nor on any command line, where `ps` shows it to every user of the machine.
    for (const call of fakeCalls(state)) expect(call.join(' ')).not.toContain(rootPass);
    expect(first.stdout).toContain(`created Linode ${linode.id} at ${linode.ipv4[0]}`);

    const second = realRun(state, config);
    expect(second.status).toBe(0);
    const secondCalls = fakeCalls(state)
      .slice(order.length)
      .map((c) => `${c[0]} ${c[1]}`);
    expect(secondCalls.filter((c) => /create|attach|boot/.test(c))).toEqual([]);
    expect(second.stdout).toContain(`exists: firewall ${fw.id}`);
    expect(second.stdout).toContain(`exists: Linode ${linode.id}`);
    expect(second.stdout).toContain(`exists: volume ${volume.id}`);
    expect(second.stdout).toContain('already points chat.example.com at');
    const after = fakeState(state);
    expect([after.firewalls.length, after.linodes.length, after.volumes.length, after.records['7'].length]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it.skipIf(!haveJq)('finishes on a rerun after a failed step', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    const config = writeConfig(baseSettings());
    const failed = realRun(state, config, { FAKE_LINODE_FAIL: 'volumes create' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/linode-cli volumes create failed/);
    expect(fakeState(state).linodes[0].status).toBe('offline'); // not booted without its volume

    const rerun = realRun(state, config);
    expect(rerun.status).toBe(0);
    const after = fakeState(state);
    expect(after.linodes).toHaveLength(1);
    expect(after.linodes[0].status).toBe('running');
    expect(after.volumes).toEqual([expect.objectContaining({ linode_id: after.linodes[0].id })]);
  });

  it.skipIf(!haveJq)('attaches an existing detached volume instead of creating one', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    seed(state, {
      volumes: [{ id: 55, label: 'palaver-prod-data', size: 20, region: 'us-ord', linode_id: null, status: 'active' }],
    });
    const { status, stdout } = realRun(state, writeConfig(baseSettings()));
    expect(status).toBe(0);
    expect(stdout).toContain('exists, detached: volume 55');
    const after = fakeState(state);
    expect(after.volumes).toHaveLength(1);
    expect(after.volumes[0].linode_id).toBe(after.linodes[0].id);
  });

  it.skipIf(!haveJq)('stops when the volume is attached to another instance, without touching it', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    seed(state, {
      volumes: [
        {
          id: 55,
          label: 'palaver-prod-data',
          size: 20,
          region: 'us-ord',
          linode_id: 999,
          linode_label: 'old-server',
          status: 'active',
        },
      ],
    });
    const { status, stderr } = realRun(state, writeConfig(baseSettings()));
    expect(status).toBe(1);
    expect(stderr).toMatch(/volume palaver-prod-data \(55\) is attached to another Linode \(999, old-server\)/);
    expect(stderr).toContain('Moving the data volume');
    const names = fakeCalls(state).map((c) => `${c[0]} ${c[1]}`);
    expect(names.filter((c) => /volumes (create|attach)|linodes boot/.test(c))).toEqual([]);
    expect(fakeState(state).volumes[0].linode_id).toBe(999);
  });

  it.skipIf(!haveJq)('refuses a region without the Metadata service before creating anything', () => {
    const state = mkdtempSync(join(tmp, 'state-'));
    const { status, stderr } = realRun(state, writeConfig({ ...baseSettings(), LINODE_REGION: 'xx-nometa' }));
    expect(status).toBe(1);
    expect(stderr).toContain('LINODE_REGION=xx-nometa has no Metadata service');
    expect(fakeCalls(state).map((c) => `${c[0]} ${c[1]}`)).toEqual(['regions view']);
  });
});

describe('static checks', () => {
  const cloudInit = which('cloud-init');
  (cloudInit ? it : it.skip)(
    cloudInit
      ? 'the rendered cloud-init passes `cloud-init schema`'
      : 'the rendered cloud-init passes `cloud-init schema` (SKIPPED: cloud-init is not installed; apt-get install -y cloud-init)',
    () => {
      const variants: Array<Record<string, string>> = [{}, { ADMIN_USER: 'ops_1', DNS_ZONE: 'example.com' }];
      for (const extra of variants) {
        const file = join(tmp, 'user-data.yaml');
        writeFileSync(
          file,
          run(['--render-cloud-init', '--config', writeConfig({ ...baseSettings(), ...extra })]).stdout,
        );
        const out = execFileSync(cloudInit!, ['schema', '--config-file', file], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(out).toContain('Valid cloud-config');
      }
    },
  );

  const shellcheck = which('shellcheck');
  (shellcheck ? it : it.skip)(
    shellcheck
      ? 'shellcheck passes provision.sh and the first-boot script it renders'
      : 'shellcheck passes provision.sh (SKIPPED: shellcheck is not installed; apt-get install -y shellcheck)',
    () => {
      execFileSync(shellcheck!, [script], { stdio: 'pipe' });
      // The first-boot script embedded in the cloud-init, unindented.
      const rendered = run(['--render-cloud-init', '--config', writeConfig(baseSettings())]).stdout;
      const body =
        /path: \/usr\/local\/sbin\/palaver-first-boot\n(?: {4}.*\n)*? {4}content: \|\n((?: {6}.*\n|\n)+)/.exec(
          rendered,
        );
      expect(body, 'palaver-first-boot in write_files').not.toBeNull();
      const firstBoot = join(tmp, 'palaver-first-boot');
      writeFileSync(firstBoot, body![1]!.replace(/^ {6}/gm, ''));
      execFileSync(shellcheck!, [firstBoot], { stdio: 'pipe' });
    },
  );
});

describe.skipIf(!isRoot || !which('unshare') || !which('visudo') || !which('useradd') || !which('runuser'))(
  "first boot's operator login, run for real in a private mount namespace (needs root, unshare, sudo)",
  () => {
    const login = 'palaverop'; // not a user of this machine: the namespace's /etc starts as the machine's
    let userData: string;
    beforeAll(() => {
      userData = join(tmp, 'first-boot-user-data.yaml');
      writeFileSync(
        userData,
        run(['--render-cloud-init', '--config', writeConfig({ ...baseSettings(), ADMIN_USER: login })]).stdout,
      );
    });
    const runIt = (...extra: string[]) => {
      const out = mkdtempSync(join(tmp, 'first-boot-'));
      execFileSync(firstBootLogin, [userData, out, ...extra], { stdio: 'pipe', timeout: 60_000 });
      const read = (name: string) => readFileSync(join(out, name), 'utf8');
      const has = (name: string) => existsSync(join(out, name));
      return { read, has };
    };

    it('creates the login with the key and sudo, turns root and passwords off after it, and changes nothing the second time', () => {
      const { read } = runIt();
      expect(read('run1.out')).toContain(`created user ${login}`);
      expect(read('run1.rc').trim()).toBe('0');
      expect(read('id')).toMatch(new RegExp(`^uid=\\d+\\(${login}\\) .*groups=.*\\(sudo\\)`));
      expect(read('files/authorized_keys')).toBe(publicKey + '\n');
      expect(read('files/authorized_keys.stat').trim()).toBe(`600 ${login}:${login}`);
      expect(read('files/.ssh.stat').trim()).toBe(`700 ${login}:${login}`);
      expect(read(`files/90-palaver-${login}`)).toContain(`${login} ALL=(ALL:ALL) NOPASSWD: ALL\n`);
      expect(read(`files/90-palaver-${login}.stat`).trim()).toBe('440 root:root');
      const dropin = read('files/10-palaver.conf');
      expect(dropin).toContain('PermitRootLogin no\n');
      expect(dropin).toContain('PasswordAuthentication no\n');
      // sshd checked the drop-in when the key file already held the key; reloaded once, over two runs.
      const calls = read('calls').trim().split('\n');
      expect(calls).toEqual([
        'sshd -t',
        'sshd -t: authorized_keys 1',
        'systemctl reload ssh.service',
        'sshd -T',
        'sshd -T',
      ]);
      // The second run: no output, same files, same metadata and times.
      expect(read('run2.rc').trim()).toBe('0');
      expect(read('run2.out')).toBe('');
      expect(read('snap2')).toBe(read('snap1'));
    });

    it('leaves root login on when the new login cannot use sudo', () => {
      const { read, has } = runIt('--sudo-fails');
      expect(read('run1.rc').trim()).toBe('1');
      expect(read('run1.out')).toContain(`${login} cannot use sudo without a password; root's SSH login left on`);
      expect(has('files/10-palaver.conf')).toBe(false);
      expect(read('calls')).not.toMatch(/sshd|systemctl/);
    });
  },
);
