// PocketBase's date format, "2026-11-26 13:54:37.559Z" (UTC, a space instead of ISO's "T"): the one
// place that reads and writes it, for main, preload and renderer alike.

/** A Date as PocketBase writes it. */
export function toServerDate(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

/** A PocketBase date as a Date (Invalid Date for text that is not one). */
export function fromServerDate(value: string): Date {
  return new Date(value.replace(' ', 'T'));
}

/** Now, as PocketBase writes it. */
export function serverNow(): string {
  return toServerDate(new Date());
}

/** The same moment in ISO 8601, for a <time datetime> attribute. */
export function serverDateToIso(value: string): string {
  return value.replace(' ', 'T');
}
