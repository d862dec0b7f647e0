// Reporting a message and a suspended account, as the people involved see them: Bea reports Sam's message
// from its tools (a reason, then a confirmation); a superuser suspends Sam, whose open app is signed out
// at once with the server's sentence on the sign-in screen, and a new sign-in says the same.
import { expect, messageLog, personIn, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

test('a reported message reaches the administrators; a suspended person is signed out and told why', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // two people signed in, and four pairs of screenshots
  const sam = await makeAccount('sam');
  const bea = await makeAccount('bea');
  const room = await roomWith(server, bea, [sam], { name: 'garden club' });
  const samsPage = await personIn(browser, server, sam);
  await samsPage.getByRole('button', { name: /garden club/ }).click();
  await samsPage.getByRole('textbox', { name: 'Message' }).fill('cheap watches at my site');
  await samsPage.getByRole('textbox', { name: 'Message' }).press('Enter');

  await signIn(page, server, bea);
  await page.getByRole('button', { name: /garden club/ }).click();
  const spam = messageLog(page).getByRole('article').filter({ hasText: 'cheap watches' });
  await spam.hover();
  await spam.getByRole('button', { name: 'Report message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report message' });
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Say what is wrong with this message.');
  await dialog.getByLabel('Why are you reporting it?').fill('Spam: selling watches');
  await shootThemes(page, 'suspension', 'report-dialog', dialog);
  await dialog.getByRole('button', { name: 'Send report' }).click();
  const sent = page.getByRole('dialog', { name: 'Report sent' });
  await expect(sent.getByRole('status')).toContainText('administrators will look at this message');
  await expect(sent.getByRole('button', { name: 'Close' })).toBeFocused();
  await shootThemes(page, 'suspension', 'report-sent', sent);
  await sent.getByRole('button', { name: 'Close' }).click();
  await expect(spam.getByRole('button', { name: 'Report message' })).toBeFocused();

  const admin = await server.admin();
  const [report] = await admin.collection('open_reports').getFullList();
  expect(report).toMatchObject({ reporter: bea.id, author: sam.id, room: room.id, reason: 'Spam: selling watches' });

  // Suspended: Sam's open app goes to the sign-in screen with the reason, without doing anything.
  await admin.collection('users').update(sam.id, { suspended: true });
  await expect(samsPage.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 5_000 });
  await expect(samsPage.getByRole('status')).toContainText('This account is suspended');
  await shootThemes(samsPage, 'suspension', 'signed-out');
  // Signing in again says the same, next to the form.
  await samsPage.getByLabel('Password', { exact: true }).fill(sam.password);
  await samsPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(samsPage.getByRole('alert')).toContainText('This account is suspended');
  await shootThemes(samsPage, 'suspension', 'sign-in-refused');
  await samsPage.context().close();
});
