import Conf from 'conf';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  KEYRING_UNAVAILABLE_REASON,
  NO_KEYRING_REASON,
  TokenVault,
  UNREADABLE_PROBLEM,
  VAULT_KEY,
  type Cipher,
} from './vault.ts';

/** AES-256-GCM with a random key: a stand-in for the OS keyring that really encrypts. */
class TestCipher implements Cipher {
  key = randomBytes(32);
  backendName = 'gnome_libsecret';
  available = true;
  failEncrypt = false;
  failDecrypt = false;
  reEncrypt = false;
  encryptDelayMs = 0;
  encryptCalls = 0;

  backend(): string {
    return this.backendName;
  }
  async isAvailable(): Promise<boolean> {
    return this.available;
  }
  async encrypt(plain: string): Promise<Buffer> {
    this.encryptCalls++;
    if (this.encryptDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.encryptDelayMs));
    if (this.failEncrypt) throw new Error('keyring locked');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  async decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (this.failDecrypt) throw new Error('cannot decrypt');
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: this.reEncrypt };
  }
}

const TOKEN = JSON.stringify({
  token: 'eyJhbGciOiJIUzI1NiJ9.secret-token-value.sig',
  record: { id: 'abc123', username: 'alice' },
});

let dir: string;
let store: Conf<Record<string, unknown>>;
let cipher: TestCipher;

function fileText(): string {
  try {
    return readFileSync(store.path, 'utf8');
  } catch {
    return '';
  }
}

function everythingOnDisk(): string {
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

beforeEach(() => {
  // The vault explains keyring failures on the console; the tests assert behaviour, not log lines.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  dir = mkdtempSync(join(tmpdir(), 'palaver-vault-'));
  store = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault' });
  cipher = new TestCipher();
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('TokenVault with a real keyring', () => {
  it('round-trips the token and survives a restart (a new vault on the same file)', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    expect(await vault.save(TOKEN)).toEqual({ persistent: true });
    expect(await vault.load()).toEqual({ value: TOKEN, status: { persistent: true } });

    const restarted = new TokenVault(
      cipher,
      new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault' }),
      'linux',
    );
    expect(await restarted.load()).toEqual({ value: TOKEN, status: { persistent: true } });
  });

  it('writes only ciphertext to disk, in the documented entry format', async () => {
    const vault = new TokenVault(cipher, store, 'darwin');
    cipher.backendName = 'os';
    await vault.save(TOKEN);
    const text = everythingOnDisk();
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain('alice');
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 20));
    const entry = JSON.parse(fileText())[VAULT_KEY];
    expect(entry).toEqual({ version: 1, backend: 'os', ciphertext: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
  });

  it('loads nothing when nothing was saved', async () => {
    const vault = new TokenVault(cipher, store, 'win32');
    expect(await vault.load()).toEqual({ value: null, status: { persistent: true } });
  });

  it('clear() and save("") remove the stored entry', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    await vault.clear();
    expect(store.get(VAULT_KEY)).toBeUndefined();
    expect(await vault.load()).toEqual({ value: null, status: { persistent: true } });

    await vault.save(TOKEN);
    expect(await vault.save('')).toEqual({ persistent: true });
    expect(store.get(VAULT_KEY)).toBeUndefined();
    expect(fileText()).not.toContain('ciphertext');
    expect((await vault.load()).value).toBeNull();
  });

  it('re-encrypts and stores again when the keyring asks for it', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    const before = JSON.stringify(store.get(VAULT_KEY));
    cipher.reEncrypt = true;
    const calls = cipher.encryptCalls;
    expect(await vault.load()).toEqual({ value: TOKEN, status: { persistent: true } });
    expect(cipher.encryptCalls).toBe(calls + 1);
    const after = JSON.stringify(store.get(VAULT_KEY));
    expect(after).not.toBe(before);
    cipher.reEncrypt = false;
    expect((await vault.load()).value).toBe(TOKEN);
  });

  it('still returns the token when re-encryption fails', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    cipher.reEncrypt = true;
    cipher.failEncrypt = true;
    expect((await vault.load()).value).toBe(TOKEN);
    expect(store.get(VAULT_KEY)).toBeDefined();
  });

  it('never lets a slow save write back a token that a later clear removed', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    cipher.encryptDelayMs = 30;
    const saving = vault.save(TOKEN);
    const clearing = vault.clear();
    await Promise.all([saving, clearing]);
    expect(store.get(VAULT_KEY)).toBeUndefined();
    expect((await vault.load()).value).toBeNull();
  });

  it('keeps the token in memory when encryption fails, and says so', async () => {
    const vault = new TokenVault(cipher, store, 'darwin');
    cipher.failEncrypt = true;
    const status = await vault.save(TOKEN);
    expect(status.persistent).toBe(false);
    expect(status.reason).toMatch(/until you quit/);
    expect(store.get(VAULT_KEY)).toBeUndefined();
    expect((await vault.load()).value).toBe(TOKEN);
    expect(everythingOnDisk()).not.toContain('secret-token-value');
  });
});

