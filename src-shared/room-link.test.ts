import { expect, it } from 'vitest';
import { isRecordId, roomLink } from './room-link.ts';

it('isRecordId accepts exactly 15 characters of a-z0-9', () => {
  expect(isRecordId('a1b2c3d4e5f6g7h')).toBe(true);
  for (const value of ['', 'a1b2c3d4e5f6g7', 'a1b2c3d4e5f6g7hh', 'A1B2C3D4E5F6G7H', 'a1b2c3d4e5f6g7_', 'a1b2c3d4e5f6g7h\n', 42, null, undefined, ['a1b2c3d4e5f6g7h']]) {
    expect(isRecordId(value), JSON.stringify(value)).toBe(false);
  }
});

it('roomLink writes palaver://room/<id>', () => {
  expect(roomLink('a1b2c3d4e5f6g7h')).toBe('palaver://room/a1b2c3d4e5f6g7h');
});
