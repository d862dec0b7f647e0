// The signed-in chat, put together from its parts (README "The chat core"). This front decides only what
// concerns several parts at once: which room is open, where an incoming event goes, what counts as unread
// and what notifies. One realtime connection serves the whole session (open room, unread counts and
// notifications alike); it ends with the chat screen.
import type { default as PocketBase, RecordSubscription } from 'pocketbase';
import type { PalaverBridge } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../../src-shared/realtime-topics.ts';
import { Blocklist } from './blocklist.svelte.ts';
import { PocketBaseBlocksApi } from './blocks-api.ts';
import { catchUp, SyncPoint } from './catch-up.ts';
import { chatReadState } from './chat-reads.ts';
import { DraftFiles } from './draft-files.svelte.ts';
import { Drafts } from './drafts.ts';
import { describeError } from './errors.ts';
import type { ChatMessage } from './history.ts';
import { MessagesApi } from './messages-api.ts';
import { LastRoom } from './last-room.ts';
import { attentionOf, MessageAlerts, NotificationLevelStore } from './message-alerts.ts';
import { openAsked, openHistory, openMessage, type MessageTarget } from './message-jump.ts';
import type { ReadState } from './read-state.svelte.ts';
import { RealtimeConnection, watchServerClock } from './realtime-connection.svelte.ts';
import { RoomDirectory } from './room-directory.svelte.ts';
import { RoomHistories, type RoomHistory } from './room-history.svelte.ts';
import { roomUnavailableMessage } from './room-access.ts';
import { PocketBaseRoomsApi, ROOM_EVENT_OPTIONS } from './rooms-api.ts';
import type { ChatRoom } from './rooms.ts';
import { Sender } from './sender.svelte.ts';
import { sessionStillValid } from './session-check.ts';
import { Threads } from './threads.svelte.ts';
import { WindowAttention } from './window-attention.svelte.ts';

/** What the chat needs of the bridge to main (or of the web bridge). */
export type ChatBridge = Pick<PalaverBridge, 'outbox' | 'notify' | 'setUnreadCount' | 'onOpenRoom'>;

export class Chat {
  openRoomId = $state<string | null>(null);
  unread = $state.raw<Record<string, number>>({});
  /** A problem to show above everything, e.g. rooms failed to load. */
  banner = $state('');
  /** A room asked for by a link or a notification could not be opened; shown until dismissed or another room is chosen. */
  roomNotice = $state('');

  readonly drafts: Drafts;
  /** Files chosen for the next message of each room, checked against the server's limits. */
  readonly draftFiles = new DraftFiles();
  readonly directory: RoomDirectory;
  readonly blocks: Blocklist;
  readonly histories: RoomHistories;
  /** The thread open beside the room, and every thread's replies held (lib/threads.svelte.ts). */
  readonly threads: Threads;
  readonly sender: Sender;
  readonly connection: RealtimeConnection;
  readonly attention = new WindowAttention();
  private readonly sync = new SyncPoint();
  private readonly messages: MessagesApi;
  readonly alerts: MessageAlerts;
  /** Where the person has read up to in each room, on the server: counts, marking read, the divider. */
  readonly reads: ReadState;
  private readonly lastRoom: LastRoom;
  private readonly cleanups: Array<() => void> = [];
  private stopped = false;
  /** The room list has been loaded (or failed to): from now on a room that cannot be opened falls back to the default. */
  private roomsSettled = false;
  /** The catch-up since the last connect: the server's counts are asked for after it, or it counts again. */
  private caughtUp: Promise<void> | undefined;
  /** Rooms asked for by id that are still being fetched (they were not in the list). */
  private fetchingRooms = 0;

