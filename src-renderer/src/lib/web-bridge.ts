// The bridge for a plain browser, where there is no Electron main process: the servers added live in
// localStorage, each server's token in sessionStorage (gone when the tab closes, kept across reloads),
// notifications use the Web
// Notification API, folded into summaries by the same batcher as main's, and the unread count goes into
// the page title.
import type {
  NotificationRequest,
  OutboxEntry,
  PalaverBridge,
  VaultLoadResult,
  VaultStatus,
} from '../../../src-shared/ipc.ts';
import { isOutboxEntry, roomOpenArguments } from '../../../src-shared/ipc.ts';
import { NotificationBatcher, type ShownNotification } from '../../../src-shared/notification-batcher.ts';
import { normalizeServerUrl } from '../../../src-shared/server-address.ts';
import {
  activateServer,
  addServer,
  findServer,
  readServerList,
  removeServer,
  serverOrigin,
  type ServerList,
} from '../../../src-shared/server-list.ts';
import { IdbOutboxFiles } from './outbox-files-idb.ts';
import { countText } from './unread.ts';
import { webPresenceHints } from './web-idle.ts';

/** The token and the server of the single-server app, read once by migrateWebState. */
const LEGACY_AUTH_KEY = 'palaver:auth';
const LEGACY_SERVER_KEY = 'palaver:server';
const SERVERS_KEY = 'palaver:servers';
const authKey = (server: string) => `palaver:auth:${serverOrigin(server)}`;

/**
 * The servers added, made once from the single-server state: the server a tab used (chosen, or the
 * page's default) comes first, and the tab's token moves to that server's key, so it stays signed in.
 */
