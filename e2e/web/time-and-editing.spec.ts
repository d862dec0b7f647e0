// Time one glance away (day dividers, follow-on times on hover and focus, times in the reader's locale)
// and editing that fits the text, says its keys, and offers to delete a message whose text is emptied.
//
// The server stamps `created` itself (an autodate nobody sets through the API), so messages from other
// days are posted normally and then moved back in the database with the sqlite3 CLI, as the history
// benchmark seeds; the browser keeps its real clock.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sqliteExec } from '../../bench/history-seed.ts';
import type { TestServer } from '../../backend/testing/server.ts';
import { toServerDate } from '../../src-shared/dates.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test, type Account } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes } from '../screenshots.ts';

// One place and language for the whole file, so "Yesterday" and the times mean the same on any machine.
test.use({ locale: 'en-US', timezoneId: 'UTC' });

const DAY = 86_400_000;

/** Midnight UTC of the day `daysAgo` days before today, plus the given hours and minutes. */
function dayAt(daysAgo: number, hours: number, minutes: number, seconds = 0): Date {
  const now = new Date();
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) -
      daysAgo * DAY +
      (hours * 60 + minutes) * 60_000 +
      seconds * 1000,
  );
}

/** Moves a posted message back to another moment, unedited (`updated` equal to `created`). */
function backdate(server: TestServer, id: string, when: Date): void {
  const at = toServerDate(when);
  sqliteExec(
    join(server.dataDir, 'data.db'),
    `.timeout 5000\nUPDATE messages SET created = '${at}', updated = '${at}' WHERE id = '${id}';`,
  );
}

interface Stage {
  me: Account;
  pal: Account;
  roomName: string;
}

/** A conversation across three days: two of pal's messages three days ago, mine late yesterday and
 *  at midnight, and one of mine from just now. */
async function conversationAcrossDays(server: TestServer, makeAccount: (p?: string) => Promise<Account>) {
  const me = await makeAccount('timely');
  const pal = await makeAccount('pal');
  const roomName = `days-${me.username}`;
  const room = await roomWith(server, me, [pal], { name: roomName });
  const palApi = await apiAs(server, pal);
  const post = async (api: typeof palApi, user: Account, text: string, when?: Date) => {
    const record = await api.collection('messages').create({ text, room: room.id, user: user.id });
    if (when) backdate(server, record.id, when);
  };
  await post(palApi, pal, 'from three days ago', dayAt(3, 14, 38));
  await post(palApi, pal, 'a follow-on a minute later', dayAt(3, 14, 39));
  await post(room.api, me, 'late last night', dayAt(1, 23, 59));
  await post(room.api, me, 'on the stroke of midnight', dayAt(0, 0, 0));
  await post(room.api, me, 'edit me please');
  return { me, pal, roomName } satisfies Stage;
}

async function openRoom(page: Page, name: string) {
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await expect(messageLog(page).getByText('edit me please')).toBeVisible();
}

function article(page: Page, text: string) {
  return messageLog(page).getByRole('article').filter({ hasText: text });
}

/** A message by its id, which (unlike its text) stays put while the message is being edited. */
async function messageById(page: Page, text: string) {
  const id = await article(page, text).getAttribute('data-id');
  return messageLog(page).locator(`article[data-id="${id}"]`);
}

