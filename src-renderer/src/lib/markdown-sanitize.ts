// The markdown chunk's entry (fetched by markdown.ts when a message first needs it): markdown-it's HTML
// goes through DOMPurify with an allow-list of exactly what markdown-render.ts emits before any of it
// reaches the page. Raw HTML is already off in the parser; this is the second wall, so a parser bug
// or a rule added later cannot put a script, an event handler or a non-https link into a message.
import DOMPurify, { type Config } from 'dompurify';
import { EMITTED_TAGS, httpsHref, renderMarkdown } from './markdown-render.ts';

/** Every tag (EMITTED_TAGS) and attribute markdown-render.ts writes, and nothing else. */
export const SANITIZE: Config = {
  ALLOWED_TAGS: [...EMITTED_TAGS],
  ALLOWED_ATTR: ['href', 'dir', 'rel', 'title', 'class', 'start', 'type', 'aria-label'],
  // Every attribute's value must pass this unless it is "URI-safe" (below): only https: addresses.
  ALLOWED_URI_REGEXP: /^https:/i,
  ADD_URI_SAFE_ATTR: ['dir', 'rel', 'start', 'type', 'aria-label'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  RETURN_TRUSTED_TYPE: false,
};

// A link survives only with a well-formed https: address (the regular expression above checks the
// start; this checks the whole, as the click handler will read it).
function keepHttpsLinks(node: Element): void {
  if (node.nodeName !== 'A') return;
  const href = httpsHref(node.getAttribute('href') ?? '');
  if (href) node.setAttribute('href', href);
  else node.removeAttribute('href');
}

/** Wraps each message of a page sanitised together: a tag markdown-render.ts never writes. */
const PAGE_WRAPPER = 'section';

// Instances of their own, so the hook never changes how anything else in the app sanitises. Each has
// its config set once: a config handed to every sanitize() call is parsed again each time (DOMPurify
// rebuilds its allow-lists), which bench/renderer.ts profiled as a large part of formatting a page.
// Both return nodes, not a string: the message is drawn from DOMPurify's own result (cloned), so it is
// never serialised and parsed again (a cost per message, and the round trip mutation XSS lives on).
const purify = DOMPurify(window);
purify.setConfig({ ...SANITIZE, RETURN_DOM_FRAGMENT: true });
purify.addHook('afterSanitizeAttributes', keepHttpsLinks);
// A page's messages in one pass (one parse, one walk) instead of fifty: DOMPurify's fixed cost per call
// (a new document each time) was a quarter of the page's formatting. The same allow-list plus the
// wrapper, whose children are taken as each message's nodes.
const pagePurify = DOMPurify(window);
pagePurify.setConfig({ ...SANITIZE, ALLOWED_TAGS: [...EMITTED_TAGS, PAGE_WRAPPER], RETURN_DOM: true });
pagePurify.addHook('afterSanitizeAttributes', keepHttpsLinks);

/** A message's sanitised markup, in this document: cloned into each place that shows it, never changed. */
export type Formatted = DocumentFragment;

/** Formatted texts kept for the list's re-renders (a room opened again, a page scrolled back to). */
const formatted = new Map<string, Formatted | null>();
const KEPT = 1000;

function keep(text: string, nodes: Formatted | null): Formatted | null {
  if (formatted.size >= KEPT) formatted.delete(formatted.keys().next().value!);
  formatted.set(text, nodes);
  return nodes;
}

/** DOMPurify's nodes (made in a document of its own) as one fragment of this document. */
function adopted(nodes: Iterable<Node>): Formatted {
  const fragment = document.createDocumentFragment();
  fragment.append(...nodes);
  return fragment;
}

/** The message as sanitised nodes, or null when it shows as plain text (no formatting in it). */
export function formatMessage(text: string): Formatted | null {
  if (formatted.has(text)) return formatted.get(text)!;
  const html = renderMarkdown(text);
  return keep(text, html === null ? null : sanitizeOne(html));
}

function sanitizeOne(html: string): Formatted {
  return adopted([...(purify.sanitize(html) as unknown as DocumentFragment).childNodes]); // RETURN_DOM_FRAGMENT
}

/** Formats a page of messages ahead of drawing it, in one pass; formatMessage then finds them kept. */
export function formatMessages(texts: readonly string[]): void {
  const pending = new Map<string, string>();
  for (const text of texts) {
    if (formatted.has(text) || pending.has(text)) continue;
    const html = renderMarkdown(text);
    if (html === null) keep(text, null);
    else pending.set(text, html);
  }
  if (pending.size === 0) return;
  const joined = [...pending.values()].map((html) => `<${PAGE_WRAPPER}>${html}</${PAGE_WRAPPER}>`).join('');
  const body = pagePurify.sanitize(joined) as unknown as HTMLElement; // RETURN_DOM, set above
  const parts = [...body.children];
  // Never expected (the renderer writes well-formed HTML and no wrapper of its own), but if the parts do
  // not come back one per message, each is sanitised on its own rather than risk mixing two messages.
  const intact = parts.length === pending.size && parts.every((part) => part.localName === PAGE_WRAPPER);
  [...pending].forEach(([text, html], i) =>
    keep(text, intact ? adopted([...parts[i]!.childNodes]) : sanitizeOne(html)),
  );
}

/**
 * Runs the formatter once on a page of everyday markdown, without keeping the result: the first room
 * that needs formatting is then formatted by code the engine has already compiled and by DOMPurify with
 * its document and hooks already made. In bench/renderer.ts the same 50 messages took 60-100 ms to
 * format the first time in a page and 15-40 ms after; markdown.ts calls this while the chat is idle.
 */
export function warmUp(): void {
  const samples = [
    '**bold**, _italic_, ~~struck~~ and `code` with [a link](https://example.com/docs)',
    '- one\n- two *three*\n\n1. first\n2. second',
    '> quoted **text**\n\n```\nconst x = 1;\n```',
    '# Heading\nsee https://example.com/a_b for **more**',
  ];
  for (let round = 0; round < 3; round++) {
    const texts = samples.map((text) => `${text} ${round}`);
    formatMessages(texts);
    // A live message's path too (one at a time).
    formatMessage(`*${round}* live`);
    for (const text of [...texts, `*${round}* live`]) formatted.delete(text);
  }
}
