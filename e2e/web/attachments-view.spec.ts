// Seeing files in a conversation: alice sends from her own client (the SDK), bob's open room shows them
// in real time. Thumbnails hold their space before they load, the lightbox moves with the arrow keys and
// closes with Esc, cards say name, size and type, downloads are links the server serves as attachments,
// and images still load after the first file token has expired.
import type { Page } from '@playwright/test';
import type PocketBase from 'pocketbase';
import { deflateSync } from 'node:zlib';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, signIn, test, type Account } from '../fixtures.ts';
import { shotPath } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of `width` x `height`: a diagonal gradient in `hue`, with a frame, so its shape shows. */
function png(width: number, height: number, hue: [number, number, number]): File {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const edge = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
      const t = (x / width + y / height) / 2;
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = edge ? 40 : Math.round(hue[c]! * (0.45 + 0.55 * t));
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return new File([new Uint8Array(bytes)], `${width}x${height}.png`, { type: 'image/png' });
}

function named(file: File, name: string): File {
  return new File([file], name, { type: file.type });
}

const PDF = new File(
  [
    '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
      'trailer <</Root 1 0 R>>\n%%EOF\n' +
      'x'.repeat(3000),
  ],
  'Quarterly report.pdf',
  { type: 'application/pdf' },
);

/** A second of WebM video, recorded from a canvas by the browser itself (no encoder on this machine). */
async function webm(page: Page): Promise<File> {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const context = canvas.getContext('2d')!;
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
    const parts: Blob[] = [];
    recorder.ondataavailable = (event) => parts.push(event.data);
    const done = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let frame = 0; frame < 25; frame++) {
      context.fillStyle = `hsl(${frame * 14} 70% 50%)`;
      context.fillRect(0, 0, 320, 180);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    recorder.stop();
    await done;
    return [...new Uint8Array(await new Blob(parts).arrayBuffer())];
  });
  return new File([new Uint8Array(bytes)], 'Demo clip.webm', { type: 'video/webm' });
}

async function post(api: PocketBase, room: string, user: string, text: string, files: File[]) {
  return api.collection('messages').create({ room, user, text, attachments: files });
}

const thumbnail = (page: Page, name: string) => messageLog(page).getByRole('button', { name: `Open image ${name}` });

async function box(page: Page, name: string) {
  const found = await thumbnail(page, name).boundingBox();
  return { width: Math.round(found!.width), height: Math.round(found!.height) };
}

async function loaded(page: Page, name: string): Promise<boolean> {
  return thumbnail(page, name)
    .locator('img')
    .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
}

async function setUp(server: Parameters<typeof roomWith>[0], alice: Account, bob: Account, name: string) {
  const room = await roomWith(server, alice, [bob], { name });
  return { room, api: await apiAs(server, alice) };
}

