// Consent, as two people live it in two browsers: nobody is put into a room by someone else. A
// stranger's room arrives as an invitation that shows nothing and notifies nothing until accepted;
// people leave rooms (an owner hands them on), close conversations, block and unblock.
import type { Page } from '@playwright/test';
import {
  apiAs,
  expect,
  messageLog,
  notificationTitles,
  personIn,
  recordNotifications,
  send,
  signIn,
  test,
  type Account,
} from '../fixtures.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes } from '../screenshots.ts';

const invitation = (page: Page, room: string | RegExp) =>
  page.getByRole('list', { name: 'Invitations' }).getByRole('group', { name: room });

const roomButton = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: new RegExp(name) });

async function roomOptions(page: Page, item: string) {
  await page.getByRole('button', { name: 'Room options' }).click();
  await page.getByRole('menu', { name: 'Room options' }).getByRole('menuitem', { name: item }).click();
}

async function startDirect(page: Page, with_: Account) {
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(with_.username);
  await page
    .getByRole('listbox', { name: 'People' })
    .getByRole('option', { name: new RegExp(with_.username) })
    .click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

async function shoot(page: Page, name: string) {
  await shootThemes(page, 'consent', name);
}

test("a stranger's private room is an invitation: no messages, no notification, until Accept", async ({
  page,
  server,
  makeAccount,
}) => {
  const stranger = await makeAccount('stranger');
  const me = await makeAccount('invitee');
  await recordNotifications(page);
  await signIn(page, server, me);

  const api = await apiAs(server, stranger);
  const room = await api
    .collection('rooms')
    .create({ name: 'stranger-plans', kind: 'private', owner: stranger.id, members: [stranger.id], invited: [me.id] });
  await api.collection('messages').create({ text: 'buy my stuff', room: room.id, user: stranger.id });
  const row = invitation(page, /stranger-plans/);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`from @${stranger.username}`);
  await expect(roomButton(page, 'stranger-plans')).toHaveCount(0);

  // A control: a mention in a private room the invitee is in does notify, so the silence above is not an
  // accident.
  const joined = await roomWith(server, stranger, [me], { name: 'stranger-shared' });
  await joined.api.collection('messages').create({ text: `hello @${me.username}`, room: joined.id, user: stranger.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('stranger-shared');
  await shoot(page, 'invitation-in-list');

  await row.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('heading', { name: 'stranger-plans' })).toBeVisible();
  await expect(messageLog(page).getByText('buy my stuff')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Invitations' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(roomButton(page, 'stranger-plans')).toBeVisible();
});

test('Decline removes the invitation, for good', async ({ page, server, makeAccount }) => {
  const stranger = await makeAccount('pushy');
  const me = await makeAccount('decliner');
  const api = await apiAs(server, stranger);
  const room = await api
    .collection('rooms')
    .create({ name: 'unwanted', kind: 'private', owner: stranger.id, members: [stranger.id], invited: [me.id] });
  await signIn(page, server, me);
  await invitation(page, /unwanted/)
    .getByRole('button', { name: 'Decline' })
    .click();
  await expect(page.getByRole('list', { name: 'Invitations' })).toHaveCount(0);
  expect((await api.collection('rooms').getOne(room.id)).invited).toEqual([]);
  await page.reload();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  await expect(page.getByText('unwanted')).toHaveCount(0);
});

test('a member leaves a room; the owner leaves it to the person they choose', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('leaver');
  const first = await makeAccount('elder');
  const second = await makeAccount('heir');
  const room = await roomWith(server, owner, [first, second], { name: 'handover' });

  // A member leaves: the room is gone from their list and the app opens #general.
  const firstPage = await personIn(browser, server, first);
  await roomButton(firstPage, 'handover').click();
  await roomOptions(firstPage, 'Leave room');
  const dialog = firstPage.getByRole('dialog', { name: 'Leave handover?' });
  await expect(dialog).toContainText('the owner must invite you again');
  await dialog.getByRole('button', { name: 'Leave room' }).click();
  await expect(firstPage.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(roomButton(firstPage, 'handover')).toHaveCount(0);
  expect((await room.api.collection('rooms').getOne(room.id)).members).toEqual([owner.id, second.id]);
  await firstPage.context().close();

  // The owner, by keyboard: the menu opens on its first item, Escape and Cancel give the focus back.
  await signIn(page, server, owner);
  await roomButton(page, 'handover').click();
  const options = page.getByRole('button', { name: 'Room options' });
  await options.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Leave room' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(options).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const leave = page.getByRole('dialog', { name: 'Leave handover?' });
  await expect(leave.getByLabel('New owner')).toHaveValue(second.id);
  await shoot(page, 'leave-dialog-owner');
  await leave.getByRole('button', { name: 'Cancel' }).click();
  await expect(options).toBeFocused();

  await roomOptions(page, 'Leave room');
  await leave.getByRole('button', { name: 'Leave room' }).click();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  const secondApi = await apiAs(server, second);
  const after = await secondApi.collection('rooms').getOne(room.id);
  expect(after.owner).toBe(second.id);
  expect(after.members).toEqual([second.id]);
});

test('an owner alone is told the room goes with them, and it does', async ({ page, server, makeAccount }) => {
  const owner = await makeAccount('alone');
  const room = await roomWith(server, owner, [], { name: 'solitude' });
  await signIn(page, server, owner);
  await roomButton(page, 'solitude').click();
  await roomOptions(page, 'Leave room');
  const dialog = page.getByRole('dialog', { name: 'Leave solitude?' });
  await expect(dialog).toContainText('leaving deletes solitude and all its messages');
  await shoot(page, 'leave-dialog-alone');
  await dialog.getByRole('button', { name: 'Leave and delete' }).click();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(room.api.collection('rooms').getOne(room.id)).rejects.toMatchObject({ status: 404 });
});

test('a direct conversation is an invitation too; closed, it comes back when the other person writes', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('closer');
  const them = await makeAccount('writer');
  await signIn(page, server, me);
  await startDirect(page, them);
  await expect(page.getByRole('heading', { name: them.username })).toBeVisible();
  await expect(page.getByText('waiting for them to accept')).toBeVisible();
  await send(page, 'hello there');
  await expect(messageLog(page).getByText('hello there')).toBeVisible();

  const theirPage = await personIn(browser, server, them);
  await invitation(theirPage, new RegExp(me.username)).getByRole('button', { name: 'Accept' }).click();
  await expect(messageLog(theirPage).getByText('hello there')).toBeVisible();

  await roomOptions(page, 'Close conversation');
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(roomButton(page, them.username)).toHaveCount(0);

  await send(theirPage, 'are you still there?');
  await expect(roomButton(page, them.username)).toBeVisible();
  await roomButton(page, them.username).click();
  await expect(messageLog(page).getByText('are you still there?')).toBeVisible();
  await theirPage.context().close();
});

test('Block ends a direct conversation and hides their messages everywhere; Unblock brings them back', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('blocker');
  const them = await makeAccount('pest');
  const shared = await roomWith(server, them, [me], { name: 'shared-room' });
  await shared.api.collection('messages').create({ text: 'said before the block', room: shared.id, user: them.id });
  await recordNotifications(page);
  await signIn(page, server, me);
  await startDirect(page, them);
  await send(page, 'please stop');
  const theirPage = await personIn(browser, server, them);
  await invitation(theirPage, new RegExp(me.username)).getByRole('button', { name: 'Accept' }).click();

  await roomOptions(page, 'Block');
  const dialog = page.getByRole('dialog', { name: `Block ${them.username}?` });
  await expect(dialog).toContainText('They are not told');
  await shoot(page, 'block-dialog');
  await dialog.getByRole('button', { name: 'Block' }).click();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(roomButton(page, them.username)).toHaveCount(0);

  // Whatever they write, in the conversation or in a room we share, neither shows nor notifies; a
  // bystander's message afterwards does, so the silence is not a slow delivery.
  await send(theirPage, 'you cannot ignore me');
  await shared.api.collection('messages').create({ text: 'still here', room: shared.id, user: them.id });
  const bystander = await makeAccount('bystander');
  const control = await roomWith(server, bystander, [me], { name: 'control-room' });
  // A private room notifies a mention by default (notification levels).
  await control.api
    .collection('messages')
    .create({ text: `@${me.username} control`, room: control.id, user: bystander.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('control-room');
  await roomButton(page, 'shared-room').click();
  await expect(page.getByRole('heading', { name: 'shared-room' })).toBeVisible();
  await expect(messageLog(page).getByText('said before the block')).toHaveCount(0);
  await expect(messageLog(page).getByText('still here')).toHaveCount(0);
  await expect(roomButton(page, them.username)).toHaveCount(0);
  // They cannot pull the blocker into a new room, and are not told why.
  const refused = await shared.api
    .collection('rooms')
    .create({ name: 'trap', kind: 'private', owner: them.id, members: [them.id], invited: [me.id] })
    .then(
      () => null,
      (error: { status: number; response: unknown }) => error,
    );
  expect(refused?.status).toBe(400);
  expect(JSON.stringify(refused?.response)).not.toMatch(/block/i);

  // Unblock from the account menu: their messages show again.
  await page.getByRole('button', { name: new RegExp(me.username) }).click();
  await page.getByRole('menuitem', { name: 'Blocked people' }).click();
  const blocked = page.getByRole('dialog', { name: 'Blocked people' });
  await expect(blocked.getByRole('list', { name: 'Blocked people' })).toContainText(them.username);
  await shoot(page, 'blocked-people');
  await blocked.getByRole('button', { name: 'Unblock' }).click();
  await expect(blocked).toContainText('You have not blocked anyone.');
  await expect(blocked.getByRole('button', { name: 'Close' })).toBeFocused();
  await shoot(page, 'blocked-people-empty');
  await blocked.getByRole('button', { name: 'Close' }).click();
  await expect(messageLog(page).getByText('said before the block')).toBeVisible();
  await expect(messageLog(page).getByText('still here')).toBeVisible();
  await theirPage.context().close();
});
