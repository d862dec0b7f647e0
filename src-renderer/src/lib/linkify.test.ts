import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('turns https URLs into links and keeps the rest as text', () => {
    expect(linkify('see https://example.org/a?b=1 now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation outside the link but keeps brackets that belong to it', () => {
    expect(linkify('Read https://example.org/x.').at(1)).toMatchObject({ href: 'https://example.org/x' });
    expect(linkify('(https://example.org/y)').at(1)).toMatchObject({ href: 'https://example.org/y' });
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)').at(0)).toMatchObject({
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('does not link http, javascript:, data: or credentials-bearing URLs', () => {
    for (const text of [
      'http://example.org',
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'https://user:pw@example.org',
    ]) {
      expect(
        linkify(text).every((p) => p.kind === 'text'),
        text,
      ).toBe(true);
    }
  });

  it('keeps markup as text', () => {
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('handles several links and none', () => {
    expect(linkify('https://a.org and https://b.org').filter((p) => p.kind === 'link')).toHaveLength(2);
    expect(linkify('')).toEqual([]);
  });

  it('names the host a look-alike link really opens, so "аpple.com" with a Cyrillic а is not taken for apple.com', () => {
    expect(linkify('log in at https://\u0430pple.com/login now')).toEqual([
      { kind: 'text', text: 'log in at ' },
      {
        kind: 'link',
        text: 'https://\u0430pple.com/login',
        href: 'https://xn--pple-43d.com/login',
        realHost: 'xn--pple-43d.com',
      },
      { kind: 'text', text: ' now' },
    ]);
    // Any host not written as it is opened: other scripts, escapes, full-width dots.
    expect(linkify('https://bücher.de').at(0)).toMatchObject({ realHost: 'xn--bcher-kva.de' });
    expect(linkify('https://ex%61mple.com').at(0)).toMatchObject({ realHost: 'example.com' });
    expect(linkify('https://example\u3002com/').at(0)).toMatchObject({ realHost: 'example.com' });
  });

  it('adds nothing to a link whose host is written as it is opened', () => {
    for (const text of [
      'https://example.org/a',
      'https://Example.ORG/a',
      'https://x.org:8443/p?q#f',
      'https://[::1]:8080/',
      'https://xn--pple-43d.com',
    ]) {
      expect(linkify(text).at(0), text).not.toHaveProperty('realHost');
    }
  });

  it('ends a link at a direction or invisible formatting character, which stays outside it as text', () => {
    // Inside the link, U+202E would show "https://x.org/google.org" for a link to x.org.
    expect(linkify('https://x.org/\u202egro.elgoog')).toEqual([
      { kind: 'link', text: 'https://x.org/', href: 'https://x.org/' },
      { kind: 'text', text: '\u202egro.elgoog' },
    ]);
    for (const mark of ['\u200b', '\u200e', '\u2066', '\u2069', '\ufeff', '\u061c']) {
      expect(linkify(`https://a.org/b${mark}c`).at(0), escape(mark)).toMatchObject({ text: 'https://a.org/b' });
    }
  });
});
