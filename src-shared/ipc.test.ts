import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, isServerUrl, validateArgs } from './ipc.ts';

describe('isServerUrl', () => {
  it('accepts http(s) addresses of names, IPv4 and IPv6 hosts', () => {
    for (const url of ['http://127.0.0.1:8090', 'https://chat.example.com', 'https://chat.example.com/pb', 'http://[::1]:8090', 'http://localhost:8090']) {
      expect(isServerUrl(url), url).toBe(true);
    }
  });

  it('refuses other schemes, credentials and hosts that could break out of a CSP', () => {
    for (const url of ['ftp://x.org', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@x.org', 'http://evil;script-src', "http://a'b.org", 'http://', 'not a url', 42, null]) {
      expect(isServerUrl(url), String(url)).toBe(false);
    }
  });
});

describe('validateArgs', () => {
  it('refuses bad payloads with an error naming the channel', () => {
    expect(() => validateArgs('server:set', ['http://evil;script-src'])).toThrow(InvalidPayloadError);
    expect(() => validateArgs('unread:set', [-1])).toThrow(/unread:set/);
    expect(() => validateArgs('notify:show', [{ roomId: 'abc', title: 't', body: 'x'.repeat(501) }])).toThrow(/notify:show/);
    expect(validateArgs('notify:show', [{ roomId: 'abc', title: 't', body: 'b' }])).toEqual([{ roomId: 'abc', title: 't', body: 'b' }]);
  });
});