test('day dividers say Today, Yesterday and the date, and a new day names the author again', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  await signIn(page, server, me);
  await openRoom(page, roomName);
  const log = messageLog(page);

  const threeDaysAgo = dayAt(3, 12, 0);
  const sameYear = threeDaysAgo.getUTCFullYear() === new Date().getUTCFullYear();
  const dateLabel = threeDaysAgo.toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  // The day dividers (the other person's messages are unread, so a "New messages" divider is there too).
  const separators = log.getByRole('separator').filter({ hasNotText: 'New messages' });
  await expect(separators).toHaveText([dateLabel, 'Yesterday', 'Today']);
  await expect(log.getByRole('separator', { name: 'New messages' })).toHaveCount(1);
  await expect(log.getByRole('separator', { name: 'Yesterday' })).toBeVisible();
  await expect(log.getByRole('separator', { name: 'Today' })).toBeVisible();

  // 23:59 and 00:00 by the same person are a minute apart but on two days: both carry the author.
  await expect(article(page, 'late last night').locator('header')).toHaveCount(1);
  await expect(article(page, 'on the stroke of midnight').locator('header')).toHaveCount(1);
  // The header says the time alone (the divider says the day), without a zero-padded hour.
  await expect(article(page, 'from three days ago').locator('header time')).toHaveText('2:38 PM');
  await expect(article(page, 'late last night').locator('header time')).toHaveText('11:59 PM');
  await expect(article(page, 'on the stroke of midnight').locator('header time')).toHaveText('12:00 AM');
  await expect(article(page, 'from three days ago').locator('header time')).toHaveAttribute(
    'title',
    new RegExp(`^${dateLabel}, \\d{4} at 2:38\\sPM$`),
  );

  await shootThemes(page, 'time-and-editing', 'dividers');
  await expectAccessible(page, 'a conversation with day dividers');
});

test('a follow-on message shows its time in the avatar column on hover and on focus', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  await signIn(page, server, me);
  await openRoom(page, roomName);

  const followOn = article(page, 'a follow-on a minute later');
  await expect(followOn.locator('header')).toHaveCount(0);
  const time = followOn.locator('.gutter time');
  await expect(time).toHaveText('2:39 PM');
  await expect(time).toHaveAttribute('datetime', toServerDate(dayAt(3, 14, 39)).replace(' ', 'T'));
  await expect(time).toHaveAttribute('title', /, \d{4} at 2:39\sPM$/);
  await expect(time).toHaveCSS('opacity', '0');

  await followOn.hover();
  await expect(time).toHaveCSS('opacity', '1');
  await page.mouse.move(0, 0);
  await expect(time).toHaveCSS('opacity', '0');

  await followOn.focus();
  await expect(time).toHaveCSS('opacity', '1');
  await shootThemes(page, 'time-and-editing', 'follow-on-time', followOn);
});

test('a German browser shows 24-hour times and German day dividers', async ({ browser, server, makeAccount }) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'UTC' });
  const page = await context.newPage();
  await signIn(page, server, me);
  await openRoom(page, roomName);
  await expect(article(page, 'from three days ago').locator('header time')).toHaveText('14:38');
  await expect(article(page, 'late last night').locator('header time')).toHaveText('23:59');
  await expect(article(page, 'a follow-on a minute later').locator('.gutter time')).toHaveText('14:39');
  await expect(article(page, 'from three days ago').locator('header time')).toHaveAttribute('title', /um 14:38$/);
  // The days in the same language as the dates beside them, never "Yesterday" next to "Dienstag".
  const separators = messageLog(page).getByRole('separator').filter({ hasNotText: 'New messages' });
  await expect(separators.nth(1)).toHaveText('Gestern');
  await expect(separators.nth(2)).toHaveText('Heute');
  await expect(messageLog(page).getByRole('separator', { name: 'Gestern', exact: true })).toBeVisible();
  await context.close();
});

