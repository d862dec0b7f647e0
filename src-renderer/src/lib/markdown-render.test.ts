import { describe, expect, it } from 'vitest';
import { EMITTED_TAGS, httpsHref, renderMarkdown } from './markdown-render.ts';
import { XSS_PAYLOADS } from './markdown-xss-corpus.ts';

describe('renderMarkdown', () => {
  it('leaves text without formatting to the plain path (null)', () => {
    expect(renderMarkdown('hello')).toBeNull();
    expect(renderMarkdown('two\nlines')).toBeNull();
    expect(renderMarkdown('para one\n\npara two')).toBeNull();
    expect(renderMarkdown('a plain link https://example.com/a_b_c here')).toBeNull();
    expect(renderMarkdown('snake_case_name')).toBeNull();
  });

  it('formats what people write in chat', () => {
    expect(renderMarkdown('**b** _i_ ~~s~~ `c`')).toBe(
      '<p><strong>b</strong> <em>i</em> <s>s</s> <code>c</code></p>\n',
    );
    expect(renderMarkdown('> q')).toBe('<blockquote>\n<p>q</p>\n</blockquote>\n');
    expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    expect(renderMarkdown('3. c\n4. d')).toContain('<ol start="3">');
  });

  it('turns a single newline into a line break, as the composer wrote it', () => {
    expect(renderMarkdown('**a**\nb')).toBe('<p><strong>a</strong><br>\nb</p>\n');
  });

  it('shows headings as bold text, never as document headings', () => {
    expect(renderMarkdown('# Big')).toBe('<p><strong>Big</strong></p>\n');
    expect(renderMarkdown('Big\n===')).toBe('<p><strong>Big</strong></p>\n');
    expect(renderMarkdown('### small')).not.toMatch(/<h\d/);
  });

  it('keeps a code block as written, escaped, with a named Copy button', () => {
    const html = renderMarkdown('```js\n  if (a < b) {\n\tgo();\n  }\n```')!;
    expect(html).toContain('<pre><code>  if (a &lt; b) {\n\tgo();\n  }\n</code></pre>');
    expect(html).toContain('<button type="button" class="copy" aria-label="Copy code">Copy</button>');
    expect(html).not.toContain('js');
  });

  it('does not read indented text, tables or entities as markdown', () => {
    expect(renderMarkdown('**x**\n\n    four spaces')).not.toContain('<pre>');
    expect(renderMarkdown('**x**\n\n| a | b |\n| - | - |\n| 1 | 2 |')).not.toContain('<table');
    expect(renderMarkdown('**AT&amp;T**')).toBe('<p><strong>AT&amp;amp;T</strong></p>\n');
  });

  it('shows an image as its link, never loading it', () => {
    const html = renderMarkdown('![cat](https://example.com/cat.png)')!;
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://example.com/cat.png"');
  });

  it('links only https:, and shows the host when the label does not say it', () => {
    expect(renderMarkdown('[docs](https://example.com/d)')).toBe(
      '<p><a href="https://example.com/d" dir="ltr" rel="noopener noreferrer" title="Opens example.com">docs</a>' +
        '<span class="real-host" dir="ltr">opens example.com</span></p>\n',
    );
    // Not a link: nothing is formatted, so it shows as plain text (where linkify.ts leaves http: alone).
    expect(renderMarkdown('[x](http://example.com)')).toBeNull();
    expect(renderMarkdown('**x** [x](http://example.com)')).toBe('<p><strong>x</strong> [x](http://example.com)</p>\n');
    expect(renderMarkdown('**see** <https://example.com>')).toBe(
      '<p><strong>see</strong> <a href="https://example.com/" dir="ltr" rel="noopener noreferrer">https://example.com</a></p>\n',
    );
  });

  it('gives a plain URL in formatted text the same look-alike warning as a plain message', () => {
    const html = renderMarkdown('**login** https://\u0430pple.com/x')!;
    expect(html).toContain('href="https://xn--pple-43d.com/x"');
    expect(html).toContain('<span class="real-host" dir="ltr">opens xn--pple-43d.com</span>');
    expect(renderMarkdown('**ok** https://example.com/x')).not.toContain('real-host');
  });

  it('warns when a label that looks like a URL goes somewhere else', () => {
    expect(renderMarkdown('[https://apple.com](https://evil.example.com)')).toContain('opens evil.example.com');
    expect(renderMarkdown('[https://example.com/](https://example.com/)')).not.toContain('real-host');
  });

  it('does not link a URL inside a label or inline code', () => {
    expect(renderMarkdown('[see https://a.example.com](https://b.example.com)')!.match(/<a /g)).toHaveLength(1);
    expect(renderMarkdown('`https://example.com`')).toBe('<p><code>https://example.com</code></p>\n');
  });
});

describe('httpsHref', () => {
  it('accepts only a well-formed https: address without credentials', () => {
    expect(httpsHref('https://example.com')).toBe('https://example.com/');
    for (const url of ['http://example.com', 'javascript:alert(1)', 'data:text/html,x', '//x.com', 'https://u:p@x.com'])
      expect(httpsHref(url), url).toBeNull();
  });
});

// The parser's own output, before DOMPurify (which the e2e test checks in Chromium): raw HTML off and
// only https: links mean the corpus cannot get a tag, a handler or a scheme through even without it.
describe('XSS corpus through markdown-it', () => {
  it.each(XSS_PAYLOADS.map((payload) => [payload]))('%j stays inert', (payload) => {
    const html = renderMarkdown(payload) ?? '';
    const tags = [...html.matchAll(/<([a-z]+)([^>]*)>/gi)];
    for (const [, tag, attributes] of tags) {
      expect(EMITTED_TAGS).toContain(tag!.toLowerCase());
      expect(attributes).not.toMatch(/\son\w+\s*=/i);
      for (const [, href] of attributes!.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^https:\/\/[^"\s]+$/);
    }
  });
});
