import Conf from 'conf';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_SERVER_LIST } from '../src-shared/server-list.ts';
import { policyChanged, policyServers, ServerRegistry } from './server-registry.ts';
import { migrateStoredState } from './stored-state-migration.ts';
import { TokenVault, type Cipher, type KeyValueStore } from './vault.ts';

/** AES-256-GCM with a random key: a stand-in for the OS keyring that really encrypts. */
const key = randomBytes(32);
const cipher: Cipher = {
  backend: () => 'gnome_libsecret',
  isAvailable: async () => true,
  async encrypt(plain) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  },
  async decrypt(encrypted) {
    const d = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
    d.setAuthTag(encrypted.subarray(12, 28));
    return {
      result: Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8'),
      shouldReEncrypt: false,
    };
  },
};

const A = 'https://a.example.com';
const B = 'http://127.0.0.1:8091';
const token = (who: string) => JSON.stringify({ token: `secret-token-of-${who}`, record: { id: who } });

let dir: string;
let settings: Conf<Record<string, unknown>>;
let vaultFile: Conf<Record<string, unknown>>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'palaver-servers-'));
  settings = new Conf({ cwd: dir, configName: 'settings', projectName: 'palaver-test' });
  // As index.ts opens it: origins have dots, so keys are not dot paths.
  vaultFile = new Conf({
    cwd: dir,
    configName: 'vault',
    projectName: 'palaver-test',
    accessPropertiesByDotNotation: false,
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function registry(initial = EMPTY_SERVER_LIST): ServerRegistry {
  return new ServerRegistry({
    settings: settings as KeyValueStore,
    initial,
    vault: (storeKey, origin) => new TokenVault(cipher, vaultFile, 'linux', { key: storeKey, scope: () => origin }),
  });
}

describe('ServerRegistry', () => {
  it('keeps one token per server, each loaded only for its own server', async () => {
    const servers = registry();
    servers.add(A);
    servers.add(B);
    await servers.vault(A).save(token('alice'));
    await servers.vault(B).save(token('bob'));
    // A new run reads the same files.
    const again = registry(settings.get('servers') as never);
    expect((await again.vault(A).load()).value).toBe(token('alice'));
    expect((await again.vault(`${B}/`).load()).value).toBe(token('bob'));
    expect(readFileSync(vaultFile.path, 'utf8')).not.toContain('secret-token');
  });

  it('refuses the vault of a server not added: no token is read or kept for it', async () => {
    const servers = registry();
    servers.add(A);
    expect(() => servers.vault('https://evil.example.com')).toThrow(/no server/);
    expect(() => servers.vault('https://a.example.com.evil.example')).toThrow(/no server/);
  });

  it('removing a server removes its token and leaves the other signed in', async () => {
    const servers = registry();
    servers.add(A);
    servers.add(B);
    await servers.vault(A).save(token('alice'));
    await servers.vault(B).save(token('bob'));
    expect(await servers.remove(A)).toEqual({ servers: [{ url: B }], active: B });
    expect(readFileSync(vaultFile.path, 'utf8')).not.toContain('a.example.com');
    expect((await servers.vault(B).load()).value).toBe(token('bob'));
    // Added again: signed out there.
    servers.add(A);
    expect((await servers.vault(A).load()).value).toBeNull();
  });

  it('an install from before several servers keeps its session after the update', async () => {
    // What the single-server app left: its server in settings, its token under "auth" scoped to it.
    settings.set('serverUrl', A);
    await new TokenVault(cipher, vaultFile, 'linux', { scope: () => A }).save(token('alice'));
    const servers = registry(migrateStoredState(settings as KeyValueStore, vaultFile, A));
    expect(servers.list).toEqual({ servers: [{ url: A }], active: A });
    expect((await servers.vault(A).load()).value).toBe(token('alice'));
    expect(vaultFile.get('auth')).toBeUndefined();
  });
});

describe('the policy of the page', () => {
  it('allows the suggested server while none is added, so the first sign-in needs no reload', () => {
    expect(policyServers(EMPTY_SERVER_LIST, A)).toEqual([A]);
    expect(policyChanged(policyServers(EMPTY_SERVER_LIST, A), [A])).toBe(false);
  });

  it('reloads for a server added or removed, not for the same origins in another order or address', () => {
    expect(policyChanged([A], [A, B])).toBe(true);
    expect(policyChanged([A, B], [A])).toBe(true);
    expect(policyChanged([A, B], [`${B}/`, `${A}/pb`])).toBe(false);
  });
});
