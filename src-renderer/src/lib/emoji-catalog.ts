// The picker's model: emojibase's compact data grouped into categories, searched by name, keyword and
// shortcode, with the person's recently used emoji first. Pure, so the picker component only draws it.

/** One emoji as emojibase's compact English data describes it (the fields the picker uses). */
export interface CompactEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  shortcodes?: string[];
}

export interface PickerEmoji {
  emoji: string;
  /** The accessible name: emojibase's English label ("party popper"). */
  label: string;
  /** Lower-case words that a search matches: label, tags, shortcodes. */
  words: string;
}

export interface EmojiCategory {
  key: string;
  name: string;
  emoji: PickerEmoji[];
}

/** emojibase's groups, in its order; "components" (skin tones and hair alone) is not something to send. */
const GROUPS: Array<{ group: number; key: string; name: string }> = [
  { group: 0, key: 'smileys-emotion', name: 'Smileys & emotion' },
  { group: 1, key: 'people-body', name: 'People & body' },
  { group: 3, key: 'animals-nature', name: 'Animals & nature' },
  { group: 4, key: 'food-drink', name: 'Food & drink' },
  { group: 5, key: 'travel-places', name: 'Travel & places' },
  { group: 6, key: 'activities', name: 'Activities' },
  { group: 7, key: 'objects', name: 'Objects' },
  { group: 8, key: 'symbols', name: 'Symbols' },
  { group: 9, key: 'flags', name: 'Flags' },
];

export const RECENT_KEY = 'recent';

function toPicker(item: CompactEmoji): PickerEmoji {
  const words = [item.label, ...(item.tags ?? []), ...(item.shortcodes ?? [])].join(' ').toLowerCase();
  return { emoji: item.unicode, label: item.label, words };
}

/** The categories in emojibase's order, each in its own order; emoji without a group are left out. */
export function buildCategories(data: readonly CompactEmoji[]): EmojiCategory[] {
  const sorted = data.filter((item) => item.group !== undefined).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return GROUPS.map(({ group, key, name }) => ({
    key,
    name,
    emoji: sorted.filter((item) => item.group === group).map(toPicker),
  })).filter((category) => category.emoji.length > 0);
}

/** The recently used emoji as a category of their own, first, or nothing when there are none. */
export function withRecent(categories: EmojiCategory[], recent: readonly string[]): EmojiCategory[] {
  const known = new Map(categories.flatMap((category) => category.emoji.map((item) => [item.emoji, item] as const)));
  const items = recent.map((emoji) => known.get(emoji) ?? { emoji, label: emoji, words: '' });
  return items.length > 0 ? [{ key: RECENT_KEY, name: 'Recently used', emoji: items }, ...categories] : categories;
}

/**
 * Emoji whose words all start a word of the emoji's name, keywords or shortcodes ("thu up" finds
 * 👍), those whose label starts with the query first.
 */
export function searchEmoji(categories: EmojiCategory[], query: string, limit = 200): PickerEmoji[] {
  const terms = query
    .toLowerCase()
    .trim()
    .split(/[\s:_]+/)
    .filter(Boolean);
  if (terms.length === 0) return [];
  const seen = new Set<string>();
  const first: PickerEmoji[] = [];
  const rest: PickerEmoji[] = [];
  for (const category of categories) {
    if (category.key === RECENT_KEY) continue;
    for (const item of category.emoji) {
      if (seen.has(item.emoji)) continue;
      const words = item.words.split(/[\s_]+/);
      if (!terms.every((term) => words.some((word) => word.startsWith(term)))) continue;
      seen.add(item.emoji);
      (item.label.toLowerCase().startsWith(terms[0] ?? '') ? first : rest).push(item);
    }
  }
  return [...first, ...rest].slice(0, limit);
}

/** A cell of the picker: which section, which emoji in it. */
export interface GridCell {
  section: number;
  index: number;
}

/**
 * Where a key leads in sections of `sizes` emoji drawn `columns` wide, each section starting a new row:
 * Left and Right run along the rows and on into the next section, Up and Down keep the column (the
 * nearest cell of a shorter row) and cross into the neighbouring section, Home and End go to the ends.
 * Null when the key does not move.
 */
export function gridMove(sizes: readonly number[], columns: number, from: GridCell, key: string): GridCell | null {
  const size = (section: number) => sizes[section] ?? 0;
  const nonEmpty = sizes.map((count, section) => (count > 0 ? section : -1)).filter((section) => section >= 0);
  const first = nonEmpty[0];
  const last = nonEmpty[nonEmpty.length - 1];
  if (first === undefined || last === undefined) return null;
  const { section, index } = from;
  const column = index % columns;
  const neighbour = (step: 1 | -1) => nonEmpty[nonEmpty.indexOf(section) + step];
  switch (key) {
    case 'Home':
      return { section: first, index: 0 };
    case 'End':
      return { section: last, index: size(last) - 1 };
    case 'ArrowRight': {
      if (index + 1 < size(section)) return { section, index: index + 1 };
      const next = neighbour(1);
      return next === undefined ? null : { section: next, index: 0 };
    }
    case 'ArrowLeft': {
      if (index > 0) return { section, index: index - 1 };
      const previous = neighbour(-1);
      return previous === undefined ? null : { section: previous, index: size(previous) - 1 };
    }
    case 'ArrowDown': {
      const below = index - column + columns;
      if (below < size(section)) return { section, index: Math.min(below + column, size(section) - 1) };
      const next = neighbour(1);
      return next === undefined ? null : { section: next, index: Math.min(column, size(next) - 1) };
    }
    case 'ArrowUp': {
      if (index >= columns) return { section, index: index - columns };
      const previous = neighbour(-1);
      if (previous === undefined) return null;
      const lastRow = Math.floor((size(previous) - 1) / columns) * columns;
      return { section: previous, index: Math.min(lastRow + column, size(previous) - 1) };
    }
    default:
      return null;
  }
}
