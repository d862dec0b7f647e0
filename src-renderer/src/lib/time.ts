// Message times as people read them: "14:05" today, "Mon 14:05" this week, "12 Nov 14:05" before.
import { fromServerDate } from '../../../src-shared/dates.ts';

export function formatMessageTime(value: string, now = new Date(), locale?: string): string {
  const date = fromServerDate(value);
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (date.getTime() >= startOfToday) return time;
  if (date.getTime() >= startOfToday - 6 * 86_400_000)
    return `${date.toLocaleDateString(locale, { weekday: 'short' })} ${time}`;
  const sameYear = date.getFullYear() === now.getFullYear();
  return `${date.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) })} ${time}`;
}

/** The full date and time, for a tooltip. */
export function formatFullTime(value: string, locale?: string): string {
  const date = fromServerDate(value);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' });
}
