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
// An instance of its own, so the hook below never changes how anything else in the app sanitises.
const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = httpsHref(node.getAttribute('href') ?? '');
  if (href) node.setAttribute('href', href);
  else node.removeAttribute('href');
});

/** The message as sanitised HTML, or null when it shows as plain text (no formatting in it). */
export function formatMessage(text: string): string | null {
  const html = renderMarkdown(text);
  return html === null ? null : purify.sanitize(html, SANITIZE);
}
