// Every screen and dialog, in the light and the dark theme, passes axe-core's WCAG 2.1 A/AA rules with
// no serious or critical problem. A new screen, dialog or state gets its own expectAccessible call here
// (or in its feature's test) the day it lands.
import type { Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import {
  apiAs,
  clickNotification,
  expect,
  messageLog,
  notificationTitles,
  recordNotifications,
  send,
  signIn,
  test,
  type Account,
} from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

const messagesEndpoint = (url: URL) => url.pathname === '/api/collections/messages/records';
const roomsEndpoint = (url: URL) => url.pathname === '/api/collections/rooms/records';
const serverError = {
  status: 500,
  contentType: 'application/json',
  body: JSON.stringify({ status: 500, message: 'Something went wrong.', data: {} }),
};

test('the check fails on a problem, naming the rule, the element and the fix', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.evaluate(() => {
    const faint = document.createElement('p');
    faint.id = 'faint-text';
    faint.textContent = 'hard to read';
    faint.style.cssText = 'color:#999;background:#aaa';
    document.body.append(faint);
  });
  const failure = await expectAccessible(page, 'a planted problem', ['light']).then(
    () => null,
    (error: unknown) => String(error),
  );
  expect(failure).toContain('color-contrast (serious)');
  expect(failure).toContain('#faint-text');
  expect(failure).toContain('a planted problem');
  expect(failure).toContain('insufficient color contrast');
  // A problem of the dark theme alone is found too (after the first theme only the colour rules run).
  const darkOnly = await page
    .evaluate(() => {
      document.getElementById('faint-text')!.remove();
      const style = document.createElement('style');
      style.textContent = '@media (prefers-color-scheme: dark) { #dark-faint { color: #444; background: #333 } }';
      const text = Object.assign(document.createElement('p'), { id: 'dark-faint', textContent: 'dim at night' });
      document.body.append(style, text);
    })
    .then(() => expectAccessible(page, 'a planted dark problem'))
    .then(
      () => null,
      (error: unknown) => String(error),
    );
  expect(darkOnly).toContain('(dark theme)');
  expect(darkOnly).not.toContain('(light theme)');
  expect(darkOnly).toContain('#dark-faint');
});

