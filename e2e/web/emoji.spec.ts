// Emoji: drawn with the Noto Color Emoji shipped with the app (Debian's Chromium here has no colour emoji
// font, so without it `🙂` is an empty box), `:shortcode:` in the composer, and the picker.
import type { Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });

/** The Noto faces the page has fetched, by the ranges they cover, and whether they draw `text`. */
function emojiFont(page: Page, text: string) {
  return page.evaluate(async (sample) => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter((face) => face.family.replace(/"/g, '') === 'Noto Color Emoji');
    return {
      faces: faces.length,
      loaded: faces.filter((face) => face.status === 'loaded').map((face) => face.unicodeRange),
      drawn: document.fonts.check('16px "Noto Color Emoji"', sample),
    };
  }, text);
}

test('the demo text renders its emoji with the shipped font, fetched from the app itself', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('emojifont');
  const api = await apiAs(server, me);
  const general = await api.collection('rooms').getFirstListItem('name = "general"');
  const fonts: string[] = [];
  page.on('response', (response) => {
    if (/\.woff2?$/.test(new URL(response.url()).pathname)) fonts.push(`${response.status()} ${response.url()}`);
  });
  await signIn(page, server, me);
  // Letters alone fetch no emoji font: its faces are split by unicode-range.
  expect(await emojiFont(page, 'a')).toMatchObject({ loaded: [] });

  await api.collection('messages').create({ room: general.id, user: me.id, text: 'Hi all 🙂' });
  const message = messageLog(page).getByText('Hi all 🙂');
  await expect(message).toBeVisible();
  await expect.poll(async () => (await emojiFont(page, '🙂')).loaded.join(' ')).toContain('U+1F600-1F644');
  const font = await emojiFont(page, '🙂');
  expect(font.faces).toBeGreaterThan(5);
  expect(font.drawn).toBe(true);
  // One subset, from the app's own origin (the CSP allows fonts from 'self' only).
  expect(fonts).toHaveLength(1);
  expect(fonts[0]).toMatch(new RegExp(`^200 ${server.url}/assets/noto-color-emoji-\\d+-400-normal-[\\w-]+\\.woff$`));
  // The page really draws it, in colour: a screenshot of the message's text has coloured pixels, where
  // an empty box or a face the browser cannot draw leaves only grey ones (the text's colours).
  const shot = (await message.screenshot()).toString('base64');
  const coloured = await page.evaluate(async (png) => {
    // Decoded here, not fetched: the app's CSP allows no data: URLs to connect to.
    const bytes = Uint8Array.from(atob(png), (char) => char.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) count++;
    }
    return count;
  }, shot);
  expect(coloured).toBeGreaterThan(40);

  await shootThemes(page, 'emoji', 'message-with-emoji', messageLog(page));
});

test('`:shortcode:` becomes its emoji when the closing colon is typed, never inside code', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('emojicode');
  await signIn(page, server, me);
  const field = composer(page);
  await field.pressSequentially('party :tada:');
  await expect(field).toHaveValue('party 🎉');
  await field.pressSequentially(' `keep :tada:` 10:30 :nope: :+1:');
  await expect(field).toHaveValue('party 🎉 `keep :tada:` 10:30 :nope: 👍');
  await field.press('Enter');
  await expect(messageLog(page).getByText('party 🎉')).toBeVisible();
  await expect(messageLog(page)).toContainText(':tada:');
});

test('the picker: search, arrow keys, Enter inserts at the caret, recently used first, Esc gives the focus back', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('emojipick');
  await signIn(page, server, me);
  const field = composer(page);
  await field.fill('ab');
  await field.press('ArrowLeft');

  const open = page.getByRole('button', { name: 'Emoji', exact: true });
  await open.click();
  const picker = page.getByRole('dialog', { name: 'Emoji' });
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await expect(picker.getByRole('button', { name: 'grinning face', exact: true })).toBeVisible();
  await shootThemes(page, 'emoji', 'picker');
  await expectAccessible(page, 'emoji picker');

  await page.keyboard.type('thumbs');
  await expect(picker.getByRole('heading', { name: 'Search results' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(picker.getByRole('button', { name: 'thumbs up', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(picker.getByRole('button', { name: 'thumbs down', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(field).toHaveValue('a👍\uFE0Fb');
  await expect(field).toBeFocused();
  await page.keyboard.type('!');
  await expect(field).toHaveValue('a👍\uFE0F!b');

  // Recently used comes first, and is kept on this device across reloads.
  await page.reload();
  await open.click();
  await expect(picker.getByRole('heading').first()).toHaveText('Recently used');
  await expect(picker.getByRole('region', { name: 'Recently used' }).getByRole('button')).toHaveText(['👍\uFE0F']);
  await picker.getByRole('searchbox').fill('zzzz');
  await expect(picker.getByRole('status')).toHaveText('No emoji match “zzzz”.');
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(open).toBeFocused();
});
