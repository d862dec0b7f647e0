// Faults a chat app meets every day: the server dies, the network drops. Afterwards every client shows
// exactly what the database holds, in its order, each message once.
import type { Page } from '@playwright/test';
import type { MessagesRecord } from '../../src-shared/pocketbase-types.ts';
import type { TestServer } from '../../backend/testing/server.ts';
import { expect, messageLog, personIn, send, signIn, test } from '../fixtures.ts';
import { startProxy } from '../net-proxy.ts';
import { roomWith } from '../web/room-setup.ts';

/** The texts a client shows in the open room, in order, once they are all confirmed by the server. */
async function shownTexts(page: Page): Promise<string[]> {
  const log = messageLog(page);
  if ((await log.getByText('Sending…').count()) > 0) return ['(still sending)'];
  // The words only: an edited message's "(edited)" mark and its time sit inside the paragraph.
  return log.locator('article p.text').evaluateAll((paragraphs) =>
    paragraphs.map((p) => {
      const words = p.cloneNode(true) as HTMLElement;
      words.querySelectorAll('.after').forEach((mark) => mark.remove());
      return words.textContent ?? '';
    }),
  );
}

async function storedTexts(server: TestServer, roomId: string): Promise<string[]> {
  const admin = await server.admin();
  const stored = await admin
    .collection('messages')
    .getFullList<MessagesRecord>({ filter: admin.filter('room = {:roomId}', { roomId }), sort: 'created,id' });
  return stored.map((m) => m.text);
}

test('the server is killed mid-conversation; both sides write while it is down; after the restart both show exactly the database', async ({
  browser,
  page,
  server,
  makeAccount,
}) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const room = await roomWith(server, alice, [bob], { name: 'crash-room' });
  await signIn(page, server, alice);
  const bobPage = await personIn(browser, server, bob);
  for (const p of [page, bobPage]) await p.getByRole('button', { name: /crash-room/ }).click();

  await send(page, 'before the crash (alice)');
  await expect(messageLog(bobPage).getByText('before the crash (alice)')).toBeVisible();
  await send(bobPage, 'before the crash (bob)');
  await expect(messageLog(page).getByText('before the crash (bob)')).toBeVisible();

  await server.kill();
  for (const p of [page, bobPage]) {
    await expect(p.getByRole('status', { name: 'Connection' })).toContainText(/Reconnecting|Offline/);
  }
  await send(page, 'while down 1 (alice)');
  await send(bobPage, 'while down 1 (bob)');
  await send(page, 'while down 2 (alice)');
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('2 messages waiting to be sent');
  await expect(bobPage.getByRole('status', { name: 'Connection' })).toContainText('1 message waiting to be sent');

  await server.restart();
  for (const p of [page, bobPage])
    await expect(p.getByRole('status', { name: 'Connection' })).toContainText('Connected', { timeout: 20_000 });

  await expect.poll(() => storedTexts(server, room.id), { timeout: 20_000 }).toHaveLength(5);
  const stored = await storedTexts(server, room.id);
  expect(new Set(stored).size).toBe(5);
  expect(stored).toEqual(
    expect.arrayContaining(['while down 1 (alice)', 'while down 2 (alice)', 'while down 1 (bob)']),
  );
  for (const p of [page, bobPage]) await expect.poll(() => shownTexts(p), { timeout: 20_000 }).toEqual(stored);
  await bobPage.context().close();
});

test('a client loses its network while others write; when it returns, the gap is filled in order, once', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('reader');
  const writer = await makeAccount('writer');
  const { api: writerApi, ...room } = await roomWith(server, writer, [reader], { name: 'gap-room' });
  await writerApi.collection('messages').create({ text: 'before the gap', room: room.id, user: writer.id });
  // The reader reaches the server through a line the test can cut.
  const line = await startProxy(server.port);
  try {
    await signIn(page, { ...server, url: line.url } as TestServer, reader);
    await page.getByRole('button', { name: /gap-room/ }).click();
    await expect(messageLog(page).getByText('before the gap')).toBeVisible();
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');

    line.cut();
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Reconnecting');
    for (let i = 1; i <= 5; i++)
      await writerApi.collection('messages').create({ text: `in the gap ${i}`, room: room.id, user: writer.id });
    const edited = await writerApi
      .collection('messages')
      .create({ text: 'to be edited', room: room.id, user: writer.id });
    await writerApi.collection('messages').update(edited.id, { text: 'edited in the gap' });
    // Written during the outage too: it waits in the outbox.
    await send(page, 'written offline');
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('1 message waiting to be sent');
    await page.waitForTimeout(3000);

    line.restore();
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected', { timeout: 20_000 });
    await expect.poll(() => storedTexts(server, room.id), { timeout: 20_000 }).toHaveLength(8);
    const stored = await storedTexts(server, room.id);
    expect(stored).toContain('edited in the gap');
    await expect.poll(() => shownTexts(page), { timeout: 20_000 }).toEqual(stored);
  } finally {
    await line.stop();
  }
});

test('going offline shows it, and coming back online needs no reload', async ({ page, server, makeAccount }) => {
  const someone = await makeAccount('roamer');
  await signIn(page, server, someone);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await page.context().setOffline(true);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Offline');
  await expect(page.getByText('You are offline.')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
  await send(page, 'back online');
  await expect(messageLog(page).getByText('back online')).toBeVisible();
  await expect(messageLog(page).getByText('Sending…')).toHaveCount(0);
});

test('a message deleted while a client was offline disappears when it returns', async ({
  page,
  server,
  makeAccount,
}) => {
  const reader = await makeAccount('reader');
  const writer = await makeAccount('writer');
  const { api: writerApi, ...room } = await roomWith(server, writer, [reader], { name: 'delete-room' });
  const doomed = await writerApi
    .collection('messages')
    .create({ text: 'soon deleted', room: room.id, user: writer.id });
  await writerApi.collection('messages').create({ text: 'stays', room: room.id, user: writer.id });
  const line = await startProxy(server.port);
  try {
    await signIn(page, { ...server, url: line.url } as TestServer, reader);
    await page.getByRole('button', { name: /delete-room/ }).click();
    await expect(messageLog(page).getByText('soon deleted')).toBeVisible();
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');

    line.cut();
    await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Reconnecting');
    await writerApi.collection('messages').delete(doomed.id);
    line.restore();
    await expect(messageLog(page).getByText('soon deleted')).toHaveCount(0, { timeout: 20_000 });
    await expect(messageLog(page).getByText('stays')).toBeVisible();
  } finally {
    await line.stop();
  }
});
