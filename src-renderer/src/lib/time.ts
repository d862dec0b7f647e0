// Message times as people read them, in their own locale through Intl: the clock time beside a message
// ("2:38 PM" in en-US, "14:38" in de), the day above a run of messages ("Today", "Yesterday",
// "Tuesday, November 24", or "Heute", "Gestern", "Dienstag, 24. November" in de: one language per divider
// list), and the full date and time for a tooltip. Days are calendar days in the
// reader's time zone, compared as dates rather than by subtracting hours, so a day that is 23 or 25 hours
// long (daylight saving) still starts at its own midnight.
import { fromServerDate } from '../../../src-shared/dates.ts';

/** Whose clock and language: undefined means the system's (the browser's own time zone and locale). */
export interface TimeOptions {
  locale?: string;
  timeZone?: string;
}

/** The person's locale, as the browser reports it. */
export function browserLocale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

// Building a formatter costs far more than using one, and every message asks: one per kind and place.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, options: TimeOptions, settings: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}|${options.locale ?? ''}|${options.timeZone ?? ''}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(options.locale, { ...settings, timeZone: options.timeZone });
    formatters.set(key, found);
  }
  return found;
}

function toDate(value: string | Date): Date | null {
  const date = typeof value === 'string' ? fromServerDate(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The time of day the locale's own way: "2:38 PM", "14:38", never a zero-padded 12-hour "02:38 PM". */
export function formatClockTime(value: string | Date, options: TimeOptions = {}): string {
  const date = toDate(value);
  return date ? formatter('clock', options, { timeStyle: 'short' }).format(date) : '';
}

/** The full date and time, for a tooltip. */
export function formatFullTime(value: string | Date, options: TimeOptions = {}): string {
  const date = toDate(value);
  return date ? formatter('full', options, { dateStyle: 'full', timeStyle: 'short' }).format(date) : '';
}

/** The calendar day of a moment in the time zone, as "2026-11-24": equal keys, same day. */
export function dayKey(value: string | Date, timeZone?: string): string {
  const date = toDate(value);
  if (!date) return '';
  // The reader's own zone is the one Date's local getters use (Intl's default is the same): asked for
  // every message of a page opened, where Intl's formatToParts was a good part of drawing it.
  if (timeZone === undefined) return localDayKey(date);
  const parts = formatter(
    'day',
    { locale: 'en-US', timeZone },
    {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      numberingSystem: 'latn',
    },
  ).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** As Intl writes it for the same zone (the year unpadded, as Intl's numeric year). */
function localDayKey(date: Date): string {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** The day before a day key, by the calendar (never "24 hours earlier"). */
function previousDay(key: string): string {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}

const relativeDays = new Map<string, Intl.RelativeTimeFormat>();

/**
 * "Today" or "Yesterday" in the locale's own words. Intl writes them, and some languages' dates ("mardi
 * 24 novembre"), in lower case for use mid-sentence: a divider starts with a capital, by the locale's own
 * case rules, so every divider in a list looks alike.
 */
function relativeDay(offset: 0 | -1, locale: string | undefined): string {
  let format = relativeDays.get(locale ?? '');
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeDays.set(locale ?? '', format);
  }
  return capitalized(format.format(offset, 'day'), locale);
}

function capitalized(text: string, locale: string | undefined): string {
  const [first = '', ...rest] = text;
  return first.toLocaleUpperCase(locale) + rest.join('');
}

/**
 * What a day divider says: "Today", "Yesterday" (in the locale's language), else the weekday and date in the locale, with the year
 * only when it is not this year.
 */
export function formatDayLabel(value: string | Date, now: Date, options: TimeOptions = {}): string {
  const date = toDate(value);
  if (!date) return '';
  const day = dayKey(date, options.timeZone);
  const today = dayKey(now, options.timeZone);
  if (day === today) return relativeDay(0, options.locale);
  if (day === previousDay(today)) return relativeDay(-1, options.locale);
  const thisYear = day.slice(0, 4) === today.slice(0, 4);
  const label = formatter(thisYear ? 'weekday' : 'weekday-year', options, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(thisYear ? {} : { year: 'numeric' }),
  }).format(date);
  return capitalized(label, options.locale);
}

/** Milliseconds from now to the next local midnight, when "Today" and "Yesterday" move on. */
export function msUntilNextDay(now: Date): number {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return next.getTime() - now.getTime();
}
