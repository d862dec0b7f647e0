import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  checkDownloadUrl,
  downloadFile,
  MAX_FILE_NAME_BYTES,
  safeFileName,
  type DownloadDeps,
} from './download-policy.ts';

const SERVER = 'https://chat.example.com';
const FILE = `${SERVER}/api/files/pbc_messages/messagemessag01/photo_abc123.png?token=secret-token`;

describe('checkDownloadUrl', () => {
  it('accepts a file of the configured server, with its token', () => {
    expect(checkDownloadUrl(FILE, SERVER).href).toBe(FILE);
    expect(checkDownloadUrl(`${SERVER}/api/files/c/r/a.png?thumb=1600x1200f&token=t`, `${SERVER}/`).pathname).toBe(
      '/api/files/c/r/a.png',
    );
  });

  it('accepts files under a server that lives below a path', () => {
    const server = 'http://127.0.0.1:8090/pb';
    expect(checkDownloadUrl('http://127.0.0.1:8090/pb/api/files/c/r/a.png', server).pathname).toBe(
      '/pb/api/files/c/r/a.png',
    );
    expect(() => checkDownloadUrl('http://127.0.0.1:8090/api/files/c/r/a.png', server)).toThrow(
      /only the server's files \(\/pb\/api\/files\/…\)/,
    );
  });

  // From the attacker's side: a renderer (or a message) that wants main to fetch something else.
  it.each([
    ['another origin', 'https://evil.example/api/files/c/r/a.png', /only files of the configured server/],
    ['a look-alike host', 'https://chat.example.com.evil.example/api/files/c/r/a.png', /configured server/],
    ['another port', 'https://chat.example.com:8443/api/files/c/r/a.png', /configured server/],
    ['plain http for an https server', 'http://chat.example.com/api/files/c/r/a.png', /configured server/],
    ['credentials', 'https://user:pw@chat.example.com/api/files/c/r/a.png', /credentials/],
    ['another API route', `${SERVER}/api/collections/users/records`, /only the server's files/],
    ['the files root itself', `${SERVER}/api/files/`, /only the server's files/],
    ['dot segments out of /api/files', `${SERVER}/api/files/../collections/users/records`, /only the server's files/],
    ['encoded dot segments', `${SERVER}/api/files/%2e%2e/%2E%2E/_/`, /only the server's files/],
    ['a file: URL', 'file:///etc/passwd', /only http: and https:/],
    ['a javascript: URL', 'javascript:alert(1)', /only http: and https:/],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>', /only http: and https:/],
    ['not a URL', '/api/files/c/r/a.png', /not a URL/],
  ])('refuses %s, naming what it refused', (_what, url, reason) => {
    expect(() => checkDownloadUrl(url, SERVER)).toThrow(reason);
    expect(() => checkDownloadUrl(url, SERVER)).toThrow(/^download:file: /);
  });

  it('never puts the file token into the error', () => {
    expect(() => checkDownloadUrl('https://evil.example/api/files/a?token=secret-token', SERVER)).toThrow(
      /^download:file: refused "https:\/\/evil\.example\/api\/files\/a": /,
    );
    try {
      checkDownloadUrl('https://evil.example/x?token=secret-token#frag', SERVER);
    } catch (error) {
      expect(String(error)).not.toContain('secret-token');
    }
  });
});

describe('safeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['Screenshot 2026-12-01 at 10.00.00.png', 'Screenshot 2026-12-01 at 10.00.00.png'],
    ['Пример файла.txt', 'Пример файла.txt'],
    // Path separators never choose the folder.
    ['../../.bashrc', '_.._.bashrc'],
    ['..\\..\\Windows\\System32\\evil.dll', '_.._Windows_System32_evil.dll'],
    ['/etc/passwd', '_etc_passwd'],
    ['C:\\Users\\x\\a.txt', 'C__Users_x_a.txt'],
    // No hidden files, no names Windows cuts.
    ['.bashrc', 'bashrc'],
    ['...profile', 'profile'],
    ['name. . .', 'name'],
    ['  spaced.txt  ', 'spaced.txt'],
    // Characters Windows refuses.
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    // Control characters and direction overrides ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['line\nbreak\u0000.txt', 'linebreak.txt'],
    ['bell\u0007\u2066.txt', 'bell.txt'],
    // Windows device names, with or without an extension.
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['nul', '_nul'],
    ['COM1.log', '_COM1.log'],
    ['lpt9', '_lpt9'],
    ['console.txt', 'console.txt'],
    // Nothing left.
    ['', 'download'],
    ['...', 'download'],
    ['\u202E', 'download'],
  ])('%j -> %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('caps a long name, keeping its extension and whole characters', () => {
    const long = safeFileName(`${'a'.repeat(500)}.tar.gz`);
    expect(long.endsWith('.gz')).toBe(true);
    expect(new TextEncoder().encode(long).byteLength).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    const emoji = safeFileName(`${'😀'.repeat(200)}.png`);
    expect(emoji).toMatch(/^(?:😀)+\.png$/u);
    expect(new TextEncoder().encode(emoji).byteLength).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    // An "extension" as long as a name is not kept whole.
    expect(new TextEncoder().encode(safeFileName(`a.${'b'.repeat(400)}`)).byteLength).toBeLessThanOrEqual(
      MAX_FILE_NAME_BYTES,
    );
  });
});

describe('downloadFile', () => {
  function deps(chosen: string | null) {
    return {
      serverUrl: () => SERVER,
      downloadsDir: () => join('/home', 'alice', 'Downloads'),
      chooseSavePath: vi.fn(async (_defaultPath: string) => chosen),
      transfer: vi.fn(async (_url: string, _path: string) => {}),
    } satisfies DownloadDeps;
  }

  it('suggests the sanitized name in Downloads, then downloads the URL into the chosen path', async () => {
    const d = deps('/home/alice/Desktop/mine.pdf');
    await expect(downloadFile(d, FILE, '../report.pdf')).resolves.toBe(true);
    expect(d.chooseSavePath).toHaveBeenCalledExactlyOnceWith(join('/home', 'alice', 'Downloads', '_report.pdf'));
    expect(d.transfer).toHaveBeenCalledExactlyOnceWith(FILE, '/home/alice/Desktop/mine.pdf');
  });

  it('resolves false and downloads nothing when the dialog is cancelled', async () => {
    const d = deps(null);
    await expect(downloadFile(d, FILE, 'a.png')).resolves.toBe(false);
    expect(d.transfer).not.toHaveBeenCalled();
  });

  it('refuses a foreign URL before showing any dialog', async () => {
    const d = deps('/tmp/x');
    await expect(downloadFile(d, 'https://evil.example/api/files/c/r/a.png', 'a.png')).rejects.toThrow(
      /configured server/,
    );
    expect(d.chooseSavePath).not.toHaveBeenCalled();
    expect(d.transfer).not.toHaveBeenCalled();
  });

  it('names the file by its stored name when no name is given', async () => {
    const d = deps(null);
    await downloadFile(d, `${SERVER}/api/files/c/r/my%20photo_x1.png?token=t`, '');
    expect(d.chooseSavePath).toHaveBeenCalledExactlyOnceWith(join('/home', 'alice', 'Downloads', 'my photo_x1.png'));
  });

  it('passes a failed transfer on to the caller', async () => {
    const d = deps('/tmp/x.png');
    d.transfer.mockRejectedValueOnce(new Error('download:file: the download was interrupted; ask for the file again'));
    await expect(downloadFile(d, FILE, 'x.png')).rejects.toThrow(/interrupted/);
  });
});
