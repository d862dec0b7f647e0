// Unread counts per room: a message from someone else in a room the user joined counts as unread
// unless the user is looking at that room or blocked its author. A public room they only read, or one
// they are only invited to, gets no badge. Opening a room reads it. Mentions of the person are counted
// apart; the app's badge (tray, title) counts what each room's notification level counts.
import { levelOf, mentions, type NotificationLevels } from './notification-levels.ts';
import { lookingAt, type AttentionState } from './notification-policy.ts';
import { isJoined, type ChatRoom } from './rooms.ts';

/** Each room's count stops here on the server (GET /api/palaver/unread): a room at it has that many or more. */
export const UNREAD_CAP = 1000;

/** A count as words and badges spell it out: the server's cap reads "999+", since there may be more. */
export function countText(count: number): string {
  return count >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(count);
}

export class UnreadCounter {
  private readonly counts = new Map<string, number>();
  private readonly mentionCounts = new Map<string, number>();
  private readonly kinds = new Map<string, ChatRoom['kind']>();
  /** Each message counted, and whether it mentioned the person. */
  private readonly seen = new Map<string, boolean>();

  /** Counts a newly arrived message once (a redelivered event is not counted twice); `room` as the client knows it. */
  onMessage(
    message: { id: string; room: string; user: string; mentions?: readonly string[] | null },
    state: AttentionState,
    room: ChatRoom | undefined,
  ): void {
    if (message.user === state.selfId || this.seen.has(message.id) || state.blocked?.has(message.user)) return;
    if (!room || !isJoined(room, state.selfId)) return;
    const mentioned = mentions(message, state.selfId);
    this.seen.set(message.id, mentioned);
    if (lookingAt(state, message.room)) return;
    this.kinds.set(message.room, room.kind);
    this.counts.set(message.room, (this.counts.get(message.room) ?? 0) + 1);
    if (mentioned) this.mentionCounts.set(message.room, (this.mentionCounts.get(message.room) ?? 0) + 1);
  }

  /** A message was deleted before it was read. */
  onDelete(message: { id: string; room: string }): void {
    if (!this.seen.has(message.id)) return;
    const count = this.counts.get(message.room) ?? 0;
    if (count > 0) this.counts.set(message.room, count - 1);
    const mentioned = this.mentionCounts.get(message.room) ?? 0;
    if (this.seen.get(message.id) && mentioned > 0) this.mentionCounts.set(message.room, mentioned - 1);
  }

  /** The server's count for a room (issue 16): replaces what was counted here. */
  set(roomId: string, kind: ChatRoom['kind'] | undefined, unread: number, mentioned: number): void {
    if (kind) this.kinds.set(roomId, kind);
    if (unread > 0) this.counts.set(roomId, unread);
    else this.counts.delete(roomId);
    if (mentioned > 0) this.mentionCounts.set(roomId, mentioned);
    else this.mentionCounts.delete(roomId);
  }

  /** Every count goes (before the server's replace them all). */
  clear(): void {
    this.counts.clear();
    this.mentionCounts.clear();
  }

  markRead(roomId: string): void {
    this.counts.delete(roomId);
    this.mentionCounts.delete(roomId);
  }

  forget(roomId: string): void {
    this.markRead(roomId);
  }

  /** Unread messages that mention the person, in one room. */
  mentionCount(roomId: string): number {
    return this.mentionCounts.get(roomId) ?? 0;
  }

  /** What the app's badge shows: every unread message of an `all` room, the mentions of a `mentions` one. */
  badge(levels: NotificationLevels | undefined): number {
    let sum = 0;
    for (const [roomId, count] of this.counts) {
      const level = levelOf({ id: roomId, kind: this.kinds.get(roomId) ?? 'public' }, levels);
      if (level === 'all') sum += count;
      else if (level === 'mentions') sum += this.mentionCount(roomId);
    }
    return sum;
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

  /** The unread mentions of each room that has any (the room list's `@` badge). */
  mentionSnapshot(): Record<string, number> {
    return Object.fromEntries([...this.mentionCounts].filter(([, count]) => count > 0));
  }
}
