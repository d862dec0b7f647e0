// Every request the chat makes about messages, each with a name, in one place: the filters, sorts and
// options (author expanded, no totals, never auto-cancelled) are written once here, not per call site.
// Parts of the chat take the small interfaces below, so they can be tested without a server; this
// module itself is tested against a real PocketBase (messages-api.server.test.ts).
import type PocketBase from 'pocketbase';
import { PAGE_SIZE, type ChatMessage } from './history.ts';
import { upload } from './upload.ts';
import { formatAhead } from './markdown.ts';

/** Where a page starts: a message's (created, id), the order of the server's index and of the list. */
export type Cursor = Pick<ChatMessage, 'created' | 'id'>;

/** Reading one room's history a page at a time. Pages come in no promised order: callers merge them. */
export interface MessagePages {
  /** The newest messages of a room. */
  newest(roomId: string, limit?: number): Promise<ChatMessage[]>;
  /** Messages strictly older than the cursor, nearest first. */
  olderThan(roomId: string, cursor: Cursor, limit?: number): Promise<ChatMessage[]>;
  /** Messages strictly newer than the cursor, nearest first. */
  newerThan(roomId: string, cursor: Cursor, limit?: number): Promise<ChatMessage[]>;
  /** One message by id (404 when it is gone or not readable). */
  one(id: string): Promise<ChatMessage>;
}

/** Everything created or edited since a moment, across every room the user can read, oldest first. */
export interface MessageChanges {
  changedSince(since: string, page: number, perPage: number): Promise<ChatMessage[]>;
}

export interface NewMessage {
  id: string;
  room: string;
  text: string;
  /** A reply: its thread's root (the server files a reply to a reply under the root). */
  thread?: string;
  /** The reply also stands in the room's main list. */
  alsoInRoom?: boolean;
}

/** An upload under way: how far it is (0 to 1), and how to stop it. */
export interface UploadOptions {
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
}

/** Writing: the author is always the signed-in user (the server's rules insist). */
export interface MessageWrites {
  create(message: NewMessage): Promise<ChatMessage>;
  /** Creates a message with files, in one request whose progress is reported (lib/upload.ts). */
  createWithFiles(message: NewMessage, files: readonly File[], options?: UploadOptions): Promise<ChatMessage>;
  one(id: string): Promise<ChatMessage>;
  update(id: string, text: string): Promise<ChatMessage>;
  remove(id: string): Promise<void>;
}

/** Sorts for the cursor pages: both orders of the (room, created, id) index. */
export const NEWEST_FIRST = '-created,-id';
export const OLDEST_FIRST = 'created,id';

/**
 * Whose messages a page holds: a room's main list (its messages, and the replies also sent to it), or
 * one thread's replies (keyed by the root's id).
 */
export type PageScope = 'room' | 'thread';

const SCOPES: Record<PageScope, string> = {
  room: "room = {:room} && (thread = '' || alsoInRoom = true)",
  thread: 'thread = {:room}',
};

/**
 * A filter for the messages of a room (or a thread) strictly before (or after) a cursor by (created, id),
 * so a page boundary inside one millisecond neither skips nor repeats a message.
 */
export function cursorFilter(
  roomId: string,
  direction: 'older' | 'newer',
  cursor?: Cursor,
  scope: PageScope = 'room',
): { filter: string; params: Record<string, string> } {
  const where = SCOPES[scope];
  if (!cursor) return { filter: where, params: { room: roomId } };
  const op = direction === 'older' ? '<' : '>';
  return {
    filter: `${where} && (created ${op} {:created} || (created = {:created} && id ${op} {:id}))`,
    params: { room: roomId, created: cursor.created, id: cursor.id },
  };
}

export class MessagesApi implements MessagePages, MessageChanges, MessageWrites {
  /** `scope` thread: the same pages for one thread, the root's id standing where a room's id does. */
  constructor(
    private readonly pb: PocketBase,
    private readonly scope: PageScope = 'room',
  ) {}

  /** A thread's replies, a page at a time, oldest reply first once merged (RoomHistory keyed by the root). */
  threadPages(): MessagePages {
    return new MessagesApi(this.pb, 'thread');
  }

  private get collection() {
    return this.pb.collection('messages');
  }

  private async page(
    filter: { filter: string; params: Record<string, string> },
    sort: string,
    limit: number,
    /** How many of the page's texts to format before it is drawn (the rest as they are drawn). */
    formatCount = limit,
  ): Promise<ChatMessage[]> {
    const list = await this.collection.getList<ChatMessage>(1, limit, {
      filter: this.pb.filter(filter.filter, filter.params),
      sort,
      expand: 'user',
      skipTotal: true,
      requestKey: null,
    });
    await formatAhead(
      list.items.map((message) => message.text),
      formatCount,
    );
    return list.items;
  }

  // Drawn a screenful first, each part formatted as it is drawn (lib/draw-in-steps.svelte.ts): only the
  // formatter's chunk is waited for here.
  newest(roomId: string, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    return this.page(cursorFilter(roomId, 'older', undefined, this.scope), NEWEST_FIRST, limit, 0);
  }

  olderThan(roomId: string, cursor: Cursor, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    return this.page(cursorFilter(roomId, 'older', cursor, this.scope), NEWEST_FIRST, limit);
  }

  newerThan(roomId: string, cursor: Cursor, limit = PAGE_SIZE): Promise<ChatMessage[]> {
    return this.page(cursorFilter(roomId, 'newer', cursor, this.scope), OLDEST_FIRST, limit);
  }

  async changedSince(since: string, page: number, perPage: number): Promise<ChatMessage[]> {
    const list = await this.collection.getList<ChatMessage>(page, perPage, {
      filter: this.pb.filter('updated >= {:since}', { since }),
      sort: 'updated,id',
      // A reply's root, as its live event carries it: who follows the thread decides its unread count.
      expand: 'user,thread',
      skipTotal: true,
      requestKey: null,
    });
    return list.items;
  }

  one(id: string): Promise<ChatMessage> {
    return this.collection.getOne<ChatMessage>(id, { expand: 'user', requestKey: null });
  }

  create(message: NewMessage): Promise<ChatMessage> {
    const user = this.pb.authStore.record?.id ?? '';
    return this.collection.create<ChatMessage>({ ...message, user }, { expand: 'user', requestKey: null });
  }

  createWithFiles(message: NewMessage, files: readonly File[], options: UploadOptions = {}): Promise<ChatMessage> {
    const form = new FormData();
    form.append('id', message.id);
    form.append('room', message.room);
    form.append('text', message.text);
    if (message.thread) form.append('thread', message.thread);
    if (message.alsoInRoom) form.append('alsoInRoom', 'true');
    form.append('user', this.pb.authStore.record?.id ?? '');
    for (const file of files) form.append('attachments', file, file.name);
    return upload<ChatMessage>({
      url: this.pb.buildURL('/api/collections/messages/records?expand=user'),
      token: this.pb.authStore.token,
      form,
      ...options,
    });
  }

  update(id: string, text: string): Promise<ChatMessage> {
    return this.collection.update<ChatMessage>(id, { text }, { expand: 'user', requestKey: null });
  }

  async remove(id: string): Promise<void> {
    await this.collection.delete(id, { requestKey: null });
  }
}
