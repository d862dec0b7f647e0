// For the chat core's unit tests: a room timeline held in memory that answers the named queries of
// messages-api.ts with the server's semantics ((created, id) cursors, limits, 404 for what is gone),
// so the parts can be tested without a server. messages-api.server.test.ts holds the real queries to
// the same semantics.
import { ClientResponseError } from 'pocketbase';
import { compareMessages, PAGE_SIZE, type ChatMessage } from './history.ts';
import type { Cursor, MessageChanges, MessagePages } from './messages-api.ts';

let sequence = 0;

/** A sent message; `at` is a second offset from a fixed day, so ids and times sort alike. */
export function message(id: string, at: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  sequence += 1;
  const created = new Date(Date.UTC(2026, 0, 1) + at * 1000).toISOString().replace('T', ' ');
  return {
    id,
    created,
    updated: created,
    text: `text ${sequence}`,
    user: 'u1',
    room: 'r1',
    collectionId: 'c',
    collectionName: 'messages',
    attachments: [],
    attachmentInfo: null,
    mentions: [],
    editedAt: '',
    thread: '',
    alsoInRoom: false,
    threadInfo: null,
    reactionInfo: null,
    ...extra,
  };
}

/** `count` messages m000… in room r1, one a second. */
export function timeline(count: number, room = 'r1'): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => message(`m${String(i).padStart(4, '0')}`, i, { room }));
}

export function notFound(): ClientResponseError {
  return new ClientResponseError({
    status: 404,
    response: { status: 404, message: "The requested resource wasn't found.", data: {} },
  });
}

export class MemoryMessages implements MessagePages, MessageChanges {
  messages: ChatMessage[];
  /** Set to make the next request fail with it. */
  failNext: unknown = null;
  requests = 0;

  /** `scope` thread: pages of one thread's replies, keyed by the root's id, over the same messages. */
  constructor(
    messages: ChatMessage[],
    private readonly scope: 'room' | 'thread' = 'room',
    private readonly source?: MemoryMessages,
  ) {
    this.messages = [...messages].sort(compareMessages);
  }

  /** The same timeline read as threads (MessagesApi.threadPages): requests and failures are this one's. */
  threadPages(): MemoryMessages {
    return new MemoryMessages([], 'thread', this);
  }

  private check(): void {
    if (this.source) return this.source.check();
    this.requests += 1;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
  }

  /** A room's main list (its messages and the replies also sent to it), or a thread's replies. */
  private room(roomId: string): ChatMessage[] {
    const all = this.source?.messages ?? this.messages;
    if (this.scope === 'thread') return all.filter((m) => m.thread === roomId);
    return all.filter((m) => m.room === roomId && (!m.thread || m.alsoInRoom));
  }

  async newest(roomId: string, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    this.check();
    return this.room(roomId).slice(-limit).reverse();
  }

  async olderThan(roomId: string, cursor: Cursor, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    this.check();
    return this.room(roomId)
      .filter((m) => compareMessages(m, cursor as ChatMessage) < 0)
      .slice(-limit)
      .reverse();
  }

  async newerThan(roomId: string, cursor: Cursor, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    this.check();
    return this.room(roomId)
      .filter((m) => compareMessages(m, cursor as ChatMessage) > 0)
      .slice(0, limit);
  }

  async one(id: string): Promise<ChatMessage> {
    this.check();
    const found = (this.source?.messages ?? this.messages).find((m) => m.id === id);
    if (!found) throw notFound();
    return found;
  }

  async changedSince(since: string, page: number, perPage: number): Promise<ChatMessage[]> {
    this.check();
    const changed = this.messages
      .filter((m) => m.updated >= since)
      .sort((a, b) => (a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : a.id < b.id ? -1 : 1));
    return changed.slice((page - 1) * perPage, page * perPage);
  }
}
