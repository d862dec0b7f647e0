// Calm notifications, counted through the page's Web Notification API: a busy public room badges
// without a single notification, a burst of direct messages is folded into a summary, the room being
// looked at never notifies (but a narrow window back on the room list is not looking at it), and a room
// someone else made with you only invited stays silent.
import type PocketBase from 'pocketbase';
import type { TestServer } from '../../backend/testing/server.ts';
import {
  apiAs,
  expect,
  messageLog,
  notificationTitles,
  recordNotifications,
  signIn,
  test,
  type Account,
} from '../fixtures.ts';
import { accept, roomWith } from './room-setup.ts';

const roomButton = (page: import('@playwright/test').Page, name: RegExp) => page.getByRole('button', { name });

/** A direct conversation between `me` and `them`, begun by `me` with one message, accepted by `them`. */
async function direct(server: TestServer, me: Account, them: Account): Promise<{ id: string; theirs: PocketBase }> {
  const mine = await apiAs(server, me);
  const room = await mine
    .collection('rooms')
    .create({ name: '', kind: 'direct', owner: me.id, members: [me.id], invited: [them.id] });
  await mine.collection('messages').create({ text: 'hello', room: room.id, user: me.id });
  const theirs = await apiAs(server, them);
  await accept(theirs, room.id);
  return { id: room.id, theirs };
}

/** Posts `count` messages as fast as the server takes them. */
async function flood(api: PocketBase, author: Account, roomId: string, count: number, text: string) {
  for (let n = 1; n <= count; n++)
    await api.collection('messages').create({ text: `${text} ${n}`, room: roomId, user: author.id });
}

/** The generic room #general, as an account sees it. */
async function general(api: PocketBase): Promise<string> {
  return (await api.collection('rooms').getFirstListItem('name = "general"')).id;
}

test('30 messages into a joined public room: an unread badge, not one notification', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('calm');
  const chatty = await makeAccount('chatty');
  await roomWith(server, chatty, [me], { name: 'side-room' });
  const control = await roomWith(server, chatty, [me], { name: 'control-room' });
  await recordNotifications(page);
  await signIn(page, server, me);
  await roomButton(page, /side-room/).click();
  await expect(page.getByRole('heading', { name: 'side-room' })).toBeVisible();

  const api = await apiAs(server, chatty);
  await flood(api, chatty, await general(api), 30, 'busy');
  await expect(roomButton(page, /general/).getByLabel('30 unread')).toBeVisible();
  // A room's default level is `mentions`: the unread messages are in the list, not on the app's badge.
  await expect(page).toHaveTitle('Palaver');
  // A control: a private room's mention does notify, so the silence above is not a slow delivery.
  await control.api
    .collection('messages')
    .create({ text: `control @${me.username}`, room: control.id, user: chatty.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('control-room');
});

test('30 quick direct messages while another room is open are folded into a summary', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('folded');
  const them = await makeAccount('eager');
  const dm = await direct(server, me, them);
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();

  await flood(dm.theirs, them, dm.id, 30, 'ping');
  await expect.poll(() => notificationTitles(page)).toContain('Palaver');
  await expect(roomButton(page, new RegExp(them.username)).getByLabel('30 unread')).toBeVisible();
  // Let the last window close, then count: a few one by one, and summaries for the rest.
  await page.waitForTimeout(2_000);
  const titles = await notificationTitles(page);
  expect(titles.length).toBeLessThan(10);
  expect(titles.filter((t) => t !== 'Palaver').length).toBe(3);
  const summaries = await page.evaluate(() =>
    (window as unknown as { __notifications: Array<{ title: string; options: { body: string } }> }).__notifications
      .filter((n) => n.title === 'Palaver')
      .map((n) => n.options.body),
  );
  expect(summaries.join(' ')).toMatch(/more new messages in/);
});

test('a message into the room open in a focused window notifies nobody; elsewhere it does', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('looking');
  const them = await makeAccount('writer');
  const dm = await direct(server, me, them);
  await recordNotifications(page);
  await signIn(page, server, me);
  await roomButton(page, new RegExp(them.username)).click();
  await expect(messageLog(page).getByText('hello')).toBeVisible();
  expect(await page.evaluate(() => document.hasFocus())).toBe(true);

  await dm.theirs.collection('messages').create({ text: 'you see this live', room: dm.id, user: them.id });
  await expect(messageLog(page).getByText('you see this live')).toBeVisible();
  // Shown in the log means its event has been handled: nothing was notified for it, and no badge.
  expect(await notificationTitles(page)).toEqual([]);
  await expect(roomButton(page, new RegExp(them.username)).getByLabel(/unread/)).toHaveCount(0);
  // Another room open: the same conversation notifies.
  await roomButton(page, /general/).click();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await dm.theirs.collection('messages').create({ text: 'and now you do not', room: dm.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain(them.username);
});

test('a private room someone else creates with you invited notifies no message', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('invitee');
  const maker = await makeAccount('maker');
  const dm = await direct(server, me, maker);
  await recordNotifications(page);
  await signIn(page, server, me);

  const api = await apiAs(server, maker);
  const room = await api
    .collection('rooms')
    .create({ name: 'new-plans', kind: 'private', owner: maker.id, members: [maker.id], invited: [me.id] });
  await flood(api, maker, room.id, 3, 'welcome');
  await expect(page.getByText('new-plans').first()).toBeVisible();
  // A control: a message in the conversation with the same person does notify.
  await dm.theirs.collection('messages').create({ text: 'did you see?', room: dm.id, user: maker.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).not.toContain('new-plans');
});

test('a narrow window back on the room list is not reading the room still open: it badges and notifies', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('narrow');
  const them = await makeAccount('writes');
  const plans = await roomWith(server, them, [me], { name: 'narrow-plans' });
  await page.setViewportSize({ width: 400, height: 700 });
  await recordNotifications(page);
  await signIn(page, server, me);
  // A narrow window opens on a conversation (#general): back to the list, then into the private room.
  const back = page.getByRole('button', { name: 'Back to rooms' });
  await back.click();
  await roomButton(page, /narrow-plans/).click();
  await expect(page.getByRole('heading', { name: 'narrow-plans' })).toBeVisible();
  await back.click();
  await expect(roomButton(page, /narrow-plans/)).toBeVisible();
  expect(await page.evaluate(() => document.hasFocus())).toBe(true);

  const text = `while you were on the list, @${me.username}`;
  await plans.api.collection('messages').create({ text, room: plans.id, user: them.id });
  await expect(roomButton(page, /narrow-plans/).getByLabel('1 unread')).toBeVisible();
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('narrow-plans');
  // Back in the conversation, the person reads it: the badge goes.
  await roomButton(page, /narrow-plans/).click();
  await expect(messageLog(page).getByText(text)).toBeVisible();
  await back.click();
  await expect(roomButton(page, /narrow-plans/)).toBeVisible();
  await expect(roomButton(page, /narrow-plans/).getByLabel(/unread/)).toHaveCount(0);
  expect(await notificationTitles(page)).toHaveLength(1);
});
