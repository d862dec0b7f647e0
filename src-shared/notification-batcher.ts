// Coalesces message notifications so a busy room cannot flood the desktop: a few singles, then one
// summary per window while the burst lasts. Shared, so the desktop app (src-main/notify.ts) and the
// browser (the renderer's web bridge) fold bursts by the same rules; each only shows what it is given.
import type { NotificationRequest } from './ipc.ts';
import { notificationTitle } from './notification-title.ts';

export interface ShownNotification {
  title: string;
  body: string;
  /** Set when a click should open one room. */
  roomId?: string;
  /** Set on a single thread reply's notification only: a click opens that thread beside its room. */
  threadId?: string;
  /** Set on a single message's notification only: a click opens the room at that message. */
  messageId?: string;
  /** The server of the room (its address), when the request named one: a click opens that server. */
  server?: string;
}

type TimerHandle = unknown;

export interface NotificationBatcherOptions {
  show: (notification: ShownNotification) => void;
  /** How long a window lasts, from its first notification. */
  windowMs?: number;
  /** How many notifications a window shows one by one before holding the rest for the summary. */
  maxSingles?: number;
  /** Injected for tests; default to the global timers, looked up at call time. */
  setTimeout?: (callback: () => void, ms: number) => TimerHandle;
  clearTimeout?: (handle: TimerHandle) => void;
}

/** How a summary names the room of a request: its label as the renderer sent it, never cut apart. */
export function summaryRoomName(request: Pick<NotificationRequest, 'roomLabel'>): string {
  const label = request.roomLabel.trim();
  return label === '' ? 'a room' : label;
}

export function summaryBody(held: readonly NotificationRequest[]): string {
  const perRoom = new Map<string, { label: string; count: number }>();
  for (const request of held) {
    const room = perRoom.get(request.roomId) ?? { label: summaryRoomName(request), count: 0 };
    room.count++;
    perRoom.set(request.roomId, room);
  }
  // Name the busiest room; Map order breaks ties in favour of the room seen first.
  let busiest = { label: 'a room', count: 0 };
  for (const room of perRoom.values()) if (room.count > busiest.count) busiest = room;
  const messages = held.length === 1 ? '1 more new message' : `${held.length} more new messages`;
  const others = perRoom.size - 1;
  const rest = others === 0 ? '' : others === 1 ? ' and 1 other room' : ` and ${others} other rooms`;
  return `${messages} in ${busiest.label}${rest}`;
}

export class NotificationBatcher {
  readonly #show: (notification: ShownNotification) => void;
  readonly #windowMs: number;
  readonly #maxSingles: number;
  readonly #setTimeout: (callback: () => void, ms: number) => TimerHandle;
  readonly #clearTimeout: (handle: TimerHandle) => void;

  #timer: TimerHandle | null = null;
  #singlesLeft: number;
  #held: NotificationRequest[] = [];
  #doNotDisturb = false;

  constructor(options: NotificationBatcherOptions) {
    this.#show = options.show;
    this.#windowMs = options.windowMs ?? 1500;
    this.#maxSingles = options.maxSingles ?? 3;
    this.#setTimeout = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimeout = options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#singlesLeft = this.#maxSingles;
  }

  get doNotDisturb(): boolean {
    return this.#doNotDisturb;
  }

  /** While on, nothing is shown or queued; turning it on also drops a pending summary. */
  set doNotDisturb(on: boolean) {
    this.#doNotDisturb = on;
    if (on) this.#reset();
  }

  push(request: NotificationRequest): void {
    if (this.#doNotDisturb) return;
    if (this.#timer === null) this.#timer = this.#setTimeout(() => this.#closeWindow(), this.#windowMs);
    if (this.#singlesLeft > 0) {
      this.#singlesLeft--;
      const { roomId, threadId, messageId, server } = request;
      this.#safeShow({
        title: notificationTitle(request),
        body: request.body,
        roomId,
        ...(threadId === undefined ? {} : { threadId }),
        ...(messageId === undefined ? {} : { messageId }),
        ...(server === undefined ? {} : { server }),
      });
    } else {
      this.#held.push(request);
    }
  }

  /** Stops the timer and drops anything held (on quit). */
  dispose(): void {
    this.#reset();
  }

  #closeWindow(): void {
    this.#timer = null;
    if (this.#held.length === 0) {
      this.#singlesLeft = this.#maxSingles;
      return;
    }
    const held = this.#held;
    this.#held = [];
    const rooms = new Set(held.map((request) => request.roomId));
    // A summary stands for several messages, perhaps in several threads: at most it opens their room.
    const onlyRoom = rooms.size === 1 ? held[0]?.roomId : undefined;
    const server = onlyRoom === undefined ? undefined : held[0]?.server;
    this.#safeShow({
      title: 'Palaver',
      body: summaryBody(held),
      ...(onlyRoom === undefined ? {} : { roomId: onlyRoom }),
      ...(server === undefined ? {} : { server }),
    });
    // The burst is still going: the next window starts now and holds everything for its summary, so
    // a sustained flood shows one summary per window, not singles plus a summary each time.
    this.#singlesLeft = 0;
    this.#timer = this.#setTimeout(() => this.#closeWindow(), this.#windowMs);
  }

  #reset(): void {
    if (this.#timer !== null) this.#clearTimeout(this.#timer);
    this.#timer = null;
    this.#held = [];
    this.#singlesLeft = this.#maxSingles;
  }

  #safeShow(notification: ShownNotification): void {
    try {
      this.#show(notification);
    } catch (error) {
      console.error(`Palaver: showing a desktop notification failed (${String(error)}).`);
    }
  }
}
