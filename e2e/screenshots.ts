// Screenshots for people to look at (the guide asks for every changed screen in both themes). They go to
// one folder outside the repository, by topic: $PALAVER_SHOTS, else <tmp>/palaver-shots/<topic>/.
import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHOTS_DIR = process.env.PALAVER_SHOTS ?? join(tmpdir(), 'palaver-shots');

/** Where the screenshot `name` of `topic` goes (the folder is made on the way). */
export function shotPath(topic: string, name: string): string {
  const folder = join(SHOTS_DIR, topic);
  mkdirSync(folder, { recursive: true });
  return join(folder, `${name}.png`);
}

/**
 * `name-light.png` and `name-dark.png` of the page (or of one part of it), then back to the system's
 * scheme, which the tests emulate as light.
 */
export async function shootThemes(page: Page, topic: string, name: string, part?: Locator): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await (part ?? page).screenshot({ path: shotPath(topic, `${name}-${colorScheme}`) });
  }
  await page.emulateMedia({ colorScheme: null });
}
