// Starts a real PocketBase (backend/bin/pocketbase) for tests and benchmarks: a free loopback port, a
// fresh temporary data dir, a superuser, and rate limits suited to tests unless production ones are
// asked for. Never touches a developer's backend/pb_data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { serverBinary } from '../../scripts/backend-build.ts';

export interface StartOptions {
  /** 'production' keeps the limits of the settings migration; 'tests' (default) raises them 100x. */
  rateLimits?: 'production' | 'tests';
  /** Extra arguments for `serve`, e.g. ['--hooksDir', dir]. */
  serveArgs?: string[];
  /** Another server binary than backend/bin/pocketbase. */
  binary?: string;
  /** Environment variables for the server on top of the test runner's, e.g. PALAVER_ATTACHMENT_MAX_MB. */
  env?: Record<string, string>;
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly superuser: { email: string; password: string };
  /** A PocketBase SDK client signed in as the superuser. */
  admin(): Promise<PocketBase>;
  /** Stops the server the hard way (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data dir. */
  stop(): Promise<void>;
  /** The server's output so far, for error messages. */
  log(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `PocketBase exited with code ${child.exitCode} before it was healthy. Its output:\n${readFileSync(logFile, 'utf8')}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `PocketBase at ${url} was not healthy within ${timeoutMs} ms. Its output:\n${readFileSync(logFile, 'utf8')}`,
  );
}

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'palaver-pb-'));
  const dataDir = join(root, 'pb_data');
  const logFile = join(root, 'server.log');
  const superuser = { email: 'superuser@palaver.test', password: 'superuser-password-1' };

  const binary = options.binary ?? serverBinary;
  const upsert = spawnSync(binary, ['superuser', 'upsert', superuser.email, superuser.password, '--dir', dataDir], {
    encoding: 'utf8',
  });
  if (upsert.status !== 0) {
    throw new Error(
      `Could not create the test superuser with ${binary} (run \`npm run backend:build\`?):\n${upsert.stdout}${upsert.stderr}`,
    );
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child!: ChildProcess;

  const launch = async () => {
    const out = openSync(logFile, 'a');
    child = spawn(binary, ['serve', `--http=127.0.0.1:${port}`, `--dir=${dataDir}`, ...(options.serveArgs ?? [])], {
      // Not the repo: the server must find its migrations and hooks from any working directory.
      cwd: tmpdir(),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    await waitForHealth(url, child, logFile);
  };
  const exited = (signal: NodeJS.Signals) =>
    new Promise<void>((resolveExit) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
      child.once('exit', () => resolveExit());
      child.kill(signal);
    });

  await launch();

  let adminClient: PocketBase | undefined;
  const server: TestServer = {
    url,
    port,
    dataDir,
    superuser,
    async admin() {
      if (!adminClient?.authStore.isValid) {
        adminClient = new PocketBase(url);
        adminClient.autoCancellation(false);
        await adminClient.collection('_superusers').authWithPassword(superuser.email, superuser.password);
      }
      return adminClient;
    },
    kill: () => exited('SIGKILL'),
    async restart() {
      await exited('SIGTERM');
      await launch();
    },
    async stop() {
      await exited('SIGTERM');
      rmSync(root, { recursive: true, force: true });
    },
    log: () => readFileSync(logFile, 'utf8'),
  };

  if ((options.rateLimits ?? 'tests') === 'tests') {
    const admin = await server.admin();
    const settings = await admin.settings.getAll();
    const rules = (settings.rateLimits.rules as Array<{ maxRequests: number }>).map((rule) => ({
      ...rule,
      maxRequests: rule.maxRequests * 100,
    }));
    await admin.settings.update({ rateLimits: { enabled: true, rules } });
  }
  return server;
}
