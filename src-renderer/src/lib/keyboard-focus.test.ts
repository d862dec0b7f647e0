import { expect, it } from 'vitest';
import { fieldToFocus } from './keyboard-focus.ts';

const fields = ['server', 'identity', 'password'];

it('focuses the first empty field of a fresh form', () => {
  expect(fieldToFocus(fields, { server: 'https://chat.example.com', identity: '', password: '' })).toBe('identity');
  expect(fieldToFocus(fields, { server: 'https://chat.example.com', identity: 'bob', password: '' })).toBe('password');
  expect(fieldToFocus(fields, { server: '', identity: '', password: '' })).toBe('server');
});

it('focuses the first field with an error after a refusal, even when an earlier one is empty', () => {
  const values = { server: 'https://chat.example.com', identity: '', password: 'x' };
  expect(fieldToFocus(fields, values, { password: 'Wrong password.' })).toBe('password');
  expect(fieldToFocus(fields, values, { identity: 'Enter it.', password: 'Enter it.' })).toBe('identity');
});

it('focuses nothing when every field is filled and none is refused', () => {
  expect(fieldToFocus(fields, { server: 'a', identity: 'b', password: 'c' })).toBeNull();
  expect(fieldToFocus(fields, { server: 'a', identity: 'b', password: 'c' }, { other: 'not a field' })).toBeNull();
});
