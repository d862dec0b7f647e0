// Screenshots of the dashboard tasks the operator guide (backend/deploy/README.md, "Moderation") walks
// through: suspending an account, the open reports, settling one, the audit log. Starts a throwaway
// server with a little data, signs into /_/ as its superuser in Chromium and shoots each page into
// backend/deploy/images/. Run: npx tsx scripts/moderation-shots.ts (after npm run backend:build).
import { chromium, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRoom, post, signUp } from '../backend/testing/clients.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { chromiumPath } from '../playwright.config.ts';
import { repoRoot } from './backend-build.ts';

const imagesDir = join(repoRoot, 'backend', 'deploy', 'images');

async function main(): Promise<void> {
  mkdirSync(imagesDir, { recursive: true });
  const server = await startTestServer();
  const browser = await chromium.launch({ executablePath: chromiumPath });
  try {
    const admin = await server.admin();
    const [rose, sam, ben] = await Promise.all([signUp(server, 'rose'), signUp(server, 'sam'), signUp(server, 'ben')]);
    const room = await createRoom(rose, 'private', [sam, ben]);
    await post(rose, room, 'Plant swap on Saturday, bring cuttings!');
    const spam = await post(sam, room, 'CHEAP WATCHES at my site, click now');
    await post(sam, room, 'Limited offer: watches, watches, watches');
    await rose.pb.collection('reports').create({ message: spam.id, reason: 'Spam: selling watches' });
    await ben.pb.collection('reports').create({ message: spam.id, reason: 'advertising' });
    const older = await post(ben, room, 'who wants tomatoes?');
    await rose.pb.collection('reports').create({ message: older.id, reason: 'misclick, sorry' });
    await admin.collection('users').update(sam.id, { suspended: true });
    const dismissed = await admin.collection('reports').getFirstListItem(`message = "${older.id}"`);
    await admin.collection('reports').update(dismissed.id, { status: 'dismissed' });
    const open = await admin.collection('reports').getFirstListItem(`reporter = "${rose.id}" && status = "open"`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(`${server.url}/_/#/login`);
    await page.locator('input[type="email"]').fill(server.superuser.email);
    await page.locator('input[type="password"]').fill(server.superuser.password);
    await page.getByRole('button', { name: /login/i }).click();
    await page.waitForURL(/#\/collections/);

    await shoot(page, `${server.url}/_/#/collections?collection=users`, 'suspend-account', sam.email, 'suspended');
    await shoot(page, `${server.url}/_/#/collections?collection=open_reports`, 'open-reports');
    await shoot(
      page,
      `${server.url}/_/#/collections?collection=reports`,
      'settle-report',
      open.reason as string,
      'status',
    );
    await shoot(page, `${server.url}/_/#/collections?collection=audit_log`, 'audit-log');
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** Shoots the page at `url`; with `row`, the record panel opened from the row with that text, scrolled to `field`. */
async function shoot(page: Page, url: string, name: string, row?: string, field?: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  if (row) {
    await page.getByText(row, { exact: true }).first().click();
    await page.waitForTimeout(800); // the record panel slides in
    if (field) await page.getByText(field, { exact: true }).last().hover(); // a hidden field is shown blurred until hovered
  }
  await page.waitForTimeout(500);
  const path = join(imagesDir, `${name}.png`);
  await page.screenshot({ path });
  console.log(path);
}

await main();
