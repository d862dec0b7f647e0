// Threads (issue 15): a reply names its thread's first message (the root) in `thread`; it stands
// in the room's main list only when its author also sent it there (`alsoInRoom`). This part holds the
// thread that is open beside the room (its root, kept current from the root's own events) and every
// thread's replies as a RoomHistory keyed by the root's id, paged like a room (newest page first, older
// pages on scrolling back, or around one reply for a jump: lib/message-jump.ts) and merged with live events and the person's unsent replies. Where a message
// goes (main list, thread, or both) is decided once here, for live events, catch-up and the outbox alike.
// The root's summary (threadInfo) is the server's: it is read, never worked out here.
import { createContext, tick } from 'svelte';
import type { ChatMessage } from './history.ts';
import type { MessagePages } from './messages-api.ts';
import { RoomHistories, type RoomHistory, type RoomHistoryDeps } from './room-history.svelte.ts';
import { inRoomList, rootOf } from './thread-info.ts';

export { inRoomList, placesOf, rootOf, threadInfoOf, type ThreadInfo } from './thread-info.ts';

export interface ThreadsDeps extends RoomHistoryDeps {
  /** A thread's replies by page: a MessagePages whose "room" is the root's id (MessagesApi.threadPages). */
  pages: MessagePages;
}

export class Threads {
  /** Every thread's replies held: the open one's, and any with a reply still in the outbox. */
  readonly histories: RoomHistories;
  /** The root of the thread open beside the room; null when none is. */
  rootId = $state<string | null>(null);
  /** That root as last heard of (null while it is fetched); its summary moves with its update events. */
  root = $state.raw<ChatMessage | null>(null);
  /** Why the open thread's root could not be read. */
  error = $state('');

  constructor(private readonly deps: ThreadsDeps) {
    this.histories = new RoomHistories(deps);
  }

  /** The open thread's replies. */
  get history(): RoomHistory | undefined {
    return this.rootId ? this.histories.get(this.rootId) : undefined;
  }

  /**
   * Opens the thread of a message (a root, or a reply: its root's thread). `known` is the root as the
   * caller holds it (the room's list); else it is read from the server. False when it cannot be read.
   */
  async open(rootId: string, known?: ChatMessage): Promise<boolean> {
    if (this.rootId !== rootId) this.close();
    this.rootId = rootId;
    this.error = '';
    if (known?.id === rootId) this.root = known;
    const history = this.histories.of(rootId);
    const loading = !history.loaded && !history.loadingOlder ? history.loadOlder() : Promise.resolve();
    if (!this.root) {
      try {
        const root = await this.deps.pages.one(rootId);
        if (this.rootId === rootId) this.root = root;
      } catch (error) {
        if (this.rootId === rootId) this.error = this.deps.problem(error, 'open this thread');
        return false;
      }
    }
    await loading;
    return true;
  }

  /** Closes the panel; the thread's replies are let go unless one of the person's waits to be sent. */
  close(): void {
    const rootId = this.rootId;
    this.rootId = null;
    this.root = null;
    this.error = '';
    if (rootId && !this.histories.get(rootId)?.messages.some((m) => m.delivery)) this.histories.forget(rootId);
  }

  /**
   * A live create or update: into its room's list (`room`, when held) unless it is a reply kept to its
   * thread, into its thread when that is held, and the open root kept current.
   */
  live(message: ChatMessage, isNew: boolean, room?: RoomHistory): void {
    if (inRoomList(message)) room?.applyLive(message, isNew);
    if (message.thread) this.histories.get(message.thread)?.applyLive(message, isNew);
    if (message.id === this.rootId) this.root = keepAuthor(message, this.root);
  }

  /** Server copies (catch-up, a send confirmed, an edit saved): as live ones, never counted as new. */
  server(message: ChatMessage): void {
    if (message.thread) this.histories.get(message.thread)?.applyServer([message]);
    if (message.id === this.rootId) this.root = keepAuthor(message, this.root);
  }

  /**
   * A message was deleted: out of its room's list (`room`) and any thread, or, deleted by a moderator
   * (`moderated`), a note in its place; a deleted root takes its thread (and the panel) with it.
   */
  removed(messageId: string, room?: RoomHistory, moderated = false): void {
    const drop = (history: RoomHistory) => (moderated ? history.markRemoved(messageId) : history.remove(messageId));
    if (room) drop(room);
    for (const history of this.histories.all()) drop(history);
    if (messageId === this.rootId) this.close();
    this.histories.forget(messageId);
  }

  /** The room the open thread is in changed or went: the thread closes with it. */
  roomShown(roomId: string | null): void {
    if (this.root && this.root.room !== roomId) this.close();
  }
}

/** What opening a room, then its thread, needs of the chat (lib/chat.svelte.ts). */
export interface RoomThenThread {
  /** Opens a room as when chosen from the list; the room stays where it was when it cannot be had. */
  openRoomById(roomId: string): Promise<void>;
  readonly openRoomId: string | null;
  /** The open room's list, where the thread's root usually is already. */
  readonly history: RoomHistory | undefined;
  readonly threads: Threads;
}

/**
 * What a click on a notification (or a palaver:// link, which never names a thread) opens: the room, then
 * for a thread's reply that thread beside it (in a narrow window, in its place, as when opened by hand).
 * Only in its room: not when the room could not be had, nor when another was chosen in the meantime.
 */
export async function openRoomThenThread(chat: RoomThenThread, roomId: string, threadId?: string): Promise<void> {
  await chat.openRoomById(roomId);
  if (threadId === undefined || chat.openRoomId !== roomId) return;
  await chat.threads.open(
    threadId,
    chat.history?.messages.find((m) => m.id === threadId),
  );
}

/** An update event may come without the author expanded: keep the one already known. */
function keepAuthor(message: ChatMessage, current: ChatMessage | null): ChatMessage {
  if (message.expand?.user || !current?.expand?.user) return message;
  return { ...message, expand: { ...message.expand, user: current.expand.user } };
}

/** How a message's parts reach the thread panel: opening a thread, and whether they are in the panel. */
export interface ThreadOpener {
  /** Opens the thread of this message (a root, or a reply's root); `from` gets the focus back on close. */
  open(message: ChatMessage, from?: HTMLElement | null): void;
  /** The message is shown inside the thread panel (no summary, no link to the thread it is in). */
  inPanel: boolean;
}

/** Set by the chat screen for the room's list, and again by the thread panel for its own messages. */
export const [useThreadOpener, provideThreadOpener] = createContext<ThreadOpener>();

/**
 * The chat screen's way of opening a thread (from a message's "Reply in thread" or its summary) and of
 * closing it (Close, Back, Escape): the focus goes back to the root in the room's list, else to
 * whatever opened the thread.
 */
export function threadOpening(
  chat: { threads: Threads; history: RoomHistory | undefined },
  conversation: () => HTMLElement | undefined,
): ThreadOpener & { close(): Promise<void> } {
  let opener: HTMLElement | null = null;
  return {
    inPanel: false,
    open(message, from) {
      const rootId = rootOf(message);
      opener = from ?? null;
      void chat.threads.open(
        rootId,
        chat.history?.messages.find((m) => m.id === rootId),
      );
    },
    async close() {
      const rootId = chat.threads.rootId;
      chat.threads.close();
      await tick();
      const root = rootId && conversation()?.querySelector<HTMLElement>(`article[data-id="${CSS.escape(rootId)}"]`);
      (root || (opener?.isConnected ? opener : null))?.focus();
      opener = null;
    },
  };
}
