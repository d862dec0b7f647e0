// Files chosen for the next message of each room (Attach, a drop, a paste), before it is sent: checked
// against the server's limits as they are added, so a file the server would refuse is refused here,
// before a byte is uploaded, with the reason next to the composer. Like the draft's text they survive
// switching rooms and restarts: kept where the outbox keeps its files (main's data folder, IndexedDB),
// as one entry per room in a scope of their own, so the outbox store's rules delete them when they
// leave the draft (sent, removed) and collect any a crash left behind.
import type PocketBase from 'pocketbase';
import { formatBytes } from '../../../src-shared/attachments.ts';
import { MAX_OUTBOX_FILES, type OutboxEntry, type OutboxFile, type PalaverBridge } from '../../../src-shared/ipc.ts';
import { serverNow } from '../../../src-shared/dates.ts';
import { newRecordId } from '../../../src-shared/record-id.ts';

export interface AttachmentLimits {
  maxBytes: number;
  maxFiles: number;
}

/** The server's defaults (pb_migrations/1795700060), used until it has said otherwise. */
export const DEFAULT_LIMITS: AttachmentLimits = { maxBytes: 25 * 1024 * 1024, maxFiles: 10 };

export interface DraftFile {
  /** Tells files of the same name apart in the list. */
  id: number;
  file: File;
  /** Where its bytes are kept across restarts; absent until kept (or when keeping failed). */
  key?: string;
}

/** Where draft files are kept: the outbox store, under a scope of their own. */
export interface DraftFileStore {
  store: PalaverBridge['outbox'];
  /** The outbox's scope ("user@origin"); drafts use `drafts:` before it. */
  scope: string;
}

/** Which of `added` fit next to `current` under the limits, and why each of the others does not. */
export function checkFiles(
  current: readonly File[],
  added: readonly File[],
  limits: AttachmentLimits,
): { accepted: File[]; problems: string[] } {
  const accepted: File[] = [];
  const problems: string[] = [];
  const tooMany: string[] = [];
  for (const file of added) {
    if (file.size > limits.maxBytes) {
      problems.push(`${file.name} is ${formatBytes(file.size)}: files can be at most ${formatBytes(limits.maxBytes)}.`);
    } else if (file.size === 0) {
      problems.push(`${file.name} is empty (a folder cannot be sent; zip it first).`);
    } else if (current.length + accepted.length >= limits.maxFiles) {
      tooMany.push(file.name);
    } else {
      accepted.push(file);
    }
  }
  if (tooMany.length > 0)
    problems.push(
      `A message takes at most ${limits.maxFiles} files: ${tooMany.join(', ')} not added. Send the rest in another message.`,
    );
  return { accepted, problems };
}

/** A pasted screenshot arrives as "image.png": give it a name that says what and when. */
export function namePasted(file: File, now = new Date()): File {
  if (file.name !== '' && file.name !== 'image.png') return file;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
  const extension = file.type.startsWith('image/')
    ? `.${file.type.slice(6).replace('jpeg', 'jpg').replace(/\W.*$/, '')}`
    : '';
  return new File([file], `Pasted image ${stamp}${extension}`, { type: file.type, lastModified: file.lastModified });
}

export class DraftFiles {
  private byRoom = $state<Record<string, DraftFile[]>>({});
  /** Why files were not added, per room, until the next change there. */
  problems = $state<Record<string, string[]>>({});
  limits = $state<AttachmentLimits>(DEFAULT_LIMITS);
  private nextId = 1;
  private keeping: DraftFileStore | null = null;
  /** Saves run one after another, each writing the state as it is then. */
  private saving: Promise<void> = Promise.resolve();

  /** Brings back the files of drafts from the last run and keeps every change from now on. */
  restoreKept(keeping: DraftFileStore): Promise<void> {
    this.keeping = keeping;
    // Files added meanwhile are kept after it: loading collects files no saved draft names.
    this.saving = this.bringBack(keeping);
    return this.saving;
  }

  private async bringBack(keeping: DraftFileStore): Promise<void> {
    const scope = this.scopeOf(keeping);
    const entries = await keeping.store.load(scope).catch(() => [] as OutboxEntry[]);
    for (const entry of entries) {
      const files: DraftFile[] = [];
      for (const kept of entry.files ?? []) {
        const bytes = await keeping.store.getFile(scope, kept.key).catch(() => null);
        if (bytes)
          files.push({
            id: this.nextId++,
            key: kept.key,
            file: new File([bytes as Uint8Array<ArrayBuffer>], kept.name, { type: kept.type }),
          });
      }
      if (files.length > 0) this.byRoom[entry.room] = [...files, ...this.of(entry.room)];
    }
  }

