// What a new message does beyond its room's history: the unread badge and, where the policy allows, a
// notification. Both decide from the room as the client holds it, so a room the user has not joined
// (a public room they only read, a room they are only invited to) neither badges nor notifies.
import type { PalaverBridge } from '../../../src-shared/ipc.ts';
import type { ChatMessage } from './history.ts';
import { NotificationLevelStore } from './notification-level-store.ts';
import { authorName, notificationFor, shouldNotify, type AttentionState } from './notification-policy.ts';
import type { ChatRoom } from './rooms.ts';
import type { ReadState } from './read-state.svelte.ts';
import { countsAsUnread } from './thread-notify.ts';
import { UnreadCounter } from './unread.ts';

export interface MessageAlertsDeps {
  bridge: Pick<PalaverBridge, 'notify' | 'setUnreadCount'>;
  /** The room as a line of text (rooms.ts roomLabel). */
  label(room: ChatRoom): string;
  /** The unread counts per room changed: for the screen. */
  published(unread: Record<string, number>): void;
  /** The person's stored notification levels; none: every room has its kind's default. */
  levels?: Pick<NotificationLevelStore, 'current' | 'start'>;
  /** The read state (lib/read-state.svelte.ts): told of every message, and whether the open room's newest are in view. */
  reading?: Pick<ReadState, 'arrived' | 'seesNewest'>;
}

// The chat makes the store it hands in here.
export { NotificationLevelStore } from './notification-level-store.ts';

export class MessageAlerts {
  private readonly counter = new UnreadCounter();
  /**
   * Unread mentions per room, set just before each `published` call: read it beside the counts handed
   * there, which are new each time (the room list's `@` badge).
   */
  mentions: Record<string, number> = {};

  constructor(private readonly deps: MessageAlertsDeps) {}

  /** A message new to the client: counted, and notified when it arrived live (not caught up after a gap). */
  arrived(message: ChatMessage, room: ChatRoom | undefined, attention: AttentionState, live: boolean): void {
    const state = { ...attention, levels: attention.levels ?? this.deps.levels?.current };
    // A reply kept to its thread is unread news only when it concerns the person (lib/thread-notify.ts).
    this.deps.reading?.arrived(message, live);
    // A message in the open room while the person reads further back, or after Mark as unread, counts.
    const seen = state.conversationVisible && (this.deps.reading?.seesNewest(message.room) ?? true);
    if (countsAsUnread(message, state.selfId))
      this.counter.onMessage(message, { ...state, conversationVisible: seen }, room);
    // Caught-up messages are published together by the caller, and never notify: they are old news.
    if (!live) return;
    this.publish();
    if (!room || !shouldNotify(message, room, state)) return;
    const request = notificationFor(message, this.deps.label(room), authorName(message), room.kind === 'direct');
    // A click opens the conversation at this message (lib/message-jump.ts); a summary of several, only its room.
    request.messageId = message.id;
    void this.deps.bridge.notify(request).catch(() => undefined);
  }

  /** The store of levels the chat handed in, to show and choose a room's (a test's stand-in has none). */
  get levels(): NotificationLevelStore | undefined {
    return this.deps.levels instanceof NotificationLevelStore ? this.deps.levels : undefined;
  }

  /** Follows the stored levels (the badge is counted again when they change); returns the way to stop. */
  watchLevels(): () => void {
    return this.deps.levels?.start(() => this.publish()) ?? (() => undefined);
  }

  deleted(message: ChatMessage): void {
    this.counter.onDelete(message);
    this.publish();
  }

  /** The room left the list: its count goes with it. */
  forget(roomId: string): void {
    this.counter.forget(roomId);
    this.publish();
  }

  markRead(roomId: string): void {
    if (this.counter.count(roomId) === 0) return;
    this.counter.markRead(roomId);
    this.publish();
  }

  /** The server's counts for one room (issue 16), with the room as the client knows it. */
  counted(roomId: string, room: ChatRoom | undefined, unread: number, mentions: number): void {
    this.counter.set(roomId, room?.kind, unread, mentions);
    this.publish();
  }

  /** The server's counts for every room: they replace what was counted here. */
  countedAll(rooms: Record<string, { unread: number; mentions: number }>, room: (id: string) => ChatRoom | undefined) {
    this.counter.clear();
    for (const [roomId, { unread, mentions }] of Object.entries(rooms))
      this.counter.set(roomId, room(roomId)?.kind, unread, mentions);
    this.publish();
  }

  /** Publishes the counts without a change (after catching up). */
  publish(): void {
    this.mentions = this.counter.mentionSnapshot();
    this.deps.published(this.counter.snapshot());
    void this.deps.bridge.setUnreadCount(this.counter.badge(this.deps.levels?.current)).catch(() => undefined);
  }
}

/** What the chat is attending to, as the notification policy reads it: the chat's state as it is now. */
export function attentionOf(chat: {
  self: { id: string };
  openRoomId: string | null;
  attention: { focused: boolean; conversationVisible: boolean };
  blocks: { ids: ReadonlySet<string> };
  threads: { rootId: string | null };
}): AttentionState {
  const { self, openRoomId, attention, blocks, threads } = chat;
  const { focused: windowFocused, conversationVisible } = attention;
  return {
    selfId: self.id,
    openRoomId,
    windowFocused,
    conversationVisible,
    blocked: blocks.ids,
    openThreadId: threads.rootId,
  };
}
