// Sending files as people do: a screenshot pasted, a PDF dragged onto the conversation, a file picked
// with Attach; a bar while it uploads; the other side sees both in realtime; a file over the limit is
// refused before a byte is uploaded; and a message with a file written offline, the app closed and
// opened again, is delivered once when the network is back.
import type { Page } from '@playwright/test';
import type { MessagesRecord } from '../../src-shared/pocketbase-types.ts';
import { expectAccessible } from '../axe.ts';
import { apiAs, expect, messageLog, personIn, signIn, test } from '../fixtures.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

const MB = 1024 * 1024;

/** Pastes a freshly drawn PNG screenshot into the message field, as the clipboard hands one over. */
async function pasteScreenshot(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).evaluate(async (field) => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [1280, 800];
    const context = canvas.getContext('2d')!;
    const gradient = context.createLinearGradient(0, 0, 1280, 800);
    gradient.addColorStop(0, '#4f46e5');
    gradient.addColorStop(1, '#f59e0b');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 1280, 800);
    context.fillStyle = '#fff';
    context.font = 'bold 96px sans-serif';
    context.fillText('Build is green', 140, 420);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    field.focus();
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

/** Drags a file made in the page onto the conversation and drops it there. */
async function dropFile(
  page: Page,
  name: string,
  type: string,
  bytes: number,
  head = '',
  shoot = false,
): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, type, bytes, head }) => {
      const body = new Uint8Array(bytes);
      body.set(new TextEncoder().encode(head));
      const data = new DataTransfer();
      data.items.add(new File([body], name, { type }));
      return data;
    },
    { name, type, bytes, head },
  );
  const conversation = page.locator('main.conversation');
  await conversation.dispatchEvent('dragenter', { dataTransfer: transfer });
  await conversation.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(page.getByText(/^Drop to attach to /)).toBeVisible();
  if (shoot) await shootThemes(page, 'attachments', 'drop-target');
  await conversation.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByText(/^Drop to attach to /)).toHaveCount(0);
}

/** How many files the web build keeps in IndexedDB (drafts' and unsent messages'). */
function keptFiles(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('palaver-outbox-files');
        open.onsuccess = () => {
          const count = open.result.transaction('files').objectStore('files').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
}

/**
 * Slows the page's uploads down to `bytesPerSecond` through a DevTools session of its own; the function it
 * returns lifts that and closes the session, so it cannot stand in the way of Playwright's own network
 * emulation (going offline) afterwards.
 */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  };
}

