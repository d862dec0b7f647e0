// Read state kept by the server (issue 16): the same person signed in twice (two browser contexts, as
// on a laptop and a desktop) sees a room's unread badge on both; reading it on one clears it on the
// other within a second or two; a "New messages" divider marks where they had read up to; Mark as
// unread brings the badge back everywhere and holds the room unread until it is opened again; a window
// that is not focused reads nothing; a new sign-in starts from the server's counts.
import type { Page } from '@playwright/test';
import { readMarkerId } from '../../src-shared/read-marker-id.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const roomButton = (page: Page, name: RegExp) => page.getByRole('button', { name });
const badge = (page: Page, room: RegExp) => roomButton(page, room).getByLabel(/unread/);
const divider = (page: Page) => messageLog(page).getByRole('separator', { name: 'New messages' });
/** Within a second or two, as the issue asks: the other device hears of the marker on palaver/reads. */
const SOON = { timeout: 2_500 };

/** The window loses or gets the focus, as the person switching to another app and back would do. */
async function setFocus(page: Page, focused: boolean): Promise<void> {
  await page.evaluate((value) => {
    document.hasFocus = () => value;
    window.dispatchEvent(new Event(value ? 'focus' : 'blur'));
  }, focused);
}

test('reading on one device clears the badge on the other; the divider; Mark as unread; a new sign-in', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // two or three signed-in contexts on two shared cores
  const me = await makeAccount('reader');
  const bob = await makeAccount('poster');
  const reads = await roomWith(server, bob, [me], { name: 'reads-room' });
  await roomWith(server, bob, [me], { name: 'elsewhere' });
  // Read up to "old news" before this test's sign-ins, as if on an earlier day.
  const old = await reads.api.collection('messages').create({ room: reads.id, user: bob.id, text: 'old news' });
  const mine = await apiAs(server, me);
  await mine
    .collection('read_markers')
    .create({ id: readMarkerId(me.id, reads.id), user: me.id, room: reads.id, message: old.id });

  await signIn(page, server, me);
  const other = await (await browser.newContext()).newPage();
  await signIn(other, server, me);
  for (const device of [page, other]) {
    await roomButton(device, /elsewhere/).click();
    await expect(device.getByRole('heading', { name: 'elsewhere' })).toBeVisible();
  }
  await expect(badge(page, /reads-room/)).toHaveCount(0);

  for (const text of ['new one', 'new two', 'new three'])
    await reads.api.collection('messages').create({ room: reads.id, user: bob.id, text }, { requestKey: null });
  await expect(badge(page, /reads-room/)).toHaveAccessibleName('3 unread');
  await expect(badge(other, /reads-room/)).toHaveAccessibleName('3 unread');

  // Opened where the window is focused: read here, and on the other device within a second or two.
  expect(await page.evaluate(() => document.hasFocus())).toBe(true);
  await roomButton(page, /reads-room/).click();
  await expect(messageLog(page).getByText('new three')).toBeVisible();
  await expect(badge(page, /reads-room/)).toHaveCount(0);
  await expect(badge(other, /reads-room/)).toHaveCount(0, SOON);

  // The divider sits above the first message not read when the room was opened, and stays while open.
  await expect(divider(page)).toHaveCount(1);
  const afterDivider = messageLog(page).locator('[role="separator"][aria-label="New messages"] + article');
  await expect(afterDivider).toContainText('new one');
  await shootThemes(page, 'read-state', 'divider', messageLog(page));

  // Mark as unread on "new two": it and "new three" count again, on both devices; the divider moves.
  const two = messageLog(page).locator('article', { hasText: 'new two' });
  await two.hover();
  const markUnread = two.getByRole('button', { name: 'Mark as unread' });
  await expect(markUnread).toBeVisible();
  await shootThemes(page, 'read-state', 'mark-as-unread', messageLog(page));
  await expectAccessible(page, 'the New messages divider, and a message with Mark as unread among its tools');
  await markUnread.click();
  await expect(badge(other, /reads-room/)).toHaveAccessibleName('2 unread', SOON);
  await expect(badge(page, /reads-room/)).toHaveAccessibleName('2 unread');
  await expect(afterDivider).toContainText('new two');
  // Held unread while it stays open, even with its newest on screen in a focused window.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(1_500);
  await expect(badge(other, /reads-room/)).toHaveAccessibleName('2 unread');

  // A new sign-in (a third device) starts from the server's counts.
  const third = await (await browser.newContext()).newPage();
  await signIn(third, server, me);
  await expect(badge(third, /reads-room/)).toHaveAccessibleName('2 unread');
  await third.context().close();

  // Away and back on the first device: read again, everywhere, the divider where it was read up to.
  const elsewhereAndBack = async () => {
    await roomButton(page, /elsewhere/).click();
    await expect(page.getByRole('heading', { name: 'elsewhere' })).toBeVisible();
    await roomButton(page, /reads-room/).click();
    await expect(messageLog(page).getByText('new three')).toBeVisible();
  };
  await elsewhereAndBack();
  await expect(badge(other, /reads-room/)).toHaveCount(0, SOON);
  await expect(afterDivider).toContainText('new two');
  // Once more, with nothing unread: no divider.
  await elsewhereAndBack();
  await expect(divider(page)).toHaveCount(0);
  await other.context().close();
});

test('a window without the focus reads nothing until it gets it; a message read live keeps the room read', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // two or three signed-in contexts on two shared cores
  const me = await makeAccount('unfocused');
  const bob = await makeAccount('talker');
  const talk = await roomWith(server, bob, [me], { name: 'focus-room' });
  await roomWith(server, bob, [me], { name: 'side-room' });
  await signIn(page, server, me);
  const other = await (await browser.newContext()).newPage();
  await signIn(other, server, me);
  await roomButton(other, /side-room/).click();

  await talk.api.collection('messages').create({ room: talk.id, user: bob.id, text: 'are you there?' });
  await expect(badge(other, /focus-room/)).toHaveAccessibleName('1 unread');

  // Opened in a window that is not focused (another app in front): nothing is read.
  await setFocus(page, false);
  await roomButton(page, /focus-room/).click();
  await expect(messageLog(page).getByText('are you there?')).toBeVisible();
  await page.waitForTimeout(1_500);
  await expect(badge(other, /focus-room/)).toHaveAccessibleName('1 unread');

  // The person comes back to the window: read, everywhere.
  await setFocus(page, true);
  await expect(badge(other, /focus-room/)).toHaveCount(0, SOON);

  // Messages arriving while the person looks at the bottom of the room stay read on the other device.
  for (const text of ['one more', 'and another'])
    await talk.api.collection('messages').create({ room: talk.id, user: bob.id, text }, { requestKey: null });
  await expect(messageLog(page).getByText('and another')).toBeVisible();
  await page.waitForTimeout(1_500);
  await expect(badge(other, /focus-room/)).toHaveCount(0);
  await expect(badge(page, /focus-room/)).toHaveCount(0);
  await other.context().close();
});
