// What the results panel shows, worked out from plain values: results grouped by conversation (in the
// order the server ranked them, each conversation where its best result stands), the count as words,
// where a result opens, and where the arrow keys go inside the list and back to the field.
import { fromServerDate } from '../../../src-shared/dates.ts';
import type { SearchItem, SearchRoom } from './search-api.ts';
import { stepIndex } from './keyboard-roving.ts';

export interface ResultGroup {
  roomId: string;
  /** The room as the sidebar names it; a direct conversation by the other person. */
  label: string;
  items: SearchItem[];
}

/**
 * Results grouped by conversation: a conversation comes where its best-ranked result is, and keeps its
 * results in the server's order. `label` names a room (the client's directory knows direct partners;
 * the result's own expand is the fallback for rooms not in the list, such as public ones not joined).
 */
export function groupByConversation(
  items: readonly SearchItem[],
  label: (roomId: string, room: SearchRoom | undefined) => string,
): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const item of items) {
    let group = groups.get(item.room);
    if (!group) {
      group = { roomId: item.room, label: label(item.room, item.expand?.room), items: [] };
      groups.set(item.room, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

/** A room's name from a result alone, for a room the client does not list. */
export function fallbackRoomLabel(room: SearchRoom | undefined): string {
  if (!room) return 'A conversation';
  if (room.kind === 'direct') return 'Direct conversation';
  return room.kind === 'public' ? `#${room.name}` : room.name;
}

/**
 * "1 result", "37 results", "1,000+ results": the server counts up to 1,000 and says when there are more.
 * It also stops after reading 20,000 matches of which few were readable (backend/search_candidates.go):
 * then the count is what the most recent messages hold, and older ones need a narrower search.
 */
/** After "No messages match …" when the server stopped reading matches early (see resultCount). */
export const MORE_HINT =
  ' in the most recent messages: add in:#room, from:@someone or before:date to look further back.';

export function resultCount(total: number, more: boolean, locale?: string): string {
  const number = new Intl.NumberFormat(locale).format(total);
  const results = total === 1 ? 'result' : 'results';
  if (more && total >= 1000) return `${number}+ results`;
  if (more) return `${number} ${results} in the most recent messages`;
  return `${number} ${results}`;
}

/** Where a result opens: its room, at it; a reply kept to its thread, in that thread (message-jump.ts). */
export function resultTarget(item: Pick<SearchItem, 'id' | 'room' | 'thread' | 'alsoInRoom'>): {
  room: string;
  id: string;
  thread?: string;
} {
  const kept = item.thread !== '' && !item.alsoInRoom;
  return kept ? { room: item.room, id: item.id, thread: item.thread } : { room: item.room, id: item.id };
}

/** Results of other days carry their date; today's only the time. */
export function resultTime(created: string | Date, now: Date, locale?: string): string {
  const date = typeof created === 'string' ? fromServerDate(created) : created;
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { timeStyle: 'short' }
    : date.getFullYear() === now.getFullYear()
      ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
      : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/**
 * Where a key leads from the result at `current` (-1: the field): another result's index, 'field' (Up
 * from the first result, Escape anywhere in the list), or null when the key is not the list's.
 */
export function resultKey(current: number, count: number, key: string): number | 'field' | null {
  if (key === 'Escape') return current >= 0 ? 'field' : null;
  if (current < 0) return key === 'ArrowDown' && count > 0 ? 0 : null;
  if (key === 'ArrowUp' && current === 0) return 'field';
  return stepIndex(current, count, key);
}
