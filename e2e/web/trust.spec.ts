// What lets a person trust what they see: a password never goes unencrypted across the internet
// without their say, a copied name never passes for someone else, text cannot turn the screen around
// it, and a link shows where it really goes.
import { expectAccessible } from '../axe.ts';
import { expect, test } from '../fixtures.ts';

// A public host reached over plain http. Every request the page makes to it is caught here, as an
// eavesdropper on the way would see it; the answers are what a PocketBase there would say.
const PUBLIC_HTTP = 'http://chat.example.test:8090';

test.describe('plain http to a public server', () => {
  test('sends nothing there, not even the reachability check, until the person accepts the risk', async ({
    page,
    server,
  }) => {
    const seen: { method: string; url: string; body: string }[] = [];
    await page.route('http://chat.example.test:8090/**', (route) => {
      const request = route.request();
      seen.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' });
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': '*',
      };
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      const health = request.url().endsWith('/api/health');
      return route.fulfill({
        status: health ? 200 : 400,
        headers: cors,
        contentType: 'application/json',
        body: JSON.stringify(
          health
            ? { code: 200, message: 'API is healthy.', data: {} }
            : { status: 400, message: 'Failed to authenticate.', data: {} },
        ),
      });
    });

    await page.goto(server.url);
    await page.getByLabel('Server').fill(PUBLIC_HTTP);
    await page.getByLabel('Username or email').fill('victim');
    await page.getByLabel('Password', { exact: true }).fill('my-secret-password');
    const consent = page.getByLabel(`Send my password unencrypted to ${PUBLIC_HTTP}`);
    await expect(consent).not.toBeChecked();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#server-error')).toHaveText(
      `${PUBLIC_HTTP} is not encrypted: anyone on the way can read your password. Use https://, or confirm below.`,
    );
    await expect(page.getByLabel('Server')).toHaveAttribute('aria-invalid', 'true');
    // Nothing typed is lost while the person decides.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('my-secret-password');
    await expectAccessible(page, 'sign-in asking before a password goes over plain http');
    expect(seen, 'requests to the public http server before consent').toEqual([]);

    // A consent given for one address does not carry over to another.
    await consent.check();
    await page.getByLabel('Server').fill('http://other.example.test');
    await expect(page.getByLabel('Send my password unencrypted to http://other.example.test')).not.toBeChecked();
    await page.getByLabel('Server').fill(PUBLIC_HTTP);
    await expect(consent).not.toBeChecked();
    expect(seen).toEqual([]);

    // Accepted: now, and only now, the password goes there: this is what the check held back.
    await consent.check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#password-error')).toBeVisible();
    expect(seen.some((r) => r.body.includes('my-secret-password'))).toBe(true);
  });

  test('a typed name without a scheme is reached over https, and loopback over http without asking', async ({
    page,
    server,
  }) => {
    const plain: string[] = [];
    await page.route('http://chat.example.test/**', (route) => {
      plain.push(route.request().url());
      return route.abort();
    });
    await page.route('https://chat.example.test/**', (route) => route.abort('connectionrefused'));
    await page.goto(server.url);
    await page.getByLabel('Server').fill('chat.example.test');
    await page.getByLabel('Username or email').fill('victim');
    await page.getByLabel('Password', { exact: true }).fill('my-secret-password');
    await expect(page.getByLabel(/Send my password unencrypted/)).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#server-error')).toContainText(
      "Can't reach a Palaver server at https://chat.example.test",
    );
    expect(plain).toEqual([]);

    // The test server itself is on 127.0.0.1: local, so plain http needs no consent.
    await page.getByLabel('Server').fill(server.url);
    await expect(page.getByLabel(/Send my password unencrypted/)).toHaveCount(0);
  });
});
