import { describe, expect, it } from 'vitest';
import { hasMarkup } from './markdown.ts';
import { renderMarkdown } from './markdown-render.ts';

describe('hasMarkup', () => {
  it('lets everyday messages skip the markdown chunk', () => {
    for (const text of [
      'Morning!',
      'Lunch at 12:30? 2 + 2 = 4',
      'see https://example.com/a-b?c=d#e',
      "it's 50% done, ok - maybe (later)",
      'line one\nline two',
      'Hi all 🙂',
    ])
      expect(hasMarkup(text), text).toBe(false);
  });

  it('sends everything markdown could format to the formatter', () => {
    for (const text of [
      '**bold**',
      '_it_',
      '~~gone~~',
      '`code`',
      '```\ncode\n```',
      '> quoted',
      '- item',
      '* item',
      '+ item',
      '1. first',
      '3) third',
      '# Title',
      'Title\n===',
      '---',
      '[docs](https://example.com)',
      'a \\* b',
    ])
      expect(hasMarkup(text), text).toBe(true);
  });

  // Whatever hasMarkup lets through must be something markdown shows as plain text anyway.
  it('never skips a message that markdown would format', () => {
    for (const text of ['Morning!', 'see https://example.com/x', '2 + 2 = 4', 'a < b > c', '#hashtag', '1.5 litres'])
      expect(renderMarkdown(text), text).toBeNull();
  });
});
