import { type Fold, type LocalClock, localClock } from './local-time';
import { publicHolidayOn } from './public-holidays';
import { PARIS_TERRITORY, type Territory } from './territories';

/**
 * Classifies flagged consultations the way the direction's query did ("horaires hors normes":
 * 20h–5h, Saturdays and Sundays), in the agent's own local time, and adds what the direction's list
 * did not say: the agent's public holidays, and whether the consultation fell within the agent's
 * own declared hours.
 */
export const PARIS = PARIS_TERRITORY.zone;
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
  /** Set for a time the clocks passed twice that night. */
  fold?: Fold;
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

/** Wall-clock fields of an instant in Paris: for the union's own dates (a case opened on…), not an agent's clock. */
export type ParisClock = LocalClock;

export function parisClock(at: string): LocalClock {
  return localClock(at, PARIS);
}

export function isWithinPattern(local: Pick<LocalClock, 'weekday' | 'hour' | 'minute'>, pattern: WorkingPattern | null | undefined): boolean | null {
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

/**
 * @param at an ISO instant (with offset or Z).
 * @param territory the agent's: their clock and their public holidays (Paris and national ones by default).
 */
export function classifyConsultation(at: string, pattern?: WorkingPattern | null, territory: Territory = PARIS_TERRITORY): ConsultationClassification {
  const local = localClock(at, territory.zone);
  const localDate = local.date;
  const reasons: OddHoursReason[] = [];
  if (local.hour >= ODD_HOURS_START || local.hour < ODD_HOURS_END) reasons.push('night');
  if (local.weekday === 6) reasons.push('saturday');
  if (local.weekday === 7) reasons.push('sunday');
  const holidayName = publicHolidayOn(localDate, territory.calendar);
  if (holidayName) reasons.push('public_holiday');
  return {
    localDate,
    localTime: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`,
    weekday: local.weekday,
    ...(local.fold ? { fold: local.fold } : {}),
    oddHours: reasons.length > 0,
    reasons,
    ...(holidayName ? { holidayName } : {}),
    withinDeclaredHours: holidayName ? (pattern ? false : null) : isWithinPattern(local, pattern),
  };
}

export interface OffHoursSummary {
  total: number;
  /** Inside the direction's « hors normes » window (20h–5h, or a week-end) or on a public holiday. */
  oddHours: number;
  night: number;
  weekend: number;
  publicHoliday: number;
  /** Inside the direction's own definition: 20h–5h, or a Saturday or Sunday. */
  directionWindow: number;
  /** On a public holiday and nothing else: Vigie's own observation, not the direction's definition. */
  holidayOnly: number;
  /** Flagged consultations (oddHours) that fall within the agent's declared working hours. */
  withinDeclaredHours: number;
  /** Flagged consultations not known to be within the declared hours (outside, or the pattern unknown). */
  notWithinDeclaredHours: number;
  /** False when the working pattern is unknown: withinDeclaredHours then means nothing. */
  patternKnown: boolean;
  /** The clock the counts are in: « heure de La Réunion ». */
  zoneLabel: string;
  sentence: string;
}

const plural = (count: number, one: string, many: string) => (count > 1 ? many : one);

/**
 * The consultations in full French sentences: the direction's definition first (20h–5h and
 * week-ends), public holidays as Vigie's own addition, then how many flagged ones fall within
 * the agent's declared hours (only flagged ones: a 10:00 consultation says nothing about it).
 */
export function summariseConsultations(instants: string[], pattern?: WorkingPattern | null, territory: Territory = PARIS_TERRITORY): OffHoursSummary {
  const classified = instants.map((at) => classifyConsultation(at, pattern, territory));
  const count = (test: (c: ConsultationClassification) => boolean) => classified.filter(test).length;
  const isNight = (c: ConsultationClassification) => c.reasons.includes('night');
  const isWeekend = (c: ConsultationClassification) => c.reasons.includes('saturday') || c.reasons.includes('sunday');
  const total = classified.length;
  const oddHours = count((c) => c.oddHours);
  const night = count(isNight);
  const weekend = count(isWeekend);
  const publicHoliday = count((c) => c.reasons.includes('public_holiday'));
  const directionWindow = count((c) => isNight(c) || isWeekend(c));
  const holidayOnly = oddHours - directionWindow;
  const withinDeclaredHours = count((c) => c.oddHours && c.withinDeclaredHours === true);
  const patternKnown = Boolean(pattern && pattern.days.length > 0);
  const summary = { total, oddHours, night, weekend, publicHoliday, directionWindow, holidayOnly, withinDeclaredHours, notWithinDeclaredHours: oddHours - withinDeclaredHours, patternKnown, zoneLabel: territory.zoneLabel };
  return { ...summary, sentence: consultationsSentence(summary) };
}

function consultationsSentence(s: Omit<OffHoursSummary, 'sentence'>): string {
  if (s.total === 0) return 'Aucune consultation relevée.';
  const sentences: string[] = [];
  const definition = `à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (${s.zoneLabel})`;
  const both = s.night + s.weekend - s.directionWindow;
  const overlap = both === 0 ? '' : both === s.directionWindow ? ', chacune cumulant les deux' : both === 1 ? ', dont une cumulant les deux' : `, dont ${both} cumulant les deux`;
  const detail = s.night && s.weekend && s.directionWindow > 1 ? ` : ${s.night} entre 20 h et 5 h, ${s.weekend} le week-end${overlap}` : '';
  if (s.total === 1) {
    const when = [s.night ? 'entre 20 h et 5 h' : '', s.weekend ? 'un week-end' : ''].filter(Boolean).join(', ');
    sentences.push(s.directionWindow === 1 ? `La consultation relevée a eu lieu ${definition} : ${when}.` : `La consultation relevée n’a pas eu lieu ${definition}.`);
  } else if (s.directionWindow === 0) {
    sentences.push(`Sur les ${s.total} consultations relevées, aucune n’a eu lieu ${definition}.`);
  } else if (s.directionWindow === s.total) {
    sentences.push(`Les ${s.total} consultations relevées ont ${s.total === 2 ? 'toutes deux' : 'toutes'} eu lieu ${definition}${detail}.`);
  } else {
    sentences.push(`Sur les ${s.total} consultations relevées, ${s.directionWindow} ${plural(s.directionWindow, 'a', 'ont')} eu lieu ${definition}${detail}.`);
  }
  if (s.holidayOnly > 0) {
    const who =
      s.total === 1
        ? 'Elle a'
        : s.directionWindow > 0
          ? `Par ailleurs, ${s.holidayOnly === 1 ? 'une autre a' : `${s.holidayOnly} autres ont`}`
          : `Par ailleurs, ${s.holidayOnly === 1 ? 'l’une d’elles a' : `${s.holidayOnly} d’entre elles ont`}`;
    sentences.push(`${who} eu lieu un jour férié, ce que nous relevons en plus : la définition de la direction ne vise pas les jours fériés.`);
  }
  const flagged = s.holidayOnly > 0 ? 'consultations (« hors normes » ou un jour férié)' : 'consultations « hors normes »';
  if (s.oddHours > 0) {
    if (!s.patternKnown) sentences.push('Les horaires de travail de l’agent ne sont pas renseignés.');
    else if (s.oddHours === 1) sentences.push(`Celle-ci se situe ${s.withinDeclaredHours === 1 ? 'pendant' : 'en dehors des'} horaires de travail déclarés de l’agent.`.replace('pendant horaires', 'pendant les horaires'));
    else if (s.withinDeclaredHours === s.oddHours) sentences.push(`Ces ${s.oddHours} ${flagged} se situent ${s.oddHours === 2 ? 'toutes deux' : 'toutes'} pendant les horaires de travail déclarés de l’agent.`);
    else if (s.withinDeclaredHours === 0) sentences.push(`Ces ${s.oddHours} ${flagged} se situent ${s.oddHours === 2 ? 'toutes deux' : 'toutes'} en dehors des horaires de travail déclarés de l’agent.`);
    else sentences.push(`Parmi ces ${s.oddHours} ${flagged}, ${s.withinDeclaredHours} ${plural(s.withinDeclaredHours, 'se situe', 'se situent')} pendant les horaires de travail déclarés de l’agent.`);
  }
  return sentences.join(' ');
}

/** Consultations of the agent's own file or a relative's: personal, so no argument of workload speaks for them. */
export const PERSONAL_EXPLANATIONS: readonly string[] = ['own_file', 'relative'];

export interface OutOfHoursWork {
  count: number;
  night: number;
  weekend: number;
  holiday: number;
}

/**
 * The flagged consultations the right to disconnect speaks for: outside the declared hours (or the
 * hours not stated), and not on the agent's own or a relative's file.
 */
export function outOfHoursWork(
  consultations: ReadonlyArray<{ at: string; explanation: string }>,
  pattern?: WorkingPattern | null,
  territory: Territory = PARIS_TERRITORY,
): OutOfHoursWork {
  const flagged = consultations
    .filter((c) => !PERSONAL_EXPLANATIONS.includes(c.explanation))
    .map((c) => classifyConsultation(c.at, pattern, territory))
    .filter((k) => k.oddHours && k.withinDeclaredHours !== true);
  return {
    count: flagged.length,
    night: flagged.filter((k) => k.reasons.includes('night')).length,
    weekend: flagged.filter((k) => k.reasons.includes('saturday') || k.reasons.includes('sunday')).length,
    holiday: flagged.filter((k) => k.reasons.includes('public_holiday')).length,
  };
}