test('alice pastes a screenshot and drags in a PDF; a bar shows the upload; bob sees both at once and opens the image', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, alice, [bob], { name: 'design-review' });
  await signIn(page, server, alice);
  const bobPage = await personIn(browser, server, bob);
  for (const p of [page, bobPage]) await p.getByRole('button', { name: /design-review/ }).click();

  await pasteScreenshot(page);
  const chips = page.getByRole('list', { name: 'Files to send' });
  await expect(chips.getByRole('listitem')).toHaveCount(1);
  await expect(chips).toContainText(/Pasted image \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png/);

  // A PDF large enough that its upload takes a few seconds at the throttled speed below.
  await dropFile(page, 'Q3 report.pdf', 'application/pdf', 3 * MB, '%PDF-1.4\n', true);
  await expect(chips.getByRole('listitem')).toHaveCount(2);
  await expect(chips.getByRole('listitem').nth(1)).toContainText('Q3 report.pdf');
  await expect(chips.getByRole('listitem').nth(1)).toContainText('3 MB');
  await expect(page.getByRole('button', { name: 'Remove Q3 report.pdf' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Message' }).fill('The build and the report');
  await shootThemes(page, 'attachments', 'composer-with-files', page.locator('form.composer'));
  await expectAccessible(page, 'the composer with files attached');

  const unthrottle = await throttleUploads(page, 512 * 1024);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(chips).toHaveCount(0);
  const bar = messageLog(page).getByRole('progressbar', { name: 'Upload progress' });
  await expect(bar).toBeVisible();
  await expect(messageLog(page).getByText(/Uploading \d+%/)).toBeVisible();
  await expect(messageLog(page).getByRole('button', { name: 'Cancel upload' })).toBeVisible();
  // It moves: a later reading is further along than an earlier one.
  const first = Number(await bar.getAttribute('value'));
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(first);
  await shootThemes(page, 'attachments', 'uploading', messageLog(page));
  await unthrottle();
  await expect(bar).toHaveCount(0, { timeout: 20_000 });

  // Bob's side: the realtime event carried the names and descriptions; nothing was reloaded.
  const image = messageLog(bobPage).getByRole('button', { name: /^Open image Pasted image/ });
  await expect(image).toBeVisible();
  await expect(messageLog(bobPage).getByRole('group', { name: 'Q3 report.pdf' })).toContainText('3 MB');
  // Its box was reserved from the server's description: the 1280x800 screenshot keeps its shape.
  const box = (await image.boundingBox())!;
  expect(box.width / box.height).toBeCloseTo(1280 / 800, 1);
  await expect(image.locator('img')).toHaveJSProperty('complete', true);
  expect(await image.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shootThemes(bobPage, 'attachments', 'received', messageLog(bobPage));

  await image.click();
  const lightbox = bobPage.getByRole('dialog');
  await expect(lightbox).toBeVisible();
  await expect(lightbox.getByRole('img')).toHaveJSProperty('complete', true);
  await bobPage.keyboard.press('Escape');
  await expect(lightbox).toHaveCount(0);

  const stored = await (
    await apiAs(server, alice)
  )
    .collection('messages')
    .getFullList<MessagesRecord>({ filter: `room = "${room.id}"` });
  expect(stored).toHaveLength(1);
  expect(stored[0]!.attachments).toHaveLength(2);
  await bobPage.context().close();
});

test('a file over the limit is refused next to the composer before anything is uploaded; Attach picks files', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('sender');
  await signIn(page, server, me);
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  const uploads: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/api/collections/messages/records'))
      uploads.push(request.url());
  });

  await dropFile(page, 'screen recording.mov', 'video/quicktime', 26 * MB);
  await expect(page.getByRole('alert').filter({ hasText: 'screen recording.mov is 26 MB' })).toHaveText(
    'screen recording.mov is 26 MB: files can be at most 25 MB.',
  );
  await expect(page.getByRole('list', { name: 'Files to send' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  await shootThemes(page, 'attachments', 'over-the-limit', page.locator('form.composer'));

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach' }).click();
  await (
    await chooser
  ).setFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('meeting notes') },
    { name: 'todo.txt', mimeType: 'text/plain', buffer: Buffer.from('- ship files') },
  ]);
  const chips = page.getByRole('list', { name: 'Files to send' });
  await expect(chips.getByRole('listitem')).toHaveCount(2);
  // The alert about the large file went with the next change: it described a file no longer in question.
  await expect(page.getByRole('alert').filter({ hasText: 'screen recording.mov' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Remove notes.txt' }).click();
  await expect(chips.getByRole('listitem')).toHaveCount(1);
  // The keyboard stays in the list, on the chip that took the removed one's place.
  await expect(page.getByRole('button', { name: 'Remove todo.txt' })).toBeFocused();
  expect(uploads).toEqual([]);

  // A draft's files are kept like its text: a reload (a restart of the app) brings them back. The one
  // removed is no longer kept.
  await expect.poll(() => keptFiles(page)).toBe(1);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Files to send' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Remove todo.txt' })).toBeVisible();

  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(messageLog(page).getByRole('group', { name: 'todo.txt' })).toBeVisible();
  await expect.poll(() => uploads.length).toBe(1);
});

