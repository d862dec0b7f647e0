// Direct conversations as their other person sees them (issue 13, item 11): one started but still
// empty appears nowhere for them; its first message brings it as an invitation, live; and the sidebar
// lists direct conversations by their latest message, moving one up as a message arrives.
import type { Page } from '@playwright/test';
import { apiAs, expect, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';

/** The names in the sidebar's direct messages list (its last list), top to bottom. */
function directOrder(page: Page) {
  return page.getByRole('navigation', { name: 'Rooms' }).getByRole('list').last().getByRole('button').allInnerTexts();
}

test('an empty direct conversation reaches nobody; its first message brings it; the latest conversation is on top', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('reader');
  const [ann, bob] = await Promise.all([makeAccount('ann'), makeAccount('bob')]);
  const [annApi, bobApi] = await Promise.all([apiAs(server, ann), apiAs(server, bob)]);
  const start = (api: typeof annApi, from: typeof ann) =>
    api.collection('rooms').create({ kind: 'direct', owner: from.id, members: [from.id], invited: [me.id] });
  const annRoom = await start(annApi, ann);
  const bobRoom = await start(bobApi, bob);
  await bobApi.collection('messages').create({ text: 'hi from bob', room: bobRoom.id, user: bob.id });

  await signIn(page, server, me);
  const invitation = (who: typeof ann) => page.getByRole('group', { name: new RegExp(who.username) });
  await expect(invitation(bob)).toBeVisible();
  // Ann started a conversation but wrote nothing: nothing of it shows.
  await expect(invitation(ann)).toHaveCount(0);
  await expect(page.getByText(ann.username)).toHaveCount(0);

  // Her first message brings it, without a reload.
  await annApi.collection('messages').create({ text: 'hi from ann', room: annRoom.id, user: ann.id });
  await expect(invitation(ann)).toBeVisible();
  await invitation(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(bob.username) })).toBeVisible();
  await invitation(ann).getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(ann.username) })).toBeVisible();

  // Ann wrote last: on top. Bob writes: he moves up, live.
  await expect
    .poll(() => directOrder(page))
    .toEqual([expect.stringContaining(ann.username), expect.stringContaining(bob.username)]);
  await bobApi.collection('messages').create({ text: 'bob again', room: bobRoom.id, user: bob.id });
  await expect
    .poll(() => directOrder(page))
    .toEqual([expect.stringContaining(bob.username), expect.stringContaining(ann.username)]);
  // The order is the server's too: a reload keeps it.
  await page.reload();
  await expect
    .poll(() => directOrder(page))
    .toEqual([expect.stringContaining(bob.username), expect.stringContaining(ann.username)]);

  await page.setViewportSize({ width: 1200, height: 760 });
  await shootThemes(page, 'direct-order', 'direct-order');
});
