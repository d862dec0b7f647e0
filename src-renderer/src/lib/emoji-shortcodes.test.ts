import { describe, expect, it } from 'vitest';
import {
  buildShortcodeTable,
  codeRanges,
  hexcodeToEmoji,
  loadShortcodes,
  replaceAllShortcodes,
  replaceClosedShortcode,
  suggestShortcodes,
} from './emoji-shortcodes.ts';

const table = buildShortcodeTable({ '1F389': 'tada', '1F44D': ['+1', 'thumbsup'], '2764': 'heart' });

describe('hexcodeToEmoji', () => {
  it('joins sequences and gives old symbols their emoji presentation', () => {
    expect(hexcodeToEmoji('1F44D-1F3FB')).toBe('👍🏻');
    expect(hexcodeToEmoji('2764')).toBe('❤\uFE0F');
    expect(hexcodeToEmoji('1F389')).toBe('🎉');
  });
});

describe('replaceClosedShortcode', () => {
  it('replaces the shortcode the typed colon closes and puts the caret after the emoji', () => {
    expect(replaceClosedShortcode('party :tada:', 12, table)).toEqual({ text: 'party 🎉', caret: 8 });
    expect(replaceClosedShortcode(':+1: later', 4, table)).toEqual({ text: '👍 later', caret: 2 });
  });

  it('leaves unknown names, open shortcodes and times alone', () => {
    expect(replaceClosedShortcode('see :nope:', 10, table)).toBeNull();
    expect(replaceClosedShortcode('at 10:30', 8, table)).toBeNull();
    expect(replaceClosedShortcode('a :tada', 7, table)).toBeNull();
    expect(replaceClosedShortcode('a : tada:', 9, table)).toBeNull();
  });

  it('never replaces inside code spans or blocks', () => {
    // A backtick not closed yet is code being typed; at sending, markdown's reading decides.
    expect(replaceClosedShortcode('run `x :tada:', 13, table)).toBeNull();
    expect(replaceAllShortcodes('run `x :tada:', table)).toBe('run `x 🎉');
    expect(replaceClosedShortcode('`x :tada:`', 9, table)).toBeNull();
    expect(replaceClosedShortcode('```\nfoo :tada:', 14, table)).toBeNull();
  });
});

describe('replaceAllShortcodes', () => {
  it('replaces known shortcodes outside code and keeps the rest as typed', () => {
    expect(replaceAllShortcodes(':tada: and `:tada:` :heart: :nope:', table)).toBe('🎉 and `:tada:` ❤\uFE0F :nope:');
    expect(replaceAllShortcodes('```\n:tada:\n```\n:tada:', table)).toBe('```\n:tada:\n```\n🎉');
  });
});

describe('codeRanges', () => {
  it('finds inline spans of matching backtick runs and fenced blocks', () => {
    expect(codeRanges('a `b` c ``d`e`` f')).toEqual([
      [2, 5],
      [8, 15],
    ]);
    expect(codeRanges('x\n```js\ny\n```\nz')).toEqual([[2, 13]]);
    expect(codeRanges('x `unclosed')).toEqual([]);
    expect(codeRanges('x `a` `unclosed', true)).toEqual([
      [2, 5],
      [6, 15],
    ]);
  });
});

describe('suggestShortcodes', () => {
  it('needs two letters and lists names that start with the query first', () => {
    expect(suggestShortcodes('t', table)).toEqual([]);
    expect(suggestShortcodes('ta', table).map((s) => s.name)).toEqual(['tada']);
    expect(suggestShortcodes('up', table).map((s) => s.name)).toEqual(['thumbsup']);
  });
});

describe('loadShortcodes', () => {
  it('loads the GitHub set from emojibase', async () => {
    const loaded = await loadShortcodes();
    expect(loaded.get('tada')).toBe('🎉');
    expect(loaded.get('+1')).toBe('👍');
    expect(loaded.size).toBeGreaterThan(1500);
  });
});
