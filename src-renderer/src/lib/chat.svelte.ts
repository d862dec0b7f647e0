// The signed-in chat: rooms, each room's history, realtime updates, sending, unread counts and
// notifications. One realtime subscription per collection for the whole session (it feeds the open
// room, the unread counts and notifications alike), removed on sign-out and when the screen goes away.
import type PocketBase from 'pocketbase';
import type { RecordSubscription, UnsubscribeFunc } from 'pocketbase';
import { SvelteMap } from 'svelte/reactivity';
import type { PalaverBridge } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { Drafts } from './drafts.ts';
import { describeError } from './errors.ts';
import { mergeMessages, NEWEST_FIRST, olderThanFilter, oldestSent, PAGE_SIZE, removeMessage, type ChatMessage } from './history.ts';
import { notificationFor, shouldNotify } from './notification-policy.ts';
import { newRecordId } from './record-id.ts';
import { directPartner, roomLabel, type ChatRoom } from './rooms.ts';
import { UnreadCounter } from './unread.ts';

export const MESSAGE_LIMIT = 2000;

/** One room's history. The list is replaced, never mutated, so it stays a plain (raw) array. */
export class RoomHistory {
  messages = $state.raw<ChatMessage[]>([]);
  loaded = $state(false);
  hasOlder = $state(true);
  loadingOlder = $state(false);
  error = $state('');
}

function pbNow(): string {
  return new Date().toISOString().replace('T', ' ');
}

export class Chat {
  rooms = $state.raw<ChatRoom[]>([]);
  openRoomId = $state<string | null>(null);
  readonly histories = new SvelteMap<string, RoomHistory>();
  unread = $state.raw<Record<string, number>>({});
  /** A problem to show above everything, e.g. rooms failed to load. */
  banner = $state('');
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  windowFocused = $state(typeof document === 'undefined' ? true : document.hasFocus() && document.visibilityState === 'visible');

  readonly drafts: Drafts;
  private readonly counter = new UnreadCounter();
  private unsubscribers: UnsubscribeFunc[] = [];
  private readonly cleanups: Array<() => void> = [];
  private stopped = false;

  constructor(
    readonly pb: PocketBase,
    readonly self: UsersRecord,
    readonly bridge: PalaverBridge,
  ) {
    this.drafts = new Drafts(localStorage, self.id);
  }

  get openRoom(): ChatRoom | undefined {
    return this.rooms.find((room) => room.id === this.openRoomId);
  }

  get history(): RoomHistory | undefined {
    return this.openRoomId ? this.histories.get(this.openRoomId) : undefined;
  }

  label(room: ChatRoom): string {
    return roomLabel(room, this.self.id);
  }

