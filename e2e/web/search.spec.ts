// Searching messages in Chromium against the real server (issue 17): a word found far back in a long room
// opens there, highlighted, with "Jump to present" back to the newest; results grouped by conversation,
// the matches marked, the count said; a private room's messages are never found by an outsider; a filter
// chip removed searches again without it; a refused query is explained next to the field; Ctrl/Cmd+K
// and Ctrl/Cmd+F reach the field from anywhere, the composer included; all of it by keyboard alone.
import type { Page } from '@playwright/test';
import type { TestServer } from '../../backend/testing/server.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test, type Account } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const field = (page: Page) => page.getByRole('searchbox', { name: 'Search messages' });
const panel = (page: Page) => page.getByRole('complementary', { name: 'Search results' });
const results = (page: Page) => panel(page).locator('button.result');
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });

const TARGET = 'The zephyr launch moves to Friday: agreed by everyone on the call';

/** A private room of two with the target message first and `fillers` after it, seeded in parallel. */
async function longRoom(server: TestServer, owner: Account, other: Account, name: string, fillers: number) {
  const room = await roomWith(server, owner, [other], { name });
  const admin = await server.admin();
  await admin.collection('messages').create({ text: TARGET, room: room.id, user: other.id });
  let next = 1;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next <= fillers) {
        const i = next++;
        const text = `filler ${String(i).padStart(3, '0')}: the weather, lunch and other small talk`;
        const user = i % 2 ? owner.id : other.id;
        await admin.collection('messages').create({ text, room: room.id, user }, { requestKey: null });
      }
    }),
  );
  await admin
    .collection('messages')
    .create({ text: 'the newest message of the room', room: room.id, user: owner.id }, { requestKey: null });
  return room;
}

