import { describe, expect, it, vi } from 'vitest';
import { dayKey, formatClockTime, formatDayLabel, formatFullTime, msUntilNextDay } from './time.ts';

// Every case names its time zone, so the tests mean the same on any machine.
const utc = { timeZone: 'UTC' };

describe('clock times in the locale', () => {
  const afternoon = '2026-11-24 14:38:00.000Z';
  const morning = '2026-11-24 09:05:00.000Z';

  it('uses twelve hours without a zero-padded hour where the locale does', () => {
    expect(formatClockTime(afternoon, { locale: 'en-US', ...utc })).toBe('2:38 PM');
    expect(formatClockTime(morning, { locale: 'en-US', ...utc })).toBe('9:05 AM');
    expect(formatClockTime('2026-11-24 00:05:00.000Z', { locale: 'en-US', ...utc })).toBe('12:05 AM');
  });

  it('uses twenty-four hours where the locale does', () => {
    expect(formatClockTime(afternoon, { locale: 'de-DE', ...utc })).toBe('14:38');
    expect(formatClockTime(afternoon, { locale: 'en-GB', ...utc })).toBe('14:38');
    expect(formatClockTime(morning, { locale: 'en-GB', ...utc })).toBe('09:05');
    expect(formatClockTime(afternoon, { locale: 'fr-FR', ...utc })).toBe('14:38');
  });

  it('shows the moment in the reader time zone, summer time included', () => {
    // Berlin is UTC+1 in winter, UTC+2 in summer.
    expect(formatClockTime(afternoon, { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toBe('15:38');
    expect(formatClockTime('2026-07-01 14:38:00.000Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toBe('16:38');
    expect(formatClockTime(afternoon, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('9:38 AM');
  });

  it('gives the full date and time for the tooltip', () => {
    expect(formatFullTime(afternoon, { locale: 'en-US', ...utc })).toBe('Tuesday, November 24, 2026 at 2:38 PM');
    expect(formatFullTime(afternoon, { locale: 'de-DE', ...utc })).toBe('Dienstag, 24. November 2026 um 14:38');
  });

  it('gives nothing for text that is not a date', () => {
    expect(formatClockTime('garbage')).toBe('');
    expect(formatFullTime('garbage')).toBe('');
    expect(dayKey('garbage')).toBe('');
    expect(formatDayLabel('garbage', new Date())).toBe('');
  });
});

describe('day dividers', () => {
  const now = new Date('2026-11-26T15:00:00Z'); // a Thursday

  it('says Today, Yesterday, then the weekday and date', () => {
    const en = { locale: 'en-US', ...utc };
    expect(formatDayLabel('2026-11-26 09:00:00.000Z', now, en)).toBe('Today');
    expect(formatDayLabel('2026-11-25 09:00:00.000Z', now, en)).toBe('Yesterday');
    expect(formatDayLabel('2026-11-24 09:00:00.000Z', now, en)).toBe('Tuesday, November 24');
    expect(formatDayLabel('2026-11-24 09:00:00.000Z', now, { locale: 'de-DE', ...utc })).toBe('Dienstag, 24. November');
    expect(formatDayLabel('2026-11-24 09:00:00.000Z', now, { locale: 'en-GB', ...utc })).toBe('Tuesday 24 November');
  });

  it('says Today and Yesterday in the language of the dates, with a capital letter', () => {
    const labels = (locale: string) =>
      ['2026-11-26 09:00:00.000Z', '2026-11-25 09:00:00.000Z', '2026-11-24 09:00:00.000Z'].map((day) =>
        formatDayLabel(day, now, { locale, ...utc }),
      );
    expect(labels('en-US')).toEqual(['Today', 'Yesterday', 'Tuesday, November 24']);
    expect(labels('de-DE')).toEqual(['Heute', 'Gestern', 'Dienstag, 24. November']);
    expect(labels('fr-FR')).toEqual(['Aujourd’hui', 'Hier', 'Mardi 24 novembre']);
  });

  it('names the year only when it is not this year', () => {
    const en = { locale: 'en-US', ...utc };
    expect(formatDayLabel('2026-01-01 09:00:00.000Z', now, en)).toBe('Thursday, January 1');
    expect(formatDayLabel('2025-12-31 09:00:00.000Z', now, en)).toBe('Wednesday, December 31, 2025');
    // Yesterday across a new year is still Yesterday.
    expect(formatDayLabel('2025-12-31 23:59:00.000Z', new Date('2026-01-01T00:00:00Z'), en)).toBe('Yesterday');
  });

  it('puts 23:59 on yesterday and 00:00 on today', () => {
    const midnight = new Date('2026-11-26T00:00:00Z');
    expect(formatDayLabel('2026-11-25 23:59:59.999Z', midnight, utc)).toBe('Yesterday');
    expect(formatDayLabel('2026-11-26 00:00:00.000Z', midnight, utc)).toBe('Today');
    expect(formatDayLabel('2026-11-24 23:59:59.999Z', midnight, { locale: 'en-US', ...utc })).toBe(
      'Tuesday, November 24',
    );
  });

  it('counts days in the reader time zone, not in UTC', () => {
    // 23:30 UTC on the 25th is already the 26th in Berlin and still the 25th in New York.
    const moment = '2026-11-25 23:30:00.000Z';
    const later = new Date('2026-11-26T12:00:00Z');
    expect(formatDayLabel(moment, later, { timeZone: 'Europe/Berlin' })).toBe('Today');
    expect(formatDayLabel(moment, later, { timeZone: 'America/New_York' })).toBe('Yesterday');
    expect(formatDayLabel(moment, later, { timeZone: 'Pacific/Auckland' })).toBe('Yesterday');
    expect(dayKey(moment, 'Europe/Berlin')).toBe('2026-11-26');
    expect(dayKey(moment, 'America/Los_Angeles')).toBe('2026-11-25');
  });

  it("gives the reader's own zone the day that zone's calendar says, midnights and daylight saving included", () => {
    // Without a zone the day comes from Date's local getters (cheaper than Intl on every message): it must
    // agree with Intl for the same zone, named.
    try {
      for (const zone of ['Europe/Berlin', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC']) {
        vi.stubEnv('TZ', zone); // Node takes the process's zone from TZ as it changes
        for (const moment of [
          '2026-03-28 22:59:00.000Z',
          '2026-03-28 23:00:00.000Z',
          '2026-03-29 00:30:00.000Z',
          '2026-10-25 00:59:59.999Z',
          '2026-11-08 09:30:00.000Z',
          '2026-12-31 23:59:59.000Z',
          '2027-01-01 10:15:00.000Z',
          '0999-06-01 12:00:00.000Z',
        ])
          expect(`${zone} ${dayKey(moment)}`).toBe(`${zone} ${dayKey(moment, zone)}`);
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps days whole across daylight saving changes', () => {
    // Berlin springs forward on 29 March 2026 (a 23-hour day): 00:30 that night is that day, and a
    // moment just before the previous midnight is Yesterday, though less than 24 hours earlier.
    const berlin = { timeZone: 'Europe/Berlin' };
    const springMorning = new Date('2026-03-29T08:00:00Z'); // 10:00 CEST
    expect(formatDayLabel('2026-03-28 22:59:00.000Z', springMorning, berlin)).toBe('Yesterday'); // 23:59 CET
    expect(formatDayLabel('2026-03-28 23:00:00.000Z', springMorning, berlin)).toBe('Today'); // 00:00 CET
    // New York falls back on 1 November 2026 (a 25-hour day): late that evening, its first minute is
    // still Today though more than 24 hours ago, and the minute before it is Yesterday.
    const newYork = { timeZone: 'America/New_York' };
    const lateOnFallBack = new Date('2026-11-02T04:30:00Z'); // 23:30 EST on 1 November
    expect(formatDayLabel('2026-11-01 04:00:00.000Z', lateOnFallBack, newYork)).toBe('Today'); // 00:00 EDT
    expect(formatDayLabel('2026-11-01 03:59:00.000Z', lateOnFallBack, newYork)).toBe('Yesterday'); // 23:59 EDT
  });

  it('waits until the next local midnight to move the days on', () => {
    const now = new Date(2026, 10, 26, 23, 59, 0);
    expect(msUntilNextDay(now)).toBe(60_000);
    expect(msUntilNextDay(new Date(2026, 10, 26, 0, 0, 0))).toBe(
      new Date(2026, 10, 27).getTime() - new Date(2026, 10, 26).getTime(),
    );
  });
});
