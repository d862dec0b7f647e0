// Two people chatting: realtime delivery, sessions that survive a reload, editing and deleting,
// markup that stays text, links, drafts and unread counts.
import { apiAs, expect, messageLog, personIn, send, signIn, test } from '../fixtures.ts';
import { roomWith } from './room-setup.ts';

test('two people chat in real time', async ({ browser, page, server, makeAccount }) => {
  const alice = await makeAccount('alice');
  const bob = await makeAccount('bob');
  await signIn(page, server, alice);
  const bobPage = await personIn(browser, server, bob);

  await send(page, 'Hello Bob, are you there?');
  await expect(messageLog(bobPage).getByRole('article', { name: alice.username }).last()).toContainText(
    'Hello Bob, are you there?',
  );
  await send(bobPage, 'Yes!\nTwo lines, even.');
  const reply = messageLog(page).getByRole('article', { name: bob.username }).last();
  await expect(reply).toContainText('Yes!');
  // Line breaks are kept.
  expect(await reply.locator('p.text').innerText()).toBe('Yes!\nTwo lines, even.');
  await bobPage.context().close();
});

test('a reload keeps the session and the history', async ({ page, server, makeAccount }) => {
  const carol = await makeAccount('carol');
  await signIn(page, server, carol);
  await send(page, 'Remember me after a reload');
  await expect(messageLog(page).getByText('Remember me after a reload')).toBeVisible();
  await page.reload();
  await expect(messageLog(page).getByText('Remember me after a reload')).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(carol.username) })).toBeVisible();
});

test('markup in a message is shown as text and never runs', async ({ browser, page, server, makeAccount }) => {
  const mallory = await makeAccount('mallory');
  const victim = await makeAccount('victim');
  await signIn(page, server, mallory);
  const victimPage = await personIn(browser, server, victim);
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>';
  await send(page, payload);
  const article = messageLog(victimPage).getByRole('article', { name: mallory.username }).last();
  await expect(article).toContainText('<b>bold?</b>');
  expect(await article.locator('p.text').innerText()).toBe(payload);
  await expect(messageLog(victimPage).locator('img[src="x"], script, b')).toHaveCount(0);
  expect(await victimPage.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await victimPage.context().close();
});

test('https links are clickable and open outside the app; others stay text', async ({ page, server, makeAccount }) => {
  const dave = await makeAccount('dave');
  await signIn(page, server, dave);
  await send(page, 'Docs at https://example.org/docs. Not http://example.org or javascript:alert(1)');
  const article = messageLog(page).getByRole('article').last();
  const link = article.getByRole('link');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('href', 'https://example.org/docs');
  // In the browser build the link opens a new window (in Electron, the system browser); the app stays.
  // This machine has no internet, so the outside site is answered locally.
  await page.context().route('https://example.org/**', (route) => route.fulfill({ body: 'the outside world' }));
  const popup = page.context().waitForEvent('page');
  await link.click();
  expect((await popup).url()).toContain('example.org/docs');
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
});

test('authors edit and delete their own messages; others cannot', async ({ browser, page, server, makeAccount }) => {
  const erin = await makeAccount('erin');
  const frank = await makeAccount('frank');
  await signIn(page, server, erin);
  const frankPage = await personIn(browser, server, frank);

  await send(page, 'I will fix this tpyo');
  const mine = messageLog(page).getByRole('article', { name: erin.username }).last();
  await mine.hover();
  await mine.getByRole('button', { name: 'Edit message' }).click();
  await mine.getByLabel('Edit message').fill('I fixed this typo');
  await mine.getByLabel('Edit message').press('Enter');
  await expect(mine).toContainText('I fixed this typo');
  await expect(mine).toContainText('edited');
  const theirs = messageLog(frankPage).getByRole('article', { name: erin.username }).last();
  await expect(theirs).toContainText('I fixed this typo');
  await expect(theirs).toContainText('edited');
  await theirs.hover();
  await expect(theirs.getByRole('button', { name: 'Edit message' })).toHaveCount(0);
  await expect(theirs.getByRole('button', { name: 'Delete message' })).toHaveCount(0);

  await mine.hover();
  await mine.getByRole('button', { name: 'Delete message' }).click();
  await mine.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(messageLog(page).getByText('I fixed this typo')).toHaveCount(0);
  await expect(messageLog(frankPage).getByText('I fixed this typo')).toHaveCount(0);
  await frankPage.context().close();
});

test('the composer: Enter sends, Shift+Enter adds a line, a counter warns near the limit', async ({
  page,
  server,
  makeAccount,
}) => {
  const gina = await makeAccount('gina');
  await signIn(page, server, gina);
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('first line');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('second line');
  await expect(composer).toHaveValue('first line\nsecond line');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(messageLog(page).getByRole('article').last().locator('p.text')).toHaveText('first line\nsecond line');

  await composer.fill('x'.repeat(1900));
  await expect(page.getByText('100 characters left')).toBeVisible();
  await composer.fill('x'.repeat(2005));
  await expect(page.getByText('5 characters over the 2000 limit')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
});

test('each room keeps its own draft', async ({ page, server, makeAccount }) => {
  const hank = await makeAccount('hank');
  const api = await apiAs(server, hank);
  await api.collection('rooms').create({ name: 'drafts-room', kind: 'private', owner: hank.id, members: [hank.id] });
  await signIn(page, server, hank);
  await page.getByRole('textbox', { name: 'Message' }).fill('half-written thought');
  await page.getByRole('button', { name: /drafts-room/ }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  await page.getByRole('button', { name: /general/ }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('half-written thought');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('half-written thought');
});

test('messages in other rooms are counted as unread until the room is opened', async ({
  page,
  server,
  makeAccount,
}) => {
  const ivy = await makeAccount('ivy');
  const jack = await makeAccount('jack');
  const { api: jackApi, ...room } = await roomWith(server, jack, [ivy], { name: 'side-room' });
  await signIn(page, server, ivy);
  await expect(page.getByRole('button', { name: /side-room/ })).toBeVisible();
  // Mentioned, so that the page title (which counts what the room's notification level counts) shows them.
  for (const text of ['one', 'two', 'three'])
    await jackApi.collection('messages').create({ text: `${text} @${ivy.username}`, room: room.id, user: jack.id });
  await expect(page.getByRole('button', { name: /side-room/ }).getByLabel('3 unread')).toBeVisible();
  await expect(page).toHaveTitle('(3) Palaver');
  await page.getByRole('button', { name: /side-room/ }).click();
  await expect(messageLog(page).getByText(`three @${ivy.username}`)).toBeVisible();
  await expect(page.getByRole('button', { name: /side-room/ }).getByLabel(/unread/)).toHaveCount(0);
  await expect(page).toHaveTitle('Palaver');
});

test('signing out ends the session and returns to the sign-in screen', async ({ page, server, makeAccount }) => {
  const kim = await makeAccount('kim');
  await signIn(page, server, kim);
  await page.getByRole('button', { name: new RegExp(kim.username) }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
