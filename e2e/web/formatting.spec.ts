// Formatting in real Chromium, where DOMPurify has a real DOM: what people write in chat is drawn as
// markdown (bold, code blocks with Copy, quotes, lists, https links opened through the app), the XSS
// corpus posted through the API runs nothing and leaves no handler, image or non-https link in the page,
// and a message shows as plain text when the markdown chunk cannot be fetched.
import type { Page } from '@playwright/test';
import { XSS_PAYLOADS } from '../../src-renderer/src/lib/markdown-xss-corpus.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

/** Links the app opened (the web build opens them with window.open), and a flag a payload would set. */
async function watchPage(page: Page) {
  await page.addInitScript(() => {
    const opened: string[] = [];
    Object.assign(window, { __opened: opened });
    window.open = (url?: string | URL) => {
      opened.push(String(url));
      return null;
    };
  });
}

async function openRoom(page: Page, name: string) {
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

const FORMATTED = [
  '**Release** is _today_, ~~tomorrow~~ with `npm run dist`:',
  '```',
  'if (ready) {',
  '    ship();   // keep   the spaces',
  '}',
  '```',
  '> quoted from the plan',
  '',
  '- first step',
  '- second step',
  '',
  '1. one',
  '2. two',
  '',
  '# Not a document heading',
  'Docs at [the handbook](https://example.com/handbook) or https://example.com/raw',
].join('\n');

test('chat markdown is drawn: emphasis, a code block with Copy, a quote, lists and links', async ({
  page,
  context,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('fmt');
  const room = await roomWith(server, me, [], { name: `fmt-${me.username}` });
  await room.api.collection('messages').create({ text: 'plain words stay plain', room: room.id, user: me.id });
  await room.api.collection('messages').create({ text: FORMATTED, room: room.id, user: me.id });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await watchPage(page);
  await signIn(page, server, me);
  await openRoom(page, room.name);

  const log = messageLog(page);
  const message = log.getByRole('article').filter({ hasText: 'Release' });
  const body = message.locator('.text.formatted');
  await expect(body).toBeVisible();
  await expect(body.locator('strong').first()).toHaveText('Release');
  await expect(body.locator('em')).toHaveText('today');
  await expect(body.locator('s')).toHaveText('tomorrow');
  await expect(body.locator('p code')).toHaveText('npm run dist');
  await expect(body.locator('pre')).toHaveText('if (ready) {\n    ship();   // keep   the spaces\n}\n');
  await expect(body.locator('pre')).toHaveCSS('white-space', 'pre');
  await expect(body.locator('pre')).toHaveCSS('overflow-x', 'auto');
  await expect(body.locator('blockquote')).toHaveText('quoted from the plan');
  await expect(body.locator('ul > li')).toHaveText(['first step', 'second step']);
  await expect(body.locator('ol > li')).toHaveText(['one', 'two']);
  // A heading is bold text: the screen's heading outline is the app's, not the message's.
  await expect(log.locator('h1, h2, h3, h4, h5, h6')).toHaveCount(0);
  await expect(body.locator('strong', { hasText: 'Not a document heading' })).toBeVisible();
  // A link whose words do not say where it goes shows the host beside it.
  await expect(body.getByRole('link', { name: 'the handbook' })).toHaveAttribute(
    'href',
    'https://example.com/handbook',
  );
  await expect(body.locator('.real-host')).toHaveText('opens example.com');

  // A message without markup is drawn exactly as before: one paragraph of text.
  const plain = log.getByRole('article').filter({ hasText: 'plain words stay plain' });
  await expect(plain.locator('p.text')).toHaveText('plain words stay plain');
  await expect(plain.locator('.formatted')).toHaveCount(0);

  // Copy puts the code, whitespace and all, on the clipboard, and says so.
  await body.getByRole('button', { name: 'Copy code' }).click();
  await expect(body.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'if (ready) {\n    ship();   // keep   the spaces\n}\n',
  );

  // Links open through the app (the bridge), never by the page following them.
  await body.getByRole('link', { name: 'the handbook' }).click();
  await body.getByRole('link', { name: 'https://example.com/raw' }).click();
  expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual([
    'https://example.com/handbook',
    'https://example.com/raw',
  ]);
  await expect(page).toHaveURL(new RegExp(`^${server.url}`));

  await page.mouse.move(0, 0);
  await shootThemes(page, 'formatting', 'formatted-message');
  await expectAccessible(page, 'a room with formatted messages');
});

test('a message shows as plain text when the markdown chunk cannot be fetched', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('fmtoff');
  const room = await roomWith(server, me, [], { name: `fmtoff-${me.username}` });
  await room.api.collection('messages').create({ text: 'still **readable** offline', room: room.id, user: me.id });
  await page.route('**/assets/markdown-sanitize-*.js', (route) => route.abort('internetdisconnected'));
  await signIn(page, server, me);
  await openRoom(page, room.name);
  const message = messageLog(page).getByRole('article').filter({ hasText: 'readable' });
  await expect(message.locator('p.text')).toHaveText('still **readable** offline');
  await expect(message.locator('.formatted')).toHaveCount(0);
});

test('the XSS corpus runs nothing and leaves no handler, image or non-https link', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('xss');
  const room = await roomWith(server, me, [], { name: `xss-${me.username}` });
  for (const text of XSS_PAYLOADS) await room.api.collection('messages').create({ text, room: room.id, user: me.id });
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url)) outside.push(request.url());
  });
  await watchPage(page);
  await signIn(page, server, me);
  await openRoom(page, room.name);

  const log = messageLog(page);
  await expect(log.getByRole('article')).toHaveCount(XSS_PAYLOADS.length);
  // The first page was sanitised as one batch (lib/markdown-sanitize.ts formatMessages); the same corpus
  // arriving live, each with a line of its own so it is not the formatted text kept from the page, goes
  // through the one-message path.
  for (const text of XSS_PAYLOADS)
    await room.api.collection('messages').create({ text: `${text}\n\nlive`, room: room.id, user: me.id });
  await expect(log.getByRole('article')).toHaveCount(2 * XSS_PAYLOADS.length);
  // The formatter has loaded and drawn the corpus (most payloads carry formatting around the attack).
  await expect.poll(() => log.locator('.text.formatted').count()).toBeGreaterThan(XSS_PAYLOADS.length);
  // Let any handler that slipped through have its chance: point at and focus every element.
  for (const link of await log.locator('.text a').all()) await link.hover();

  const found = await log.evaluate((root) => {
    const texts = [...root.querySelectorAll('.text')];
    const elements = texts.flatMap((text) => [...text.querySelectorAll('*')]);
    return {
      handlers: elements.flatMap((element) =>
        [...element.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${element.tagName} ${a.name}`),
      ),
      hrefs: elements.map((element) => element.getAttribute('href')).filter((href) => href !== null),
      forbidden: elements
        .filter((e) => /^(img|iframe|object|embed|style|script|svg|math|link|meta|form|input|h\d)$/i.test(e.tagName))
        .map((e) => e.outerHTML),
      srcs: elements.filter((e) => e.hasAttribute('src') || e.hasAttribute('style')).map((e) => e.outerHTML),
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    };
  });
  expect(found.pwned).toBeUndefined();
  expect(found.handlers).toEqual([]);
  expect(found.forbidden).toEqual([]);
  expect(found.srcs).toEqual([]);
  for (const href of found.hrefs) expect(new URL(href).protocol, href).toBe('https:');
  expect(found.hrefs.length).toBeGreaterThan(0);
  // Nothing was opened by pointing at things, and nothing was fetched from anywhere but the server.
  expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual([]);
  expect(outside).toEqual([]);
});

test('Up in an empty composer edits your last message; with text in it, Up stays in the text', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('upedit');
  const pal = await makeAccount('uppal');
  const room = await roomWith(server, me, [pal], { name: `upedit-${me.username}` });
  await room.api.collection('messages').create({ text: 'my older one', room: room.id, user: me.id });
  await room.api.collection('messages').create({ text: 'my last one', room: room.id, user: me.id });
  const palApi = await apiAs(server, pal);
  await palApi.collection('messages').create({ text: 'pal wrote after', room: room.id, user: pal.id });
  await signIn(page, server, me);
  await openRoom(page, room.name);
  const log = messageLog(page);
  await expect(log.getByText('pal wrote after')).toBeVisible();

  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('not empty');
  await composer.press('ArrowUp');
  await expect(page.getByRole('textbox', { name: 'Edit message' })).toHaveCount(0);
  await expect(composer).toBeFocused();

  await composer.fill('');
  await composer.press('ArrowUp');
  const editor = page.getByRole('textbox', { name: 'Edit message' });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue('my last one');
  await editor.fill('my last one, **fixed**');
  await editor.press('Enter');
  const edited = log.getByRole('article').filter({ hasText: 'my last one' });
  await expect(edited.locator('.formatted strong')).toHaveText('fixed');
  await expect(edited.getByText('(edited)')).toBeVisible();
  await shootThemes(page, 'formatting', 'edited-formatted', edited);
  await expect(log.getByRole('article').filter({ hasText: 'my older one' }).locator('p.text')).toHaveText(
    'my older one',
  );
});
