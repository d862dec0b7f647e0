import { expect, it } from 'vitest';
import { faceOf, hue, initials } from './avatar.ts';

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

it("keeps each face apart: a renamed person's initials change, two people never share one", () => {
  expect(faceOf('u1', 'Alice Liddell', 'alice')).toEqual({ initials: 'AL', hue: hue('u1') });
  expect(faceOf('u1', 'Alice Liddell', 'alice')).toBe(faceOf('u1', 'Alice Liddell', 'alice'));
  expect(faceOf('u1', 'Zoe Quinn', 'alice').initials).toBe('ZQ');
  expect(faceOf('u2', 'Alice Liddell', 'alice').hue).toBe(hue('u2'));
});
