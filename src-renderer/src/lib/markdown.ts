// Which messages are worth formatting, and the formatter fetched the first time one is. Most messages
// have no markup: they render as plain text (MessageText.svelte) and never cost the markdown chunk. A
// message whose chunk has not arrived, or cannot (offline, the web build fetches chunks from the
// server), shows as plain text too: formatting is a nicety, never a condition for reading.

/** The characters markdown is written with, where they can mean something (a cheap test, on every message). */
const MARKUP = /[*_`~\\[]|^\s{0,3}(?:>|[-+] |\d{1,9}[.)] |#{1,6} |(?:[-=]\s*){3,}$)|^\s{0,3}(?:-|=){2,}\s*$/m;

/** True when the text may carry markup; false means it surely renders as plain text. */
export function hasMarkup(text: string): boolean {
  return MARKUP.test(text);
}

/** Turns a message's text into sanitised HTML, or null when markdown would show it as plain text anyway. */
export type FormatMessage = (text: string) => string | null;

let loaded: FormatMessage | null = null;
let loading: Promise<FormatMessage> | null = null;

/** The formatter when its chunk is already here (so messages after the first render formatted at once). */
export function loadedFormatter(): FormatMessage | null {
  return loaded;
}

/** Fetches the formatter once; a failure is forgotten, so the next message that needs it tries again. */
export function loadFormatter(): Promise<FormatMessage> {
  return (loading ??= import('./markdown-sanitize.ts').then(
    (module) => (loaded = module.formatMessage),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
}
