import { describe, expect, it } from 'vitest';
import compact from 'emojibase-data/en/compact.json';
import { buildCategories, gridStep, searchEmoji, withRecent, type CompactEmoji } from './emoji-catalog.ts';

const data: CompactEmoji[] = [
  {
    unicode: '🙂',
    label: 'slightly smiling face',
    group: 0,
    order: 2,
    tags: ['face', 'smile'],
    shortcodes: ['slightly_smiling_face'],
  },
  { unicode: '😀', label: 'grinning face', group: 0, order: 1, tags: ['face', 'grin'] },
  { unicode: '👍', label: 'thumbs up', group: 1, order: 3, tags: ['+1', 'hand', 'up'], shortcodes: ['thumbsup'] },
  { unicode: '🏻', label: 'light skin tone', group: 2, order: 4 },
  { unicode: '🇦', label: 'regional indicator A' },
];

describe('buildCategories', () => {
  it('groups in emojibase order, leaving out components and ungrouped symbols', () => {
    const categories = buildCategories(data);
    expect(categories.map((c) => c.key)).toEqual(['smileys-emotion', 'people-body']);
    expect(categories[0]?.emoji.map((e) => e.emoji)).toEqual(['😀', '🙂']);
  });

  it('builds from the real data with every category named', () => {
    const categories = buildCategories(compact as CompactEmoji[]);
    expect(categories).toHaveLength(9);
    expect(categories.flatMap((c) => c.emoji).length).toBeGreaterThan(1800);
  });
});

describe('withRecent', () => {
  it('puts recently used emoji first with their names, and adds nothing without any', () => {
    const categories = buildCategories(data);
    expect(withRecent(categories, [])).toBe(categories);
    const recent = withRecent(categories, ['👍'])[0];
    expect(recent?.name).toBe('Recently used');
    expect(recent?.emoji[0]?.label).toBe('thumbs up');
  });
});

describe('searchEmoji', () => {
  const categories = withRecent(buildCategories(data), ['👍']);
  it('matches word starts of names, keywords and shortcodes, once each', () => {
    expect(searchEmoji(categories, 'thu up').map((e) => e.emoji)).toEqual(['👍']);
    expect(searchEmoji(categories, 'face').map((e) => e.emoji)).toEqual(['😀', '🙂']);
    expect(searchEmoji(categories, 'smil').map((e) => e.emoji)).toEqual(['🙂']);
    expect(searchEmoji(categories, '  ')).toEqual([]);
    expect(searchEmoji(categories, 'zzz')).toEqual([]);
  });
});

describe('gridStep', () => {
  it('moves along rows and columns and stops at the edges', () => {
    expect(gridStep(0, 10, 4, 'ArrowRight')).toBe(1);
    expect(gridStep(0, 10, 4, 'ArrowLeft')).toBeNull();
    expect(gridStep(1, 10, 4, 'ArrowDown')).toBe(5);
    expect(gridStep(7, 10, 4, 'ArrowDown')).toBe(9);
    expect(gridStep(9, 10, 4, 'ArrowDown')).toBeNull();
    expect(gridStep(5, 10, 4, 'ArrowUp')).toBe(1);
    expect(gridStep(5, 10, 4, 'End')).toBe(9);
    expect(gridStep(5, 10, 4, 'a')).toBeNull();
  });
});
