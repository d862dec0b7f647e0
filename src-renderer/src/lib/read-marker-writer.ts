// Writes read markers to the server: the newest one decided on per room, at most once a second per room
// (a busy room read live writes once a second, not once a message), one write per room at a time. A
// write that fails is kept for the next occasion (flush or flushAll), never retried on a timer of its
// own and never reported: a read marker is not worth an error banner.
import type { ReadMarker } from './read-markers-api.ts';

/** How often one room's marker is written, at most, while it is read live. */
export const WRITE_INTERVAL_MS = 1_000;

export class ReadMarkerWriter {
  /** Markers decided on and not yet written (or whose write failed). */
  private readonly unwritten = new Map<string, ReadMarker>();
  /** Rooms with a write on its way, and the marker it writes. */
  private readonly writing = new Map<string, ReadMarker>();
  private readonly lastWrite = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;
  /** Writes on their way, so that stopping can wait for them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly write: (roomId: string, messageId: string) => Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The marker of ours not yet confirmed for a room (waiting or on its way), if any. */
  pending(roomId: string): ReadMarker | undefined {
    return this.unwritten.get(roomId) ?? this.writing.get(roomId);
  }

  /** The room's marker should be this: written when a second has passed since its last write (`now`: at once). */
  want(roomId: string, marker: ReadMarker, now = false): void {
    if (this.stopped) return; // decided after the chat ended: nobody is reading
    if (now) this.lastWrite.delete(roomId);
    this.unwritten.set(roomId, marker);
    this.flush(roomId);
  }

  /** Every marker still waiting, written as soon as its room allows. */
  flushAll(): void {
    for (const roomId of [...this.unwritten.keys()]) this.flush(roomId);
  }

  /**
   * Writes the room's waiting marker now if a second has passed since its last write, else when it has.
   * Once stopped, at once: what the person read before closing the app or signing out is read everywhere.
   */
  flush(roomId: string): void {
    const marker = this.unwritten.get(roomId);
    if (!marker || this.writing.has(roomId)) return;
    const wait = (this.lastWrite.get(roomId) ?? -Infinity) + WRITE_INTERVAL_MS - this.clock();
    if (wait > 0 && !this.stopped) {
      if (this.timers.has(roomId)) return;
      const timer = setTimeout(() => {
        this.timers.delete(roomId);
        this.flush(roomId);
      }, wait);
      this.timers.set(roomId, timer);
      return;
    }
    this.unwritten.delete(roomId);
    this.writing.set(roomId, marker);
    this.lastWrite.set(roomId, this.clock());
    const written = this.write(roomId, marker.message).then(
      () => {
        this.writing.delete(roomId);
        this.flush(roomId); // a newer marker decided on meanwhile
      },
      (error: unknown) => {
        this.writing.delete(roomId);
        // Kept for the next occasion, unless a newer marker took its place meanwhile, or the server refused
        // this one for good (its message deleted, the room left): kept, it would hold the room's badge at
        // zero on this device while every other device showed the real count. Once stopped there is no
        // next occasion, and a failed write is not tried again.
        if (!this.unwritten.has(roomId) && !refusedForGood(error) && !this.stopped) this.unwritten.set(roomId, marker);
      },
    );
    this.inFlight.add(written);
    void written.finally(() => this.inFlight.delete(written));
  }

  /**
   * The chat ends (the window closes, the person signs out): markers still waiting for their second are
   * written now, once, instead of being dropped — dropped, the messages just read stayed unread on the
   * person's other devices and at the next start. Resolves when those writes have settled.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.flushAll();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/** A 4xx answer other than 429: trying the same write again would be refused again. */
function refusedForGood(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}
