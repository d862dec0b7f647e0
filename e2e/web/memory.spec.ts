// The app remembers: a reload returns to the room that was open (per account and server), and a
// dismissed notice stays dismissed.
import { expect, messageLog, signIn, test } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

test('a reload returns to the last room opened, and to #general once that room is gone', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('rememberer');
  const owner = await makeAccount('keeper');
  const room = await roomWith(server, owner, [me], { name: 'back-here' });
  await room.api.collection('messages').create({ text: 'where you left off', room: room.id, user: owner.id });
  await signIn(page, server, me);
  await page.getByRole('button', { name: /back-here/ }).click();
  await expect(messageLog(page).getByText('where you left off')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'back-here' })).toBeVisible();
  await expect(messageLog(page).getByText('where you left off')).toBeVisible();

  await room.api.collection('rooms').delete(room.id);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
});

test('a dismissed notice stays dismissed across reloads', async ({ page, server, makeAccount }) => {
  const me = await makeAccount('dismisser');
  await signIn(page, server, me);
  const notice = page.getByRole('status').filter({ hasText: 'keeps you signed in only while this tab is open' });
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'OK' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(messageLog(page)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  await expect(notice).toHaveCount(0);
});
