// The servers added, kept in settings.json, and one token vault per server, keyed by its origin. Main
// answers the renderer's servers:* and vault:* requests through this: a token is only ever read or
// written for a server in the list, and removing a server removes its token.
import {
  activateServer,
  addServer,
  allowedOrigins,
  findServer,
  removeServer,
  serverOrigin,
  type ServerList,
} from '../src-shared/server-list.ts';
import { SERVERS_KEY, tokenKey } from './stored-state-migration.ts';
import type { KeyValueStore, TokenVault } from './vault.ts';

/**
 * The servers a page's Content-Security-Policy allows: those added, or with none added the one the
 * sign-in form suggests (so signing in to it needs no reload).
 */
export function policyServers(list: ServerList, suggested: string): string[] {
  return list.servers.length > 0 ? list.servers.map((entry) => entry.url) : [suggested];
}

/** Whether a page loaded with the policy of `loaded` must load again to allow exactly `now`. */
export function policyChanged(loaded: readonly string[], now: readonly string[]): boolean {
  const origins = (urls: readonly string[]) => new Set(urls.map(serverOrigin));
  const [before, after] = [origins(loaded), origins(now)];
  return before.size !== after.size || [...after].some((origin) => !before.has(origin));
}

export interface ServerRegistryOptions {
  settings: KeyValueStore;
  /** The list after migration (stored-state-migration.ts). */
  initial: ServerList;
  /** Makes the vault of one server: its store key and scope come from the origin. */
  vault(key: string, origin: string): TokenVault;
  /** The list changed (added or removed): request guards follow, the page reloads for its policy. */
  changed?(list: ServerList): void;
}

export class ServerRegistry {
  #list: ServerList;
  readonly #vaults = new Map<string, TokenVault>();

  constructor(private readonly options: ServerRegistryOptions) {
    this.#list = options.initial;
  }

  get list(): ServerList {
    return this.#list;
  }

  /** The origins the renderer may talk to: the CSP and the download guard allow these. */
  get origins(): string[] {
    return allowedOrigins(this.#list);
  }

  /** The vault of an added server; anything else is refused, so no token is kept for a server not chosen. */
  vault(url: string): TokenVault {
    const entry = findServer(this.#list, url);
    if (!entry) throw new Error(`no server ${JSON.stringify(url.slice(0, 200))} is added; add it before signing in`);
    const origin = serverOrigin(entry.url);
    let vault = this.#vaults.get(origin);
    if (!vault) {
      vault = this.options.vault(tokenKey(origin), origin);
      this.#vaults.set(origin, vault);
    }
    return vault;
  }

  add(url: string): ServerList {
    const before = this.#list;
    this.#save(addServer(before, url));
    if (this.#list.servers.length === before.servers.length && !findServer(before, url))
      throw new Error(`cannot add ${JSON.stringify(url.slice(0, 200))}: not a server address, or too many servers`);
    this.options.changed?.(this.#list);
    return this.#list;
  }

  /** Removes the server and its token (signed out there); its outbox stays under its own scope. */
  async remove(url: string): Promise<ServerList> {
    if (!findServer(this.#list, url)) return this.#list;
    await this.vault(url).clear();
    this.#vaults.delete(serverOrigin(url));
    this.#save(removeServer(this.#list, url));
    this.options.changed?.(this.#list);
    return this.#list;
  }

  activate(url: string): void {
    this.#save(activateServer(this.#list, url));
  }

  #save(list: ServerList): void {
    this.#list = list;
    this.options.settings.set(SERVERS_KEY, list);
  }
}
