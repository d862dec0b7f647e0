// Mentions and notification levels in Chromium with two people: in a room (whose level is "mentions
// only" unless chosen) only the message that mentions you notifies, and it stands out in the room; a room
// set to "nothing" stays silent even when it mentions you. `@` in the composer offers the room's people,
// the room list counts mentions apart, and each room's level is chosen in its details.
import type { Browser, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
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
import { shootThemes } from '../screenshots.ts';
import type { TestServer } from '../../backend/testing/server.ts';
import { roomWith } from './room-setup.ts';

const roomButton = (page: import('@playwright/test').Page, name: RegExp) => page.getByRole('button', { name });

test('in a "mentions only" room only the message that mentions you notifies, and it is highlighted', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('mentioned');
  const them = await makeAccount('caller');
  const room = await roomWith(server, them, [me], { name: 'mention-room' });
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /mention-room/)).toBeVisible();

  await room.api.collection('messages').create({ text: 'just chatting here', room: room.id, user: them.id });
  await expect(roomButton(page, /mention-room/).getByLabel('1 unread')).toBeVisible();
  const call = `@${me.username} can you look at this?`;
  await room.api.collection('messages').create({ text: call, room: room.id, user: them.id });
  await expect(roomButton(page, /mention-room/).getByLabel('2 unread')).toBeVisible();
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  // The title counts what the level counts: the mention, not the chatter.
  await expect(page).toHaveTitle('(1) Palaver');

  await roomButton(page, /mention-room/).click();
  const mention = messageLog(page).getByRole('article').filter({ hasText: call });
  const chatter = messageLog(page).getByRole('article').filter({ hasText: 'just chatting here' });
  await expect(mention).toHaveClass(/\bmentioned\b/);
  await expect(chatter).not.toHaveClass(/\bmentioned\b/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `/tmp/shots-hm/mention-${colorScheme}.png` });
  }
  expect(await notificationTitles(page)).toHaveLength(1);
});

test('a room set to "nothing" does not notify even a mention; the conversation beside it still does', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('muted');
  const them = await makeAccount('noisy');
  const quiet = await roomWith(server, them, [me], { name: 'quiet-room' });
  const loud = await roomWith(server, them, [me], { name: 'loud-room' });
  const mine = await apiAs(server, me);
  await mine.collection('notification_levels').create({ user: me.id, room: quiet.id, level: 'nothing' });
  await mine.collection('notification_levels').create({ user: me.id, room: loud.id, level: 'all' });
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /quiet-room/)).toBeVisible();

  await quiet.api
    .collection('messages')
    .create({ text: `@${me.username} are you there?`, room: quiet.id, user: them.id });
  await expect(roomButton(page, /quiet-room/).getByLabel('1 unread')).toBeVisible();
  // A control: a room set to every message notifies one without a mention.
  await loud.api.collection('messages').create({ text: 'anyone?', room: loud.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('loud-room');
  await expect(page).toHaveTitle('(1) Palaver');
});

/** Someone signed in in a browser of their own whose notifications are recorded. */
async function listeningPerson(browser: Browser, server: TestServer, account: Account): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await recordNotifications(page);
  await signIn(page, server, account);
  return page;
}

test("@ offers the room's people to pick by keyboard; the one picked is notified, sees it stand out and counted apart", async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // three people, an accessibility check and screenshots in two themes
  const me = await makeAccount('writer');
  const bob = await makeAccount('bob');
  const boris = await makeAccount('boris');
  const outsider = await makeAccount('bonnie');
  await roomWith(server, me, [bob, boris], { name: 'pick-room' });
  await roomWith(server, outsider, [me], { name: 'elsewhere' });
  const theirs = await listeningPerson(browser, server, bob);
  await signIn(page, server, me);
  await roomButton(page, /pick-room/).click();

  const field = page.getByRole('textbox', { name: 'Message' });
  await field.fill('lunch? @bo');
  const list = page.getByRole('listbox', { name: 'People to mention' });
  // The room's members who match, not everyone on the server, and never oneself.
  await expect(list.getByRole('option')).toHaveText([new RegExp(bob.username), new RegExp(boris.username)]);
  await expect(field).toHaveAttribute('aria-controls', (await list.getAttribute('id'))!);
  await expect(page.getByRole('status').filter({ hasText: '2 people to mention' })).toBeAttached();
  await expectAccessible(page, 'mention suggestions open');
  await shootThemes(page, 'mentions', 'suggestions', page.locator('main'));

  await field.press('ArrowDown');
  await expect(list.getByRole('option', { selected: true })).toHaveText(new RegExp(boris.username));
  const active = await list.getByRole('option', { selected: true }).getAttribute('id');
  await expect(field).toHaveAttribute('aria-activedescendant', active!);
  await field.press('ArrowUp');
  // Enter picks rather than sends while the list is open.
  await field.press('Enter');
  await expect(list).toBeHidden();
  await expect(field).toHaveValue(`lunch? @${bob.username} `);
  await expect(messageLog(page).getByRole('article')).toHaveCount(0);
  await field.pressSequentially('at noon');
  await field.press('Enter');
  const sent = `lunch? @${bob.username} at noon`;
  await expect(messageLog(page).getByRole('article').filter({ hasText: sent })).toBeVisible();

  // Escape closes the list and leaves the text as typed; Enter then sends it.
  await field.fill('@bor');
  await expect(list).toBeVisible();
  await field.press('Escape');
  await expect(list).toBeHidden();
  await expect(field).toHaveValue('@bor');
  await field.fill('');

  // A click picks too, and `@` inside code offers nobody.
  await field.fill('`@bo');
  await expect(list).toBeHidden();
  await field.fill('see @bor');
  await list.getByRole('option', { name: new RegExp(boris.username) }).click();
  await expect(field).toHaveValue(`see @${boris.username} `);
  await expect(field).toBeFocused();
  await field.fill('');

  // Bob: notified of the mention, the room counts it apart, and the message says it names him.
  await expect.poll(() => notificationTitles(theirs)).toHaveLength(1);
  const entry = roomButton(theirs, /pick-room/);
  await expect(entry.getByText('1 mention', { exact: true })).toBeAttached();
  await expect(entry.getByLabel('1 unread')).toBeVisible();
  await shootThemes(theirs, 'mentions', 'room-list-badge', theirs.getByRole('navigation', { name: 'Rooms' }));
  await entry.click();
  const mention = messageLog(theirs).getByRole('article').filter({ hasText: sent });
  await expect(mention).toHaveClass(/\bmentioned\b/);
  await expect(mention).toHaveAccessibleName(/mentions you/);
  await expect(entry.getByText('1 mention', { exact: true })).toHaveCount(0);
});

