// Threads in Chromium with two people (issue 15): a reply in a thread raises the root's count on the
// other side as it happens, and notifies the root's author, whose click on it opens that thread; replies
// stay out of the room's list unless also sent there; a long thread pages back; a reply written offline
// goes when the connection is back.
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import {
  apiAs,
  clickNotification,
  expect,
  notificationTitles,
  personIn,
  recordNotifications,
  signIn,
  test,
} from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const roomLog = (page: Page) => page.getByRole('main').getByRole('log', { name: 'Messages' });
const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });
const threadLog = (page: Page) => panel(page).getByRole('log');
const article = (log: Locator, text: string) => log.getByRole('article').filter({ hasText: text });

async function openRoom(page: Page, name: string) {
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Replies from the message's own toolbar, as a person would: pointed at, then "Reply in thread". */
async function replyInThread(page: Page, root: string, text: string, alsoInRoom = false) {
  const message = article(roomLog(page), root);
  if (!(await panel(page).isVisible())) {
    await message.hover();
    await message.getByRole('button', { name: 'Reply in thread' }).click();
  }
  await expect(panel(page).getByRole('textbox', { name: 'Reply' })).toBeFocused();
  if (alsoInRoom) await panel(page).getByRole('checkbox', { name: 'Also send to the room' }).check();
  await panel(page).getByRole('textbox', { name: 'Reply' }).fill(text);
  await panel(page).getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect(article(threadLog(page), text)).toBeVisible();
}

test('a reply in a thread raises the count on the other side live and notifies the root’s author', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, bob, [alice], { name: 'thread-room' });
  const question = 'Where shall we eat tonight?';
  await room.api.collection('messages').create({ text: question, room: room.id, user: bob.id });
  await recordNotifications(page);
  await signIn(page, server, bob);
  await openRoom(page, 'thread-room');
  const alicePage = await personIn(browser, server, alice);
  await openRoom(alicePage, 'thread-room');

  await replyInThread(alicePage, question, 'The noodle place?');
  const summary = article(roomLog(page), question).getByRole('button', { name: /open thread$/ });
  await expect(summary).toHaveAccessibleName(/^1 reply, last reply .+, open thread$/);
  await replyInThread(alicePage, question, 'Or the curry one');
  await expect(summary).toHaveAccessibleName(/^2 replies, last reply .+, open thread$/);
  // Bob wrote the root, so he follows the thread: the replies notify him (folded into one or two).
  await expect.poll(() => notificationTitles(page)).not.toHaveLength(0);
  expect((await notificationTitles(page))[0]).toContain('thread-room');
  // Kept to the thread: neither reply is in the room's list, on either side.
  await expect(article(roomLog(page), 'The noodle place?')).toHaveCount(0);
  await expect(article(roomLog(alicePage), 'Or the curry one')).toHaveCount(0);

  // Also sent to the room: in both places, with the way to its thread.
  await replyInThread(alicePage, question, 'Booking the curry one at 8', true);
  await expect(summary).toHaveAccessibleName(/^3 replies/);
  const shared = article(roomLog(page), 'Booking the curry one at 8');
  await expect(shared).toBeVisible();
  await expect(shared.getByRole('button', { name: 'Replied to a thread' })).toBeVisible();
  await shootThemes(page, 'threads', 'room-with-summary');

  // Bob opens the thread from the summary: the root, the three replies, his own reply goes in live.
  await summary.click();
  await expect(panel(page).getByRole('textbox', { name: 'Reply' })).toBeFocused();
  await expect(panel(page).getByText(question)).toBeVisible();
  await expect(threadLog(page).getByRole('article')).toHaveCount(3);
  await replyInThread(page, question, 'Great, see you there');
  await expect(article(threadLog(alicePage), 'Great, see you there')).toBeVisible();
  await shootThemes(page, 'threads', 'thread-open');
  // Escape closes the thread and gives the focus back to its root.
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(article(roomLog(page), question)).toBeFocused();
  // A reply also sent to the room leads to its thread.
  await shared.getByRole('button', { name: 'Replied to a thread' }).click();
  await expect(panel(page).getByText(question)).toBeVisible();
  await expect(threadLog(page).getByRole('article')).toHaveCount(4);
  // That reply is drawn twice now, in the room and in the thread: its ids (which its name points at) are not.
  const repeated = await page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  expect(repeated).toEqual([]);
  await alicePage.context().close();
});