test('the sign-in and sign-up screens: empty, with field errors, with a form error, with a notice', async ({
  page,
  server,
  makeAccount,
}) => {
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign-in');

  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#password-error')).toBeVisible();
  await expectAccessible(page, 'sign-in with field errors');

  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#passwordConfirm-error, #username-error').first()).toBeVisible();
  await expectAccessible(page, 'sign-up with field errors');

  // An error that belongs to no field is shown above the buttons.
  await page.route('**/api/collections/users/records', (route) =>
    route.request().method() === 'POST' ? route.fulfill(serverError) : route.fallback(),
  );
  await page.getByLabel('Email').fill('someone@palaver.test');
  await page.getByLabel('Username').fill('someone_new');
  await page.getByLabel('Password', { exact: true }).fill('a-long-password');
  await page.getByLabel('Confirm password').fill('a-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('The server had a problem');
  await expectAccessible(page, 'sign-up with a form error');
  await page.unrouteAll();
  await page.getByRole('button', { name: 'I have an account' }).click();

  // A session the server no longer accepts: back to sign-in with a notice.
  const account = await makeAccount('a11ynotice');
  await signIn(page, server, account);
  await page.route('**/api/collections/users/auth-refresh', (route) =>
    route.fulfill({
      ...serverError,
      status: 401,
      body: JSON.stringify({ status: 401, message: 'Expired.', data: {} }),
    }),
  );
  await page.reload();
  await expect(page.getByText('Your session has ended.')).toBeVisible();
  await expectAccessible(page, 'sign-in with a notice');
});

async function twoPeopleInARoom(server: Parameters<typeof apiAs>[0], me: Account, them: Account) {
  const { api: theirApi, ...room } = await roomWith(server, them, [me], { name: 'a11y-room' });
  const other = await roomWith(server, them, [me], { name: 'a11y-unread' });
  return { theirApi, room, other };
}

test('the chat screen: rooms, messages, a message being edited or deleted', async ({ page, server, makeAccount }) => {
  const me = await makeAccount('a11yme');
  const them = await makeAccount('a11ythem');
  const { theirApi, room, other } = await twoPeopleInARoom(server, me, them);
  await theirApi
    .collection('messages')
    .create({ text: 'Welcome! The notes are at https://example.org/notes', room: room.id, user: them.id });
  const changed = await theirApi
    .collection('messages')
    .create({ text: 'This one was changed', room: room.id, user: them.id });
  await theirApi.collection('messages').update(changed.id, { text: 'This one was changed later' });

  await signIn(page, server, me);
  await page.getByRole('button', { name: /a11y-room/ }).click();
  await send(page, 'A reply of my own');
  const mine = messageLog(page).getByRole('article', { name: me.username }).last();
  await expect(mine).toBeVisible();
  await expect(messageLog(page).getByText('edited')).toBeVisible();
  await theirApi.collection('messages').create({ text: 'unread elsewhere', room: other.id, user: them.id });
  await expect(page.getByRole('button', { name: /a11y-unread/ }).getByLabel('1 unread')).toBeVisible();
  // The browser build also shows its "signed in only while this tab is open" notice here.
  await expect(page.getByText('keeps you signed in only while this tab is open')).toBeVisible();
  await expectAccessible(page, 'chat screen');

  await mine.hover();
  await expect(mine.getByRole('button', { name: 'Edit message' })).toBeVisible();
  await expectAccessible(page, 'a message with its tools');

  await mine.getByRole('button', { name: 'Edit message' }).click();
  await expect(mine.getByLabel('Edit message')).toBeFocused();
  await expectAccessible(page, 'editing a message');
  await mine.getByRole('button', { name: 'Cancel' }).click();

  await mine.hover();
  await mine.getByRole('button', { name: 'Delete message' }).click();
  await expect(mine.getByRole('group', { name: 'Confirm deletion' })).toBeVisible();
  await expectAccessible(page, 'confirming a delete');

  // The room list with a direct conversation in it.
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(them.username);
  await page
    .getByRole('listbox', { name: 'People' })
    .getByRole('option', { name: new RegExp(them.username) })
    .click();
  await expect(page.getByRole('heading', { name: them.username })).toBeVisible();
  await expectAccessible(page, 'a direct conversation');
});

test('the dialogs: new room, new direct message, the account menu', async ({ page, server, makeAccount }) => {
  const me = await makeAccount('a11ydlg');
  const findable = await makeAccount('a11yfind');
  await signIn(page, server, me);

  await page.getByRole('button', { name: 'New room' }).click();
  await expect(page.getByRole('dialog', { name: 'New room' })).toBeVisible();
  await expectAccessible(page, 'new room dialog');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#room-name-error')).toBeVisible();
  await page.getByLabel(/Private/).check();
  await page.getByRole('combobox', { name: 'Invite people' }).fill('nobody_by_this_name');
  await page.getByLabel('Room name').fill('a11y-private');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#room-invite-error')).toBeVisible();
  await expectAccessible(page, 'new room dialog, private, with an error');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(findable.username);
  await expect(
    page.getByRole('listbox', { name: 'People' }).getByRole('option', { name: new RegExp(findable.username) }),
  ).toBeVisible();
  await expectAccessible(page, 'new direct message dialog with results');
  await page.getByLabel('Find people by username or name').fill('nobody_matches_this');
  await expect(page.getByText('Nobody matches')).toBeVisible();
  await expectAccessible(page, 'new direct message dialog, nobody found');
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: new RegExp(me.username) }).click();
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
  await expectAccessible(page, 'account menu');
});

test('messages on their way: waiting to be sent, and refused', async ({ page, server, makeAccount }) => {
  test.slow(); // two accessibility checks and up to 30 s of the outbox's back-off
  const sender = await makeAccount('a11ysend');
  const owner = await makeAccount('a11yowner');
  await signIn(page, server, sender);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');

  await page.route(messagesEndpoint, (route) =>
    route.request().method() === 'POST' ? route.abort('connectionrefused') : route.fallback(),
  );
  await send(page, 'still on its way');
  await expect(messageLog(page).getByText('Sending…')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('waiting to be sent');
  await expectAccessible(page, 'a message waiting to be sent');
  await page.unrouteAll();
  // The outbox backs off 1, 2, 5, 10, then 30 s between tries (lib/outbox.ts): when the accessibility
  // check above takes over 18 s (a loaded machine), the next try is up to 30 s away.
  await expect(messageLog(page).getByText('Sending…')).toHaveCount(0, { timeout: 45_000 });

  // The server refuses it: the message is pointed at a private room the sender is not in.
  const forbidden = await (
    await apiAs(server, owner)
  )
    .collection('rooms')
    .create({ name: 'not-yours', kind: 'private', owner: owner.id, members: [owner.id] });
  await page.route(messagesEndpoint, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
    await route.continue({ postData: JSON.stringify({ ...body, room: forbidden.id }) });
  });
  await send(page, 'this will be refused');
  await expect(messageLog(page).getByRole('button', { name: 'Retry' })).toBeVisible();
  await expectAccessible(page, 'a refused message');
});

