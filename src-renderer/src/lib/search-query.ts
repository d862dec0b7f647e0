// The filters of a search as chips: what the server understood from `from:@…`, `in:#…`, `before:…` and
// `after:…` (its `filters` echo) drawn as removable chips, and removing one rewrites the query without
// the words that asked for it, so the field always says what is being searched.
import type { SearchFilters } from './search-api.ts';

export type FilterKind = 'room' | 'from' | 'before' | 'after';

const PREFIXES: Record<FilterKind, string> = { room: 'in:', from: 'from:', before: 'before:', after: 'after:' };

/** The words of a query with where each stands, a quoted phrase (or `in:#"two words"`) as one word. */
export function queryTokens(query: string): { text: string; start: number; end: number }[] {
  const tokens: { text: string; start: number; end: number }[] = [];
  let at = 0;
  while (at < query.length) {
    if (/\s/.test(query[at]!)) {
      at += 1;
      continue;
    }
    const start = at;
    let quoted = false;
    while (at < query.length && (quoted || !/\s/.test(query[at]!))) {
      if (query[at] === '"') quoted = !quoted;
      at += 1;
    }
    tokens.push({ text: query.slice(start, at), start, end: at });
  }
  return tokens;
}

/** Which filter a word of the query asks for, if any (`-from:@x` excludes a word, it is no filter). */
export function filterKindOf(token: string): FilterKind | null {
  const lower = token.toLowerCase();
  for (const kind of Object.keys(PREFIXES) as FilterKind[]) {
    if (lower.startsWith(PREFIXES[kind]) && lower.length > PREFIXES[kind].length) return kind;
  }
  return null;
}

/** The query without the words of one kind of filter, the rest as typed (spaces between tidied). */
export function withoutFilter(query: string, kind: FilterKind): string {
  let rest = '';
  let at = 0;
  for (const token of queryTokens(query)) {
    if (filterKindOf(token.text) !== kind) continue;
    rest += query.slice(at, token.start);
    at = token.end;
  }
  rest += query.slice(at);
  return rest.replace(/\s{2,}/g, ' ').trim();
}

export interface FilterChip {
  kind: FilterKind;
  /** What the chip says: "In #design", "From Ada Lovelace (@ada)", "Before 2026-12-01". */
  label: string;
  /** The remove button's accessible name: "Remove filter in:#design". */
  removeLabel: string;
}

function roomName(room: NonNullable<SearchFilters['room']>, directLabel?: string): string {
  if (room.kind === 'direct') return directLabel ?? 'a direct conversation';
  return room.kind === 'public' ? `#${room.name}` : room.name;
}

/**
 * The chips for what the server understood, in the order people write them. `directLabel` names a
 * direct conversation by the other person (the room directory knows them; the echo has no name).
 */
export function filterChips(
  filters: SearchFilters,
  directLabel?: (roomId: string) => string | undefined,
): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filters.from) {
    const { name, username } = filters.from;
    chips.push({
      kind: 'from',
      label: `From ${name ? `${name} (@${username})` : `@${username}`}`,
      removeLabel: `Remove filter from:@${username}`,
    });
  }
  if (filters.room) {
    const room = filters.room;
    const named = roomName(room, directLabel?.(room.id));
    const typed = room.kind === 'direct' ? named : room.name.includes(' ') ? `#"${room.name}"` : `#${room.name}`;
    chips.push({ kind: 'room', label: `In ${named}`, removeLabel: `Remove filter in:${typed}` });
  }
  if (filters.after)
    chips.push({ kind: 'after', label: `After ${filters.after}`, removeLabel: `Remove filter after:${filters.after}` });
  if (filters.before)
    chips.push({
      kind: 'before',
      label: `Before ${filters.before}`,
      removeLabel: `Remove filter before:${filters.before}`,
    });
  return chips;
}
