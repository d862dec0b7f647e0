// The emoji a person picked lately, newest first, kept on this device (localStorage): the picker shows
// them first. Per device on purpose: it is a convenience, not something every device must agree on.

export const RECENT_LIMIT = 24;
const STORAGE_KEY = 'palaver.recentEmoji';

/** The list after picking `emoji`: it moves to the front, once, and the oldest fall off. */
export function addRecent(recent: readonly string[], emoji: string, limit = RECENT_LIMIT): string[] {
  return [emoji, ...recent.filter((item) => item !== emoji)].slice(0, limit);
}

/** What was stored, or nothing if it is missing or not a list of strings (an older or damaged entry). */
export function parseRecent(stored: string | null): string[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    return Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string').slice(0, RECENT_LIMIT)
      : [];
  } catch {
    return [];
  }
}

export function readRecent(storage: Pick<Storage, 'getItem'> = localStorage): string[] {
  return parseRecent(storage.getItem(STORAGE_KEY));
}

/** Remembers a pick; storage that is full or refused only loses the list, never the pick. */
export function rememberRecent(emoji: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string[] {
  const next = addRecent(readRecent(storage), emoji);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Quota or privacy mode: the pick still goes in, only the list is not kept.
  }
  return next;
}
