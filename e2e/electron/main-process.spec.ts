// What only the main process does, observed from inside it (Playwright's electronApp.evaluate and the
// end-to-end probe, src-main/e2e-probe.ts): notifications and their clicks, the tray's unread count, a
// palaver:// link handed over by a second instance, and the token file at rest. Two people on a real
// PocketBase: one in the desktop app, the other writing through the API.
import { expect, test, type ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronSkipReason } from '../../scripts/electron-binary.ts';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';
import {
  appArgs,
  appEnv,
  binary,
  launch,
  makePerson,
  newProfile,
  passwordStore,
  readProbe,
  signIn,
  trayOpenLabel,
  type Person,
} from './desktop.ts';

// The same words are printed by e2e/global-setup.ts, since the list reporter does not show skip reasons.
test.skip(!binary, electronSkipReason);

let server: TestServer;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

let app: ElectronApplication | null = null;
test.afterEach(async () => {
  await app?.close();
  app = null;
});

/** A private room the member is in: invited by the owner, then accepted, as the server's consent rules require. */
async function privateRoom(owner: Person, member: Person, name: string) {
  const room = await owner.api
    .collection('rooms')
    .create({ name, kind: 'private', owner: owner.id, members: [owner.id], invited: [member.id] });
  await member.api.send(`/api/palaver/rooms/${room.id}/accept`, { method: 'POST', requestKey: null });
  return room;
}

async function write(person: Person, roomId: string, text: string) {
  return person.api.collection('messages').create({ room: roomId, user: person.id, text });
}

async function mainWindow(electronApp: ElectronApplication) {
  return electronApp.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    return { count: windows.length, visible: windows[0]?.isVisible() ?? false };
  });
}

test('a message while the window is away notifies; the tray counts it; a click on the notification opens its room', async () => {
  const alice = await makePerson(server, 'alice');
  const bob = await makePerson(server, 'bob');
  const roomName = `ops-${alice.username}`;
  const room = await privateRoom(bob, alice, roomName);

  app = await launch(server, newProfile());
  const window = await app.firstWindow();
  await signIn(window, server, alice);
  // Signed in, the app opens #general: the room under test is not the one on screen.
  await expect(window.getByRole('heading', { level: 1 })).toContainText('general');
  const probe = await readProbe(app);
  expect(
    probe.exists,
    'the end-to-end probe exists while Playwright drives the app through the inspector (src-main/e2e-probe.ts)',
  ).toBe(true);
  expect(trayOpenLabel(probe)).toBe('Open Palaver');

  // Away: the window is hidden, so it is neither focused nor visible.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.hide());
  await expect.poll(() => window.evaluate(() => document.visibilityState)).toBe('hidden');

  // Mentions: a private room notifies what mentions the person unless they chose every message.
  await write(bob, room.id, `@${alice.username} the deploy is done`);
  await write(bob, room.id, `and the rollback plan is in the doc, @${alice.username}`);

  await expect
    .poll(
      async () => {
        const now = await readProbe(app!);
        expect(
          now.notificationsUnsupported,
          'this system shows no desktop notifications: install libnotify (libnotify4)',
        ).toBe(false);
        return now.notifications.filter((n) => n.roomId === room.id);
      },
      { message: 'a notification for each of the two messages' },
    )
    .toHaveLength(2);
  const [first] = (await readProbe(app)).notifications.filter((n) => n.roomId === room.id);
  expect(first!.title).toContain(roomName);
  expect(first!.title).toContain(bob.username);
  expect(first!.body).toBe(`@${alice.username} the deploy is done`);

  // The tray (and its menu, for trays that never show a tooltip) counts both.
  await expect.poll(async () => (await readProbe(app!)).tray?.tooltip).toBe('Palaver — 2 unread messages');
  const counted = await readProbe(app);
  expect(trayOpenLabel(counted)).toBe('Open Palaver (2 unread)');
  expect(counted.tray?.badgeCount).toBe(2);

  // A click, as the desktop delivers it: the window comes back with the room open, and it is read.
  await app.evaluate((_electron, roomId) => {
    const probe = (globalThis as { __palaverE2eProbe?: { notifications: Array<{ roomId?: string; click(): void }> } })
      .__palaverE2eProbe;
    probe?.notifications.find((n) => n.roomId === roomId)?.click();
  }, room.id);
  await expect.poll(() => mainWindow(app!)).toEqual({ count: 1, visible: true });
  await expect(window.getByRole('heading', { level: 1 })).toContainText(roomName);
  await expect(window.getByRole('log', { name: 'Messages' })).toContainText('and the rollback plan is in the doc');
  await expect.poll(async () => trayOpenLabel(await readProbe(app!))).toBe('Open Palaver');
});

