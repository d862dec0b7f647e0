// `npm start`: the local PocketBase, then the desktop app against it. Where Electron cannot start (its
// binary is downloaded on first run and cannot be here), says so in one line and points to the browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot } from './backend-build.ts';
import { devUrl, startDevBackend } from './backend-dev.ts';
import { electronBinary } from './electron-binary.ts';

function ensureElectron(): string | null {
  const found = electronBinary();
  if (found) return found;
  // Let Electron's own installer try once (it needs the internet); quietly, since we explain below.
  const installer = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
  spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 120_000 });
  return electronBinary();
}

const electron = ensureElectron();
if (!electron) {
  console.error(
    'Palaver cannot start here: the Electron binary is not installed and could not be downloaded; run `npm run start:web` to use Palaver in a browser instead.',
  );
  process.exit(1);
}

const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('Building the app failed (see above); fix it and run `npm start` again.');
  process.exit(1);
}

try {
  const server = await startDevBackend();
  const app = spawn(electron, [repoRoot], { stdio: 'inherit', env: { ...process.env, PALAVER_SERVER: devUrl } });
  app.on('exit', (code) => {
    server.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  server.on('exit', () => app.kill('SIGTERM'));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
