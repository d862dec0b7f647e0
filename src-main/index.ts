// The main process: wiring only. Each concern lives in its own module.
import { app, BrowserWindow, dialog, ipcMain, safeStorage, shell, type IpcMainInvokeEvent } from 'electron';
import Store from 'electron-store';
import { createAppSettings, serverSetting, type SettingsStore } from './app-settings.ts';
import { registerIpcHandlers, sendEvent, type IpcHandlers } from './ipc.ts';
import { createNotifier, type Notifier } from './notify.ts';
import { safeStorageCipher } from './safe-storage-cipher.ts';
import { contentSecurityPolicy, cspOrigin, isSafeExternalUrl, isTrustedRendererUrl, normalizeServerUrl } from './security.ts';
import { createTray, type TrayController } from './tray.ts';
import { OutboxStore } from './outbox-store.ts';
import { TokenVault } from './vault.ts';
import { createMainWindow, hardenSession, hardenWebContents, registerAppScheme, rendererTarget, serveRenderer, showWindow } from './window.ts';

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
/** Set once IPC handlers exist: a window opened earlier would call into nothing. */
let started = false;

if (!app.requestSingleInstanceLock()) {
  // Another Palaver is running; it gets the 'second-instance' event and comes to the front.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (started) showMainWindow();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, target));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (started) showMainWindow();
  });
  app.on('before-quit', () => {
    notifier?.dispose();
    tray?.destroy();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`Palaver could not start: ${detail}`);
    dialog.showErrorBox(
      'Palaver could not start',
      `${error instanceof Error ? error.message : String(error)}\n\nTry starting Palaver again; if this keeps happening, report this message.`,
    );
    app.exit(1);
  });
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
  const server = serverSetting(appSettings, app.isPackaged ? undefined : process.env['PALAVER_SERVER']);

  // The token file holds ciphertext only (see vault.ts); it is still nobody else's business.
  const vaultStore = new Store<Record<string, unknown>>({ name: 'vault', clearInvalidConfig: true, configFileMode: 0o600 });
  // Scoped to the server's origin: a token is only ever loaded for the server that issued it.
  const vault = new TokenVault(safeStorageCipher(safeStorage), vaultStore, process.platform, {
    scope: () => cspOrigin(server.get()) ?? server.get(),
  });
  // Unsent messages, so quitting does not lose them. Their text is no secret from the account's own
  // machine (the server has it once sent), but the file is private to the user all the same.
  const outbox = new OutboxStore(new Store<Record<string, unknown>>({ name: 'outbox', clearInvalidConfig: true, configFileMode: 0o600 }));
  const initialStatus = await vault.status();
  if (!initialStatus.persistent) console.warn(`Palaver: ${initialStatus.reason}`);

  serveRenderer(target, () => contentSecurityPolicy(server.get(), { devServerUrl: target.devServerUrl }));
  hardenSession(target);

  const doNotDisturb = appSettings.get('doNotDisturb') === true;
  const notifications = createNotifier({ showWindow: showMainWindow, doNotDisturb });
  notifier = notifications;

  const setDoNotDisturb = (on: boolean) => {
    appSettings.set('doNotDisturb', on);
    notifications.doNotDisturb = on;
    tray?.update({ doNotDisturb: on });
  };
  const setSignedIn = (signedIn: boolean) => tray?.update({ signedIn });

  tray = createTray({
    initial: { unread: 0, doNotDisturb, signedIn: false },
    onOpen: () => showMainWindow(),
    onToggleDoNotDisturb: setDoNotDisturb,
    onSignOut: () => {
      if (mainWindow !== null && !mainWindow.isDestroyed()) {
        // The renderer signs out its SDK client, which clears the vault through vault:save('').
        sendEvent(mainWindow.webContents, 'session:sign-out', {});
      } else {
        void vault.clear().then(() => setSignedIn(false));
      }
    },
    onQuit: () => app.quit(),
  });

  const handlers: IpcHandlers = {
    'vault:load': async () => {
      const result = await vault.load();
      setSignedIn(result.value !== null);
      return result;
    },
    'vault:save': async (serialized) => {
      const status = await vault.save(serialized);
      setSignedIn(serialized !== '');
      return status;
    },
    'vault:clear': async () => {
      await vault.clear();
      setSignedIn(false);
    },
    'server:get': () => server.get(),
    'server:set': (url) => {
      const accepted = normalizeServerUrl(url);
      if (accepted === null) {
        throw new Error('IPC server:set: the server host may contain only letters, digits, dots and dashes');
      }
      // The vault's scope now names the new server, so the old server's token is not loaded again.
      server.set(accepted);
      // Reload after the reply is on its way, so the new Content-Security-Policy lets the server in.
      setImmediate(() => {
        if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.reload();
      });
    },
    'notify:show': (request) => {
      // The renderer decided that this message deserves a notification; main applies DND and batching.
      notifications.push({ roomId: request.roomId, title: request.title, body: request.body });
    },
    'unread:set': (count) => tray?.update({ unread: count }),
    'link:open': async (url) => {
      if (!isSafeExternalUrl(url)) {
        console.warn(`Palaver: not opening ${JSON.stringify(url.slice(0, 200))}: only https: links without credentials open in the browser.`);
        return;
      }
      try {
        await shell.openExternal(url);
      } catch (error) {
        console.error(`Palaver: opening ${url} in the browser failed (${String(error)}). Check your default browser setting.`);
      }
    },
    'outbox:load': (scope) => outbox.load(scope),
    'outbox:save': (scope, entries) => outbox.save(scope, entries),
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
}
