import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, invokeChannels, isServerUrl, validateArgs } from './ipc.ts';

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

describe('validateArgs for updates', () => {
  it('accepts updates:get with no arguments and updates:set with one boolean', () => {
    expect(validateArgs('updates:get', [])).toEqual([]);
    expect(validateArgs('updates:set', [true])).toEqual([true]);
    expect(validateArgs('updates:set', [false])).toEqual([false]);
  });

  it('refuses updates:get with arguments', () => {
    for (const args of [[true], [undefined], [{}]]) {
      expect(() => validateArgs('updates:get', args), JSON.stringify(args)).toThrow(/updates:get: takes no arguments/);
    }
  });

  it('refuses updates:set with anything but exactly one boolean', () => {
    const refused: unknown[][] = [
      [],
      [true, true],
      [false, 'extra'],
      ['true'],
      ['false'],
      [0],
      [1],
      [null],
      [undefined],
      [{ enabled: true }],
      [[true]],
      [new Boolean(false)],
      [Object.create(null)],
    ];
    for (const args of refused) {
      expect(() => validateArgs('updates:set', args), `case ${refused.indexOf(args)}`).toThrow(InvalidPayloadError);
    }
    expect(() => validateArgs('updates:set', ['yes'])).toThrow(/updates:set: expects one boolean/);
  });

  it('lists both channels in the contract', () => {
    expect(invokeChannels).toContain('updates:get');
    expect(invokeChannels).toContain('updates:set');
  });
});
