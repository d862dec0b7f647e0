// A room's first page in Chromium, timed from its response's end in the page's own clock: when what is on
// screen was drawn and laid out (the list at its bottom, filled, every message in view with all its parts),
// when all of the page's messages were, and whether the view moved or lost the keyboard's focus between
// the two. Shared by bench/renderer.ts and bench/renderer-ab.ts (the same opens, builds interleaved).
import type { Page } from '@playwright/test';
import { PAGE_SIZE } from '../../src-renderer/src/lib/history.ts';
import type { Deadlines } from './deadline.ts';

/** How long a first page may take to be drawn before the wait fails. */
export const PAINT_MS = 30_000;

/** What a first page must show before it counts as painted: its messages, each with its parts drawn. */
export interface PageReady {
  /** The room's messages start with this (so the room shown before the click is not counted). */
  marker: string;
  /** Every message is drawn formatted (markdown). */
  formatted: boolean;
  /** Message i (read from its text) has a thread summary when i % rootEvery is 0 (0: none has). */
  rootEvery: number;
  /** ...and reaction chips when i % reactEvery is 0 (0: none has). */
  reactEvery: number;
}

/**
 * From the first page's response end, in the page's own clock: when the page was drawn and laid out with
 * every part (total: the first frame that has it, about to be painted); when its messages were first all in the list, drawn or not (shown); when the
 * markdown chunk arrived, if it was fetched then (chunk, else null).
 */
export interface FirstPage {
  total: number;
  shown: number;
  chunk: number | null;
  /**
   * When what is on screen was painted: the list at its bottom, filled from its top edge, and every
   * message at least partly in view drawn with every part it has (an app that draws a screenful first
   * and the rest after is done here; one that draws the whole page at once, with the whole page).
   */
  screen: number;
  /** Messages at least partly in view then. */
  onScreen: number;
  /** How far the newest message moved on screen, and how far from the bottom the list was, once the whole page was drawn (px). */
  moved: number;
  fromBottom: number;
  /** The element with the keyboard focus was the same when the screen was drawn and when the whole page was. */
  focusKept: boolean;
}

