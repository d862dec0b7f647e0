// The real desktop app, launched with Playwright's Electron support. Electron 42+ downloads its binary
// on first run; where that binary is not installed (as on the offline build machine), these tests are
// reported as skipped with the reason, and run everywhere else.
import { expect, test } from '@playwright/test';
import { electronSkipReason } from '../../scripts/electron-binary.ts';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';
import { binary, launch as launchApp, newProfile, packagedApp } from './desktop.ts';

// The app under test: out/ built by app.setup.ts, or the packaged test build named by
// PALAVER_E2E_PACKAGED_APP (see desktop.ts). The same words are printed by e2e/global-setup.ts, since
// the list reporter does not show skip reasons.
test.skip(!binary, electronSkipReason);

let server: TestServer;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('starts secure, signs in against a real server and keeps the session across a restart', async () => {
  const userData = newProfile();
  const launch = () => launchApp(server, userData);
  const pb = await (await server.admin()).collection('users').create({
    username: 'desktop_user',
    email: 'desktop@palaver.test',
    password: 'desktop-password',
    passwordConfirm: 'desktop-password',
  });
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
  ).toEqual({
    require: 'undefined',
    process: 'undefined',
    bridge: [
      'kind',
      'notify',
      'onOpenRoom',
      'onSignOutRequested',
      'openExternal',
      'outbox',
      'servers',
      'setUnreadCount',
      'updates',
      'vault',
    ],
  });

  if (packagedApp) {
    // A packaged app ignores PALAVER_SERVER: choose the server the way a user does. The window reloads
    // so that its Content-Security-Policy allows the new server, and keeps the username.
    await window.getByLabel('Server', { exact: true }).fill(server.url);
    await window.getByLabel('Username or email').fill('desktop_user');
    await window.getByLabel('Password', { exact: true }).fill('desktop-password');
    const reloaded = window.waitForEvent('load');
    await window.getByRole('button', { name: 'Sign in' }).click();
    await reloaded;
    await expect(window.getByLabel('Username or email')).toHaveValue('desktop_user');
  }
  await expect(window.getByLabel('Server', { exact: true })).toHaveValue(server.url);
  await window.getByLabel('Username or email').fill('desktop_user');
  await window.getByLabel('Password', { exact: true }).fill('desktop-password');
  await window.getByRole('button', { name: 'Sign in' }).click();
  await expect(window.getByRole('log', { name: 'Messages' })).toBeVisible();
  // Where the OS has a keyring the session survives a restart; where it has none (Linux basic_text)
  // the token is kept in memory only, the app says so, and a restart asks to sign in again.
  const persistent = (await window.getByText(/keeps you signed in only until you quit/).count()) === 0;
  await app.close();

  const again = await launch();
  const second = await again.firstWindow();
  if (persistent) {
    await expect(second.getByRole('log', { name: 'Messages' })).toBeVisible();
  } else {
    await expect(second.getByRole('button', { name: 'Sign in' })).toBeVisible();
  }
  await again.close();
});
