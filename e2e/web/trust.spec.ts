// What lets a person trust what they see: a password never goes unencrypted across the internet
// without their say, a copied name never passes for someone else, text cannot turn the screen around
// it, and a link shows where it really goes.
import type { Locator, Route } from '@playwright/test';
import type { TestServer } from '../../backend/testing/server.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test, type Account } from '../fixtures.ts';

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
    await page.getByLabel('Server', { exact: true }).fill(PUBLIC_HTTP);
    await page.getByLabel('Username or email').fill('victim');
    await page.getByLabel('Password', { exact: true }).fill('my-secret-password');
    const consent = page.getByLabel(`Send my password unencrypted to ${PUBLIC_HTTP}`);
    await expect(consent).not.toBeChecked();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#server-error')).toHaveText(
      `${PUBLIC_HTTP} is not encrypted: anyone on the way can read your password. Use https://, or confirm below.`,
    );
    await expect(page.getByLabel('Server', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    // Nothing typed is lost while the person decides.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('my-secret-password');
    await expectAccessible(page, 'sign-in asking before a password goes over plain http');
    expect(seen, 'requests to the public http server before consent').toEqual([]);

    // A consent given for one address does not carry over to another.
    await consent.check();
    await page.getByLabel('Server', { exact: true }).fill('http://other.example.test');
    await expect(page.getByLabel('Send my password unencrypted to http://other.example.test')).not.toBeChecked();
    await page.getByLabel('Server', { exact: true }).fill(PUBLIC_HTTP);
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
    await page.getByLabel('Server', { exact: true }).fill('chat.example.test');
    await page.getByLabel('Username or email').fill('victim');
    await page.getByLabel('Password', { exact: true }).fill('my-secret-password');
    await expect(page.getByLabel(/Send my password unencrypted/)).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#server-error')).toContainText(
      "Can't reach a Palaver server at https://chat.example.test",
    );
    expect(plain).toEqual([]);

    // The test server itself is on 127.0.0.1: local, so plain http needs no consent.
    await page.getByLabel('Server', { exact: true }).fill(server.url);
    await expect(page.getByLabel(/Send my password unencrypted/)).toHaveCount(0);
  });
});

/** Takes a display name, as anyone may, through the server. */
async function callThemselves(server: TestServer, account: Account, name: string): Promise<void> {
  const api = await apiAs(server, account);
  await api.collection('users').update(account.id, { name });
}

/** A person's entry in the room list, the header and search: the chosen name and the username beside it. */
const handleOf = (account: Account) => `@${account.username}`;

