import { describe, expect, it } from 'vitest';
import { elementStem } from './thread-info.ts';

describe('elementStem', () => {
  // A reply also sent to the room is drawn in the room's list and in the thread panel at once.
  it('gives the same message different element ids in the room and in the thread panel', () => {
    expect(elementStem('abc123', false)).toBe('abc123');
    expect(elementStem('abc123', true)).not.toBe(elementStem('abc123', false));
  });
});
