import { expect, it } from 'vitest';
import { isRecordId, newRecordId, RECORD_ID_LENGTH } from './record-id.ts';

it('isRecordId accepts exactly 15 characters of a-z0-9', () => {
  expect(RECORD_ID_LENGTH).toBe(15);
  expect(isRecordId('a1b2c3d4e5f6g7h')).toBe(true);
  for (const value of [
    '',
    'abc123',
    'a1b2c3d4e5f6g7',
    'a1b2c3d4e5f6g7hh',
    'A1B2C3D4E5F6G7H',
    'a1b2c3d4e5f6g7_',
    'a1b2c3d4e5f6g7h\n',
    '../../etc/passwd',
    42,
    null,
    undefined,
    ['a1b2c3d4e5f6g7h'],
  ]) {
    expect(isRecordId(value), JSON.stringify(value)).toBe(false);
  }
});

it('makes PocketBase-shaped ids that do not repeat', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => newRecordId()));
  expect(ids.size).toBe(2000);
  for (const id of ids) expect(isRecordId(id), id).toBe(true);
});

it('skips random bytes that would favour some characters over others', () => {
  // Bytes from 252 up are refused; 0 and 36 both map to 'a', 35 to '9'.
  const bytes = [255, 252, 0, 36, 35, ...Array<number>(27).fill(1)];
  expect(newRecordId((buffer) => buffer.map((_, i) => bytes[i] ?? 1))).toBe('aa9bbbbbbbbbbbb');
});
