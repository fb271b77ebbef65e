import { DateTime } from 'luxon';
import { remembered } from './remembered';

const LONG = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** '2024-09-03' → « 3 septembre 2024 ». */
export const frenchDate: (date: string) => string = remembered((date) => withFirst(LONG.format(new Date(`${date}T00:00:00Z`))));

/** French writes the first of the month as an ordinal: « 1er septembre 2024 ». */
export function withFirst(formatted: string): string {
  return formatted.replace(/^1 /, '1er ');
}

const plus = remembered((key) => {
  const [date, unit, count] = key.split('|') as [string, 'months' | 'years', string];
  // Luxon keeps the day, or takes the month's last day when it has none (31 Dec + 2 months = 28/29 Feb).
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ [unit]: Number(count) }).toISODate()!;
});

export function addMonths(date: string, months: number): string {
  return plus(`${date}|months|${months}`);
}

export function addYears(date: string, years: number): string {
  return plus(`${date}|years|${years}`);
}

export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/**
 * The last minute asked and its Paris date: every page asks several times a request, and luxon's
 * zone conversion showed in the dashboard's profile. Paris offsets are whole hours, so a date
 * never changes within a minute.
 */
let lastMinute = { minute: Number.NaN, date: '' };

/** The calendar date in Paris at a given instant: what "today" means for legal deadlines. */
export function parisToday(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastMinute.minute) lastMinute = { minute, date: DateTime.fromJSDate(now).setZone('Europe/Paris').toISODate()! };
  return lastMinute.date;
}