/** Clicks a room and measures, in the page's own clock, first-page response end -> painted. */
export async function openAndMeasure(
  page: Page,
  roomName: string,
  ready: PageReady,
  deadline: Deadlines,
): Promise<FirstPage> {
  const measuring = page.evaluate(
    ([wanted, giveUpMs, want]) =>
      new Promise<FirstPage>((resolve, reject) => {
        let responseEnd = 0;
        let shownAt = 0;
        let chunkAt = 0;
        const resources = new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
            if (entry.name.includes('/api/collections/messages/records') && entry.name.includes('sort=-created'))
              responseEnd = entry.responseEnd;
            if (entry.name.includes('markdown-sanitize')) chunkAt = entry.responseEnd;
          }
        });
        resources.observe({ type: 'resource', buffered: false });
        const giveUpAt = performance.now() + giveUpMs;
        const drawn = { formatted: 0, roots: 0, reacted: 0, missing: 0 };
        /** Parts missing from these messages, by the index in each one's text: every part it should show. */
        const missingIn = (articles: Element[], count?: typeof drawn) => {
          let missing = 0;
          for (const a of articles) {
            const i = Number(/ message (\d+):/.exec(a.querySelector('.text')?.textContent ?? '')?.[1] ?? -1);
            const formatted = !!a.querySelector('.text.formatted');
            const root = !!a.querySelector('.summary');
            const reacted = !!a.querySelector('.reactions .chip');
            if (count) {
              count.formatted += Number(formatted);
              count.roots += Number(root);
              count.reacted += Number(reacted);
            }
            if (want.formatted && !formatted) missing++;
            if (want.rootEvery && i % want.rootEvery === 0 && !root) missing++;
            if (want.reactEvery && i % want.reactEvery === 0 && !reacted) missing++;
          }
          return missing;
        };
        // Checked at the start of every frame (requestAnimationFrame), reading the layout, which lays out
        // what the app drew since the last frame: a state counts from the first frame that has it drawn
        // and laid out, about to be painted. (Not two frames later: an app that draws the rest of the page
        // in the task after the first frame would have the rest counted in the screen's time.)
        // The screen: drawn once the list is at its bottom, filled from its top edge, and every message in
        // view is the room's with every part drawn.
        let screen: { at: number; onScreen: number; newestBottom: number; focus: Element | null } | null = null;
        let whole: { at: number; newestBottom: number; fromBottom: number; focus: Element | null } | null = null;
        const newestBottom = (log: Element, articles: Element[]) =>
          (articles.at(-1)?.getBoundingClientRect().bottom ?? 0) - log.getBoundingClientRect().bottom;
        const checkScreen = (log: Element, articles: Element[]) => {
          if (screen || articles.length === 0) return;
          const box = log.getBoundingClientRect();
          const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 2;
          const inView = [...log.querySelectorAll('article')].filter((a) => {
            const r = a.getBoundingClientRect();
            return r.bottom > box.top && r.top < box.bottom;
          });
          const ours = inView.filter((a) => articles.includes(a));
          const filledFromTop = (inView[0]?.getBoundingClientRect().top ?? Infinity) <= box.top + 1;
          if (!atBottom || !filledFromTop || ours.length !== inView.length || missingIn(ours) > 0) return;
          screen = {
            at: performance.now(),
            onScreen: ours.length,
            newestBottom: newestBottom(log, articles),
            focus: document.activeElement,
          };
        };
        const check = () => {
          const log = document.querySelector('[role="log"]');
          const articles = [...(log?.querySelectorAll('article') ?? [])].filter((a) =>
            (a.querySelector('.text')?.textContent ?? '').startsWith(want.marker),
          );
          const shown = articles.length;
          // Not waiting for the response's timing entry, which can be delivered after the app has drawn.
          if (log) checkScreen(log, articles);
          if (shown >= wanted) {
            drawn.formatted = drawn.roots = drawn.reacted = 0;
            drawn.missing = missingIn(articles, drawn);
          }
          const complete = drawn.missing === 0;
          if (shown >= wanted) shownAt ||= performance.now();
          if (shown >= wanted && complete && !whole) {
            // Read from the layout first: the page laid out, then the time.
            const fromBottom = log!.scrollHeight - log!.scrollTop - log!.clientHeight;
            whole = {
              at: performance.now(),
              newestBottom: newestBottom(log!, articles),
              fromBottom,
              focus: document.activeElement,
            };
          }
          if (whole && screen && responseEnd > 0) {
            resources.disconnect();
            // For a trace of the open (bench/renderer-ab.ts): the span measured, on the trace's clock.
            performance.mark('first-page-response', { startTime: responseEnd });
            performance.mark('first-page-screen', { startTime: screen.at });
            performance.mark('first-page-drawn', { startTime: whole.at });
            resolve({
              total: whole.at - responseEnd,
              shown: shownAt - responseEnd,
              chunk: chunkAt > responseEnd ? chunkAt - responseEnd : null,
              screen: screen.at - responseEnd,
              onScreen: screen.onScreen,
              moved: Math.abs(whole.newestBottom - screen.newestBottom),
              fromBottom: whole.fromBottom,
              focusKept: whole.focus === screen.focus,
            });
            return;
          }
          if (performance.now() > giveUpAt) {
            resources.disconnect();
            reject(
              new Error(
                `first page: ${shown} messages shown (${drawn.formatted} formatted, ${drawn.roots} thread summaries, ${drawn.reacted} with reactions; ${drawn.missing} parts missing; the screen ${screen ? 'drawn' : 'not drawn'}), first-page response ${responseEnd > 0 ? 'seen' : 'not seen'}`,
              ),
            );
            return;
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [PAGE_SIZE, PAINT_MS, ready] as const,
  );
  await page.getByRole('button', { name: new RegExp(roomName) }).click();
  const shown = () => page.evaluate(() => `${document.querySelectorAll('[role="log"] article').length} messages shown`);
  return deadline.within(`${roomName}'s first page of ${PAGE_SIZE} to be painted`, PAINT_MS + 5_000, measuring, shown);
}
