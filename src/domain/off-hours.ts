import { DateTime } from 'luxon';
import { publicHolidayOn } from './public-holidays';

/**
 * Classifies flagged consultations the way the direction's query did ("horaires hors normes":
 * 20h–5h, Saturdays and Sundays), in Paris time, and adds what the direction's list did not say:
 * public holidays, and whether the consultation fell within the agent's own declared hours.
 */
export const PARIS = 'Europe/Paris';
export const ODD_HOURS_START = 20;
export const ODD_HOURS_END = 5;

export type OddHoursReason = 'night' | 'saturday' | 'sunday' | 'public_holiday';

/** Declared working pattern; days are ISO weekdays (1 = Monday … 7 = Sunday). */
export interface WorkingPattern {
  days: number[];
  start: string; // 'HH:MM'
  end: string; // 'HH:MM'
}

export interface ConsultationClassification {
  localDate: string;
  localTime: string;
  weekday: number;
  oddHours: boolean;
  reasons: OddHoursReason[];
  holidayName?: string;
  /** null when the agent's working pattern is unknown. */
  withinDeclaredHours: boolean | null;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Wall-clock fields of an instant in Paris. */
export interface ParisClock {
  date: string;
  weekday: number;
  hour: number;
  minute: number;
}

const clockCache = new Map<string, Omit<ParisClock, 'minute'>>();
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z$/;

/**
 * Paris wall clock of an instant. Paris is a whole number of hours from UTC, so a UTC hour maps to
 * one Paris hour: the time-zone computation (luxon) runs once per UTC hour seen, which keeps
 * statistics over hundreds of thousands of consultations fast.
 */
export function parisClock(at: string): ParisClock {
  const utc = UTC_INSTANT.exec(at);
  if (!utc) {
    const local = DateTime.fromISO(at).setZone(PARIS);
    if (!local.isValid) throw new RangeError(`Invalid consultation instant: ${at}`);
    return { date: local.toISODate()!, weekday: local.weekday, hour: local.hour, minute: local.minute };
  }
  const hourKey = utc[1]!;
  let hour = clockCache.get(hourKey);
  if (!hour) {
    const local = DateTime.fromISO(`${hourKey}:00:00Z`).setZone(PARIS);
    if (!local.isValid) throw new RangeError(`Invalid consultation instant: ${at}`);
    hour = { date: local.toISODate()!, weekday: local.weekday, hour: local.hour };
    if (clockCache.size > 50_000) clockCache.clear();
    clockCache.set(hourKey, hour);
  }
  return { ...hour, minute: Number(utc[2]) };
}

export function isWithinPattern(local: Pick<ParisClock, 'weekday' | 'hour' | 'minute'>, pattern: WorkingPattern | null | undefined): boolean | null {
  if (!pattern || pattern.days.length === 0) return null;
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(pattern.start);
  const end = minutesOf(pattern.end);
  if (start === end) return null;
  if (start < end) return pattern.days.includes(local.weekday) && minute >= start && minute < end;
  // A pattern crossing midnight (e.g. 22:00–06:00) belongs to the day it starts.
  if (minute >= start) return pattern.days.includes(local.weekday);
  const previousDay = local.weekday === 1 ? 7 : local.weekday - 1;
  return pattern.days.includes(previousDay) && minute < end;
}

/** @param at an ISO instant (with offset or Z). */
export function classifyConsultation(
  at: string,
  pattern?: WorkingPattern | null,
  options: { alsaceMoselle?: boolean } = {},
): ConsultationClassification {
  const local = parisClock(at);
  const localDate = local.date;
  const reasons: OddHoursReason[] = [];
  if (local.hour >= ODD_HOURS_START || local.hour < ODD_HOURS_END) reasons.push('night');
  if (local.weekday === 6) reasons.push('saturday');
  if (local.weekday === 7) reasons.push('sunday');
  const holidayName = publicHolidayOn(localDate, options);
  if (holidayName) reasons.push('public_holiday');
  return {
    localDate,
    localTime: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`,
    weekday: local.weekday,
    oddHours: reasons.length > 0,
    reasons,
    ...(holidayName ? { holidayName } : {}),
    withinDeclaredHours: holidayName ? (pattern ? false : null) : isWithinPattern(local, pattern),
  };
}

/** A Paris wall-clock time typed in a form ('YYYY-MM-DDTHH:MM') as a UTC instant. */
export function parisLocalToInstant(local: string): string | null {
  const dt = DateTime.fromISO(local, { zone: PARIS });
  return dt.isValid ? dt.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

export function instantToParisLocal(at: string): string {
  return DateTime.fromISO(at).setZone(PARIS).toFormat("yyyy-LL-dd'T'HH:mm");
}

export interface OffHoursSummary {
  total: number;
  oddHours: number;
  night: number;
  weekend: number;
  publicHoliday: number;
  withinDeclaredHours: number;
  /** False when the working pattern is unknown: withinDeclaredHours then means nothing. */
  patternKnown: boolean;
  sentence: string;
}

export function summariseConsultations(
  instants: string[],
  pattern?: WorkingPattern | null,
  options: { alsaceMoselle?: boolean } = {},
): OffHoursSummary {
  const classified = instants.map((at) => classifyConsultation(at, pattern, options));
  const count = (test: (c: ConsultationClassification) => boolean) => classified.filter(test).length;
  const total = classified.length;
  const oddHours = count((c) => c.oddHours);
  const night = count((c) => c.reasons.includes('night'));
  const weekend = count((c) => c.reasons.includes('saturday') || c.reasons.includes('sunday'));
  const publicHoliday = count((c) => c.reasons.includes('public_holiday'));
  const withinDeclaredHours = count((c) => c.withinDeclaredHours === true);
  const patternKnown = Boolean(pattern && pattern.days.length > 0);

  let sentence: string;
  if (total === 0) {
    sentence = 'Aucune consultation relevée.';
  } else {
    const parts = [`${night} sur ${total} entre 20 h et 5 h`];
    if (weekend > 0) parts.push(`${weekend} le week-end`);
    if (publicHoliday > 0) parts.push(publicHoliday === 1 ? '1 lors d’un jour férié' : `${publicHoliday} lors de jours fériés`);
    sentence = `${parts.join(' ; ')} (${oddHours} sur ${total} « hors normes » au total)`;
    sentence += patternKnown
      ? ` ; ${withinDeclaredHours} pendant les horaires déclarés de l’agent.`
      : ' ; horaires de travail de l’agent non renseignés.';
  }
  return { total, oddHours, night, weekend, publicHoliday, withinDeclaredHours, patternKnown, sentence };
}
