// The SDK's auth state, kept in the vault through the bridge. The SDK's AsyncAuthStore writes its
// initial value back as soon as it is given one, and its writes cannot be awaited; this store restores
// a saved state without writing (the vault already holds it), writes each later change once and in
// order, and lets sign-out wait until the vault is cleared.
import { BaseAuthStore, type AuthRecord } from 'pocketbase';

export interface VaultWriter {
  /** The serialized state ({ token, record }), as the SDK's stores serialize it. */
  save(serialized: string): Promise<void>;
  clear(): Promise<void>;
}

export class VaultAuthStore extends BaseAuthStore {
  readonly #vault: VaultWriter;
  #writes: Promise<void> = Promise.resolve();

  constructor(vault: VaultWriter) {
    super();
    this.#vault = vault;
  }

  /** Takes the state the vault returned, without writing it back; false when it cannot be read. */
  restore(serialized: string): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(serialized);
    } catch {
      return false;
    }
    if (typeof parsed !== 'object' || parsed === null) return false;
    const { token, record } = parsed as { token?: unknown; record?: unknown };
    if (typeof token !== 'string' || token === '') return false;
    // The base class only keeps the state and tells listeners; the writing happens in this class's save.
    super.save(token, typeof record === 'object' && record !== null ? (record as AuthRecord) : null);
    return true;
  }

  override save(token: string, record?: AuthRecord): void {
    super.save(token, record);
    const serialized = JSON.stringify({ token, record: record ?? null });
    this.#enqueue(() => this.#vault.save(serialized));
  }

  override clear(): void {
    super.clear();
    this.#enqueue(() => this.#vault.clear());
  }

  /** Resolves once every write asked for so far has reached the vault (or failed). */
  settled(): Promise<void> {
    return this.#writes;
  }

  #enqueue(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((error: unknown) => {
      // The bridge reports keyring problems through the vault status; this is a failed call itself.
      console.warn(
        `Palaver: the saved sign-in could not be updated (${error instanceof Error ? error.message : String(error)}).`,
      );
    });
  }
}
