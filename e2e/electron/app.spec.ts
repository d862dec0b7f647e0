// The real desktop app, launched with Playwright's Electron support. Electron 42+ downloads its binary
// on first run; where that binary is not installed (as on the offline build machine), these tests are
// reported as skipped with the reason, and run everywhere else.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../scripts/backend-build.ts';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';

function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const built = existsSync(join(repoRoot, 'out', 'main', 'index.js'));
test.skip(!binary, 'The Electron binary is not installed here (Electron downloads it on first run, and this machine cannot reach the download host); run these tests on a machine with internet access after `npx electron --version`.');
test.skip(!!binary && !built, 'The app is not built: run `npm run build` before the Electron tests.');

let server: TestServer;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('starts secure, signs in against a real server and keeps the session across a restart', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'palaver-electron-'));
  const launch = () =>
    electron.launch({
      executablePath: binary!,
      args: [repoRoot, `--user-data-dir=${userData}`],
      env: { ...process.env, PALAVER_SERVER: server.url },
    });
  const pb = await (await server.admin()).collection('users').create({ username: 'desktop_user', email: 'desktop@palaver.test', password: 'desktop-password', passwordConfirm: 'desktop-password' });
  expect(pb.id).toBeTruthy();

  const app = await launch();
  const window = await app.firstWindow();
  // Isolated and sandboxed: the page sees the narrow bridge, and no Node.js at all.
  expect(
    await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { palaver?: object }).palaver ?? {}).sort(),
    })),
  ).toEqual({ require: 'undefined', process: 'undefined', bridge: ['kind', 'notify', 'onOpenRoom', 'onSignOutRequested', 'openExternal', 'server', 'setUnreadCount', 'vault'] });

  await expect(window.getByLabel('Server')).toHaveValue(server.url);
  await window.getByLabel('Username or email').fill('desktop_user');
  await window.getByLabel('Password', { exact: true }).fill('desktop-password');
  await window.getByRole('button', { name: 'Sign in' }).click();
  await expect(window.getByRole('log', { name: 'Messages' })).toBeVisible();
  await app.close();

  const again = await launch();
  const second = await again.firstWindow();
  await expect(second.getByRole('log', { name: 'Messages' })).toBeVisible();
  await again.close();
});
