// The session's one realtime connection: its subscriptions, made once and kept across reconnects (the
// SDK resubscribes them), what the indicator says about it, and the server's clock read from every
// answer while it is up. It retries a first connection that never came up (the SDK only retries lost
// ones) and tells the chat when it is connected again, so the chat can catch up on what it missed.
import type PocketBase from 'pocketbase';
import type { RealtimeService, RecordSubscription, SendOptions, UnsubscribeFunc } from 'pocketbase';
import type { ConnectionState } from './recovery.ts';

/** Waits before retrying a first realtime connection that failed (the SDK retries only lost ones). */
export const FIRST_CONNECT_RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/** What is used of the SDK's RealtimeService (pb.realtime). */
export type RealtimeLike = Pick<RealtimeService, 'subscribe' | 'unsubscribe' | 'onDisconnect'>;

/** The SDK's reconnect schedule is private; read it to tell the user when the next attempt is. */
interface RealtimeInternals {
  reconnectAttempts?: number;
  predefinedReconnectIntervals?: number[];
}

export interface Subscription {
  topic: string;
  /** Options as the SDK takes them, e.g. { expand: 'members' }; the SDK adds them to the topic. */
  options?: Record<string, unknown>;
  // The SDK hands every topic's events over untyped; each subscription names its record type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onEvent(event: RecordSubscription<any>): void;
}

export interface RealtimeConnectionDeps {
  realtime: RealtimeLike;
  subscriptions: readonly Subscription[];
  /**
   * Connected, the first time or again, with every subscription in place. A promise returned is a
   * catch-up under way: until it settles the indicator says so, since the screen may still miss messages.
   */
  connected(): Promise<void> | void;
  /** The connection was lost; the SDK is trying again. */
  lost(): void;
  online?(): boolean;
  setTimer?(run: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
  now?(): number;
}

export class RealtimeConnection {
  state = $state<ConnectionState>({ kind: 'connecting' });
  /** Events are arriving: nothing is being missed right now. */
  up = false;
  private unsubscribers: UnsubscribeFunc[] = [];
  private retryTimer: unknown = null;
  private stopped = false;

  constructor(private readonly deps: RealtimeConnectionDeps) {}

  private online(): boolean {
    return this.deps.online?.() ?? navigator.onLine;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Connects; resolves once connected or once a retry is scheduled. */
  async start(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const realtime = this.deps.realtime;
    realtime.onDisconnect = (active) => this.onDisconnect(active);
    try {
      // PB_CONNECT comes again after every reconnect, once the SDK has resubscribed everything. The
      // first one arrives before our topics are subscribed, so that one is handled below.
      let subscribed = false;
      this.unsubscribers.push(await realtime.subscribe('PB_CONNECT', () => subscribed && this.onConnect()));
      for (const { topic, options, onEvent } of this.deps.subscriptions) {
        this.unsubscribers.push(await realtime.subscribe(topic, onEvent, options));
      }
      if (this.stopped) {
        await this.unsubscribeAll();
        return;
      }
      subscribed = true;
      this.onConnect();
    } catch {
      // Start over without leaving half-made subscriptions behind.
      this.unsubscribers = [];
      await realtime.unsubscribe().catch(() => undefined);
      if (this.stopped) return;
      const delay = FIRST_CONNECT_RETRY_MS[Math.min(attempt, FIRST_CONNECT_RETRY_MS.length - 1)]!;
      this.state = this.online()
        ? { kind: 'reconnecting', nextAttemptAt: this.now() + delay, attempt: attempt + 1 }
        : { kind: 'offline' };
      this.retryTimer = (this.deps.setTimer ?? setTimeout)(() => void this.start(attempt + 1), delay);
    }
  }

  private onConnect(): void {
    this.up = true;
    const catchingUp = this.deps.connected();
    if (!catchingUp) {
      this.state = { kind: 'connected' };
      return;
    }
    this.state = { kind: 'catching-up' };
    void catchingUp.finally(() => {
      if (this.up) this.state = { kind: 'connected' };
    });
  }

  private onDisconnect(active: string[]): void {
    if (this.stopped || active.length === 0) return;
    if (this.up) {
      this.up = false;
      this.deps.lost();
    }
    const internals = this.deps.realtime as RealtimeInternals;
    const intervals = internals.predefinedReconnectIntervals ?? [2_000];
    const attempt = internals.reconnectAttempts ?? 0;
    const wait = intervals[attempt] ?? intervals[intervals.length - 1] ?? 2_000;
    this.state = this.online()
      ? { kind: 'reconnecting', nextAttemptAt: this.now() + wait, attempt: attempt + 1 }
      : { kind: 'offline' };
  }

  /** The browser says the network is back or gone: say so at once rather than at the next attempt. */
  networkChanged(online: boolean): void {
    if (!online) this.state = { kind: 'offline' };
    else if (this.state.kind === 'offline')
      this.state = this.up ? { kind: 'connected' } : { kind: 'reconnecting', nextAttemptAt: this.now(), attempt: 0 };
  }

  private async unsubscribeAll(): Promise<void> {
    await Promise.allSettled(this.unsubscribers.splice(0).map((unsubscribe) => unsubscribe()));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null)
      (this.deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.retryTimer);
    this.deps.realtime.onDisconnect = undefined;
    await this.unsubscribeAll();
  }
}

/** What is used of the SDK client to read the server's clock from each answer. */
export type ResponseHook = Pick<PocketBase, 'afterSend'>;

/** Calls `onDate` with the Date header of every answer; returns a function that stops it. */
export function watchServerClock(client: ResponseHook, onDate: (date: Date) => void): () => void {
  const previous = client.afterSend;
  client.afterSend = (response: Response, data: unknown, options?: SendOptions): unknown => {
    const date = response.headers.get('date');
    if (date) onDate(new Date(date));
    if (!previous) return data;
    return options ? previous(response, data, options) : previous(response, data);
  };
  return () => {
    client.afterSend = previous;
  };
}
