// Markdown as people write it in chat, to an HTML string that markdown-sanitize.ts then cleans before
// it reaches the page. Raw HTML is off (written tags show as text), images are off (a message never
// loads anything from elsewhere), headings are bold text (a chat line is not a document outline: a
// message's <h1> would break the screen's heading order), and only https: links are links, opened
// through the app like today's (main checks them). Plain URLs in the text become links through
// linkify.ts, the rule plain messages use, so both show a look-alike host the same way.
import MarkdownIt, { type Token } from 'markdown-it';
import { linkify } from './linkify.ts';

const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: true });
// Tables, reference definitions and indented code are document habits that misread chat: a line that
// happens to start with four spaces is not code here. Entities stay as typed ("&amp;" is what was written).
md.disable(['table', 'reference', 'code', 'html_block', 'html_inline', 'image', 'entity']);

md.validateLink = (url) => httpsHref(url) !== null;

/** Every tag this module writes, and nothing else: markdown-sanitize.ts allows exactly these. */
export const EMITTED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'hr',
  'a',
  'span',
  'div',
  'button',
] as const;

/** The URL's canonical https: form, or null for any other scheme, a user:password@ part, or no URL. */
export function httpsHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
  return parsed.href;
}

// Plain URLs in text become links by linkify.ts's rule (never inside a link's label or inline code).
md.core.ruler.push('palaver_linkify', (state) => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      if (token.type === 'link_close') inLink--;
      if (token.type !== 'text' || inLink > 0) {
        out.push(token);
        continue;
      }
      for (const part of linkify(token.content)) {
        if (part.kind === 'text') {
          const text = new state.Token('text', '', 0);
          text.content = part.text;
          out.push(text);
          continue;
        }
        const open = new state.Token('link_open', 'a', 1);
        open.attrs = [['href', part.href]];
        open.markup = 'linkify';
        open.meta = { realHost: part.realHost };
        const label = new state.Token('text', '', 0);
        label.content = part.text;
        out.push(open, label, new state.Token('link_close', 'a', -1));
      }
    }
    block.children = out;
  }
});

const rules = md.renderer.rules;
const escape = md.utils.escapeHtml;

rules.heading_open = () => '<p><strong>';
rules.heading_close = () => '</strong></p>\n';

// A code block keeps its whitespace and scrolls sideways; its Copy button is wired by MessageText.
rules.fence = (tokens, index) =>
  `<div class="code-block"><pre><code>${escape(tokens[index]!.content)}</code></pre>` +
  '<button type="button" class="copy" aria-label="Copy code">Copy</button></div>\n';

rules.link_open = (tokens, index) => {
  const token = tokens[index]!;
  const href = httpsHref(String(token.attrGet('href') ?? '')) ?? '';
  const host = hostShown(tokens, index, href);
  token.meta = { ...(token.meta as object), shownHost: host };
  const title = host ? ` title="Opens ${escape(host)}"` : '';
  return `<a href="${escape(href)}" dir="ltr" rel="noopener noreferrer"${title}>`;
};

// The real host, drawn as an element no message text can imitate (as in plain messages).
rules.link_close = (tokens, index) => {
  const open = tokens.slice(0, index).findLast((token) => token.type === 'link_open');
  const host = (open?.meta as { shownHost?: string } | null)?.shownHost;
  return host ? `</a><span class="real-host" dir="ltr">opens ${escape(host)}</span>` : '</a>';
};

/**
 * The host to show beside a link, if its label does not say it: a plain URL written with look-alike
 * letters (linkify.ts decides), and any link whose label is words ("[docs](https://…)") or another URL.
 */
function hostShown(tokens: Token[], index: number, href: string): string | undefined {
  const meta = tokens[index]!.meta as { realHost?: string } | null;
  if (tokens[index]!.markup === 'linkify') return meta?.realHost;
  let label = '';
  for (let i = index + 1; i < tokens.length && tokens[i]!.type !== 'link_close'; i++) label += tokens[i]!.content;
  const parts = linkify(label);
  const only = parts.length === 1 && parts[0]!.kind === 'link' ? parts[0] : undefined;
  if (only && only.href === href) return only.realHost;
  return href ? new URL(href).hostname : undefined;
}

// What plain text shows the same way: paragraphs of text, line breaks and plain links.
const PLAIN_INLINE = new Set(['text', 'softbreak', 'hardbreak', 'link_open', 'link_close']);

/** The message as HTML (before sanitising), or null when it has no formatting: then it renders as plain text. */
export function renderMarkdown(text: string): string | null {
  const tokens = md.parse(text, {});
  const formatted = tokens.some(
    (token) =>
      (token.type !== 'paragraph_open' && token.type !== 'paragraph_close' && token.type !== 'inline') ||
      token.children?.some(
        (child) => !PLAIN_INLINE.has(child.type) || (child.type === 'link_open' && child.markup !== 'linkify'),
      ),
  );
  // An escape ("\*") changes what shows even in a plain paragraph.
  if (!formatted && !/\\[!-/:-@[-`{-~]/.test(text)) return null;
  return md.renderer.render(tokens, md.options, {});
}
