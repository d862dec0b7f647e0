// Security decisions of the main process, as pure functions so they can be tested without Electron.
import type { WebPreferences } from 'electron';
import { isServerHost, normalizeServerUrl } from '../src-shared/server-address.ts';

/** The origin the production renderer is served from (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'palaver';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * `scheme://host[:port]` of an http(s)/ws(s) URL if it can be written into a CSP, else null. A host the
 * URL parser accepts but CSP cannot express (`a;script-src`, `a_b`, `a"b`) is refused by isServerHost
 * rather than written into the policy, where it could end a directive and start another.
 */
export function cspOrigin(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return null;
  if (parsed.username || parsed.password || !isServerHost(parsed.hostname)) return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** The local development server `npm start` runs. */
export const FALLBACK_SERVER_URL = 'http://127.0.0.1:8090';

/** The first acceptable server address among the candidates, in order of precedence; else the fallback. */
export function chooseServerUrl(...candidates: unknown[]): string {
  for (const candidate of candidates) {
    const accepted = normalizeServerUrl(candidate);
    if (accepted !== null) return accepted;
  }
  return FALLBACK_SERVER_URL;
}

export interface CspOptions {
  /** The Vite dev server (ELECTRON_RENDERER_URL) when running `electron-vite dev`; absent in production. */
  devServerUrl?: string;
}

/**
 * The renderer's Content-Security-Policy. The servers the person added are the only remote origins
 * (src-shared/server-list.ts): PocketBase realtime is Server-Sent Events over http(s), so connect-src
 * needs no ws: in production. A page's policy is fixed when it loads, so main reloads the page when a
 * server is added or removed (every session, draft and unsent message is kept across that).
 */
export function contentSecurityPolicy(servers: string | readonly string[], opts: CspOptions = {}): string {
  const remote = (typeof servers === 'string' ? [servers] : servers).flatMap((url) => {
    const origin = normalizeServerUrl(url) === null ? null : cspOrigin(url);
    return origin === null ? [] : [origin];
  });
  const dev: string[] = [];
  const devSocket: string[] = [];
  if (opts.devServerUrl !== undefined) {
    const origin = cspOrigin(opts.devServerUrl);
    if (origin !== null) {
      dev.push(origin);
      // Vite's HMR client talks to the dev server over a WebSocket on the same host and port.
      devSocket.push(origin.replace(/^http/, 'ws'));
    }
  }
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...dev]],
    // Svelte transitions and Vite's dev CSS injection write inline styles.
    ['style-src', ["'self'", "'unsafe-inline'", ...dev]],
    ['img-src', ["'self'", 'data:', 'blob:', ...remote, ...dev]],
    ['connect-src', ["'self'", ...remote, ...dev, ...devSocket]],
    ['font-src', ["'self'", ...dev]],
    // Video and audio files of messages play from the server; blob: for a file not yet sent.
    ['media-src', ["'self'", 'blob:', ...remote, ...dev]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`).join('; ');
}

/** True only for https: URLs without credentials: the links Palaver hands to the system browser. */
export function isSafeExternalUrl(url: unknown): boolean {
  // The URL parser silently drops surrounding spaces, tabs and newlines; a link that needs that is not
  // one a user clicked, and what is checked must be exactly what gets opened.
  if (typeof url !== 'string' || url.length > 4096 || /[\u0000-\u0020\u007f]/.test(url)) return false;
  // `https:example.com` parses as https://example.com/; only the unambiguous spelling is accepted.
  if (!/^https:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** `scheme://host[:port]` of any URL, including custom schemes whose WHATWG origin is "null". */
function schemeAndHost(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password || parsed.host === '') return null;
    // Scheme and host of standard schemes compare case-insensitively, as Chromium compares origins.
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * True when a frame's URL belongs to the app itself: app://palaver in production, the dev server
 * origin in development. Used for IPC senders, navigation and permission requests.
 */
export function isTrustedRendererUrl(url: unknown, appOrigin: string): boolean {
  if (typeof url !== 'string') return false;
  const expected = schemeAndHost(appOrigin);
  return expected !== null && schemeAndHost(url) === expected;
}

// Chromium's Local Network Access gate (Electron 43+) refuses requests from the app's origin to a
// loopback or LAN server unless these are granted, which would make a local PocketBase unreachable.
// Granting them is bounded by the CSP: connect-src and img-src name the configured server only.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'notifications',
  'local-network-access',
  'local-network',
  'loopback-network',
]);

/** Which web permissions the renderer may have; everything else (camera, geolocation, ...) is denied. */
export function permissionAllowed(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission);
}

/**
 * The webPreferences of every window Palaver opens: an isolated, sandboxed page without Node, and no
 * way to open or navigate anything the app's own guards have not seen. Auxclick is off: a middle click
 * on a link would otherwise open it as a new window, around the link's own click handler, which is
 * where the app decides what a click on a message link does.
 */
export function windowWebPreferences(options: { preload: string; devTools: boolean }): WebPreferences {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    disableBlinkFeatures: 'Auxclick',
    spellcheck: true,
    devTools: options.devTools,
  };
}
