// Names and the profile, as people meet them: a display name asked at sign-up and shown to others with
// the @username beside it; a Profile dialog from the account menu for the name, the picture (checked
// before it is uploaded, previewed before it is saved) and the theme (applied at once, remembered).
import type { Page } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, personIn, send, signIn, test, type Account } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';
import { shootThemes, shotPath } from '../screenshots.ts';

async function shoot(page: Page, name: string) {
  await shootThemes(page, 'profile', name);
}

/** A small real PNG, written here: a square of one colour, `size` pixels wide. */
function png(size: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const roomButton = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: new RegExp(name) });

async function openProfile(page: Page) {
  await page.getByRole('button', { name: /@/ }).first().click();
  await page.getByRole('menu', { name: 'Account' }).getByRole('menuitem', { name: 'Profile' }).click();
  const dialog = page.getByRole('dialog', { name: 'Profile' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a display name given at sign-up is what others see on messages, with the @username beside it', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  const bob = await makeAccount('bob');
  const username = `dana${process.pid % 10000}`;
  const password = 'dana-long-password';

  await page.goto(server.url);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Email').fill(`${username}@palaver.test`);
  await page.getByLabel('Username').fill(username);
  const nameField = page.getByLabel('Display name');
  // Too long is said next to the field before anything is sent; the rest of the form stays as typed.
  await nameField.fill('D'.repeat(65));
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use at most 64 characters (this name has 65).')).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await nameField.fill('Dana Scully');
  await expect(page.getByText(/Use at most 64 characters/)).toHaveCount(0);
  await expect(nameField).toHaveAccessibleDescription(/Optional\. People see it with your @username beside it/);
  await shoot(page, 'sign-up-with-name');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(messageLog(page)).toBeVisible();
  await expect(page.getByRole('button', { name: /Dana Scully/ }).first()).toContainText(`@${username}`);

  // Bob and Dana share a room; Bob sees her chosen name and her username on her message.
  const danaApi = await apiAs(server, { username, password });
  const dana: Account = { username, password, email: '', id: danaApi.authStore.record!.id };
  expect(danaApi.authStore.record?.name).toBe('Dana Scully');
  const room = await roomWith(server, bob, [dana], { name: `names-${process.pid}` });
  await page.reload();
  await roomButton(page, room.name).click();
  await send(page, 'Hello from Dana');

  const bobPage = await personIn(browser, server, bob);
  await roomButton(bobPage, room.name).click();
  const article = messageLog(bobPage).getByRole('article', { name: `Dana Scully (@${username})` });
  await expect(article).toContainText('Hello from Dana');
  await expect(article.getByText(`@${username}`)).toBeVisible();
  await send(bobPage, 'Hi Dana');
  await expect(messageLog(bobPage).getByRole('article', { name: bob.username })).toContainText('Hi Dana');
  await shoot(bobPage, 'conversation-with-names');
  await bobPage.context().close();
});

test('Profile: a new name, picture and the dark theme apply at once and survive a reload', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const room = await roomWith(server, alice, [], { name: `profile-${process.pid}` });
  await signIn(page, server, alice);
  await roomButton(page, room.name).click();
  await send(page, 'before the rename');
  await expect(messageLog(page).getByRole('article', { name: alice.username })).toHaveCount(1);

  const dialog = await openProfile(page);
  await expect(dialog.getByLabel('Display name')).toBeFocused();
  await expectAccessible(page, 'Profile dialog');
  await shoot(page, 'profile-dialog');
  await page.setViewportSize({ width: 400, height: 760 });
  await page.screenshot({ path: shotPath('profile', 'profile-dialog-400px-light') });
  await page.setViewportSize({ width: 1200, height: 760 });

  await dialog.getByLabel('Display name').fill('Alice Liddell');
  await page
    .locator('#profile-avatar')
    .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png(48, [220, 80, 40]) });
  const preview = dialog.getByRole('img', { name: /Preview of your new avatar/ });
  await expect(preview).toBeVisible();
  // The preview shows the file itself, drawn by the browser: it decoded, nothing was uploaded yet.
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await expect(dialog.getByText('New picture chosen: it is saved when you save.')).toBeVisible();

  // The theme applies the moment it is chosen, whatever the system says.
  await page.emulateMedia({ colorScheme: 'light' });
  await dialog.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectAccessible(page, 'Profile dialog, dark chosen, with a new picture', ['light']);
  await page.screenshot({ path: shotPath('profile', 'profile-dialog-chosen-dark') });

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  // Everywhere at once: the account menu and the message already on screen.
  const me = page.getByRole('button', { name: /Alice Liddell/ }).first();
  await expect(me).toContainText(`@${alice.username}`);
  await expect(me.locator('img')).toHaveAttribute('src', /\/api\/files\/.+\.png\?thumb=80x80/);
  await expect(messageLog(page).getByRole('article', { name: `Alice Liddell (@${alice.username})` })).toContainText(
    'before the rename',
  );
  await expect(me).toBeFocused();

  const stored = await (await apiAs(server, alice)).collection('users').getOne(alice.id);
  expect(stored.name).toBe('Alice Liddell');
  expect(stored.avatar).toMatch(/\.png$/);

  await page.reload();
  await expect(messageLog(page)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(245, 246, 248)');
  await expect(
    page
      .getByRole('button', { name: /Alice Liddell/ })
      .first()
      .locator('img'),
  ).toBeVisible();
  await page.screenshot({ path: shotPath('profile', 'after-reload-dark') });

  // Back to following the system: the system's scheme decides again.
  const again = await openProfile(page);
  await expect(again.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await again.getByRole('radio', { name: 'System' }).check();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // Removing the picture is a change like any other: shown now, stored on Save.
  await again.getByRole('button', { name: 'Remove picture' }).click();
  await expect(again.getByText('Your picture is removed when you save.')).toBeVisible();
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(again).toHaveCount(0);
  await expect(
    page
      .getByRole('button', { name: /Alice Liddell/ })
      .first()
      .locator('img'),
  ).toHaveCount(0);
  expect((await (await apiAs(server, alice)).collection('users').getOne(alice.id)).avatar).toBe('');
});

