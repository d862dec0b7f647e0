// Splits message text into plain text and links. Links are rendered as elements built from these
// parts, never as HTML, so markup in a message stays text. Only https: links become clickable: they
// open in the system browser, and plain http: would send the click unencrypted.
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
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
    let href: string | undefined;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'https:' && !parsed.username && !parsed.password) href = parsed.href;
    } catch {
      // not a URL after all: leave it as text
    }
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
