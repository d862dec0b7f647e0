// The main process: wiring only. Each concern lives in its own module.
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import Store from 'electron-store';
import { join, resolve } from 'node:path';
import { LINK_SCHEME } from '../src-shared/room-link.ts';
import { createAppSettings, serverSetting, type SettingsStore } from './app-settings.ts';
import { linkForLog, linkInArgv, parseDeepLink, type DeepLink } from './deep-link.ts';
import { registerIpcHandlers, sendEvent, type IpcHandlers } from './ipc.ts';
import { createNotifier, type Notifier } from './notify.ts';
import { PendingLink } from './pending-link.ts';
import { presenceHints } from './presence-hints.ts';
import { safeStorageCipher } from './safe-storage-cipher.ts';
import { contentSecurityPolicy, isSafeExternalUrl, isTrustedRendererUrl } from './security.ts';
import { linkServer } from './link-server.ts';
import { policyChanged, policyServers, ServerRegistry } from './server-registry.ts';
import { migrateStoredState } from './stored-state-migration.ts';
import { createTray, type TrayController } from './tray.ts';
import { createDownloader } from './download.ts';
import { OutboxFiles } from './outbox-files.ts';
import { OutboxStore } from './outbox-store.ts';
import { createUpdater, type Updater } from './updater.ts';
import { TokenVault, type KeyValueStore } from './vault.ts';
import {
  createMainWindow,
  hardenSession,
  hardenWebContents,
  registerAppScheme,
  rendererTarget,
  sendRoomOpen,
  serveRenderer,
  showWindow,
} from './window.ts';

// Before 'ready': privileged schemes and the sandbox cannot be changed later.
registerAppScheme();
app.enableSandbox();
// Windows shows notifications only for an app with an AppUserModelID (the installer must use the same).
if (process.platform === 'win32') app.setAppUserModelId('com.palaver.desktop');

const target = rendererTarget();

let mainWindow: BrowserWindow | null = null;
let settings: SettingsStore | null = null;
let tray: TrayController | null = null;
let notifier: Notifier | null = null;
let updater: Updater | null = null;
let registry: ServerRegistry | null = null;
/** The servers the page was served with a policy for, and how to ask what it should be now. */
let pagePolicy: string[] = [];
let currentPolicy: () => string[] = () => [];
/** Set once IPC handlers exist: a window opened earlier would call into nothing. */
let started = false;
/** The room (or message) of a palaver:// link that came before start() could open it (see pending-link.ts). */
const pendingLink = new PendingLink<DeepLink>();

if (!app.requestSingleInstanceLock()) {
  // Another Palaver is running; it gets the 'second-instance' event and comes to the front.
  app.quit();
} else {
  // macOS hands over links in 'open-url', the one that launched Palaver too, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    acceptLink(url);
  });
  // Windows and Linux start another Palaver for a link; it quits at once (above) and its argv comes here.
  app.on('second-instance', (_event, argv) => {
    const link = linkInArgv(argv);
    if (link !== null) acceptLink(link);
    // Even for a refused link: Palaver was started again, so it should come to the front.
    if (started) showMainWindow();
  });
  // Windows and Linux: the link that started this first instance is one of its arguments.
  const startLink = linkInArgv(process.argv);
  if (startLink !== null) acceptLink(startLink);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, target));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (started) showMainWindow();
  });
  app.on('before-quit', () => {
    notifier?.dispose();
    updater?.dispose();
    tray?.destroy();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`Palaver could not start: ${detail}`);
      dialog.showErrorBox(
        'Palaver could not start',
        `${error instanceof Error ? error.message : String(error)}\n\nTry starting Palaver again; if this keeps happening, report this message.`,
      );
      app.exit(1);
    });
}

/** A palaver:// link from the system: its room is opened (now or once started), anything else is ignored. */
function acceptLink(url: string): void {
  const link = parseDeepLink(url);
  if (link === null) {
    console.warn(
      `Palaver: ignoring the link ${linkForLog(url)}: only palaver://[<server>/]room/<room id> links (and /message/<message id> in them) open in Palaver.`,
    );
    return;
  }
  pendingLink.push(link);
}

/**
 * Shows the window and has the renderer open the room (at the link's message) on the link's server, as a
 * notification click does. A server not added yet is offered first: a link can come from anyone.
 */
