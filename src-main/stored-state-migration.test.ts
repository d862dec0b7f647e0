import { describe, expect, it } from 'vitest';
import { LEGACY_TOKEN_KEY, migrateStoredState, SERVERS_KEY, tokenKey } from './stored-state-migration.ts';
import type { KeyValueStore } from './vault.ts';

class MapStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  constructor(initial: Record<string, unknown> = {}) {
    for (const [key, value] of Object.entries(initial)) this.data.set(key, value);
  }
  get(key: string) {
    return this.data.get(key);
  }
  set(key: string, value: unknown) {
    this.data.set(key, value);
  }
  delete(key: string) {
    this.data.delete(key);
  }
}

const entry = (scope?: string) => ({
  version: 1,
  backend: 'gnome_libsecret',
  ciphertext: 'c2VjcmV0',
  ...(scope ? { scope } : {}),
});

describe('migrateStoredState', () => {
  it('keeps a single-server install signed in: its server is the open one, its token under that origin', () => {
    const settings = new MapStore({ serverUrl: 'https://chat.example.com/pb', doNotDisturb: true });
    const vault = new MapStore({ [LEGACY_TOKEN_KEY]: entry('https://chat.example.com') });
    const list = migrateStoredState(settings, vault, 'https://chat.example.com/pb');
    expect(list).toEqual({ servers: [{ url: 'https://chat.example.com/pb' }], active: 'https://chat.example.com/pb' });
    expect(vault.get(tokenKey('https://chat.example.com'))).toEqual(entry('https://chat.example.com'));
    expect(vault.get(LEGACY_TOKEN_KEY)).toBeUndefined();
    expect(settings.get(SERVERS_KEY)).toEqual(list);
    expect(settings.get('doNotDisturb')).toBe(true);
  });

  it('an install on the build default (no server chosen) keeps its session on that server', () => {
    const vault = new MapStore({ [LEGACY_TOKEN_KEY]: entry() });
    const list = migrateStoredState(new MapStore(), vault, 'http://127.0.0.1:8090');
    expect(list.active).toBe('http://127.0.0.1:8090');
    // An entry from before tokens were scoped belonged to the server of the day; it is scoped now.
    expect(vault.get(tokenKey('http://127.0.0.1:8090'))).toEqual(entry('http://127.0.0.1:8090'));
  });

  it('a token another server issued is not carried to the current one', () => {
    const vault = new MapStore({ [LEGACY_TOKEN_KEY]: entry('https://old.example.com') });
    const list = migrateStoredState(new MapStore(), vault, 'https://chat.example.com');
    expect(list).toEqual({ servers: [], active: null });
    expect([...vault.data.keys()]).toEqual([]);
  });

  it('signed out with a chosen server: the server is kept, nothing is in the vault', () => {
    const vault = new MapStore();
    const list = migrateStoredState(
      new MapStore({ serverUrl: 'https://chat.example.com' }),
      vault,
      'https://chat.example.com',
    );
    expect(list).toEqual({ servers: [{ url: 'https://chat.example.com' }], active: 'https://chat.example.com' });
    expect(vault.data.size).toBe(0);
  });

  it('runs once: a second start changes neither file', () => {
    const settings = new MapStore({ serverUrl: 'https://chat.example.com' });
    const vault = new MapStore({ [LEGACY_TOKEN_KEY]: entry('https://chat.example.com') });
    const first = migrateStoredState(settings, vault, 'https://chat.example.com');
    // A later single-server-era write (a downgrade and back) does not override the list.
    vault.set(LEGACY_TOKEN_KEY, entry('https://chat.example.com'));
    const second = migrateStoredState(settings, vault, 'https://other.example.com');
    expect(second).toEqual(first);
    expect(vault.get(LEGACY_TOKEN_KEY)).toBeDefined();
  });

  it('a hand-edited list keeps what is valid of it and never an address that could break the CSP', () => {
    const settings = new MapStore({
      [SERVERS_KEY]: {
        servers: [
          { url: 'https://a.example.com/' },
          { url: 'http://evil;script-src' },
          { url: 'https://b.example.com' },
        ],
        active: 'https://b.example.com',
      },
    });
    expect(migrateStoredState(settings, new MapStore(), 'https://x.example.com')).toEqual({
      servers: [{ url: 'https://a.example.com' }, { url: 'https://b.example.com' }],
      active: 'https://b.example.com',
    });
  });
});