test('the edit box fits its text, names its keys, and Escape puts everything back', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  await signIn(page, server, me);
  await openRoom(page, roomName);

  const mine = await messageById(page, 'edit me please');
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  const box = mine.getByRole('textbox', { name: 'Edit message' });
  await expect(box).toBeFocused();
  await expect(box).toHaveAccessibleDescription('Esc to cancel · Enter to save · Shift+Enter for a new line');
  const oneLine = (await box.boundingBox())!.height;
  expect(oneLine).toBeLessThan(40);

  await box.press('End');
  for (let i = 0; i < 3; i++) await box.press('Shift+Enter');
  await box.pressSequentially('four lines now');
  const fourLines = (await box.boundingBox())!.height;
  expect(fourLines).toBeGreaterThan(oneLine * 2);
  // Grown to fit: nothing to scroll yet.
  expect(await box.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);

  await shootThemes(page, 'time-and-editing', 'edit-box', mine);
  await expectAccessible(page, 'a message being edited');

  for (let i = 0; i < 20; i++) await box.press('Shift+Enter');
  const capped = (await box.boundingBox())!.height;
  expect(capped).toBeLessThan(fourLines * 4);
  expect(await box.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);

  await box.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(mine.locator('p.text')).toHaveText('edit me please');
  await expect(mine.getByRole('alert')).toHaveCount(0);
});

test('an edit shows "(edited)" inline, with the edit time as its tooltip', async ({ page, server, makeAccount }) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  await signIn(page, server, me);
  await openRoom(page, roomName);

  const mine = await messageById(page, 'edit me please');
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  await mine.getByRole('textbox', { name: 'Edit message' }).fill('edited text');
  await mine.getByRole('textbox', { name: 'Edit message' }).press('Enter');

  const text = mine.locator('p.text');
  await expect(text).toContainText('edited text');
  const marker = text.locator('time.edited');
  await expect(marker).toContainText('(edited)');
  await expect(marker).toHaveAttribute('title', /^Edited .* at \d{1,2}:\d\d\s[AP]M$/);
  // On the text's own line: the marker's top is within the text's last line.
  const [textBox, markerBox] = [(await text.boundingBox())!, (await marker.boundingBox())!];
  expect(markerBox.y + markerBox.height).toBeLessThanOrEqual(textBox.y + textBox.height + 1);
  expect(markerBox.y).toBeGreaterThanOrEqual(textBox.y - 1);

  // With the keyboard on the message, the edit time shows as a tooltip without a pointer.
  const tip = () => marker.evaluate((el) => getComputedStyle(el, '::after').content);
  await page.getByRole('textbox', { name: 'Message' }).focus();
  expect(await tip()).toBe('none');
  await mine.focus();
  await page.keyboard.press('Shift'); // focus by keyboard, so :focus-visible applies
  await expect.poll(tip).toMatch(/^"Edited .* at \d{1,2}:\d\d\s[AP]M"$/);
  await shootThemes(page, 'time-and-editing', 'edited-tooltip');
});

test('an emptied edit offers to delete the message; Escape cancels and leaves no error', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, roomName } = await conversationAcrossDays(server, makeAccount);
  await signIn(page, server, me);
  await openRoom(page, roomName);

  const mine = await messageById(page, 'edit me please');
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  const box = mine.getByRole('textbox', { name: 'Edit message' });
  await box.fill('');
  await expect(box).toHaveAccessibleDescription('Save with no text deletes the message · Esc to cancel');
  await box.press('Enter');

  const question = mine.getByRole('group', { name: 'Confirm deletion' });
  await expect(question).toContainText('Delete this message');
  await expect(question.getByRole('button', { name: 'Delete' })).toBeFocused();
  await expect(mine.getByText('This is required.')).toHaveCount(0);
  await shootThemes(page, 'time-and-editing', 'delete-offer', mine);
  await expectAccessible(page, 'an emptied edit offering to delete');

  // Escape answers the question (back to the box), a second Escape leaves the edit, nothing stays.
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(box).toBeFocused();
  await box.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(mine.locator('p.text')).toHaveText('edit me please');
  await expect(mine.getByRole('alert')).toHaveCount(0);

  // Saying yes deletes it, for everyone.
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  await box.fill('   ');
  await box.press('Enter');
  await question.getByRole('button', { name: 'Delete' }).click();
  await expect(messageLog(page).getByText('edit me please')).toHaveCount(0);
  const api = await apiAs(server, me);
  const left = await api.collection('messages').getFullList({ filter: `text = "edit me please"` });
  expect(left).toHaveLength(0);
});
