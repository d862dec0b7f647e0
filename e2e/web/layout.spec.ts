// Layouts that hold: a narrow window or 200 % zoom (a 1280x800 window at 200 % is 640x400 CSS pixels)
// shows the room list or the conversation with a way back, the sidebar scrolls as one column so every
// direct conversation can be reached, and banners, header and composer leave the conversation room.
import type { Locator, Page } from '@playwright/test';
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
import type { TestServer } from '../../backend/testing/server.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes, shotPath } from '../screenshots.ts';

const WIDE = { width: 1280, height: 800 };
const ZOOMED = { width: 640, height: 400 };
const NARROW = { width: 600, height: 800 };
const PHONE = { width: 400, height: 700 };
const SHORT = { width: 1280, height: 400 };

/** Someone in several rooms and direct conversations: more than a short window shows at once. */
async function busyAccount(server: TestServer, makeAccount: (prefix?: string) => Promise<Account>) {
  const me = await makeAccount('busy');
  const api = await apiAs(server, me);
  const tag = me.id.slice(0, 4);
  const rooms: string[] = [];
  for (const name of ['design', 'engineering', 'marketing', 'random', 'support', 'watercooler']) {
    rooms.push(`${name}-${tag}`);
    await api.collection('rooms').create({ name: `${name}-${tag}`, kind: 'public', owner: me.id, members: [me.id] });
  }
  const partners: Account[] = [];
  for (let i = 0; i < 5; i += 1) {
    const partner = await makeAccount(`pal${i}`);
    partners.push(partner);
    await api
      .collection('rooms')
      .create({ name: '', kind: 'direct', owner: me.id, members: [me.id], invited: [partner.id] });
  }
  return { me, rooms, partners };
}

/** How much of the element is on screen: clipped by the window and by every scrolling ancestor. */
function visibleHeight(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    let top = Math.max(box.top, 0);
    let bottom = Math.min(box.bottom, window.innerHeight);
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowY === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      top = Math.max(top, clip.top);
      bottom = Math.min(bottom, clip.bottom);
    }
    return Math.max(0, bottom - top);
  });
}

const rooms = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const back = (page: Page) => page.getByRole('button', { name: 'Back to rooms' });

/** The conversation gets at least half the window; the header, composer and banners share the rest. */
async function expectRoomyConversation(page: Page, viewport: { height: number }) {
  await expect(messageLog(page)).toBeVisible();
  expect(await visibleHeight(messageLog(page))).toBeGreaterThanOrEqual(viewport.height / 2);
}

/** The room list fills most of what it is given, and its last direct conversation can be scrolled to. */
async function expectReachableRooms(page: Page, viewport: { height: number }, partners: Account[]) {
  await expect(rooms(page)).toBeVisible();
  expect(await visibleHeight(rooms(page))).toBeGreaterThanOrEqual(viewport.height / 2);
  for (const partner of partners) {
    const entry = rooms(page).getByRole('button', { name: partner.username });
    await entry.scrollIntoViewIfNeeded();
    await expect(entry).toBeInViewport();
  }
}

async function shoot(page: Page, name: string) {
  await shootThemes(page, 'layout', name);
}

test('wide and short windows keep both columns; the sidebar scrolls as one, the conversation keeps its height', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, partners } = await busyAccount(server, makeAccount);
  await page.setViewportSize(WIDE);
  await signIn(page, server, me);
  await send(page, 'hello from a wide window');
  for (const size of [WIDE, SHORT]) {
    await page.setViewportSize(size);
    await expect(back(page)).toHaveCount(0);
    await expectRoomyConversation(page, size);
    await expectReachableRooms(page, size, partners);
    // The connection stays in sight however far the rooms are scrolled.
    await expect(page.getByRole('status', { name: 'Connection' })).toBeInViewport();
    await shoot(page, `wide-${size.width}x${size.height}`);
  }
});

for (const size of [ZOOMED, NARROW, PHONE]) {
  test(`${size.width}x${size.height} shows the room list or the conversation, each with the whole window`, async ({
    page,
    server,
    makeAccount,
  }) => {
    const { me, rooms: names, partners } = await busyAccount(server, makeAccount);
    await page.setViewportSize(size);
    await signIn(page, server, me);
    for (let i = 0; i < 8; i += 1)
      await send(page, `message ${i}, long enough to wrap on a narrow window at least once`);

    await expectRoomyConversation(page, size);
    await expect(rooms(page)).toBeHidden();
    await shoot(page, `narrow-${size.width}x${size.height}-conversation`);

    await back(page).click();
    await expect(messageLog(page)).toBeHidden();
    await expectReachableRooms(page, size, partners);
    await shoot(page, `narrow-${size.width}x${size.height}-rooms`);

    await rooms(page).getByRole('button', { name: names[3]! }).click();
    await expect(page.getByRole('heading', { name: `${names[3]}` })).toBeVisible();
    await expectRoomyConversation(page, size);
  });
}

