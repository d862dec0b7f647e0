// One room's history as the reader holds it: a window of at most WINDOW_SIZE sent messages (plus the
// user's unsent ones) somewhere in the room's timeline, and every way that window moves: the newest
// page, older and newer pages, back to the present, around one message, and live events. The list is
// replaced, never mutated, so it stays a plain (raw) array and the screen can tell what changed.
import { SvelteMap } from 'svelte/reactivity';
import {
  mergeIntoWindow,
  mergeMessages,
  newestSent,
  oldestSent,
  PAGE_SIZE,
  markRemoved,
  removeMessage,
  trimWindow,
  WINDOW_SIZE,
  type ChatMessage,
} from './history.ts';
import type { MessagePages } from './messages-api.ts';
import { dropDeleted } from './recovery.ts';
import { isUnsent, NotInRoom, type HistoryChange, type Landing } from './room-history-parts.ts';
import { inRoomList } from './thread-info.ts';

export interface RoomHistoryDeps {
  pages: MessagePages;
  /** Told of every message the server gave, for the catch-up after a reconnect. */
  seen(messages: readonly ChatMessage[]): void;
  /** What went wrong, in words for the reader, e.g. "Could not load messages: …". */
  problem(error: unknown, action: string): string;
  /** Messages kept but not shown (their author was blocked); read reactively, so unblocking shows them again. */
  hidden?(message: ChatMessage): boolean;
}

export class RoomHistory {
  messages = $state.raw<ChatMessage[]>([]);
  loaded = $state(false);
  hasOlder = $state(true);
  /** Newer messages exist beyond the window (the reader scrolled far back, or jumped to a message). */
  hasNewer = $state(false);
  loadingOlder = $state(false);
  loadingNewer = $state(false);
  /** Messages that arrived while hasNewer: not in the window, announced by the marker. */
  newArrivals = $state(0);
  error = $state('');
  lastChange: HistoryChange = 'reset';
  /**
   * The message a jump landed on (lib/message-jump.ts): a new object each time, even for the same
   * message, so the list brings it into view, highlights it and focuses it once per jump.
   */
  landed = $state.raw<Landing | null>(null);
  /** What kept the last `loadAround` from landing (the server's error, or NotInRoom), for the caller to say. */
  jumpFailure: unknown = null;
  /** Moves on when the window is replaced (a jump, back to the present): pages asked for before are dropped. */
  private generation = 0;
  /** A jump (`loadAround`) is under way: paging from the window it replaces would mix the two. */
  private jumping = false;
  /** The reader is at the newest message (set by the list): live messages may push out old ones. */
  following = true;
  /**
   * What the list shows: the window without hidden messages. Paging keeps working on the whole window,
   * so a page that was all hidden still moves the cursors on.
   */
  readonly visible = $derived.by(() => {
    const hidden = this.deps.hidden;
    return hidden ? this.messages.filter((m) => !hidden(m)) : this.messages;
  });

  constructor(
    readonly roomId: string,
    private readonly deps: RoomHistoryDeps,
  ) {}

  private set(messages: ChatMessage[], change: HistoryChange): void {
    this.lastChange = change;
    this.messages = messages;
  }

  /** Loads the newest page (the first time) or the page before the oldest message held. */
  async loadOlder(): Promise<void> {
    if (this.jumping || this.loadingOlder || (this.loaded && !this.hasOlder)) return;
    this.loadingOlder = true;
    this.error = '';
    const first = !this.loaded;
    const generation = this.generation;
    try {
      const oldest = first ? undefined : oldestSent(this.messages);
      const page = oldest
        ? await this.deps.pages.olderThan(this.roomId, oldest)
        : await this.deps.pages.newest(this.roomId);
      if (generation !== this.generation) return;
      const hasOlder = page.length === PAGE_SIZE;
      // Messages that reached this room before its first page did (live events, or a catch-up after
      // the connection came up) join the page only where they touch it: older ones are left for
      // scrolling back, or the window would start with a run of old messages and a hole below them.
      let messages = first
        ? mergeIntoWindow(mergeMessages([], page), this.messages, hasOlder)
        : mergeMessages(this.messages, page);
      if (!first) {
        const trimmed = trimWindow(messages, WINDOW_SIZE, 'newest');
        if (trimmed.trimmed) {
          messages = trimmed.messages;
          this.hasNewer = true;
        }
      }
      this.deps.seen(page);
      this.hasOlder = hasOlder;
      this.loaded = true;
      this.set(messages, first ? 'reset' : 'older');
    } catch (error) {
      if (generation === this.generation) this.error = this.deps.problem(error, 'load messages');
    } finally {
      if (generation === this.generation) this.loadingOlder = false;
    }
  }