test('images arrive in real time as thumbnails holding their space; the lightbox, cards and downloads', async ({
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const { room, api } = await setUp(server, alice, bob, 'design-review');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, server, bob);
  await page.getByRole('button', { name: /design-review/ }).click();

  // Room thumbnails wait at the door until the boxes have been measured.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const thumbRequests: string[] = [];
  await page.route(
    (url) => url.searchParams.get('thumb') === '480x360f',
    async (route) => {
      thumbRequests.push(route.request().url());
      await gate;
      await route.continue();
    },
  );

  const video = await webm(page);
  await post(api, room.id, alice.id, 'Three screens and the report', [
    named(png(1200, 600, [80, 140, 230]), 'landscape.png'),
    named(png(300, 600, [230, 120, 60]), 'portrait.png'),
    named(png(16, 16, [60, 200, 120]), 'tiny.png'),
    PDF,
    video,
  ]);

  const article = messageLog(page).getByRole('article').filter({ hasText: 'Three screens and the report' });
  await expect(thumbnail(page, 'landscape.png')).toBeVisible();
  // Sized before a byte of the image arrived: the image's shape, scaled into 240x180, never up.
  expect(await box(page, 'landscape.png')).toEqual({ width: 240, height: 120 });
  expect(await box(page, 'portrait.png')).toEqual({ width: 90, height: 180 });
  expect(await box(page, 'tiny.png')).toEqual({ width: 16, height: 16 });
  expect(await loaded(page, 'landscape.png')).toBe(false);
  const before = await article.boundingBox();
  // Moving through messages by keyboard says what is attached.
  await expect(article).toHaveAccessibleName(
    /Three screens and the report Attached: landscape\.png, portrait\.png, tiny\.png, Demo clip\.webm, Quarterly report\.pdf$/,
  );

  release();
  await expect.poll(() => loaded(page, 'landscape.png')).toBe(true);
  await expect.poll(() => loaded(page, 'tiny.png')).toBe(true);
  // Nothing moved when they loaded.
  expect((await article.boundingBox())!.height).toBe(before!.height);
  expect(await box(page, 'portrait.png')).toEqual({ width: 90, height: 180 });
  // Each <img> asks for the room thumbnail with a file token, never the original.
  const landscapeSrc = new URL((await thumbnail(page, 'landscape.png').locator('img').getAttribute('src')) ?? '');
  expect(landscapeSrc.searchParams.get('thumb')).toBe('480x360f');
  expect(landscapeSrc.searchParams.get('token')).toBeTruthy();
  expect(thumbRequests.length).toBeGreaterThanOrEqual(3);
  await expect(thumbnail(page, 'portrait.png').locator('img')).toHaveAttribute('alt', 'portrait.png');

  // The PDF as a card with its size and type, and a download link the server serves as an attachment.
  const card = messageLog(page).getByRole('group', { name: 'Quarterly report.pdf' });
  await expect(card).toContainText('3.1 KB · PDF document');
  const download = card.getByRole('link', { name: 'Download Quarterly report.pdf' });
  await download.hover();
  const href = new URL((await download.getAttribute('href'))!);
  expect(href.pathname).toMatch(/^\/api\/files\/[^/]+\/[^/]+\/quarterly_report_\w+\.pdf$/);
  expect(href.searchParams.get('download')).toBe('1');
  expect(href.searchParams.get('token')).toBeTruthy();
  const served = await page.request.get(href.href);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-disposition']).toMatch(/^attachment/);

  // The video plays in place: its first bytes load with the token.
  const player = messageLog(page).locator('video');
  await expect(player).toHaveAttribute('preload', 'metadata');
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
  await expect(messageLog(page).getByRole('link', { name: 'Download Demo clip.webm' })).toBeVisible();

  await expectAccessible(page, 'a room with images, a video and a file');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: shotPath('attachments-view', `room-1200-${colorScheme}`) });
  }

  // The lightbox: click opens it on that image, large; arrows move around; Esc closes.
  await thumbnail(page, 'landscape.png').click();
  const lightbox = page.getByRole('dialog', { name: /landscape\.png/ });
  await expect(lightbox).toBeVisible();
  await expect(lightbox).toContainText('1 of 3');
  const large = lightbox.locator('img');
  await expect
    .poll(async () => new URL((await large.getAttribute('src'))!).searchParams.get('thumb'))
    .toBe('1600x1200f');
  await expect.poll(() => large.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200);
  await expect(lightbox.getByRole('link', { name: 'Download landscape.png' })).toBeVisible();
  await expectAccessible(page, 'the lightbox');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: shotPath('attachments-view', `lightbox-1200-${colorScheme}`) });
  }
  await page.emulateMedia({ colorScheme: null });

  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: /portrait\.png/ })).toContainText('2 of 3');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: /tiny\.png/ })).toContainText('3 of 3');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // The keyboard is back on the thumbnail of the image last shown.
  await expect(thumbnail(page, 'tiny.png')).toBeFocused();
  // …and Enter opens it again from there.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: /tiny\.png/ })).toBeVisible();
  await page.keyboard.press('Escape');

  // The narrow layout.
  await page.setViewportSize({ width: 400, height: 700 });
  await article.scrollIntoViewIfNeeded();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: shotPath('attachments-view', `room-400-${colorScheme}`) });
  }
  await thumbnail(page, 'portrait.png').click();
  await expect(page.getByRole('dialog', { name: /portrait\.png/ })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: shotPath('attachments-view', `lightbox-400-${colorScheme}`) });
  }
  await page.emulateMedia({ colorScheme: null });
  // A click beside the image closes it too.
  await page.mouse.click(5, 400);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('images still load after the app sat open past its file token', async ({ page, server, makeAccount }) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const { room, api } = await setUp(server, alice, bob, 'long-afternoon');
  const other = await roomWith(server, alice, [bob], { name: 'elsewhere' });
  const admin = await server.admin();
  const users = await admin.collections.getOne('users');
  const duration = (users as unknown as { fileToken: { duration: number } }).fileToken.duration;
  // The shortest life PocketBase allows a file token, so "an hour later" is a few seconds away.
  await admin.collections.update('users', { fileToken: { duration: 10 } });
  try {
    await post(api, room.id, alice.id, 'before', [named(png(400, 300, [200, 80, 160]), 'before.png')]);
    await signIn(page, server, bob);
    await page.getByRole('button', { name: /long-afternoon/ }).click();
    await expect.poll(() => loaded(page, 'before.png')).toBe(true);
    const first = (await thumbnail(page, 'before.png').locator('img').getAttribute('src'))!;

    // The token the first image was loaded with runs out.
    await page.waitForTimeout(11_000);
    expect((await page.request.get(first)).status()).not.toBe(200);

    // From here on no file request is refused: the app renewed its token before using it, rather than
    // load with the dead one and recover on the retry.
    const refused: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/files/') && response.status() >= 400)
        refused.push(`${response.status()} ${response.url()}`);
    });

    // An image that arrives now loads; the one loaded before kept its src (nothing reloaded).
    await post(api, room.id, alice.id, 'after', [named(png(300, 400, [80, 160, 200]), 'after.png')]);
    await expect.poll(() => loaded(page, 'after.png')).toBe(true);
    expect(await thumbnail(page, 'before.png').locator('img').getAttribute('src')).toBe(first);

    // Away and back: the room's images mount again, with a token that is still good.
    await page.getByRole('button', { name: new RegExp(other.name) }).click();
    await page.getByRole('button', { name: /long-afternoon/ }).click();
    await expect.poll(() => loaded(page, 'before.png')).toBe(true);
    await expect.poll(() => loaded(page, 'after.png')).toBe(true);
    expect(await thumbnail(page, 'before.png').locator('img').getAttribute('src')).not.toBe(first);
    expect(refused).toEqual([]);
  } finally {
    await admin.collections.update('users', { fileToken: { duration } });
  }
});