async function openRoom(page: Page, name: string) {
  await page
    .getByRole('navigation', { name: 'Rooms' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Presses Down until the focused result says `text` (the server's ranking decides the order). */
async function arrowTo(page: Page, text: string) {
  for (let step = 0; step < 20; step++) {
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (focused.includes(text)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No result with "${text}" was reached by Down`);
}

test('a word far back in a long room: found, marked, opened there highlighted by keyboard, and back to the present', async ({
  page,
  server,
  makeAccount,
}) => {
  test.setTimeout(120_000);
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const tag = alice.id.slice(0, 4);
  const long = `launch-plans-${tag}`;
  await longRoom(server, alice, bob, long, 160);
  const side = await roomWith(server, alice, [bob], { name: `side-${tag}` });
  await side.api.collection('messages').create({ text: 'Is the Zephyr still on?', room: side.id, user: alice.id });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, server, alice);
  await openRoom(page, `side-${tag}`);

  // Ctrl+K from the composer puts the keyboard in the field; typing searches after a pause.
  await composer(page).focus();
  await page.keyboard.press('Control+K');
  await expect(field(page)).toBeFocused();
  await page.keyboard.type('zephyr');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByRole('status')).toHaveText('2 results');
  // Grouped by conversation, each under its room's name, the word marked wherever it matched.
  await expect(results(page)).toHaveCount(2);
  expect((await panel(page).getByRole('heading', { level: 3 }).allInnerTexts()).sort()).toEqual(
    [long, `side-${tag}`].sort(),
  );
  expect((await panel(page).locator('mark').allInnerTexts()).map((m) => m.toLowerCase())).toEqual(['zephyr', 'zephyr']);
  await expectAccessible(page, 'Search results');
  await shootThemes(page, 'search', 'results-wide');

  // Down from the field into the results, Up from the first back to the field, End and Home.
  await page.keyboard.press('ArrowDown');
  await expect(results(page).first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(results(page).last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(results(page).first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(field(page)).toBeFocused();

  // Enter on the far-back result: the long room opens around it, highlighted, in view, with the focus.
  await page.keyboard.press('ArrowDown');
  await arrowTo(page, 'Friday');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: long })).toBeVisible();
  const target = messageLog(page).getByRole('article').filter({ hasText: TARGET });
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await expect(target).toHaveClass(/highlighted/);
  await expect(messageLog(page).getByText('the newest message of the room')).toHaveCount(0);
  // The results stay beside the room for the next one.
  await expect(panel(page)).toBeVisible();
  await shootThemes(page, 'search', 'opened-wide');

  // Jump to present: the newest messages again.
  await page.getByRole('button', { name: /Jump to present/ }).click();
  await expect(messageLog(page).getByText('the newest message of the room')).toBeInViewport();

  // Many results come a page at a time: More results adds the next, the keyboard on the first new one.
  await field(page).fill('filler');
  await page.keyboard.press('Enter');
  await expect(panel(page).getByRole('status')).toHaveText('160 results');
  await expect(results(page)).toHaveCount(20);
  await panel(page).getByRole('button', { name: 'More results' }).click();
  await expect(results(page)).toHaveCount(40);
  await expect(results(page).nth(20)).toBeFocused();

  // Escape from a result goes back to the field; Escape there closes the results.
  await results(page).first().focus();
  await page.keyboard.press('Escape');
  await expect(field(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(field(page)).toHaveValue('filler');
});

test('filters as chips, a refused query explained at the field, Ctrl+F from the composer, and nothing of a private room for an outsider', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const carol = await makeAccount('carol');
  const tag = alice.id.slice(0, 4);
  const secret = await roomWith(server, alice, [bob], { name: `secret-${tag}` });
  await secret.api
    .collection('messages')
    .create({ text: 'the quokka budget is final', room: secret.id, user: alice.id });
  await (
    await apiAs(server, bob)
  )
    .collection('messages')
    .create({ text: 'quokka numbers look right', room: secret.id, user: bob.id });
  const other = await roomWith(server, alice, [bob], { name: `other-${tag}` });
  await other.api.collection('messages').create({ text: 'a quokka elsewhere', room: other.id, user: alice.id });

  await signIn(page, server, alice);
  await openRoom(page, `other-${tag}`);
  // Ctrl+F in the composer: the search field, not the browser's find.
  await composer(page).focus();
  await page.keyboard.press('Control+F');
  await expect(field(page)).toBeFocused();
  await page.keyboard.type(`quokka from:@${bob.username}`);
  await page.keyboard.press('Enter');
  await expect(panel(page).getByRole('status')).toHaveText('1 result');
  const chips = panel(page).getByRole('list', { name: 'Filters' });
  await expect(chips).toContainText(`From @${bob.username}`);
  await expectAccessible(page, 'Search results with a filter');
  await shootThemes(page, 'search', 'chips-wide', panel(page));
  await chips.getByRole('button', { name: `Remove filter from:@${bob.username}` }).click();
  await expect(field(page)).toHaveValue('quokka');
  await expect(panel(page).getByRole('status')).toHaveText('3 results');
  await expect(chips).toHaveCount(0);

  // A query the server refuses: its sentence next to the field, the field marked, no results.
  await field(page).fill('-quokka');
  await page.keyboard.press('Enter');
  const error = page.locator('#search-error');
  await expect(error).toBeVisible();
  await expect(error).not.toBeEmpty();
  await expect(field(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(results(page)).toHaveCount(0);
  await shootThemes(page, 'search', 'refused');
  await field(page).fill('quokka');
  await page.keyboard.press('Enter');
  await expect(error).toBeHidden();
  await expect(results(page)).toHaveCount(3);

  // A reply kept to its thread opens in the thread beside its room: one side panel at a time.
  const root = await secret.api
    .collection('messages')
    .create({ text: 'Where do we put the budget?', room: secret.id, user: alice.id });
  await (
    await apiAs(server, bob)
  )
    .collection('messages')
    .create({ text: 'in the platypus folder', room: secret.id, user: bob.id, thread: root.id });
  await field(page).fill('platypus');
  await page.keyboard.press('Enter');
  await expect(results(page)).toHaveCount(1);
  await expect(results(page)).toContainText('in a thread');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const thread = page.getByRole('complementary', { name: 'Thread' });
  await expect(thread.getByRole('article').filter({ hasText: 'in the platypus folder' })).toBeVisible();
  await expect(panel(page)).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: `secret-${tag}` })).toBeVisible();

  // Carol is in neither room: nothing of theirs, however she asks.
  const context = await browser.newContext();
  const carolPage = await context.newPage();
  await signIn(carolPage, server, carol);
  await carolPage.keyboard.press('Control+K');
  await expect(field(carolPage)).toBeFocused();
  await carolPage.keyboard.type('quokka');
  await carolPage.keyboard.press('Enter');
  await expect(panel(carolPage).getByText('No messages match “quokka”.')).toBeVisible();
  await expect(panel(carolPage).getByRole('status')).toHaveText('0 results');
  await context.close();
});

test('in a narrow window the results take the messages’ place under the field, and a result gives the room back', async ({
  page,
  server,
  makeAccount,
}) => {
  test.setTimeout(120_000);
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const tag = alice.id.slice(0, 4);
  const long = `narrow-plans-${tag}`;
  await longRoom(server, alice, bob, long, 120);
  await page.setViewportSize({ width: 400, height: 700 });
  await signIn(page, server, alice);
  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await openRoom(page, long);
  await page.keyboard.press('Control+K');
  await expect(field(page)).toBeFocused();
  await page.keyboard.type('friday zephyr');
  await page.keyboard.press('Enter');
  await expect(panel(page).getByRole('status')).toHaveText('1 result');
  await expect(messageLog(page)).toBeHidden();
  await expect(field(page)).toBeInViewport();
  await expectAccessible(page, 'Search results, narrow');
  await shootThemes(page, 'search', 'results-narrow');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeHidden();
  const target = messageLog(page).getByRole('article').filter({ hasText: TARGET });
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await shootThemes(page, 'search', 'opened-narrow');

  // Back to the results from the field (Down), then "Back to the room".
  await field(page).focus();
  await page.keyboard.press('ArrowDown');
  await expect(panel(page)).toBeVisible();
  await panel(page)
    .getByRole('button', { name: /Back to the room/ })
    .click();
  await expect(panel(page)).toBeHidden();
  await expect(messageLog(page)).toBeVisible();

  // Results open, a room chosen from the list: the room is shown, not the results.
  await field(page).focus();
  await page.keyboard.press('ArrowDown');
  await expect(panel(page)).toBeVisible();
  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await openRoom(page, 'general');
  await expect(panel(page)).toBeHidden();
  await expect(messageLog(page)).toBeVisible();
});

test('markup in a found message is shown as the text it is: no element of it reaches the results panel', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const tag = alice.id.slice(0, 4);
  const room = await roomWith(server, alice, [bob], { name: `markup-${tag}` });
  const payloads = [
    'wombat <img src=x onerror="window.__pwned = 1">',
    'wombat <script>window.__pwned = 1</script>',
    'wombat <iframe src="javascript:window.__pwned = 1"></iframe>',
    'wombat [click](javascript:window.__pwned=1) **<b>bold</b>**',
  ];
  const bobApi = await apiAs(server, bob);
  for (const text of payloads) await bobApi.collection('messages').create({ text, room: room.id, user: bob.id });

  await signIn(page, server, alice);
  await page.keyboard.press('Control+K');
  await page.keyboard.type('wombat');
  await page.keyboard.press('Enter');
  await expect(results(page)).toHaveCount(payloads.length);
  for (const text of payloads) await expect(panel(page)).toContainText(text.replace('wombat ', ''));
  // Only the marks the panel makes from the server's offsets: none of the payloads' elements.
  await expect(panel(page).locator('img, script, iframe, b, a[href]')).toHaveCount(0);
  await expect(panel(page).locator('mark')).toHaveCount(payloads.length);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});
