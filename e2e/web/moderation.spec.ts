// Moderation as people see it (issue 18): the owner makes a member a moderator from the room's details,
// where everyone sees who moderates; the moderator deletes someone else's message from its tools, and
// "Message removed by a moderator" takes its place on the author's screen, live, and on the moderator's.
import type { Page } from '@playwright/test';
import { expect, messageLog, personIn, send, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const openRoom = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Rooms' })
    .getByRole('button', { name: new RegExp(name) })
    .click();

test('a moderator the owner appointed deletes a message, and the note appears on the other side', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('keeper');
  const moderator = await makeAccount('warden');
  const author = await makeAccount('talker');
  await roomWith(server, owner, [moderator, author], { name: 'tidy-room' });

  // The owner appoints, from the room's details, a member found by name.
  await signIn(page, server, owner);
  await openRoom(page, 'tidy-room');
  await page.getByRole('button', { name: 'Room details' }).click();
  const details = page.getByRole('dialog', { name: 'tidy-room' });
  await details.getByRole('button', { name: 'Add moderator' }).click();
  const box = details.getByRole('combobox', { name: 'Members to make moderators' });
  await box.pressSequentially(moderator.username.slice(0, -2));
  await page.getByRole('option', { name: new RegExp(moderator.username) }).click();
  await details.getByRole('button', { name: 'Make moderator' }).click();
  const moderators = details.getByRole('list', { name: /Moderators/ });
  await expect(moderators.getByRole('listitem')).toHaveText([new RegExp(moderator.username)]);
  await expect(details.getByRole('button', { name: /^Dismiss .* as moderator$/ })).toBeVisible();
  await shootThemes(page, 'moderation', 'details-owner', details);

  const talker = await personIn(browser, server, author);
  await openRoom(talker, 'tidy-room');
  await send(talker, 'buy cheap watches at my site');
  const warden = await personIn(browser, server, moderator);
  await openRoom(warden, 'tidy-room');

  // Everyone sees who moderates; only the owner may change it.
  await warden.getByRole('button', { name: 'Room details' }).click();
  const theirDetails = warden.getByRole('dialog', { name: 'tidy-room' });
  await expect(theirDetails.getByRole('list', { name: /Moderators/ }).getByRole('listitem')).toHaveText([
    new RegExp(`${moderator.username}.*you`),
  ]);
  await expect(theirDetails.getByRole('button', { name: 'Add moderator' })).toHaveCount(0);
  await theirDetails.getByRole('button', { name: 'Close' }).click();

  const spam = messageLog(warden).getByRole('article').filter({ hasText: 'buy cheap watches' });
  await spam.hover();
  await spam.getByRole('button', { name: 'Delete message' }).click();
  await spam.getByRole('button', { name: 'Delete', exact: true }).click();

  const note = 'Message removed by a moderator';
  for (const screen of [talker, warden]) {
    await expect(messageLog(screen).getByText(note)).toBeVisible();
    await expect(messageLog(screen).getByText('buy cheap watches')).toHaveCount(0);
  }
  await shootThemes(talker, 'moderation', 'placeholder', messageLog(talker));
  // The author's own tools are gone with it: nothing is left to edit or react to.
  const placeholder = messageLog(talker).getByRole('article').filter({ hasText: note });
  await placeholder.hover();
  await expect(placeholder.getByRole('button')).toHaveCount(0);
});
