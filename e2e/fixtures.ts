// Test fixtures: one real PocketBase per worker serving the web build, and helpers that act as a
// person would (through the UI) or set the stage through the API.
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import PocketBase from 'pocketbase';
import { e2eWebDir } from './web-dir.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';

export { expect };

export interface Account {
  username: string;
  email: string;
  password: string;
  id: string;
}

let sequence = 0;

export const test = base.extend<{ makeAccount: (prefix?: string) => Promise<Account> }, { server: TestServer }>({
  server: [
    async ({}, use) => {
      const server = await startTestServer({ serveArgs: ['--publicDir', e2eWebDir] });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  makeAccount: async ({ server }, use) => {
    await use((prefix = 'user') => createAccount(server, prefix));
  },
});

/** A new account on the server, its email confirmed (makeAccount, for a server of the test's own). */
export async function createAccount(server: TestServer, prefix = 'user'): Promise<Account> {
  sequence += 1;
  // The separator keeps numbered prefixes apart: 'pal1' + 57 and 'pal15' + 7 were both 'pal157'
  // (the username is unique without case), which failed a fresh-clone CI run with "Value must be unique".
  const username = `${prefix}_${sequence}_${process.pid % 10000}`;
  const account = { username, email: `${username}@palaver.test`, password: `pw-${username}-long` };
  const pb = new PocketBase(server.url);
  // A refused sign-up says why (PocketBase answers any error inside the create's transaction with a
  // bare "Failed to create record."; its data names the field or is empty for a server-side error).
  const record = await pb
    .collection('users')
    .create({ ...account, passwordConfirm: account.password, name: '' })
    .catch((error: { status?: number; response?: unknown }) => {
      throw new Error(`sign-up of ${username} refused (${error.status}): ${JSON.stringify(error.response)}`, {
        cause: error,
      });
    });
  // Sign-up only mails the address a link (backend/email_claims.go); a superuser stands in for it.
  await (await server.admin()).collection('users').update(record.id, { email: account.email });
  return { ...account, id: record.id };
}

/** Opens the app and signs in through the sign-in screen. */
export async function signIn(
  page: Page,
  server: TestServer,
  account: Pick<Account, 'username' | 'password'>,
): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username or email').fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
}

/** A second person in their own browser context (own storage, own session). */
export async function personIn(browser: Browser, server: TestServer, account: Account): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server, account);
  return page;
}

/** An SDK client signed in as the account, to set the stage or check the database. */
export async function apiAs(server: TestServer, account: Pick<Account, 'username' | 'password'>): Promise<PocketBase> {
  const pb = new PocketBase(server.url);
  pb.autoCancellation(false);
  await pb.collection('users').authWithPassword(account.username, account.password);
  return pb;
}

export function messageLog(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

interface RecordedNotification {
  title: string;
  onclick: (() => void) | null;
}

/**
 * Records the page's Web Notifications (headless Chromium shows none), so a test can count, read and
 * click them. Call before the page loads the app.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript({
    content: `
      window.__notifications = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { this.title = title; this.options = options; this.onclick = null; window.__notifications.push(this); }
        close() {}
      };`,
  });
}

/** The titles of the notifications shown so far, oldest first. */
export function notificationTitles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __notifications: RecordedNotification[] }).__notifications.map((n) => n.title),
  );
}

/** Clicks a recorded notification, as the person would in the system's notification area. */
export async function clickNotification(page: Page, index = 0): Promise<void> {
  await page.evaluate(
    (i) => (window as unknown as { __notifications: RecordedNotification[] }).__notifications[i]!.onclick?.(),
    index,
  );
}
