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
});
