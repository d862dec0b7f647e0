// The outbox at rest: messages not yet sent, per account and server, so quitting the app loses none.
// Kept under one key as an object (electron-store reads dots in keys as paths, and scopes have dots).
import { isOutboxEntry, MAX_OUTBOX_ENTRIES, type OutboxEntry } from '../src-shared/ipc.ts';
import type { KeyValueStore } from './vault.ts';

const KEY = 'outboxes';

export class OutboxStore {
  constructor(private readonly store: KeyValueStore) {}

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

  save(scope: string, entries: OutboxEntry[]): void {
    const all = { ...this.all() };
    if (entries.length === 0) delete all[scope];
    else all[scope] = entries;
    this.store.set(KEY, all);
  }
}
