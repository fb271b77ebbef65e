import { DateTime } from 'luxon';

/**
 * French public holidays (jours fériés) of a year, as calendar dates 'YYYY-MM-DD'.
 * The eleven national ones; Alsace-Moselle adds Good Friday and 26 December.
 */
export interface PublicHoliday {
  date: string;
  name: string;
}

/** Easter Sunday, Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(year, month, day);
}

export function frenchPublicHolidays(year: number, options: { alsaceMoselle?: boolean } = {}): PublicHoliday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number, name: string) => ({ date: DateTime.utc(year, month, day).toISODate()!, name });
  const fromEaster = (days: number, name: string) => ({ date: easter.plus({ days }).toISODate()!, name });
  const holidays = [
    fixed(1, 1, 'Jour de l’an'),
    fromEaster(1, 'Lundi de Pâques'),
    fixed(5, 1, 'Fête du Travail'),
    fixed(5, 8, 'Victoire 1945'),
    fromEaster(39, 'Ascension'),
    fromEaster(50, 'Lundi de Pentecôte'),
    fixed(7, 14, 'Fête nationale'),
    fixed(8, 15, 'Assomption'),
    fixed(11, 1, 'Toussaint'),
    fixed(11, 11, 'Armistice 1918'),
    fixed(12, 25, 'Noël'),
  ];
  if (options.alsaceMoselle) {
    holidays.push(fromEaster(-2, 'Vendredi saint (Alsace-Moselle)'), fixed(12, 26, 'Saint-Étienne (Alsace-Moselle)'));
  }
  return holidays.sort((x, y) => x.date.localeCompare(y.date));
}

const cache = new Map<string, Map<string, string>>();

/** The holiday's name when the calendar date is a public holiday, else undefined. */
export function publicHolidayOn(date: string, options: { alsaceMoselle?: boolean } = {}): string | undefined {
  const year = Number(date.slice(0, 4));
  const key = `${year}:${options.alsaceMoselle ? 'am' : 'fr'}`;
  let byDate = cache.get(key);
  if (!byDate) {
    byDate = new Map(frenchPublicHolidays(year, options).map((h) => [h.date, h.name]));
    cache.set(key, byDate);
  }
  return byDate.get(date);
}
