import { expect, it } from 'vitest';
import { formatMessageTime, parseServerDate } from './time.ts';

it('reads PocketBase dates', () => {
  expect(parseServerDate('2026-11-26 13:54:37.559Z').toISOString()).toBe('2026-11-26T13:54:37.559Z');
});

it('shows only the time today, the weekday this week, the date before', () => {
  const now = new Date(2026, 10, 26, 15, 0);
  const local = (d: Date) => d.toISOString().replace('T', ' ');
  expect(formatMessageTime(local(new Date(2026, 10, 26, 9, 5)), now, 'en-GB')).toBe('09:05');
  expect(formatMessageTime(local(new Date(2026, 10, 24, 9, 5)), now, 'en-GB')).toBe('Tue 09:05');
  expect(formatMessageTime(local(new Date(2026, 9, 1, 9, 5)), now, 'en-GB')).toBe('1 Oct 09:05');
  expect(formatMessageTime(local(new Date(2025, 9, 1, 9, 5)), now, 'en-GB')).toBe('1 Oct 2025 09:05');
  expect(formatMessageTime('garbage', now)).toBe('');
});
