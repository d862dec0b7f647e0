// Electron's safeStorage as the vault's Cipher. Takes the module as a parameter so nothing here imports
// electron at runtime. Only the async API: the sync one is deprecated and blocks on the keyring.
import type { SafeStorage } from 'electron';
import type { Cipher } from './vault.ts';

export function safeStorageCipher(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): Cipher {
  return {
    // Only Linux has several keyrings (and a fake one); the stored backend name tells a later run
    // whether it can decrypt what an earlier run wrote.
    backend: () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (encrypted) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
      return { result, shouldReEncrypt };
    },
  };
}