describe('TokenVault without a real keyring', () => {
  for (const backend of ['basic_text', 'unknown']) {
    it(`on Linux with ${backend}: nothing on disk, token in memory, status explains why`, async () => {
      cipher.backendName = backend;
      const vault = new TokenVault(cipher, store, 'linux');
      const status = await vault.save(TOKEN);
      expect(status).toEqual({ persistent: false, reason: NO_KEYRING_REASON });
      expect(cipher.encryptCalls).toBe(0);
      expect(store.get(VAULT_KEY)).toBeUndefined();
      expect(everythingOnDisk()).not.toContain('secret-token-value');
      expect(await vault.load()).toEqual({ value: TOKEN, status: { persistent: false, reason: NO_KEYRING_REASON } });
      expect(await vault.status()).toEqual({ persistent: false, reason: NO_KEYRING_REASON });

      // A restart forgets it, as promised.
      const restarted = new TokenVault(
        cipher,
        new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault' }),
        'linux',
      );
      expect((await restarted.load()).value).toBeNull();
    });
  }

  it('basic_text is a real backend name only on Linux: elsewhere it does not matter', async () => {
    cipher.backendName = 'os';
    const vault = new TokenVault(cipher, store, 'win32');
    expect(await vault.status()).toEqual({ persistent: true });
  });

  it('when secure storage is unavailable on any platform: memory only', async () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      cipher.available = false;
      cipher.backendName = platform === 'linux' ? 'gnome_libsecret' : 'os';
      const vault = new TokenVault(cipher, store, platform);
      expect(await vault.save(TOKEN)).toEqual({ persistent: false, reason: KEYRING_UNAVAILABLE_REASON });
      expect(store.get(VAULT_KEY)).toBeUndefined();
      expect((await vault.load()).value).toBe(TOKEN);
    }
  });

  it('treats an isAvailable() that throws as unavailable', async () => {
    cipher.isAvailable = async () => {
      throw new Error('dbus exploded');
    };
    const vault = new TokenVault(cipher, store, 'linux');
    expect((await vault.save(TOKEN)).persistent).toBe(false);
    expect(store.get(VAULT_KEY)).toBeUndefined();
  });

  it('deletes ciphertext stored by an earlier run that had a keyring', async () => {
    await new TokenVault(cipher, store, 'linux').save(TOKEN);
    expect(store.get(VAULT_KEY)).toBeDefined();

    cipher.backendName = 'basic_text';
    const vault = new TokenVault(cipher, store, 'linux');
    const loaded = await vault.load();
    expect(loaded).toEqual({
      value: null,
      status: { persistent: false, reason: NO_KEYRING_REASON },
      problem: UNREADABLE_PROBLEM,
    });
    expect(store.get(VAULT_KEY)).toBeUndefined();
  });

  it('save() deletes old ciphertext too', async () => {
    await new TokenVault(cipher, store, 'linux').save('old');
    cipher.backendName = 'basic_text';
    await new TokenVault(cipher, store, 'linux').save(TOKEN);
    expect(store.get(VAULT_KEY)).toBeUndefined();
  });

  it('clear() forgets the in-memory token', async () => {
    cipher.backendName = 'basic_text';
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    await vault.clear();
    expect((await vault.load()).value).toBeNull();
    await vault.save(TOKEN);
    await vault.save('');
    expect((await vault.load()).value).toBeNull();
  });
});

