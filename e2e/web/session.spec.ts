// An expired or revoked session: back to the sign-in screen with drafts and unsent messages kept, and
// sending resumes after signing in again.
import { apiAs, expect, messageLog, send, signIn, test } from '../fixtures.ts';

test('a revoked session leads to sign-in, keeps the draft and the unsent message, and sends it after signing in', async ({
  page,
  server,
  makeAccount,
}) => {
  const user = await makeAccount('revoked');
  await (
    await apiAs(server, user)
  )
    .collection('rooms')
    .create({ name: 'notes', kind: 'private', owner: user.id, members: [user.id] });
  await signIn(page, server, user);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await page.getByRole('button', { name: /notes/ }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('a draft I have not finished');
  await page.getByRole('button', { name: /general/ }).click();

  // Changing the password elsewhere revokes every token issued before (PocketBase rotates tokenKey).
  const elsewhere = await apiAs(server, user);
  await elsewhere.collection('users').update(user.id, {
    oldPassword: user.password,
    password: 'a-brand-new-password',
    passwordConfirm: 'a-brand-new-password',
  });

  await send(page, 'sent after my session was revoked');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Your session has ended.')).toBeVisible();
  await expect(page.getByLabel('Username or email')).toHaveValue(user.username);

  await page.getByLabel('Password', { exact: true }).fill('a-brand-new-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const article = messageLog(page).getByRole('article').filter({ hasText: 'sent after my session was revoked' });
  await expect(article).toBeVisible();
  await expect(article).not.toContainText('Sending…');
  await expect(article).not.toContainText('Not sent');
  const api = await apiAs(server, { username: user.username, password: 'a-brand-new-password' });
  expect(
    await api.collection('messages').getFullList({ filter: 'text = "sent after my session was revoked"' }),
  ).toHaveLength(1);
  await page.getByRole('button', { name: /notes/ }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('a draft I have not finished');
});
