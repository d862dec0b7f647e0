// Builds the app once for the whole electron project (its tests run in parallel workers, which must not
// each rebuild out/ under the others). Not needed for a packaged test build, nor where no Electron runs.
import { expect, test as setup } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../scripts/backend-build.ts';
import { electronSkipReason } from '../../scripts/electron-binary.ts';
import { binary, packagedApp } from './desktop.ts';

setup('build the app (electron-vite) for the Electron tests', () => {
  setup.skip(!binary, electronSkipReason);
  setup.skip(packagedApp !== null, 'the packaged test build named by PALAVER_E2E_PACKAGED_APP is tested as it is');
  const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  expect(build.status, 'electron-vite build of the app').toBe(0);
});
