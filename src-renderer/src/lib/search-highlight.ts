// A search result's text with its matches marked: the server sends where the words matched as UTF-16
// offsets (never HTML, the text is what someone wrote), and the results panel draws each piece as a text
// node, inside <mark> where it matched. A long message is cut to a window around its first match so
// the match is what the person sees.
import type { MatchRange } from './search-api.ts';

export interface TextSegment {
  text: string;
  mark: boolean;
}

/** A low surrogate: the second half of a character outside the Basic Multilingual Plane (an emoji). */
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Moves an offset off the middle of a surrogate pair, so no emoji is cut in half. */
function onCharacter(text: string, at: number): number {
  return at > 0 && at < text.length && isLowSurrogate(text.charCodeAt(at)) ? at - 1 : at;
}

/**
 * The text in pieces, marked or not, in order; their texts joined give `text` back. Ranges are expected
 * sorted and apart (search-api.ts cleans them); any that are not, or fall outside, are skipped.
 */
export function highlightSegments(text: string, matches: readonly MatchRange[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of matches) {
    const start = onCharacter(text, Math.max(rawStart, at));
    const end = onCharacter(text, Math.min(rawEnd, text.length));
    if (start < at || end <= start) continue;
    if (start > at) segments.push({ text: text.slice(at, start), mark: false });
    segments.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), mark: false });
  return segments;
}

export interface Excerpt {
  text: string;
  matches: MatchRange[];
}

/**
 * At most about `max` characters of the text: all of it when short, else a window that starts a little
 * before the first match (at a word's start where one is near), with "…" where something was left out.
 * Ranges are moved to the window's offsets; those outside it are dropped, one cut by it is shortened.
 */
export function excerpt(text: string, matches: readonly MatchRange[], max = 240, before = 60): Excerpt {
  if (text.length <= max) return { text, matches: [...matches] };
  const first = matches[0]?.[0] ?? 0;
  let start = first <= before ? 0 : first - before;
  if (start > 0) {
    const space = text.lastIndexOf(' ', start + 15);
    if (space > start - 20 && space < first) start = space + 1;
    start = onCharacter(text, start);
  }
  const end = onCharacter(text, Math.min(text.length, start + max));
  const lead = start > 0 ? '…' : '';
  const shift = lead.length - start;
  const kept: MatchRange[] = [];
  for (const [s, e] of matches) {
    if (e <= start || s >= end) continue;
    kept.push([Math.max(s, start) + shift, Math.min(e, end) + shift]);
  }
  return { text: `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`, matches: kept };
}
