// Long histories page in as you scroll, a new message does not yank you away from what you read, and a
// failed send is kept and can be retried without being posted twice.
import type { Page } from '@playwright/test';
import { apiAs, expect, messageLog, send, signIn, test } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

const messagesEndpoint = (url: URL) => url.pathname === '/api/collections/messages/records';

test('history loads newest first, pages older messages in on scroll, nothing twice', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('reader');
  const api = await apiAs(server, reader);
  const room = await api
    .collection('rooms')
    .create({ name: 'long-history', kind: 'private', owner: reader.id, members: [reader.id] });
  const admin = await server.admin();
  for (let i = 1; i <= 120; i++)
    await admin.collection('messages').create({ text: `message number ${i}`, room: room.id, user: reader.id });

  await signIn(page, server, reader);
  await page.getByRole('button', { name: /long-history/ }).click();
  const log = messageLog(page);
  await expect(log.getByText('message number 120', { exact: true })).toBeInViewport();
  await expect(log.getByRole('article')).toHaveCount(50);

  for (
    let pages = 0;
    pages < 5 && (await log.getByText('This is the beginning of the conversation.').count()) === 0;
    pages++
  ) {
    await log.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(300);
  }
  await expect(log.getByText('This is the beginning of the conversation.')).toBeVisible();
  const texts = await log.locator('article p.text').allInnerTexts();
  expect(texts).toHaveLength(120);
  expect(texts).toEqual(Array.from({ length: 120 }, (_, i) => `message number ${i + 1}`));
});

