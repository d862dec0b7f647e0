// Where the person has read up to in each room, kept on the server so every device of theirs agrees
// (issue 16). The server's counts replace the client's at sign-in and after each reconnect, and each
// `palaver/reads` event (a marker moved on any of the person's devices) sets one room's; live messages
// are still counted as they come (lib/unread.ts, the same rules as the server's).
//
// A room is read only while the person can see its newest messages: the window focused, the
// conversation on screen, its list at the bottom holding the present. Then the marker moves forward to
// the newest message known, at most once a second per room (a busy room read live writes once a
// second, not once a message). "Mark as unread" moves it back and holds the room unread until the
// person leaves it and comes back: messages arriving meanwhile count, and nothing marks it read again.
// A write that fails waits for the next occasion (the next look, message or reconnect), silently: a
// read marker is never worth an error banner.
import { createContext } from 'svelte';
import { READS_TOPIC } from '../../../src-shared/realtime-topics.ts';
import type { ChatMessage } from './history.ts';
import type { Cursor } from './messages-api.ts';
import type { ReadMarker, ReadMarkersApi, ReadsEvent, RoomReadState } from './read-markers-api.ts';
import { ReadMarkerWriter } from './read-marker-writer.ts';
import type { Subscription } from './realtime-connection.svelte.ts';

/**
 * A live message that arrives while the server's counts are on their way, or just after, may be counted
 * twice (by the server and as it came) or not at all (overwritten): the counts are asked for again once
 * no message has come for this long.
 */
export const SETTLE_MS = 1_000;
/** How long stopping waits for the last markers to be written. */
export const STOP_WRITES_MS = 2_000;

const NOTHING_READ: ReadMarker = { message: '', readAt: '' };

/** The message stands after the marker in its room's order (created, then id); everything is after nothing read. */
export function isAfter(message: Cursor, marker: ReadMarker): boolean {
  if (message.created !== marker.readAt) return message.created > marker.readAt;
  return message.id > marker.message;
}

const markerAt = (message: Cursor): ReadMarker => ({ message: message.id, readAt: message.created });
const isSent = (message: ChatMessage) => !message.delivery || message.delivery === 'sent';

/**
 * Where the "New messages" divider goes in a list: above the first message after the marker that is
 * not the person's own; none when nothing is unread, or when the first unread one may lie in a page
 * not loaded yet (the first message held is after the marker and older ones exist).
 */
export function dividerBefore(
  messages: readonly ChatMessage[],
  marker: ReadMarker,
  selfId: string,
  hasOlder: boolean,
): string | null {
  const sent = messages.filter(isSent);
  const first = sent.findIndex((message) => isAfter(message, marker));
  if (first === -1 || (first === 0 && hasOlder)) return null;
  return sent.slice(first).find((message) => message.user !== selfId)?.id ?? null;
}

/** The open room as the person sees it, when its conversation is on screen in a focused window. */
export interface RoomInView {
  roomId: string;
  /** Its first page is in, and the window holds the present (not scrolled back beyond what is held). */
  loaded: boolean;
  hasNewer: boolean;
  messages: readonly ChatMessage[];
}

export interface ReadStateDeps {
  api: ReadMarkersApi;
  selfId: string;
  /** The server's counts for every room, replacing what the client counted. */
  countedAll(rooms: Record<string, RoomReadState>): void;
  /** The server's counts for one room. */
  counted(roomId: string, state: RoomReadState): void;
  /** What the person read: the room's count goes to nothing here at once. */
  cleared(roomId: string): void;
  /** The open room, when on screen in a focused window; null otherwise. */
  inView(): RoomInView | null;
  /** The message before one in its room's list, from the list held or the server; undefined: it is the first. */
  before(message: ChatMessage): Promise<Cursor | undefined>;
  now?(): number;
}

