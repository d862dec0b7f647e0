import { expect, it } from 'vitest';
import { hue, initials } from './avatar.ts';

it('uses two initials from the name, else from the username', () => {
  expect(initials('Alice Liddell', 'alice')).toBe('AL');
  expect(initials('', 'bob.marley')).toBe('BM');
  expect(initials('', 'carol')).toBe('CA');
  expect(initials('Élodie', 'x')).toBe('ÉL');
});

it('gives each user a stable colour', () => {
  expect(hue('abc')).toBe(hue('abc'));
  expect(hue('abc')).not.toBe(hue('abd'));
  expect(hue('zzzzzzzzzzzzzzz')).toBeLessThan(360);
});
