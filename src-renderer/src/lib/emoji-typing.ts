// The composer's side of shortcodes: the table is fetched the first time someone types a colon, never
// in the first load. Until it has arrived, text stays exactly as typed; then the composer is asked to
// look again, so the `:tada:` that started the fetch still turns into 🎉.
import {
  loadShortcodes,
  replaceAllShortcodes,
  replaceClosedShortcode,
  type Replaced,
  type ShortcodeTable,
} from './emoji-shortcodes.ts';

let table: ShortcodeTable | null = null;

/**
 * The replacement for a colon just typed before `caret`, or null. Without the table yet, starts
 * fetching it and calls `retry` once it is there (a failed fetch is tried again on the next colon).
 */
export function shortcodeTyped(text: string, caret: number, retry: () => void): Replaced | null {
  if (text[caret - 1] !== ':') return null;
  if (table) return replaceClosedShortcode(text, caret, table);
  loadShortcodes().then(
    (loaded) => {
      table = loaded;
      retry();
    },
    () => {
      // Offline or mid-update: shortcodes stay text, which is what was typed.
    },
  );
  return null;
}

/** Text about to be sent with every known shortcode outside code replaced (pasted ones too). */
export function shortcodesAtSend(text: string): string {
  return table ? replaceAllShortcodes(text, table) : text;
}
