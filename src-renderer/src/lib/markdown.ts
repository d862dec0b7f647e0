// Which messages are worth formatting, and the formatter fetched the first time one is (or while the chat
// is idle after sign-in, whichever comes first). Most messages have no markup: they render as plain text
// (MessageText.svelte) and never run the formatter. A
// message whose chunk has not arrived, or cannot (offline, the web build fetches chunks from the
// server), shows as plain text too: formatting is a nicety, never a condition for reading.

/** The characters markdown is written with, where they can mean something (a cheap test, on every message). */
const MARKUP = /[*_`~\\[]|^\s{0,3}(?:>|[-+] |\d{1,9}[.)] |#{1,6} |(?:[-=]\s*){3,}$)|^\s{0,3}(?:-|=){2,}\s*$/m;

/** True when the text may carry markup; false means it surely renders as plain text. */
export function hasMarkup(text: string): boolean {
  return MARKUP.test(text);
}

/**
 * Turns a message's text into sanitised nodes (a fragment to clone, never to change), or null when
 * markdown would show it as plain text anyway.
 */
export type FormatMessage = (text: string) => DocumentFragment | null;

let loaded: FormatMessage | null = null;
let loading: Promise<FormatMessage> | null = null;
/** Formats a page of texts in one pass ahead of drawing (markdown-sanitize.ts formatMessages). */
let formatPage: ((texts: readonly string[]) => void) | null = null;
let warm: (() => void) | null = null;

/** The formatter when its chunk is already here (so messages after the first render formatted at once). */
export function loadedFormatter(): FormatMessage | null {
  return loaded;
}

/** Fetches the formatter once; a failure is forgotten, so the next message that needs it tries again. */
export function loadFormatter(): Promise<FormatMessage> {
  return (loading ??= import('./markdown-sanitize.ts').then(
    (module) => {
      formatPage = module.formatMessages;
      warm = module.warmUp;
      return (loaded = module.formatMessage);
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
}

/**
 * Fetches the formatter once the page has nothing else to do (after the chat's first room is drawn), so
 * the first formatted room opened later is drawn at once rather than after the chunk's fetch: in the
 * desktop app a read from disk, in a browser one request the first formatted message would make anyway.
 * Not part of the first load, which stays the sign-in and chat screens.
 */
export function prefetchFormatterWhenIdle(): void {
  if (loading || typeof window === 'undefined') return;
  // Fetched, then run on sample text while still idle (markdown-sanitize.ts warmUp); a failure is left to
  // the first message that needs the formatter, which tries again.
  const fetchNow = () =>
    void loadFormatter().then(
      () => warmIn(WARM_SLICES),
      () => undefined,
    );
  idle(fetchNow);
}

/**
 * How many times the formatter is run on sample text, one idle moment each (a few milliseconds, never a
 * long task): the engine compiles markdown-it's and DOMPurify's code fully only after many runs. Formatting
 * the rich page of bench/renderer.ts in Chromium (load average 12-15) took 76-89 ms after one warm-up run,
 * 30-50 ms after ten, 20-26 ms fully warm.
 */
const WARM_SLICES = 12;

function warmIn(left: number): void {
  if (left > 0)
    idle(() => {
      warm?.();
      warmIn(left - 1);
    });
}

function idle(task: () => void): void {
  if ('requestIdleCallback' in window) window.requestIdleCallback(task, { timeout: 10_000 });
  else setTimeout(task, 3_000);
}

/**
 * Formats a page of messages before it is drawn, waiting at most `waitMs` for the formatter when some of
 * them need it: the page then renders formatted in one pass, instead of as plain text laid out once and
 * again when the chunk comes, and its messages are sanitised together (bench/renderer.ts measured both).
 * A chunk that cannot be fetched in time leaves the page plain, as before. Only the first `count` texts
 * are formatted here: a room's newest page is drawn a screenful first (lib/draw-in-steps.svelte.ts),
 * which formats each part as it draws it (formatNow), so the page's newest page asks for none.
 */
export async function formatAhead(texts: readonly string[], count = texts.length, waitMs = 1500): Promise<void> {
  if (!texts.some(hasMarkup)) return;
  if (!loaded) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([
      loadFormatter().then(
        () => undefined,
        () => undefined,
      ),
      timeout,
    ]);
    clearTimeout(timer);
  }
  formatNow(texts.slice(0, count));
}

/** Formats these texts in one pass now, when the formatter is here (else they show plain until it is). */
export function formatNow(texts: readonly string[]): void {
  const marked = texts.filter(hasMarkup);
  if (marked.length > 0) formatPage?.(marked);
}
