// Unread counts per room: a message from someone else in a room the user joined counts as unread
// unless the user is looking at that room or blocked its author. A public room they only read, or one
// they are only invited to, gets no badge. Opening a room reads it.
import { lookingAt, type AttentionState } from './notification-policy.ts';
import { isJoined, type ChatRoom } from './rooms.ts';

export class UnreadCounter {
  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();

  /** Counts a newly arrived message once (a redelivered event is not counted twice); `room` as the client knows it. */
  onMessage(
    message: { id: string; room: string; user: string },
    state: AttentionState,
    room: ChatRoom | undefined,
  ): void {
    if (message.user === state.selfId || this.seen.has(message.id) || state.blocked?.has(message.user)) return;
    if (!room || !isJoined(room, state.selfId)) return;
    this.seen.add(message.id);
    if (lookingAt(state, message.room)) return;
    this.counts.set(message.room, (this.counts.get(message.room) ?? 0) + 1);
  }

  /** A message was deleted before it was read. */
  onDelete(message: { id: string; room: string }): void {
    if (!this.seen.has(message.id)) return;
    const count = this.counts.get(message.room) ?? 0;
    if (count > 0) this.counts.set(message.room, count - 1);
  }

  markRead(roomId: string): void {
    this.counts.delete(roomId);
  }

  forget(roomId: string): void {
    this.counts.delete(roomId);
  }

  count(roomId: string): number {
    return this.counts.get(roomId) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
