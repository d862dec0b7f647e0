// The signed-in chat: rooms, each room's history, realtime updates, sending, unread counts and
// notifications. One realtime subscription per collection for the whole session (it feeds the open
// room, the unread counts and notifications alike), removed on sign-out and when the screen goes away.
// After any reconnect the gap is filled from the server (PocketBase does not replay events), and
// messages go through an outbox that keeps them until the server has them.
import type PocketBase from 'pocketbase';
import type { RecordSubscription, UnsubscribeFunc } from 'pocketbase';
import { SvelteMap } from 'svelte/reactivity';
import type { OutboxEntry, PalaverBridge } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../../src-shared/realtime-topics.ts';
import { Drafts } from './drafts.ts';
import { describeError } from './errors.ts';
import {
  mergeIntoWindow,
  mergeMessages,
  newerThanFilter,
  newestSent,
  NEWEST_FIRST,
  OLDEST_FIRST,
  olderThanFilter,
  oldestSent,
  PAGE_SIZE,
  removeMessage,
  trimWindow,
  WINDOW_SIZE,
  type ChatMessage,
} from './history.ts';
import { notificationFor, shouldNotify } from './notification-policy.ts';
import { Outbox, type SendOutcome } from './outbox.ts';
import { dropDeleted, recoverySince, type ConnectionState } from './recovery.ts';
import { newRecordId } from './record-id.ts';
import { roomUnavailableMessage } from './room-access.ts';
import { directPartner, roomLabel, type ChatRoom } from './rooms.ts';
import { UnreadCounter } from './unread.ts';

export const MESSAGE_LIMIT = 2000;

/** What last changed a history, so the list knows whether to keep the reader's place or follow. */
export type HistoryChange = 'reset' | 'older' | 'newer' | 'live';

/**
 * One room's history: a window of at most WINDOW_SIZE sent messages (plus unsent ones). The list is
 * replaced, never mutated, so it stays a plain (raw) array.
 */
export class RoomHistory {
  messages = $state.raw<ChatMessage[]>([]);
  loaded = $state(false);
  hasOlder = $state(true);
  /** Newer messages exist beyond the window (the reader scrolled far back). */
  hasNewer = $state(false);
  loadingOlder = $state(false);
  loadingNewer = $state(false);
  /** Messages that arrived while hasNewer: not in the window, announced by the marker. */
  newArrivals = $state(0);
  error = $state('');
  lastChange: HistoryChange = 'reset';
  /** The reader is at the newest message (set by the list): live messages may push out old ones. */
  following = true;

  set(messages: ChatMessage[], change: HistoryChange): void {
    this.lastChange = change;
    this.messages = messages;
  }
}

function pbNow(): string {
  return new Date().toISOString().replace('T', ' ');
}

/** Pages of at most this many messages when filling a gap; at most RECOVERY_PAGES of them. */
const RECOVERY_PAGE = 200;
const RECOVERY_PAGES = 25;
/** Waits before retrying a first realtime connection that failed (the SDK retries only lost ones). */
const FIRST_CONNECT_RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/** The SDK's reconnect schedule is private; read it to tell the user when the next attempt is. */
interface RealtimeInternals {
  reconnectAttempts?: number;
  predefinedReconnectIntervals?: number[];
}

export class Chat {
  rooms = $state.raw<ChatRoom[]>([]);
  openRoomId = $state<string | null>(null);
  readonly histories = new SvelteMap<string, RoomHistory>();
  unread = $state.raw<Record<string, number>>({});
  /** A problem to show above everything, e.g. rooms failed to load. */
  banner = $state('');
  /** A room asked for by a link or a notification could not be opened; shown until dismissed or another room is chosen. */
  roomNotice = $state('');
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  windowFocused = $state(typeof document === 'undefined' ? true : document.hasFocus() && document.visibilityState === 'visible');

  connection = $state<ConnectionState>({ kind: 'connecting' });
  /** How many messages wait in the outbox, and why, for the indicator. */
  waiting = $state(0);
  waitingReason = $state('');

  readonly drafts: Drafts;
  private readonly counter = new UnreadCounter();
  private unsubscribers: UnsubscribeFunc[] = [];
  private readonly cleanups: Array<() => void> = [];
  private stopped = false;
  private outbox: Outbox | null = null;
  /** The newest `updated` of any server message seen, and the server's clock while connected. */
  private newestSeen: string | null = null;
  private serverTime: Date | null = null;
  private realtimeUp = false;
  private gapSince: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The room list has been loaded (or failed to): from now on a room that cannot be opened falls back to the default. */
  private roomsSettled = false;
  /** Rooms asked for by id that are still being fetched (they were not in the list). */
  private fetchingRooms = 0;

