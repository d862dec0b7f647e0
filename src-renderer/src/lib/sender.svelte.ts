// The user's own writing: new messages go through the outbox (shown at once as pending, kept across
// restarts, sent in order when the server can take them, never twice), and edits and deletes go
// straight to the server with their problem in words when it refuses.
import { serverNow } from '../../../src-shared/dates.ts';
import type { OutboxEntry, OutboxFile, PalaverBridge } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { newRecordId } from '../../../src-shared/record-id.ts';
import type { ProblemDescription } from './errors.ts';
import type { ChatMessage } from './history.ts';
import type { MessageWrites } from './messages-api.ts';
import { Outbox, type SendOutcome } from './outbox.ts';
import { ClientResponseError } from 'pocketbase';
import { retryAfterMs } from './retry-after.ts';
import type { RoomHistories, RoomHistory } from './room-history.svelte.ts';
import { placesOf, type ThreadPlace } from './thread-info.ts';

export const MESSAGE_LIMIT = 2000;

export interface SenderDeps {
  writes: MessageWrites;
  /** Where the outbox is kept (main's store in Electron, the browser's storage on the web). */
  store: PalaverBridge['outbox'];
  /** Whose outbox: one account on one server. */
  scope: string;
  self: UsersRecord;
  histories: RoomHistories;
  /** Every thread's replies held, keyed by the root's id (lib/threads.svelte.ts); none: no threads shown. */
  threads?: RoomHistories;
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

/** A message sent as a reply: its thread's root, and whether it also goes to the room's main list. */
export type ReplyTo = Required<Pick<OutboxEntry, 'thread' | 'alsoInRoom'>>;

export class Sender {
  /** How many messages wait in the outbox, and why, for the indicator. */
  waiting = $state(0);
  waitingReason = $state('');
  private outbox: Outbox | null = null;
  /** Uploads under way, by message id: how to stop each (Cancel) and how far it is. */
  private readonly uploads = new Map<string, { controller: AbortController; fraction: number }>();

  constructor(private readonly deps: SenderDeps) {}

  /** Whose outbox this is: one account on one server. */
  get scope(): string {
    return this.deps.scope;
  }

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
    for (const upload of this.uploads.values()) upload.controller.abort();
  }