test('the new messages marker', async ({ page, server, makeAccount }) => {
  const reader = await makeAccount('a11yreader');
  const writer = await makeAccount('a11ywriter');
  const { api, ...room } = await roomWith(server, writer, [reader], { name: 'a11y-busy' });
  for (let i = 1; i <= 40; i++)
    await api.collection('messages').create({ text: `older ${i}`, room: room.id, user: writer.id });
  await signIn(page, server, reader);
  await page.getByRole('button', { name: /a11y-busy/ }).click();
  const log = messageLog(page);
  await expect(log.getByText('older 40', { exact: true })).toBeInViewport();
  // A screenful is drawn first, the rest of the page the moment after: scroll up once it is all there.
  await expect(log.getByText('older 1', { exact: true })).toBeAttached();
  await log.evaluate((el) => (el.scrollTop = el.scrollHeight / 3));
  await page.waitForTimeout(200);
  await api.collection('messages').create({ text: 'fresh news', room: room.id, user: writer.id });
  await expect(page.getByRole('button', { name: /1 new message/ })).toBeVisible();
  await expectAccessible(page, 'new messages marker');
});

async function reloadSignedIn(page: Page) {
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toBeVisible();
}

test('banners: offline, rooms or messages that fail to load, a room no longer available', async ({
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('a11yhost');
  const me = await makeAccount('a11yguest');
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');

  await page.context().setOffline(true);
  await expect(page.getByText('You are offline.')).toBeVisible();
  await expectAccessible(page, 'offline');
  await page.context().setOffline(false);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');

  await page.route(roomsEndpoint, (route) =>
    route.request().method() === 'GET' ? route.fulfill(serverError) : route.fallback(),
  );
  await reloadSignedIn(page);
  await expect(page.getByRole('alert')).toContainText('The server had a problem');
  await expect(page.getByText('No rooms yet.')).toBeVisible();
  await expectAccessible(page, 'rooms that failed to load');
  await page.unrouteAll();

  await page.route(messagesEndpoint, (route) =>
    route.request().method() === 'GET' ? route.fulfill(serverError) : route.fallback(),
  );
  await reloadSignedIn(page);
  await expect(messageLog(page).getByRole('button', { name: 'Try again' })).toBeVisible();
  await expectAccessible(page, 'messages that failed to load');
  await page.unrouteAll();
  await reloadSignedIn(page);

  // A notification for a room the person has been removed from since.
  const { api, ...room } = await roomWith(server, owner, [me], { name: 'a11y-gone' });
  await expect(page.getByRole('button', { name: /a11y-gone/ })).toBeVisible();
  // A mention: a private room notifies mentions by default (notification levels).
  await api
    .collection('messages')
    .create({ text: `@${me.username} you will miss this`, room: room.id, user: owner.id });
  await expect.poll(async () => (await notificationTitles(page)).length).toBe(1);
  await api.collection('rooms').update(room.id, { members: [owner.id] });
  await expect(page.getByRole('button', { name: /a11y-gone/ })).toHaveCount(0);
  await clickNotification(page);
  await expect(page.getByRole('status').filter({ hasText: 'That room is not available to you' })).toBeVisible();
  await expectAccessible(page, 'a room no longer available');
});

test('consent: an invitation, room options, leaving, blocking, blocked people', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('a11yconsent');
  const them = await makeAccount('a11yinviter');
  const theirApi = await apiAs(server, them);
  await theirApi
    .collection('rooms')
    .create({ name: 'a11y-invite', kind: 'private', owner: them.id, members: [them.id], invited: [me.id] });
  const mine = await roomWith(server, me, [them], { name: 'a11y-mine' });
  await signIn(page, server, me);
  await expect(page.getByRole('group', { name: /a11y-invite/ })).toBeVisible();
  await expectAccessible(page, 'an invitation in the room list');

  await page.getByRole('button', { name: /a11y-mine/ }).click();
  await page.getByRole('button', { name: 'Room options' }).click();
  await expect(page.getByRole('menuitem', { name: 'Leave room' })).toBeFocused();
  await expectAccessible(page, 'room options');
  await page.getByRole('menuitem', { name: 'Leave room' }).click();
  await expect(page.getByRole('dialog', { name: 'Leave a11y-mine?' })).toBeVisible();
  await expectAccessible(page, 'leave dialog of an owner');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await mine.api.collection('rooms').getOne(mine.id);

  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(them.username);
  await page
    .getByRole('listbox', { name: 'People' })
    .getByRole('option', { name: new RegExp(them.username) })
    .click();
  await page.getByRole('button', { name: 'Room options' }).click();
  await expect(page.getByRole('menuitem', { name: 'Close conversation' })).toBeVisible();
  await expectAccessible(page, 'room options of a direct conversation');
  await page.getByRole('menuitem', { name: 'Block' }).click();
  await expect(page.getByRole('dialog', { name: /^Block / })).toBeVisible();
  await expectAccessible(page, 'block dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Block' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: new RegExp(me.username) }).click();
  await page.getByRole('menuitem', { name: 'Blocked people' }).click();
  await expect(
    page.getByRole('dialog', { name: 'Blocked people' }).getByRole('button', { name: 'Unblock' }),
  ).toBeVisible();
  await expectAccessible(page, 'blocked people');
  await page.getByRole('button', { name: 'Unblock' }).click();
  await expect(page.getByText('You have not blocked anyone.')).toBeVisible();
  await expectAccessible(page, 'blocked people, nobody');
});
