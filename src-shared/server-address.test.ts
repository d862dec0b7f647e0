import { describe, expect, it } from 'vitest';
import { isServerUrl, MAX_SERVER_URL, normalizeServerUrl, serverUrlFromInput } from './server-address.ts';

describe('serverUrlFromInput', () => {
  it('turns what people type into an address', () => {
    expect(serverUrlFromInput(' chat.example.com/ ')).toBe('http://chat.example.com');
    expect(serverUrlFromInput('https://chat.example.com//')).toBe('https://chat.example.com');
    expect(serverUrlFromInput('127.0.0.1:8090')).toBe('http://127.0.0.1:8090');
    expect(serverUrlFromInput('https://chat.example.com/pb/')).toBe('https://chat.example.com/pb');
    expect(serverUrlFromInput('[::1]:8090')).toBe('http://[::1]:8090');
    expect(serverUrlFromInput('')).toBe('');
    expect(serverUrlFromInput('  / ')).toBe('');
  });

  it('keeps a scheme that was typed, for main to accept or refuse', () => {
    expect(serverUrlFromInput('ftp://x.org')).toBe('ftp://x.org');
    expect(normalizeServerUrl(serverUrlFromInput('ftp://x.org'))).toBeNull();
  });
});

describe('isServerUrl', () => {
  it('accepts http(s) addresses of names, IPv4 and IPv6 hosts', () => {
    for (const url of [
      'http://127.0.0.1:8090',
      'https://chat.example.com',
      'https://chat.example.com/pb',
      'http://[::1]:8090',
      'http://localhost:8090',
      'https://bücher.example',
    ]) {
      expect(isServerUrl(url), url).toBe(true);
    }
  });

  it('refuses other schemes, credentials and hosts that could break out of a CSP', () => {
    for (const url of [
      'ftp://x.org',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@x.org',
      'http://evil;script-src',
      "http://a'b.org",
      'http://a"b',
      'http://a_b.org',
      'http://-a.org',
      'http://',
      'not a url',
      42,
      null,
    ]) {
      expect(isServerUrl(url), String(url)).toBe(false);
    }
  });

  it('refuses an address longer than any real one', () => {
    expect(isServerUrl(`https://x.org/${'a'.repeat(MAX_SERVER_URL)}`)).toBe(false);
  });
});

describe('normalizeServerUrl', () => {
  it('accepts addresses, written without surrounding spaces or trailing slashes', () => {
    expect(normalizeServerUrl('http://127.0.0.1:8090')).toBe('http://127.0.0.1:8090');
    expect(normalizeServerUrl('https://chat.example.com/pb/')).toBe('https://chat.example.com/pb');
    expect(normalizeServerUrl(' https://chat.example.com// ')).toBe('https://chat.example.com');
  });

  it('refuses what is not an address main may store and name in its CSP', () => {
    for (const bad of [
      'http://evil;script-src',
      'http://user:pw@host',
      'javascript:alert(1)',
      'http://a"b',
      '',
      42,
      null,
      undefined,
      {},
    ]) {
      expect(normalizeServerUrl(bad), String(bad)).toBeNull();
    }
  });

  it('agrees with the renderer: an accepted typed address comes back from main as it was sent', () => {
    for (const typed of [
      'chat.example.com',
      'https://chat.example.com/',
      ' 127.0.0.1:8090 ',
      'https://chat.example.com/pb//',
      'http://[::1]:8090/',
    ]) {
      const sent = serverUrlFromInput(typed);
      expect(normalizeServerUrl(sent), typed).toBe(sent);
    }
  });
});