test("a room's notification level is chosen in its details, obeyed at once and on every device, and kept", async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // two signed-in devices, a reload and screenshots on two shared cores
  const me = await makeAccount('chooser');
  const them = await makeAccount('talker');
  const room = await roomWith(server, them, [me], { name: 'level-room' });
  // Looking at a room never notifies: both devices look at another one.
  const away = await roomWith(server, them, [me], { name: 'away-room' });
  await recordNotifications(page);
  await signIn(page, server, me);
  const otherDevice = await listeningPerson(browser, server, me);
  await roomButton(otherDevice, /away-room/).click();
  await roomButton(page, /level-room/).click();

  await page.getByRole('button', { name: 'Room details' }).click();
  const levels = page.getByRole('group', { name: 'Notifications' });
  await expect(levels.getByRole('radio', { name: /Mentions only \(default\)/ })).toBeChecked();
  await levels.getByRole('radio', { name: /Nothing/ }).check();
  await expect(levels.getByText('Saved.')).toBeVisible();
  await shootThemes(page, 'mentions', 'level-chooser', page.getByRole('dialog'));
  await page.getByRole('button', { name: 'Close' }).click();
  await roomButton(page, new RegExp(away.name)).click();

  await room.api.collection('messages').create({ text: `@${me.username} hello?`, room: room.id, user: them.id });
  await expect(roomButton(page, /level-room/).getByLabel('1 unread')).toBeVisible();
  await expect(roomButton(otherDevice, /level-room/).getByLabel('1 unread')).toBeVisible();
  // Neither this device nor the other one calls for the mention now.
  await page.waitForTimeout(500);
  expect(await notificationTitles(page)).toEqual([]);
  expect(await notificationTitles(otherDevice)).toEqual([]);

  // Kept by the server: after a reload the details still say so, and "All messages" notifies chatter.
  await page.reload();
  await roomButton(page, /level-room/).click();
  await page.getByRole('button', { name: 'Room details' }).click();
  await expect(levels.getByRole('radio', { name: /Nothing/ })).toBeChecked();
  await levels.getByRole('radio', { name: /All messages/ }).check();
  await expect(levels.getByText('Saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await roomButton(page, new RegExp(away.name)).click();
  await room.api.collection('messages').create({ text: 'plain chatter', room: room.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  // The other device heard of the change through the server and notifies as well.
  await expect.poll(() => notificationTitles(otherDevice)).toHaveLength(1);
});

// Only a public room's members count as mentioned (backend/mentions.go): someone who never joined is not offered.
test('in a public room @ finds the room’s members as the name is typed', async ({ page, server, makeAccount }) => {
  const me = await makeAccount('reader');
  const them = await makeAccount('quintus');
  await makeAccount('quincy'); // on the server, not in the room
  await roomWith(server, me, [them], { name: 'open-room', kind: 'public' });
  await signIn(page, server, me);
  await roomButton(page, /open-room/).click();
  const field = page.getByRole('textbox', { name: 'Message' });
  await field.fill('hello @quin');
  const list = page.getByRole('listbox', { name: 'People to mention' });
  await expect(list.getByRole('option')).toHaveText([new RegExp(them.username)]);
  await field.press('Tab');
  await expect(field).toHaveValue(`hello @${them.username} `);
  await expect(field).toBeFocused();
  // Oneself is never offered.
  await field.fill(`@${me.username}`);
  await page.waitForTimeout(400);
  await expect(list).toBeHidden();
});