test('Profile: a picture that is not allowed is refused before any upload, and the name typed stays', async ({
  page,
  server,
  makeAccount,
}) => {
  const carol = await makeAccount('carol');
  await signIn(page, server, carol);
  const writes: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET' && request.url().includes('/api/collections/users/records/')) {
      writes.push(request.url());
    }
  });
  const dialog = await openProfile(page);
  await dialog.getByLabel('Display name').fill('Carol Keeps This');
  const avatar = page.locator('#profile-avatar');
  const error = dialog.locator('#profile-avatar-error');

  await avatar.setInputFiles({
    name: 'logo.svg',
    mimeType: 'image/svg+xml',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  });
  await expect(error).toHaveText('“logo.svg” is not a JPEG, PNG, GIF or WebP picture. Choose one of those.');
  await expect(dialog.getByRole('button', { name: 'Choose picture…' })).toHaveAccessibleDescription(/logo\.svg/);

  const big = Buffer.concat([png(8, [0, 0, 0]), Buffer.alloc(3 * 1024 * 1024)]);
  await avatar.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
  await expect(error).toHaveText('“huge.png” is 3 MB; a picture can be at most 2 MB. Choose a smaller one.');
  await expectAccessible(page, 'Profile dialog with a picture error', ['light']);
  await shoot(page, 'profile-picture-error');

  // A file whose name and type say PNG but whose content is not one: the preview cannot draw it.
  await avatar.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
  await expect(error).toHaveText('“fake.png” could not be shown as a picture. Choose another.');
  await expect(dialog.getByRole('img', { name: /Preview/ })).toHaveCount(0);

  // A good one clears the error.
  await avatar.setInputFiles({ name: 'ok.png', mimeType: 'image/png', buffer: png(16, [40, 120, 220]) });
  await expect(error).toHaveCount(0);
  await expect(dialog.getByLabel('Display name')).toHaveValue('Carol Keeps This');
  expect(writes).toEqual([]);

  // A name over the limit: said next to the field, cleared as it is fixed; nothing typed is lost.
  await dialog.getByLabel('Display name').fill('C'.repeat(70));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Use at most 64 characters (this name has 70).')).toBeVisible();
  await expect(dialog.getByLabel('Display name')).toBeFocused();
  await expect(dialog.getByRole('img', { name: /Preview/ })).toBeVisible();
  await dialog.getByLabel('Display name').press('Backspace');
  await expect(dialog.getByText(/Use at most 64 characters/)).toBeVisible();
  await dialog.getByLabel('Display name').fill('Carol');
  await expect(dialog.getByText(/Use at most 64 characters/)).toHaveCount(0);
  expect(writes).toEqual([]);

  // A refusal only the server can make comes back next to its field, with the form as it was.
  await page.route(
    (url) => url.pathname.startsWith('/api/collections/users/records/'),
    (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 400,
            json: {
              status: 400,
              message: 'The name was not accepted.',
              data: {
                name: { code: 'validation_name_characters', message: 'Names cannot contain control characters.' },
              },
            },
          })
        : route.fallback(),
  );
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.locator('#profile-name-error')).toHaveText('Names cannot contain control characters.');
  await expect(dialog.getByLabel('Display name')).toHaveValue('Carol');
  await expect(dialog.getByRole('img', { name: /Preview/ })).toBeVisible();
});
