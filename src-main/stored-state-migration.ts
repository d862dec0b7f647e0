// Palaver stored one server (settings.json `serverUrl`) and one token (vault.json `auth`, scoped to the
// server's origin) until several servers came. An install that updates keeps its session: its server
// becomes the first (and open) one of the list, its token moves to that server's key, unchanged (still
// the same ciphertext: nothing is decrypted here). Runs once, at start, before anything reads either file;
// a second run finds the list and changes nothing.
import {
  addServer,
  EMPTY_SERVER_LIST,
  readServerList,
  serverOrigin,
  type ServerList,
} from '../src-shared/server-list.ts';
import type { KeyValueStore } from './vault.ts';

/** The key of the single token before several servers (vault.ts wrote it). */
export const LEGACY_TOKEN_KEY = 'auth';
/** Where settings.json keeps the list. */
export const SERVERS_KEY = 'servers';

/** The vault key of one server's token. The vault store is read without dot paths: origins have dots. */
export function tokenKey(origin: string): string {
  return `auth:${origin}`;
}

/**
 * The stored list, made from the single-server state on the first run after the update.
 * `currentServer` is the server that state was for: the setting, or the build's default when the
 * person never chose one (what the old app connected to).
 */
export function migrateStoredState(settings: KeyValueStore, vault: KeyValueStore, currentServer: string): ServerList {
  const stored = settings.get(SERVERS_KEY);
  if (stored !== undefined) return readServerList(stored);
  let list = EMPTY_SERVER_LIST;
  const chosen = settings.get('serverUrl');
  if (typeof chosen === 'string') list = addServer(list, chosen);
  const token = vault.get(LEGACY_TOKEN_KEY);
  if (token !== undefined) {
    const origin = serverOrigin(currentServer);
    const scope = typeof token === 'object' && token !== null ? (token as { scope?: unknown }).scope : undefined;
    // A token saved for another server was never going to be loaded (vault.ts discarded it): it goes.
    if (scope === undefined || scope === origin) {
      list = addServer(list, currentServer);
      if (vault.get(tokenKey(origin)) === undefined) vault.set(tokenKey(origin), { ...token, scope: origin });
    }
    vault.delete(LEGACY_TOKEN_KEY);
  }
  settings.set(SERVERS_KEY, list);
  return list;
}
