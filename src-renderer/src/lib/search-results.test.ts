import { describe, expect, it } from 'vitest';
import type { SearchItem } from './search-api.ts';
import {
  fallbackRoomLabel,
  groupByConversation,
  resultCount,
  resultKey,
  resultTarget,
  resultTime,
} from './search-results.ts';

const item = (id: string, room: string, extra: Partial<SearchItem> = {}) =>
  ({ id, room, text: id, thread: '', alsoInRoom: false, matches: [], ...extra }) as SearchItem;

describe('groupByConversation', () => {
  it('puts each conversation where its best result is, its results in the server’s order', () => {
    const groups = groupByConversation(
      [item('1', 'a'), item('2', 'b'), item('3', 'a'), item('4', 'c'), item('5', 'b')],
      (id) => `room ${id}`,
    );
    expect(groups.map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['room a', ['1', '3']],
      ['room b', ['2', '5']],
      ['room c', ['4']],
    ]);
  });

  it('names each room once, with the room the result came with', () => {
    const named: string[] = [];
    groupByConversation(
      [item('1', 'a', { expand: { room: { id: 'a', name: 'design', kind: 'public' } } }), item('2', 'a')],
      (id, room) => {
        named.push(`${id}:${room?.name}`);
        return id;
      },
    );
    expect(named).toEqual(['a:design']);
  });
});

describe('fallbackRoomLabel', () => {
  it('names public rooms with #, private ones plainly, and never shows an empty direct name', () => {
    expect(fallbackRoomLabel({ id: 'x', name: 'design', kind: 'public' })).toBe('#design');
    expect(fallbackRoomLabel({ id: 'x', name: 'team', kind: 'private' })).toBe('team');
    expect(fallbackRoomLabel({ id: 'x', name: '', kind: 'direct' })).toBe('Direct conversation');
    expect(fallbackRoomLabel(undefined)).toBe('A conversation');
  });
});

describe('resultCount', () => {
  it('says one, many, and more than the server counts', () => {
    expect(resultCount(1, false, 'en-US')).toBe('1 result');
    expect(resultCount(0, false, 'en-US')).toBe('0 results');
    expect(resultCount(37, false, 'en-US')).toBe('37 results');
    expect(resultCount(1000, true, 'en-US')).toBe('1,000+ results');
    // The server stopped reading matches before it found 1,000 readable ones.
    expect(resultCount(3, true, 'en-US')).toBe('3 results in the most recent messages');
    expect(resultCount(0, true, 'en-US')).toBe('0 results in the most recent messages');
  });
});

describe('resultTarget', () => {
  it('opens a room message in its room, and a reply kept to its thread in the thread', () => {
    expect(resultTarget(item('m', 'r'))).toEqual({ room: 'r', id: 'm' });
    expect(resultTarget(item('m', 'r', { thread: 't' }))).toEqual({ room: 'r', id: 'm', thread: 't' });
    expect(resultTarget(item('m', 'r', { thread: 't', alsoInRoom: true }))).toEqual({ room: 'r', id: 'm' });
  });
});

describe('resultTime', () => {
  const now = new Date(2026, 11, 2, 15, 0);
  it('gives today’s results a time, older ones a date, and other years the year', () => {
    expect(resultTime(new Date(2026, 11, 2, 9, 5), now, 'en-US')).toBe('9:05 AM');
    expect(resultTime(new Date(2026, 10, 24, 9, 5), now, 'en-US')).toBe('Nov 24, 9:05 AM');
    expect(resultTime(new Date(2025, 10, 24, 9, 5), now, 'en-US')).toMatch(/^Nov 24, 2025.*9:05 AM$/);
    expect(resultTime('not a date', now)).toBe('');
  });
});

describe('resultKey', () => {
  it('goes down from the field into the first result, and up from the first back to it', () => {
    expect(resultKey(-1, 3, 'ArrowDown')).toBe(0);
    expect(resultKey(-1, 0, 'ArrowDown')).toBeNull();
    expect(resultKey(-1, 3, 'ArrowUp')).toBeNull();
    expect(resultKey(0, 3, 'ArrowUp')).toBe('field');
  });

  it('moves with Up, Down, Home and End, stopping at the last result', () => {
    expect(resultKey(0, 3, 'ArrowDown')).toBe(1);
    expect(resultKey(2, 3, 'ArrowDown')).toBeNull();
    expect(resultKey(2, 3, 'ArrowUp')).toBe(1);
    expect(resultKey(1, 3, 'Home')).toBe(0);
    expect(resultKey(0, 3, 'End')).toBe(2);
    expect(resultKey(1, 3, 'a')).toBeNull();
  });

  it('goes back to the field with Escape from a result, and leaves Escape in the field alone', () => {
    expect(resultKey(1, 3, 'Escape')).toBe('field');
    expect(resultKey(-1, 3, 'Escape')).toBeNull();
  });
});