export class ReadState {
  /**
   * The open room and its marker as it was when the room was opened (undefined until the server's
   * markers are in): where the "New messages" divider stays while the room stays open.
   */
  opening = $state.raw<{ roomId: string; marker: ReadMarker | undefined } | null>(null);
  /** The server's markers have been read (since sign-in). */
  loaded = false;
  private readonly markers = new Map<string, ReadMarker>();
  /** Writes the markers decided on, at most once a second per room (lib/read-marker-writer.ts). */
  private readonly writer: ReadMarkerWriter;
  /** The newest message that arrived in each room (live or caught up), replies kept to threads included. */
  private readonly newestArrived = new Map<string, Cursor>();
  /** Rooms marked unread while open: not read again until left and opened again. */
  private readonly held = new Set<string>();
  private openRoomId: string | null = null;
  /** The open room's list is at its bottom, holding the present (components/MessageList.svelte says). */
  private atPresent = true;
  private stopped = false;
  /** The room and marker last chased (see `chase`), so one answer is asked for once. */
  private chased = '';
  private loading = false;
  /** A live message came while the counts loaded or just after: they are asked for again when it is quiet. */
  private stirred = false;
  private lastLive = -Infinity;
  private appliedAt = -Infinity;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ReadStateDeps) {
    this.writer = new ReadMarkerWriter(
      (roomId, messageId) => deps.api.write(roomId, messageId),
      () => this.now(),
    );
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** The chat's subscription to the markers moved on the person's devices. */
  get subscription(): Subscription {
    return { topic: READS_TOPIC, onEvent: (event) => this.event(event as unknown as ReadsEvent) };
  }

  /**
   * The server's counts and markers (at sign-in and after each reconnect). When they cannot be had,
   * the counts stay as counted here until the next reconnect asks again.
   */
  async load(): Promise<void> {
    let rooms: Record<string, RoomReadState>;
    [this.loading, this.stirred] = [true, false];
    try {
      rooms = await this.deps.api.unread();
    } catch {
      return;
    } finally {
      this.loading = false;
    }
    if (this.stopped) return;
    this.deps.countedAll(rooms);
    this.appliedAt = this.now();
    if (this.stirred) this.settle();
    for (const [roomId, state] of Object.entries(rooms)) {
      const pending = this.writer.pending(roomId);
      // A marker of ours still on its way wins over the server's older one, and so does its count.
      if (pending) this.deps.counted(roomId, { ...state, ...pending, unread: 0, mentions: 0 });
      this.markers.set(roomId, pending ?? { message: state.message, readAt: state.readAt });
    }
    this.loaded = true;
    const opening = this.opening;
    if (opening && !opening.marker) this.opening = { ...opening, marker: this.markers.get(opening.roomId) };
    this.writer.flushAll();
    this.consider();
    // Nothing to write, yet the room in view counts unread: what is unread is not in its list.
    const open = this.openRoomId;
    if (open && rooms[open] && !this.writer.pending(open)) this.chase(open, rooms[open]);
  }

  /** A marker moved on one of the person's devices (this one included): that room's counts and marker. */
  event(event: ReadsEvent): void {
    const pending = this.writer.pending(event.room);
    // The echo of an earlier write of ours, overtaken by a newer one: its counts are already out of date.
    if (pending && pending.message !== event.message) return;
    this.markers.set(event.room, { message: event.message, readAt: event.readAt });
    this.deps.counted(event.room, event);
    this.chase(event.room, event);
  }

  /**
   * The server still counts unread in the room the person is reading: a reply kept to its thread came
   * after the newest message of the room's list (while signed out, say), and the marker stands before
   * it. One request finds the room's newest message in any list, and the marker moves up to it.
   */
  private chase(roomId: string, state: RoomReadState): void {
    const key = `${roomId}/${state.message}`;
    if (state.unread === 0 || !this.seesNewest(roomId) || this.chased === key) return;
    this.chased = key;
    void this.deps.api.newestIn(roomId).then(
      (newest) => {
        if (!newest) return;
        this.noteNewest(roomId, newest);
        this.consider();
      },
      () => undefined,
    );
  }

  /** A message new to the client (live or caught up): the newest of its room to mark read, read at once if in view. */
  arrived(message: ChatMessage, live: boolean): void {
    if (live) {
      this.lastLive = this.now();
      this.stirred ||= this.loading || this.lastLive - this.appliedAt < SETTLE_MS;
      if (this.stirred) this.settle();
    }
    if (!isSent(message)) return;
    this.noteNewest(message.room, message);
    if (live && message.room === this.openRoomId) this.consider();
  }

  private noteNewest(roomId: string, message: Cursor): void {
    const newest = this.newestArrived.get(roomId);
    if (!newest || isAfter(message, markerAt(newest))) this.newestArrived.set(roomId, message);
  }

  /** A room was opened: the divider's place is taken from its marker now; a hold from Mark as unread ends. */
  opened(roomId: string): void {
    if (roomId === this.openRoomId) return;
    this.openRoomId = roomId;
    this.held.clear();
    this.atPresent = true;
    this.opening = { roomId, marker: this.loaded ? this.markers.get(roomId) : undefined };
  }

  /** The open room's list reached its bottom holding the present, or left it. */
  listAt(roomId: string, atPresent: boolean): void {
    if (roomId !== this.openRoomId || atPresent === this.atPresent) return;
    this.atPresent = atPresent;
    if (atPresent) this.consider();
  }

  /** Whether a message arriving in this room now is seen as it comes: the room's newest are on screen. */
  seesNewest(roomId: string): boolean {
    return roomId === this.openRoomId && this.atPresent && !this.held.has(roomId);
  }

  /** Where the "New messages" divider goes in the open room's list, or null for none. */
  dividerIn(roomId: string, messages: readonly ChatMessage[], hasOlder: boolean): string | null {
    const opening = this.opening;
    if (!opening || opening.roomId !== roomId || !opening.marker) return null;
    return dividerBefore(messages, opening.marker, this.deps.selfId, hasOlder);
  }

  /**
   * An occasion to read: the room opened or its first page came, the window got the focus, the list
   * reached the bottom, a message arrived, the counts were loaded. Marks the open room read when its
   * newest messages are in view, and writes any marker still waiting.
   */
  consider(): void {
    const view = this.deps.inView();
    if (view && this.seesNewest(view.roomId) && view.loaded && !view.hasNewer) {
      let newest: Cursor | undefined;
      for (let i = view.messages.length - 1; i >= 0 && !newest; i--)
        if (isSent(view.messages[i]!)) newest = view.messages[i];
      const arrived = this.newestArrived.get(view.roomId);
      if (arrived && (!newest || isAfter(arrived, markerAt(newest)))) newest = arrived;
      this.deps.cleared(view.roomId);
      if (newest) this.move(view.roomId, markerAt(newest), 'forward');
    }
    this.writer.flushAll();
  }

  /** "Mark as unread": this message and all after it count again, on every device. */
  async markUnread(message: ChatMessage): Promise<void> {
    const before = await this.deps.before(message);
    const marker = before ? markerAt(before) : NOTHING_READ;
    if (message.room === this.openRoomId) {
      this.held.add(message.room);
      // The divider follows, so the person sees where the room now reads from.
      this.opening = { roomId: message.room, marker };
    }
    this.move(message.room, marker, 'any', true); // asked for: written now, not when a second is up
  }

  /** Asks for the counts again once no live message has come for SETTLE_MS (a load under way asks itself). */
  private settle(): void {
    if (this.settleTimer || this.loading || this.stopped) return;
    const wait = Math.max(0, this.lastLive + SETTLE_MS - this.now());
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (this.now() - this.lastLive < SETTLE_MS) this.settle();
      else void this.load();
    }, wait);
  }

  private move(roomId: string, marker: ReadMarker, direction: 'forward' | 'any', now = false): void {
    const current = this.markers.get(roomId);
    // Before the server's markers are in, forward from what is not known yet could be backward.
    const backward = !this.loaded || (current && !isAfter({ id: marker.message, created: marker.readAt }, current));
    if (direction === 'forward' && backward) return this.writer.flush(roomId);
    this.markers.set(roomId, marker);
    this.writer.want(roomId, marker, now);
  }

  /**
   * The chat ends: markers still waiting are written now, then nothing more. Resolves when they are
   * written (a sign-out clears the token next), or after STOP_WRITES_MS: a server that does not answer
   * does not hold the window or the sign-out up.
   */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WRITES_MS)));
    return Promise.race([this.writer.stop(), late]).finally(() => clearTimeout(timer));
  }
}

/** The chat's read state, for the message list (the divider, where it is) and a message's Mark as unread. */
export const [useReadState, provideReadState, hasReadState] = createContext<ReadState>();
