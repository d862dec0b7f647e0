// Typing indicators in Chromium with three people (issue 16): bob writes in a room and alice, in it too,
// reads "bob is typing…" under the conversation in a polite status region; it goes as soon as bob's
// message arrives, and by itself about 6 s after bob stops; carol, who is not in the room, sees nothing.
import type { Locator, Page } from '@playwright/test';
import type PocketBase from 'pocketbase';
import { apiAs, expect, messageLog, personIn, signIn, test } from '../fixtures.ts';
import { expectAccessible } from '../axe.ts';
import { shootThemes } from '../screenshots.ts';
import { roomWith } from './room-setup.ts';

async function openRoom(page: Page, name: string) {
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The typing line under the conversation: a status region, there (empty) even when nobody types. */
const typingLine = (page: Page) => page.getByRole('main').getByRole('status').and(page.locator('.typing'));
/**
 * Types a letter a second into the composers until the returned stop is called: a screenshot on two busy
 * cores can outlast the 6 s a signal is shown, and the line must still be there for the dark one.
 */
function keepTyping(composers: Locator[]): () => Promise<void> {
  let typing = true;
  const done = (async () => {
    while (typing) {
      for (const composer of composers) await composer.press('m');
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return async () => {
    typing = false;
    await done;
  };
}
const typingNews = (page: Page) => page.getByRole('status').filter({ hasText: /typing…/ });

test('alice sees bob typing until his message arrives or he stops; carol, outside the room, sees nothing', async ({
  page,
  browser,
  server,
  makeAccount,
}) => {
  test.slow(); // three people signed in, and waits of several seconds for signals to expire
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  const carol = await makeAccount('carol');
  await roomWith(server, alice, [bob], { name: 'typing-room' });

  await signIn(page, server, alice);
  await openRoom(page, 'typing-room');
  // The line is in place before anyone types (a live region must exist to be heard), and empty.
  await expect(typingLine(page)).toHaveText('');
  const composerTop = (await page.getByRole('textbox', { name: 'Message' }).boundingBox())?.y;
  const bobPage = await personIn(browser, server, bob);
  await openRoom(bobPage, 'typing-room');
  const carolPage = await personIn(browser, server, carol);

  const bobComposer = bobPage.getByRole('textbox', { name: 'Message' });
  await bobComposer.pressSequentially('On my way', { delay: 30 });
  const line = typingLine(page);
  await expect(line).toHaveText(`${bob.username} is typing…`, { timeout: 3000 });
  await expect(line).toHaveAttribute('aria-live', 'polite');
  // Nothing moved: the line had its place already.
  expect((await page.getByRole('textbox', { name: 'Message' }).boundingBox())?.y).toBe(composerTop);
  // Bob does not see himself typing.
  await expect(typingNews(bobPage)).toHaveCount(0);
  const stopTyping = keepTyping([bobComposer]);
  await shootThemes(page, 'typing', 'bob-typing');
  await stopTyping();

  // Bob sends: the line goes with his message's arrival, long before its 6 s are over.
  await bobComposer.press('Enter');
  await expect(messageLog(page).getByText('On my way')).toBeVisible();
  await expect(line).toHaveText('', { timeout: 1000 });

  // Bob types again (after the 3 s the server allows between signals) and stops: gone about 6 s later.
  await bobPage.waitForTimeout(3100);
  await bobComposer.pressSequentially('b', { delay: 0 });
  await expect(line).toHaveText(`${bob.username} is typing…`, { timeout: 3000 });
  const seen = Date.now();
  await page.waitForTimeout(4000);
  await expect(line).toHaveText(`${bob.username} is typing…`);
  await expect(line).toHaveText('', { timeout: 4000 });
  const shownFor = Date.now() - seen;
  expect(shownFor).toBeGreaterThan(4000);
  expect(shownFor).toBeLessThan(8000);
  await shootThemes(page, 'typing', 'nobody-typing');

  // Carol is not in the room: in her own room she heard none of it.
  await expect(messageLog(carolPage)).toBeVisible();
  await expect(typingNews(carolPage)).toHaveCount(0);
  await bobPage.context().close();
  await carolPage.context().close();
});

test('two people typing are named together, and three or more as several', async ({ page, server, makeAccount }) => {
  const alice = await makeAccount('alice');
  const [bob, carol, dave] = [await makeAccount('bob'), await makeAccount('carol'), await makeAccount('dave')];
  const room = await roomWith(server, alice, [bob, carol, dave], { name: 'busy-room' });
  // The others signal as their composers would, through the server's route: what is tested here is
  // alice's line, and three more browsers on two shared cores would only make it slower.
  const apis = await Promise.all([bob, carol, dave].map((person) => apiAs(server, person)));
  const signal = (api: PocketBase) =>
    api.send(`/api/palaver/rooms/${room.id}/typing`, { method: 'POST', requestKey: null });
  const [bobApi, carolApi, daveApi] = apis as [PocketBase, PocketBase, PocketBase];
  await signIn(page, server, alice);
  await openRoom(page, 'busy-room');
  const line = typingLine(page);

  await signal(bobApi);
  await expect(line).toHaveText(`${bob.username} is typing…`);
  await signal(carolApi);
  await expect(line).toHaveText(`${bob.username} and ${carol.username} are typing…`);
  await shootThemes(page, 'typing', 'two-typing', page.getByRole('main'));
  await signal(daveApi);
  // The screenshots may have outlasted bob's and carol's 6 s on busy cores: they go on typing (3 s on).
  await page.waitForTimeout(3000);
  await Promise.all([signal(bobApi), signal(carolApi)]);
  await expect(line).toHaveText('Several people are typing…');
  await expectAccessible(page, 'the typing line, several people typing');
});