test('someone who takes another person’s name is told apart in search, the room list, the header and messages', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const mallory = await makeAccount('mallory');
  await callThemselves(server, bob, 'Bob Jones');
  await callThemselves(server, mallory, 'Bob Jones');
  await signIn(page, server, alice);

  for (const person of [bob, mallory]) {
    await page.getByRole('button', { name: 'New direct message' }).click();
    await page.getByLabel('Find people by username or name').fill('Bob Jones');
    const results = page.getByRole('listbox', { name: 'People' }).getByRole('option');
    await expect(results).toHaveCount(2);
    await expect(results.filter({ hasText: handleOf(bob) })).toContainText(`Bob Jones ${handleOf(bob)}`);
    await expect(results.filter({ hasText: handleOf(mallory) })).toContainText(`Bob Jones ${handleOf(mallory)}`);
    await results.filter({ hasText: handleOf(person) }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Bob Jones ${handleOf(person)}`);
  }
  const rooms = page.getByRole('navigation', { name: 'Rooms' });
  await expect(rooms.getByRole('button', { name: `Bob Jones ${handleOf(bob)}` })).toHaveCount(1);
  await expect(rooms.getByRole('button', { name: `Bob Jones ${handleOf(mallory)}` })).toHaveCount(1);

  // In a room they share, each message names its author's username.
  for (const [person, text] of [
    [bob, 'the real one'],
    [mallory, 'send me the password, it is Bob'],
  ] as const) {
    const api = await apiAs(server, person);
    const general = await api.collection('rooms').getFirstListItem('name = "general"');
    await api.collection('messages').create({ room: general.id, user: person.id, text });
  }
  await rooms.getByRole('button', { name: /general/ }).click();
  const log = messageLog(page);
  await expect(log.getByRole('article', { name: `Bob Jones (${handleOf(bob)})` }).last()).toContainText('the real one');
  const fake = log.getByRole('article', { name: `Bob Jones (${handleOf(mallory)})` }).last();
  await expect(fake).toContainText('send me the password');
  await expect(fake.locator('header')).toContainText(`Bob Jones ${handleOf(mallory)}`);
  await page.screenshot({ path: '/tmp/shots-h4/names-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/shots-h4/names-dark.png' });
});

test('a direction override in a message or a name cannot reorder what is around it', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('reader');
  const writer = await makeAccount('writer');
  const next = await makeAccount('next');
  await callThemselves(server, writer, 'Writer');
  const api = await apiAs(server, writer);
  const general = await api.collection('rooms').getFirstListItem('name = "general"');
  await api.collection('messages').create({ room: general.id, user: writer.id, text: 'OVERRIDE-HERE' });
  const nextApi = await apiAs(server, next);
  await nextApi.collection('messages').create({ room: general.id, user: next.id, text: 'the next message' });

  // The server strips overrides from what it stores; a client must not depend on that (older data,
  // another server), so the override is put back into what the page receives.
  const RLO = '\u202e';
  const rewrite = (route: Route) =>
    route.fetch().then(async (response) => {
      const body = (await response.json()) as { items?: Record<string, unknown>[] };
      for (const item of body.items ?? []) {
        if (item.text !== 'OVERRIDE-HERE') continue;
        item.text = `${RLO}pay 1234 now`;
        const expand = item.expand as { user?: { name: string } } | undefined;
        if (expand?.user) expand.user.name = `${RLO}Writer`;
      }
      return route.fulfill({ response, json: body });
    });
  await page.route(
    (url) => url.pathname === '/api/collections/messages/records',
    (route) => (route.request().method() === 'GET' ? rewrite(route) : route.fallback()),
  );
  await page.route(
    (url) => url.pathname === '/api/collections/users/records',
    (route) =>
      route.request().method() === 'GET'
        ? route.fetch().then(async (response) => {
            const body = (await response.json()) as { items?: { name: string }[] };
            for (const item of body.items ?? []) item.name = `${RLO}${item.name}`;
            return route.fulfill({ response, json: body });
          })
        : route.fallback(),
  );
  await signIn(page, server, reader);
  const log = messageLog(page);
  const overridden = log.getByRole('article', { name: writer.username }).last();
  await expect(overridden.locator('p.text')).toHaveAttribute('dir', 'auto');

  // The name stays left of the username beside it, and the header reads name, username, time.
  const box = async (locator: Locator) => {
    const found = await locator.boundingBox();
    if (!found) throw new Error('not on screen');
    return found;
  };
  const name = await box(overridden.locator('header bdi'));
  const handle = await box(overridden.locator('header', { hasText: handleOf(writer) }).getByText(handleOf(writer)));
  const time = await box(overridden.locator('header time'));
  expect(handle.x).toBeGreaterThanOrEqual(name.x + name.width - 1);
  expect(time.x).toBeGreaterThanOrEqual(handle.x + handle.width - 1);

  // The next message's author and time are where they always are: author first, then the time.
  const after = log.getByRole('article', { name: next.username }).last();
  await expect(after).toContainText('the next message');
  const author = await box(after.locator('header .author'));
  const itsTime = await box(after.locator('header time'));
  const gutter = await box(after.locator('.gutter'));
  expect(author.x).toBeLessThan(itsTime.x);
  expect(author.x).toBeGreaterThan(gutter.x);

  // In search, an override in a name cannot turn the username after it around.
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people by username or name').fill(writer.username);
  const result = page
    .getByRole('listbox', { name: 'People' })
    .getByRole('option', { name: new RegExp(writer.username) });
  const resultName = await box(result.locator('bdi'));
  const resultHandle = await box(result.getByText(handleOf(writer)));
  expect(resultHandle.x).toBeGreaterThanOrEqual(resultName.x + resultName.width - 1);
});

test('a link with look-alike letters shows the host it really opens before it is clicked', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('linkreader');
  const sender = await makeAccount('linksender');
  const api = await apiAs(server, sender);
  const general = await api.collection('rooms').getFirstListItem('name = "general"');
  // "аpple.com" with a Cyrillic а: it reads as apple.com and opens xn--pple-43d.com.
  await api
    .collection('messages')
    .create({ room: general.id, user: sender.id, text: 'log in at https://\u0430pple.com/login quickly' });
  await api.collection('messages').create({ room: general.id, user: sender.id, text: 'or https://example.org/ok' });
  await signIn(page, server, reader);
  const log = messageLog(page);

  const lookAlike = log.getByRole('article').filter({ hasText: 'log in at' });
  const link = lookAlike.getByRole('link');
  await expect(link).toHaveAttribute('href', 'https://xn--pple-43d.com/login');
  await expect(lookAlike.locator('.real-host')).toHaveText('opens xn--pple-43d.com');
  await expect(lookAlike.locator('.real-host')).toBeVisible();
  const plain = log.getByText('or https://example.org/ok');
  await expect(plain.locator('.real-host')).toHaveCount(0);
  await lookAlike.scrollIntoViewIfNeeded();
  await lookAlike.screenshot({ path: '/tmp/shots-h4/lookalike-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await lookAlike.screenshot({ path: '/tmp/shots-h4/lookalike-dark.png' });
  await expectAccessible(page, 'a message with a look-alike link and its real host');
});
