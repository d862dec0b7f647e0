// The auth token at rest: encrypted by the OS keyring through a Cipher, or kept in memory only when
// there is no real keyring. Never throws to its caller for a bad or unreadable stored entry.
import type { VaultLoadResult, VaultStatus } from '../src-shared/ipc.ts';

export interface Cipher {
  /** Which keyring encrypts: Electron's Linux backend name, or 'os' on macOS and Windows. */
  backend(): string;
  isAvailable(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** The subset of electron-store / conf the vault uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export const VAULT_KEY = 'auth';

interface StoredEntry {
  version: 1;
  backend: string;
  ciphertext: string;
  /** Which server issued the token (not secret); only with the `scope` option. */
  scope?: string;
}

export interface TokenVaultOptions {
  /**
   * The server the token belongs to right now (its origin). A token saved for another server is
   * discarded instead of loaded, so however the server changes, a token never reaches a server that
   * did not issue it.
   */
  scope?: () => string;
  /** The store key of this vault's token (VAULT_KEY unless given): one per server (stored-state-migration.ts). */
  key?: string;
}

/** Linux backends under which "encrypted" means encrypted with a key everyone knows. */
const LINUX_WITHOUT_KEYRING: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export const NO_KEYRING_REASON =
  'Your system has no keyring (such as GNOME Keyring or KWallet), so Palaver keeps you signed in only until you quit.';
export const KEYRING_UNAVAILABLE_REASON =
  "Your system's secure storage is not available right now, so Palaver keeps you signed in only until you quit.";
export const ENCRYPT_FAILED_REASON =
  "Palaver could not encrypt your sign-in with your system's secure storage, so it keeps you signed in only until you quit.";
export const UNREADABLE_PROBLEM = 'Your saved sign-in could not be read; please sign in again.';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Mode = { persistent: true; backend: string } | { persistent: false; reason: string };

export class TokenVault {
  /** The token for this run when it may not be written to disk, and the scope it was saved under. */
  #memory: string | null = null;
  #memoryScope: string | undefined;
  /** Set when encryption failed although the keyring claimed to work; lasts for this run. */
  #encryptFailed = false;
  /** Operations run one after another, so a slow encrypt can never write back a token cleared after it. */
  #queue: Promise<unknown> = Promise.resolve();

  private readonly cipher: Cipher;
  private readonly store: KeyValueStore;
  private readonly platform: NodeJS.Platform;
  private readonly scope: (() => string) | undefined;
  private readonly key: string;

  constructor(cipher: Cipher, store: KeyValueStore, platform: NodeJS.Platform, options: TokenVaultOptions = {}) {
    this.cipher = cipher;
    this.store = store;
    this.platform = platform;
    this.scope = options.scope;
    this.key = options.key ?? VAULT_KEY;
  }

  status(): Promise<VaultStatus> {
    return this.#serialize(async () => statusOf(await this.#mode()));
  }

  load(): Promise<VaultLoadResult> {
    return this.#serialize(() => this.#load());
  }

  /** Saves the SDK's serialized auth state; '' means signed out. */
  save(serialized: string): Promise<VaultStatus> {
    return this.#serialize(() => this.#save(serialized));
  }

  clear(): Promise<void> {
    return this.#serialize(async () => this.#clear());
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #mode(): Promise<Mode> {
    if (this.#encryptFailed) return { persistent: false, reason: ENCRYPT_FAILED_REASON };
    let available: boolean;
    try {
      available = await this.cipher.isAvailable();
    } catch {
      available = false;
    }
    if (!available) return { persistent: false, reason: KEYRING_UNAVAILABLE_REASON };
    // Asked after isAvailable(), which is what initializes the keyring and picks the backend.
    const backend = this.cipher.backend();
    if (this.platform === 'linux' && LINUX_WITHOUT_KEYRING.has(backend))
      return { persistent: false, reason: NO_KEYRING_REASON };
    return { persistent: true, backend };
  }

  async #load(): Promise<VaultLoadResult> {
    const mode = await this.#mode();
    const status = statusOf(mode);
    const scope = this.scope?.();
    if (this.#memory !== null && this.#memoryScope !== scope) this.#memory = null;
    const stored = this.store.get(this.key);
    if (!mode.persistent) {
      if (stored === undefined) return { value: this.#memory, status };
      this.store.delete(this.key);
      if (!sameScope(stored, scope)) return { value: this.#memory, status };
      // Written under a keyring this session cannot use: unreadable now, and never kept beside a
      // session that is not supposed to leave anything on disk.
      return { value: this.#memory, status, problem: UNREADABLE_PROBLEM };
    }
    if (stored === undefined) return { value: this.#memory, status };
    if (!sameScope(stored, scope)) {
      // Signed in to another server: not a problem to report, just nothing to load here.
      this.store.delete(this.key);
      return { value: null, status };
    }

    const ciphertext = parseEntry(stored, mode.backend);
    let decrypted: { result: string; shouldReEncrypt: boolean } | null = null;
    if (ciphertext !== null) {
      try {
        decrypted = await this.cipher.decrypt(ciphertext);
      } catch {
        decrypted = null;
      }
    }
    if (decrypted === null || typeof decrypted.result !== 'string' || decrypted.result === '') {
      this.store.delete(this.key);
      return { value: null, status, problem: UNREADABLE_PROBLEM };
    }
    if (decrypted.shouldReEncrypt) {
      try {
        await this.#write(decrypted.result, mode.backend, scope);
      } catch (error) {
        // The old entry still decrypts; re-encryption is retried on the next load.
        console.warn(
          `Palaver: could not re-encrypt the saved sign-in with the rotated keyring key (${String(error)}).`,
        );
      }
    }
    return { value: decrypted.result, status };
  }

  async #save(serialized: string): Promise<VaultStatus> {
    if (serialized === '') {
      this.#clear();
      return statusOf(await this.#mode());
    }
    const mode = await this.#mode();
    const scope = this.scope?.();
    if (!mode.persistent) {
      this.#memory = serialized;
      this.#memoryScope = scope;
      this.store.delete(this.key);
      return statusOf(mode);
    }
    try {
      await this.#write(serialized, mode.backend, scope);
      this.#memory = null;
      return statusOf(mode);
    } catch (error) {
      console.error(
        `Palaver: encrypting the sign-in with the system keyring (${mode.backend}) failed, so it is kept in memory only ` +
          `until you quit (${String(error)}). Unlock your keyring and restart Palaver to stay signed in across restarts.`,
      );
      this.#encryptFailed = true;
      this.#memory = serialized;
      this.#memoryScope = scope;
      this.store.delete(this.key);
      return statusOf({ persistent: false, reason: ENCRYPT_FAILED_REASON });
    }
  }

  #clear(): void {
    this.#memory = null;
    this.store.delete(this.key);
  }

  async #write(plain: string, backend: string, scope: string | undefined): Promise<void> {
    const encrypted = await this.cipher.encrypt(plain);
    if (!Buffer.isBuffer(encrypted) || encrypted.length === 0) throw new Error('the keyring returned no ciphertext');
    const entry: StoredEntry = { version: 1, backend, ciphertext: encrypted.toString('base64') };
    if (scope !== undefined) entry.scope = scope;
    this.store.set(this.key, entry);
  }
}

function statusOf(mode: Mode): VaultStatus {
  return mode.persistent ? { persistent: true } : { persistent: false, reason: mode.reason };
}

/** Without the scope option every entry matches; with it, only one saved under the same scope. */
function sameScope(stored: unknown, scope: string | undefined): boolean {
  if (scope === undefined) return true;
  return typeof stored === 'object' && stored !== null && (stored as { scope?: unknown }).scope === scope;
}

/** The ciphertext of a well-formed entry written under `backend`, else null. */
function parseEntry(stored: unknown, backend: string): Buffer | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const entry = stored as Partial<Record<keyof StoredEntry, unknown>>;
  if (entry.version !== 1 || entry.backend !== backend) return null;
  if (typeof entry.ciphertext !== 'string' || entry.ciphertext === '' || !BASE64.test(entry.ciphertext)) return null;
  return Buffer.from(entry.ciphertext, 'base64');
}
