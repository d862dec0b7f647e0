// Splits message text into plain text and links. Links are rendered as elements built from these
// parts, never as HTML, so markup in a message stays text. Only https: links become clickable: they
// open in the system browser, and plain http: would send the click unencrypted.
//
// What a link says must be where it goes. A host written with look-alike letters ("аpple.com" with a
// Cyrillic а) is opened as its punycode ("xn--pple-43d.com"), a different site: such a link carries
// the host it really opens, for the screen to show beside it. And a link ends at any direction or
// invisible formatting character, so none can reorder or hide part of what the link shows.
export type TextPart =
  | { kind: 'text'; text: string }
  | {
      kind: 'link';
      text: string;
      href: string;
      /** The host the link opens, when it is not written as shown (look-alike letters, escapes). */
      realHost?: string;
    };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/gi;
// Punctuation that ends a sentence rather than the URL ("see https://x.org/a." or "(https://x.org)").
const TRAILING = /[.,;:!?'")\]}>]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = TRAILING.exec(url);
    if (trailing) {
      // Keep a closing bracket that belongs to the URL, as in https://en.wikipedia.org/wiki/Foo_(bar).
      let cut = trailing[0];
      if (cut.startsWith(')') && url.slice(0, -cut.length).includes('(')) cut = cut.slice(1);
      url = url.slice(0, url.length - cut.length);
    }
    const start = match.index;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // not a URL after all: leave it as text
    }
    if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    const realHost = writtenHost(url) === parsed.hostname ? undefined : parsed.hostname;
    parts.push({ kind: 'link', text: url, href: parsed.href, ...(realHost ? { realHost } : {}) });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The host as the link's text writes it, in lower case: between "://" and the path, without a port. */
function writtenHost(url: string): string {
  const [authority = ''] = url.slice(url.indexOf('//') + 2).split(/[/?#\\]/, 1);
  const [host = ''] = authority.startsWith('[')
    ? [authority.slice(0, authority.indexOf(']') + 1)]
    : authority.split(':');
  return host.toLowerCase();
}
