// The accessibility check every screen and dialog must pass: axe-core with the WCAG 2.1 A and AA rules,
// in the light and the dark theme. Serious and critical findings fail the test, each named with its rule,
// the element and the advice, so a failing run says what to fix. Minor and moderate findings are left
// to review: they are often judgement calls that would make the check noisy.
import AxeBuilder from '@axe-core/playwright';
import { test, type Page } from '@playwright/test';
import type { Result } from 'axe-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The WCAG rules whose outcome a colour theme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const BLOCKING: ReadonlySet<string> = new Set(['serious', 'critical']);

export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];

/** The findings that fail the check. */
export function blockingViolations(violations: readonly Result[]): Result[] {
  return violations.filter((v) => v.impact && BLOCKING.has(v.impact));
}

/** One paragraph per rule broken: what, where (a selector per element), and how to fix it. */
export function describeViolations(where: string, theme: Theme, violations: readonly Result[]): string {
  const lines = [`Accessibility: ${violations.length} serious or critical problem(s) in "${where}" (${theme} theme):`];
  for (const violation of violations) {
    lines.push(`- ${violation.id} (${violation.impact}): ${violation.help}`, `  ${violation.helpUrl}`);
    for (const node of violation.nodes) {
      const selector = node.target
        .map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part)))
        .join(' >>> ');
      const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
      lines.push(`  at ${selector}${summary ? `: ${summary}` : ''}`);
    }
  }
  return lines.join('\n');
}

/**
 * Runs axe on the page as it is now, in each theme (the page's own colour scheme is put back after),
 * and throws one error naming every serious or critical problem found.
 */
export async function expectAccessible(page: Page, where: string, themes: readonly Theme[] = THEMES): Promise<void> {
  // Each check injects axe and walks the page once per theme, seconds on two shared cores: a test's time
  // limit grows with the checks it makes, so a test of many screens is not cut off for being thorough.
  test.info().setTimeout(test.info().timeout + themes.length * 10_000);
  await test.step(`accessible: ${where}`, async () => {
    const before: Theme = (await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches))
      ? 'dark'
      : 'light';
    const reports: string[] = [];
    try {
      for (const [index, theme] of themes.entries()) {
        await page.emulateMedia({ colorScheme: theme });
        // Legacy mode runs axe in the page itself; the default opens a new page per check to merge the
        // results of frames, seconds each on two shared cores, and the app has no frames. A theme
        // changes colours only, so after the first theme only the rules about colour run again.
        const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode(true);
        const results = await (index === 0 ? builder : builder.withRules(COLOUR_RULES)).analyze();
        const found = blockingViolations(results.violations);
        if (found.length > 0) reports.push(describeViolations(where, theme, found));
      }
    } finally {
      await page.emulateMedia({ colorScheme: before });
    }
    if (reports.length > 0) throw new Error(reports.join('\n\n'));
  });
}
