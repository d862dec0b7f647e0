import { describe, expect, it } from 'vitest';
import { isListKey, stepIndex, survivorOf } from './keyboard-roving.ts';

describe('stepIndex', () => {
  it('moves one item up or down, and stops at the edges unless the list wraps', () => {
    expect(stepIndex(1, 3, 'ArrowDown')).toBe(2);
    expect(stepIndex(1, 3, 'ArrowUp')).toBe(0);
    expect(stepIndex(2, 3, 'ArrowDown')).toBeNull();
    expect(stepIndex(0, 3, 'ArrowUp')).toBeNull();
    expect(stepIndex(2, 3, 'ArrowDown', true)).toBe(0);
    expect(stepIndex(0, 3, 'ArrowUp', true)).toBe(2);
  });

  it('goes to the first and the last item with Home and End', () => {
    expect(stepIndex(1, 5, 'Home')).toBe(0);
    expect(stepIndex(1, 5, 'End')).toBe(4);
  });

  it('starts at the top going down and at the bottom going up when nothing was chosen', () => {
    expect(stepIndex(-1, 4, 'ArrowDown')).toBe(0);
    expect(stepIndex(-1, 4, 'ArrowUp')).toBe(3);
  });

  it('does nothing for other keys or an empty list', () => {
    expect(stepIndex(0, 3, 'ArrowLeft')).toBeNull();
    expect(stepIndex(0, 3, 'Enter')).toBeNull();
    expect(stepIndex(-1, 0, 'ArrowDown')).toBeNull();
    expect(isListKey('End')).toBe(true);
    expect(isListKey('PageDown')).toBe(false);
  });
});

describe('survivorOf', () => {
  it('is the next item still there, else the previous one', () => {
    expect(survivorOf(['a', 'b', 'c'], 'b', new Set(['a', 'c']))).toBe('c');
    expect(survivorOf(['a', 'b', 'c'], 'c', new Set(['a', 'b']))).toBe('b');
    expect(survivorOf(['a', 'b', 'c', 'd'], 'b', new Set(['a', 'd']))).toBe('d');
    expect(survivorOf(['a', 'b', 'c'], 'a', new Set(['c']))).toBe('c');
  });

  it('is nothing when the list is empty now or the item was never in it', () => {
    expect(survivorOf(['a'], 'a', new Set())).toBeNull();
    expect(survivorOf(['a', 'b'], 'x', new Set(['a', 'b']))).toBeNull();
  });
});
