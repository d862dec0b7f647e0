// What a message says about threads, read from its fields alone (no state): a root's summary as the
// server keeps it (backend/threads.go), and whether a reply stands in its room's main list.
import type { ChatMessage } from './history.ts';
import type { RoomHistory } from './room-history.svelte.ts';

/** A root's summary as the server keeps it (backend/threads.go). */
export interface ThreadInfo {
  replies: number;
  /** The newest reply's `created` (PocketBase date). */
  lastReplyAt: string;
  /** Up to five people who replied, the most recent first. */
  repliers: string[];
  /** Whom a new reply concerns: the root's author, every replier, everyone mentioned in the thread. */
  followers: string[];
}

const isIdList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((id) => typeof id === 'string');

/** A message's thread summary, or null when it has no replies (or the field is not one the app knows). */
export function threadInfoOf(message: Pick<ChatMessage, 'threadInfo'> | undefined): ThreadInfo | null {
  const info = message?.threadInfo as Partial<ThreadInfo> | null | undefined;
  if (!info || typeof info !== 'object' || typeof info.replies !== 'number' || info.replies < 1) return null;
  return {
    replies: info.replies,
    lastReplyAt: typeof info.lastReplyAt === 'string' ? info.lastReplyAt : '',
    repliers: isIdList(info.repliers) ? info.repliers : [],
    followers: isIdList(info.followers) ? info.followers : [],
  };
}

/** What places a message (or an outbox entry): its room, and its thread when it is a reply. */
export interface ThreadPlace {
  room?: string;
  thread?: string;
  alsoInRoom?: boolean;
}

/** Whether a message stands in its room's main list: every message but a reply kept to its thread. */
export function inRoomList(message: ThreadPlace): boolean {
  return !message.thread || !!message.alsoInRoom;
}

/** The thread a message opens: its own when it is a root (or could become one), its root's when a reply. */
export function rootOf(message: Pick<ChatMessage, 'id' | 'thread'>): string {
  return message.thread || message.id;
}

/** Histories by room id (or, for threads, by root id). */
export interface HeldHistories {
  get(id: string): RoomHistory | undefined;
}

/** Where a message is held: its room's history unless kept to a thread, and its thread's when a reply. */
export function placesOf(
  message: ThreadPlace & { room: string },
  rooms: HeldHistories,
  threads: HeldHistories,
): RoomHistory[] {
  const places: RoomHistory[] = [];
  const room = inRoomList(message) ? rooms.get(message.room) : undefined;
  const thread = message.thread ? threads.get(message.thread) : undefined;
  if (room) places.push(room);
  if (thread) places.push(thread);
  return places;
}

/**
 * The stem of a message's element ids. A reply also sent to the room is drawn twice at once, in the
 * room's list and in the thread panel, and ids (which aria-labelledby and aria-describedby point at)
 * must be unique in the page.
 */
export function elementStem(messageId: string, inPanel: boolean): string {
  return inPanel ? `thread-${messageId}` : messageId;
}
