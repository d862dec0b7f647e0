// `:shortcode:` in the composer becomes its emoji. The table is GitHub's set from emojibase (`:tada:`,
// `:+1:`, `:smile:`): the names people already type in GitHub, Slack and Discord, and small enough to
// fetch on first use. It is never part of the first load: until it has arrived, text stays as typed.

/** Shortcode (without colons) to emoji. */
export type ShortcodeTable = ReadonlyMap<string, string>;

/** emojibase's shortcodes file: hexcode to one shortcode or several. */
export type ShortcodeFile = Record<string, string | string[]>;

/**
 * The emoji a hexcode such as `1F44D` or `1F44D-1F3FB` stands for. A lone symbol from the older
 * Unicode blocks (❤, ☀) gets the emoji presentation selector, or it is drawn as a plain text glyph.
 */
export function hexcodeToEmoji(hexcode: string): string {
  const points = hexcode.split('-').map((part) => Number.parseInt(part, 16));
  const emoji = String.fromCodePoint(...points);
  const [only] = points;
  return points.length === 1 && only !== undefined && only < 0x1f000 ? `${emoji}\uFE0F` : emoji;
}

export function buildShortcodeTable(file: ShortcodeFile): ShortcodeTable {
  const table = new Map<string, string>();
  for (const [hexcode, names] of Object.entries(file)) {
    const emoji = hexcodeToEmoji(hexcode);
    for (const name of Array.isArray(names) ? names : [names]) table.set(name, emoji);
  }
  return table;
}

/**
 * The [start, end) ranges of `text` that are code, where a shortcode is left alone: fenced blocks
 * (``` lines, to the closing fence or the end) and inline spans (a run of backticks to the next run of
 * the same length), as markdown reads them. With `unclosed`, a backtick run that nothing closes yet runs
 * to the end too: someone typing `` `x :tada: `` is writing code whose closing backtick is still to come.
 */
export function codeRanges(text: string, unclosed = false): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const fence = /^ {0,3}(`{3,}|~{3,})[^\n]*$/gm;
  let open: { at: number; marker: string } | null = null;
  const fences: Array<[number, number]> = [];
  for (const match of text.matchAll(fence)) {
    const marker = match[1] ?? '';
    if (!open) open = { at: match.index, marker };
    else if (marker[0] === open.marker[0] && marker.length >= open.marker.length) {
      fences.push([open.at, match.index + match[0].length]);
      open = null;
    }
  }
  if (open) fences.push([open.at, text.length]);
  let from = 0;
  for (const [start, end] of [...fences, [text.length, text.length] as [number, number]]) {
    ranges.push(...inlineCode(text, from, start, unclosed));
    if (end > start) ranges.push([start, end]);
    from = end;
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function inlineCode(text: string, from: number, to: number, unclosed: boolean): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const part = text.slice(from, to);
  const runs = [...part.matchAll(/`+/g)];
  for (let i = 0; i < runs.length; i++) {
    const opener = runs[i];
    if (!opener) continue;
    const closer = runs.findIndex((run, j) => j > i && run[0].length === opener[0].length);
    const closing = runs[closer];
    if (!closing) {
      if (!unclosed) continue;
      ranges.push([from + opener.index, to]);
      break;
    }
    ranges.push([from + opener.index, from + closing.index + closing[0].length]);
    i = closer;
  }
  return ranges;
}

function inCode(ranges: Array<[number, number]>, start: number, end: number): boolean {
  return ranges.some(([from, to]) => start < to && end > from);
}

const SHORTCODE = /:([a-z0-9_+-]+):/g;

/** What the composer does after a replacement: the new text and where the caret goes. */
export interface Replaced {
  text: string;
  caret: number;
}

/**
 * Replaces the shortcode that the colon just before `caret` closes, if it is a known one outside code;
 * null when there is nothing to replace (so the composer leaves the text exactly as typed).
 */
export function replaceClosedShortcode(text: string, caret: number, table: ShortcodeTable): Replaced | null {
  if (caret < 2 || text[caret - 1] !== ':') return null;
  const open = text.lastIndexOf(':', caret - 2);
  if (open < 0) return null;
  const name = text.slice(open + 1, caret - 1);
  if (!/^[a-z0-9_+-]+$/.test(name)) return null;
  const emoji = table.get(name);
  if (!emoji || inCode(codeRanges(text, true), open, caret)) return null;
  return { text: text.slice(0, open) + emoji + text.slice(caret), caret: open + emoji.length };
}

/** Every known shortcode outside code replaced (at sending: a pasted `:tada:` too). */
export function replaceAllShortcodes(text: string, table: ShortcodeTable): string {
  if (!text.includes(':')) return text;
  const code = codeRanges(text);
  return text.replace(SHORTCODE, (whole: string, name: string, at: number) => {
    const emoji = table.get(name);
    return emoji && !inCode(code, at, at + whole.length) ? emoji : whole;
  });
}

/** Up to `limit` table entries whose name starts with (then contains) `query`, for suggestions. */
export function suggestShortcodes(
  query: string,
  table: ShortcodeTable,
  limit = 8,
): Array<{ name: string; emoji: string }> {
  const q = query.toLowerCase();
  if (q.length < 2) return [];
  const starts: Array<{ name: string; emoji: string }> = [];
  const contains: Array<{ name: string; emoji: string }> = [];
  for (const [name, emoji] of table) {
    if (name.startsWith(q)) starts.push({ name, emoji });
    else if (name.includes(q)) contains.push({ name, emoji });
  }
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name.length - b.name.length || a.name.localeCompare(b.name);
  return [...starts.sort(byName), ...contains.sort(byName)].slice(0, limit);
}

let loading: Promise<ShortcodeTable> | null = null;

/** The table, fetched once on first use; a failed fetch is forgotten so the next use tries again. */
export function loadShortcodes(): Promise<ShortcodeTable> {
  return (loading ??= import('emojibase-data/en/shortcodes/github.json').then(
    (module) => buildShortcodeTable(module.default as ShortcodeFile),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
}
