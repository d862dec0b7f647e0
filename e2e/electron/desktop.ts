// Shared by the Electron end-to-end tests: which app to start, starting it with its own temporary
// profile against a test server, signing in as a person would, people made through the API, and the
// main process's end-to-end probe (src-main/e2e-probe.ts).
import { _electron as electron, expect, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { repoRoot } from '../../scripts/backend-build.ts';
import { electronBinary } from '../../scripts/electron-binary.ts';
import type { TestServer } from '../../backend/testing/server.ts';
import type { E2E_PROBE_KEY, E2eProbe } from '../../src-main/e2e-probe.ts';

// PALAVER_E2E_PACKAGED_APP names a packaged test build's executable (`npm run dist:e2e`, e.g.
// dist/e2e/linux-unpacked/palaver): then the installed app is tested, fuses and asar included, instead of
// Electron running out/. The workflows do this on Linux under Xvfb.
export const packagedApp = process.env['PALAVER_E2E_PACKAGED_APP'] || null;
export const binary = packagedApp ?? electronBinary();

/**
 * Chromium picks the Linux keyring from the desktop it runs in, and under Xvfb there is none: it would
 * choose basic_text and the vault would keep the token in memory only. The CI workflow starts a GNOME
 * keyring and names it here (gnome-libsecret), so the encrypted path is tested too.
 */
export const passwordStore = process.env['PALAVER_E2E_PASSWORD_STORE'] || null;

export interface Person {
  username: string;
  email: string;
  password: string;
  id: string;
  /** Signed in through the SDK, to set the stage and to write as this person. */
  api: PocketBase;
}

let sequence = 0;

export async function makePerson(server: TestServer, prefix: string): Promise<Person> {
  sequence += 1;
  const username = `${prefix}_${sequence}_${process.pid % 10000}`;
  const account = { username, email: `${username}@palaver.test`, password: `pw-${username}-long` };
  const api = new PocketBase(server.url);
  api.autoCancellation(false);
  const record = await api.collection('users').create({ ...account, passwordConfirm: account.password, name: '' });
  await api.collection('users').authWithPassword(username, account.password);
  return { ...account, id: record.id, api };
}

export function newProfile(): string {
  return mkdtempSync(join(tmpdir(), 'palaver-electron-'));
}

/** The command line that starts Palaver on this profile, with any further arguments (such as a link). */
export function appArgs(userData: string, ...more: string[]): string[] {
  // A packaged app knows where it is; unpackaged Electron is told the app folder.
  return [
    ...(packagedApp ? [] : [repoRoot]),
    `--user-data-dir=${userData}`,
    ...(passwordStore ? [`--password-store=${passwordStore}`] : []),
    ...more,
  ];
}

export function appEnv(server: TestServer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, PALAVER_SERVER: server.url };
}

export function launch(server: TestServer, userData: string): Promise<ElectronApplication> {
  return electron.launch({ executablePath: binary!, args: appArgs(userData), env: appEnv(server) });
}

/** Signs in through the sign-in screen, choosing the server first where a packaged app ignores PALAVER_SERVER. */
export async function signIn(
  window: Page,
  server: TestServer,
  person: Pick<Person, 'username' | 'password'>,
): Promise<void> {
  if (packagedApp) {
    // The window reloads so that its Content-Security-Policy allows the new server, and keeps the username.
    await window.getByLabel('Server', { exact: true }).fill(server.url);
    await window.getByLabel('Username or email').fill(person.username);
    await window.getByLabel('Password', { exact: true }).fill(person.password);
    const reloaded = window.waitForEvent('load');
    await window.getByRole('button', { name: 'Sign in' }).click();
    await reloaded;
    await expect(window.getByLabel('Username or email')).toHaveValue(person.username);
  }
  await expect(window.getByLabel('Server', { exact: true })).toHaveValue(server.url);
  await window.getByLabel('Username or email').fill(person.username);
  await window.getByLabel('Password', { exact: true }).fill(person.password);
  await window.getByRole('button', { name: 'Sign in' }).click();
  await expect(window.getByRole('log', { name: 'Messages' })).toBeVisible();
}

/** What the probe holds, as plain data (a notification's click stays in the main process). */
export interface ProbeSnapshot {
  exists: boolean;
  tray: E2eProbe['tray'];
  notifications: Array<{ title: string; body: string; roomId?: string; threadId?: string }>;
  notificationsUnsupported: boolean;
}

// electronApp.evaluate runs its function in the main process, away from this module, so the key is
// written out there; this line stops compiling if the probe's key is renamed.
const probeKey: typeof E2E_PROBE_KEY = '__palaverE2eProbe';
void probeKey;

export function readProbe(app: ElectronApplication): Promise<ProbeSnapshot> {
  return app.evaluate(() => {
    const probe = (globalThis as { __palaverE2eProbe?: E2eProbe }).__palaverE2eProbe;
    return {
      exists: probe !== undefined,
      tray: probe?.tray ?? null,
      notifications: (probe?.notifications ?? []).map(({ title, body, roomId, threadId }) => ({
        title,
        body,
        ...(roomId === undefined ? {} : { roomId }),
        ...(threadId === undefined ? {} : { threadId }),
      })),
      notificationsUnsupported: probe?.notificationsUnsupported ?? false,
    };
  });
}

/** The label of the tray menu's first item, which repeats the unread count ("Open Palaver (2 unread)"). */
export function trayOpenLabel(snapshot: ProbeSnapshot): string | undefined {
  const open = snapshot.tray?.menu.find((item) => 'id' in item && item.id === 'open');
  return open && 'label' in open ? open.label : undefined;
}
