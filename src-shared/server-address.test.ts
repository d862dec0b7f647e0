import { describe, expect, it } from 'vitest';
import {
  isLocalNetworkHost,
  isServerUrl,
  MAX_SERVER_URL,
  needsPlainHttpConsent,
  normalizeServerUrl,
  serverUrlFromInput,
} from './server-address.ts';

describe('serverUrlFromInput', () => {
  it('turns what people type into an address', () => {
    expect(serverUrlFromInput(' chat.example.com/ ')).toBe('https://chat.example.com');
    expect(serverUrlFromInput('https://chat.example.com//')).toBe('https://chat.example.com');
    expect(serverUrlFromInput('127.0.0.1:8090')).toBe('http://127.0.0.1:8090');
    expect(serverUrlFromInput('https://chat.example.com/pb/')).toBe('https://chat.example.com/pb');
    expect(serverUrlFromInput('[::1]:8090')).toBe('http://[::1]:8090');
    expect(serverUrlFromInput('')).toBe('');
    expect(serverUrlFromInput('  / ')).toBe('');
  });

  it('adds https:// to a public host, so a typed name never sends a password in the clear', () => {
    expect(serverUrlFromInput('chat.example.com')).toBe('https://chat.example.com');
    expect(serverUrlFromInput('chat.example.com:8090/pb')).toBe('https://chat.example.com:8090/pb');
    expect(serverUrlFromInput('203.0.113.7:8090')).toBe('https://203.0.113.7:8090');
    expect(serverUrlFromInput('[2001:db8::1]')).toBe('https://[2001:db8::1]');
    expect(needsPlainHttpConsent(serverUrlFromInput('chat.example.com'))).toBe(false);
  });

  it('adds http:// to this computer and the local network, where servers seldom have certificates', () => {
    expect(serverUrlFromInput('localhost:8090')).toBe('http://localhost:8090');
    expect(serverUrlFromInput('192.168.1.20:8090')).toBe('http://192.168.1.20:8090');
    expect(serverUrlFromInput('chat.local')).toBe('http://chat.local');
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

describe('isLocalNetworkHost', () => {
  it('knows this computer and private networks, as URL writes their hosts', () => {
    for (const url of [
      'http://localhost',
      'http://LocalHost',
      'http://app.localhost',
      'http://127.0.0.1',
      'http://127.1',
      'http://0x7f000001',
      'http://127.255.255.254',
      'http://10.0.0.5',
      'http://172.16.0.1',
      'http://172.31.255.255',
      'http://192.168.0.10',
      'http://169.254.1.1',
      'http://[::1]',
      'http://[::ffff:127.0.0.1]',
      'http://[::ffff:192.168.1.1]',
      'http://[fd12:3456::1]',
      'http://[fc00::1]',
      'http://[fe80::1]',
      'http://printer.local',
    ]) {
      expect(isLocalNetworkHost(new URL(url).hostname), url).toBe(true);
    }
  });

  it('treats every other host as across the internet, including look-alikes of local ones', () => {
    for (const url of [
      'http://chat.example.com',
      'http://localhost.example.com',
      'http://local',
      'http://mylocal',
      'http://127.0.0.1.example.com',
      'http://8.8.8.8',
      'http://172.15.0.1',
      'http://172.32.0.1',
      'http://192.169.0.1',
      'http://11.0.0.1',
      'http://0.0.0.0',
      'http://100.64.0.1',
      'http://[2001:db8::1]',
      'http://[::ffff:8.8.8.8]',
      'http://[fec0::1]',
      'http://[::2]',
      'http://[::]',
    ]) {
      expect(isLocalNetworkHost(new URL(url).hostname), url).toBe(false);
    }
  });
});

describe('needsPlainHttpConsent', () => {
  it('asks before a password goes over plain http to a host that is not local', () => {
    expect(needsPlainHttpConsent('http://chat.example.com')).toBe(true);
    expect(needsPlainHttpConsent('http://203.0.113.7:8090/pb')).toBe(true);
    expect(needsPlainHttpConsent('HTTP://chat.example.com')).toBe(true);
    expect(needsPlainHttpConsent('http://[2001:db8::1]:8090')).toBe(true);
  });

  it('does not ask for https or for this computer and its network', () => {
    expect(needsPlainHttpConsent('https://chat.example.com')).toBe(false);
    expect(needsPlainHttpConsent('http://127.0.0.1:8090')).toBe(false);
    expect(needsPlainHttpConsent('http://localhost:8090')).toBe(false);
    expect(needsPlainHttpConsent('http://[::1]:8090')).toBe(false);
    expect(needsPlainHttpConsent('http://192.168.1.20')).toBe(false);
  });

  it('leaves what is not an address to the address check', () => {
    expect(needsPlainHttpConsent('')).toBe(false);
    expect(needsPlainHttpConsent('not a url')).toBe(false);
  });
});
