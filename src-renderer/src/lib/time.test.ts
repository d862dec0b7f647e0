import { expect, it } from 'vitest';
import { toServerDate } from '../../../src-shared/dates.ts';
import { formatFullTime, formatMessageTime } from './time.ts';

it('shows only the time today, the weekday this week, the date before', () => {
  const now = new Date(2026, 10, 26, 15, 0);
  expect(formatMessageTime(toServerDate(new Date(2026, 10, 26, 9, 5)), now, 'en-GB')).toBe('09:05');
  expect(formatMessageTime(toServerDate(new Date(2026, 10, 24, 9, 5)), now, 'en-GB')).toBe('Tue 09:05');
  expect(formatMessageTime(toServerDate(new Date(2026, 9, 1, 9, 5)), now, 'en-GB')).toBe('1 Oct 09:05');
  expect(formatMessageTime(toServerDate(new Date(2025, 9, 1, 9, 5)), now, 'en-GB')).toBe('1 Oct 2025 09:05');
  expect(formatMessageTime('garbage', now)).toBe('');
});

it('gives no time for text that is not a date', () => {
  expect(formatFullTime('garbage')).toBe('');
  expect(formatFullTime(toServerDate(new Date(2026, 10, 26, 9, 5)), 'en-GB')).toContain('09:05');
});
