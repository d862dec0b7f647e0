import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  chooseServerUrl,
  contentSecurityPolicy,
  cspOrigin,
  isSafeExternalUrl,
  isTrustedRendererUrl,
  permissionAllowed,
  windowWebPreferences,
} from './security.ts';

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    expect(map.has(name), `directive ${name} appears twice`).toBe(false);
    map.set(name, sources);
  }
  return map;
}

describe('contentSecurityPolicy', () => {
  it('allows only the app itself and the configured server', () => {
    const csp = directives(contentSecurityPolicy('https://chat.example.com/some/path'));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:', 'https://chat.example.com'],
      'connect-src': ["'self'", 'https://chat.example.com'],
      'font-src': ["'self'"],
      'media-src': ["'self'", 'blob:', 'https://chat.example.com'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-src': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('never allows eval, inline script or websockets in production', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:8090');
    expect(csp).not.toContain('unsafe-eval');
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/wss?:/);
    expect(directives(csp).get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8090']);
  });

  it('keeps the port and IPv6 hosts of the server', () => {
    expect(directives(contentSecurityPolicy('http://[::1]:8090/')).get('connect-src')).toEqual([
      "'self'",
      'http://[::1]:8090',
    ]);
    expect(directives(contentSecurityPolicy('https://chat.example.com:443/')).get('connect-src')).toEqual([
      "'self'",
      'https://chat.example.com',
    ]);
  });

  it('writes no remote origin for a server URL that could inject directives or carries credentials', () => {
    for (const bad of [
      'http://evil;script-src',
      "http://a'b",
      'http://a_b.example',
      'https://user:pw@chat.example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ws://chat.example.com',
      'not a url',
      '',
    ]) {
      const csp = contentSecurityPolicy(bad);
      expect(directives(csp).get('connect-src'), bad).toEqual(["'self'"]);
      expect(directives(csp).get('img-src'), bad).toEqual(["'self'", 'data:', 'blob:']);
      expect(directives(csp).get('media-src'), bad).toEqual(["'self'", 'blob:']);
      expect(directives(csp).get('script-src'), bad).toEqual(["'self'"]);
    }
  });

  it('plays video and audio from the configured server only, never from another origin or data:', () => {
    const media = directives(contentSecurityPolicy('https://chat.example.com')).get('media-src')!;
    expect(media).toContain('https://chat.example.com');
    // A message cannot make the app load media from elsewhere (a tracking pixel for video).
    expect(media).not.toContain('https:');
    expect(media).not.toContain('http:');
    expect(media).not.toContain('*');
    expect(media).not.toContain('data:');
    expect(media.filter((source) => /^https?:\/\//.test(source))).toEqual(['https://chat.example.com']);
  });

  it('adds the dev server and its HMR websocket in development, still without unsafe-eval', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:8090', { devServerUrl: 'http://localhost:5173/' });
    const map = directives(csp);
    expect(map.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(map.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:8090',
      'http://localhost:5173',
      'ws://localhost:5173',
    ]);
    expect(csp).not.toContain('unsafe-eval');
    expect(map.get('default-src')).toEqual(["'none'"]);
  });
});

describe('cspOrigin', () => {
  it('reduces a URL to scheme://host:port', () => {
    expect(cspOrigin('https://Chat.Example.com:8443/x?y#z')).toBe('https://chat.example.com:8443');
    expect(cspOrigin('https://bücher.example/')).toBe('https://xn--bcher-kva.example');
    expect(cspOrigin('ws://localhost:5173')).toBe('ws://localhost:5173');
    expect(cspOrigin('ftp://example.com')).toBeNull();
  });

  it('refuses hosts the CSP cannot express and credentials', () => {
    for (const bad of ['http://evil;script-src', 'http://a"b', 'http://a_b.org', 'http://user:pw@host', 'not a url']) {
      expect(cspOrigin(bad), bad).toBeNull();
    }
  });
});

describe('chooseServerUrl', () => {
  it('takes the first acceptable candidate, skipping missing and bad ones', () => {
    expect(chooseServerUrl('http://127.0.0.1:8091', 'https://chat.example.com')).toBe('http://127.0.0.1:8091');
    expect(chooseServerUrl(undefined, '', 'http://evil;script-src', 42, 'https://chat.example.com')).toBe(
      'https://chat.example.com',
    );
    expect(chooseServerUrl(undefined, 'javascript:alert(1)')).toBe('http://127.0.0.1:8090');
    expect(chooseServerUrl()).toBe('http://127.0.0.1:8090');
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts https links', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('https://example.com/a?b=c#d')).toBe(true);
    expect(isSafeExternalUrl('HTTPS://EXAMPLE.COM/')).toBe(true);
  });

  it.each([
    'http://example.com',
    'https://user:pw@example.com',
    'https://user@example.com',
    'https://:pw@example.com',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'FILE:///C:/Windows/System32/calc.exe',
    'smb://attacker/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'app://palaver/index.html',
    'mailto:a@example.com',
    'https:example.com/../..',
    '//example.com',
    '/relative',
    ' https://example.com',
    'https://example.com\n',
    'https://exa\tmple.com',
    'https://',
    'not a url',
    '',
    `https://example.com/${'a'.repeat(5000)}`,
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 1, {}, ['https://example.com'], new URL('https://example.com')]) {
      expect(isSafeExternalUrl(value)).toBe(false);
    }
  });
});

