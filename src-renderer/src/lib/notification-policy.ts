// Whether a new message should interrupt the user, and what the notification says. The bridge (main's,
// or the web one) then applies do-not-disturb and folds bursts into one summary.
import { describeAttachments, filesOnlySummary } from '../../../src-shared/attachments.ts';
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
import { personLabel } from '../../../src-shared/person-name.ts';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';
import { levelAllows, levelOf, mentions, type NotificationLevels } from './notification-levels.ts';
import { isJoined } from './rooms.ts';
import { replyMayNotify } from './thread-notify.ts';

export interface AttentionState {
  selfId: string;
  openRoomId: string | null;
  /** The window has focus and is visible. */
  windowFocused: boolean;
  /**
   * The open room's conversation is on screen. A narrow window shows the room list or the conversation:
   * after Back to rooms the room is still open, but nobody is reading it.
   */
  conversationVisible: boolean;
  /** People the user blocked: their messages never notify nor count as unread. */
  blocked?: ReadonlySet<string>;
  /** The person's stored notification levels by room; rooms without one have their kind's default. */
  levels?: NotificationLevels;
  /** The root of the thread whose panel is open beside the room (lib/threads.svelte.ts), if any. */
  openThreadId?: string | null;
}

export const BODY_LIMIT = 140;

/** Whether the person is reading that room now: open, its conversation on screen, in a focused window. */
export function lookingAt(state: AttentionState, roomId: string): boolean {
  return state.windowFocused && state.conversationVisible && state.openRoomId === roomId;
}

/**
 * Calm by default, as chat users expect: each room notifies as its notification level says
 * (notification-levels.ts: a direct conversation every message, a room only when it mentions the person,
 * unless they chose otherwise). Never for the user's own messages, nor someone they blocked, nor a room
 * they have not joined or were only invited to (the server sends invitees no messages; this holds even if
 * one slipped through), nor while they look at that room in a focused window (lookingAt). Bursts that
 * pass are folded into one summary by the batcher (src-shared); do-not-disturb is applied after this.
 */
export function shouldNotify(message: ChatMessage, room: RoomsRecord | undefined, state: AttentionState): boolean {
  if (message.user === state.selfId || !room || state.blocked?.has(message.user)) return false;
  if (!isJoined(room, state.selfId)) return false;
  // A thread's reply: who follows the thread, and which thread is open (lib/thread-notify.ts).
  if (message.thread) return replyMayNotify(message, levelOf(room, state.levels), state, lookingAt(state, room.id));
  if (!levelAllows(levelOf(room, state.levels), mentions(message, state.selfId))) return false;
  return !lookingAt(state, message.room);
}

/**
 * The author as a notification names them: "Bob (@bob)" (person-name.ts). Anyone may call themselves
 * Bob, and a notification is where a stranger's message would otherwise pass for a friend's.
 */
export function authorName(message: ChatMessage): string {
  const author = message.expand?.user;
  return author ? personLabel(author) : 'Someone';
}

export function shorten(text: string, limit = BODY_LIMIT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= limit
    ? oneLine
    : `${chars
        .slice(0, limit - 1)
        .join('')
        .trimEnd()}…`;
}

/** What main needs to show the notification; it composes the title from the room and author itself. */
export function notificationFor(
  message: ChatMessage,
  roomLabel: string,
  authorName: string,
  isDirect: boolean,
): NotificationRequest {
  return {
    roomId: message.room,
    roomLabel,
    author: authorName,
    direct: isDirect,
    // A reply is read beside its root, not in the room's flow: said first, within the same length.
    body: shorten(
      (message.thread ? 'In a thread: ' : '') +
        (filesOnlySummary(message.text, describeAttachments(message)) ?? message.text),
    ),
    // A click opens the thread beside its room (src-shared/notification-batcher.ts: when shown alone).
    ...(message.thread ? { threadId: message.thread } : {}),
  };
}
