import { describe, expect, it } from 'vitest';
import { remembered } from './list-places.ts';

describe('remembered', () => {
  it('computes each key once, and forgets everything at once past its limit', () => {
    const asked: string[] = [];
    const length = remembered((key) => {
      asked.push(key);
      return key.length;
    }, 2);
    expect([length('a'), length('bb'), length('a'), length('bb')]).toEqual([1, 2, 1, 2]);
    expect(asked).toEqual(['a', 'bb']);
    length('ccc'); // a third key: still within the limit until the next one
    length('dddd'); // past it: forgotten, then kept anew
    length('a');
    expect(asked).toEqual(['a', 'bb', 'ccc', 'dddd', 'a']);
  });
});
