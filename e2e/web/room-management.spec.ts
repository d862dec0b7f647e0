// Managing rooms as people do in their first hour, mostly by keyboard: a private room's people picked
// from a search as chips (a typo is said next to the field and nothing else is lost), a room's details
// from its header (members, Add people, Rename seen live by the others, Leave, Delete), public rooms
// browsed, previewed, joined and left (the sidebar follows, a reload keeps it), and a direct message
// that starts from the people one last wrote to. Every new dialog passes axe in both themes.
import type { Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, personIn, send, signIn, test, type Account } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes } from '../screenshots.ts';

async function shoot(page: Page, name: string) {
  await shootThemes(page, 'room-management', name);
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const roomButton = (page: Page, name: string) => sidebar(page).getByRole('button', { name: new RegExp(name) });
const chips = (page: Page, label: string) => page.getByRole('list', { name: `Picked: ${label}` }).getByRole('listitem');

/** Types into a people picker and takes the highlighted person with Enter, as a keyboard user does. */
async function pickByKeyboard(page: Page, picker: string, person: Account) {
  const box = page.getByRole('combobox', { name: picker });
  await box.pressSequentially(person.username.slice(0, -2));
  await expect(page.getByRole('option', { name: new RegExp(person.username), selected: true })).toBeVisible();
  await box.press('Enter');
}

async function openDetails(page: Page) {
  await page.getByRole('button', { name: 'Room details' }).click();
}

test('a private room gets its people as chips; a typo is said at the field and nothing else is lost', async ({
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('chooser');
  const first = await makeAccount('pickone');
  const second = await makeAccount('picktwo');
  await signIn(page, server, owner);

  await page.getByRole('button', { name: 'New room' }).click();
  const dialog = page.getByRole('dialog', { name: 'New room' });
  await page.getByLabel('Room name').fill('chip-room');
  await page.getByLabel(/Private/).check();
  await pickByKeyboard(page, 'Invite people', first);
  await expect(chips(page, 'Invite people')).toHaveText([new RegExp(first.username)]);
  // The box is empty again and keeps the focus: the next person can be typed at once.
  await expect(page.getByRole('combobox', { name: 'Invite people' })).toBeFocused();
  await expect(page.getByRole('combobox', { name: 'Invite people' })).toHaveValue('');

  // A typo: the list says nobody matches; sending the form says it next to the field and keeps the rest.
  await page.getByRole('combobox', { name: 'Invite people' }).pressSequentially('zz_nobody_here');
  await expect(dialog.getByText('Nobody matches “zz_nobody_here”.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create room' }).click();
  const error = page.locator('#room-invite-error');
  await expect(error).toHaveText(
    'There is no user named "zz_nobody_here". Pick people from the list as you type, or clear the text.',
  );
  await expect(page.getByRole('combobox', { name: 'Invite people' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Room name')).toHaveValue('chip-room');
  await expect(chips(page, 'Invite people')).toHaveCount(1);
  await shoot(page, 'new-room-typo');
  await expectAccessible(page, 'new room dialog with a chip and a typo');

  // Fixing the field clears its error as the person types.
  await page.getByRole('combobox', { name: 'Invite people' }).press('Escape');
  await expect(error).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await pickByKeyboard(page, 'Invite people', second);
  await expect(chips(page, 'Invite people')).toHaveCount(2);
  // Backspace in the empty box takes the last chip away; picking again brings it back.
  await page.getByRole('combobox', { name: 'Invite people' }).press('Backspace');
  await expect(chips(page, 'Invite people')).toHaveCount(1);
  await pickByKeyboard(page, 'Invite people', second);
  // People already picked are not offered again.
  await page.getByRole('combobox', { name: 'Invite people' }).pressSequentially(first.username);
  await expect(dialog.getByText(`Nobody else matches “${first.username}”.`)).toBeVisible();
  await page.getByRole('combobox', { name: 'Invite people' }).press('Escape');
  await shoot(page, 'new-room-chips');
  await expectAccessible(page, 'new room dialog with chips');
  await page.getByRole('combobox', { name: 'Invite people' }).press('Enter');

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'chip-room' })).toBeVisible();
  await expect(page.getByText('Private room · 1 member · 2 invited')).toBeVisible();
  // An empty room has one line saying what to do, not two.
  await expect(messageLog(page).getByText('No messages yet. Say hello!')).toBeVisible();
  await expect(messageLog(page).getByText('This is the beginning of the conversation.')).toHaveCount(0);
});

test('room details: members, Add people, a rename the others see live, Leave, and Delete for everyone', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  // Three people in three pages and three accessibility checks in two themes: more than the default minute
  // on two shared cores.
  test.slow();
  const owner = await makeAccount('keeper');
  const stayer = await makeAccount('stayer');
  const leaver = await makeAccount('leaver');
  const newcomer = await makeAccount('newcomer');
  await roomWith(server, owner, [stayer, leaver], { name: 'plans' });
  await signIn(page, server, owner);
  await roomButton(page, 'plans').click();

  await openDetails(page);
  const details = page.getByRole('dialog', { name: 'plans' });
  await expect(details).toBeVisible();
  const members = details.getByRole('list', { name: /Members/ }).getByRole('listitem');
  await expect(members).toHaveCount(3);
  await expect(members.filter({ hasText: owner.username })).toContainText('owner');
  await shoot(page, 'room-details-owner');
  await expectAccessible(page, 'room details of an owner');

  // Add people: picked from a search, invited (they join by accepting).
  await details.getByRole('button', { name: 'Add people' }).click();
  await expect(page.getByRole('combobox', { name: 'People to invite' })).toBeFocused();
  // Members are not offered again.
  await page.getByRole('combobox', { name: 'People to invite' }).pressSequentially(stayer.username);
  await expect(details.getByText(`Nobody else matches “${stayer.username}”.`)).toBeVisible();
  await page.getByRole('combobox', { name: 'People to invite' }).press('Escape');
  await pickByKeyboard(page, 'People to invite', newcomer);
  await shoot(page, 'room-details-add-people');
  await expectAccessible(page, 'room details, adding people');
  await details.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(details.getByRole('list', { name: /Invited/ })).toContainText(newcomer.username);
  await expect(details.getByRole('status').filter({ hasText: 'Invited one person' })).toBeVisible();

  // Rename: the others see the new name without reloading.
  const stayerPage = await personIn(browser, server, stayer);
  await roomButton(stayerPage, 'plans').click();
  await expect(stayerPage.getByRole('heading', { name: 'plans', level: 1 })).toBeVisible();
  await details.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByLabel('New name')).toBeFocused();
  await page.getByLabel('New name').fill('plans-2026');
  await shoot(page, 'room-details-rename');
  await expectAccessible(page, 'room details, renaming');
  await page.getByLabel('New name').press('Enter');
  await expect(page.getByRole('dialog', { name: 'plans-2026' })).toBeVisible();
  await expect(stayerPage.getByRole('heading', { name: 'plans-2026', level: 1 })).toBeVisible();
  await expect(roomButton(stayerPage, 'plans-2026')).toBeVisible();

  // A member is offered only what the rules let them do: leave.
  await openDetails(stayerPage);
  const theirDetails = stayerPage.getByRole('dialog', { name: 'plans-2026' });
  await expect(theirDetails.getByRole('button', { name: 'Leave room' })).toBeVisible();
  for (const refused of ['Rename', 'Add people', 'Delete room']) {
    await expect(theirDetails.getByRole('button', { name: refused })).toHaveCount(0);
  }
  await expectAccessible(stayerPage, 'room details of a member');
  await stayerPage.keyboard.press('Escape');
  await expect(stayerPage.getByRole('button', { name: 'Room details' })).toBeFocused();

  const leaverPage = await personIn(browser, server, leaver);
  await roomButton(leaverPage, 'plans-2026').click();
  await openDetails(leaverPage);
  await leaverPage.getByRole('dialog', { name: 'plans-2026' }).getByRole('button', { name: 'Leave room' }).click();
  await leaverPage
    .getByRole('dialog', { name: 'Leave plans-2026?' })
    .getByRole('button', { name: 'Leave room' })
    .click();
  await expect(roomButton(leaverPage, 'plans-2026')).toHaveCount(0);
  // The room that opens instead has the keyboard, in its composer, never a button of its header.
  await expect(leaverPage.getByRole('heading', { name: '#general', level: 1 })).toBeVisible();
  await expect(leaverPage.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(details.getByRole('list', { name: /Members/ }).getByRole('listitem')).toHaveCount(2);

  // Delete: confirmed, says the messages go; the others lose the room at once.
  await send(stayerPage, 'soon gone');
  await details.getByRole('button', { name: 'Delete room' }).click();
  const confirm = details.getByRole('group', { name: /Delete plans-2026/ });
  await expect(confirm).toContainText('All its messages are deleted');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shoot(page, 'room-details-delete');
  await expectAccessible(page, 'room details, confirming a delete');
  await confirm.getByRole('button', { name: 'Delete room' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(roomButton(page, 'plans-2026')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '#general', level: 1 })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(roomButton(stayerPage, 'plans-2026')).toHaveCount(0);
  await expect(stayerPage.getByRole('heading', { name: 'plans-2026' })).toHaveCount(0);
  const api = await apiAs(server, owner);
  expect(await api.collection('rooms').getFullList({ filter: 'name = "plans-2026"' })).toHaveLength(0);
  await stayerPage.context().close();
  await leaverPage.context().close();
});

test('browse rooms: preview a public room, join it into the sidebar, leave it; a reload keeps each', async ({
  page,
  server,
  makeAccount,
}) => {
  const host = await makeAccount('lounger');
  const me = await makeAccount('browser');
  const hostApi = await apiAs(server, host);
  const lounge = await hostApi
    .collection('rooms')
    .create({ name: `lounge-${host.id.slice(0, 5)}`, kind: 'public', owner: host.id, members: [host.id] });
  await hostApi.collection('messages').create({ text: 'welcome to the lounge', room: lounge.id, user: host.id });
  await signIn(page, server, me);
  await expect(roomButton(page, lounge.name)).toHaveCount(0);

  await page.getByRole('button', { name: 'Browse rooms' }).click();
  const browse = page.getByRole('dialog', { name: 'Browse rooms' });
  await expect(page.getByLabel('Filter rooms')).toBeFocused();
  await page.keyboard.type(lounge.name);
  const entry = browse.getByRole('list', { name: 'Public rooms' }).getByRole('listitem');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('1 member');
  await expect(entry.getByRole('button', { name: `Join #${lounge.name}` })).toBeVisible();
  await shoot(page, 'browse-rooms');
  await expectAccessible(page, 'browse rooms');

  // Opening it without joining is a preview: readable, with Join room where the composer would be.
  await entry
    .getByRole('button', { name: new RegExp(`#${lounge.name}`) })
    .first()
    .click();
  await expect(browse).toHaveCount(0);
  await expect(page.getByRole('heading', { name: `#${lounge.name}` })).toBeVisible();
  await expect(messageLog(page).getByText('welcome to the lounge')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await expect(roomButton(page, lounge.name)).toHaveCount(0);
  await shoot(page, 'public-room-preview');
  await expectAccessible(page, 'a public room read without joining');
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(roomButton(page, lounge.name)).toBeVisible();
  await page.reload();
  await expect(roomButton(page, lounge.name)).toBeVisible();

  // Leaving from Browse rooms takes it out of the sidebar, and it stays out.
  await page.getByRole('button', { name: 'Browse rooms' }).click();
  await page.keyboard.type(lounge.name);
  await expect(entry).toContainText('2 members');
  await expect(entry).toContainText('Joined');
  await entry.getByRole('button', { name: `Leave #${lounge.name}` }).click();
  await expect(entry.getByRole('button', { name: `Join #${lounge.name}` })).toBeFocused();
  await expect(entry).toContainText('1 member');
  await expect(roomButton(page, lounge.name)).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(sidebar(page)).toBeVisible();
  await expect(roomButton(page, lounge.name)).toHaveCount(0);

  // Joining from the list works too, and `Create room` is one step away.
  await page.getByRole('button', { name: 'Browse rooms' }).click();
  await page.keyboard.type(lounge.name);
  await entry.getByRole('button', { name: `Join #${lounge.name}` }).click();
  await expect(roomButton(page, lounge.name)).toBeVisible();
  await browse.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByRole('dialog', { name: 'New room' })).toBeVisible();
});

test('leaving a public room from its header keeps it open as a preview, with the keyboard on its heading', async ({
  page,
  server,
  makeAccount,
}) => {
  const host = await makeAccount('porch');
  const me = await makeAccount('visitor');
  const porch = await roomWith(server, host, [me], { name: `porch-${host.id.slice(0, 5)}`, kind: 'public' });
  await signIn(page, server, me);
  await roomButton(page, porch.name).click();
  await page.getByRole('button', { name: 'Room options' }).click();
  await page.getByRole('menuitem', { name: 'Leave room' }).click();
  await page
    .getByRole('dialog', { name: `Leave #${porch.name}?` })
    .getByRole('button', { name: 'Leave room' })
    .click();
  await expect(roomButton(page, porch.name)).toHaveCount(0);
  // No composer to go back to, and the Room options button is gone with the membership: the heading.
  await expect(page.getByRole('button', { name: 'Join room' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `#${porch.name}`, level: 1 })).toBeFocused();
  await shoot(page, 'left-public-room-heading-focused');
});

test('the direct message dialog offers the people last written to, and Enter picks', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('writer');
  const older = await makeAccount('olderpal');
  const latest = await makeAccount('latestpal');
  const api = await apiAs(server, me);
  // The conversation started last is not the one written in last: the latest message decides.
  const withLatest = await api
    .collection('rooms')
    .create({ name: '', kind: 'direct', owner: me.id, members: [me.id], invited: [latest.id] });
  const withOlder = await api
    .collection('rooms')
    .create({ name: '', kind: 'direct', owner: me.id, members: [me.id], invited: [older.id] });
  await api.collection('messages').create({ text: 'older news', room: withOlder.id, user: me.id });
  await api.collection('messages').create({ text: 'latest news', room: withLatest.id, user: me.id });
  await signIn(page, server, me);

  await page.getByRole('button', { name: 'New direct message' }).click();
  await expect(page.getByRole('combobox', { name: 'Find people by username or name' })).toBeFocused();
  const recent = page.getByRole('listbox', { name: 'Recent people' }).getByRole('option');
  await expect(recent).toHaveText([new RegExp(latest.username), new RegExp(older.username)]);
  await expect(recent.first()).toHaveAttribute('aria-selected', 'true');
  await shoot(page, 'direct-recent');
  await expectAccessible(page, 'new direct message dialog with recent people');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: latest.username, level: 1 })).toBeVisible();
  await expect(messageLog(page).getByText('latest news')).toBeVisible();

  // Down moves the highlight; Enter takes the highlighted person.
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.keyboard.press('ArrowDown');
  await expect(recent.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: older.username, level: 1 })).toBeVisible();
  await expect(messageLog(page).getByText('older news')).toBeVisible();
});

