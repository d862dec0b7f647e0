// Serves the built renderer as app://palaver/ (registered in window.ts). A real origin instead of
// file:// gives the renderer a CSP from a response header, an origin main can check, and no access
// to the rest of the disk.
// Through the `promises` object, looked up per call: Electron patches its methods to read inside app.asar.
import { promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './security.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetLookup = { ok: true; file: string } | { ok: false; status: 400 | 404 };

/**
 * The file under rendererDir that an app:// URL names, or why there is none. The URL parser already
 * folds `..` segments; encoded separators (`..%2f`, `..%5c`) are decoded here and caught by the
 * containment check.
 */
export function resolveAppAsset(rendererDir: string, requestUrl: string): AssetLookup {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username || url.password) {
    return { ok: false, status: 404 };
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (path.includes('\0')) return { ok: false, status: 400 };
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path.startsWith('/') ? '' : '/'}${path}`);
  if (!file.startsWith(root + sep)) return { ok: false, status: 404 };
  return { ok: true, file };
}

export interface ServeOptions {
  rendererDir: string;
  /** Computed per request: the server, and so the policy, can change while the app runs. */
  contentSecurityPolicy: () => string;
}

/** The protocol.handle('app', ...) handler, written against the Fetch API so it runs in tests. */
export async function serveAppRequest(
  request: { url: string; method: string },
  options: ServeOptions,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
  const lookup = resolveAppAsset(options.rendererDir, request.url);
  if (!lookup.ok) return plain(lookup.status, lookup.status === 400 ? 'Bad Request' : 'Not Found');

  let file = lookup.file;
  let body = await readContained(options.rendererDir, file);
  // Client-side routes (no file extension) get the app shell, so a reload on such a URL still works.
  if (body === null && extname(file) === '') {
    file = resolve(options.rendererDir, 'index.html');
    body = await readContained(options.rendererDir, file);
  }
  if (body === null) return plain(404, 'Not Found');

  const headers = new Headers({
    'Content-Type': contentTypeFor(file),
    'Content-Security-Policy': options.contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

/** The file's bytes if it is a regular file whose real path (after symlinks) is inside the root. */
async function readContained(rendererDir: string, file: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const [root, real] = await Promise.all([fs.realpath(rendererDir), fs.realpath(file)]);
    if (!real.startsWith(root + sep)) return null;
    return new Uint8Array(await fs.readFile(real));
  } catch {
    return null;
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
