// The outbox: messages written while offline or whose send failed, sent in the order they were
// written as soon as the server can take them. Only answers a retry cannot change (validation,
// forbidden) mark a message failed; everything else waits and tries again. Persisted through the
// bridge after every change, so quitting loses nothing.
import type { OutboxEntry } from '../../../src-shared/ipc.ts';

export type SendOutcome =
  /** Stored on the server (now, or by an earlier attempt whose answer was lost). */
  | { kind: 'sent' }
  /**
   * Not now: offline, server down, rate limited (`slowDown`: the server asked the client to send less
   * often; `retryAfterMs`: how long it said to wait, when it said), or the session must be renewed first.
   */
  | { kind: 'later'; reason: string; signedOut?: boolean; slowDown?: boolean; retryAfterMs?: number }
  /** Never: the server refused this message for good. */
  | { kind: 'refused'; reason: string };

export interface OutboxDeps {
  send(entry: OutboxEntry): Promise<SendOutcome>;
  persist(entries: OutboxEntry[]): Promise<void>;
  /** Called after every change, for the screen. */
  changed(entries: readonly OutboxEntry[]): void;
  /** Called once a message is on the server. */
  sent(entry: OutboxEntry): void;
  /** The session ended: stop until resume() is called after signing in again. */
  signedOut?(): void;
  setTimer?(run: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
  /** The clock the next attempt is told by (epoch ms); injected for tests. */
  now?(): number;
}

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export class Outbox {
  private entries: OutboxEntry[];
  private flushing: Promise<void> | null = null;
  private again = false;
  private paused = false;
  private failures = 0;
  private timer: unknown = null;
  private disposed = false;
  /** Why the last attempt did not go through, while messages wait; '' when nothing waits for a reason. */
  waitingReason = '';
  /**
   * When the server asked to slow down (429): the moment of the next attempt (epoch ms), so the screen
   * can say why a message waits and for how long; null otherwise.
   */
  slowedUntil: number | null = null;

  constructor(
    initial: readonly OutboxEntry[],
    private readonly deps: OutboxDeps,
  ) {
    this.entries = [...initial];
  }

  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  get pendingCount(): number {
    return this.entries.filter((e) => e.state === 'pending').length;
  }

  private async update(entries: OutboxEntry[]): Promise<void> {
    this.entries = entries;
    this.deps.changed(this.entries);
    await this.deps.persist(this.entries);
  }

  async add(entry: OutboxEntry): Promise<void> {
    await this.update([...this.entries, { ...entry, state: 'pending', failure: undefined }]);
    this.nudge();
  }

  /**
   * Something new to send: try now, unless the server asked to slow down and its moment has not come;
   * then the message goes with the attempt already planned. Trying at once would be refused again and
   * push the next attempt further out.
   */
  private nudge(): void {
    if (this.slowedUntil !== null && (this.deps.now ?? Date.now)() < this.slowedUntil) return;
    void this.flush();
  }

  async retry(id: string): Promise<void> {
    await this.update(
      this.entries.map((e) => (e.id === id ? { ...e, state: 'pending' as const, failure: undefined } : e)),
    );
    this.failures = 0;
    void this.flush();
  }

  async remove(id: string): Promise<OutboxEntry | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (entry) await this.update(this.entries.filter((e) => e.id !== id));
    return entry;
  }

  /** After signing in again: send what waited. */
  resume(): void {
    this.paused = false;
    this.failures = 0;
    void this.flush();
  }

  /** Sends every pending message in order, one at a time; resolves when done or when it must wait. */
  flush(): Promise<void> {
    if (this.disposed || this.paused) return Promise.resolve();
    if (this.flushing) {
      // Something changed while sending (a new message, back online): go round once more after.
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.run().finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
    return this.flushing;
  }

  private async run(): Promise<void> {
    this.cancelTimer();
    for (;;) {
      if (this.disposed || this.paused) return;
      const next = this.entries.find((e) => e.state === 'pending');
      if (!next) {
        this.waitingReason = '';
        this.slowedUntil = null;
        return;
      }
      const outcome = await this.deps.send(next);
      // Stopped meanwhile (signed out): a newer outbox may own the store now; saving would overwrite it.
      if (this.disposed) return;
      if (outcome.kind === 'sent') {
        this.failures = 0;
        this.waitingReason = '';
        this.slowedUntil = null;
        await this.update(this.entries.filter((e) => e.id !== next.id));
        this.deps.sent(next);
      } else if (outcome.kind === 'refused') {
        await this.update(
          this.entries.map((e) => (e.id === next.id ? { ...e, state: 'failed' as const, failure: outcome.reason } : e)),
        );
      } else {
        // Keep the order: nothing after this message goes before it does. The server's own word on when
        // its window reopens beats the back-off, which grows with each refusal and would overshoot it.
        const delay = outcome.retryAfterMs ?? BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
        this.waitingReason = outcome.reason;
        this.slowedUntil = outcome.slowDown && !outcome.signedOut ? (this.deps.now ?? Date.now)() + delay : null;
        this.deps.changed(this.entries);
        if (outcome.signedOut) {
          this.paused = true;
          this.deps.signedOut?.();
          return;
        }
        this.failures += 1;
        this.timer = (this.deps.setTimer ?? setTimeout)(() => void this.flush(), delay);
        return;
      }
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null)
      (this.deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }
}
