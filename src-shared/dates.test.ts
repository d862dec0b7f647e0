import { expect, it } from 'vitest';
import { fromServerDate, serverDateToIso, serverNow, toServerDate } from './dates.ts';

const SERVER = '2026-11-26 13:54:37.559Z';
const ISO = '2026-11-26T13:54:37.559Z';

it('writes a Date as PocketBase does: UTC, a space between date and time', () => {
  expect(toServerDate(new Date(ISO))).toBe(SERVER);
});

it('reads a PocketBase date back to the same moment', () => {
  expect(fromServerDate(SERVER).toISOString()).toBe(ISO);
  expect(fromServerDate(toServerDate(new Date(0))).getTime()).toBe(0);
});

it('reads text that is not a date as an Invalid Date, not as some other moment', () => {
  for (const text of ['', 'garbage', '2026-13-45 99:99:99.000Z']) {
    expect(Number.isNaN(fromServerDate(text).getTime()), text).toBe(true);
  }
});

it('gives the ISO 8601 spelling for a <time datetime> attribute', () => {
  expect(serverDateToIso(SERVER)).toBe(ISO);
});

it('serverNow is the current moment in the server format, which sorts as the moment does', () => {
  const before = Date.now();
  const now = serverNow();
  const after = Date.now();
  expect(now).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(fromServerDate(now).getTime()).toBeGreaterThanOrEqual(before);
  expect(fromServerDate(now).getTime()).toBeLessThanOrEqual(after);
  // History is ordered by comparing these strings, so text order must be time order.
  expect(toServerDate(new Date('2026-01-02T00:00:00Z')) < toServerDate(new Date('2026-01-10T00:00:00Z'))).toBe(true);
});
