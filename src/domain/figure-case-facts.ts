import type { CaseFacts } from './case-assessment';
import { type CaseEvent, DISCIPLINARY_EVENT_TYPES, SANCTION_KINDS } from './case-events';
import { type EmploymentStatus, computeDeadlines } from './deadlines';
import type { FigureCase } from './declaration-figures';
import { daysBetween } from './french-dates';
import { localClock } from './local-time';
import { type WorkingPattern, classifyConsultation, parisClock } from './off-hours';
import { type Territory, territoryOf } from './territories';

/**
 * What one case brings to the declaration figures once its consultations are read in the agent's
 * clock: the costly part of the figures (a clock and a holiday calendar per consultation, a
 * deadline computation per disciplinary case). It depends on the case alone, not on the scope, the
 * period or the texts, so it is worked out once per case object and kept while that object lives:
 * a preview recomputed on every click over cases kept in memory then only counts. A FigureCase is
 * a value: never changed once built (a changed case is read again as a new object).
 */
export interface FigureCaseFacts {
  /**
   * Days from the last consultation on or before the interview (both in the agent's own days) to
   * the interview; null without an interview date or without such a consultation.
   */
  delayDays: number | null;
  /** Consultations in the direction's window (evenings, nights, week-ends) outside the declared hours. */
  oddOutside: number;
  /** …and within them. */
  oddWithin: number;
  /** At least one consultation was counted in either. */
  oddContributes: boolean;
  preDisciplinary: boolean;
  /** Kinds of the sanctions notified (« other » for a sanction whose kind is not said). */
  sanctionKinds: ReadonlySet<string>;
  disciplinary: boolean;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** daysBetween without a date library for two plain dates (both read as UTC midnight): the same count, a hundred times cheaper. */
function calendarDaysBetween(from: string, to: string): number {
  if (!PLAIN_DATE.test(from) || !PLAIN_DATE.test(to)) return daysBetween(from, to);
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

const facts = new WeakMap<FigureCase, FigureCaseFacts>();
const lateOn = new WeakMap<FigureCase, { today: string; late: boolean }>();

/** What the facts read of a case, whether it comes from the figures' read or from the assessment's facts. */
interface FactsInput {
  territory: Territory;
  consultations: readonly string[];
  workingPattern: WorkingPattern | null;
  interviewDate: string | null;
  events: readonly CaseEvent[];
}

export function figureCaseFacts(c: FigureCase): FigureCaseFacts {
  let found = facts.get(c);
  if (!found) {
    found = computeFacts({ ...c, territory: territoryOf(c.regionCode, c.departmentCode) });
    facts.set(c, found);
  }
  return found;
}

function computeFacts(c: FactsInput): FigureCaseFacts {
  const { territory } = c;
  // One pass, one clock reading per consultation: its day (the agent's own: 01:30 in La Réunion is
  // still the day before in Paris) and, when the declared hours are known, how it classifies.
  let last: string | null = null;
  let oddOutside = 0;
  let oddWithin = 0;
  let oddContributes = false;
  for (const at of c.consultations) {
    let day: string;
    if (c.workingPattern) {
      const classified = classifyConsultation(at, c.workingPattern, territory);
      day = classified.localDate;
      // The published text speaks of the direction's « hors normes » (evenings, nights, week-ends): a
      // consultation on a public holiday and nothing else is not one of them. A pattern that says
      // nothing (09:00–09:00) classifies nothing.
      const inDirectionWindow = classified.reasons.some((r) => r === 'night' || r === 'saturday' || r === 'sunday');
      if (inDirectionWindow && classified.withinDeclaredHours !== null) {
        oddContributes = true;
        if (classified.withinDeclaredHours) oddWithin += 1;
        else oddOutside += 1;
      }
    } else {
      day = localClock(at, territory.zone).date;
    }
    if (c.interviewDate && day <= c.interviewDate && (last === null || day > last)) last = day;
  }
  const delayDays = c.interviewDate && last !== null ? calendarDaysBetween(last, c.interviewDate) : null;

  const sanctionKinds = new Set<string>();
  for (const e of c.events) if (e.type === 'sanction_notified') sanctionKinds.add(e.sanctionKind ?? 'other');
  return {
    delayDays,
    oddOutside,
    oddWithin,
    oddContributes,
    preDisciplinary: c.events.some((e) => e.type === 'pre_disciplinary_convocation'),
    sanctionKinds,
    disciplinary: c.events.some((e) => DISCIPLINARY_EVENT_TYPES.includes(e.type)),
  };
}

/**
 * A disciplinary step that seems to have missed the Code du travail's limits (clear misses only:
 * DeadlineReport.lateSteps), for a private-law agent; kept for the day it was asked on.
 */
export function lateStepOn(c: FigureCase, today: string): boolean {
  // Those limits govern private-law staff only; an unknown status is not presumed private. Only a
  // disciplinary step can come late; most cases have none.
  if (c.employmentStatus !== 'private' || !figureCaseFacts(c).disciplinary) return false;
  const kept = lateOn.get(c);
  if (kept?.today === today) return kept.late;
  const late = missedALimit({ ...c, territory: territoryOf(c.regionCode, c.departmentCode) }, today);
  lateOn.set(c, { today, late });
  return late;
}

function missedALimit(c: { employmentStatus: EmploymentStatus; knowledgeDate: string | null; events: readonly CaseEvent[]; territory: Territory }, today: string): boolean {
  const { calendar } = c.territory;
  return computeDeadlines({ employmentStatus: c.employmentStatus, knowledgeDate: c.knowledgeDate, events: c.events, priorSanctions: [], today, calendar }).lateSteps.length > 0;
}

/**
 * What a case brings to the figures, as stored beside its assessment (the cases' figure_*
 * columns), so that a declaration adds up columns instead of reading and judging every case. The
 * same facts as figureCaseFacts and lateStepOn give, from the facts the assessment reads.
 * Lateness is stored once: a clear miss is decided by the dates of the steps and the calendar,
 * never by the day it is asked on (a test holds it), so a closed case's stays true.
 */
export interface StoredFigureFacts {
  figureDelayDays: number | null;
  figureOddOutside: number;
  figureOddWithin: number;
  figurePreDisciplinary: 0 | 1;
  figureLate: 0 | 1;
  /** The kinds of the sanctions notified, each between commas (« ,blame,other, »), or ''. */
  figureSanctionKinds: string;
}

export function sanctionKindsColumn(kinds: ReadonlySet<string>): string {
  const known = SANCTION_KINDS.filter((k) => kinds.has(k.code)).map((k) => k.code);
  return known.length ? `,${known.join(',')},` : '';
}

/** Every figure column a case stores: its facts, the day it was opened and its agent's site, so that the sums read no other table but its situations. */
export type CaseFigureColumns = StoredFigureFacts & { figureOpenedOn: string; figureSite: string };

/** Paris date the case was opened in Vigie (FigureCase.openedOn), stored with them as figure_opened_on. */
export function openedOnOf(createdAt: string): string {
  return parisClock(createdAt).date;
}

export function storedFigureFacts(c: Pick<CaseFacts, 'territory' | 'consultationInstants' | 'workingPattern' | 'interviewDate' | 'knowledgeDate' | 'employmentStatus' | 'events'>, today: string): StoredFigureFacts {
  const found = computeFacts({ ...c, consultations: c.consultationInstants });
  return {
    figureDelayDays: found.delayDays,
    figureOddOutside: found.oddOutside,
    figureOddWithin: found.oddWithin,
    figurePreDisciplinary: found.preDisciplinary ? 1 : 0,
    figureLate: c.employmentStatus === 'private' && found.disciplinary && missedALimit(c, today) ? 1 : 0,
    figureSanctionKinds: sanctionKindsColumn(found.sanctionKinds),
  };
}
