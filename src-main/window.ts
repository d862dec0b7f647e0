// The main window, how the renderer is served, and the guards every web contents gets.
import { app, BrowserWindow, protocol, screen, session, shell, type Session, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { serveAppRequest } from './app-protocol.ts';
import type { SettingsStore } from './app-settings.ts';
import { sendEvent } from './ipc.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  cspOrigin,
  isSafeExternalUrl,
  isTrustedRendererUrl,
  permissionAllowed,
  windowWebPreferences,
} from './security.ts';
import { restoreBounds } from './window-state.ts';

/** Where the renderer comes from in this run. */
export interface RendererTarget {
  /** What the window loads. */
  url: string;
  /** The only origin trusted for IPC, navigation and permissions. */
  origin: string;
  /** Set in development: the Vite dev server. */
  devServerUrl?: string;
}

// electron-vite emits the sandboxed preload as CommonJS; with "type": "module" in package.json the
// file is named .cjs. The main bundle lives in out/main/, next to out/preload/ and out/renderer/.
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

/** Must run before app 'ready': app:// needs to be a standard, secure origin with fetch support. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function rendererTarget(): RendererTarget {
  const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
  // A packaged app ignores the variable: otherwise anyone who can set an environment variable could
  // load their own page with the bridge attached.
  if (!app.isPackaged && devServerUrl) {
    const origin = cspOrigin(devServerUrl);
    if (origin !== null) return { url: devServerUrl, origin, devServerUrl };
    console.error(
      `Palaver: ignoring ELECTRON_RENDERER_URL=${JSON.stringify(devServerUrl)}, which is not an http(s) URL; loading the built renderer.`,
    );
  }
  return { url: `${APP_ORIGIN}/index.html`, origin: APP_ORIGIN };
}

/**
 * Serves the renderer with its Content-Security-Policy: through app:// in production, or by adding
 * the header to the dev server's page in development. `csp` is asked per response, so a changed server
 * takes effect on the next reload.
 */
export function serveRenderer(target: RendererTarget, csp: () => string, ses: Session = session.defaultSession): void {
  if (target.devServerUrl === undefined) {
    ses.protocol.handle(APP_SCHEME, (request) =>
      serveAppRequest(request, { rendererDir: RENDERER_DIR, contentSecurityPolicy: csp }).catch((error: unknown) => {
        console.error(`Palaver: serving ${request.url} failed (${String(error)}). Rebuild the app (npm run build).`);
        return new Response('Internal Error', { status: 500 });
      }),
    );
    return;
  }
  ses.webRequest.onHeadersReceived({ urls: [`${target.origin}/*`] }, (details, callback) => {
    if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') {
      callback({});
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp()] } });
  });
}

/** Session-wide: which permissions the renderer gets, asked or merely checked. */
export function hardenSession(target: RendererTarget, ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(permissionAllowed(permission) && isTrustedRendererUrl(details.requestingUrl, target.origin));
  });
  ses.setPermissionCheckHandler(
    (_webContents, permission, requestingOrigin) =>
      permissionAllowed(permission) && isTrustedRendererUrl(requestingOrigin, target.origin),
  );
  ses.setDevicePermissionHandler(() => false);
}

/**
 * For every web contents (app.on('web-contents-created')): no navigation away from the app, no new
 * windows (safe https links go to the system browser), no <webview>.
 */
export function hardenWebContents(contents: WebContents, target: RendererTarget): void {
  const guardNavigation = (event: { preventDefault(): void; url: string }) => {
    if (isTrustedRendererUrl(event.url, target.origin)) return;
    event.preventDefault();
    openExternally(event.url);
  };
  contents.on('will-navigate', (event) => guardNavigation(event));
  contents.on('will-redirect', (event) => {
    if (!isTrustedRendererUrl(event.url, target.origin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openExternally(url: string): void {
  if (!isSafeExternalUrl(url)) {
    console.warn(
      `Palaver: not opening ${JSON.stringify(url.slice(0, 200))}: only https: links without credentials open in the browser.`,
    );
    return;
  }
  shell.openExternal(url).catch((error: unknown) => {
    console.error(
      `Palaver: opening ${url} in the browser failed (${String(error)}). Check your default browser setting.`,
    );
  });
}

export interface MainWindowOptions {
  target: RendererTarget;
  settings: SettingsStore;
}

const SAVE_BOUNDS_DELAY_MS = 500;

export function createMainWindow({ target, settings }: MainWindowOptions): BrowserWindow {
  const bounds = restoreBounds(
    settings.get('windowBounds'),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 480,
    minHeight: 400,
    title: 'Palaver',
    show: false,
    webPreferences: windowWebPreferences({ preload: PRELOAD_PATH, devTools: !app.isPackaged }),
  });
  window.once('ready-to-show', () => window.show());

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveBounds = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (window.isDestroyed()) return;
    // Normal bounds, so a maximized or minimized window restores to the size it had before.
    settings.set('windowBounds', window.getNormalBounds());
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveBounds, SAVE_BOUNDS_DELAY_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', saveBounds);

  let lastCrash = 0;
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    // One automatic reload; a renderer that keeps crashing is left for the user to see and report.
    const reload = Date.now() - lastCrash > 30_000;
    lastCrash = Date.now();
    console.error(
      `Palaver: the window's renderer stopped (${details.reason}, exit code ${details.exitCode}); ` +
        (reload ? 'reloading it.' : 'it crashed again, so it is not reloaded; restart Palaver and report this.'),
    );
    if (reload) window.webContents.reload();
  });
  window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (!isMainFrame) return;
    console.error(
      `Palaver: loading ${url} failed (${code} ${description}). ` +
        (target.devServerUrl === undefined
          ? 'Rebuild the app (npm run build).'
          : 'Is the dev server running (npm start)?'),
    );
  });

  window.loadURL(target.url).catch(() => {
    // Reported through did-fail-load.
  });
  return window;
}

/**
 * Asks the window's page to open a room (a notification was clicked, a palaver:// link was opened), and
 * with a thread reply's notification that thread beside it; at one message when the notification or the
 * link names it. A page that is still loading has no listener yet, so it is sent once loaded; the
 * preload keeps it from there until the chat listens (src-preload/api.ts).
 */
export function sendRoomOpen(
  window: BrowserWindow,
  roomId: string,
  threadId?: string,
  messageId?: string,
  server?: string,
): void {
  const payload = {
    roomId,
    ...(threadId === undefined ? {} : { threadId }),
    ...(messageId === undefined ? {} : { messageId }),
    ...(server === undefined ? {} : { server }),
  };
  const send = () => {
    if (!window.isDestroyed()) sendEvent(window.webContents, 'room:open', payload);
  };
  // A window created a moment ago may not have started loading yet: it has no URL then.
  if (window.webContents.isLoading() || window.webContents.getURL() === '')
    window.webContents.once('did-finish-load', send);
  else send();
}

/** Brings the window to the front, un-minimizing and un-hiding it. */
export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
