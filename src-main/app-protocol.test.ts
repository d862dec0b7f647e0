import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveAppAsset, serveAppRequest } from './app-protocol.ts';

let base: string;
let root: string;
const CSP = "default-src 'none'; script-src 'self'";

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'palaver-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Palaver</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  writeFileSync(join(base, 'renderer-evil.txt'), 'sibling with a shared prefix');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = (url: string, method = 'GET') =>
  serveAppRequest({ url, method }, { rendererDir: root, contentSecurityPolicy: () => CSP });

describe('serveAppRequest', () => {
  it('serves index.html for the root with the CSP and safe headers', async () => {
    for (const url of ['app://palaver/', 'app://palaver', 'app://palaver/index.html', 'APP://PALAVER/']) {
      const response = await serve(url);
      expect(response.status, url).toBe(200);
      expect(await response.text()).toContain('<title>Palaver</title>');
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves assets with their content types', async () => {
    const js = await serve('app://palaver/assets/index-abc.js?v=1#x');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await serve('app://palaver/assets/index-abc.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await serve('app://palaver/assets/logo.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers HEAD without a body', async () => {
    const response = await serve('app://palaver/assets/index-abc.js', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('falls back to the app shell for client-side routes, not for missing files', async () => {
    const route = await serve('app://palaver/rooms/abc123');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Palaver</title>');
    expect((await serve('app://palaver/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'app://palaver/../secret.txt',
    'app://palaver/%2e%2e/secret.txt',
    'app://palaver/..%2fsecret.txt',
    'app://palaver/assets/..%2f..%2fsecret.txt',
    'app://palaver/..%5csecret.txt',
    'app://palaver/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://palaver/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd',
    'app://palaver/..%2frenderer-evil.txt',
    'app://palaver/%2fetc%2fpasswd',
    'app://palaver//etc/passwd',
    'app://palaver/assets/link.txt',
  ])('never serves a file outside the renderer: %s', async (url) => {
    const response = await serve(url);
    const text = await response.text();
    // Either refused, or (for extension-less paths that stay inside) the app shell.
    if (response.status === 200) expect(text).toContain('<title>Palaver</title>');
    expect(text).not.toContain('outside the renderer');
    expect(text).not.toContain('sibling');
    expect(text).not.toContain('root:');
  });

  it('refuses malformed requests', async () => {
    expect((await serve('app://palaver/%E0%A4%A')).status).toBe(400);
    expect((await serve('app://palaver/index.html%00.js')).status).toBe(400);
    expect((await serve('app://palaver/index.html', 'POST')).status).toBe(405);
    expect((await serve('app://evil/index.html')).status).toBe(404);
    expect((await serve('app://palaver.evil/index.html')).status).toBe(404);
    expect((await serve('app://user@palaver/index.html')).status).toBe(404);
  });
});

describe('resolveAppAsset', () => {
  it('maps URLs into the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://palaver/assets/a.js')).toEqual({
      ok: true,
      file: join(root, 'assets', 'a.js'),
    });
    expect(resolveAppAsset(root, 'app://palaver/assets/')).toEqual({
      ok: true,
      file: join(root, 'assets', 'index.html'),
    });
    expect(resolveAppAsset(root, 'app://palaver/..%2f..%2fx')).toEqual({ ok: false, status: 404 });
    expect(resolveAppAsset(root, 'not a url')).toEqual({ ok: false, status: 400 });
  });
});

describe('contentTypeFor', () => {
  it('knows the usual web types and defaults to octet-stream', () => {
    expect(contentTypeFor('a.WOFF2')).toBe('font/woff2');
    expect(contentTypeFor('a.png')).toBe('image/png');
    expect(contentTypeFor('a.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('noext')).toBe('application/octet-stream');
  });
});