  constructor(
    readonly pb: PocketBase,
    readonly self: UsersRecord,
    readonly bridge: PalaverBridge,
    /** Called when the server no longer accepts the session: sign in again, keeping drafts and outbox. */
    private readonly sessionEnded: () => void = () => undefined,
  ) {
    this.drafts = new Drafts(localStorage, self.id);
  }

  /** Whose outbox this is: one account on one server. */
  get outboxScope(): string {
    return `${this.self.id}@${new URL(this.pb.baseURL, location.href).origin}`;
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
    this.watchServerClock();
    await this.startOutbox();
    // Subscribe first so nothing created while the rooms load is missed, but do not wait for it:
    // history must show even when the realtime connection cannot be made.
    void this.connectRealtime(0);
    try {
      await this.loadRooms();
    } catch (error) {
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'load your rooms' }).message;
    }
    this.roomsSettled = true;
    if (initialRoomId) {
      await this.openRoomById(initialRoomId);
      return;
    }
    // A room asked for while the list loaded (a palaver:// link, a notification) wins over the default.
    if (this.openRoomId === null && this.fetchingRooms === 0) await this.openDefaultRoom();
  }

  /** #general, else the first room: where the app goes when no particular room was asked for. */
  private async openDefaultRoom(): Promise<void> {
    const first = this.rooms.find((r) => r.name === 'general') ?? this.rooms[0];
    if (first) await this.showRoom(first.id);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.outbox?.dispose();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.pb.realtime.onDisconnect = undefined;
    const unsubscribers = this.unsubscribers.splice(0);
    await Promise.allSettled(unsubscribers.map((unsubscribe) => unsubscribe()));
    await this.bridge.setUnreadCount(0).catch(() => undefined);
  }

  /** Server time from each answer's Date header, while the realtime connection is known to be up. */
  private watchServerClock(): void {
    const previous = this.pb.afterSend;
    const afterSend = (response: Response, data: unknown, options?: unknown) => {
      const date = response.headers.get('date');
      if (date) {
        if (this.realtimeUp) this.serverTime = new Date(date);
        // Loaded while realtime was not up (before the first connection, or during an outage): this
        // answer is a snapshot, and whatever changes after it must be fetched once realtime is back.
        // The Date header has whole seconds: two seconds back covers it.
        else if (this.gapSince === null) this.gapSince = recoverySince(null, new Date(date), 2_000);
      }
      return previous ? previous(response, data, options as never) : data;
    };
    this.pb.afterSend = afterSend as NonNullable<PocketBase['afterSend']>;
    this.cleanups.push(() => (this.pb.afterSend = previous));
  }

  private async connectRealtime(attempt: number): Promise<void> {
    if (this.stopped) return;
    this.pb.realtime.onDisconnect = (active) => this.onDisconnect(active);
    try {
      // PB_CONNECT comes again after every reconnect, once the SDK has resubscribed everything. The
      // first one arrives before our collections are subscribed, so that one is handled below.
      let subscribed = false;
      const onConnect = await this.pb.realtime.subscribe('PB_CONNECT', () => subscribed && this.onConnect());
      // Messages come on the server's own broadcast topic (backend/room_broadcast.go): the same events as
      // `messages/*` with `expand: 'user'`, checked and encoded once per message instead of once per
      // subscriber, which is what lets one room have thousands of people in it (bench/README.md).
      const messages = await this.pb.realtime.subscribe(MESSAGES_TOPIC, (event: RecordSubscription<ChatMessage>) => this.onMessageEvent(event));
      const rooms = await this.pb.collection('rooms').subscribe<ChatRoom>('*', (event) => this.onRoomEvent(event), { expand: 'members' });
      this.unsubscribers.push(onConnect, messages, rooms);
      if (this.stopped) {
        await Promise.allSettled(this.unsubscribers.splice(0).map((u) => u()));
        return;
      }
      subscribed = true;
      this.onConnect();
    } catch {
      // The SDK retries a connection that was lost, not one that never came up: start over ourselves,
      // without leaving half-made subscriptions behind.
      await this.pb.realtime.unsubscribe().catch(() => undefined);
      if (this.stopped) return;
      const delay = FIRST_CONNECT_RETRY_MS[Math.min(attempt, FIRST_CONNECT_RETRY_MS.length - 1)]!;
      this.connection = navigator.onLine ? { kind: 'reconnecting', nextAttemptAt: Date.now() + delay, attempt: attempt + 1 } : { kind: 'offline' };
      this.retryTimer = setTimeout(() => void this.connectRealtime(attempt + 1), delay);
    }
  }

  private onConnect(): void {
    // Anything loaded before now may have changed before the subscriptions were in place.
    const needsRecovery = this.newestSeen !== null || this.gapSince !== null;
    this.realtimeUp = true;
    if (needsRecovery) {
      // "Connected" only once the gap is filled: until then the screen may still be missing messages.
      this.connection = { kind: 'catching-up' };
      void this.recover().finally(() => {
        if (this.realtimeUp) this.connection = { kind: 'connected' };
      });
    } else {
      this.connection = { kind: 'connected' };
    }
    void this.outbox?.flush();
  }

  private onDisconnect(active: string[]): void {
    if (this.stopped || active.length === 0) return;
    if (this.realtimeUp) {
      // Everything before this moment was delivered while connected; what follows may be lost.
      this.realtimeUp = false;
      this.gapSince = recoverySince(this.newestSeen, this.serverTime);
    }
    const internals = this.pb.realtime as unknown as RealtimeInternals;
    const intervals = internals.predefinedReconnectIntervals ?? [2_000];
    const attempt = internals.reconnectAttempts ?? 0;
    const wait = intervals[attempt] ?? intervals[intervals.length - 1] ?? 2_000;
    this.connection = navigator.onLine ? { kind: 'reconnecting', nextAttemptAt: Date.now() + wait, attempt: attempt + 1 } : { kind: 'offline' };
  }

  /** Fills the gap after a reconnect: rooms, every message changed since, and deletions. */
  private async recover(): Promise<void> {
    const since = this.gapSince ?? recoverySince(this.newestSeen, this.serverTime);
    this.gapSince = null;
    try {
      await this.loadRooms();
      if (since) {
        for (let page = 1; page <= RECOVERY_PAGES; page++) {
          const list = await this.pb.collection('messages').getList<ChatMessage>(page, RECOVERY_PAGE, {
            filter: this.pb.filter('updated >= {:since}', { since }),
            sort: 'updated,id',
            expand: 'user',
            skipTotal: true,
            requestKey: null,
          });
          const attention = this.attention();
          for (const message of list.items) {
            const history = this.histories.get(message.room);
            if (history) history.set(mergeIntoWindow(history.messages, [message], history.hasOlder, history.hasNewer), 'live');
            // New while we were away (not merely edited): it counts as unread.
            if (message.created >= since) this.counter.onMessage(message, attention);
          }
          this.noteSeen(list.items);
          if (list.items.length < RECOVERY_PAGE) break;
        }
        this.publishUnread();
      }
      for (const [roomId, history] of this.histories) {
        // A window far back in time is not at the newest page; it is reconciled when the reader returns.
        if (!history.loaded || history.hasNewer) continue;
        const heldBefore = new Set(history.messages.map((m) => m.id));
        const newest = await this.newestPage(roomId);
        history.set(mergeMessages(dropDeleted(history.messages, newest, newest.length < PAGE_SIZE, heldBefore), newest), 'live');
      }
    } catch (error) {
      // Not fatal: the next reconnect tries again from the same point.
      this.gapSince = since;
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'catch up on what you missed' }).message;
      return;
    }
    this.banner = '';
  }

  private attention() {
    return { selfId: this.self.id, openRoomId: this.openRoomId, windowFocused: this.windowFocused };
  }

  private noteSeen(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      if (!message.delivery && (this.newestSeen === null || message.updated > this.newestSeen)) this.newestSeen = message.updated;
    }
  }

  private async newestPage(roomId: string): Promise<ChatMessage[]> {
    const page = await this.pb.collection('messages').getList<ChatMessage>(1, PAGE_SIZE, {
      filter: this.pb.filter('room = {:room}', { room: roomId }),
      sort: NEWEST_FIRST,
      expand: 'user',
      skipTotal: true,
      requestKey: null,
    });
    this.noteSeen(page.items);
    return page.items;
  }

  // ---------------------------------------------------------------------------------------------
  // The outbox

  private async startOutbox(): Promise<void> {
    const scope = this.outboxScope;
    const saved = await this.bridge.outbox.load(scope).catch(() => [] as OutboxEntry[]);
    this.outbox = new Outbox(saved, {
      send: (entry) => this.sendEntry(entry),
      persist: (entries) => this.bridge.outbox.save(scope, entries).catch(() => undefined),
      changed: (entries) => this.showOutbox(entries),
      sent: () => undefined,
      signedOut: () => this.sessionEnded(),
    });
    this.showOutbox(saved);
  }

  /** Shows every outbox message in its room, in place, as pending or failed. */
  private showOutbox(entries: readonly OutboxEntry[]): void {
    this.waiting = entries.filter((e) => e.state === 'pending').length;
    this.waitingReason = this.outbox?.waitingReason ?? '';
    for (const entry of entries) {
      const history = this.historyOf(entry.room);
      const current = history.messages.find((m) => m.id === entry.id);
      if (current && !current.delivery) continue; // the server copy already arrived
      if (current && current.delivery === entry.state && current.failure === entry.failure) continue;
      const local: ChatMessage = {
        id: entry.id,
        text: entry.text,
        user: this.self.id,
        room: entry.room,
        created: entry.created,
        updated: entry.created,
        collectionId: '',
        collectionName: 'messages',
        expand: { user: this.self },
        delivery: entry.state,
        failure: entry.failure,
      };
      history.set(current ? history.messages.map((m) => (m.id === entry.id ? local : m)) : mergeMessages(history.messages, [local]), 'live');
    }
  }

  private async sendEntry(entry: OutboxEntry): Promise<SendOutcome> {
    try {
      const saved = await this.pb.collection('messages').create<ChatMessage>(
        { id: entry.id, text: entry.text, user: this.self.id, room: entry.room },
        { expand: 'user', requestKey: null },
      );
      this.acceptServer(saved);
      return { kind: 'sent' };
    } catch (error) {
      const problem = describeError(error, { server: this.pb.baseURL, action: 'send this message' });
      if (problem.status === 400 && problem.fields.id) {
        // The id is taken: an earlier attempt reached the server and only its answer was lost.
        try {
          this.acceptServer(await this.pb.collection('messages').getOne<ChatMessage>(entry.id, { expand: 'user', requestKey: null }));
          return { kind: 'sent' };
        } catch (lookup) {
          const again = describeError(lookup, { action: 'check the message' });
          if (again.unreachable) return { kind: 'later', reason: again.message };
        }
      }
      if (problem.unreachable || problem.status === 429 || problem.status >= 500) return { kind: 'later', reason: problem.message };
      if (problem.status === 401 || !(await this.sessionValid())) {
        return { kind: 'later', reason: 'Your session has ended: sign in again to send.', signedOut: true };
      }
      return { kind: 'refused', reason: problem.fields.text ?? problem.fields.room ?? problem.message };
    }
  }

  /**
   * PocketBase treats an expired or revoked token as no token, so a refused create may mean "signed
   * out" rather than "not allowed": ask the server whether the session still stands.
   */
  private async sessionValid(): Promise<boolean> {
    if (!this.pb.authStore.isValid) return false;
    try {
      await this.pb.collection('users').authRefresh({ requestKey: null });
      return true;
    } catch (error) {
      const problem = describeError(error);
      return problem.unreachable || problem.status >= 500;
    }
  }

  private acceptServer(message: ChatMessage): void {
    const history = this.historyOf(message.room);
    history.set(mergeIntoWindow(history.messages, [message], history.hasOlder, history.hasNewer), 'live');
    this.noteSeen([message]);
  }

  /** After signing in again: send what waited. */
  resumeOutbox(): void {
    this.outbox?.resume();
  }

  private watchWindow(): void {
    const update = () => {
      this.windowFocused = document.hasFocus() && document.visibilityState === 'visible';
      if (this.windowFocused && this.openRoomId) this.markRead(this.openRoomId);
    };
    const online = () => {
      this.online = true;
      if (this.connection.kind === 'offline') {
        this.connection = this.realtimeUp ? { kind: 'connected' } : { kind: 'reconnecting', nextAttemptAt: Date.now(), attempt: 0 };
      }
      void this.outbox?.flush();
    };
    const offline = () => {
      this.online = false;
      this.connection = { kind: 'offline' };
    };
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

  private async loadRooms(): Promise<void> {
    this.rooms = await this.pb.collection('rooms').getFullList<ChatRoom>({ expand: 'members', sort: 'name', requestKey: null });
    const open = this.openRoomId;
    if (open && !this.rooms.some((r) => r.id === open)) {
      // Removed from the room (or it was deleted) while away: say so and go somewhere that exists.
      this.banner = 'You no longer have access to the room you had open.';
      this.openRoomId = null;
      void this.openDefaultRoom();
    }
  }

  /** Adds a room to the list, or replaces the copy we had. */
  private upsertRoom(room: ChatRoom): void {
    this.rooms = [...this.rooms.filter((r) => r.id !== room.id), room];
  }

  private onRoomEvent(event: RecordSubscription<ChatRoom>): void {
    const room = event.record;
    if (event.action === 'delete') {
      this.rooms = this.rooms.filter((r) => r.id !== room.id);
      this.counter.forget(room.id);
      this.publishUnread();
      if (this.openRoomId === room.id) {
        this.openRoomId = null;
        void this.openDefaultRoom();
      }
      return;
    }
    this.upsertRoom(room);
  }

  private onMessageEvent(event: RecordSubscription<ChatMessage>): void {
    const message = event.record;
    const history = this.histories.get(message.room);
    if (event.action === 'delete') {
      if (history) history.set(removeMessage(history.messages, message.id), 'live');
      this.counter.onDelete(message);
      this.publishUnread();
      return;
    }
    // Merged even while the room's first page is still on its way: that page was read before this
    // event, so dropping the event would lose the message.
    if (history) this.mergeLive(history, message, event.action === 'create');
    this.noteSeen([message]);
    if (event.action !== 'create') return;

    const attention = this.attention();
    this.counter.onMessage(message, attention);
    this.publishUnread();
    const room = this.rooms.find((r) => r.id === message.room);
    if (room && shouldNotify(message, room, attention)) {
      const author = message.expand?.user;
      const request = notificationFor(message, this.label(room), author?.name || author?.username || 'Someone', room.kind === 'direct');
      void this.bridge.notify(request).catch(() => undefined);
    }
  }

  /** A live message into a window: kept in place, announced if beyond it, old ones let go if following. */
  private mergeLive(history: RoomHistory, message: ChatMessage, isNew: boolean): void {
    if (history.hasNewer) {
      if (isNew) history.newArrivals += 1;
      history.set(mergeIntoWindow(history.messages, [message], history.hasOlder, true), 'live');
      return;
    }
    let messages = mergeIntoWindow(history.messages, [message], history.hasOlder);
    if (history.following) {
      const trimmed = trimWindow(messages, WINDOW_SIZE, 'oldest');
      // Let go of a page at a time, not one message per message.
      if (trimmed.trimmed && messages.length > WINDOW_SIZE + PAGE_SIZE) {
        messages = trimmed.messages;
        history.hasOlder = true;
      }
    }
    history.set(messages, 'live');
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

  /** Opens a room the user chose: from the list, a dialog, a notification or a palaver:// link. */
  async openRoomById(roomId: string): Promise<void> {
    if (await this.showRoom(roomId)) this.roomNotice = '';
  }

  /** Opens a room; false (with roomNotice saying why) when it cannot be had. */
  private async showRoom(roomId: string): Promise<boolean> {
    if (!this.rooms.some((r) => r.id === roomId)) {
      // A notification or a link can name a room created after our list was loaded, or one we may not see.
      this.fetchingRooms += 1;
      try {
        const room = await this.pb.collection('rooms').getOne<ChatRoom>(roomId, { expand: 'members', requestKey: null });
        this.upsertRoom(room);
      } catch (error) {
        this.roomNotice = roomUnavailableMessage(roomId, describeError(error, { server: this.pb.baseURL, action: 'open that room' }));
        // Asked for at start, before anything was open: go where the app would have gone.
        if (this.openRoomId === null && this.roomsSettled) await this.openDefaultRoom();
        return false;
      } finally {
        this.fetchingRooms -= 1;
      }
    }
    this.openRoomId = roomId;
    this.markRead(roomId);
    const history = this.histories.get(roomId);
    if (!history || (!history.loaded && !history.loadingOlder)) await this.loadPage(roomId);
    return true;
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
      const first = !history.loaded;
      const hasOlder = page.items.length === PAGE_SIZE;
      // Messages that reached this room before its first page did (live events, or a catch-up after
      // the connection came up) join the page only where they touch it: older ones are left for
      // scrolling back, or the window would start with a run of old messages and a hole below them.
      let messages = first ? mergeIntoWindow(mergeMessages([], page.items), history.messages, hasOlder) : mergeMessages(history.messages, page.items);
      if (!first) {
        const trimmed = trimWindow(messages, WINDOW_SIZE, 'newest');
        if (trimmed.trimmed) {
          messages = trimmed.messages;
          history.hasNewer = true;
        }
      }
      this.noteSeen(page.items);
      history.hasOlder = hasOlder;
      history.loaded = true;
      history.set(messages, first ? 'reset' : 'older');
    } catch (error) {
      history.error = describeError(error, { server: this.pb.baseURL, action: 'load messages' }).message;
    } finally {
      history.loadingOlder = false;
    }
  }

  /** Loads the page after the newest message held, when the reader scrolls forward from far back. */
  async loadNewer(roomId: string): Promise<void> {
    const history = this.histories.get(roomId);
    const newest = history && newestSent(history.messages);
    if (!history || !newest || !history.hasNewer || history.loadingNewer) return;
    history.loadingNewer = true;
    const { filter, params } = newerThanFilter(roomId, newest);
    try {
      const page = await this.pb.collection('messages').getList<ChatMessage>(1, PAGE_SIZE, {
        filter: this.pb.filter(filter, params),
        sort: OLDEST_FIRST,
        expand: 'user',
        skipTotal: true,
        requestKey: null,
      });
      let messages = mergeMessages(history.messages, page.items);
      const trimmed = trimWindow(messages, WINDOW_SIZE, 'oldest');
      if (trimmed.trimmed) {
        messages = trimmed.messages;
        history.hasOlder = true;
      }
      if (page.items.length < PAGE_SIZE) {
        history.hasNewer = false;
        history.newArrivals = 0;
      }
      this.noteSeen(page.items);
      history.set(messages, 'newer');
    } catch (error) {
      history.error = describeError(error, { server: this.pb.baseURL, action: 'load newer messages' }).message;
    } finally {
      history.loadingNewer = false;
    }
  }

  /** Back to the newest messages from far back in a room: the newest page, as when it was opened. */
  async jumpToPresent(roomId: string): Promise<void> {
    const history = this.histories.get(roomId);
    if (!history) return;
    history.hasOlder = true;
    history.hasNewer = false;
    history.newArrivals = 0;
    history.loaded = false;
    history.set(history.messages.filter((m) => m.delivery && m.delivery !== 'sent'), 'reset');
    await this.loadPage(roomId);
  }

  /** Puts a message in the outbox (shown at once as pending) and sends it when the server can take it. */
  async send(text: string): Promise<void> {
    const roomId = this.openRoomId;
    const trimmed = text.trim();
    if (!roomId || trimmed === '' || !this.outbox) return;
    // Writing takes the reader to the present, where the message will stand.
    if (this.histories.get(roomId)?.hasNewer) await this.jumpToPresent(roomId);
    this.drafts.clear(roomId);
    await this.outbox.add({ id: newRecordId(), room: roomId, text: trimmed, created: pbNow(), state: 'pending' });
  }

  async retry(messageId: string): Promise<void> {
    await this.outbox?.retry(messageId);
  }

  /** Takes a failed or waiting message out of the outbox; returns its text (for the composer). */
  async discard(messageId: string): Promise<string> {
    const entry = await this.outbox?.remove(messageId);
    for (const history of this.histories.values()) {
      if (history.messages.some((m) => m.id === messageId && m.delivery)) history.set(removeMessage(history.messages, messageId), 'live');
    }
    return entry?.text ?? '';
  }

  async edit(messageId: string, text: string): Promise<string | null> {
    try {
      const saved = await this.pb.collection('messages').update<ChatMessage>(messageId, { text }, { expand: 'user', requestKey: null });
      const history = this.histories.get(saved.room);
      if (history) history.set(mergeIntoWindow(history.messages, [saved], history.hasOlder, history.hasNewer), 'live');
      return null;
    } catch (error) {
      const problem = describeError(error, { action: 'save your edit' });
      return problem.fields.text ?? problem.message;
    }
  }

  async remove(messageId: string): Promise<string | null> {
    try {
      await this.pb.collection('messages').delete(messageId, { requestKey: null });
      for (const history of this.histories.values()) history.set(removeMessage(history.messages, messageId), 'live');
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
      this.upsertRoom(room);
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
      this.upsertRoom(room);
      return { roomId: room.id };
    } catch (error) {
      return { problem: describeError(error, { action: 'start the conversation' }).message };
    }
  }

  partner(room: ChatRoom): UsersRecord | undefined {
    return directPartner(room, this.self.id);
  }
}