test('a long thread pages back; the panel is accessible and takes the room’s place in a narrow window', async ({
  page,
  server,
  makeAccount,
}) => {
  test.slow(); // sixty replies made one by one, and axe in two themes
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, bob, [alice], { name: 'long-thread' });
  const root = await room.api.collection('messages').create({ text: 'Release checklist', room: room.id, user: bob.id });
  const aliceApi = await apiAs(server, alice);
  for (let i = 1; i <= 60; i++) {
    const text = `step ${String(i).padStart(2, '0')} done`;
    await aliceApi.collection('messages').create({ text, room: room.id, user: alice.id, thread: root.id });
  }
  await signIn(page, server, bob);
  await openRoom(page, 'long-thread');
  await expect(roomLog(page).getByRole('article')).toHaveCount(1);
  await roomLog(page)
    .getByRole('button', { name: /^60 replies/ })
    .click();
  await expect(article(threadLog(page), 'step 60 done')).toBeVisible();
  await expect(article(threadLog(page), 'step 01 done')).toHaveCount(0);
  await expectAccessible(page, 'thread panel open');
  // Scrolling to the top of the thread brings the older replies, in order.
  await expect(async () => {
    await threadLog(page).evaluate((log) => log.scrollTo(0, 0));
    await expect(article(threadLog(page), 'step 01 done')).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(threadLog(page).getByRole('article')).toHaveCount(60);

  // Narrow: the thread in the conversation's place, and back to the room from it.
  await page.setViewportSize({ width: 520, height: 760 });
  await expect(panel(page)).toBeVisible();
  await expect(page.getByRole('main')).toBeHidden();
  await shootThemes(page, 'threads', 'thread-narrow');
  await panel(page).getByRole('button', { name: 'Back to the room' }).click();
  await expect(panel(page)).toHaveCount(0);
  await expect(article(roomLog(page), 'Release checklist')).toBeFocused();
});

test('a reply written offline waits in its thread and goes when the connection is back', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, bob, [alice], { name: 'offline-thread' });
  await room.api.collection('messages').create({ text: 'Anyone around?', room: room.id, user: bob.id });
  await signIn(page, server, alice);
  await openRoom(page, 'offline-thread');
  await page.context().setOffline(true);
  const message = article(roomLog(page), 'Anyone around?');
  await message.hover();
  await message.getByRole('button', { name: 'Reply in thread' }).click();
  await panel(page).getByRole('textbox', { name: 'Reply' }).fill('Here, on a train');
  await panel(page).getByRole('textbox', { name: 'Reply' }).press('Enter');
  await expect(article(threadLog(page), 'Here, on a train')).toHaveClass(/\bpending\b/);
  await expect(article(roomLog(page), 'Here, on a train')).toHaveCount(0);
  await page.context().setOffline(false);
  await expect(article(threadLog(page), 'Here, on a train')).not.toHaveClass(/\bpending\b/);
  await expect(message.getByRole('button', { name: /^1 reply/ })).toBeVisible();
  const stored = await room.api
    .collection('messages')
    .getFullList({ filter: `thread = "${room.id}" || text = "Here, on a train"` });
  expect(stored.map((m) => [m.text, m.alsoInRoom])).toEqual([['Here, on a train', false]]);
});

test('a reply’s notification opens its thread beside the room, and in a narrow window in its place', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, alice, [bob], { name: 'trip-plans' });
  await roomWith(server, alice, [bob], { name: 'elsewhere' });
  const question = 'Train or bus to the coast?';
  const root = await room.api.collection('messages').create({ text: question, room: room.id, user: alice.id });
  await room.api.collection('messages').create({ text: 'Packing list later', room: room.id, user: alice.id });
  const bobApi = await apiAs(server, bob);
  const replyAsBob = (text: string) =>
    bobApi.collection('messages').create({ text, room: room.id, user: bob.id, thread: root.id });
  await recordNotifications(page);
  await signIn(page, server, alice);
  await openRoom(page, 'elsewhere');

  // Alice wrote the root, so she follows the thread: Bob's reply notifies her, once, naming the room.
  await replyAsBob('The train: it has a dining car');
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('trip-plans');
  await clickNotification(page);
  await expect(page.getByRole('heading', { level: 1, name: 'trip-plans' })).toBeVisible();
  await expect(panel(page).getByText(question)).toBeVisible();
  // Opened at the reply (lib/message-jump.ts): highlighted, and the keyboard on it for a screen reader.
  await expect(article(threadLog(page), 'The train: it has a dining car')).toBeVisible();
  await expect(article(threadLog(page), 'The train: it has a dining car')).toBeFocused();
  // The room beside it, its list as ever: the root with its summary, the reply kept to the thread.
  await expect(article(roomLog(page), 'Packing list later')).toBeVisible();
  await expect(article(roomLog(page), 'The train: it has a dining car')).toHaveCount(0);
  expect(await notificationTitles(page)).toHaveLength(1);

  // Narrow, reading another room: the next reply's thread takes the conversation's place.
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await openRoom(page, 'elsewhere');
  await page.setViewportSize({ width: 520, height: 760 });
  await replyAsBob('Booked two seats on the 9:10');
  await expect.poll(() => notificationTitles(page)).toHaveLength(2);
  await clickNotification(page, 1);
  await expect(article(threadLog(page), 'Booked two seats on the 9:10')).toBeVisible();
  await expect(panel(page).getByText(question)).toBeVisible();
  await expect(page.getByRole('main')).toBeHidden();
  await expect(article(threadLog(page), 'Booked two seats on the 9:10')).toBeFocused();
  await panel(page).getByRole('button', { name: 'Back to the room' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'trip-plans' })).toBeVisible();
  await expect(article(roomLog(page), question)).toBeFocused();
});