test('at 400 px wide the room dialogs fit the window and stay usable', async ({ page, server, makeAccount }) => {
  const owner = await makeAccount('narrowowner');
  const other = await makeAccount('narrowother');
  const pick = await makeAccount('narrowpick');
  await makeAccount('narrowextra');
  await roomWith(server, owner, [other], { name: 'narrow-room' });
  await page.setViewportSize({ width: 400, height: 700 });
  await signIn(page, server, owner);
  // Narrow, the app shows the conversation or the room list: back to the list to choose the room.
  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await roomButton(page, 'narrow-room').click();

  await openDetails(page);
  const details = page.getByRole('dialog', { name: 'narrow-room' });
  await details.getByRole('button', { name: 'Add people' }).click();
  await pickByKeyboard(page, 'People to invite', pick);
  await page.getByRole('combobox', { name: 'People to invite' }).pressSequentially('narrow');
  await expect(page.getByRole('listbox', { name: 'People' })).toBeVisible();
  const box = (await details.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(400);
  await shoot(page, 'narrow-room-details');
  await expectAccessible(page, 'room details at 400 px');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: 'Back to rooms' }).click();
  await page.getByRole('button', { name: 'Browse rooms' }).click();
  const browse = page.getByRole('dialog', { name: 'Browse rooms' });
  await expect(browse.getByRole('list', { name: 'Public rooms' })).toContainText('#general');
  const browseBox = (await browse.boundingBox())!;
  expect(browseBox.x + browseBox.width).toBeLessThanOrEqual(400);
  await shoot(page, 'narrow-browse-rooms');
  await expectAccessible(page, 'browse rooms at 400 px');
});
