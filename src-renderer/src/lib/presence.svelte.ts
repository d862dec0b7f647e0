// Who is around: the statuses the server works out from everyone's realtime connections
// (backend/presence.go), for the people this screen shows, and this device's own declaration.
//
// Statuses are asked for only for the people shown (one request per PRESENCE_IDS_PER_REQUEST ids wanted
// in the same moment) and then kept current by palaver/presence events; after a reconnect they are asked
// again, since changes went unheard meanwhile (or the server restarted and forgot everyone). This
// device says "away" after AWAY_AFTER_SECONDS without input (the system's idle time in Electron, the
// page's in a browser) and "dnd" while the app's do-not-disturb is on, for its own connection only: the
// server combines the person's devices.
import type PocketBase from 'pocketbase';
import { getContext, onDestroy, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { PresenceHints } from '../../../src-shared/ipc.ts';
import { PRESENCE_TOPIC } from '../../../src-shared/realtime-topics.ts';

export type PresenceStatus = 'online' | 'away' | 'dnd' | 'offline';

/** What a screen reader says for each status (and the words the dot stands for). */
export const PRESENCE_LABELS: Readonly<Record<PresenceStatus, string>> = {
  online: 'online',
  away: 'away',
  dnd: 'do not disturb',
  offline: 'offline',
};

/** Ten minutes without input: away. */
export const AWAY_AFTER_SECONDS = 10 * 60;
/** How often this device looks at its idle time and do-not-disturb, so "away" is at most this late. */
export const HINTS_EVERY_MS = 15_000;
/** The most ids the server answers in one request. */
export const PRESENCE_IDS_PER_REQUEST = 200;

export function isPresenceStatus(value: unknown): value is PresenceStatus {
  return typeof value === 'string' && Object.hasOwn(PRESENCE_LABELS, value);
}

interface Declaration {
  clientId: string;
  away: boolean;
  dnd: boolean;
}

/** What is used of the server: its realtime connection and the two presence routes. */
export interface PresenceServer {
  subscribe(topic: string, onEvent: (data: unknown) => void): Promise<() => Promise<void>>;
  /** Drops every listener of a topic: after a failed subscribe, which leaves its listener behind. */
  forget(topic: string): Promise<void>;
  /** The current realtime connection's id ('' while there is none). */
  clientId(): string;
  statuses(ids: readonly string[]): Promise<Record<string, unknown>>;
  declare(declaration: Declaration): Promise<void>;
}

export function serverPresence(pb: PocketBase): PresenceServer {
  return {
    subscribe: (topic, onEvent) => pb.realtime.subscribe(topic, onEvent),
    forget: (topic) => pb.realtime.unsubscribe(topic),
    clientId: () => pb.realtime.clientId,
    statuses: (ids) =>
      pb.send(`/api/palaver/presence?ids=${ids.map(encodeURIComponent).join(',')}`, { requestKey: null }),
    declare: async (declaration) => {
      await pb.send('/api/palaver/presence', { method: 'POST', body: declaration, requestKey: null });
    },
  };
}

export interface PresenceTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(run: () => void, ms: number): unknown;
}

/** Waits before subscribing again after a failed subscription. */
export const RESUBSCRIBE_MS = 5_000;

export class Presence {
  private readonly byId = new SvelteMap<string, PresenceStatus>();
  /** Ids asked for (answered or not): events about them are kept, others ignored. */
  private readonly known = new Set<string>();
  private wanted: string[] = [];
  private scheduled = false;
  /** Counts events heard, so an answer older than an event about the same person does not undo it. */
  private heard = 0;
  private readonly heardAt = new Map<string, number>();
  /** What the server holds for this device's connection. */
  private sent: Declaration | null = null;
  private desired = { away: false, dnd: false };
  private timer: unknown = null;
  private unsubscribers: Array<() => Promise<void>> = [];
  private stopped = false;

  constructor(
    private readonly server: PresenceServer,
    private readonly hints: () => Promise<PresenceHints>,
    private readonly timers: PresenceTimers = {
      setInterval: (run, ms) => setInterval(run, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
      setTimeout: (run, ms) => setTimeout(run, ms),
    },
  ) {}

  /** The person's status; undefined until the server has said. */
  status(id: string): PresenceStatus | undefined {
    return this.byId.get(id);
  }

  /** Asks for the statuses of people about to be shown, once each; calls in the same moment are batched. */
  want(ids: Iterable<string>): void {
    for (const id of ids) {
      if (!id || this.known.has(id)) continue;
      this.known.add(id);
      this.wanted.push(id);
    }
    if (this.wanted.length === 0 || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.fetch(this.wanted.splice(0));
    });
  }

