// `npm run backend`: a local development PocketBase on 127.0.0.1:8090 with data in backend/pb_data,
// a development superuser, and demo users and messages on first start.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import PocketBase from 'pocketbase';
import { backendDir, ensureBackendBuilt } from './backend-build.ts';
import { demoPassword, demoUsers, seedDemo } from './demo-data.ts';

export const devHost = '127.0.0.1';
export const devPort = Number(process.env.PALAVER_PORT ?? 8090);
export const devUrl = `http://${devHost}:${devPort}`;
export const devSuperuser = { email: 'dev@palaver.local', password: 'palaver-dev-password' };
const dataDir = join(backendDir, 'pb_data');

function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: devHost, port });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null)
      throw new Error(`PocketBase exited with code ${child.exitCode} while starting; its output is above.`);
    try {
      if ((await fetch(`${devUrl}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PocketBase did not answer on ${devUrl}/api/health within 20 s.`);
}

/** Builds and starts the development server; resolves once it is healthy and seeded. */
export async function startDevBackend(options: { publicDir?: string } = {}): Promise<ChildProcess> {
  if (await portInUse(devPort)) {
    throw new Error(
      `Port ${devPort} on ${devHost} is already in use, probably by another \`npm run backend\` or \`npm start\`. ` +
        'Stop it, or choose another port with PALAVER_PORT=8091.',
    );
  }
  const binary = ensureBackendBuilt();

  const upsert = spawnSync(
    binary,
    ['superuser', 'upsert', devSuperuser.email, devSuperuser.password, '--dir', dataDir],
    { encoding: 'utf8' },
  );
  if (upsert.status !== 0)
    throw new Error(`Could not create the development superuser in ${dataDir}:\n${upsert.stdout}${upsert.stderr}`);

  const args = ['serve', `--http=${devHost}:${devPort}`, `--dir=${dataDir}`, '--hooksWatch'];
  if (options.publicDir) args.push(`--publicDir=${options.publicDir}`);
  const child = spawn(binary, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  await waitForHealth(child);

  const admin = new PocketBase(devUrl);
  await admin.collection('_superusers').authWithPassword(devSuperuser.email, devSuperuser.password);
  if (await seedDemo(admin)) {
    console.log(
      `Added demo users ${demoUsers.map((u) => u.username).join(', ')} (password "${demoPassword}") with rooms and messages.`,
    );
  }
  console.log(
    [
      '',
      `Palaver's local server: ${devUrl}  (data in backend/pb_data)`,
      `Admin dashboard:        ${devUrl}/_/  sign in as ${devSuperuser.email} / ${devSuperuser.password}`,
      `Demo accounts:          ${demoUsers.map((u) => u.username).join(', ')} / ${demoPassword}`,
      '',
    ].join('\n'),
  );
  return child;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const child = await startDevBackend();
    child.on('exit', (code) => process.exit(code ?? 0));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