test('1280x800 at 200 % (device scale 2): the same one-pane layout, nothing squeezed', async ({
  browser,
  server,
  makeAccount,
}) => {
  const { me, partners } = await busyAccount(server, makeAccount);
  const context = await browser.newContext({ viewport: ZOOMED, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await signIn(page, server, me);
  await expectRoomyConversation(page, ZOOMED);
  await back(page).click();
  await expectReachableRooms(page, ZOOMED, partners);
  await page.screenshot({ path: shotPath('layout', 'zoom-200-rooms') });
  await context.close();
});

test('by keyboard: back to the list lands on the open room, Enter on another opens it with focus in the composer', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me, rooms: names } = await busyAccount(server, makeAccount);
  await page.setViewportSize(PHONE);
  await signIn(page, server, me);
  // The heading reads `#general`; the list's sigil is hidden from the accessible name.
  const opened = (await page.getByRole('heading', { level: 1 }).innerText()).replace(/^#/, '');

  await back(page).focus();
  await page.keyboard.press('Enter');
  await expect(messageLog(page)).toBeHidden();
  const current = rooms(page).locator('[aria-current="page"]');
  await expect(current).toBeFocused();
  await expect(current).toContainText(opened);

  // Another room, by keyboard alone: focus goes where the person will write.
  await rooms(page).getByRole('button', { name: names[1]! }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: names[1]! })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(rooms(page)).toBeHidden();

  // The same room again after going back: choosing it shows it, though nothing changed underneath.
  await back(page).focus();
  await page.keyboard.press('Enter');
  await expect(rooms(page).getByRole('button', { name: names[1]! })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();

  // Jump to from the list opens the conversation too.
  await back(page).click();
  await page.keyboard.press('Control+j');
  const jump = page.getByRole('dialog', { name: 'Jump to' });
  await expect(jump).toBeVisible();
  await page.keyboard.type(names[4]!);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: names[4]! })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
});

test('a notification opens its conversation over the room list', async ({ page, server, makeAccount }) => {
  const { me } = await busyAccount(server, makeAccount);
  const friend = await makeAccount('friend');
  const room = await roomWith(server, friend, [me], { name: `plans-${friend.id.slice(0, 4)}` });
  await recordNotifications(page);
  await page.setViewportSize(PHONE);
  await signIn(page, server, me);
  await back(page).click();
  await expect(messageLog(page)).toBeHidden();

  const text = `are you there, @${me.username}?`;
  await room.api.collection('messages').create({ text, user: friend.id, room: room.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  await clickNotification(page);
  await expect(page.getByRole('heading', { name: room.name })).toBeVisible();
  await expect(messageLog(page).getByText(text)).toBeVisible();
  await expect(rooms(page)).toBeHidden();
});

test('offline at 200 % and at 400 px: the banner is one compact line and the conversation keeps its room', async ({
  page,
  server,
  makeAccount,
}) => {
  const { me } = await busyAccount(server, makeAccount);
  await page.setViewportSize(ZOOMED);
  await signIn(page, server, me);
  await page.context().setOffline(true);
  const banner = page.getByText('You are offline.');
  await expect(banner).toBeVisible();
  for (const size of [ZOOMED, PHONE]) {
    await page.setViewportSize(size);
    const lineHeight = await banner.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    const box = (await banner.boundingBox())!;
    // One line where it fits; two at most in a phone-sized window.
    expect(box.height).toBeLessThanOrEqual(lineHeight * (size === PHONE ? 2 : 1) + 16);
    await expectRoomyConversation(page, size);
    await shoot(page, `offline-${size.width}x${size.height}`);
  }
  await page.context().setOffline(false);
});

test('at 400 px both panes and a dialog pass the accessibility check', async ({ page, server, makeAccount }) => {
  const { me } = await busyAccount(server, makeAccount);
  await page.setViewportSize(PHONE);
  await signIn(page, server, me);
  await expectAccessible(page, 'conversation at 400 px');
  await back(page).click();
  await expectAccessible(page, 'room list at 400 px');
  await page.getByRole('button', { name: 'New room' }).click();
  const dialog = page.getByRole('dialog', { name: 'New room' });
  await expect(dialog).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.width).toBe(PHONE.width);
  await expectAccessible(page, 'a dialog at 400 px');
  await shoot(page, 'dialog-400x700');
});

test('at 400 px a failure to load the rooms is shown over the room list, where the person is', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('unlucky');
  await page.setViewportSize(PHONE);
  await signIn(page, server, me);
  await page.route(
    (url) => url.pathname === '/api/collections/rooms/records',
    (route) =>
      route.request().method() === 'GET'
        ? route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: '{"status":500,"message":"x","data":{}}',
          })
        : route.fallback(),
  );
  await page.reload();
  await expect(rooms(page)).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('The server had a problem');
  await expect(page.getByRole('alert')).toBeInViewport();
  await shoot(page, 'rooms-failed-400x700');
});