  constructor(
    readonly pb: PocketBase,
    readonly self: UsersRecord,
    readonly bridge: ChatBridge,
    /** Called when the server no longer accepts the session: sign in again, keeping drafts and outbox. */
    sessionEnded: () => void = () => undefined,
  ) {
    const problem = (error: unknown, action: string) => describeError(error, { server: pb.baseURL, action });
    const seen = (messages: readonly ChatMessage[]) => this.sync.seen(messages);
    this.drafts = new Drafts(localStorage, self.id);
    this.messages = new MessagesApi(pb);
    this.blocks = new Blocklist({ api: new PocketBaseBlocksApi(pb), problem });
    const [api, blocks, gone] = [new PocketBaseRoomsApi(pb), this.blocks, (roomId: string) => this.dropRoom(roomId)];
    this.directory = new RoomDirectory({ api, selfId: self.id, problem, blocks, gone });
    const [label, levels] = [(room: ChatRoom) => this.directory.label(room), new NotificationLevelStore(pb)];
    const reading = (this.reads = chatReadState(this, this.messages));
    this.alerts = new MessageAlerts({ bridge, label, levels, reading, published: (unread) => (this.unread = unread) });
    const scope = `${self.id}@${new URL(pb.baseURL, location.href).origin}`; // one account on one server
    this.lastRoom = new LastRoom(localStorage, scope);
    const hidden = (message: ChatMessage) => this.blocks.has(message.user);
    const shared = { seen, hidden, problem: (error: unknown, action: string) => problem(error, action).message };
    this.histories = new RoomHistories({ ...shared, pages: this.messages });
    this.threads = new Threads({ ...shared, pages: this.messages.threadPages() });
    const [histories, threads, sessionValid] = [this.histories, this.threads.histories, () => sessionStillValid(pb)];
    const sending = { writes: this.messages, store: bridge.outbox, scope, self, histories, threads, seen, problem };
    this.sender = new Sender({ ...sending, sessionValid, sessionEnded });
    this.connection = new RealtimeConnection({
      realtime: pb.realtime,
      subscriptions: [
        // Messages come on the server's own broadcast topic (backend/room_broadcast.go): the same events
        // as `messages/*` with the author expanded, checked and encoded once per message instead of once
        // per subscriber, which is what lets one room have thousands of people in it.
        { topic: MESSAGES_TOPIC, onEvent: (event) => this.onMessageEvent(event) },
        { topic: 'rooms/*', options: ROOM_EVENT_OPTIONS, onEvent: (event) => this.onRoomEvent(event) },
        this.reads.subscription, // markers moved on any of the person's devices
      ],
      connected: () => this.onConnected(),
      lost: () => this.sync.lost(),
    });
  }

  get openRoom(): ChatRoom | undefined {
    return this.openRoomId ? this.directory.findOpenable(this.openRoomId) : undefined;
  }

  get history(): RoomHistory | undefined {
    return this.openRoomId ? this.histories.get(this.openRoomId) : undefined;
  }