export function migrateWebState(win: Window, defaultServer: string): ServerList {
  const stored = win.localStorage.getItem(SERVERS_KEY);
  let list = readServerList(stored === null ? null : safeParse(stored));
  const legacyAuth = win.sessionStorage.getItem(LEGACY_AUTH_KEY);
  if (stored !== null && legacyAuth === null) return list;
  const legacyServer = normalizeServerUrl(win.localStorage.getItem(LEGACY_SERVER_KEY));
  const server = legacyServer ?? normalizeServerUrl(defaultServer);
  if (server !== null && (legacyAuth !== null || legacyServer !== null)) {
    list = addServer(list, server, { activate: list.active === null });
    if (legacyAuth !== null && win.sessionStorage.getItem(authKey(server)) === null)
      win.sessionStorage.setItem(authKey(server), legacyAuth);
  }
  win.sessionStorage.removeItem(LEGACY_AUTH_KEY);
  win.localStorage.setItem(SERVERS_KEY, JSON.stringify(list));
  return list;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
const status: VaultStatus = {
  persistent: false,
  reason: 'In a browser, Palaver keeps you signed in only while this tab is open.',
};

export function createWebBridge(defaultServer: string, win: Window = window): PalaverBridge {
  const openRoomListeners = new Set<(roomId: string, threadId?: string, messageId?: string, server?: string) => void>();
  let servers = migrateWebState(win, defaultServer);
  const saveServers = (list: ServerList) => {
    servers = list;
    win.localStorage.setItem(SERVERS_KEY, JSON.stringify(list));
    return list;
  };
  /** As main does: only a server added has a token. */
  const added = (server: string): string => {
    if (!findServer(servers, server)) throw new Error(`No server ${server} is added; add it before signing in.`);
    return authKey(server);
  };
  const signOutListeners = new Set<() => void>();
  const baseTitle = win.document.title || 'Palaver';
  const Notifier = (win as Window & { Notification?: typeof Notification }).Notification;

  const show = (shown: ShownNotification) => {
    if (!Notifier) return;
    // One tag per room replaces that room's last notification; summaries replace each other.
    const notification = new Notifier(shown.title, { body: shown.body, tag: shown.roomId ?? 'palaver-summary' });
    notification.onclick = () => {
      win.focus();
      const { roomId, threadId, messageId, server } = shown;
      // A message shown alone opens the room at it (a thread reply's, in its thread); a summary, only its
      // room; what was not asked for is not passed, as Electron does.
      if (roomId !== undefined) {
        const open = roomOpenArguments({
          roomId,
          ...(threadId === undefined ? {} : { threadId }),
          ...(messageId === undefined ? {} : { messageId }),
          ...(server === undefined ? {} : { server }),
        });
        for (const listener of openRoomListeners) listener(...open);
      }
      notification.close();
    };
  };
  const batcher = new NotificationBatcher({ show });
  let idb: IdbOutboxFiles | null = null;
  const outboxFiles = () => {
    if (!win.indexedDB) return null;
    idb ??= new IdbOutboxFiles(win.indexedDB);
    return idb;
  };

  return {
    kind: 'web',
    vault: {
      async load(server): Promise<VaultLoadResult> {
        return { value: win.sessionStorage.getItem(added(server)), status };
      },
      async save(server, serialized) {
        if (serialized) win.sessionStorage.setItem(added(server), serialized);
        else win.sessionStorage.removeItem(added(server));
        return status;
      },
      async clear(server) {
        win.sessionStorage.removeItem(added(server));
      },
    },
    servers: {
      async get() {
        return { list: servers, suggested: defaultServer };
      },
      // As main does: only an address it accepts, written the one way, so get() returns what was added.
      async add(url) {
        const list = addServer(servers, url);
        if (list === servers)
          throw new Error(
            `Not a server address: ${url}. Use an http:// or https:// address without a user name or password.`,
          );
        return saveServers(list);
      },
      async remove(url) {
        if (findServer(servers, url)) win.sessionStorage.removeItem(authKey(url));
        return saveServers(removeServer(servers, url));
      },
      async activate(url) {
        saveServers(activateServer(servers, url));
      },
    },
    async notify(request: NotificationRequest) {
      if (!Notifier) return;
      if (Notifier.permission === 'default') await Notifier.requestPermission();
      if (Notifier.permission !== 'granted') return;
      batcher.push(request);
    },
    async setUnreadCount(count) {
      win.document.title = count > 0 ? `(${countText(count)}) ${baseTitle}` : baseTitle;
    },
    async openExternal(url) {
      if (new URL(url).protocol === 'https:') win.open(url, '_blank', 'noopener,noreferrer');
    },
    // Unsent messages survive a reload and a closed tab in localStorage, per account and server; their
    // files in IndexedDB (outbox-files-idb.ts, part of the first load: offline, a lazy chunk cannot load).
    outbox: {
      async load(scope): Promise<OutboxEntry[]> {
        const entries = savedOutbox(win, scope);
        const named = fileKeys(entries);
        const files = outboxFiles();
        if (files) {
          // Files put for a message the page never saved (it closed in between) are nobody's.
          const orphans = (await files.keys(scope).catch(() => [])).filter((key) => !named.has(key));
          await files.delete(scope, orphans).catch(() => undefined);
        }
        return entries;
      },
      async save(scope, entries) {
        const before = fileKeys(savedOutbox(win, scope));
        if (entries.length === 0) win.localStorage.removeItem(`palaver:outbox:${scope}`);
        else win.localStorage.setItem(`palaver:outbox:${scope}`, JSON.stringify(entries));
        const after = fileKeys(entries);
        await outboxFiles()?.delete(
          scope,
          [...before].filter((key) => !after.has(key)),
        );
      },
      async putFile(scope, key, bytes) {
        const files = outboxFiles();
        if (!files)
          throw new Error(
            'this browser does not let Palaver keep files (site storage is off); allow storage for this site, or use the desktop app',
          );
        await files.put(scope, key, bytes);
      },
      async getFile(scope, key) {
        return (await outboxFiles()?.get(scope, key)) ?? null;
      },
    },
    // The browser's own download: PocketBase serves the file as an attachment when asked with download=1.
    async downloadFile(url, name) {
      const link = win.document.createElement('a');
      const target = new URL(url);
      target.searchParams.set('download', '1');
      link.href = target.href;
      link.download = name;
      link.rel = 'noopener';
      link.click();
      return true;
    },
    // A web page is updated by its server, not by itself: there is nothing to check or turn off.
    updates: {
      async get() {
        return { enabled: false, status: null, supported: false };
      },
      async set() {},
    },
    presenceHints: webPresenceHints(win),
    onOpenRoom(listener) {
      openRoomListeners.add(listener);
      return () => openRoomListeners.delete(listener);
    },
    onSignOutRequested(listener) {
      signOutListeners.add(listener);
      return () => signOutListeners.delete(listener);
    },
  };
}

function savedOutbox(win: Window, scope: string): OutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(win.localStorage.getItem(`palaver:outbox:${scope}`) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isOutboxEntry) : [];
  } catch {
    return [];
  }
}

function fileKeys(entries: readonly OutboxEntry[]): Set<string> {
  return new Set(entries.flatMap((entry) => (entry.files ?? []).map((file) => file.key)));
}

/** The Electron bridge when the preload exposed one, else the web one. */
export function chooseBridge(win: Window & { palaver?: PalaverBridge } = window): PalaverBridge {
  return win.palaver ?? createWebBridge(import.meta.env.RENDERER_VITE_PALAVER_SERVER || win.location.origin, win);
}
