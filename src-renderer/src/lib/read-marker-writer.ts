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
    if (now) this.lastWrite.delete(roomId);
    this.unwritten.set(roomId, marker);
    this.flush(roomId);
  }

  /** Every marker still waiting, written as soon as its room allows. */
  flushAll(): void {
    for (const roomId of [...this.unwritten.keys()]) this.flush(roomId);
  }

  /** Writes the room's waiting marker now if a second has passed since its last write, else when it has. */
  flush(roomId: string): void {
    const marker = this.unwritten.get(roomId);
    if (!marker || this.writing.has(roomId) || this.stopped) return;
    const wait = (this.lastWrite.get(roomId) ?? -Infinity) + WRITE_INTERVAL_MS - this.clock();
    if (wait > 0) {
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
    this.write(roomId, marker.message).then(
      () => {
        this.writing.delete(roomId);
        this.flush(roomId); // a newer marker decided on meanwhile
      },
      (error: unknown) => {
        this.writing.delete(roomId);
        // Kept for the next occasion, unless a newer marker took its place meanwhile, or the server refused
        // this one for good (its message deleted, the room left): kept, it would hold the room's badge at
        // zero on this device while every other device showed the real count.
        if (!this.unwritten.has(roomId) && !refusedForGood(error)) this.unwritten.set(roomId, marker);
      },
    );
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A 4xx answer other than 429: trying the same write again would be refused again. */
function refusedForGood(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}
