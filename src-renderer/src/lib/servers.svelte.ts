// Several servers at once: one Session and one Chat per server, each with its own token, realtime
// connection, outbox, drafts and unread counts. A server's chat lives from its sign-in to its sign-out or
// removal, not as long as its screen: switching servers only changes which one is drawn, so it is instant
// and a half-written message stays where it was. The app's badge sums every server's; a notification
// names its server once there are several, and a click on it opens that server.
import { untrack } from 'svelte';
import type { NotificationRequest, PalaverBridge } from '../../../src-shared/ipc.ts';
import { findServer, serverLabel, serverOrigin, type ServerList } from '../../../src-shared/server-list.ts';
import { Chat } from './chat.svelte.ts';
import { badgeTotal, serverOfRoom } from './server-rail.ts';
import { Session } from './session.svelte.ts';

type RoomAsked = [roomId: string, threadId?: string, messageId?: string];
type RoomListener = (...asked: RoomAsked) => void;

const sameOrigin = (a: string, b: string) => a !== '' && b !== '' && serverOrigin(a) === serverOrigin(b);

/** One server of the rail: its session, and its chat while signed in. */
export class ServerSlot {
  chat = $state.raw<Chat | null>(null);
  /** What this server adds to the app's badge (its rooms' counts by their notification levels). */
  unread = $state(0);
  /** Unread messages that mention the person, on this server. */
  mentions = $state(0);
  readonly session: Session;
  /** The bridge as this server's session and chat see it (tokens, notifications, rooms asked for). */
  readonly bridge: PalaverBridge;
  readonly #roomListeners = new Set<RoomListener>();
  #waitingRoom: RoomAsked | null = null;

  constructor(
    private readonly servers: Servers,
    url: string,
    added: boolean,
  ) {
    const base = servers.bridge;
    this.bridge = Object.freeze({
      ...base,
      notify: (request: NotificationRequest) =>
        base.notify(servers.slots.length > 1 ? { ...request, server: this.url } : request),
      setUnreadCount: async (count: number) => {
        this.unread = count;
        this.mentions = badgeTotal(Object.values(this.chat?.alerts.mentions ?? {}));
        servers.publishBadge();
      },
      onOpenRoom: (listener: RoomListener) => this.#listen(listener),
    });
    this.session = new Session(this.bridge, url, { choose: (from, to) => servers.choose(this, from, to) }, added);
  }

  get url(): string {
    return this.session.server;
  }

  get label(): string {
    return this.url === '' ? 'New server' : serverLabel(this.url);
  }

  /** Signed in, but the realtime connection is lost: the rail says the server is down. */
  get down(): boolean {
    const kind = this.chat?.connection.state.kind;
    return kind === 'reconnecting' || kind === 'offline';
  }

