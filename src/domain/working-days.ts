import { DateTime } from 'luxon';
import { publicHolidayOn } from './public-holidays';
import { remembered } from './remembered';
import type { HolidayCalendar } from './territories';

/**
 * Day counting of the Code du travail's limits for one agent's calendar: their own public
 * holidays (national, Alsace-Moselle or an overseas department's) decide which days count.
 */
export interface WorkingDays {
  calendar: HolidayCalendar;
  holidayOn(date: string): string | undefined;
  /** Jours ouvrables: Monday to Saturday, the calendar's public holidays excluded. */
  isJourOuvrable(date: string): boolean;
  /** A Saturday, a Sunday or a public holiday: the days the CPC 642 extension skips. */
  isNonWorkingDay(date: string): boolean;
  /**
   * The last day of a limit if the extension to the next working day applied: the limit's own
   * end when it is a working day, else the next day that is not a Saturday, Sunday or holiday.
   */
  extendedEnd(due: string): string;
  /**
   * The earliest date a sanction can be notified after an entretien préalable (L1332-2): the day
   * after the second jour ouvrable following the interview (the interview day does not count,
   * and both days must have fully passed).
   */
  earliestSanctionDate(hearing: string): string;
}

const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' });
export const nextDay: (date: string) => string = remembered((date) => day(date).plus({ days: 1 }).toISODate()!);
export const weekdayOf: (date: string) => number = remembered((date) => day(date).weekday);

const byCalendar = new Map<HolidayCalendar, WorkingDays>();

export function workingDays(calendar: HolidayCalendar = 'national'): WorkingDays {
  const known = byCalendar.get(calendar);
  if (known) return known;
  const holidayOn = (date: string) => publicHolidayOn(date, calendar);
  const isJourOuvrable = (date: string) => weekdayOf(date) !== 7 && !holidayOn(date);
  const isNonWorkingDay = (date: string) => weekdayOf(date) >= 6 || holidayOn(date) !== undefined;
  const rules: WorkingDays = {
    calendar,
    holidayOn,
    isJourOuvrable,
    isNonWorkingDay,
    extendedEnd(due) {
      let current = due;
      while (isNonWorkingDay(current)) current = nextDay(current);
      return current;
    },
    earliestSanctionDate(hearing) {
      let current = hearing;
      let counted = 0;
      while (counted < 2) {
        current = nextDay(current);
        if (isJourOuvrable(current)) counted += 1;
      }
      return nextDay(current);
    },
  };
  byCalendar.set(calendar, rules);
  return rules;
}
