// Presence as people see it (issue 16): the dot on bob's avatar in alice's room list says online while
// any of bob's browser contexts is open (a second one changes nothing, closing one of two neither), and
// offline soon after his last one closes; away after ten minutes without input on his page, online again
// at his next input. The ten minutes pass on Playwright's fake clock in bob's page (page.clock), so the
// app needs no test-only setting: the web bridge counts idle time with the page's own Date.now().
import type { BrowserContext, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, signIn, test, type Account } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { accept } from './room-setup.ts';

// Several browser contexts, waits for the server's grace period and screenshots in two themes: more
// than the default minute on two shared cores.
test.describe.configure({ timeout: 180_000 });

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });

/** The dot on `who`'s avatar in the room list, by what it says to a screen reader. */
function dotOf(page: Page, who: Account) {
  return sidebar(page)
    .getByRole('button', { name: new RegExp(who.username) })
    .locator('[data-presence]');
}

async function directConversation(server: Parameters<typeof apiAs>[0], from: Account, to: Account): Promise<string> {
  const [fromApi, toApi] = await Promise.all([apiAs(server, from), apiAs(server, to)]);
  const room = await fromApi
    .collection('rooms')
    .create({ kind: 'direct', owner: from.id, members: [from.id], invited: [to.id] });
  await fromApi.collection('messages').create({ text: 'around today?', room: room.id, user: from.id });
  await accept(toApi, room.id);
  return room.id;
}

async function bobIn(context: BrowserContext, server: Parameters<typeof signIn>[1], bob: Account): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, server, bob);
  return page;
}

test('the dot follows bob: online with any context open, offline after his last one closes', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const [alice, bob] = await Promise.all([makeAccount('alice'), makeAccount('bob')]);
  await directConversation(server, alice, bob);
  await signIn(page, server, alice);
  const dot = dotOf(page, bob);
  await expect(dot).toHaveAttribute('aria-label', 'offline');
  // Said once: the picture is silent, the dot has the word, and the button reads the name after it.
  await expect(sidebar(page).getByRole('button', { name: new RegExp(bob.username) })).toHaveAccessibleName(
    new RegExp(`^offline ${bob.username}`),
  );

  const laptop = await browser.newContext();
  await bobIn(laptop, server, bob);
  await expect(dot).toHaveAttribute('aria-label', 'online');
  await expect(sidebar(page).getByRole('img', { name: 'online' })).toHaveCount(1);
  // The same dot in a room's member list.
  await page.getByRole('button', { name: 'Room details' }).click();
  const details = page.getByRole('dialog', { name: /general/ });
  const bobListed = details
    .getByRole('list', { name: /Members/ })
    .getByRole('listitem')
    .filter({ hasText: bob.username });
  await expect(bobListed.getByRole('img', { name: 'online' })).toBeVisible();
  await page.setViewportSize({ width: 1100, height: 700 });
  await shootThemes(page, 'presence', 'members-online');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  const desktop = await browser.newContext();
  await bobIn(desktop, server, bob);
  await shootThemes(page, 'presence', 'room-list-online');

  await laptop.close();
  // Longer than the server's grace for reconnects: still online, the desktop is open.
  await page.waitForTimeout(2500);
  await expect(dot).toHaveAttribute('aria-label', 'online');

  await desktop.close();
  await expect(dot).toHaveAttribute('aria-label', 'offline', { timeout: 5000 });
  await shootThemes(page, 'presence', 'room-list-offline');
});

test('away after ten minutes without input on his page, online again at his next input', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const [alice, bob] = await Promise.all([makeAccount('alice'), makeAccount('bob')]);
  await directConversation(server, alice, bob);
  await signIn(page, server, alice);
  const dot = dotOf(page, bob);

  const context = await browser.newContext();
  const bobPage = await context.newPage();
  await bobPage.clock.install();
  await signIn(bobPage, server, bob);
  await expect(dot).toHaveAttribute('aria-label', 'online');

  await bobPage.clock.fastForward('09:00');
  await page.waitForTimeout(500);
  await expect(dot).toHaveAttribute('aria-label', 'online');
  await bobPage.clock.fastForward('01:30');
  await expect(dot).toHaveAttribute('aria-label', 'away');
  await page.setViewportSize({ width: 1100, height: 700 });
  await shootThemes(page, 'presence', 'room-list-away', sidebar(page));

  // Bob's own list shows alice too, in the finder as well as in the conversation's members.
  await bobPage.keyboard.press('Shift');
  await bobPage.clock.fastForward('00:20');
  await expect(dot).toHaveAttribute('aria-label', 'online');

  await page.getByRole('button', { name: 'New direct message' }).click();
  const finder = page.getByRole('dialog', { name: 'New direct message' });
  await finder.getByRole('combobox').pressSequentially(bob.username.slice(0, -2));
  const option = finder.getByRole('option', { name: new RegExp(bob.username) });
  await expect(option.getByRole('img', { name: 'online' })).toBeVisible();
  await shootThemes(page, 'presence', 'people-finder');
  await expectAccessible(page, 'people finder with presence');
  await context.close();
});
