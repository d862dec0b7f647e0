// Mentions and notification levels in Chromium with two people: in a room (whose level is "mentions
// only" unless chosen) only the message that mentions you notifies, and it stands out in the room; a room
// set to "nothing" stays silent even when it mentions you.
import { apiAs, expect, messageLog, notificationTitles, recordNotifications, signIn, test } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

const roomButton = (page: import('@playwright/test').Page, name: RegExp) => page.getByRole('button', { name });

test('in a "mentions only" room only the message that mentions you notifies, and it is highlighted', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('mentioned');
  const them = await makeAccount('caller');
  const room = await roomWith(server, them, [me], { name: 'mention-room' });
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /mention-room/)).toBeVisible();

  await room.api.collection('messages').create({ text: 'just chatting here', room: room.id, user: them.id });
  await expect(roomButton(page, /mention-room/).getByLabel('1 unread')).toBeVisible();
  const call = `@${me.username} can you look at this?`;
  await room.api.collection('messages').create({ text: call, room: room.id, user: them.id });
  await expect(roomButton(page, /mention-room/).getByLabel('2 unread')).toBeVisible();
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  // The title counts what the level counts: the mention, not the chatter.
  await expect(page).toHaveTitle('(1) Palaver');

  await roomButton(page, /mention-room/).click();
  const mention = messageLog(page).getByRole('article').filter({ hasText: call });
  const chatter = messageLog(page).getByRole('article').filter({ hasText: 'just chatting here' });
  await expect(mention).toHaveClass(/\bmentioned\b/);
  await expect(chatter).not.toHaveClass(/\bmentioned\b/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `/tmp/shots-hm/mention-${colorScheme}.png` });
  }
  expect(await notificationTitles(page)).toHaveLength(1);
});

test('a room set to "nothing" does not notify even a mention; the conversation beside it still does', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('muted');
  const them = await makeAccount('noisy');
  const quiet = await roomWith(server, them, [me], { name: 'quiet-room' });
  const loud = await roomWith(server, them, [me], { name: 'loud-room' });
  const mine = await apiAs(server, me);
  await mine.collection('notification_levels').create({ user: me.id, room: quiet.id, level: 'nothing' });
  await mine.collection('notification_levels').create({ user: me.id, room: loud.id, level: 'all' });
  await recordNotifications(page);
  await signIn(page, server, me);
  await expect(roomButton(page, /quiet-room/)).toBeVisible();

  await quiet.api
    .collection('messages')
    .create({ text: `@${me.username} are you there?`, room: quiet.id, user: them.id });
  await expect(roomButton(page, /quiet-room/).getByLabel('1 unread')).toBeVisible();
  // A control: a room set to every message notifies one without a mention.
  await loud.api.collection('messages').create({ text: 'anyone?', room: loud.id, user: them.id });
  await expect.poll(() => notificationTitles(page)).toHaveLength(1);
  expect((await notificationTitles(page))[0]).toContain('loud-room');
  await expect(page).toHaveTitle('(1) Palaver');
});