async function openRoom(link: DeepLink): Promise<void> {
  try {
    if (registry === null) throw new Error('the servers are not loaded yet');
    const target = linkServer(link, registry.list);
    const window = showMainWindow();
    if (target.kind === 'offer') {
      const { response } = await dialog.showMessageBox(window, {
        type: 'question',
        buttons: ['Add server', 'Cancel'],
        defaultId: 0,
        cancelId: 1,
        message: `Add the server ${target.server}?`,
        detail: `The link opens a room on ${target.server}, which you have not added. Add it only if you know it; you sign in to it next.`,
      });
      if (response !== 0) return;
      registry.add(target.server);
    }
    const messageId = link.kind === 'message' ? link.messageId : undefined;
    const open = () => sendRoomOpen(window, link.roomId, undefined, messageId, target.server ?? undefined);
    // Asked for once the page has loaded again with a policy that allows the server added.
    if (target.kind === 'offer' && reloadForServers()) window.webContents.once('did-finish-load', open);
    else open();
  } catch (error) {
    console.error(`Palaver: could not open the room ${link.roomId} (${String(error)}).`);
  }
}

/**
 * The servers added changed: the page's Content-Security-Policy names them, and a page keeps the policy it
 * was loaded with, so it loads again (after the reply to the renderer is on its way). Sessions, drafts
 * and unsent messages are all kept outside the page and come back with it.
 */
function reloadForServers(): boolean {
  if (!policyChanged(pagePolicy, currentPolicy())) return false;
  setImmediate(() => {
    if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.reload();
  });
  return true;
}

/**
 * Makes Palaver the handler of palaver:// links. The installers register it too (electron-builder's
 * `protocols`); this repeats it for the copy that runs, as Electron's docs advise. An unpackaged run
 * is `electron <app folder>`, so the system must start Electron with that folder.
 */
function registerLinkScheme(): void {
  let registered: boolean;
  if (app.isPackaged) {
    registered = app.setAsDefaultProtocolClient(LINK_SCHEME);
  } else if (process.env['PALAVER_REGISTER_LINKS'] !== '1') {
    // A development or test run must not take palaver:// links away from an installed Palaver;
    // PALAVER_REGISTER_LINKS=1 npm start makes this run the handler, to try links out.
    return;
  } else {
    // The app folder is the first argument that is not a switch (Playwright, for one, puts switches first).
    const appFolder = process.argv.slice(1).find((arg) => !arg.startsWith('-'));
    registered =
      appFolder !== undefined && app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [resolve(appFolder)]);
  }
  if (!registered) {
    console.warn(
      `Palaver: could not register as the handler of ${LINK_SCHEME}:// links; links open Palaver only if its installer registered them.`,
    );
  }
}

function showMainWindow(): BrowserWindow {
  if (settings === null) throw new Error('the main window was asked for before the app was ready');
  if (mainWindow === null || mainWindow.isDestroyed()) {
    const window = createMainWindow({ target, settings });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
  }
  showWindow(mainWindow);
  return mainWindow;
}