test('a palaver://room link opened while Palaver runs reaches it through a second instance and opens the room', async () => {
  const alice = await makePerson(server, 'alice');
  const bob = await makePerson(server, 'bob');
  const roomName = `linked-${alice.username}`;
  const room = await privateRoom(bob, alice, roomName);
  const linked = await write(bob, room.id, 'you followed a link here');

  const profile = newProfile();
  app = await launch(server, profile);
  const window = await app.firstWindow();
  await signIn(window, server, alice);
  // Signed in, the app opens #general: the room under test is not the one on screen.
  await expect(window.getByRole('heading', { level: 1 })).toContainText('general');
  // The profile the app really uses: the single-instance lock belongs to it.
  const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));

  /** Starts Palaver again as the system does for a link; that instance must hand it over and quit. */
  const secondInstance = (link: string) =>
    new Promise<number | null>((resolve, reject) => {
      // Started as Playwright starts the first one: without Chromium's sandbox on Linux.
      const sandbox = process.platform === 'linux' ? ['--no-sandbox'] : [];
      const child = spawn(binary!, appArgs(userData, ...sandbox, link), { env: appEnv(server), stdio: 'ignore' });
      const timer = setTimeout(() => {
        child.kill();
        reject(
          new Error(
            `the second instance started for ${link} did not quit within 30 s: it did not find the first one's single-instance lock`,
          ),
        );
      }, 30_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

  // A link Palaver refuses changes nothing (and is only logged).
  expect(await secondInstance('palaver://room/../../settings')).toBe(0);
  // The window may have come to the front; it still shows the room it had.
  await expect(window.getByRole('heading', { level: 1 })).toContainText('general');

  expect(await secondInstance(`palaver://room/${room.id}`)).toBe(0);
  await expect(window.getByRole('heading', { level: 1 })).toContainText(roomName);
  await expect(window.getByRole('log', { name: 'Messages' })).toContainText('you followed a link here');
  expect(await mainWindow(app)).toEqual({ count: 1, visible: true });

  // A message's link (issue 17) opens the room at that message, which gets the keyboard; a near miss
  // of the form is refused like any other.
  expect(await secondInstance(`palaver://room/${room.id}/message/../${linked.id}`)).toBe(0);
  await window.getByRole('button', { name: /general/ }).click();
  await expect(window.getByRole('heading', { level: 1 })).toContainText('general');
  expect(await secondInstance(`palaver://room/${room.id}/message/${linked.id}`)).toBe(0);
  await expect(window.getByRole('heading', { level: 1 })).toContainText(roomName);
  await expect(
    window.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: 'you followed a link here' }),
  ).toBeFocused();
});

test('no file of the profile holds the sign-in token in plain text, before or after a restart', async () => {
  const alice = await makePerson(server, 'alice');
  const profile = newProfile();
  const tokens: string[] = [];

  const watchTokens = (page: Awaited<ReturnType<ElectronApplication['firstWindow']>>) =>
    page.on('response', (response) => {
      if (!/\/api\/collections\/users\/auth-(with-password|refresh)/.test(response.url())) return;
      void response.json().then(
        (body: { token?: string }) => body.token && tokens.push(body.token),
        () => undefined,
      );
    });

  app = await launch(server, profile);
  const window = await app.firstWindow();
  watchTokens(window);
  await signIn(window, server, alice);
  await expect.poll(() => tokens.length, { message: 'the token the server issued at sign-in' }).toBeGreaterThan(0);
  const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
  const vaultFile = join(userData, 'vault.json');
  const savedSignIn = () => existsSync(vaultFile) && 'auth' in (JSON.parse(readFileSync(vaultFile, 'utf8')) as object);
  const memoryOnly = window.getByText(/keeps you signed in only until you quit/);
  // The vault answers after sign-in: either the sign-in is saved, or the app says it is kept in memory.
  await expect
    .poll(async () => savedSignIn() || (await memoryOnly.count()) > 0, {
      message: `${vaultFile} holds the sign-in, or the app says why not`,
    })
    .toBe(true);
  const persistent = (await memoryOnly.count()) === 0;
  // With a keyring named for the run (the CI workflow starts one), the encrypted path must be the one taken.
  if (passwordStore)
    expect(persistent, `the app found no keyring although PALAVER_E2E_PASSWORD_STORE=${passwordStore}`).toBe(true);
  expectNoPlainToken(userData, tokens, persistent);
  await app.close();

  // After a restart (where the keyring keeps the session) the server's refreshed token is saved too.
  // Watched from the context as well, in case Playwright sees the window before its first request.
  app = await launch(server, profile);
  app.context().on('page', watchTokens);
  const again = await app.firstWindow();
  watchTokens(again);
  if (persistent) {
    await expect(again.getByRole('log', { name: 'Messages' })).toBeVisible();
  } else {
    await expect(again.getByRole('button', { name: 'Sign in' })).toBeVisible();
  }
  await app.close();
  app = null;
  expectNoPlainToken(userData, tokens, persistent);
});

/**
 * The vault holds ciphertext only (or nothing without a keyring), and no file of the profile holds a
 * token or its payload or signature part (the header part is the same in every token) in plain text.
 */
function expectNoPlainToken(userData: string, tokens: string[], persistent: boolean): void {
  const vaultFile = join(userData, 'vault.json');
  const secrets = tokens.flatMap((token) => [token, ...token.split('.').slice(1)]).filter((s) => s.length >= 8);
  if (existsSync(vaultFile)) {
    const vault = JSON.parse(readFileSync(vaultFile, 'utf8')) as {
      auth?: { version?: number; backend?: string; ciphertext?: string };
    };
    if (persistent) {
      expect(vault.auth, 'the vault keeps the sign-in encrypted').toMatchObject({
        version: 1,
        backend: expect.any(String),
        ciphertext: expect.any(String),
      });
    } else {
      expect(vault.auth, 'without a keyring nothing about the sign-in is written').toBeUndefined();
    }
    // Not merely encoded: the decoded ciphertext holds no token either.
    const decoded = vault.auth?.ciphertext ? Buffer.from(vault.auth.ciphertext, 'base64').toString('latin1') : '';
    for (const secret of secrets)
      expect(decoded.includes(secret), 'the decoded ciphertext contains the token').toBe(false);
  }
  for (const file of filesUnder(userData)) {
    const content = readFileSync(file).toString('latin1');
    for (const secret of secrets)
      expect(content.includes(secret), `${file} contains the sign-in token in plain text`).toBe(false);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
    } catch {
      return []; // a lock or socket that vanished meanwhile
    }
  });
}
