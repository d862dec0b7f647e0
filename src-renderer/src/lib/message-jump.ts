// Opening a conversation at one message (issue 17): a search result, a notification, a thread's root,
// a palaver://room/<id>/message/<id> link. The room opens with its history loaded around the message
// (RoomHistory.loadAround), never the newest page first and then another; a message the window already
// holds is only brought into view. Either way the history names where it landed (`landed`), and the
// list scrolls there, highlights the message a moment and gives it the keyboard focus
// (components/MessageList.svelte). A reply kept to its thread stands in the room as its root: the room
// opens around the root, and the thread beside it with the reply.
import { describeError, type ProblemDescription } from './errors.ts';
import { NotInRoom, type Landing } from './room-history-parts.ts';
import type { RoomHistory } from './room-history.svelte.ts';
import { openRoomThenThread, type RoomThenThread } from './threads.svelte.ts';

/** A message to open: its room, its id, and for a thread reply not shown in the room's list, its root. */
export interface MessageTarget {
  room: string;
  id: string;
  /** The root's id when the message is a thread reply not shown in the room list (`thread !== '' && !alsoInRoom`). */
  thread?: string;
}

/** The message the room's list shows for a target: the message itself, or the root of its thread. */
export function anchorOf(target: MessageTarget): string {
  return target.thread || target.id;
}

/** What to tell the person when the message cannot be shown. */
export function messageUnavailableMessage(failure: unknown, problem: ProblemDescription): string {
  // PocketBase answers 404 both for a deleted message and for one the person may not read.
  if (failure instanceof NotInRoom) return 'That message is not available to you: it may have been deleted.';
  if ([400, 403, 404].includes(problem.status))
    return 'That message is not available to you: it may have been deleted, or you cannot read it.';
  if (problem.status === 401) return problem.message;
  // Offline, server trouble: the message may well be there; say what happened.
  return `Could not show that message. ${problem.message}`;
}

/**
 * Brings a history to one message: only into view when it holds it, else loaded around it. Returns ''
 * when it landed, else what to tell the person (the history's own error is then cleared: it is said once).
 */
export async function landOn(
  history: RoomHistory,
  messageId: string,
  /** The server's address, for saying it cannot be reached. */
  server: string,
): Promise<string> {
  if (history.loaded && history.messages.some((m) => m.id === messageId && !m.delivery)) {
    history.land(messageId);
    return '';
  }
  if (await history.loadAround(messageId)) return '';
  const failure = history.jumpFailure;
  if (failure === null) return ''; // overtaken by another jump, or back to the present: nothing to say
  history.error = '';
  return messageUnavailableMessage(failure, describeError(failure, { server, action: 'show that message' }));
}

/**
 * A room's history as its room opens: around the message `around` when given, else at its newest (also
 * when that message cannot be had, and nothing was loaded). Returns '' or what to tell the person.
 */
export async function openHistory(history: RoomHistory, around: string | undefined, server: string): Promise<string> {
  const missed = around === undefined ? '' : await landOn(history, around, server);
  if (!history.loaded && !history.loadingOlder) await history.loadOlder();
  return missed;
}

const sighted = new WeakSet<object>();

/**
 * True the first time a list sees a landing (RoomHistory.landed): it scrolls, highlights and focuses once
 * per jump, not again when the list is shown anew (another room and back, the thread panel reopened).
 */
export function firstSight(landed: Landing | null): landed is Landing {
  if (!landed || sighted.has(landed)) return false;
  sighted.add(landed);
  return true;
}

/** What opening a message needs of the chat (lib/chat.svelte.ts). */
export interface MessageJumpChat extends RoomThenThread {
  /** Opens the room at `around` (else at its newest); false, with the room's notice saying why, when it cannot. */
  showRoom(roomId: string, around?: string): Promise<boolean>;
}

/**
 * Opens the conversation at one message: the room around it (or around its root, for a thread reply
 * kept to its thread), and then that thread beside the room, loaded around the reply when its first page
 * does not hold it, with the reply highlighted. False when the room or the message cannot be had, or
 * another room (or thread) was chosen meanwhile.
 */
export async function openMessage(chat: MessageJumpChat, target: MessageTarget): Promise<boolean> {
  if (!(await chat.showRoom(target.room, anchorOf(target)))) return false;
  if (chat.openRoomId !== target.room) return false;
  // A link names a reply kept to its thread without its thread: the history found its root.
  const landed = chat.history?.landed;
  const thread = target.thread || (landed?.reply === target.id ? landed.id : undefined);
  if (!thread) return true;
  const root = chat.history?.messages.find((m) => m.id === thread);
  if (!(await chat.threads.open(thread, root))) return false; // the panel says why
  if (chat.openRoomId !== target.room || chat.threads.rootId !== thread) return false;
  const replies = chat.threads.history;
  if (!replies) return false;
  if (replies.messages.some((m) => m.id === target.id && !m.delivery)) {
    replies.land(target.id);
    return true;
  }
  // Further back in the thread than the page the panel opened with: the thread is loaded around the
  // reply, as the room is around a message (its list offers "Jump to present" back to the newest). A
  // reply that cannot be had leaves the panel at its newest with its list's error saying why.
  if (!(await replies.loadAround(target.id))) return false;
  return chat.openRoomId === target.room && chat.threads.rootId === thread;
}

/**
 * A room asked for by a notification click or a palaver:// link (the bridge's onOpenRoom): at its
 * message when one is named, else the room (with its thread, for a thread reply's notification).
 */
export function openAsked(
  chat: MessageJumpChat,
  roomId: string,
  threadId?: string,
  messageId?: string,
): Promise<unknown> {
  if (messageId === undefined) return openRoomThenThread(chat, roomId, threadId);
  return openMessage(chat, { room: roomId, id: messageId, ...(threadId === undefined ? {} : { thread: threadId }) });
}
