// End-to-end tests. `web`: the built renderer in Debian's Chromium (never a downloaded browser), served
// by a real PocketBase that each worker starts. `faults`: the same, with the server killed and the
// network dropped (`npm run test:faults`). `electron`: the real app, where its binary exists.
import { defineConfig } from '@playwright/test';

export const chromiumPath = process.env.PALAVER_CHROMIUM ?? '/usr/bin/chromium';

const webUse = {
  browserName: 'chromium' as const,
  viewport: { width: 1200, height: 760 },
  launchOptions: {
    executablePath: chromiumPath,
    // As root in a sandboxed CI there is no user namespace for Chromium's own sandbox, and the
    // background-networking flags keep Chromium from calling home on a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'web', testDir: 'e2e/web', use: webUse },
    { name: 'faults', testDir: 'e2e/faults', use: webUse },
    // The app is built once (e2e/electron/app.setup.ts) before the electron tests, which share it.
    { name: 'electron-build', testDir: 'e2e/electron', testMatch: 'app.setup.ts' },
    { name: 'electron', testDir: 'e2e/electron', dependencies: ['electron-build'] },
  ],
});
