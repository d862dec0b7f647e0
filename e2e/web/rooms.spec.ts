// Rooms through the UI: private rooms stay private, people join by accepting, direct conversations
// start from a search.
import {
  apiAs,
  clickNotification,
  expect,
  messageLog,
  notificationTitles,
  personIn,
  recordNotifications,
  send,
  signIn,
  test,
} from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

test('a private room and its messages are invisible to a non-member, and to the invited until they accept', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('owner');
  const member = await makeAccount('member');
  const outsider = await makeAccount('outsider');
  await signIn(page, server, owner);

  await page.getByRole('button', { name: 'New room' }).click();
  await page.getByLabel('Room name').fill('secret-plans');
  await page.getByLabel(/Private/).check();
  await page.getByRole('combobox', { name: 'Invite people' }).fill(member.username);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'secret-plans' })).toBeVisible();
  await expect(page.getByText('Private room · 1 member · 1 invited')).toBeVisible();
  await send(page, 'the password is swordfish');

  const memberPage = await personIn(browser, server, member);
  const invitation = memberPage.getByRole('group', { name: /secret-plans/ });
  await expect(invitation).toBeVisible();
  // Invited is not in: no messages, through the UI or the API, until they accept.
  const memberApi = await apiAs(server, member);
  expect(await memberApi.collection('messages').getFullList({ filter: 'text ~ "swordfish"' })).toHaveLength(0);
  await invitation.getByRole('button', { name: 'Accept' }).click();
  await expect(memberPage.getByRole('heading', { name: 'secret-plans' })).toBeVisible();
  await expect(messageLog(memberPage).getByText('the password is swordfish')).toBeVisible();

  const outsiderPage = await personIn(browser, server, outsider);
  await expect(outsiderPage.getByRole('navigation', { name: 'Rooms' })).toContainText('general');
  await expect(outsiderPage.getByRole('button', { name: /secret-plans/ })).toHaveCount(0);
  // Not through the API either: the server refuses, whatever the client does.
  const api = await apiAs(server, outsider);
  expect(await api.collection('messages').getFullList({ filter: 'text ~ "swordfish"' })).toHaveLength(0);
  expect(await api.collection('rooms').getFullList({ filter: 'name = "secret-plans"' })).toHaveLength(0);
  await memberPage.context().close();
  await outsiderPage.context().close();
});

test('a room name is required, and an unknown person is named', async ({ page, server, makeAccount }) => {
  const someone = await makeAccount('namer');
  await signIn(page, server, someone);
  await page.getByRole('button', { name: 'New room' }).click();
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#room-name-error')).toHaveText('Give the room a name.');
  await page.getByLabel('Room name').fill('with-a-ghost');
  await page.getByLabel(/Private/).check();
  await page.getByRole('combobox', { name: 'Invite people' }).fill('nobody_by_this_name');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#room-invite-error')).toHaveText(
    'There is no user named "nobody_by_this_name". Pick people from the list as you type, or clear the text.',
  );
});

test('a direct conversation starts from a search and reaches only the two people', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const left = await makeAccount('left');
  const right = await makeAccount('right');
  await signIn(page, server, left);
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(right.username);
  await page
    .getByRole('listbox', { name: 'People' })
    .getByRole('option', { name: new RegExp(right.username) })
    .click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: right.username })).toBeVisible();
  await send(page, 'just us two');
  await expect(messageLog(page).getByText('just us two')).toBeVisible();

  const rightPage = await personIn(browser, server, right);
  await rightPage
    .getByRole('group', { name: new RegExp(left.username) })
    .getByRole('button', { name: 'Accept' })
    .click();
  await expect(messageLog(rightPage).getByText('just us two')).toBeVisible();
  await expect(rightPage.getByRole('button', { name: new RegExp(left.username) }).first()).toBeVisible();
  await rightPage.context().close();
});

test('a notification for a room you were removed from since says so, and you stay where you were', async ({
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('host');
  const reader = await makeAccount('guest');
  await recordNotifications(page);
  const { api, ...room } = await roomWith(server, owner, [reader], { name: 'short-lived' });
  await signIn(page, server, reader);
  await expect(page.getByRole('button', { name: /short-lived/ })).toBeVisible();

  await api
    .collection('messages')
    .create({ text: `you will miss this, @${reader.username}`, room: room.id, user: owner.id });
  await expect.poll(async () => (await notificationTitles(page)).length).toBe(1);
  await api.collection('rooms').update(room.id, { members: [owner.id] });
  await expect(page.getByRole('button', { name: /short-lived/ })).toHaveCount(0);

  await clickNotification(page);
  const notice = page.getByRole('status').filter({ hasText: 'That room is not available to you' });
  await expect(notice).toBeVisible();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(messageLog(page).getByText(/you will miss this/)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/room-unavailable-notice.png' });
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(notice).toHaveCount(0);
});