test('a message with a file written offline survives closing the app and is delivered once when the network is back', async ({
  browser,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('traveller');
  const context = await browser.newContext();
  let page = await context.newPage();
  await signIn(page, server, me);
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();

  await context.setOffline(true);
  await expect(page.getByText('You are offline.')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach' }).click();
  await (
    await chooser
  ).setFiles([{ name: 'boarding-pass.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nseat 12A') }]);
  await page.getByRole('textbox', { name: 'Message' }).fill('written on the plane');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const waiting = messageLog(page).locator('article').filter({ hasText: 'written on the plane' });
  await expect(waiting.getByText('Sending…')).toBeVisible();
  await expect(waiting.getByRole('group', { name: 'boarding-pass.pdf' })).toBeVisible();
  await shootThemes(page, 'attachments', 'waiting-offline', messageLog(page));

  // The app is closed and opened again (a new tab: the web build keeps the session per tab).
  await page.close();
  await context.setOffline(false);
  page = await context.newPage();
  await signIn(page, server, me);
  await expect(messageLog(page).getByRole('group', { name: 'boarding-pass.pdf' })).toBeVisible();
  await expect(messageLog(page).getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });

  const api = await apiAs(server, me);
  const mine = await api
    .collection('messages')
    .getFullList<MessagesRecord>({ filter: api.filter('user = {:me}', { me: me.id }) });
  expect(mine.map((m) => m.text)).toEqual(['written on the plane']);
  expect(mine[0]!.attachments).toHaveLength(1);
  const file = await fetch(api.files.getURL(mine[0]!, mine[0]!.attachments[0]!, { token: await api.files.getToken() }));
  expect(await file.text()).toBe('%PDF-1.4\nseat 12A');
  await expect(messageLog(page).getByText('written on the plane')).toHaveCount(1);
  // Sent, its kept copy is gone from the browser's storage.
  await expect.poll(() => keptFiles(page)).toBe(0);
  await context.close();
});

test('an upload whose answer is lost, one cancelled then retried, one sent while offline in the same page: each stored once', async ({
  page,
  server,
  makeAccount,
}) => {
  const me = await makeAccount('flaky');
  await signIn(page, server, me);
  await expect(page.getByRole('heading', { name: 'general' })).toBeVisible();
  const api = await apiAs(server, me);
  const stored = async () =>
    (
      await api
        .collection('messages')
        .getFullList<MessagesRecord>({ filter: api.filter('user = {:me}', { me: me.id }), sort: 'created' })
    ).map((m) => `${m.text} (${m.attachments.length})`);
  const attach = async (name: string, bytes = 64 * 1024) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach' }).click();
    await (await chooser).setFiles([{ name, mimeType: 'application/octet-stream', buffer: Buffer.alloc(bytes, 7) }]);
  };
  const sendText = async (text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  };

  // 1. The server stores the upload, and its answer never arrives.
  let lost = false;
  await page.route('**/api/collections/messages/records?expand=user', async (route) => {
    if (lost || route.request().method() !== 'POST') return route.fallback();
    lost = true;
    await route.fetch(); // the server has it now
    await route.abort('connectionreset');
  });
  await attach('lost-answer.bin');
  await sendText('answer lost');
  await expect.poll(stored, { timeout: 20_000 }).toEqual(['answer lost (1)']);
  await expect(messageLog(page).getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });
  await page.unroute('**/api/collections/messages/records?expand=user');

  // 2. Cancelled while it uploads: it stays, failed, and Retry sends it once.
  const unthrottle = await throttleUploads(page, 64 * 1024);
  await attach('cancel-me.bin', 2 * MB);
  await sendText('cancelled, then retried');
  await messageLog(page).getByRole('button', { name: 'Cancel upload' }).click();
  const failed = messageLog(page).locator('article').filter({ hasText: 'cancelled, then retried' });
  await expect(failed.getByRole('alert')).toHaveText('Not sent: Upload cancelled.');
  await shootThemes(page, 'attachments', 'upload-cancelled', failed);
  await unthrottle();
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(failed.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
  // Sent, not only sending again: the next step looks for the one message still sending.
  await expect(failed.getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });

  // 3. Offline in the same page, then back: it goes on its own.
  await page.context().setOffline(true);
  await attach('offline.bin');
  await sendText('written offline');
  await expect(messageLog(page).getByText('Sending…')).toBeVisible();
  await page.context().setOffline(false);
  await expect(messageLog(page).getByText('Sending…')).toHaveCount(0, { timeout: 30_000 });

  await expect.poll(stored).toEqual(['answer lost (1)', 'cancelled, then retried (1)', 'written offline (1)']);
  for (const text of ['answer lost', 'cancelled, then retried', 'written offline'])
    await expect(messageLog(page).getByText(text, { exact: true })).toHaveCount(1);
});
