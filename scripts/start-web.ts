// `npm run start:web`: the local PocketBase serving the web build of the renderer, for machines where
// Electron cannot run. Open the printed address in a browser.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './backend-build.ts';
import { devUrl, startDevBackend } from './backend-dev.ts';

const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
  cwd: repoRoot,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('The web build of the renderer failed (see above); fix it and run `npm run start:web` again.');
  process.exit(1);
}
try {
  const server = await startDevBackend({ publicDir: join(repoRoot, 'out', 'renderer') });
  console.log(`Palaver in your browser: ${devUrl}/  (Ctrl+C stops the server)`);
  server.on('exit', (code) => process.exit(code ?? 0));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
