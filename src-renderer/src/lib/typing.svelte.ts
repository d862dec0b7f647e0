// "alice is typing…": who is typing in which room, from the server's palaver/typing signals
// (backend/typing.go), and this person's own signals while they write. Nothing of it is stored anywhere:
// a typist is forgotten 6 s after their last signal, or as soon as their message arrives in that room.
// The room's composer signals at most once per 3 s while its text changes, the pace the server allows.
import type PocketBase from 'pocketbase';
import { ClientResponseError, type UnsubscribeFunc } from 'pocketbase';
import { MESSAGES_TOPIC, TYPING_TOPIC } from '../../../src-shared/realtime-topics.ts';

/** How long a typist stays shown after their last signal: two signals' worth, so one lost signal is no gap. */
export const TYPING_SHOWN_MS = 6_000;
/** The least time between two signals for one room: the server refuses faster ones (429). */
export const TYPING_SIGNAL_MS = 3_000;

/** One signal as the server sends it. */
export interface TypingEvent {
  room: string;
  user: string;
  name: string;
}

/** Someone typing in a room, until `until` (ms since the epoch). */
export interface Typist {
  id: string;
  /** The name the server sent with the last signal; the line prefers the one the chat knows. */
  name: string;
  until: number;
}

export interface Clock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Who is typing in each room right now, oldest signal first. One timer for the next expiry, none when empty. */
export class TypingRooms {
  private rooms = $state.raw<ReadonlyMap<string, readonly Typist[]>>(new Map());
  private timer: unknown = null;

  constructor(private readonly clock: Clock = systemClock) {}

  /** The typists of a room, oldest first (reactive). */
  in(roomId: string): readonly Typist[] {
    return this.rooms.get(roomId) ?? [];
  }

  heard(event: TypingEvent): void {
    const until = this.clock.now() + TYPING_SHOWN_MS;
    const typists = this.in(event.room);
    const known = typists.some((t) => t.id === event.user);
    const next = known
      ? typists.map((t) => (t.id === event.user ? { ...t, name: event.name, until } : t))
      : [...typists, { id: event.user, name: event.name, until }];
    this.replace(event.room, next);
  }

  /** Their message is there: they are no longer typing it. */
  messageArrived(roomId: string, userId: string): void {
    const typists = this.in(roomId);
    if (typists.some((t) => t.id === userId))
      this.replace(
        roomId,
        typists.filter((t) => t.id !== userId),
      );
  }

  /** Forgets everyone (signed out, or the signals stopped). */
  clear(): void {
    this.rooms = new Map();
    this.schedule();
  }

  private replace(roomId: string, typists: readonly Typist[]): void {
    const rooms = new Map(this.rooms);
    if (typists.length > 0) rooms.set(roomId, typists);
    else rooms.delete(roomId);
    this.rooms = rooms;
    this.schedule();
  }

  private expire(): void {
    this.timer = null;
    const now = this.clock.now();
    const rooms = new Map<string, readonly Typist[]>();
    for (const [roomId, typists] of this.rooms) {
      const current = typists.filter((t) => t.until > now);
      if (current.length > 0) rooms.set(roomId, current);
    }
    this.rooms = rooms;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    let next = Infinity;
    for (const typists of this.rooms.values()) for (const t of typists) next = Math.min(next, t.until);
    if (next === Infinity) return;
    this.timer = this.clock.setTimer(() => this.expire(), Math.max(0, next - this.clock.now()));
  }
}

/** A piece of the typing line: a person's name (shown isolated, as names are elsewhere) or words. */
export type LinePart = { name: string } | { text: string };

/** The line under the conversation for the typists' names, in the order they started; empty for nobody. */
export function typingLine(names: readonly string[]): LinePart[] {
  const [first, second] = names;
  if (first === undefined) return [];
  if (second === undefined) return [{ name: first }, { text: ' is typing…' }];
  if (names.length === 2) return [{ name: first }, { text: ' and ' }, { name: second }, { text: ' are typing…' }];
  return [{ text: 'Several people are typing…' }];
}

