// Keyboard only, as someone who does not use a pointer: signing in, walking the rooms, jumping to a
// conversation, acting on a message and the account menu, with the focus never falling to the page.
// Elements are focused by pressing keys; `focus()` is used only to start from a named place, never a click.
import type { Page } from '@playwright/test';
import type { TestServer } from '../../backend/testing/server.ts';
import { expectAccessible, THEMES } from '../axe.ts';
import { apiAs, expect, messageLog, test, type Account } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes, shotPath } from '../screenshots.ts';

/** Signs in by typing alone: the form puts the keyboard in its first empty field. */
async function signInByKeyboard(page: Page, server: TestServer, account: Account): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByLabel('Username or email')).toBeFocused();
  await page.keyboard.type(account.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(account.password);
  await page.keyboard.press('Enter');
  await expect(messageLog(page)).toBeVisible();
}

/** The id of the message that has the focus, or what has it instead. */
function focusedMessage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.matches('article[data-id]')) return active.dataset.id!;
    return `not a message: ${active?.tagName ?? 'nothing'}`;
  });
}

const room = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name });

test('signing in: the first empty field has the keyboard, and a refused attempt puts it on the field refused', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('kbsign');
  await page.goto(server.url);
  await expect(page.getByLabel('Username or email')).toBeFocused();
  await page.keyboard.type(me.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('not-the-password');
  await page.keyboard.press('Enter');
  await expect(page.locator('#password-error')).toHaveText('Wrong username, email or password.');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();

  // Empty fields refused before anything is sent: the first of them gets the keyboard.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  await expect(page.locator('#identity-error')).toBeVisible();
  await expect(page.locator('#password-error')).toBeVisible();
  await expect(page.getByLabel('Username or email')).toBeFocused();

  await page.keyboard.type(me.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(me.password);
  await page.keyboard.press('Enter');
  await expect(messageLog(page)).toBeVisible();
});

test('rooms: one tab stop with arrow keys, Alt+Up/Down from anywhere, and Jump to (Ctrl+J) to a person', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('kbrooms');
  const partner = await makeAccount('kbpartner');
  await roomWith(server, me, [partner], { name: 'alpha' });
  await roomWith(server, me, [partner], { name: 'beta' });
  const gamma = await roomWith(server, me, [partner], { name: 'gamma' });
  await (
    await apiAs(server, me)
  )
    .collection('rooms')
    .create({ name: '', kind: 'direct', owner: me.id, members: [me.id], invited: [partner.id] });

  await signInByKeyboard(page, server, me);
  await room(page, 'alpha').focus();
  await page.keyboard.press('Enter');
  await expect(room(page, 'alpha')).toHaveAttribute('aria-current', 'page');

  // Into the list with Tab lands on the open room (the list is one stop), arrows move, Enter opens.
  await page.getByRole('button', { name: 'New room' }).focus();
  await page.keyboard.press('Tab');
  await expect(room(page, 'alpha')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(room(page, 'beta')).toBeFocused();
  await expect(room(page, 'alpha')).toHaveAttribute('aria-current', 'page');
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: shotPath('keyboard', `room-list-focus-${colorScheme}`),
      clip: { x: 0, y: 0, width: 300, height: 500 },
    });
  }
  await page.keyboard.press('End');
  await expect(room(page, new RegExp(partner.username))).toBeFocused();
  await page.keyboard.press('Home');
  await expect(room(page, 'alpha')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(room(page, 'beta')).toHaveAttribute('aria-current', 'page');

  // Alt+Down and Alt+Up from the composer move through the sidebar's order and stop at its ends.
  const composer = page.getByRole('textbox', { name: 'Message' });
  await expect(composer).toBeFocused();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(room(page, 'gamma')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(room(page, 'alpha')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(room(page, 'alpha')).toHaveAttribute('aria-current', 'page');

  // Alt+Shift+Down skips over rooms with nothing unread to the next one with something.
  await (
    await apiAs(server, partner)
  )
    .collection('messages')
    .create({ room: gamma.id, user: partner.id, text: 'news in gamma' }, { requestKey: null });
  await expect(room(page, /gamma.*1 unread/)).toBeVisible();
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expect(room(page, /^gamma/)).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(room(page, /^gamma/)).toHaveAttribute('aria-current', 'page');

  // Ctrl+J: Jump to, with the keyboard in its field; Escape gives the keyboard back.
  await expect(composer).toBeFocused();
  await page.keyboard.press('Control+J');
  const jump = page.getByRole('dialog', { name: 'Jump to' });
  await expect(jump).toBeVisible();
  await expect(jump.getByRole('combobox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(jump).toBeHidden();
  await expect(composer).toBeFocused();

  await page.keyboard.press('Control+J');
  await page.keyboard.type(partner.username.slice(0, 6));
  const options = jump.getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await shootThemes(page, 'keyboard', 'jump-to');
  await expectAccessible(page, 'Jump to');
  await page.keyboard.press('Enter');
  await expect(jump).toBeHidden();
  await expect(room(page, new RegExp(partner.username))).toHaveAttribute('aria-current', 'page');
  await expect(composer).toBeFocused();

  // Starts-with before contains, arrows wrap around the results, and nothing found says so.
  await page.keyboard.press('Control+J');
  await page.keyboard.type('a');
  await expect(options.first()).toHaveText(/alpha/);
  await page.keyboard.press('ArrowUp');
  await expect(options.last()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.type('zzz');
  await expect(options).toHaveCount(0);
  await expect(jump.getByText(/No room or conversation matches/)).toBeVisible();
  await page.keyboard.press('Escape');

  // Public rooms not joined come after the sidebar's, marked so, and open as a preview with Join room.
  const lounge = `alpine-${partner.username}`;
  await roomWith(server, partner, [], { name: lounge, kind: 'public' });
  await page.keyboard.press('Control+J');
  await page.keyboard.type('alp');
  await expect(options).toHaveText([/^alpha/, new RegExp(`^#?${lounge}.*Not joined$`)]);
  await shootThemes(page, 'keyboard', 'jump-to-not-joined');
  await expectAccessible(page, 'Jump to, with a room not joined');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(jump).toBeHidden();
  await expect(page.getByRole('button', { name: 'Join room' })).toBeVisible();
  await expect(room(page, new RegExp(lounge))).toHaveCount(0);
  // No composer in a preview: the keyboard is on its heading, not on the page.
  await expect(page.getByRole('heading', { name: new RegExp(lounge), level: 1 })).toBeFocused();
});

test('a message by keyboard: focus shows its tools, edit and delete return the focus to the messages', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('kbmsg');
  const other = await makeAccount('kbother');
  const talk = await roomWith(server, me, [other], { name: 'talk' });
  for (const text of ['first', 'second', 'third', 'fourth']) {
    await talk.api.collection('messages').create({ room: talk.id, user: me.id, text }, { requestKey: null });
  }
  await signInByKeyboard(page, server, me);
  await room(page, 'talk').focus();
  await page.keyboard.press('Enter');
  await expect(messageLog(page).getByText('fourth')).toBeVisible();
  const article = (text: string) => messageLog(page).locator('article', { hasText: text });

  // From the composer, Shift+Tab reaches the messages at the newest one, and its tools appear.
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(article('fourth')).toBeFocused();
  await expect(article('fourth').getByRole('button', { name: 'Edit message' })).toBeVisible();
  // A focused message is read as who, when and what, not as its author alone; a follow-on message too,
  // which shows no author.
  await expect(article('fourth')).toHaveAccessibleName(new RegExp(`^${me.username}, \\d.*: fourth$`));
  await expect(article('first')).toHaveAccessibleName(new RegExp(`^${me.username}, \\d.*: first$`));
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(article('second')).toBeFocused();
  await expect(article('second').getByRole('button', { name: 'Edit message' })).toBeVisible();
  await expect(article('fourth').getByRole('button', { name: 'Edit message' })).toBeHidden();
  await shootThemes(page, 'keyboard', 'message-tools');
  await page.keyboard.press('Home');
  await expect(article('first')).toBeFocused();
  await page.keyboard.press('End');
  await expect(article('fourth')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');

  // Tab into the tools, in the order they show: react, reply in a thread, the author's own, then Mark as
  // unread, the one used least. Enter edits; Escape and Enter both give the focus back to the message.
  const tools = ['Add reaction', 'Reply in thread', 'Edit message', 'Delete message', 'Mark as unread'];
  const toDelete = tools.indexOf('Delete message') + 1;
  for (const name of tools.slice(0, 3)) {
    await page.keyboard.press('Tab');
    await expect(article('second').getByRole('button', { name, exact: true })).toBeFocused();
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Edit message' })).toBeFocused();
  // Alt+arrows belong to the edit box: switching rooms there would throw the edit away.
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByRole('textbox', { name: 'Edit message' })).toBeFocused();
  await expect(room(page, 'talk')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Escape');
  await expect(article('second')).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('second, edited');
  await page.keyboard.press('Enter');
  await expect(article('second, edited')).toBeFocused();
  await expect(article('second, edited')).toContainText('(edited)');

  // Delete through the tools: the next message takes the focus, never the page.
  const secondId = await focusedMessage(page);
  for (let i = 0; i < toDelete; i++) await page.keyboard.press('Tab');
  await expect(article('second, edited').getByRole('button', { name: 'Delete message' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(article('second, edited').getByRole('button', { name: 'Copy link to message' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(article('second, edited').getByRole('button', { name: 'Mark as unread' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Confirm deletion' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(article('second, edited')).toHaveCount(0);
  const thirdId = await article('third').getAttribute('data-id');
  await expect.poll(() => focusedMessage(page)).toBe(thirdId);
  expect(secondId).not.toBe(thirdId);

  // The last message deleted hands the focus to the one before it.
  await page.keyboard.press('End');
  for (let i = 0; i < toDelete; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(article('fourth')).toHaveCount(0);
  await expect.poll(() => focusedMessage(page)).toBe(thirdId);
  await expect(page.getByRole('textbox', { name: 'Message' })).not.toBeFocused();
});

test('the account menu: arrow keys between its items, Escape back to its button', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('kbmenu');
  await signInByKeyboard(page, server, me);
  const button = page.getByRole('button', { name: new RegExp(`@${me.username}`) });
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Account' });
  await expect(menu).toBeVisible();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const items = menu.getByRole('menuitem');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.first()).toBeFocused();
  await shootThemes(page, 'keyboard', 'account-menu');
  await expectAccessible(page, 'the account menu, open');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  // Up on the button opens the menu at its last item; choosing an item that opens a dialog gives the
  // keyboard back to the button when the dialog closes.
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Blocked people' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Blocked people' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();

  // Tab leaves the menu closed behind it and goes on through the page.
  await page.keyboard.press('Enter');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(menu).toBeHidden();
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(
    true,
  );
});

test('a new direct message by keyboard: type a name in the people search, Enter picks', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('kbdm');
  const partner = await makeAccount('kbpick');
  await signInByKeyboard(page, server, me);
  await page.getByRole('button', { name: 'New direct message' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('combobox')).toBeFocused();
  await page.keyboard.type(partner.username);
  await expect(dialog.getByRole('option', { name: new RegExp(partner.username) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(room(page, new RegExp(partner.username))).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
});
