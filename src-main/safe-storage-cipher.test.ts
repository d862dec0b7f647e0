import type { SafeStorage } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { safeStorageCipher } from './safe-storage-cipher.ts';

function fakeSafeStorage(): SafeStorage {
  return {
    getSelectedStorageBackend: vi.fn(() => 'kwallet6' as const),
    isAsyncEncryptionAvailable: vi.fn(async () => true),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(`enc(${plain})`)),
    decryptStringAsync: vi.fn(async (encrypted: Buffer) => ({
      result: encrypted.toString().slice(4, -1),
      shouldReEncrypt: true,
    })),
    // The deprecated synchronous API must never be used: it blocks the main process on the keyring.
    decryptString: vi.fn(() => {
      throw new Error('sync API used');
    }),
    encryptString: vi.fn(() => {
      throw new Error('sync API used');
    }),
    isEncryptionAvailable: vi.fn(() => {
      throw new Error('sync API used');
    }),
    setUsePlainTextEncryption: vi.fn(),
  };
}

describe('safeStorageCipher', () => {
  it('names the Linux keyring backend, and "os" elsewhere', () => {
    const storage = fakeSafeStorage();
    expect(safeStorageCipher(storage, 'linux').backend()).toBe('kwallet6');
    expect(safeStorageCipher(storage, 'darwin').backend()).toBe('os');
    expect(safeStorageCipher(storage, 'win32').backend()).toBe('os');
  });

  it('uses only the asynchronous API', async () => {
    const storage = fakeSafeStorage();
    const cipher = safeStorageCipher(storage, 'linux');
    expect(await cipher.isAvailable()).toBe(true);
    const encrypted = await cipher.encrypt('token');
    expect(await cipher.decrypt(encrypted)).toEqual({ result: 'token', shouldReEncrypt: true });
    expect(storage.encryptString).not.toHaveBeenCalled();
    expect(storage.decryptString).not.toHaveBeenCalled();
    expect(storage.isEncryptionAvailable).not.toHaveBeenCalled();
  });
});