test('a new message while reading older ones shows a marker instead of jumping', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('scroller');
  const writer = await makeAccount('writer');
  const { api, ...room } = await roomWith(server, writer, [reader], { name: 'busy-room' });
  for (let i = 1; i <= 60; i++)
    await api.collection('messages').create({ text: `old ${i}`, room: room.id, user: writer.id });

  await signIn(page, server, reader);
  await page.getByRole('button', { name: /busy-room/ }).click();
  const log = messageLog(page);
  await expect(log.getByText('old 60', { exact: true })).toBeInViewport();
  // A screenful is drawn first, the rest of the page the moment after: scroll up once it is all there.
  await expect(log.locator('article')).toHaveCount(50);
  await log.evaluate((el) => (el.scrollTop = el.scrollHeight / 3));
  await page.waitForTimeout(200);
  const before = await log.evaluate((el) => el.scrollTop);

  await api.collection('messages').create({ text: 'fresh news', room: room.id, user: writer.id });
  await expect(page.getByRole('button', { name: /1 new message/ })).toBeVisible();
  expect(Math.abs((await log.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(5);
  await expect(log.getByText('fresh news')).not.toBeInViewport();
  await page.getByRole('button', { name: /1 new message/ }).click();
  await expect(log.getByText('fresh news')).toBeInViewport();
});

test('a message that cannot reach the server waits in the outbox and goes out by itself, once', async ({
  page,
  server,
  makeAccount,
}) => {
  const sender = await makeAccount('sender');
  await signIn(page, server, sender);
  await page.route(messagesEndpoint, (route) =>
    route.request().method() === 'POST' ? route.abort('connectionrefused') : route.fallback(),
  );
  await send(page, 'this must not get lost');
  const article = messageLog(page).getByRole('article').filter({ hasText: 'this must not get lost' });
  await expect(article).toContainText('Sending…');
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('1 message waiting to be sent');
  await page.unroute(messagesEndpoint);
  await expect(article).not.toContainText('Sending…', { timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Connection' })).not.toContainText('waiting to be sent');
  const api = await apiAs(server, sender);
  expect(await api.collection('messages').getFullList({ filter: 'text = "this must not get lost"' })).toHaveLength(1);
});

test('a message whose answer was lost is not posted twice when it is sent again', async ({
  page,
  server,
  makeAccount,
}) => {
  const sender = await makeAccount('lostreply');
  // No realtime connection, so nothing but the next attempt can tell the app that the message arrived.
  await page.route(
    (url) => url.pathname === '/api/realtime',
    (route) => route.abort('connectionrefused'),
  );
  await signIn(page, server, sender);
  // The request reaches the server and is stored; only the answer is lost on the way back (once).
  let lost = 0;
  await page.route(messagesEndpoint, async (route) => {
    if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
    lost++;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await send(page, 'delivered, but nobody told me');
  const article = messageLog(page).getByRole('article').filter({ hasText: 'delivered, but nobody told me' });
  await expect(article).not.toContainText('Sending…', { timeout: 15_000 });
  expect(lost).toBe(1);
  const api = await apiAs(server, sender);
  expect(
    await api.collection('messages').getFullList({ filter: 'text = "delivered, but nobody told me"' }),
  ).toHaveLength(1);
  await expect(messageLog(page).getByText('delivered, but nobody told me')).toHaveCount(1);
});

/**
 * Makes the server refuse the sender's next messages for good, the way it refuses a message to a room
 * the sender was removed from while the message was on its way. (Removing them first no longer works
 * for this: the room leaves their list at once.) The create request is pointed at a private room the
 * sender is not in, so the refusal is the real server's, by the real rule.
 */
async function refuseMessages(
  page: Page,
  server: Parameters<typeof apiAs>[0],
  owner: Parameters<typeof apiAs>[1] & { id: string },
) {
  const api = await apiAs(server, owner);
  const forbidden = await api
    .collection('rooms')
    .create({ name: `not-yours-${Date.now()}`, kind: 'private', owner: owner.id, members: [owner.id] });
  await page.route(messagesEndpoint, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
    await route.continue({ postData: JSON.stringify({ ...body, room: forbidden.id }) });
  });
  return { stop: () => page.unroute(messagesEndpoint) };
}

test('a message the server refuses is marked failed with Retry, Edit as draft and Delete', async ({
  page,
  server,
  makeAccount,
}) => {
  const owner = await makeAccount('roomowner');
  const sender = await makeAccount('refused');
  await signIn(page, server, sender);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  const refusing = await refuseMessages(page, server, owner);
  await send(page, 'am I still here?');
  const article = messageLog(page).getByRole('article').filter({ hasText: 'am I still here?' });
  await expect(article).toContainText('Not sent');
  await expect(article.getByRole('button', { name: 'Retry' })).toBeVisible();
  await article.getByRole('button', { name: 'Delete' }).click();
  await expect(messageLog(page).getByText('am I still here?')).toHaveCount(0);
  await refusing.stop();
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await expect(page.getByText('am I still here?')).toHaveCount(0);
});

test('"Edit as draft" puts a refused message back into the composer', async ({ page, server, makeAccount }) => {
  const owner = await makeAccount('roomowner');
  const sender = await makeAccount('redraft');
  await signIn(page, server, sender);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await refuseMessages(page, server, owner);
  await send(page, 'let me reword this');
  await messageLog(page).getByRole('button', { name: 'Edit as draft' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('let me reword this');
  await expect(messageLog(page).getByText('let me reword this')).toHaveCount(0);
});

test('a long room is held as a bounded window: scrolling back lets go of the newest, forward brings them back, in order', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('longreader');
  const api = await apiAs(server, reader);
  const room = await api
    .collection('rooms')
    .create({ name: 'very-long', kind: 'private', owner: reader.id, members: [reader.id] });
  const admin = await server.admin();
  const total = 700;
  let next = 1;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next <= total) {
        const i = next++;
        await admin
          .collection('messages')
          .create({ text: `line ${String(i).padStart(4, '0')}`, room: room.id, user: reader.id }, { requestKey: null });
      }
    }),
  );
  const stored = (
    await admin.collection('messages').getFullList({ filter: `room = "${room.id}"`, sort: 'created,id' })
  ).map((m) => m.text as string);

  await signIn(page, server, reader);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await page.getByRole('button', { name: /very-long/ }).click();
  const log = messageLog(page);
  await expect(log.getByText(stored.at(-1)!, { exact: true })).toBeInViewport();

  // Back to the beginning: every message passes by, never more than the window is held.
  const seen = new Set<string>();
  let most = 0;
  for (
    let step = 0;
    step < 60 && (await log.getByText('This is the beginning of the conversation.').count()) === 0;
    step++
  ) {
    for (const text of await log.locator('article p.text').allInnerTexts()) seen.add(text);
    most = Math.max(most, await log.locator('article').count());
    await log.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(150);
  }
  for (const text of await log.locator('article p.text').allInnerTexts()) seen.add(text);
  expect(seen.size).toBe(total);
  expect(most).toBeLessThanOrEqual(350);
  await expect(page.getByRole('button', { name: 'Jump to present', exact: true })).toBeVisible();
  // What is held is a contiguous run of the room, in order.
  const held = await log.locator('article p.text').allInnerTexts();
  expect(held).toEqual(stored.slice(0, held.length));

  // A message arriving now is announced, not appended to a window far back in time.
  await api.collection('messages').create({ text: 'news from the present', room: room.id, user: reader.id });
  await expect(page.getByRole('button', { name: /1 new message/ })).toBeVisible();
  await expect(log.getByText('news from the present')).toHaveCount(0);

  // Forward again, page by page: the window slides back to the present, still in order.
  const forward = new Set<string>();
  for (let step = 0; step < 60 && (await log.getByText('news from the present').count()) === 0; step++) {
    for (const text of await log.locator('article p.text').allInnerTexts()) forward.add(text);
    most = Math.max(most, await log.locator('article').count());
    await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(150);
  }
  for (const text of await log.locator('article p.text').allInnerTexts()) forward.add(text);
  expect(forward.size).toBe(total + 1);
  expect(most).toBeLessThanOrEqual(350);
  const present = await log.locator('article p.text').allInnerTexts();
  expect(present).toEqual([...stored, 'news from the present'].slice(-present.length));
  await expect(page.getByRole('button', { name: /Jump to present|new message/ })).toHaveCount(0);
});