  /** Loads the page after the newest message held, when the reader scrolls forward from far back. */
  async loadNewer(): Promise<void> {
    const newest = newestSent(this.messages);
    if (!newest || !this.hasNewer || this.loadingNewer || this.jumping) return;
    this.loadingNewer = true;
    const generation = this.generation;
    try {
      const page = await this.deps.pages.newerThan(this.roomId, newest);
      if (generation !== this.generation) return;
      let messages = mergeMessages(this.messages, page);
      const trimmed = trimWindow(messages, WINDOW_SIZE, 'oldest');
      if (trimmed.trimmed) {
        messages = trimmed.messages;
        this.hasOlder = true;
      }
      if (page.length < PAGE_SIZE) {
        this.hasNewer = false;
        this.newArrivals = 0;
      }
      this.deps.seen(page);
      this.set(messages, 'newer');
    } catch (error) {
      if (generation === this.generation) this.error = this.deps.problem(error, 'load newer messages');
    } finally {
      if (generation === this.generation) this.loadingNewer = false;
    }
  }

  /** Back to the newest messages from far back in a room: the newest page, as when it was opened. */
  async jumpToPresent(): Promise<void> {
    this.generation += 1; // a jump on its way lands nowhere now
    this.loadingOlder = this.loadingNewer = this.jumping = false;
    this.hasOlder = true;
    this.hasNewer = false;
    this.newArrivals = 0;
    this.loaded = false;
    this.landed = null;
    this.set(this.messages.filter(isUnsent), 'reset');
    await this.loadOlder();
  }

  /**
   * Shows the room around one message (a search result, a thread's root, a link): half a page before
   * it, the message, half a page after; for a reply kept to its thread, around its root. Returns false, with `error` saying why, when it cannot be read.
   */
  async loadAround(messageId: string): Promise<boolean> {
    this.error = '';
    this.jumpFailure = null;
    this.loadingOlder = this.jumping = true;
    this.loadingNewer = false; // a page on its way is for the window this jump replaces: dropped
    const generation = ++this.generation;
    try {
      let target = await this.deps.pages.one(messageId);
      // A thread's replies are a history keyed by its root's id (lib/threads.svelte.ts): any reply is in it.
      const inThread = target.thread !== '' && target.thread === this.roomId;
      if (target.room !== this.roomId && !inThread) throw new NotInRoom();
      // A reply kept to its thread is not in the room's list: the room is shown around its root.
      const reply = inThread || inRoomList(target) ? undefined : target.id;
      if (reply) target = await this.deps.pages.one(target.thread);
      const half = PAGE_SIZE / 2;
      const [before, after] = await Promise.all([
        this.deps.pages.olderThan(this.roomId, target, half),
        this.deps.pages.newerThan(this.roomId, target, half),
      ]);
      if (generation !== this.generation) return false; // overtaken by another jump: nothing to say
      this.hasOlder = before.length === half;
      this.hasNewer = after.length === half;
      this.newArrivals = 0;
      this.loaded = true;
      this.deps.seen([...before, target, ...after]);
      this.set(mergeMessages(this.messages.filter(isUnsent), [...before, target, ...after]), 'around');
      this.landed = reply ? { id: target.id, reply } : { id: target.id };
      return true;
    } catch (error) {
      if (generation !== this.generation) return false;
      this.jumpFailure = error;
      this.error = this.deps.problem(error, 'show that message');
      return false;
    } finally {
      if (generation === this.generation) this.loadingOlder = this.jumping = false;
    }
  }

