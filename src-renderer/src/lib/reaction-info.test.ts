import { describe, expect, it } from 'vitest';
import { chipName, reactedBy, readReactionInfo, withOwnReaction, type ReactionSummary } from './reaction-info.ts';

const names: Record<string, string> = { alice: 'Alice', bob: 'Bob', carol: 'Carol', dave: 'Dave' };
const nameOf = (id: string) => names[id];

describe('readReactionInfo', () => {
  it('reads the server’s summary and nothing else', () => {
    expect(readReactionInfo(undefined)).toEqual([]);
    expect(readReactionInfo(null)).toEqual([]);
    expect(readReactionInfo({ emoji: '👍' })).toEqual([]);
    expect(
      readReactionInfo([
        { emoji: '👍', count: 2, users: ['alice', 'bob'] },
        { emoji: '', count: 1, users: [] },
        { emoji: '🎉', count: 0, users: [] },
        { emoji: '🎉', count: '3', users: [] },
        'nonsense',
        null,
        { emoji: '❤️', count: 1, users: ['carol', 7] },
        { emoji: '😂', count: 150 },
      ]),
    ).toEqual([
      { emoji: '👍', count: 2, users: ['alice', 'bob'] },
      { emoji: '❤️', count: 1, users: ['carol'] },
      { emoji: '😂', count: 150, users: [] },
    ]);
  });
});

describe('withOwnReaction', () => {
  const base: ReactionSummary[] = [
    { emoji: '👍', count: 2, users: ['alice', 'bob'] },
    { emoji: '🎉', count: 1, users: ['me'] },
  ];

  it('adds one’s reaction to an emoji, or a new emoji last', () => {
    expect(withOwnReaction(base, 'me', '👍', true)[0]).toEqual({
      emoji: '👍',
      count: 3,
      users: ['alice', 'bob', 'me'],
    });
    expect(withOwnReaction(base, 'me', '😂', true).map((s) => s.emoji)).toEqual(['👍', '🎉', '😂']);
    expect(withOwnReaction([], 'me', '😂', true)).toEqual([{ emoji: '😂', count: 1, users: ['me'] }]);
  });

  it('takes one’s reaction back, and the emoji with it when nobody else is left', () => {
    expect(withOwnReaction(base, 'me', '🎉', false).map((s) => s.emoji)).toEqual(['👍']);
    const shared = withOwnReaction([{ emoji: '👍', count: 3, users: ['alice', 'me', 'bob'] }], 'me', '👍', false);
    expect(shared).toEqual([{ emoji: '👍', count: 2, users: ['alice', 'bob'] }]);
  });

  it('changes nothing when the summary already says so (the server got there first)', () => {
    expect(withOwnReaction(base, 'me', '🎉', true)).toEqual(base);
    expect(withOwnReaction(base, 'me', '👍', false)).toEqual(base);
    expect(withOwnReaction(base, 'me', '😂', false)).toEqual(base);
  });
});

describe('chip names and descriptions', () => {
  it('names a chip by what it shows, and says when it is yours', () => {
    expect(chipName({ emoji: '👍', count: 3, users: [] }, true)).toBe('👍 3, reacted by you');
    expect(chipName({ emoji: '👍', count: 1, users: [] }, false)).toBe('👍 1');
  });

  it('says who reacted: you first, then the first others known, then how many more', () => {
    const summary = (users: string[], count = users.length) => ({ emoji: '👍', count, users });
    expect(reactedBy(summary(['alice']), 'me', nameOf)).toBe('Reacted with 👍 by Alice');
    expect(reactedBy(summary(['alice', 'bob']), 'me', nameOf)).toBe('Reacted with 👍 by Alice and Bob');
    expect(reactedBy(summary(['alice', 'me']), 'me', nameOf)).toBe('Reacted with 👍 by you and Alice');
    expect(reactedBy(summary(['me']), 'me', nameOf)).toBe('Reacted with 👍 by you');
    expect(reactedBy(summary(['alice', 'bob', 'carol', 'dave']), 'me', nameOf)).toBe(
      'Reacted with 👍 by Alice, Bob, Carol and 1 other',
    );
    expect(reactedBy(summary(['alice', 'bob', 'zed', 'yan'], 5), 'me', nameOf, 2)).toBe(
      'Reacted with 👍 by Alice, Bob and 3 others',
    );
    // Someone not loaded yet is counted until their name arrives; past the listed people, the count says it.
    expect(reactedBy(summary(['zed', 'alice']), 'me', nameOf)).toBe('Reacted with 👍 by Alice and 1 other');
    expect(reactedBy(summary([], 150), 'me', nameOf)).toBe('Reacted with 👍 by 150 people');
    expect(reactedBy(summary(['zed']), 'me', nameOf)).toBe('Reacted with 👍 by 1 person');
  });
});