  /** A room asked for on this server; kept for the chat when it is not listening yet (it is signing in). */
  openRoom(asked: RoomAsked): void {
    if (this.#roomListeners.size === 0) this.#waitingRoom = asked;
    else for (const listener of [...this.#roomListeners]) listener(...asked);
  }

  #listen(listener: RoomListener): () => void {
    this.#roomListeners.add(listener);
    const waiting = this.#waitingRoom;
    this.#waitingRoom = null;
    if (waiting !== null) queueMicrotask(() => this.openRoom(waiting));
    return () => void this.#roomListeners.delete(listener);
  }

  /** Makes the chat when the session signs in, ends it when the session ends. */
  syncChat(): void {
    const { phase, user } = this.session;
    const pb = this.session.pb;
    untrack(() => {
      if (phase === 'signed-in' && pb && user) {
        if (this.chat?.pb === pb && this.chat.self.id === user.id) return;
        void this.chat?.stop();
        const chat = new Chat(pb, user, this.bridge, () => void this.expire());
        this.chat = chat;
        void chat.start();
      } else if (this.chat) {
        void this.chat.stop();
        this.chat = null;
      }
    });
  }

  async expire(): Promise<void> {
    await this.chat?.stop();
    await this.session.expire();
  }

  async signOut(notice = ''): Promise<void> {
    await this.chat?.stop();
    await this.session.signOut(notice);
  }
}

export class Servers {
  /** In the rail's order, as the bridge keeps the list. */
  slots = $state.raw<ServerSlot[]>([]);
  activeUrl = $state<string | null>(null);
  /** A server being added (its sign-in form is shown), not in the list until signed in. */
  adding = $state.raw<ServerSlot | null>(null);
  ready = $state(false);
  readonly #stop: Array<() => void> = [];

  constructor(readonly bridge: PalaverBridge) {
    this.#stop.push(
      $effect.root(() => {
        $effect(() => {
          for (const slot of this.slots) slot.syncChat();
        });
      }),
      bridge.onOpenRoom((roomId, threadId, messageId, server) => this.#route(server, [roomId, threadId, messageId])),
    );
  }

  /** What is drawn: the server being added, else the open one. */
  get active(): ServerSlot | undefined {
    return this.adding ?? this.slots.find((slot) => slot.url === this.activeUrl);
  }

  async start(): Promise<void> {
    const { list, suggested } = await this.bridge.servers.get();
    this.slots = list.servers.map((entry) => new ServerSlot(this, entry.url, true));
    this.activeUrl = list.active;
    // Nothing added yet: the sign-in form, on the address this build suggests.
    if (this.slots.length === 0) this.adding = new ServerSlot(this, suggested, false);
    await Promise.all([
      ...this.slots.map((slot) => slot.session.start(slot.url === list.active)),
      this.adding?.session.start(true),
    ]);
    this.ready = true;
  }

  /** The rail's Add server: a sign-in form for an address still to be typed. */
  startAdding(): void {
    this.#leave();
    const slot = new ServerSlot(this, '', false);
    this.adding = slot;
    void slot.session.start();
  }

  /** Back from Add server to the server open before (there is one to go back to). */
  cancelAdding(): void {
    if (this.slots.length > 0) this.adding = null;
  }

  switchTo(url: string): void {
    const slot = this.slots.find((candidate) => candidate.url === url);
    if (!slot || (slot === this.active && this.adding === null)) return;
    this.#leave();
    this.adding = null;
    this.activeUrl = slot.url;
    void this.bridge.servers.activate(slot.url).catch(() => undefined);
  }

  /** Signs out of the server and removes it and its token; its neighbour opens. */
  async remove(slot: ServerSlot): Promise<void> {
    // While it is still added: the vault refuses the token of a server that is not.
    await slot.signOut();
    const list = await this.bridge.servers.remove(slot.url);
    this.slots = this.slots.filter((candidate) => candidate !== slot);
    this.activeUrl = list.active;
    this.publishBadge();
    if (this.slots.length === 0) {
      const { suggested } = await this.bridge.servers.get();
      this.adding = new ServerSlot(this, suggested, false);
      await this.adding.session.start();
    }
  }

  /** A session's sign-in form named a server: added (or its address changed), and opened. */
  async choose(slot: ServerSlot, from: string, to: string): Promise<void> {
    let list: ServerList = await this.bridge.servers.add(to);
    // A signed-out server whose address was corrected in its form: the old address goes.
    if (from !== '' && !sameOrigin(from, to) && this.slots.includes(slot) && findServer(list, from))
      list = await this.bridge.servers.remove(from);
    // The server was added before (another slot has it): that one gives way to this sign-in.
    const others = this.slots.filter((other) => other !== slot && sameOrigin(other.url, to));
    for (const other of others) void other.chat?.stop();
    const kept = [...this.slots.filter((other) => other !== slot && !others.includes(other)), slot];
    const slotOf = (url: string) => (sameOrigin(url, to) ? slot : kept.find((other) => sameOrigin(other.url, url)));
    this.slots = list.servers.flatMap((entry) => slotOf(entry.url) ?? []);
    if (this.adding === slot) this.adding = null;
    this.activeUrl = findServer(list, to)?.url ?? to;
  }

  /** The tray, dock and title count: the sum over servers. */
  publishBadge(): void {
    void this.bridge.setUnreadCount(badgeTotal(this.slots.map((slot) => slot.unread))).catch(() => undefined);
  }

  dispose(): void {
    for (const stop of this.#stop.splice(0)) stop();
  }

  /** The conversation of the server left is no longer on screen: it badges and notifies again. */
  #leave(): void {
    this.active?.chat?.attention.showingConversation(false);
  }

  #route(server: string | undefined, asked: RoomAsked): void {
    const url = serverOfRoom(server, {
      servers: this.slots.map((slot) => ({ url: slot.url })),
      active: this.activeUrl,
    });
    const slot = url === null ? undefined : this.slots.find((candidate) => candidate.url === url);
    if (!slot) return;
    this.switchTo(slot.url);
    slot.openRoom(asked);
  }
}