  /** Lands on a message the window holds: brought into view and highlighted, without loading anything. */
  land(messageId: string): void {
    this.landed = { id: messageId };
  }

  /** A realtime event: kept in place, announced if beyond the window, old ones let go if following. */
  applyLive(message: ChatMessage, isNew: boolean): void {
    if (this.hasNewer) {
      if (isNew) this.newArrivals += 1;
      this.set(mergeIntoWindow(this.messages, [message], this.hasOlder, true), 'live');
      return;
    }
    let messages = mergeIntoWindow(this.messages, [message], this.hasOlder);
    if (this.following) {
      const trimmed = trimWindow(messages, WINDOW_SIZE, 'oldest');
      // Let go of a page at a time, not one message per message.
      if (trimmed.trimmed && messages.length > WINDOW_SIZE + PAGE_SIZE) {
        messages = trimmed.messages;
        this.hasOlder = true;
      }
    }
    this.set(messages, 'live');
  }

  /** Server copies (a send confirmed, an edit saved, a catch-up) where they belong in the window. */
  applyServer(messages: readonly ChatMessage[]): void {
    if (messages.length === 0) return;
    this.set(mergeIntoWindow(this.messages, messages, this.hasOlder, this.hasNewer), 'live');
  }

  /** The user's own unsent message, shown in place as pending or failed (replacing an older state). */
  showLocal(local: ChatMessage): void {
    const current = this.messages.find((m) => m.id === local.id);
    if (current && !current.delivery) return; // the server copy already arrived
    const same =
      current?.failure === local.failure &&
      current?.slowedUntil === local.slowedUntil &&
      current?.uploaded === local.uploaded;
    if (current && current.delivery === local.delivery && same) return;
    this.set(
      current ? this.messages.map((m) => (m.id === local.id ? local : m)) : mergeMessages(this.messages, [local]),
      'live',
    );
  }

  remove(messageId: string): void {
    if (this.messages.some((m) => m.id === messageId)) this.set(removeMessage(this.messages, messageId), 'live');
  }

  /** A moderator deleted the message: a note stays where it was (history.ts `removedBy`). */
  markRemoved(messageId: string): void {
    if (this.messages.some((m) => m.id === messageId && !m.removedBy))
      this.set(markRemoved(this.messages, messageId), 'live');
  }

  /**
   * After a gap: the newest page as the server has it now, dropping what was deleted meanwhile. A
   * window far back in time is left alone; it is reconciled when the reader returns to the present.
   */
  async reconcileNewest(): Promise<void> {
    if (!this.loaded || this.hasNewer) return;
    // Only what the server had already taken: a message still on its way when we asked keeps its id when
    // it is sent, and the page asked for before its create may well not have it (it was not deleted).
    const heldBefore = new Set(this.messages.filter((m) => !isUnsent(m)).map((m) => m.id));
    const newest = await this.deps.pages.newest(this.roomId);
    this.deps.seen(newest);
    this.set(mergeMessages(dropDeleted(this.messages, newest, newest.length < PAGE_SIZE, heldBefore), newest), 'live');
  }
}

/** Every room's history the session has opened or heard of, made on first use. */
export class RoomHistories {
  private readonly byRoom = new SvelteMap<string, RoomHistory>();

  constructor(private readonly deps: RoomHistoryDeps) {}

  get(roomId: string): RoomHistory | undefined {
    return this.byRoom.get(roomId);
  }

  of(roomId: string): RoomHistory {
    let history = this.byRoom.get(roomId);
    if (!history) {
      history = new RoomHistory(roomId, this.deps);
      this.byRoom.set(roomId, history);
    }
    return history;
  }

  all(): IterableIterator<RoomHistory> {
    return this.byRoom.values();
  }

  forget(roomId: string): void {
    this.byRoom.delete(roomId);
  }
}
