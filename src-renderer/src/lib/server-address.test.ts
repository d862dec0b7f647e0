import { expect, it } from 'vitest';
import { normalizeServer } from './server-address.ts';

// What the sign-in form does with a typed address (the cases themselves: src-shared/server-address.test.ts).
it('normalizes typed server addresses', () => {
  expect(normalizeServer(' chat.example.com/ ')).toBe('http://chat.example.com');
  expect(normalizeServer('https://chat.example.com//')).toBe('https://chat.example.com');
  expect(normalizeServer('127.0.0.1:8090')).toBe('http://127.0.0.1:8090');
  expect(normalizeServer('')).toBe('');
});
