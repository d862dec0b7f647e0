// Whether a thread's reply concerns the person and may interrupt them. A reply
// concerns those who follow its thread (the root's author, everyone who replied or was mentioned in it:
// the server's `followers`, read from the root its create event carries) and anyone it mentions.
// The room's notification level still rules: `nothing` silences its threads too, `mentions` and `all`
// let a followed thread through; a reply kept to its thread never notifies merely for being in an `all`
// room (it is not in the room's list), one also sent to the room does. Nothing notifies for the thread
// open and on screen in a focused window; do-not-disturb is applied after this, by the bridge.
import type { ChatMessage } from './history.ts';
import { mentions, type NotificationLevel } from './notification-levels.ts';
import type { AttentionState } from './notification-policy.ts';
import { inRoomList, threadInfoOf } from './thread-info.ts';

/** The person is among the followers of the reply's thread, as its event's root says. */
export function followsThread(message: Pick<ChatMessage, 'expand'>, personId: string): boolean {
  return threadInfoOf(message.expand?.thread)?.followers.includes(personId) ?? false;
}

/** A reply that is the person's business: it mentions them, or they follow its thread. */
export function replyConcerns(message: Pick<ChatMessage, 'mentions' | 'expand'>, personId: string): boolean {
  return mentions(message, personId) || followsThread(message, personId);
}

/** Whether the person is reading that thread now: its panel open on screen in a focused window. */
export function lookingAtThread(state: AttentionState, rootId: string): boolean {
  return state.windowFocused && state.conversationVisible && state.openThreadId === rootId;
}

/**
 * Counted as unread in its room: every message of the room's list, and a reply kept to its thread only
 * when it concerns the person (the others show as the root's rising count, not as unread news).
 */
export function countsAsUnread(
  message: Pick<ChatMessage, 'thread' | 'alsoInRoom' | 'mentions' | 'expand'>,
  personId: string,
): boolean {
  return inRoomList(message) || replyConcerns(message, personId);
}

/**
 * Whether a reply from someone else, in a room the person joined, may notify at the room's level.
 * `lookingAtRoom`: the room's list is on screen in a focused window (a reply also sent there is seen).
 */
export function replyMayNotify(
  message: Pick<ChatMessage, 'thread' | 'alsoInRoom' | 'mentions' | 'expand'>,
  level: NotificationLevel,
  state: AttentionState,
  lookingAtRoom: boolean,
): boolean {
  if (level === 'nothing' || lookingAtThread(state, message.thread)) return false;
  if (message.alsoInRoom && lookingAtRoom) return false;
  return replyConcerns(message, state.selfId) || (level === 'all' && inRoomList(message));
}