describe('isTrustedRendererUrl', () => {
  it('trusts the app origin in production', () => {
    expect(isTrustedRendererUrl('app://palaver/', APP_ORIGIN)).toBe(true);
    expect(isTrustedRendererUrl('app://palaver/index.html#/rooms/abc', APP_ORIGIN)).toBe(true);
    expect(isTrustedRendererUrl('APP://PALAVER/index.html', APP_ORIGIN)).toBe(true);
  });

  it.each([
    'app://palaver.evil/',
    'app://palaver@evil/',
    'app://evil@palaver/',
    'app://user:pw@palaver/',
    'app://palaver:8080/',
    'app://palaver./',
    'app://evil/palaver',
    'app://',
    'app:palaver',
    'https://palaver/',
    'http://palaver/',
    'file:///palaver/index.html',
    'about:blank',
    'data:text/html,app://palaver/',
    'javascript:alert(1)//app://palaver/',
    'devtools://devtools/bundled/inspector.html',
    'chrome-error://chromewebdata/',
    '',
    'garbage',
  ])('does not trust %s in production', (url) => {
    expect(isTrustedRendererUrl(url, APP_ORIGIN)).toBe(false);
  });

  it('trusts only the dev server origin in development', () => {
    const dev = 'http://localhost:5173';
    expect(isTrustedRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/src/App.svelte', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('app://palaver/', dev)).toBe(false);
  });

  it('trusts nothing when the app origin itself is malformed', () => {
    expect(isTrustedRendererUrl('', '')).toBe(false);
    expect(isTrustedRendererUrl('garbage', 'garbage')).toBe(false);
    expect(isTrustedRendererUrl(undefined, APP_ORIGIN)).toBe(false);
  });
});

describe('permissionAllowed', () => {
  it('allows notifications and reaching the (CSP-pinned) server on a local network', () => {
    expect(permissionAllowed('notifications')).toBe(true);
    expect(permissionAllowed('local-network-access')).toBe(true);
    expect(permissionAllowed('local-network')).toBe(true);
    expect(permissionAllowed('loopback-network')).toBe(true);
  });

  it.each([
    'media',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'openExternal',
    'fullscreen',
    'hid',
    'usb',
    'serial',
    'midiSysex',
    'pointerLock',
    'fileSystem',
    'unknown',
    'Notifications',
    'notifications ',
    '',
    '__proto__',
    'constructor',
  ])('denies %s', (permission) => {
    expect(permissionAllowed(permission)).toBe(false);
  });
});

describe('windowWebPreferences', () => {
  const prefs = windowWebPreferences({ preload: '/app/preload/index.cjs', devTools: false });

  it('isolates and sandboxes the page, without Node anywhere', () => {
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('turns off Auxclick, so a middle click cannot open a link around its click handler', () => {
    expect(String(prefs.disableBlinkFeatures).split(',')).toContain('Auxclick');
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });

  it('gives developer tools only where asked (unpackaged runs)', () => {
    expect(windowWebPreferences({ preload: 'p', devTools: true }).devTools).toBe(true);
  });
});

describe('contentSecurityPolicy of several servers', () => {
  it('allows exactly the servers added, each once, and drops any that could inject a directive', () => {
    const csp = directives(
      contentSecurityPolicy([
        'https://a.example.com/pb',
        'http://127.0.0.1:8091',
        'http://evil;script-src',
        'https://a.example.com',
      ]),
    );
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://a.example.com', 'http://127.0.0.1:8091']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://a.example.com', 'http://127.0.0.1:8091']);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'https://a.example.com', 'http://127.0.0.1:8091']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('a removed server is gone from the next policy; none added allows no remote origin', () => {
    expect(directives(contentSecurityPolicy(['https://b.example.com'])).get('connect-src')).toEqual([
      "'self'",
      'https://b.example.com',
    ]);
    expect(directives(contentSecurityPolicy([])).get('connect-src')).toEqual(["'self'"]);
  });
});
