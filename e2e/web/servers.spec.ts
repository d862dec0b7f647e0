// Several servers in one app (issue 19), with two real servers: the worker's, which serves the app, and
// a second one started for this spec only. What a person notices: both signed in at once, news on the
// other server badges its button and notifies naming it, one server down leaves the other working, and
// removing a server signs out of it for good (its token is gone).
import type { Page } from '@playwright/test';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';
import {
  clickNotification,
  createAccount,
  expect,
  messageLog,
  notificationTitles,
  recordNotifications,
  send,
  signIn,
  test,
  type Account,
} from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

let second: TestServer;
test.beforeAll(async () => {
  second = await startTestServer();
});
test.afterAll(async () => {
  await second?.stop();
});

const rail = (page: Page) => page.getByRole('navigation', { name: 'Servers' });
const host = (server: TestServer) => new URL(server.url).host;
const serverButton = (page: Page, server: TestServer) =>
  rail(page).getByRole('button', { name: new RegExp(`^${host(server).replace(/\./g, '\\.')}`) });

/** Signed in to the worker's server, then to the second through Add server. */
async function signInToBoth(page: Page, first: { server: TestServer; me: Account }, other: Account): Promise<void> {
  await signIn(page, first.server, first.me);
  await rail(page).getByRole('button', { name: 'Add server' }).click();
  if (first.me.username.startsWith('multi')) await shootThemes(page, 'servers', 'add-server');
  await page.getByLabel('Server', { exact: true }).fill(second.url);
  await page.getByLabel('Username or email').fill(other.username);
  await page.getByLabel('Password', { exact: true }).fill(other.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(messageLog(page)).toBeVisible();
  await expect(serverButton(page, second)).toHaveAttribute('aria-current', 'true');
}

test('two servers at once: news on the other badges its button and notifies naming it; switching keeps drafts', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('multi');
  const meThere = await createAccount(second, 'far');
  const friend = await createAccount(second, 'friend');
  const room = await roomWith(second, friend, [meThere], { name: 'far-room' });
  await recordNotifications(page);
  await signInToBoth(page, { server, me }, meThere);

  // Back to the first server with Ctrl+1; a draft written there survives a trip to the other and back.
  await page.keyboard.press('Control+1');
  await expect(serverButton(page, server)).toHaveAttribute('aria-current', 'true');
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('half a thought');
  await page.keyboard.press('Control+2');
  await expect(serverButton(page, second)).toHaveAttribute('aria-current', 'true');
  await serverButton(page, server).click();
  await expect(composer).toHaveValue('half a thought');

  // A mention on the second server while the first is open: its button badges, a notification names it.
  await room.api.collection('messages').create({ text: `look @${meThere.username}`, room: room.id, user: friend.id });
  await expect(serverButton(page, second).getByLabel('1 unread')).toBeVisible();
  await expect(serverButton(page, second)).toContainText('1 mention');
  await expect(serverButton(page, server).getByLabel(/unread/)).toHaveCount(0);
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  const [title] = await notificationTitles(page);
  expect(title).toContain('far-room');
  expect(title).toMatch(new RegExp(` · ${host(second).replace(/\./g, '\\.')}$`));
  await shootThemes(page, 'servers', 'rail-badged', rail(page));

  await clickNotification(page);
  await expect(serverButton(page, second)).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { name: 'far-room' })).toBeVisible();
  await expect(messageLog(page)).toContainText('look @');
  await shootThemes(page, 'servers', 'second-open');
});

test('one server down leaves the other working; removing a server removes its token', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('steady');
  const meThere = await createAccount(second, 'gone');
  await signInToBoth(page, { server, me }, meThere);
  const secondToken = `palaver:auth:${new URL(second.url).origin}`;
  expect(await page.evaluate((key) => sessionStorage.getItem(key), secondToken)).not.toBeNull();

  await second.kill();
  try {
    await expect(serverButton(page, second).getByLabel('not connected')).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('Control+1');
    await send(page, 'still here');
    await expect(messageLog(page).getByText('still here')).toBeVisible();
    await expect(serverButton(page, server).getByLabel('not connected')).toHaveCount(0);
    await shootThemes(page, 'servers', 'rail-down', rail(page));
  } finally {
    await second.restart();
  }

  await serverButton(page, second).click();
  await rail(page)
    .getByRole('button', { name: `Options of ${host(second)}` })
    .click();
  await rail(page)
    .getByRole('button', { name: `Remove ${host(second)}` })
    .click();
  await expect(serverButton(page, second)).toHaveCount(0);
  await expect(serverButton(page, server)).toHaveAttribute('aria-current', 'true');
  expect(await page.evaluate((key) => sessionStorage.getItem(key), secondToken)).toBeNull();
  // After a reload, the first server is still signed in and the second is not back.
  await page.reload();
  await expect(messageLog(page)).toBeVisible();
  await expect(serverButton(page, server)).toBeVisible();
  await expect(serverButton(page, second)).toHaveCount(0);
});
