import { describe, expect, it } from 'vitest';
import { addRecent, parseRecent, readRecent, rememberRecent } from './emoji-recent.ts';

function memory(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('recently used emoji', () => {
  it('puts the newest pick first, once, and keeps a bounded list', () => {
    expect(addRecent(['🎉', '👍'], '👍')).toEqual(['👍', '🎉']);
    expect(addRecent(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });

  it('reads nothing from a missing or damaged entry', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('{not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('["🎉", 3, "👍"]')).toEqual(['🎉', '👍']);
  });

  it('remembers picks across reads, and a refused write loses only the list', () => {
    const storage = memory();
    rememberRecent('🎉', storage);
    rememberRecent('👍', storage);
    expect(readRecent(storage)).toEqual(['👍', '🎉']);
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(rememberRecent('🙂', full)).toEqual(['🙂']);
  });
});
