// The user's own writing: new messages go through the outbox (shown at once as pending, kept across
// restarts, sent in order when the server can take them, never twice), and edits and deletes go
// straight to the server with their problem in words when it refuses.
import { serverNow } from '../../../src-shared/dates.ts';
import type { OutboxEntry, PalaverBridge } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { newRecordId } from '../../../src-shared/record-id.ts';
import type { ProblemDescription } from './errors.ts';
import type { ChatMessage } from './history.ts';
import type { MessageWrites } from './messages-api.ts';
import { Outbox, type SendOutcome } from './outbox.ts';
import { retryAfterMs } from './retry-after.ts';
import type { RoomHistories } from './room-history.svelte.ts';

export const MESSAGE_LIMIT = 2000;

export interface SenderDeps {
  writes: MessageWrites;
  /** Where the outbox is kept (main's store in Electron, the browser's storage on the web). */
  store: PalaverBridge['outbox'];
  /** Whose outbox: one account on one server. */
  scope: string;
  self: UsersRecord;
  histories: RoomHistories;
  seen(messages: readonly ChatMessage[]): void;
  problem(error: unknown, action: string): ProblemDescription;
  /**
   * PocketBase treats an expired or revoked token as no token, so a refused create may mean "signed
   * out" rather than "not allowed": whether the server still accepts the session.
   */
  sessionValid(): Promise<boolean>;
  /** The server no longer accepts the session: sign in again, keeping drafts and outbox. */
  sessionEnded(): void;
}

export class Sender {
  /** How many messages wait in the outbox, and why, for the indicator. */
  waiting = $state(0);
  waitingReason = $state('');
  private outbox: Outbox | null = null;

  constructor(private readonly deps: SenderDeps) {}

  /** Loads what waited from the last run and shows it in place. */
  async start(): Promise<void> {
    const { store, scope } = this.deps;
    const saved = await store.load(scope).catch(() => [] as OutboxEntry[]);
    this.outbox = new Outbox(saved, {
      send: (entry) => this.sendEntry(entry),
      persist: (entries) => store.save(scope, entries).catch(() => undefined),
      changed: (entries) => this.show(entries),
      sent: () => undefined,
      signedOut: () => this.deps.sessionEnded(),
    });
    this.show(saved);
  }

  /** Try now what waits (connected again, back online). */
  flush(): void {
    void this.outbox?.flush();
  }

  dispose(): void {
    this.outbox?.dispose();
  }

  /** Puts a message in the outbox (shown at once as pending) and sends it when the server can take it. */
  async send(roomId: string, text: string): Promise<void> {
    const trimmed = text.trim();
    if (trimmed === '' || !this.outbox) return;
    await this.outbox.add({ id: newRecordId(), room: roomId, text: trimmed, created: serverNow(), state: 'pending' });
  }

  async retry(messageId: string): Promise<void> {
    await this.outbox?.retry(messageId);
  }

  /** Takes a failed or waiting message out of the outbox; returns its text (for the composer). */
  async discard(messageId: string): Promise<string> {
    const entry = await this.outbox?.remove(messageId);
    if (entry) this.deps.histories.get(entry.room)?.remove(messageId);
    return entry?.text ?? '';
  }

  /** Saves an edit; null when saved, else the problem in words. */
  async edit(messageId: string, text: string): Promise<string | null> {
    try {
      const saved = await this.deps.writes.update(messageId, text);
      this.deps.histories.get(saved.room)?.applyServer([saved]);
      return null;
    } catch (error) {
      const problem = this.deps.problem(error, 'save your edit');
      return problem.fields.text ?? problem.message;
    }
  }

  /** Deletes a message; null when deleted, else the problem in words. */
  async remove(messageId: string): Promise<string | null> {
    try {
      await this.deps.writes.remove(messageId);
      for (const history of this.deps.histories.all()) history.remove(messageId);
      return null;
    } catch (error) {
      return this.deps.problem(error, 'delete this message').message;
    }
  }

  /** Shows every outbox message in its room, in place, as pending or failed. */
  private show(entries: readonly OutboxEntry[]): void {
    this.waiting = entries.filter((e) => e.state === 'pending').length;
    this.waitingReason = this.outbox?.waitingReason ?? '';
    // The slow-down is told on the message the outbox tries next; the ones behind it simply follow.
    const slowedUntil = this.outbox?.slowedUntil ?? undefined;
    const head = entries.find((e) => e.state === 'pending')?.id;
    const self = this.deps.self;
    for (const entry of entries) {
      this.deps.histories.of(entry.room).showLocal({
        id: entry.id,
        text: entry.text,
        user: self.id,
        room: entry.room,
        created: entry.created,
        updated: entry.created,
        collectionId: '',
        collectionName: 'messages',
        attachments: [],
        expand: { user: self },
        delivery: entry.state,
        failure: entry.failure,
        ...(entry.id === head && slowedUntil !== undefined ? { slowedUntil } : {}),
      });
    }
  }

  private accept(message: ChatMessage): void {
    this.deps.histories.of(message.room).applyServer([message]);
    this.deps.seen([message]);
  }

  private async sendEntry(entry: OutboxEntry): Promise<SendOutcome> {
    try {
      this.accept(await this.deps.writes.create({ id: entry.id, text: entry.text, room: entry.room }));
      return { kind: 'sent' };
    } catch (error) {
      const problem = this.deps.problem(error, 'send this message');
      if (problem.status === 400 && problem.fields.id) {
        // The id is taken: an earlier attempt reached the server and only its answer was lost.
        try {
          this.accept(await this.deps.writes.one(entry.id));
          return { kind: 'sent' };
        } catch (lookup) {
          const again = this.deps.problem(lookup, 'check the message');
          if (again.unreachable) return { kind: 'later', reason: again.message };
        }
      }
      if (problem.status === 429) {
        return { kind: 'later', reason: problem.message, slowDown: true, retryAfterMs: retryAfterMs(error) };
      }
      if (problem.unreachable || problem.status >= 500) return { kind: 'later', reason: problem.message };
      if (problem.status === 401 || !(await this.deps.sessionValid())) {
        return { kind: 'later', reason: 'Your session has ended: sign in again to send.', signedOut: true };
      }
      return { kind: 'refused', reason: problem.fields.text ?? problem.fields.room ?? problem.message };
    }
  }
}
