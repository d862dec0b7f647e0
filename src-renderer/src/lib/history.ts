// A room's message history as the client holds it: pages from the server, realtime events and the
// user's own pending sends merged into one list, in a stable order, each message once.
import type { MessagesRecord, UsersRecord } from '../../../src-shared/pocketbase-types.ts';

export const PAGE_SIZE = 50;
/**
 * At most this many sent messages of a room are held (and rendered) at once. Scrolling further back
 * lets go of the newest, scrolling forward of the oldest, so memory and DOM stay flat however long
 * the history, as in every chat app that keeps years of messages.
 */
export const WINDOW_SIZE = 300;

export type DeliveryState = 'sent' | 'pending' | 'failed';

export interface ChatMessage extends MessagesRecord {
  /** `thread`: a reply's root as its create event carries it, its summary already counting the reply. */
  expand?: { user?: UsersRecord; thread?: MessagesRecord };
  /** Only the user's own messages that have not been confirmed by the server carry a state. */
  delivery?: DeliveryState;
  /** Why a send failed, in words for the user. */
  failure?: string;
  /** A pending message held back because the server asked to slow down: when it is tried next (epoch ms). */
  slowedUntil?: number;
  /** The files of one's own message not on the server yet (an outbox message): shown as cards until sent. */
  localFiles?: { name: string; size: number; type: string }[];
  /** While its files upload: how much of the request has gone, 0 to 1. */
  uploaded?: number;
  /**
   * Deleted by a moderator (or the room's owner) while shown: kept in place, without its text or files, as
   * a note that it was removed (backend/moderators.go says so in the delete event). Client-side only: the
   * server keeps nothing of it, so a client that was away sees the message simply gone.
   */
  removedBy?: 'moderator';
}

/**
 * Server order: by creation time, then id (the tiebreak PocketBase's index and our paging cursor use).
 * Messages not yet on the server sort after every sent one, in the order they were written.
 */
export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  const aLocal = a.delivery === 'pending' || a.delivery === 'failed';
  const bLocal = b.delivery === 'pending' || b.delivery === 'failed';
  if (aLocal !== bLocal) return aLocal ? 1 : -1;
  if (a.created !== b.created) return a.created < b.created ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function isNewer(candidate: ChatMessage, current: ChatMessage): boolean {
  // A server copy always replaces a local one; among server copies the later edit wins, so an old
  // page fetched after a realtime edit does not undo the edit.
  if (current.delivery && current.delivery !== 'sent' && !candidate.delivery) return true;
  if (candidate.delivery && candidate.delivery !== 'sent' && !current.delivery) return false;
  return candidate.updated >= current.updated;
}

/** Merges incoming messages into a sorted list without duplicates; returns a new sorted list. */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  // The common case, a live message newer than everything held: append, no map, no sort.
  if (incoming.length === 1) {
    const message = incoming[0]!;
    const last = existing[existing.length - 1];
    if (!last || (compareMessages(last, message) < 0 && !existing.some((m) => m.id === message.id)))
      return [...existing, message];
  }
  const byId = new Map<string, ChatMessage>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of incoming) {
    const current = byId.get(message.id);
    if (!current) {
      byId.set(message.id, message);
    } else if (isNewer(message, current)) {
      // Keep the author we already have when an update event arrives without the expand.
      byId.set(
        message.id,
        message.expand?.user || !current.expand?.user ? message : { ...message, expand: current.expand },
      );
    }
  }
  return [...byId.values()].sort(compareMessages);
}

/**
 * Merges messages into a room's loaded window: ones already shown, and ones inside the span already
 * loaded. A message older than the span (say, edited long ago) is left for paging to bring: adding it
 * would leave a hole, and the next older page would start below the hole. Likewise a message newer
 * than the span while newer pages are not loaded (`hasNewer`): paging forward brings it.
 */
export function mergeIntoWindow(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
  hasOlder: boolean,
  hasNewer = false,
): ChatMessage[] {
  const oldest = oldestSent(existing);
  const newest = newestSent(existing);
  const shown = new Set(existing.map((m) => m.id));
  return mergeMessages(
    existing,
    incoming.filter(
      (m) =>
        shown.has(m.id) ||
        ((!hasOlder || !oldest || compareMessages(m, oldest) >= 0) &&
          (!hasNewer || !newest || compareMessages(m, newest) <= 0)),
    ),
  );
}

/** The newest message that is on the server: where the next newer page starts. */
export function newestSent(messages: readonly ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (!message.delivery || message.delivery === 'sent') return message;
  }
  return undefined;
}

/**
 * Keeps at most `size` sent messages, dropping from the `end` given (the side the reader moved away
 * from). Local, unsent messages always stay. Returns the list and whether anything was dropped.
 */
export function trimWindow(
  messages: readonly ChatMessage[],
  size: number,
  end: 'oldest' | 'newest',
): { messages: ChatMessage[]; trimmed: boolean } {
  const sent = messages.filter((m) => !m.delivery || m.delivery === 'sent');
  if (sent.length <= size) return { messages: messages as ChatMessage[], trimmed: false };
  const keep = new Set((end === 'oldest' ? sent.slice(sent.length - size) : sent.slice(0, size)).map((m) => m.id));
  return { messages: messages.filter((m) => keep.has(m.id) || (m.delivery && m.delivery !== 'sent')), trimmed: true };
}

export function removeMessage(existing: readonly ChatMessage[], id: string): ChatMessage[] {
  return existing.filter((message) => message.id !== id);
}

/** The message in place as a moderator's removal: its author and time stay, nothing of what it said. */
export function markRemoved(existing: readonly ChatMessage[], id: string): ChatMessage[] {
  return existing.map((m) =>
    m.id === id ? { ...m, text: '', attachments: [], reactionInfo: null, removedBy: 'moderator' as const } : m,
  );
}

/** The oldest message that is on the server: where the next older page starts. */
export function oldestSent(messages: readonly ChatMessage[]): ChatMessage | undefined {
  return messages.find((message) => !message.delivery || message.delivery === 'sent');
}
