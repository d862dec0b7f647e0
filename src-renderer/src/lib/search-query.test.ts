import { describe, expect, it } from 'vitest';
import type { SearchFilters } from './search-api.ts';
import { filterChips, filterKindOf, queryTokens, withoutFilter } from './search-query.ts';

const none: SearchFilters = { room: null, from: null, before: '', after: '' };

describe('queryTokens', () => {
  it('splits on spaces and keeps a quoted phrase, or a quoted room name, as one word', () => {
    expect(queryTokens('  blue "the logo" in:#"two words" x').map((t) => t.text)).toEqual([
      'blue',
      '"the logo"',
      'in:#"two words"',
      'x',
    ]);
  });

  it('runs an unclosed quote to the end', () => {
    expect(queryTokens('a "b c').map((t) => t.text)).toEqual(['a', '"b c']);
  });
});

describe('filterKindOf', () => {
  it('knows the four filters in any letter case, and not an excluded word or a bare prefix', () => {
    expect(filterKindOf('from:@ada')).toBe('from');
    expect(filterKindOf('IN:#design')).toBe('room');
    expect(filterKindOf('before:2026-12-01')).toBe('before');
    expect(filterKindOf('after:2026-11-01')).toBe('after');
    expect(filterKindOf('-from:@ada')).toBeNull();
    expect(filterKindOf('from:')).toBeNull();
    expect(filterKindOf('"from:@ada"')).toBeNull();
    expect(filterKindOf('blue')).toBeNull();
  });
});

describe('withoutFilter', () => {
  it('takes the filter out and leaves the rest as typed', () => {
    expect(withoutFilter('logo from:@ada in:#design blue', 'from')).toBe('logo in:#design blue');
    expect(withoutFilter('logo from:@ada in:#design blue', 'room')).toBe('logo from:@ada blue');
    expect(withoutFilter('in:#"two words"  "exact phrase" x', 'room')).toBe('"exact phrase" x');
    expect(withoutFilter('before:2026-12-01 after:2026-11-01 x', 'after')).toBe('before:2026-12-01 x');
  });

  it('never touches a quoted phrase or an excluded word that looks like a filter', () => {
    expect(withoutFilter('"from:@ada" -from:@bob from:@cy', 'from')).toBe('"from:@ada" -from:@bob');
  });

  it('takes every copy of a repeated filter, and leaves a query without one as it was', () => {
    expect(withoutFilter('from:@a x from:@b', 'from')).toBe('x');
    expect(withoutFilter('plain words', 'room')).toBe('plain words');
  });
});

describe('filterChips', () => {
  it('has none without filters', () => {
    expect(filterChips(none)).toEqual([]);
  });

  it('says who, where and when, each with a remove label naming the filter', () => {
    const chips = filterChips({
      from: { id: 'u1', username: 'ada', name: 'Ada Lovelace' },
      room: { id: 'r1', name: 'design', kind: 'public' },
      before: '2026-12-01',
      after: '2026-11-01',
    });
    expect(chips.map((c) => [c.kind, c.label, c.removeLabel])).toEqual([
      ['from', 'From Ada Lovelace (@ada)', 'Remove filter from:@ada'],
      ['room', 'In #design', 'Remove filter in:#design'],
      ['after', 'After 2026-11-01', 'Remove filter after:2026-11-01'],
      ['before', 'Before 2026-12-01', 'Remove filter before:2026-12-01'],
    ]);
  });

  it('names a private room plainly, one with spaces quoted, and a direct conversation by the other person', () => {
    expect(filterChips({ ...none, room: { id: 'r', name: 'the team', kind: 'private' } })[0]).toMatchObject({
      label: 'In the team',
      removeLabel: 'Remove filter in:#"the team"',
    });
    const direct = filterChips({ ...none, room: { id: 'd', name: '', kind: 'direct' } }, () => 'Bob (@bob)');
    expect(direct[0]!.label).toBe('In Bob (@bob)');
    expect(filterChips({ ...none, from: { id: 'u', username: 'cy', name: '' } })[0]!.label).toBe('From @cy');
  });
});
