// Moving through a list with the keyboard (rooms, messages, a menu, search results), as one tab stop whose
// arrow keys move within: which item the key leads to, and where focus goes when the focused item leaves.

/** The keys that move within a list. */
export type ListKey = 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

const LIST_KEYS: ReadonlySet<string> = new Set(['ArrowUp', 'ArrowDown', 'Home', 'End']);

export function isListKey(key: string): key is ListKey {
  return LIST_KEYS.has(key);
}

/**
 * The index a key moves to from `current` in a list of `count` items, or null when the key does not
 * move (not a list key, an empty list, or the edge of a list that does not wrap). From nowhere
 * (`current` -1), Down starts at the top and Up at the bottom.
 */
export function stepIndex(current: number, count: number, key: string, wrap = false): number | null {
  if (count <= 0 || !isListKey(key)) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (current < 0 || current >= count) return key === 'ArrowDown' ? 0 : count - 1;
  const next = current + (key === 'ArrowDown' ? 1 : -1);
  if (next >= 0 && next < count) return next;
  return wrap ? (next + count) % count : null;
}

/**
 * Where focus goes when the item that had it is gone (a deleted message): the next item that is still
 * there, else the previous one, so it never falls to the page. `before` is the list as it was.
 */
export function survivorOf(before: readonly string[], goneId: string, now: ReadonlySet<string>): string | null {
  const at = before.indexOf(goneId);
  if (at < 0) return null;
  for (let i = at + 1; i < before.length; i += 1) if (now.has(before[i]!)) return before[i]!;
  for (let i = at - 1; i >= 0; i -= 1) if (now.has(before[i]!)) return before[i]!;
  return null;
}
