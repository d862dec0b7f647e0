import { expect, it } from 'vitest';
import { chosenName, displayName, personLabel, withoutBidiControls } from './person-name.ts';

it('names a person by the name they chose, always with their username', () => {
  expect(personLabel({ username: 'bob', name: 'Bob Marley' })).toBe('Bob Marley (@bob)');
  expect(personLabel({ username: 'bob', name: '' })).toBe('bob');
  expect(personLabel({ username: 'bob' })).toBe('bob');
  expect(personLabel({ username: 'bob', name: '  \n ' })).toBe('bob');
  expect(displayName({ username: 'bob', name: 'Bob' })).toBe('Bob');
  expect(displayName({ username: 'bob', name: '' })).toBe('bob');
});

it('tells apart someone who took another person’s name', () => {
  const bob = { username: 'bob', name: 'Bob' };
  const mallory = { username: 'mallory', name: 'Bob' };
  expect(personLabel(mallory)).not.toBe(personLabel(bob));
  expect(personLabel(mallory)).toBe('Bob (@mallory)');
  // Even a name that looks like a whole label ends with the real username.
  expect(personLabel({ username: 'mallory', name: 'Bob (@bob)' })).toBe('Bob (@bob) (@mallory)');
  // A name that is another person's username without a chosen name still shows whose it is.
  expect(personLabel({ username: 'mallory', name: 'bob' })).toBe('bob (@mallory)');
});

it('drops direction overrides that would turn the username around', () => {
  // U+202E would show "(@mallory)" mirrored; U+2066..U+2069 and marks are dropped as well.
  expect(personLabel({ username: 'mallory', name: '\u202eBob' })).toBe('Bob (@mallory)');
  expect(chosenName({ username: 'm', name: 'a\u2066b\u2069c\u200f\u061c' })).toBe('abc');
  expect(withoutBidiControls('x\u202ay\u202bz\u202c\u202d\u200e')).toBe('xyz');
  // Right-to-left letters themselves stay: they are someone's name.
  expect(personLabel({ username: 'dana', name: 'דנה' })).toBe('דנה (@dana)');
});
