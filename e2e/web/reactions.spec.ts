// Reactions in Chromium with two people: Alice reacts to Bob's message through Add reaction and the
// picker, Bob sees it arrive live and who it was on hover and on keyboard focus, adds his with a click
// on the chip, Alice takes hers back, and a reload shows the same. Chips are drawn with the shipped emoji
// font; the 21st different emoji is refused beside the row; screenshots of a busy row and its tooltip.
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, personIn, signIn, test, type Account } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import type { TestServer } from '../../backend/testing/server.ts';
import { roomWith } from './room-setup.ts';

const THUMBS = /^👍\uFE0F? /;

async function named(server: TestServer, account: Account, name: string): Promise<void> {
  await (await apiAs(server, account)).collection('users').update(account.id, { name });
}

function messageIn(page: Page, text: string): Locator {
  return messageLog(page).getByRole('article').filter({ hasText: text });
}

/** A chip by what a screen reader hears: "👍 2" or "👍 2, reacted by you". */
function chip(message: Locator, count: number, mine: boolean): Locator {
  const name = new RegExp(`^👍\\uFE0F? ${count}${mine ? ', reacted by you' : ''}$`);
  return message.getByRole('button', { name });
}

async function openRoom(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

test('two people react and un-react; each sees the other’s change live, and who reacted', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  // Two browsers, and axe in both themes.
  test.slow();
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  await named(server, alice, 'Alice');
  await named(server, bob, 'Bob');
  const room = await roomWith(server, alice, [bob], { name: 'react-room' });
  const bobs = await apiAs(server, bob);
  await bobs.collection('messages').create({ room: room.id, user: bob.id, text: 'Lunch at noon?' });

  await signIn(page, server, alice);
  await openRoom(page, 'react-room');
  const bobPage = await personIn(browser, server, bob);
  await openRoom(bobPage, 'react-room');
  const atAlice = messageIn(page, 'Lunch at noon?');
  const atBob = messageIn(bobPage, 'Lunch at noon?');
  await expect(atBob).toBeVisible();

  // Add reaction opens the picker with the search focused; Escape gives the keyboard back to the message.
  await atAlice.hover();
  await atAlice.getByRole('button', { name: 'Add reaction', exact: true }).click();
  const picker = page.getByRole('dialog', { name: 'Add reaction' });
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(atAlice).toBeFocused();

  await atAlice.getByRole('button', { name: 'Add reaction', exact: true }).click();
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await page.keyboard.type('thumbs up');
  await picker.getByRole('button', { name: 'thumbs up', exact: true }).click();
  await expect(picker).toBeHidden();
  await expect(atAlice).toBeFocused();
  await expect(chip(atAlice, 1, true)).toHaveAttribute('aria-pressed', 'true');
  // Picked, so recently used: the picker opens on it next time.
  expect(await page.evaluate(() => localStorage.getItem('palaver.recentEmoji'))).toMatch(/^\["👍/);

  // Bob sees it arrive, not pressed, and who it was: on hover, and on keyboard focus.
  const bobsChip = chip(atBob, 1, false);
  await expect(bobsChip).toHaveAttribute('aria-pressed', 'false');
  await expect(bobsChip).toHaveAccessibleDescription(/^Reacted with 👍\uFE0F? by Alice$/);
  await bobsChip.hover();
  await expect(atBob.getByRole('tooltip')).toBeVisible();
  await expect(atBob.getByRole('tooltip')).toHaveText(/^Reacted with 👍\uFE0F? by Alice$/);
  await bobPage.mouse.move(0, 0);
  await expect(atBob.getByRole('tooltip')).toBeHidden();
  await atBob.getByText('Lunch at noon?').click();
  await expect(atBob).toBeFocused();
  await bobPage.keyboard.press('Tab');
  await expect(bobsChip).toBeFocused();
  await expect(atBob.getByRole('tooltip')).toBeVisible();
  await shootThemes(bobPage, 'reactions', 'tooltip-on-focus', messageLog(bobPage));

  // Drawn with the shipped font, as messages are: its face for 👍 fetched and ready (the selector after it
  // is in other faces, fetched only when a character needs them).
  const emoji = bobsChip.locator('.emoji');
  expect(await emoji.evaluate((element) => getComputedStyle(element).fontFamily)).toMatch(/^["']?Noto Color Emoji/);
  await expect
    .poll(() =>
      emoji.evaluate((element) =>
        document.fonts.check('16px "Noto Color Emoji"', (element.textContent ?? '').replace(/\uFE0F/g, '')),
      ),
    )
    .toBe(true);

  // Bob adds his with the keyboard; Alice sees 2, still hers too.
  await bobPage.keyboard.press('Enter');
  await expect(chip(atBob, 2, true)).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(atAlice, 2, true)).toBeVisible();
  await expect(chip(atBob, 2, true)).toHaveAccessibleDescription(/^Reacted with 👍\uFE0F? by you and Alice$/);

  // Alice takes hers back with a click; Bob sees it live.
  await chip(atAlice, 2, true).click();
  await expect(chip(atAlice, 1, false)).toHaveAttribute('aria-pressed', 'false');
  await expect(chip(atBob, 1, true)).toBeVisible();
  await expect(chip(atAlice, 1, false)).toHaveAccessibleDescription(/^Reacted with 👍\uFE0F? by Bob$/);

  // The server's summary is what a reload shows.
  await page.reload();
  await openRoom(page, 'react-room');
  await expect(chip(messageIn(page, 'Lunch at noon?'), 1, false)).toBeVisible();
  await expect(messageIn(page, 'Lunch at noon?').getByRole('button', { name: THUMBS })).toHaveCount(1);
  await expectAccessible(page, 'reactions');
  await bobPage.context().close();
});

test('a busy row: several emoji, yours pressed, who reacted in a tooltip; the 21st emoji is refused', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const carol = await makeAccount('carol');
  await named(server, alice, 'Alice');
  await named(server, bob, 'Bob');
  await named(server, carol, 'Carol');
  const room = await roomWith(server, alice, [bob, carol], { name: 'busy-room' });
  const apis = await Promise.all([alice, bob, carol].map((person) => apiAs(server, person)));
  const [alices, bobs, carols] = apis as [
    Awaited<ReturnType<typeof apiAs>>,
    Awaited<ReturnType<typeof apiAs>>,
    Awaited<ReturnType<typeof apiAs>>,
  ];
  const party = await bobs
    .collection('messages')
    .create({ room: room.id, user: bob.id, text: 'We shipped reactions 🎉' });
  const react = (api: typeof alices, who: Account, emoji: string) =>
    api.collection('reactions').create({ message: party.id, user: who.id, emoji });
  await react(carols, carol, '🎉');
  await react(bobs, bob, '🎉');
  await react(alices, alice, '🎉');
  await react(carols, carol, '❤️');
  await react(bobs, bob, '😂');
  await react(carols, carol, '🚀');
  await react(alices, alice, '🚀');
  const many = await alices.collection('messages').create({ room: room.id, user: alice.id, text: 'Pick one' });
  const twenty = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊'];
  twenty.push('😋', '😎', '😍', '😘', '🥰', '😗', '😙', '🥲', '😚', '🙂');
  for (const emoji of twenty) await bobs.collection('reactions').create({ message: many.id, user: bob.id, emoji });

  await signIn(page, server, alice);
  await openRoom(page, 'busy-room');
  const message = messageIn(page, 'We shipped reactions');
  await expect(message.getByRole('button', { name: '🎉 3, reacted by you' })).toHaveAttribute('aria-pressed', 'true');
  await expect(message.getByRole('button', { name: '❤️ 1' })).toHaveAttribute('aria-pressed', 'false');
  await message.getByRole('button', { name: '🎉 3, reacted by you' }).hover();
  await expect(message.getByRole('tooltip')).toHaveText('Reacted with 🎉 by you, Carol and Bob');
  await shootThemes(page, 'reactions', 'row-with-tooltip', messageLog(page));

  // The 21st different emoji: the server says no, the chip it showed goes, the reason stays by the row.
  const crowded = messageIn(page, 'Pick one');
  await crowded.getByRole('button', { name: 'Add another reaction' }).click();
  const picker = page.getByRole('dialog', { name: 'Add reaction' });
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await shootThemes(page, 'reactions', 'picker-from-row');
  await page.keyboard.type('unicorn');
  await picker.getByRole('button', { name: 'unicorn', exact: true }).click();
  await expect(crowded.getByRole('alert')).toContainText('Could not react with 🦄: This message already has 20');
  await expect(crowded.getByRole('button', { name: /^🦄/ })).toHaveCount(0);
  await expect(crowded.getByRole('button', { name: /, reacted by/ })).toHaveCount(0);
  await shootThemes(page, 'reactions', 'refused-21st', crowded);
  await crowded.getByRole('button', { name: 'Dismiss' }).click();
  await expect(crowded.getByRole('alert')).toHaveCount(0);
});
