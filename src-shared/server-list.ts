// The servers a person has added, in the order of the server rail, and the one open now. Main keeps it
// (settings.json) and the web bridge keeps it (localStorage); both change it only through these
// functions, so a server is always named by its address as normalizeServerUrl writes it, appears once
// per origin (its token in the vault is keyed by origin), and the open one is always one of the list.
import { isServerUrl, MAX_SERVER_URL, normalizeServerUrl } from './server-address.ts';

export interface ServerEntry {
  /** The address as normalizeServerUrl writes it, e.g. "https://chat.example.com". */
  url: string;
}

export interface ServerList {
  /** In the order of the rail; Ctrl/Cmd+1…9 open the first nine. */
  servers: ServerEntry[];
  /** The server shown now: one of `servers`, or null when there is none. */
  active: string | null;
}

/** More than anyone belongs to; keeps the CSP, the rail and settings.json bounded. */
export const MAX_SERVERS = 30;

export const EMPTY_SERVER_LIST: ServerList = Object.freeze({ servers: [], active: null }) as ServerList;

/** `scheme://host[:port]` of an address: what a token, an outbox and the request guards are keyed by. */
export function serverOrigin(url: string): string {
  return new URL(url).origin;
}

/** How the rail and a notification name a server: its host (with a port when it has one). */
export function serverLabel(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** True for a well-formed list: what main and the web bridge read back is checked, never trusted. */
export function isServerList(value: unknown): value is ServerList {
  if (typeof value !== 'object' || value === null) return false;
  const { servers, active } = value as Partial<Record<keyof ServerList, unknown>>;
  if (!Array.isArray(servers) || servers.length > MAX_SERVERS) return false;
  const urls = servers.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null ? (entry as { url?: unknown }).url : undefined,
  );
  if (!urls.every((url) => isServerUrl(url) && normalizeServerUrl(url) === url)) return false;
  const origins = new Set((urls as string[]).map(serverOrigin));
  if (origins.size !== urls.length) return false;
  return active === null ? urls.length === 0 : typeof active === 'string' && urls.includes(active);
}

/** The list as stored, or one made from what can be kept of it (an address that is no longer valid is dropped). */
export function readServerList(value: unknown): ServerList {
  if (isServerList(value)) return { servers: value.servers.map(({ url }) => ({ url })), active: value.active };
  const raw = (value as { servers?: unknown } | null)?.servers;
  let list: ServerList = EMPTY_SERVER_LIST;
  if (Array.isArray(raw))
    for (const entry of raw) list = addServer(list, (entry as { url?: unknown } | null)?.url, { activate: false });
  const active = (value as { active?: unknown } | null)?.active;
  return typeof active === 'string' && findServer(list, active) ? activateServer(list, active) : list;
}

/** The added server with this address or origin, if any. */
export function findServer(list: ServerList, url: string): ServerEntry | undefined {
  let origin: string;
  try {
    origin = serverOrigin(url);
  } catch {
    return undefined;
  }
  return list.servers.find((entry) => serverOrigin(entry.url) === origin);
}

/**
 * The list with the server added at the end (and opened, unless `activate` is false). An address of
 * an origin already added replaces that entry's address in place (one token per origin); an address
 * normalizeServerUrl refuses, or one past MAX_SERVERS, leaves the list as it was.
 */
export function addServer(list: ServerList, url: unknown, { activate = true } = {}): ServerList {
  const accepted = typeof url === 'string' && url.length <= MAX_SERVER_URL ? normalizeServerUrl(url) : null;
  if (accepted === null) return list;
  const existing = findServer(list, accepted);
  let servers: ServerEntry[];
  if (existing) servers = list.servers.map((entry) => (entry === existing ? { url: accepted } : entry));
  else if (list.servers.length >= MAX_SERVERS) return list;
  else servers = [...list.servers, { url: accepted }];
  const keepActive = list.active !== null && list.active !== existing?.url ? list.active : accepted;
  return { servers, active: activate ? accepted : keepActive };
}

/** The list without the server; when it was the open one, its neighbour (the one before, else after) opens. */
export function removeServer(list: ServerList, url: string): ServerList {
  const gone = findServer(list, url);
  if (!gone) return list;
  const index = list.servers.indexOf(gone);
  const servers = list.servers.filter((entry) => entry !== gone);
  if (list.active !== gone.url) return { servers, active: list.active };
  const next = servers[Math.max(0, index - 1)];
  return { servers, active: next?.url ?? null };
}

/** The list with this server open; an address not in the list changes nothing. */
export function activateServer(list: ServerList, url: string): ServerList {
  const entry = findServer(list, url);
  return entry ? { servers: list.servers, active: entry.url } : list;
}

/** The origins requests may go to: the CSP and main's request guard allow these and nothing else remote. */
export function allowedOrigins(list: ServerList): string[] {
  return list.servers.map((entry) => serverOrigin(entry.url));
}
