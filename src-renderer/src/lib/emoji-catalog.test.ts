import { describe, expect, it } from 'vitest';
import compact from 'emojibase-data/en/compact.json';
import { buildCategories, gridMove, searchEmoji, withRecent, type CompactEmoji } from './emoji-catalog.ts';

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

describe('gridMove', () => {
  // Two sections four wide: ten emoji (rows of 4, 4, 2), then three.
  const sizes = [10, 0, 3];
  const at = (section: number, index: number) => ({ section, index });
  it('runs along rows and on into the next section, skipping empty ones', () => {
    expect(gridMove(sizes, 4, at(0, 0), 'ArrowRight')).toEqual(at(0, 1));
    expect(gridMove(sizes, 4, at(0, 9), 'ArrowRight')).toEqual(at(2, 0));
    expect(gridMove(sizes, 4, at(2, 0), 'ArrowLeft')).toEqual(at(0, 9));
    expect(gridMove(sizes, 4, at(0, 0), 'ArrowLeft')).toBeNull();
    expect(gridMove(sizes, 4, at(2, 2), 'ArrowRight')).toBeNull();
  });

  it('keeps the column going up and down, the nearest cell of a shorter row', () => {
    expect(gridMove(sizes, 4, at(0, 1), 'ArrowDown')).toEqual(at(0, 5));
    expect(gridMove(sizes, 4, at(0, 7), 'ArrowDown')).toEqual(at(0, 9));
    expect(gridMove(sizes, 4, at(0, 9), 'ArrowDown')).toEqual(at(2, 1));
    expect(gridMove(sizes, 4, at(2, 2), 'ArrowUp')).toEqual(at(0, 9));
    expect(gridMove(sizes, 4, at(2, 0), 'ArrowUp')).toEqual(at(0, 8));
    expect(gridMove(sizes, 4, at(0, 2), 'ArrowUp')).toBeNull();
    expect(gridMove(sizes, 4, at(2, 1), 'ArrowDown')).toBeNull();
  });

  it('goes to the ends with Home and End and ignores other keys', () => {
    expect(gridMove(sizes, 4, at(0, 5), 'End')).toEqual(at(2, 2));
    expect(gridMove(sizes, 4, at(2, 1), 'Home')).toEqual(at(0, 0));
    expect(gridMove(sizes, 4, at(0, 5), 'a')).toBeNull();
    expect(gridMove([0], 4, at(0, 0), 'Home')).toBeNull();
  });
});