describe('TokenVault with an unreadable stored entry', () => {
  async function expectUnreadable(vault: TokenVault): Promise<void> {
    const loaded = await vault.load();
    expect(loaded).toEqual({ value: null, status: { persistent: true }, problem: UNREADABLE_PROBLEM });
    expect(store.get(VAULT_KEY)).toBeUndefined();
    // And the next start is a clean signed-out start, not the same problem again.
    expect(await vault.load()).toEqual({ value: null, status: { persistent: true } });
  }

  it('corrupt ciphertext: null + problem, entry removed, no throw', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    const entry = store.get(VAULT_KEY) as { ciphertext: string };
    const bytes = Buffer.from(entry.ciphertext, 'base64');
    bytes[bytes.length - 1]! ^= 0xff;
    store.set(VAULT_KEY, { ...entry, ciphertext: bytes.toString('base64') });
    await expectUnreadable(vault);
  });

  it('decrypt throws (e.g. the keyring key was reset)', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    cipher.failDecrypt = true;
    await expectUnreadable(vault);
  });

  it('keyring backend changed since it was saved', async () => {
    const vault = new TokenVault(cipher, store, 'linux');
    await vault.save(TOKEN);
    cipher.backendName = 'kwallet6';
    await expectUnreadable(vault);
  });

  it.each([
    ['a string', 'plain text token'],
    ['a number', 42],
    ['null', null],
    ['an array', [1, 2, 3]],
    ['another version', { version: 2, backend: 'gnome_libsecret', ciphertext: 'AAAA' }],
    ['a missing version', { backend: 'gnome_libsecret', ciphertext: 'AAAA' }],
    ['bad base64', { version: 1, backend: 'gnome_libsecret', ciphertext: 'not base64 at all!' }],
    ['truncated base64', { version: 1, backend: 'gnome_libsecret', ciphertext: 'AAA' }],
    ['empty ciphertext', { version: 1, backend: 'gnome_libsecret', ciphertext: '' }],
    ['ciphertext of another type', { version: 1, backend: 'gnome_libsecret', ciphertext: 123 }],
    ['too short to decrypt', { version: 1, backend: 'gnome_libsecret', ciphertext: 'AAAA' }],
  ])('stored entry is %s', async (_what, value) => {
    store.set(VAULT_KEY, value);
    await expectUnreadable(new TokenVault(cipher, store, 'linux'));
  });
});

describe('TokenVault scoped to a server', () => {
  it('loads the token only for the server it was saved for, and then forgets it', async () => {
    let server = 'https://a.example';
    const vault = new TokenVault(cipher, store, 'linux', { scope: () => server });
    await vault.save(TOKEN);
    expect(store.get(VAULT_KEY)).toMatchObject({ version: 1, scope: 'https://a.example' });
    expect((await vault.load()).value).toBe(TOKEN);

    server = 'https://b.example';
    expect(await vault.load()).toEqual({ value: null, status: { persistent: true } });
    expect(store.get(VAULT_KEY)).toBeUndefined();

    server = 'https://a.example';
    expect((await vault.load()).value).toBeNull();
  });

  it('survives a restart for the same server', async () => {
    const scope = () => 'http://127.0.0.1:8090';
    await new TokenVault(cipher, store, 'linux', { scope }).save(TOKEN);
    const restarted = new TokenVault(
      cipher,
      new Conf<Record<string, unknown>>({ cwd: dir, configName: 'vault' }),
      'linux',
      { scope },
    );
    expect((await restarted.load()).value).toBe(TOKEN);
  });

  it('discards an entry saved without a scope', async () => {
    await new TokenVault(cipher, store, 'linux').save(TOKEN);
    const vault = new TokenVault(cipher, store, 'linux', { scope: () => 'https://a.example' });
    expect(await vault.load()).toEqual({ value: null, status: { persistent: true } });
    expect(store.get(VAULT_KEY)).toBeUndefined();
  });

  it('scopes the in-memory token too', async () => {
    let server = 'https://a.example';
    cipher.backendName = 'basic_text';
    const vault = new TokenVault(cipher, store, 'linux', { scope: () => server });
    await vault.save(TOKEN);
    expect((await vault.load()).value).toBe(TOKEN);
    server = 'https://b.example';
    expect((await vault.load()).value).toBeNull();
    server = 'https://a.example';
    expect((await vault.load()).value).toBeNull();
  });
});
