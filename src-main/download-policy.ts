// Downloads of message files, decided without Electron: which URLs main fetches (a file of the configured
// server, nothing else), what the suggested file name may be, and the flow: save dialog, then the
// transfer into the chosen path. The file is never opened or run; download.ts is the Electron glue.
import { basename, extname, join } from 'node:path';

export class DownloadRefusedError extends Error {
  constructor(what: string) {
    super(`download:file: ${what}`);
    this.name = 'DownloadRefusedError';
  }
}

/** A URL for a log or an error: without its query, which carries the file token. */
function withoutQuery(url: string): string {
  return JSON.stringify(url.replace(/[?#].*$/s, '').slice(0, 200));
}

/**
 * The URL to download when it is a file of the configured server: the server's origin, its path under
 * the server's own path plus `/api/files/`, no credentials. Throws DownloadRefusedError naming the URL
 * (without its token) and what was wrong with it otherwise. Dot segments are resolved by the URL parser
 * before the path is compared, so `/api/files/../../x` is refused as the `/x` it is.
 */
export function checkDownloadUrl(url: string, serverUrl: string): URL {
  let file: URL;
  let server: URL;
  try {
    server = new URL(serverUrl);
  } catch {
    throw new DownloadRefusedError(`the configured server ${JSON.stringify(serverUrl)} is not a URL`);
  }
  try {
    file = new URL(url);
  } catch {
    throw new DownloadRefusedError(`refused ${withoutQuery(url)}: not a URL`);
  }
  if (file.protocol !== 'http:' && file.protocol !== 'https:')
    throw new DownloadRefusedError(`refused ${withoutQuery(url)}: only http: and https: files are downloaded`);
  if (file.username !== '' || file.password !== '')
    throw new DownloadRefusedError(`refused ${withoutQuery(url)}: a URL with credentials is never downloaded`);
  if (file.origin !== server.origin)
    throw new DownloadRefusedError(
      `refused ${withoutQuery(url)}: only files of the configured server ${server.origin} are downloaded`,
    );
  const prefix = `${server.pathname.replace(/\/+$/, '')}/api/files/`;
  if (!file.pathname.startsWith(prefix) || file.pathname.length === prefix.length)
    throw new DownloadRefusedError(`refused ${withoutQuery(url)}: only the server's files (${prefix}…) are downloaded`);
  return file;
}

/** The longest suggested name, in UTF-8 bytes: file systems allow 255, and the OS may add " (1)". */
export const MAX_FILE_NAME_BYTES = 200;
/** An extension longer than this is not one a person would miss. */
const MAX_EXTENSION_BYTES = 32;
const FALLBACK_NAME = 'download';

// Devices Windows opens instead of a file of that name, with any extension ("con.txt" too).
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\.|$)/i;
// Control characters; and direction overrides and isolates, which can show "photo\u202Egpj.exe" as
// "photoexe.jpg" in the save dialog.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;
// Path separators and what Windows refuses in a name.
const FORBIDDEN = /[/\\<>:"|?*]/g;

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** The longest prefix of text, by whole characters, of at most max UTF-8 bytes. */
function truncateUtf8(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

/**
 * A file name safe to suggest in a save dialog: no path separators or characters Windows refuses, no
 * control or direction-override characters, no leading dots (a hidden file) or trailing dots and spaces
 * (Windows drops them), not a Windows device name, at most MAX_FILE_NAME_BYTES, keeping its extension.
 */
export function safeFileName(name: string): string {
  let clean = name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(FORBIDDEN, '_')
    .replace(/^[\s.]+/u, '')
    .replace(/[\s.]+$/u, '');
  if (clean === '') return FALLBACK_NAME;
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  if (utf8Length(clean) <= MAX_FILE_NAME_BYTES) return clean;
  const extension = extname(clean);
  const keep = extension !== '' && utf8Length(extension) <= MAX_EXTENSION_BYTES ? extension : '';
  const stem = truncateUtf8(clean.slice(0, clean.length - keep.length), MAX_FILE_NAME_BYTES - utf8Length(keep));
  return `${stem.replace(/[\s.]+$/u, '') || FALLBACK_NAME}${keep}`;
}

/** The file's name as stored on the server: the last segment of its path. */
function storedName(pathname: string): string {
  const last = basename(pathname);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** What the download flow needs from Electron and the settings. */
export interface DownloadDeps {
  /** The server the app talks to now (settings). */
  serverUrl(): string;
  /** The user's Downloads folder (app.getPath('downloads')). */
  downloadsDir(): string;
  /** Shows the save dialog on the window; the chosen path, or null when cancelled. */
  chooseSavePath(defaultPath: string): Promise<string | null>;
  /** Downloads the URL into the path; rejects naming what failed. */
  transfer(url: string, path: string): Promise<void>;
}

/**
 * Saves a file of a message where the user says: checks the URL, suggests the sanitized name in the
 * Downloads folder, downloads into the chosen path. False when the dialog was cancelled; throws when the
 * URL is refused (before any dialog) or the transfer fails.
 */
export async function downloadFile(deps: DownloadDeps, url: string, name: string): Promise<boolean> {
  const file = checkDownloadUrl(url, deps.serverUrl());
  const suggested = safeFileName(name === '' ? storedName(file.pathname) : name);
  const chosen = await deps.chooseSavePath(join(deps.downloadsDir(), suggested));
  if (chosen === null || chosen === '') return false;
  await deps.transfer(file.href, chosen);
  return true;
}
