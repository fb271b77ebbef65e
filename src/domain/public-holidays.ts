import { DateTime } from 'luxon';
import type { HolidayCalendar } from './territories';

/**
 * French public holidays (jours fériés) of a year, as calendar dates 'YYYY-MM-DD'.
 * The eleven national ones (L3133-1); Alsace-Moselle adds Good Friday and 26 December (L3134-13);
 * each overseas department adds its abolition of slavery day.
 */
export interface PublicHoliday {
  date: string;
  /** Its everyday name: « Ascension », « 8 mai » (the date is the name for some). */
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

/** Abolition of slavery day of each overseas department (loi n° 83-550, décret n° 83-1003 modifié). */
const ABOLITION_DAYS: Partial<Record<HolidayCalendar, [number, number]>> = {
  guadeloupe: [5, 27],
  martinique: [5, 22],
  guyane: [6, 10],
  reunion: [12, 20],
  mayotte: [4, 27],
};

/**
 * Where each calendar's holidays come from, as shared/legal-references.md records them. Other
 * local customs (Mi-Carême, Good Friday in the Antilles, 21 July) are not statutory: not here.
 */
export const HOLIDAY_SOURCES: Record<HolidayCalendar, string> = {
  national: 'Code du travail, art. L3133-1',
  alsace_moselle: 'Code du travail, art. L3133-1 et L3134-13 (Alsace-Moselle)',
  guadeloupe: 'Code du travail, art. L3133-1 ; loi n° 83-550 du 30 juin 1983 et décret n° 83-1003 (27 mai)',
  martinique: 'Code du travail, art. L3133-1 ; loi n° 83-550 du 30 juin 1983 et décret n° 83-1003 (22 mai)',
  guyane: 'Code du travail, art. L3133-1 ; loi n° 83-550 du 30 juin 1983 et décret n° 83-1003 (10 juin)',
  reunion: 'Code du travail, art. L3133-1 ; loi n° 83-550 du 30 juin 1983 et décret n° 83-1003 (20 décembre)',
  mayotte: 'Code du travail, art. L3133-1 ; loi n° 83-550 du 30 juin 1983 et décret n° 83-1003 modifié (27 avril)',
};

/** The public holidays of a year in one calendar (national by default), in date order. */
export function frenchPublicHolidays(year: number, calendar: HolidayCalendar = 'national'): PublicHoliday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number, name: string) => ({ date: DateTime.utc(year, month, day).toISODate()!, name });
  const fromEaster = (days: number, name: string) => ({ date: easter.plus({ days }).toISODate()!, name });
  const holidays = [
    fixed(1, 1, 'Jour de l’an'),
    fromEaster(1, 'Lundi de Pâques'),
    fixed(5, 1, '1er mai'),
    fixed(5, 8, '8 mai'),
    fromEaster(39, 'Ascension'),
    fromEaster(50, 'Lundi de Pentecôte'),
    fixed(7, 14, '14 juillet'),
    fixed(8, 15, 'Assomption'),
    fixed(11, 1, 'Toussaint'),
    fixed(11, 11, '11 novembre'),
    fixed(12, 25, 'Noël'),
  ];
  if (calendar === 'alsace_moselle') {
    holidays.push(fromEaster(-2, 'Vendredi saint'), fixed(12, 26, 'Saint-Étienne'));
  }
  const abolition = ABOLITION_DAYS[calendar];
  if (abolition) holidays.push(fixed(abolition[0], abolition[1], 'Abolition de l’esclavage'));
  return holidays.sort((x, y) => x.date.localeCompare(y.date));
}

const cache = new Map<string, Map<string, string>>();

/** The holiday's name when the calendar date is a public holiday in that calendar, else undefined. */
export function publicHolidayOn(date: string, calendar: HolidayCalendar = 'national'): string | undefined {
  const year = Number(date.slice(0, 4));
  const key = `${year}:${calendar}`;
  let byDate = cache.get(key);
  if (!byDate) {
    byDate = new Map();
    // Two holidays can fall on one day (Whit Monday and 10 June in Guyane in 2030): both are named.
    for (const h of frenchPublicHolidays(year, calendar)) byDate.set(h.date, byDate.has(h.date) ? `${byDate.get(h.date)} et ${h.name}` : h.name);
    cache.set(key, byDate);
  }
  return byDate.get(date);
}
