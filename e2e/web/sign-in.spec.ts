// The sign-in and sign-up screen: each mistake gets its own message next to the field it concerns.
import { apiAs, expect, test } from '../fixtures.ts';

test.describe('signing in', () => {
  test('a wrong password is named next to the password', async ({ page, server, makeAccount }) => {
    const account = await makeAccount('wrong');
    await page.goto(server.url);
    await page.getByLabel('Username or email').fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill('not-my-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#password-error')).toHaveText('Wrong username, email or password.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  });

  test('an unreachable server is named next to the server field', async ({ page, server }) => {
    await page.goto(server.url);
    await page.getByLabel('Server', { exact: true }).fill('http://127.0.0.1:9');
    await page.getByLabel('Username or email').fill('anyone');
    await page.getByLabel('Password', { exact: true }).fill('whatever-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#server-error')).toContainText("Can't reach a Palaver server at http://127.0.0.1:9");
  });

  test('empty fields are named before anything is sent', async ({ page, server }) => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#identity-error')).toHaveText('Enter your username or email.');
    await expect(page.locator('#password-error')).toHaveText('Enter your password.');
  });

  test('works with the email as well as the username', async ({ page, server, makeAccount }) => {
    const account = await makeAccount('byemail');
    await page.goto(server.url);
    await page.getByLabel('Username or email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(account.username) })).toBeVisible();
  });
});

test.describe('creating an account', () => {
  test('a taken username, a weak password and a mismatched confirmation each get their own message', async ({
    page,
    server,
    makeAccount,
  }) => {
    const existing = await makeAccount('taken');
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Email').fill(`new-${Date.now()}@palaver.test`);
    await page.getByLabel('Username').fill(existing.username.toUpperCase());
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('different');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#password-error')).toHaveText('Use at least 8 characters.');
    await expect(page.locator('#passwordConfirm-error')).toHaveText('The passwords do not match.');

    await page.getByLabel('Password', { exact: true }).fill('a-good-long-password');
    await page.getByLabel('Confirm password').fill('a-good-long-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#username-error')).toHaveText('This username is taken.');
    await expect(page.locator('#password-error')).toHaveCount(0);
  });

  test('an email that already has an account is answered like any other: signed in by the new username', async ({
    page,
    server,
    makeAccount,
  }) => {
    const existing = await makeAccount('owner');
    const username = `prober${Date.now() % 1_000_000}`;
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/mail you a link to confirm it/);
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill('a-good-long-password');
    await page.getByLabel('Confirm password').fill('a-good-long-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
    await expect(page.locator('#email-error')).toHaveCount(0);
    // The address still belongs to its owner alone.
    const owner = await apiAs(server, { username: existing.email, password: existing.password });
    expect(owner.authStore.record?.id).toBe(existing.id);
  });

  test('a new account is signed in straight away', async ({ page, server }) => {
    const username = `fresh${Date.now() % 1_000_000}`;
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Email').fill(`${username}@palaver.test`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill('a-good-long-password');
    await page.getByLabel('Confirm password').fill('a-good-long-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '#general' })).toBeVisible();
  });
});
