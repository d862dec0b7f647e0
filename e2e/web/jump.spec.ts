// Opening a conversation at one message in Chromium (issue 17): a notification for a message far back in
// a long room opens the room around it (not at its newest), the message in view, highlighted a moment and
// focused; "Jump to present" and the new-messages marker go back to the newest. A thread reply's
// notification opens the room around its root and the thread at the reply; the thread's "Show in room"
// jumps the room to the root. A message deleted before its notification is clicked is said to be gone.
import type { Locator, Page } from '@playwright/test';
import type PocketBase from 'pocketbase';
import {
  apiAs,
  clickNotification,
  expect,
  messageLog,
  notificationTitles,
  recordNotifications,
  signIn,
  test,
} from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const roomButton = (page: Page, name: RegExp) => page.getByRole('button', { name });
const roomLog = (page: Page) => page.getByRole('main').getByRole('log', { name: 'Messages' });
const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });
const article = (log: Locator, text: string) => log.getByRole('article').filter({ hasText: text });
const filler = (n: number) => `filler ${String(n).padStart(3, '0')}`;

/** Messages `from`..`to` by `userId`, in order, written as the server's admin (no rate limit). */
async function seed(admin: PocketBase, roomId: string, userId: string, from: number, to: number) {
  for (let n = from; n <= to; n++)
    await admin.collection('messages').create({ text: filler(n), room: roomId, user: userId }, { requestKey: null });
}

test('a notification opens a long room at its message, highlighted and focused; Jump to present and the marker return', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('jumper');
  const them = await makeAccount('caller');
  const room = await roomWith(server, them, [me], { name: 'long-room' });
  const admin = await server.admin();
  await seed(admin, room.id, them.id, 1, 100);
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /long-room/)).toBeVisible();

  // The room is "mentions only": the mention notifies, and 60 more messages bury it.
  const call = `@${me.username} where did we decide that?`;
  await room.api.collection('messages').create({ text: call, room: room.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  await seed(admin, room.id, them.id, 101, 160);

  await clickNotification(page, 0);
  await expect(page.getByRole('heading', { level: 1, name: 'long-room' })).toBeVisible();
  const target = article(roomLog(page), call);
  await expect(target).toBeInViewport();
  await expect(target).toHaveClass(/\bhighlighted\b/);
  // The keyboard is on it (the list's one tab stop), so a screen reader reads it.
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute('tabindex', '0');
  // Loaded around it, not at the newest: those are a button away.
  await expect(roomLog(page).getByText(filler(100), { exact: true })).toBeAttached();
  await expect(roomLog(page).getByText(filler(160), { exact: true })).toHaveCount(0);
  const present = page.getByRole('button', { name: 'Jump to present', exact: true });
  await expect(present).toBeVisible();
  // The highlight fades and goes.
  await expect(target).not.toHaveClass(/\bhighlighted\b/, { timeout: 10_000 });

  await present.click();
  await expect(roomLog(page).getByText(filler(160), { exact: true })).toBeInViewport();
  await expect(present).toHaveCount(0);
  await expect(target).toHaveCount(0);

  // Again, for someone who asks for less motion: the highlight holds still, then goes at once. And this
  // time something new arrives while reading far back: the marker announces it.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await clickNotification(page, 0);
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await expect(target).toHaveCSS('animation-timing-function', /steps\(1|step-end/);
  await room.api.collection('messages').create({ text: 'news from the present', room: room.id, user: them.id });
  const marker = page.getByRole('button', { name: '1 new message', exact: true });
  await expect(marker).toBeVisible();
  await expect(roomLog(page).getByText('news from the present')).toHaveCount(0);
  await marker.click();
  await expect(roomLog(page).getByText('news from the present')).toBeInViewport();
  await expect(marker).toHaveCount(0);
  await expect(present).toHaveCount(0);
});

test('a thread reply’s notification opens the room around its root and the thread at the reply; Show in room jumps back to the root', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('rootauthor');
  const them = await makeAccount('replier');
  const room = await roomWith(server, them, [me], { name: 'thread-far' });
  const admin = await server.admin();
  await seed(admin, room.id, them.id, 1, 10);
  const question = 'Which venue did we book for the offsite?';
  const root = await (
    await apiAs(server, me)
  )
    .collection('messages')
    .create({ text: question, room: room.id, user: me.id });
  await seed(admin, room.id, them.id, 11, 150);
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /thread-far/)).toBeVisible();

  // Me wrote the root, so a reply to it notifies me.
  const answer = 'The lakeside one, booked for the 14th';
  await room.api
    .collection('messages')
    .create({ text: answer, room: room.id, user: them.id, thread: root.id, alsoInRoom: false });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  await clickNotification(page, 0);

  await expect(page.getByRole('heading', { level: 1, name: 'thread-far' })).toBeVisible();
  await expect(article(roomLog(page), question)).toBeInViewport();
  const reply = article(panel(page).getByRole('log'), answer);
  await expect(reply).toBeVisible();
  await expect(reply).toHaveClass(/\bhighlighted\b/);
  await expect(reply).toBeFocused();

  // Back to the present in the room: the root is no longer held there.
  await page.getByRole('button', { name: 'Jump to present', exact: true }).click();
  await expect(roomLog(page).getByText(filler(150), { exact: true })).toBeInViewport();
  await expect(article(roomLog(page), question)).toHaveCount(0);

  // The thread's root shows where it stands in the room. (Less motion: the highlight holds still for
  // the screenshots of both themes.)
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await panel(page).getByRole('button', { name: 'Show in room' }).click();
  const inRoom = article(roomLog(page), question);
  await expect(inRoom).toBeInViewport();
  await expect(inRoom).toHaveClass(/\bhighlighted\b/);
  await expect(inRoom).toBeFocused();
  await shootThemes(page, 'jump', 'show-in-room');
  await expect(page.getByRole('button', { name: 'Jump to present', exact: true })).toBeVisible();
});

test('a message deleted before its notification is clicked: the room opens and says the message is gone', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('late');
  const them = await makeAccount('regret');
  const room = await roomWith(server, them, [me], { name: 'gone-room' });
  await room.api.collection('messages').create({ text: 'still here', room: room.id, user: them.id });
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /gone-room/)).toBeVisible();
  const said = await room.api
    .collection('messages')
    .create({ text: `@${me.username} oops, wrong room`, room: room.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  await room.api.collection('messages').delete(said.id);

  await clickNotification(page, 0);
  await expect(page.getByRole('heading', { level: 1, name: 'gone-room' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'That message is not available to you' })).toBeVisible();
  // The room itself opened, at its newest.
  await expect(article(roomLog(page), 'still here')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Jump to present', exact: true })).toHaveCount(0);
  expect(await messageLog(page).getByRole('article').count()).toBe(1);
});
