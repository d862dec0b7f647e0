// Whether a new message should interrupt the user, and what the notification says. The main process
// then applies do-not-disturb and folds bursts into one summary.
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';

export interface AttentionState {
  selfId: string;
  selfUsername: string;
  openRoomId: string | null;
  /** The window has focus and is visible. */
  windowFocused: boolean;
}

export const BODY_LIMIT = 140;

/** True when the message mentions the user as @username (any letter case). */
export function mentions(text: string, username: string): boolean {
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])@${escaped}(?![\\w.-]*[\\w])`, 'i').test(text);
}

/**
 * Notify for someone else's new message unless the user is already looking at it. Public rooms are
 * busy places anyone can post in: they notify only when the message mentions the user. Direct
 * conversations and private rooms always do.
 */
export function shouldNotify(message: ChatMessage, room: RoomsRecord | undefined, state: AttentionState): boolean {
  if (message.user === state.selfId || !room) return false;
  if (state.windowFocused && state.openRoomId === message.room) return false;
  if (room.kind === 'public') return mentions(message.text, state.selfUsername);
  return true;
}

export function shorten(text: string, limit = BODY_LIMIT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= limit ? oneLine : `${chars.slice(0, limit - 1).join('').trimEnd()}…`;
}

export function notificationFor(message: ChatMessage, roomLabel: string, authorName: string, isDirect: boolean): NotificationRequest {
  return {
    roomId: message.room,
    title: isDirect ? authorName : `${roomLabel} — ${authorName}`,
    body: shorten(message.text),
  };
}
