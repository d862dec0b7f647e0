// The outbox at rest: messages not yet sent, per account and server, so quitting the app loses none.
// Kept under one key as an object (electron-store reads dots in keys as paths, and scopes have dots).
// Their files' bytes are kept apart (outbox-files.ts); saving drops the files an entry stopped naming.
import { isOutboxEntry, MAX_OUTBOX_ENTRIES, type OutboxEntry } from '../src-shared/ipc.ts';
import type { OutboxFileRemover } from './outbox-files.ts';
import type { KeyValueStore } from './vault.ts';

const KEY = 'outboxes';

export class OutboxStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly files?: OutboxFileRemover,
  ) {}

  private all(): Record<string, unknown> {
    const value = this.store.get(KEY);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  }

  /** The entries of a scope; anything malformed on disk is dropped rather than trusted. */
  load(scope: string): OutboxEntry[] {
    const entries = this.all()[scope];
    return Array.isArray(entries) ? entries.filter(isOutboxEntry).slice(0, MAX_OUTBOX_ENTRIES) : [];
  }

  /**
   * Saves a scope's entries, then deletes the files that the entries saved before named and these do
   * not: a sent or discarded message leaves nothing behind. A file put but not yet named by any save
   * is left alone, since the save naming it may still be on its way; one a crash orphaned goes in the
   * sweep at the next start (namedFiles).
   */
  async save(scope: string, entries: OutboxEntry[]): Promise<void> {
    const before = fileKeys(this.load(scope));
    const all = { ...this.all() };
    if (entries.length === 0) delete all[scope];
    else all[scope] = entries;
    this.store.set(KEY, all);
    const now = fileKeys(entries);
    const dropped = [...before].filter((key) => !now.has(key));
    if (dropped.length > 0) await this.files?.remove(scope, dropped);
  }

  /** The file keys every scope's saved entries name, for OutboxFiles.sweep. */
  namedFiles(): Map<string, Set<string>> {
    const named = new Map<string, Set<string>>();
    for (const scope of Object.keys(this.all())) named.set(scope, fileKeys(this.load(scope)));
    return named;
  }
}

function fileKeys(entries: readonly OutboxEntry[]): Set<string> {
  return new Set(entries.flatMap((entry) => (entry.files ?? []).map((file) => file.key)));
}