  async start(): Promise<void> {
    try {
      // The topic is this module's alone, so a failed subscription is undone by forgetting the topic.
      this.unsubscribers.push(await this.server.subscribe(PRESENCE_TOPIC, (data) => this.onEvent(data)));
      // Again after every reconnect: a new connection, which the server counts as simply online. Shared
      // with the chat's connection, it needs no request of its own once connected, so it cannot fail then;
      // before that, the chat's connection undoes every half-made subscription when connecting fails.
      this.unsubscribers.push(await this.server.subscribe('PB_CONNECT', () => void this.check()));
    } catch {
      await this.unsubscribeAll();
      await this.server.forget(PRESENCE_TOPIC).catch(() => undefined);
      if (!this.stopped) this.timers.setTimeout(() => void this.start(), RESUBSCRIBE_MS);
      return;
    }
    if (this.stopped) return void (await this.unsubscribeAll());
    this.timer = this.timers.setInterval(() => void this.check(), HINTS_EVERY_MS);
    await this.check();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearInterval(this.timer);
    this.timer = null;
    await this.unsubscribeAll();
  }

  private async unsubscribeAll(): Promise<void> {
    const unsubscribers = this.unsubscribers.splice(0);
    await Promise.all(unsubscribers.map((unsubscribe) => unsubscribe().catch(() => undefined)));
  }

  /** One change, or the changes of a burst together (the server sends those as a list). */
  private onEvent(data: unknown): void {
    if (Array.isArray(data)) data.forEach((change) => this.onChange(change));
    else this.onChange(data);
  }

  private onChange(data: unknown): void {
    const { user, status } = (data ?? {}) as { user?: unknown; status?: unknown };
    if (typeof user !== 'string' || !isPresenceStatus(status) || !this.known.has(user)) return;
    this.heardAt.set(user, ++this.heard);
    this.byId.set(user, status);
  }

  private fetch(ids: readonly string[]): void {
    const asked = this.heard;
    for (let start = 0; start < ids.length; start += PRESENCE_IDS_PER_REQUEST) {
      const batch = ids.slice(start, start + PRESENCE_IDS_PER_REQUEST);
      this.server.statuses(batch).then(
        (answer) => {
          for (const id of batch) {
            if ((this.heardAt.get(id) ?? 0) > asked) continue;
            const status = answer[id];
            this.byId.set(id, isPresenceStatus(status) ? status : 'offline');
          }
        },
        // Asked again when next wanted (or after the next reconnect).
        () => batch.forEach((id) => this.known.delete(id)),
      );
    }
  }

  /** Reads this device's idle time and do-not-disturb, and tells the server if that changed. */
  private async check(): Promise<void> {
    if (this.stopped) return;
    const clientId = this.server.clientId();
    if (clientId && this.sent?.clientId !== clientId) {
      // A new connection: the server holds it as online, and missed changes are asked for again.
      this.sent = { clientId, away: false, dnd: false };
      if (this.known.size > 0) this.fetch([...this.known]);
    }
    try {
      const hints = await this.hints();
      this.desired = { away: hints.idleSeconds >= AWAY_AFTER_SECONDS, dnd: hints.doNotDisturb };
    } catch {
      // The bridge did not answer: keep saying what was said.
    }
    const sent = this.sent;
    if (this.stopped || !sent || sent.clientId !== this.server.clientId()) return;
    if (sent.away === this.desired.away && sent.dnd === this.desired.dnd) return;
    const next = { clientId: sent.clientId, ...this.desired };
    try {
      await this.server.declare(next);
      if (this.sent === sent) this.sent = next;
    } catch {
      // Tried again at the next check (a connection the server does not know yet, a network hiccup).
    }
  }
}

const key = Symbol('presence');

/**
 * Starts presence for the chat screen and gives it to the components below (avatars with a dot);
 * it stops with the screen. Call while the screen is being created.
 */
export function providePresence(pb: PocketBase, hints: () => Promise<PresenceHints>): Presence {
  const presence = new Presence(serverPresence(pb), hints);
  void presence.start().catch(() => undefined);
  onDestroy(() => void presence.stop());
  return setContext(key, presence);
}

/** The chat screen's Presence; undefined outside it (an avatar then shows no dot). */
export function usePresence(): Presence | undefined {
  return getContext<Presence | undefined>(key);
}