test('an image whose token was refused loads on its one retry', async ({ page, server, makeAccount }) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const { room, api } = await setUp(server, alice, bob, 'retry-room');
  await post(api, room.id, alice.id, 'refused once', [named(png(200, 100, [90, 90, 200]), 'once.png')]);
  // The first request for the thumbnail is refused as an expired token would be.
  let refused = 0;
  await page.route(
    (url) => url.searchParams.get('thumb') === '480x360f',
    async (route) => {
      if (refused++ === 0) await route.fulfill({ status: 404, body: '' });
      else await route.continue();
    },
  );
  await signIn(page, server, bob);
  await page.getByRole('button', { name: /retry-room/ }).click();
  await expect.poll(() => loaded(page, 'once.png')).toBe(true);
  expect(refused).toBe(2);
});

test("one's own files waiting to be sent show as cards, with no link until they are on the server", async ({
  page,
  server,
  makeAccount,
}) => {
  const carol = await makeAccount('carol');
  await signIn(page, server, carol);
  // The upload is held at the server's door: the message stays in the outbox meanwhile.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/collections/messages/records',
    async (route) => {
      if (route.request().method() === 'POST') await gate;
      await route.continue();
    },
  );
  await page.locator('input[type="file"]').setInputFiles({
    name: 'Minutes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(await PDF.arrayBuffer()),
  });
  await page.getByRole('textbox', { name: /Message/ }).fill('The minutes');
  await page.getByRole('textbox', { name: /Message/ }).press('Enter');

  const waiting = messageLog(page).getByRole('group', { name: 'Minutes.pdf' });
  await expect(waiting).toContainText('3.1 KB · PDF document');
  await expect(waiting.getByRole('link')).toHaveCount(0);
  await expect(waiting.getByRole('button')).toHaveCount(0);
  await page.screenshot({ path: shotPath('attachments-view', 'waiting-card-light') });

  release();
  const sent = messageLog(page).getByRole('group', { name: 'Minutes.pdf' });
  await expect(sent.getByRole('link', { name: 'Download Minutes.pdf' })).toBeVisible();
});