async function start(): Promise<void> {
  const appSettings = createAppSettings();
  settings = appSettings;
  // Before several servers, the one server; now what the sign-in form suggests when none is added.
  const suggested = serverSetting(appSettings, app.isPackaged ? undefined : process.env['PALAVER_SERVER']);

  // The token file holds ciphertext only (see vault.ts); it is still nobody else's business. Its keys
  // name servers by origin, which have dots: no dot paths.
  const vaultStore = new Store<Record<string, unknown>>({
    name: 'vault',
    clearInvalidConfig: true,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
  });
  const cipher = safeStorageCipher(safeStorage);
  // One vault per server, each scoped to its origin: a token is only ever loaded for the server that issued it.
  const servers = new ServerRegistry({
    settings: appSettings as unknown as KeyValueStore,
    initial: migrateStoredState(appSettings as unknown as KeyValueStore, vaultStore, suggested.get()),
    vault: (key, origin) => new TokenVault(cipher, vaultStore, process.platform, { key, scope: () => origin }),
  });
  registry = servers;
  const activeServer = () => servers.list.active ?? suggested.get();
  // Unsent messages, so quitting does not lose them. Their text is no secret from the account's own
  // machine (the server has it once sent), but the file is private to the user all the same. Their
  // files' bytes are kept beside it, in userData/outbox-files (outbox-files.ts).
  const outboxFiles = new OutboxFiles(join(app.getPath('userData'), 'outbox-files'));
  const outbox = new OutboxStore(
    new Store<Record<string, unknown>>({ name: 'outbox', clearInvalidConfig: true, configFileMode: 0o600 }),
    outboxFiles,
  );
  // Before any window can put a file: files a crash left unnamed, and those of outboxes gone, go now.
  await outboxFiles.sweep(outbox.namedFiles()).catch((error: unknown) => {
    console.warn(
      `Palaver: could not clear unsent messages' leftover files (${String(error)}); they stay until the next start.`,
    );
  });
  const initialStatus = await new TokenVault(cipher, vaultStore, process.platform, { key: 'status' }).status();
  if (!initialStatus.persistent) console.warn(`Palaver: ${initialStatus.reason}`);

  currentPolicy = () => policyServers(servers.list, suggested.get());
  serveRenderer(target, () => {
    pagePolicy = currentPolicy();
    return contentSecurityPolicy(pagePolicy, { devServerUrl: target.devServerUrl });
  });
  hardenSession(target);

  const doNotDisturb = appSettings.get('doNotDisturb') === true;
  const notifications = createNotifier({ showWindow: showMainWindow, doNotDisturb });
  notifier = notifications;

  const setDoNotDisturb = (on: boolean) => {
    appSettings.set('doNotDisturb', on);
    notifications.doNotDisturb = on;
    tray?.update({ doNotDisturb: on });
  };
  // The tray's "Sign out" is there while any server is signed in.
  const signedIn = new Set<string>();
  const setSignedIn = (server: string, on: boolean) => {
    if (on) signedIn.add(server);
    else signedIn.delete(server);
    tray?.update({ signedIn: signedIn.size > 0 });
  };

  tray = createTray({
    initial: { unread: 0, doNotDisturb, signedIn: false, updateReady: false },
    onOpen: () => showMainWindow(),
    onToggleDoNotDisturb: setDoNotDisturb,
    onSignOut: () => {
      if (mainWindow !== null && !mainWindow.isDestroyed()) {
        // The renderer signs out of the open server, which clears its vault through vault:save('').
        sendEvent(mainWindow.webContents, 'session:sign-out', {});
      } else {
        const server = activeServer();
        if (servers.list.active !== null)
          void servers
            .vault(server)
            .clear()
            .then(() => setSignedIn(server, false));
      }
    },
    onInstallUpdate: () => updater?.installNow(),
    onQuit: () => app.quit(),
  });

  const updates = createUpdater({
    enabled: appSettings.get('autoUpdate') !== false,
    lastCheckAt: appSettings.get('updateCheckedAt'),
    saveEnabled: (on) => appSettings.set('autoUpdate', on),
    saveLastCheck: (at) => appSettings.set('updateCheckedAt', at),
    onUpdateReady: () => tray?.update({ updateReady: true }),
  });
  updater = updates;

  const download = createDownloader({
    session: session.defaultSession,
    window: () => mainWindow,
    serverUrl: activeServer,
  });

  const handlers: IpcHandlers = {
    'vault:load': async (server) => {
      const result = await servers.vault(server).load();
      setSignedIn(server, result.value !== null);
      return result;
    },
    'vault:save': async (server, serialized) => {
      const status = await servers.vault(server).save(serialized);
      setSignedIn(server, serialized !== '');
      return status;
    },
    'vault:clear': async (server) => {
      await servers.vault(server).clear();
      setSignedIn(server, false);
    },
    'servers:get': () => ({ list: servers.list, suggested: suggested.get() }),
    'servers:add': (url) => {
      const list = servers.add(url);
      void reloadForServers();
      return list;
    },
    'servers:remove': async (url) => {
      setSignedIn(url, false);
      const list = await servers.remove(url);
      void reloadForServers();
      return list;
    },
    'servers:activate': (url) => servers.activate(url),
    'notify:show': (request) => {
      // The renderer decided that this message deserves a notification; main applies DND and batching.
      const { roomId, roomLabel, author, direct, body, server } = request;
      notifications.push({ roomId, roomLabel, author, direct, body, ...(server === undefined ? {} : { server }) });
    },
    'unread:set': (count) => tray?.update({ unread: count }),
    'link:open': async (url) => {
      if (!isSafeExternalUrl(url)) {
        console.warn(
          `Palaver: not opening ${JSON.stringify(url.slice(0, 200))}: only https: links without credentials open in the browser.`,
        );
        return;
      }
      try {
        await shell.openExternal(url);
      } catch (error) {
        console.error(
          `Palaver: opening ${url} in the browser failed (${String(error)}). Check your default browser setting.`,
        );
      }
    },
    'outbox:load': (scope) => outbox.load(scope),
    'outbox:save': (scope, entries) => outbox.save(scope, entries),
    'outbox:put-file': (scope, key, bytes) => outboxFiles.put(scope, key, bytes),
    'outbox:get-file': (scope, key) => outboxFiles.get(scope, key),
    'download:file': (url, name) => download(url, name),
    'updates:get': () => updates.state(),
    'updates:set': (enabled) => updates.setEnabled(enabled),
    'presence:hints': () => presenceHints(() => appSettings.get('doNotDisturb') === true),
  };

  registerIpcHandlers<IpcMainInvokeEvent>(ipcMain, handlers, (event) => {
    const frame = event.senderFrame;
    return (
      frame !== null &&
      frame.parent === null &&
      mainWindow !== null &&
      !mainWindow.isDestroyed() &&
      event.sender === mainWindow.webContents &&
      isTrustedRendererUrl(frame.url, target.origin)
    );
  });

  started = true;
  showMainWindow();
  // Links that came while starting, then every later one, open their room.
  pendingLink.open((link) => void openRoom(link));
  registerLinkScheme();
}