  async start(initialRoomId?: string): Promise<void> {
    this.cleanups.push(
      this.attention.watch({
        focusChanged: () => this.reads.consider(),
        networkChanged: (online) => {
          this.connection.networkChanged(online);
          if (online) this.sender.flush();
        },
      }),
      this.bridge.onOpenRoom((roomId, threadId, messageId) => void openAsked(this, roomId, threadId, messageId)),
      this.alerts.watchLevels(),
      watchServerClock(this.pb, (date) => this.sync.serverDate(date, this.connection.up)),
    );
    void this.draftFiles.loadLimits(this.pb);
    void this.draftFiles.restoreKept({ store: this.bridge.outbox, scope: this.sender.scope });
    await this.sender.start();
    // Subscribe first so nothing created while the rooms load is missed, but do not wait for it:
    // history must show even when the realtime connection cannot be made.
    void this.connection.start();
    try {
      await this.loadRooms();
    } catch (error) {
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'load your rooms' }).message;
    }
    this.roomsSettled = true;
    if (this.connection.up) void Promise.resolve(this.caughtUp).then(() => this.reads.load()); // else once connected
    if (initialRoomId) {
      await this.openRoomById(initialRoomId);
      return;
    }
    // A room asked for while the list loaded (a palaver:// link, a notification) wins over the default.
    if (this.openRoomId === null && this.fetchingRooms === 0) await this.openDefaultRoom();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sender.dispose();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    await this.reads.stop(); // what was just read is written before the session goes
    await this.connection.stop();
    await this.bridge.setUnreadCount(0).catch(() => undefined);
  }

  /** The room the user had open last time (lib/last-room.ts), else the default one. */
  private async openDefaultRoom(): Promise<void> {
    const last = this.lastRoom.get();
    const room = (last && this.directory.findOpenable(last)) || this.directory.defaultRoom;
    if (room) await this.showRoom(room.id);
  }

  private onConnected(): Promise<void> | void {
    this.sender.flush();
    // Anything loaded before now may have changed before the subscriptions were in place.
    const caughtUp = (this.caughtUp = this.sync.behind ? this.catchUp() : undefined);
    // Then the server's counts replace those counted while away (with the rooms known, for their kinds).
    if (this.roomsSettled) void Promise.resolve(caughtUp).then(() => this.reads.load());
    return caughtUp;
  }

  /** Fills the gap after a reconnect; a failure keeps the gap for the next reconnect. */
  private async catchUp(): Promise<void> {
    const since = this.sync.take();
    const attention = attentionOf(this);
    try {
      await catchUp(since, {
        changes: this.messages,
        reloadRooms: () => this.loadRooms(),
        history: (roomId) => this.histories.get(roomId),
        histories: () => [...this.histories.all(), ...this.threads.histories.all()],
        threads: this.threads,
        arrived: (message) => this.alerts.arrived(message, this.directory.find(message.room), attention, false),
        seen: (messages) => this.sync.seen(messages),
      });
      this.banner = '';
    } catch (error) {
      this.sync.failed(since);
      this.banner = describeError(error, { server: this.pb.baseURL, action: 'catch up on what you missed' }).message;
    }
    this.alerts.publish();
  }

  private async loadRooms(): Promise<void> {
    await this.directory.load();
    const open = this.openRoomId;
    if (open && !this.directory.findOpenable(open)) {
      // Removed from the room (or it was deleted) while away: say so and go somewhere that exists.
      this.banner = 'You no longer have access to the room you had open.';
      this.dropRoom(open);
    }
  }

  private onRoomEvent(event: RecordSubscription<ChatRoom>): void {
    const room = event.record;
    if (event.action === 'delete') this.directory.forget(room.id);
    else this.directory.upsert(room);
    // Deleted, or closed from another device: out of the list, and out of view.
    if (!this.directory.findOpenable(room.id)) this.dropRoom(room.id);
  }

  /** A room left the list (deleted, left, declined, closed): forget it, and go elsewhere if it was open. */
  private dropRoom(roomId: string): void {
    this.histories.forget(roomId);
    this.alerts.forget(roomId);
    if (this.openRoomId !== roomId) return;
    this.openRoomId = null;
    void this.openDefaultRoom();
  }

  private onMessageEvent(event: RecordSubscription<ChatMessage>): void {
    const message = event.record;
    const history = this.histories.get(message.room);
    if (event.action === 'delete') {
      // A reply, or a root with its thread; a moderator's delete leaves a note where the message was.
      this.threads.removed(message.id, history, message.removedBy === 'moderator');
      this.alerts.deleted(message);
      return;
    }
    // Merged even while the room's first page is still on its way: that page was read before this
    // event, so dropping the event would lose the message. A reply kept to its thread goes there only.
    this.threads.live(message, event.action === 'create', history);
    this.sync.seen([message]);
    if (event.action !== 'create') return;
    this.directory.touched(message.room, message.created);

    const attention = attentionOf(this);
    const room = this.directory.find(message.room);
    if (room) return this.alerts.arrived(message, room, attention, true);
    // The message overtook the event of its room, just made (events are sent concurrently): learn the room.
    this.directory.fetch(message.room).then(
      (known) => this.alerts.arrived(message, known, attention, true),
      () => undefined,
    );
  }

  /** Opens a room the user chose: from the list, a dialog, a notification or a palaver:// link. */
  async openRoomById(roomId: string): Promise<void> {
    if (await this.showRoom(roomId)) this.roomNotice = '';
  }

  /** Opens the conversation at one message (lib/message-jump.ts); false, with roomNotice saying why, when it cannot. */
  openMessage(target: MessageTarget): Promise<boolean> {
    return openMessage(this, target);
  }

  /** Opens a room, around the message `around` if given (lib/message-jump.ts); false (roomNotice says why) if it cannot. */
  async showRoom(roomId: string, around?: string): Promise<boolean> {
    if (!this.directory.findOpenable(roomId)) {
      // A notification or a link can name a room created after our list was loaded, or one we may not see.
      this.fetchingRooms += 1;
      try {
        await this.directory.fetchListed(roomId);
      } catch (error) {
        this.roomNotice = roomUnavailableMessage(
          roomId,
          describeError(error, { server: this.pb.baseURL, action: 'open that room' }),
        );
        // Asked for at start, before anything was open: go where the app would have gone.
        if (this.openRoomId === null && this.roomsSettled) await this.openDefaultRoom();
        return false;
      } finally {
        this.fetchingRooms -= 1;
      }
    }
    this.openRoomId = roomId;
    this.lastRoom.remember(roomId);
    this.reads.opened(roomId);
    const missed = await openHistory(this.histories.of(roomId), around, this.pb.baseURL);
    if (around) this.roomNotice = missed;
    this.reads.consider();
    return !missed;
  }

  /** Sends into the open room; writing takes the reader to the present, where the message will stand. */
  async send(text: string, files: readonly File[] = []): Promise<void> {
    const roomId = this.openRoomId;
    if (!roomId || (text.trim() === '' && files.length === 0)) return;
    const history = this.histories.get(roomId);
    if (history?.hasNewer) await history.jumpToPresent();
    this.drafts.clear(roomId); // given back by the composer if the send cannot start
    await this.sender.send(roomId, text, files);
  }
}