  async start(initialRoomId?: string): Promise<void> {
    this.watchWindow();
    this.cleanups.push(this.bridge.onOpenRoom((roomId) => void this.openRoomById(roomId)));
    // Subscribe first so nothing created while the rooms load is missed, but do not wait for it:
    // history must show even when the realtime connection cannot be made (the SDK keeps retrying).
    const subscribed = this.subscribe().catch((error: unknown) => {
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'connect for live updates' }).message;
    });
    try {
      await this.loadRooms();
    } catch (error) {
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'load your rooms' }).message;
    }
    void subscribed;
    const first = (initialRoomId && this.rooms.find((r) => r.id === initialRoomId)) || this.rooms.find((r) => r.name === 'general') || this.rooms[0];
    if (first) await this.openRoomById(first.id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const unsubscribers = this.unsubscribers.splice(0);
    await Promise.allSettled(unsubscribers.map((unsubscribe) => unsubscribe()));
    await this.bridge.setUnreadCount(0).catch(() => undefined);
  }

  private watchWindow(): void {
    const update = () => {
      this.windowFocused = document.hasFocus() && document.visibilityState === 'visible';
      if (this.windowFocused && this.openRoomId) this.markRead(this.openRoomId);
    };
    const online = () => (this.online = true);
    const offline = () => (this.online = false);
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.cleanups.push(() => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    });
  }

  private async subscribe(): Promise<void> {
    const messages = await this.pb.collection('messages').subscribe<ChatMessage>('*', (event) => this.onMessageEvent(event), { expand: 'user' });
    const rooms = await this.pb.collection('rooms').subscribe<ChatRoom>('*', (event) => this.onRoomEvent(event), { expand: 'members' });
    this.unsubscribers.push(messages, rooms);
    if (this.stopped) await this.stop();
  }

  private async loadRooms(): Promise<void> {
    this.rooms = await this.pb.collection('rooms').getFullList<ChatRoom>({ expand: 'members', sort: 'name', requestKey: null });
  }

  private onRoomEvent(event: RecordSubscription<ChatRoom>): void {
    const room = event.record;
    if (event.action === 'delete') {
      this.rooms = this.rooms.filter((r) => r.id !== room.id);
      this.counter.forget(room.id);
      this.publishUnread();
      if (this.openRoomId === room.id) {
        const fallback = this.rooms.find((r) => r.name === 'general') ?? this.rooms[0];
        this.openRoomId = null;
        if (fallback) void this.openRoomById(fallback.id);
      }
      return;
    }
    const others = this.rooms.filter((r) => r.id !== room.id);
    this.rooms = [...others, room];
  }

  private onMessageEvent(event: RecordSubscription<ChatMessage>): void {
    const message = event.record;
    const history = this.histories.get(message.room);
    if (event.action === 'delete') {
      if (history) history.messages = removeMessage(history.messages, message.id);
      this.counter.onDelete(message);
      this.publishUnread();
      return;
    }
    if (history?.loaded) history.messages = mergeMessages(history.messages, [message]);
    if (event.action !== 'create') return;

    const attention = { selfId: this.self.id, openRoomId: this.openRoomId, windowFocused: this.windowFocused };
    this.counter.onMessage(message, attention);
    this.publishUnread();
    const room = this.rooms.find((r) => r.id === message.room);
    if (room && shouldNotify(message, room, attention)) {
      const author = message.expand?.user;
      const request = notificationFor(message, this.label(room), author?.name || author?.username || 'Someone', room.kind === 'direct');
      void this.bridge.notify(request).catch(() => undefined);
    }
  }

  private publishUnread(): void {
    this.unread = this.counter.snapshot();
    void this.bridge.setUnreadCount(this.counter.total).catch(() => undefined);
  }

  markRead(roomId: string): void {
    if (this.counter.count(roomId) === 0) return;
    this.counter.markRead(roomId);
    this.publishUnread();
  }

  async openRoomById(roomId: string): Promise<void> {
    if (!this.rooms.some((r) => r.id === roomId)) {
      // A notification can name a room created after our list was loaded.
      try {
        const room = await this.pb.collection('rooms').getOne<ChatRoom>(roomId, { expand: 'members', requestKey: null });
        this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
      } catch (error) {
        this.banner = describeError(error, { action: 'open that room' }).message;
        return;
      }
    }
    this.openRoomId = roomId;
    this.markRead(roomId);
    const history = this.histories.get(roomId);
    if (!history || (!history.loaded && !history.loadingOlder)) await this.loadPage(roomId);
  }

  private historyOf(roomId: string): RoomHistory {
    let history = this.histories.get(roomId);
    if (!history) {
      history = new RoomHistory();
      this.histories.set(roomId, history);
    }
    return history;
  }

  /** Loads the newest page (first time) or the page before the oldest message we have. */
  async loadPage(roomId: string): Promise<void> {
    const history = this.historyOf(roomId);
    if (history.loadingOlder || (history.loaded && !history.hasOlder)) return;
    history.loadingOlder = true;
    history.error = '';
    const { filter, params } = olderThanFilter(roomId, history.loaded ? oldestSent(history.messages) : undefined);
    try {
      const page = await this.pb.collection('messages').getList<ChatMessage>(1, PAGE_SIZE, {
        filter: this.pb.filter(filter, params),
        sort: NEWEST_FIRST,
        expand: 'user',
        skipTotal: true,
        requestKey: null,
      });
      history.messages = mergeMessages(history.messages, page.items);
      history.hasOlder = page.items.length === PAGE_SIZE;
      history.loaded = true;
    } catch (error) {
      history.error = describeError(error, { server: this.pb.baseURL, action: 'load messages' }).message;
    } finally {
      history.loadingOlder = false;
    }
  }

  async send(text: string): Promise<void> {
    const roomId = this.openRoomId;
    const trimmed = text.trim();
    if (!roomId || trimmed === '') return;
    // Never drop what was written: the history exists for any room that can be open.
    const history = this.historyOf(roomId);
    const id = newRecordId();
    const now = pbNow();
    const local: ChatMessage = {
      id,
      text: trimmed,
      user: this.self.id,
      room: roomId,
      created: now,
      updated: now,
      collectionId: '',
      collectionName: 'messages',
      expand: { user: this.self },
      delivery: 'pending',
    };
    history.messages = mergeMessages(history.messages, [local]);
    this.drafts.clear(roomId);
    await this.deliver(local);
  }

  private async deliver(message: ChatMessage): Promise<void> {
    const history = this.histories.get(message.room);
    const setLocal = (patch: Partial<ChatMessage>) => {
      if (!history) return;
      const current = history.messages.find((m) => m.id === message.id);
      if (current?.delivery) history.messages = history.messages.map((m) => (m.id === message.id ? { ...m, ...patch } : m));
    };
    try {
      const saved = await this.pb.collection('messages').create<ChatMessage>(
        { id: message.id, text: message.text, user: message.user, room: message.room },
        { expand: 'user', requestKey: null },
      );
      if (history) history.messages = mergeMessages(history.messages, [saved]);
    } catch (error) {
      const problem = describeError(error, { server: this.pb.baseURL, action: 'send this message' });
      if (problem.status === 400 && problem.fields.id) {
        // The id is taken: an earlier attempt reached the server and only its answer was lost.
        try {
          const saved = await this.pb.collection('messages').getOne<ChatMessage>(message.id, { expand: 'user', requestKey: null });
          if (history) history.messages = mergeMessages(history.messages, [saved]);
          return;
        } catch {
          // fall through: show it as failed
        }
      }
      setLocal({ delivery: 'failed', failure: problem.fields.text ?? problem.message });
    }
  }

  async retry(messageId: string): Promise<void> {
    const history = this.openRoomId ? this.histories.get(this.openRoomId) : undefined;
    const message = history?.messages.find((m) => m.id === messageId);
    if (!history || !message || message.delivery !== 'failed') return;
    history.messages = history.messages.map((m) => (m.id === messageId ? { ...m, delivery: 'pending', failure: undefined } : m));
    await this.deliver({ ...message, delivery: 'pending' });
  }

  /** Drops a failed message and puts its text back in the composer, so nothing is lost. */
  discard(messageId: string): string {
    const history = this.openRoomId ? this.histories.get(this.openRoomId) : undefined;
    const message = history?.messages.find((m) => m.id === messageId);
    if (!history || !message) return '';
    history.messages = removeMessage(history.messages, messageId);
    return message.text;
  }

  async edit(messageId: string, text: string): Promise<string | null> {
    try {
      const saved = await this.pb.collection('messages').update<ChatMessage>(messageId, { text }, { expand: 'user', requestKey: null });
      const history = this.histories.get(saved.room);
      if (history) history.messages = mergeMessages(history.messages, [saved]);
      return null;
    } catch (error) {
      const problem = describeError(error, { action: 'save your edit' });
      return problem.fields.text ?? problem.message;
    }
  }

  async remove(messageId: string): Promise<string | null> {
    try {
      await this.pb.collection('messages').delete(messageId, { requestKey: null });
      for (const history of this.histories.values()) history.messages = removeMessage(history.messages, messageId);
      return null;
    } catch (error) {
      return describeError(error, { action: 'delete this message' }).message;
    }
  }

  async findUsers(query: string): Promise<UsersRecord[]> {
    const q = query.trim();
    if (q === '') return [];
    const list = await this.pb.collection('users').getList<UsersRecord>(1, 8, {
      filter: this.pb.filter('id != {:self} && (username ~ {:q} || name ~ {:q})', { self: this.self.id, q }),
      sort: 'username',
      skipTotal: true,
      requestKey: 'user-search',
    });
    return list.items;
  }

  /**
   * Creates a room; returns its id, or field problems for the dialog. The caller opens the room once
   * its dialog is closed (a modal dialog makes the composer behind it unreachable).
   */
  async createRoom(name: string, kind: 'public' | 'private', inviteUsernames: string[]): Promise<{ roomId: string } | { problems: Record<string, string> }> {
    const members = [this.self.id];
    for (const username of inviteUsernames) {
      try {
        const user = await this.pb.collection('users').getFirstListItem<UsersRecord>(this.pb.filter('username:lower = {:u}', { u: username.toLowerCase() }), { requestKey: null });
        members.push(user.id);
      } catch {
        return { problems: { members: `There is no user named "${username}".` } };
      }
    }
    try {
      const room = await this.pb.collection('rooms').create<ChatRoom>({ name, kind, owner: this.self.id, members }, { expand: 'members', requestKey: null });
      this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
      return { roomId: room.id };
    } catch (error) {
      const problem = describeError(error, { action: 'create the room' });
      return { problems: Object.keys(problem.fields).length ? problem.fields : { name: problem.message } };
    }
  }

  /** The direct conversation with a user, created the first time; returns its id or a problem. */
  async directWith(user: UsersRecord): Promise<{ roomId: string } | { problem: string }> {
    const existing = this.rooms.find((r) => r.kind === 'direct' && r.members.includes(user.id) && r.members.includes(this.self.id));
    if (existing) return { roomId: existing.id };
    try {
      const room = await this.pb.collection('rooms').create<ChatRoom>(
        { name: '', kind: 'direct', owner: this.self.id, members: [this.self.id, user.id] },
        { expand: 'members', requestKey: null },
      );
      this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
      return { roomId: room.id };
    } catch (error) {
      return { problem: describeError(error, { action: 'start the conversation' }).message };
    }
  }

  partner(room: ChatRoom): UsersRecord | undefined {
    return directPartner(room, this.self.id);
  }
}
