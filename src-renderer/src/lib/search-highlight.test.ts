import { describe, expect, it } from 'vitest';
import { excerpt, highlightSegments } from './search-highlight.ts';

const marked = (text: string, matches: [number, number][]) =>
  highlightSegments(text, matches)
    .map((s) => (s.mark ? `[${s.text}]` : s.text))
    .join('');

describe('highlightSegments', () => {
  it('marks each range and keeps the text between, the pieces giving the text back', () => {
    const text = 'We decided on the blue logo, the blue one';
    const segments = highlightSegments(text, [
      [18, 22],
      [33, 37],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(
      marked(text, [
        [18, 22],
        [33, 37],
      ]),
    ).toBe('We decided on the [blue] logo, the [blue] one');
  });

  it('marks the whole text, its start and its end', () => {
    expect(marked('blue', [[0, 4]])).toBe('[blue]');
    expect(highlightSegments('blue', [[0, 4]])).toEqual([{ text: 'blue', mark: true }]);
    expect(marked('blue sky', [[5, 8]])).toBe('blue [sky]');
  });

  it('draws plain text when nothing matched, and an empty text as one empty piece', () => {
    expect(highlightSegments('hello', [])).toEqual([{ text: 'hello', mark: false }]);
    expect(highlightSegments('', [])).toEqual([{ text: '', mark: false }]);
  });

  it('counts in UTF-16 code units, as JavaScript does: an emoji before a match takes two', () => {
    const text = '🎉 party at noon';
    expect(text.indexOf('party')).toBe(3);
    expect(marked(text, [[3, 8]])).toBe('🎉 [party] at noon');
  });

  it('never cuts an emoji in half, clips overlaps, and skips ranges out of order or outside the text', () => {
    expect(marked('a🎉b', [[2, 4]])).toBe('a[🎉b]');
    expect(
      marked('abcdef', [
        [2, 4],
        [3, 5],
        [1, 2],
        [9, 12],
      ]),
    ).toBe('ab[cd][e]f');
    expect(marked('abc', [[1, 99]])).toBe('a[bc]');
  });

  it('keeps markup as text: a match inside <b> is only characters', () => {
    const segments = highlightSegments('<b>x</b>', [[3, 4]]);
    expect(segments).toEqual([
      { text: '<b>', mark: false },
      { text: 'x', mark: true },
      { text: '</b>', mark: false },
    ]);
  });
});

describe('excerpt', () => {
  const long = `${'intro words '.repeat(30)}the decision was blue ${'more words after '.repeat(30)}`;

  it('keeps a short text whole', () => {
    expect(excerpt('short text', [[0, 5]])).toEqual({ text: 'short text', matches: [[0, 5]] });
  });

  it('cuts a long text to a window around the first match, marked with … and the ranges moved', () => {
    const at = long.indexOf('blue');
    const cut = excerpt(long, [[at, at + 4]], 120, 40);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(123);
    const [[s, e]] = cut.matches as [[number, number]];
    expect(cut.text.slice(s, e)).toBe('blue');
  });

  it('starts at the beginning when the match is near it, and drops ranges past the window', () => {
    const cut = excerpt(
      long,
      [
        [0, 5],
        [long.length - 5, long.length],
      ],
      100,
    );
    expect(cut.text.startsWith('intro')).toBe(true);
    expect(cut.matches).toEqual([[0, 5]]);
  });
});
