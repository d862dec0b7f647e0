// Builds what the end-to-end tests run: the PocketBase server (cached by its Go inputs) and the web
// build of the renderer, which each test's server serves from out/renderer (or PALAVER_E2E_WEB: e2e/web-dir.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { chromiumPath } from '../playwright.config.ts';
import { electronBinary, electronSkipReason } from '../scripts/electron-binary.ts';
import { e2eWebDir } from './web-dir.ts';

export default function globalSetup(): void {
  ensureBackendBuilt();
  const build = spawnSync(
    'npx',
    ['vite', 'build', '-c', 'vite.renderer.config.ts', '--outDir', e2eWebDir, '--logLevel', 'warn'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0)
    throw new Error('The web build of the renderer failed; the end-to-end tests need it (see the output above).');
  if (!electronBinary()) console.log(`[e2e] The electron project's tests will be skipped: ${electronSkipReason}.`);
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set PALAVER_CHROMIUM.`,
    );
  }
}