  /**
   * Puts a message in the outbox (shown at once as pending) and sends it when the server can take it.
   * Its files are kept first (by main on disk, or in IndexedDB): a message is in the outbox only with
   * all of them. Throws, having kept nothing, when they cannot be kept; the caller keeps the draft.
   */
  async send(roomId: string, text: string, files: readonly File[] = [], reply?: ReplyTo): Promise<void> {
    const trimmed = text.trim();
    if ((trimmed === '' && files.length === 0) || !this.outbox) return;
    // Its place in the order is when Send was pressed, not when its files were kept.
    const created = serverNow();
    const kept: OutboxFile[] = [];
    for (const file of files) {
      const key = newRecordId();
      try {
        await this.deps.store.putFile(this.deps.scope, key, new Uint8Array(await file.arrayBuffer()));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Could not keep ${file.name} for sending: ${reason}`, { cause: error });
      }
      kept.push({ key, name: file.name, type: file.type, size: file.size });
    }
    await this.outbox.add({
      id: newRecordId(),
      room: roomId,
      text: trimmed,
      created,
      state: 'pending',
      ...(kept.length > 0 ? { files: kept } : {}),
      ...(reply ? { thread: reply.thread, ...(reply.alsoInRoom ? { alsoInRoom: true } : {}) } : {}),
    });
  }

  /** Stops a message's upload under way; it stays, failed, to be retried or discarded. */
  cancel(messageId: string): void {
    this.uploads.get(messageId)?.controller.abort();
  }

  async retry(messageId: string): Promise<void> {
    await this.outbox?.retry(messageId);
  }

  /**
   * Takes a failed or waiting message out of the outbox; returns its text and the files still kept
   * (for the composer: redrafting a message loses none of it).
   */
  async discard(messageId: string): Promise<{ text: string; files: File[] }> {
    const waiting = this.outbox?.list().find((e) => e.id === messageId);
    const files = waiting ? (await this.keptFiles(waiting).catch(() => ({ files: [] }))).files : [];
    const entry = await this.outbox?.remove(messageId);
    if (entry) for (const history of this.placesOf(entry)) history.remove(messageId);
    return { text: entry?.text ?? '', files };
  }

  /** A message's files back from where the outbox keeps them, and the names of any that are gone. */
  private async keptFiles(entry: OutboxEntry): Promise<{ files: File[]; missing?: string[] }> {
    const files: File[] = [];
    const missing: string[] = [];
    for (const file of entry.files ?? []) {
      const bytes = await this.deps.store.getFile(this.deps.scope, file.key);
      if (bytes) files.push(new File([bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }));
      else missing.push(file.name);
    }
    return missing.length > 0 ? { files, missing } : { files };
  }

  /** Saves an edit; null when saved, else the problem in words. */
  async edit(messageId: string, text: string): Promise<string | null> {
    try {
      const saved = await this.deps.writes.update(messageId, text);
      for (const history of this.placesOf(saved)) history.applyServer([saved]);
      return null;
    } catch (error) {
      const problem = this.deps.problem(error, 'save your edit');
      return problem.fields.text ?? problem.message;
    }
  }

  /**
   * Deletes a message; null when deleted, else the problem in words. Someone else's message (`moderated`,
   * deleted as the room's owner or a moderator) leaves a note in its place, as on every other screen.
   */
  async remove(messageId: string, moderated = false): Promise<string | null> {
    try {
      await this.deps.writes.remove(messageId);
      const drop = (history: RoomHistory) => (moderated ? history.markRemoved(messageId) : history.remove(messageId));
      for (const history of this.deps.histories.all()) drop(history);
      for (const history of this.deps.threads?.all() ?? []) drop(history);
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
    for (const entry of entries) this.showEntry(entry, entry.id === head ? slowedUntil : undefined);
  }

  /**
   * Where a message of the person's is shown: its room's list unless it is a reply kept to its thread,
   * and its thread when it is a reply. `make`: held from now on, even where nothing of it was loaded yet.
   */
  private placesOf(message: ThreadPlace & { room: string }, make = false): RoomHistory[] {
    const held = (all: RoomHistories) => (make ? { get: (id: string) => all.of(id) } : all);
    return placesOf(message, held(this.deps.histories), this.deps.threads ? held(this.deps.threads) : new Map());
  }

  private showEntry(entry: OutboxEntry, slowedUntil: number | undefined): void {
    const self = this.deps.self;
    const upload = this.uploads.get(entry.id);
    const local: ChatMessage = {
      id: entry.id,
      text: entry.text,
      user: self.id,
      room: entry.room,
      created: entry.created,
      updated: entry.created,
      collectionId: '',
      collectionName: 'messages',
      attachments: [],
      attachmentInfo: null,
      mentions: [],
      editedAt: '',
      thread: entry.thread ?? '',
      alsoInRoom: entry.alsoInRoom ?? false,
      threadInfo: null,
      reactionInfo: null,
      expand: { user: self },
      delivery: entry.state,
      failure: entry.failure,
      ...(entry.files ? { localFiles: entry.files.map(({ name, size, type }) => ({ name, size, type })) } : {}),
      ...(upload && entry.state === 'pending' ? { uploaded: upload.fraction } : {}),
      ...(slowedUntil !== undefined ? { slowedUntil } : {}),
    };
    for (const history of this.placesOf(entry, true)) history.showLocal(local);
  }

  private accept(message: ChatMessage): void {
    for (const history of this.placesOf(message, true)) history.applyServer([message]);
    this.deps.seen([message]);
  }

  /** Creates the message on the server, uploading its files with progress when it has some. */
  private async create(entry: OutboxEntry): Promise<ChatMessage | { gone: string[] }> {
    const message = {
      id: entry.id,
      text: entry.text,
      room: entry.room,
      ...(entry.thread ? { thread: entry.thread, alsoInRoom: !!entry.alsoInRoom } : {}),
    };
    if (!entry.files?.length) return this.deps.writes.create(message);
    const { files, missing } = await this.keptFiles(entry);
    if (missing) return { gone: missing };
    const upload = { controller: new AbortController(), fraction: 0 };
    this.uploads.set(entry.id, upload);
    this.showEntry(entry, undefined);
    try {
      return await this.deps.writes.createWithFiles(message, files, {
        signal: upload.controller.signal,
        // A step of a percent at least: a bar that moves without redrawing the list a thousand times.
        onProgress: (fraction) => {
          if (fraction - upload.fraction < 0.01 && fraction < 1) return;
          upload.fraction = fraction;
          this.showEntry(entry, undefined);
        },
      });
    } finally {
      this.uploads.delete(entry.id);
    }
  }

  private async sendEntry(entry: OutboxEntry): Promise<SendOutcome> {
    try {
      const created = await this.create(entry);
      if ('gone' in created)
        return {
          kind: 'refused',
          reason: `${created.gone.join(', ')} ${created.gone.length === 1 ? 'is' : 'are'} no longer kept on this device (its storage was cleared): use Edit as draft and attach ${created.gone.length === 1 ? 'it' : 'them'} again.`,
        };
      this.accept(created);
      return { kind: 'sent' };
    } catch (error) {
      if (error instanceof ClientResponseError && error.isAbort) {
        // Cancelled as its last bytes went out, it may be stored all the same: then it was sent.
        try {
          this.accept(await this.deps.writes.one(entry.id));
          return { kind: 'sent' };
        } catch {
          return { kind: 'refused', reason: 'Upload cancelled.' };
        }
      }
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
      return {
        kind: 'refused',
        reason: problem.fields.attachments ?? problem.fields.text ?? problem.fields.room ?? problem.message,
      };
    }
  }
}