  private scopeOf(keeping: DraftFileStore): string {
    return `drafts:${keeping.scope}`;
  }

  /** Keeps the bytes of files not kept yet, then saves which files each room's draft has. */
  private persist(): void {
    const keeping = this.keeping;
    if (!keeping) return;
    const scope = this.scopeOf(keeping);
    this.saving = this.saving.then(async () => {
      // The rooms as they are when this save starts, named in the save even if removed while their bytes
      // were written: a file put but never named would be nobody's until the next start swept it. The
      // change that removed it queued a save of its own, which comes next and deletes it.
      const rooms = Object.entries(this.byRoom).map(([room, drafts]) => [room, [...drafts]] as const);
      for (const [, drafts] of rooms)
        for (const draft of drafts) {
          if (draft.key) continue;
          const key = newRecordId();
          try {
            await keeping.store.putFile(scope, key, new Uint8Array(await draft.file.arrayBuffer()));
            draft.key = key;
          } catch {
            // Not kept for a restart (disk full): it is still attached in this run.
          }
        }
      // An entry holds at most MAX_OUTBOX_FILES (the store refuses more): a room's files in as many as it takes.
      const entries: OutboxEntry[] = [];
      for (const [room, drafts] of rooms) {
        const kept = drafts.flatMap((d): OutboxFile[] =>
          d.key ? [{ key: d.key, name: d.file.name, type: d.file.type, size: d.file.size }] : [],
        );
        for (let start = 0; start < kept.length; start += MAX_OUTBOX_FILES)
          entries.push({
            id: newRecordId(),
            room,
            text: '',
            created: serverNow(),
            state: 'pending',
            files: kept.slice(start, start + MAX_OUTBOX_FILES),
          });
      }
      await keeping.store.save(scope, entries).catch(() => undefined);
    });
  }

  /** Resolves when what was changed so far is kept. */
  settled(): Promise<void> {
    return this.saving;
  }

  /** Asks the server for its limits; keeps the defaults when it cannot say (an older server, offline). */
  async loadLimits(pb: Pick<PocketBase, 'send'>): Promise<void> {
    try {
      const answer = await pb.send<{ attachmentMaxBytes?: unknown; attachmentMaxFiles?: unknown }>(
        '/api/palaver/limits',
        {
          requestKey: null,
        },
      );
      const { attachmentMaxBytes: maxBytes, attachmentMaxFiles: maxFiles } = answer;
      if (typeof maxBytes === 'number' && maxBytes > 0 && typeof maxFiles === 'number' && maxFiles > 0)
        this.limits = { maxBytes, maxFiles };
    } catch {
      // The server checks again anyway: its answer is the last word, this one only spares the upload.
    }
  }

  of(roomId: string): readonly DraftFile[] {
    return this.byRoom[roomId] ?? [];
  }

  add(roomId: string, files: readonly File[]): void {
    const current = this.of(roomId);
    const { accepted, problems } = checkFiles(
      current.map((d) => d.file),
      files,
      this.limits,
    );
    this.byRoom[roomId] = [...current, ...accepted.map((file) => ({ id: this.nextId++, file }))];
    this.problems[roomId] = problems;
    this.persist();
  }

  remove(roomId: string, id: number): void {
    this.byRoom[roomId] = this.of(roomId).filter((d) => d.id !== id);
    this.problems[roomId] = [];
    this.persist();
  }

  /**
   * Takes the room's files for sending, leaving none on screen. Their kept copies stay until `sent`:
   * until the outbox has its own, they are the only ones that survive a restart.
   */
  take(roomId: string): File[] {
    const files = this.of(roomId).map((d) => d.file);
    this.byRoom[roomId] = [];
    this.problems[roomId] = [];
    return files;
  }

  /** The files taken from a room are in the outbox now: the draft's copies can go. */
  sent(): void {
    this.persist();
  }

  /**
   * Puts files back in front of what is there (a send that could not start, a message redrafted). All
   * of them, even past the count: nothing handed back is dropped; Send waits until some are removed.
   */
  restore(roomId: string, files: readonly File[]): void {
    this.byRoom[roomId] = [...files.map((file) => ({ id: this.nextId++, file })), ...this.of(roomId)];
    const count = this.of(roomId).length;
    this.problems[roomId] =
      count > this.limits.maxFiles
        ? [`A message takes at most ${this.limits.maxFiles} files: remove ${count - this.limits.maxFiles} to send.`]
        : [];
    this.persist();
  }

  /** Whether the room's files fit in one message. */
  fits(roomId: string): boolean {
    return this.of(roomId).length <= this.limits.maxFiles;
  }
}