/** The line as plain text. */
export function typingText(names: readonly string[]): string {
  return typingLine(names)
    .map((part) => ('name' in part ? part.name : part.text))
    .join('');
}

export interface TypingSignalDeps {
  /** Sends one signal for a room (POST /api/palaver/rooms/{id}/typing). */
  post(roomId: string): Promise<unknown>;
  now?(): number;
  /** Where the one warning about failing signals goes. */
  warn?(message: string, error: unknown): void;
}

/**
 * This person's own signals: at most one per room every TYPING_SIGNAL_MS while the composer's text changes,
 * none for a text emptied. A signal is a courtesy: failures change nothing on screen and are logged once.
 */
export class TypingSignal {
  private readonly lastSent = new Map<string, number>();
  private warned = false;

  constructor(private readonly deps: TypingSignalDeps) {}

  changed(roomId: string, text: string): void {
    if (text.trim() === '') return;
    const now = this.deps.now?.() ?? Date.now();
    const last = this.lastSent.get(roomId);
    if (last !== undefined && now - last < TYPING_SIGNAL_MS) return;
    this.lastSent.set(roomId, now);
    this.deps.post(roomId).catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): void {
    // A 429 is the server's clock and ours a few ms apart; the next signal is on time again.
    if (error instanceof ClientResponseError && error.status === 429) return;
    if (this.warned) return;
    this.warned = true;
    (this.deps.warn ?? console.warn)(
      'Typing signals are not reaching the server (further failures are not logged)',
      error,
    );
  }
}

/** What Typing needs of the chat: the server, who is signed in, and whom they blocked. */
export interface TypingChat {
  pb: PocketBase;
  self: { id: string };
  blocks: { has(userId: string): boolean };
}

/** Typing for one chat screen: the typists it hears and the signals its room composer sends. */
export class Typing {
  readonly rooms: TypingRooms;
  readonly signal: TypingSignal;
  private users = 0;
  private unsubscribers: Array<Promise<UnsubscribeFunc | void>> = [];

  constructor(
    private readonly chat: TypingChat,
    clock: Clock = systemClock,
  ) {
    this.rooms = new TypingRooms(clock);
    this.signal = new TypingSignal({
      post: (roomId) =>
        chat.pb.send(`/api/palaver/rooms/${encodeURIComponent(roomId)}/typing`, { method: 'POST', requestKey: null }),
      now: () => clock.now(),
    });
  }

  /** The typists of a room to show: never this person, never someone they blocked (reactive). */
  shown(roomId: string): readonly Typist[] {
    return this.rooms.in(roomId).filter((t) => t.id !== this.chat.self.id && !this.chat.blocks.has(t.id));
  }

  /**
   * Listens while something shows typists; returns the stop. The SDK shares the chat's one realtime
   * connection and resubscribes after a reconnect; `palaver/messages` without options is the chat's own
   * subscription, so hearing messages here costs the server nothing more.
   */
  listen(): () => void {
    if (this.users++ === 0) {
      const { realtime } = this.chat.pb;
      const quietly = (error: unknown) => console.warn('Could not listen for typing signals', error);
      this.unsubscribers = [
        realtime.subscribe(TYPING_TOPIC, (event: TypingEvent) => this.rooms.heard(event)).catch(quietly),
        realtime
          .subscribe(MESSAGES_TOPIC, (event: { action: string; record: { room: string; user: string } }) => {
            if (event.action === 'create') this.rooms.messageArrived(event.record.room, event.record.user);
          })
          .catch(quietly),
      ];
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.users > 0) return;
      for (const unsubscribe of this.unsubscribers.splice(0)) void unsubscribe.then((stop) => stop?.());
      this.rooms.clear();
    };
  }
}

const byChat = new WeakMap<TypingChat, Typing>();

/** The chat's one Typing, made the first time it is asked for (the same one every time after). */
export function typingOf(chat: TypingChat): Typing {
  let typing = byChat.get(chat);
  if (!typing) byChat.set(chat, (typing = new Typing(chat)));
  return typing;
}
