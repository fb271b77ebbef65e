import { DateTime } from 'luxon';
import { type CaseEvent, DISCIPLINARY_EVENT_TYPES, byDate, sanctionLabel, type SanctionKind } from './case-events';
import { addMonths, addYears, daysBetween, frenchDate } from './french-dates';
import type { HolidayCalendar } from './territories';
import { type WorkingDays, workingDays } from './working-days';

/**
 * The time limits of the Code du travail that matter to a summoned agent, computed only as far as
 * shared/legal-references.md verifies them (L1332-2, L1332-4, L1332-5).
 *
 *  - Private-law agents: the limits are computed and a step after one is a miss. A step after a
 *    limit that ended on a Saturday, Sunday or public holiday, but no later than the next day that
 *    is none of those, is only *doubtful* (status 'doubtful', in doubtfulSteps, with a caveat):
 *    whether the Code de procédure civile's extension (art. 642) applies to these limits is not
 *    settled. Later than that, it is a clear miss (status 'missed', in lateSteps, no caveat).
 *  - Status unknown: the dates are computed as they would be under the Code du travail, every
 *    explanation says so in the conditional, and a step after a limit gets status 'unconfirmed'
 *    and a conditional sentence in unconfirmedSteps, never a claim of lateness.
 *  - Public-law agents: the Code du travail's disciplinary articles do not apply and no limit is
 *    verified: we say so instead of computing a date.
 *
 * L1332-2's minimum delay: a sanction cannot be notified less than two jours ouvrables (Monday to
 * Saturday, public holidays excluded) after the entretien préalable, counted as the Code de
 * procédure civile counts (art. 641–642): the interview day does not count and both days must have
 * fully passed, so the earliest date is the day after the second jour ouvrable.
 *
 * Public holidays are the agent's own (facts.calendar): the eleven national ones, plus Alsace-Moselle's
 * two or an overseas department's abolition day (working-days.ts).
 */
export type EmploymentStatus = 'private' | 'public' | 'unknown';

export type DeadlineStatus =
  | 'running' // the limit runs, not close yet
  | 'soon' // falls within the warning window (shown on the deadline; not a commitment risk)
  | 'passed' // the limit is over and nothing was done in time: good news for the agent
  | 'met' // the step came within the limit
  | 'missed' // private-law agent: the step came clearly outside the limit: to be raised in the defense
  | 'doubtful' // private-law agent: the step came after a limit that ended on a Saturday, Sunday or holiday, within the CPC 642 extension: a caveat says so
  | 'unconfirmed' // status unknown: the step would be outside the limit if the agent is private-law; never a claim of lateness
  | 'unknown' // a date the computation needs is missing
  | 'not_verified'; // public-law agent: no verified rule, no date computed

export type DeadlineCode = 'disciplinary_start' | 'sanction_notification' | 'old_sanction_bar';

export interface Deadline {
  code: DeadlineCode;
  label: string;
  legalRef: string;
  dueDate: string | null;
  status: DeadlineStatus;
  explanation: string;
  /**
   * A French sentence qualifying the status, or null: for a 'doubtful' step (or a limit just
   * passed) that the extension to the next working day is not settled; for an agent whose status
   * is unknown, that the limit applies only if they are private-law, which remains to be confirmed.
   */
  caveat: string | null;
}

export interface DeadlineFacts {
  employmentStatus: EmploymentStatus;
  /** When the direction learned the facts (query, traces, list sent to managers). */
  knowledgeDate: string | null;
  events: readonly CaseEvent[];
  /** Sanctions the agent received before, from other cases. */
  priorSanctions: ReadonlyArray<{ date: string; kind?: SanctionKind }>;
  today: string;
  /** The agent's public holidays; national when not given. */
  calendar?: HolidayCalendar;
}

export interface DeadlineReport {
  deadlines: Deadline[];
  /** Clear misses, private-law agents only: full French sentences. */
  lateSteps: string[];
  /** Private-law agents: a miss of a limit that ended on a Saturday, Sunday or public holiday, by no more than the CPC 642 extension (to the next day that is not a Saturday, Sunday or holiday). Full French sentences that carry the caveat that whether that extension applies to these limits is not settled. */
  doubtfulSteps: string[];
  /** Status unknown: steps that WOULD be late if the agent is private-law. Full French sentences in the conditional, asking to confirm the status. Never a claim of lateness. */
  unconfirmedSteps: string[];
}

export const SOON_DAYS = 14;

const PUBLIC_AGENT_NOTE =
  'L’agent est de droit public (décret n° 2003-1370) : les articles du Code du travail sur la procédure disciplinaire ne s’appliquent pas à son cas, et aucun délai vérifié ne peut être calculé ici. Le point est à examiner avec le syndicat.';

/** The caveat of every limit computed for an agent whose status is not known. */
export const STATUS_TO_CONFIRM =
  'Le statut de l’agent n’est pas renseigné : ce délai du Code du travail ne s’applique que si l’agent est de droit privé, ce qui reste à confirmer.';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' });

/** « lundi 3 mars 2025 ». */
function dayAndDate(date: string): string {
  return `${WEEKDAYS[day(date).weekday - 1]} ${frenchDate(date)}`;
}

/** « samedi 1er mars 2025 », « jeudi 15 août 2024, jour férié (Assomption) », « jeudi 8 mai 2025, jour férié ». */
function endDay(days: WorkingDays, date: string): string {
  const holiday = days.holidayOn(date);
  if (!holiday) return dayAndDate(date);
  return /^\d/.test(holiday) ? `${dayAndDate(date)}, jour férié` : `${dayAndDate(date)}, jour férié (${holiday})`;
}

/** The earliest date a sanction can be notified after an entretien préalable (L1332-2), in a calendar. */
export function earliestSanctionDate(hearing: string, calendar: HolidayCalendar = 'national'): string {
  return workingDays(calendar).earliestSanctionDate(hearing);
}

function runningStatus(due: string, today: string): DeadlineStatus {
  if (today > due) return 'passed';
  return daysBetween(today, due) <= SOON_DAYS ? 'soon' : 'running';
}

/**
 * Where a step stands against a limit's end: in time, a clear miss, or a miss by no more than the
 * extension a limit ending on a Saturday, Sunday or holiday might get (unsettled).
 */
function againstLimit(days: WorkingDays, step: string, due: string): 'met' | 'doubtful' | 'missed' {
  if (step <= due) return 'met';
  return days.isNonWorkingDay(due) && step <= days.extendedEnd(due) ? 'doubtful' : 'missed';
}

/** The unsettled point, as the end of a sentence: « la question de savoir si ce délai est prorogé … n’est pas tranchée ». */
function extensionQuestion(days: WorkingDays, due: string, however = '', subject: 'si ce délai' | 's’il' = 'si ce délai'): string {
  return `la question de savoir ${subject} est prorogé jusqu’au ${dayAndDate(days.extendedEnd(due))}, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est ${however}pas tranchée`;
}

/** The caveat of a step, or of a limit just passed, within the unsettled extension. */
function extensionCaveat(days: WorkingDays, due: string): string {
  return `Ce délai prenait fin le ${endDay(days, due)} ; ${extensionQuestion(days, due, '', 's’il')}.`;
}

/** The conditional sentence of a step that would be late if the agent is private-law. */
function unconfirmedSentence(days: WorkingDays, step: string, limit: string, due: string, verdict: 'doubtful' | 'missed'): string {
  return verdict === 'doubtful'
    ? `Si l’agent est de droit privé, ${step} pourrait être tardive, car le ${limit} a pris fin le ${endDay(days, due)} ; ${extensionQuestion(days, due, 'cependant ')}, et nous demandons à la direction de confirmer le statut de l’agent.`
    : `Si l’agent est de droit privé, ${step} serait tardive, car le ${limit} a pris fin le ${frenchDate(due)} ; nous demandons à la direction de confirmer le statut de l’agent.`;
}

interface Lists {
  lateSteps: string[];
  doubtfulSteps: string[];
  unconfirmedSteps: string[];
}

function disciplinaryStart(facts: DeadlineFacts, steps: CaseEvent[], lists: Lists): Deadline {
  const days = workingDays(facts.calendar);
  const base = {
    code: 'disciplinary_start' as const,
    label: 'Délai de deux mois pour engager une procédure disciplinaire',
    legalRef: 'L1332-4',
  };
  if (facts.employmentStatus === 'public') {
    return { ...base, dueDate: null, status: 'not_verified', explanation: PUBLIC_AGENT_NOTE, caveat: null };
  }
  const unconfirmed = facts.employmentStatus === 'unknown';
  const statusCaveat = unconfirmed ? STATUS_TO_CONFIRM : null;
  if (!facts.knowledgeDate) {
    return {
      ...base,
      dueDate: null,
      status: 'unknown',
      explanation:
        'La date à laquelle la direction a eu connaissance des faits n’est pas renseignée : indiquez la date de la requête, des traces ou de la liste transmise aux managers pour calculer ce délai.',
      caveat: statusCaveat,
    };
  }
  const known = frenchDate(facts.knowledgeDate);
  const due = addMonths(facts.knowledgeDate, 2);
  const limit = `aucune procédure disciplinaire ne peut être engagée pour ces seuls faits après le ${frenchDate(due)}, sauf si des poursuites pénales ont été engagées dans ce délai ; la jurisprudence admet un point de départ plus tardif si la direction a dû vérifier les faits.`;
  const rule = unconfirmed
    ? `La direction a eu connaissance des faits le ${known}. Si l’agent est de droit privé, ${limit}`
    : `La direction a eu connaissance des faits le ${known} : ${limit}`;
  const first = steps[0];
  if (first) {
    const started = frenchDate(first.date);
    const verdict = againstLimit(days, first.date, due);
    if (verdict === 'met') {
      return { ...base, dueDate: due, status: 'met', explanation: `${rule} La procédure disciplinaire a été engagée le ${started}, dans ce délai.`, caveat: statusCaveat };
    }
    const explanation = `${rule} La procédure disciplinaire a été engagée le ${started}, après le ${frenchDate(due)}.`;
    const limitText = `délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le ${known})`;
    if (unconfirmed) {
      lists.unconfirmedSteps.push(unconfirmedSentence(days, `la procédure disciplinaire engagée le ${started}`, limitText, due, verdict));
      const caveat = verdict === 'doubtful' ? `${STATUS_TO_CONFIRM} ${extensionCaveat(days, due)}` : STATUS_TO_CONFIRM;
      return { ...base, dueDate: due, status: 'unconfirmed', explanation, caveat };
    }
    if (verdict === 'doubtful') {
      lists.doubtfulSteps.push(
        `La procédure disciplinaire a été engagée le ${dayAndDate(first.date)}, après la fin du ${limitText}, le ${endDay(days, due)} ; ${extensionQuestion(days, due)}.`,
      );
      return { ...base, dueDate: due, status: 'doubtful', explanation, caveat: extensionCaveat(days, due) };
    }
    lists.lateSteps.push(`La procédure disciplinaire a été engagée le ${started}, après la fin du ${limitText}, le ${frenchDate(due)}.`);
    return { ...base, dueDate: due, status: 'missed', explanation, caveat: null };
  }
  const status = runningStatus(due, facts.today);
  if (status === 'passed') {
    const late = unconfirmed
      ? 'Le délai est écoulé sans procédure : si l’agent est de droit privé, une procédure fondée sur ces seuls faits serait tardive.'
      : 'Le délai est écoulé sans procédure : une procédure fondée sur ces seuls faits serait tardive.';
    const justPassed = days.isNonWorkingDay(due) && facts.today <= days.extendedEnd(due);
    const caveat = [statusCaveat, justPassed ? extensionCaveat(days, due) : null].filter(Boolean).join(' ') || null;
    return { ...base, dueDate: due, status, explanation: `${rule} ${late}`, caveat };
  }
  const left = daysBetween(facts.today, due);
  const now = left === 0 ? 'Le délai prend fin aujourd’hui.' : `Le délai court encore pendant ${left} jour${left > 1 ? 's' : ''}.`;
  return { ...base, dueDate: due, status, explanation: `${rule} ${now}`, caveat: statusCaveat };
}

/**
 * L1332-2 exempts an avertissement from the entretien préalable; whether its time limits bind an
 * employer who held one anyway is not among the verified references: said with this caveat.
 */
const WARNING_CAVEAT =
  'l’entretien préalable n’étant pas obligatoire pour un avertissement, l’application de ce délai lorsque la direction en a tout de même tenu un est à vérifier avec le syndicat.';
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function sanctionNotification(facts: DeadlineFacts, lists: Lists): Deadline[] {
  const days = workingDays(facts.calendar);
  const convocations = byDate(facts.events.filter((e) => e.type === 'pre_disciplinary_convocation'));
  const sanctions = byDate(facts.events.filter((e) => e.type === 'sanction_notified'));
  const unconfirmed = facts.employmentStatus === 'unknown';
  const statusCaveat = unconfirmed ? STATUS_TO_CONFIRM : null;
  return convocations.map((convocation): Deadline => {
    const base = {
      code: 'sanction_notification' as const,
      label: 'Délai d’un mois pour notifier une sanction après l’entretien préalable',
      legalRef: 'L1332-2',
    };
    if (facts.employmentStatus === 'public') {
      return { ...base, dueDate: null, status: 'not_verified', explanation: PUBLIC_AGENT_NOTE, caveat: null };
    }
    const hearing = convocation.hearingDate;
    if (!hearing) {
      return {
        ...base,
        dueDate: null,
        status: 'unknown',
        explanation: `La convocation du ${frenchDate(convocation.date)} à un entretien préalable est enregistrée sans la date de l’entretien : renseignez-la pour calculer ce délai.`,
        caveat: statusCaveat,
      };
    }
    const held = frenchDate(hearing);
    const due = addMonths(hearing, 1);
    const earliest = days.earliestSanctionDate(hearing);
    const interview = hearing > facts.today ? `L’entretien préalable est fixé au ${held}` : `L’entretien préalable a eu lieu le ${held}`;
    const limit = `une sanction ne peut être notifiée ni moins de deux jours ouvrables pleins après l’entretien (pas avant le ${frenchDate(earliest)}), ni plus d’un mois après (au plus tard le ${frenchDate(due)}).`;
    const rule = unconfirmed ? `${interview}. Si l’agent est de droit privé, ${limit}` : `${interview} : ${limit}`;
    const sanction = sanctions.find((s) => s.date >= hearing);
    if (sanction) {
      const kind = sanctionLabel(sanction.sanctionKind);
      const notified = frenchDate(sanction.date);
      if (sanction.date < earliest) {
        const explanation = `${rule} La sanction (${kind}) a été notifiée le ${notified}, avant le ${frenchDate(earliest)}.`;
        if (unconfirmed) {
          lists.unconfirmedSteps.push(
            `Si l’agent est de droit privé, la sanction (${kind}) notifiée le ${notified} l’aurait été trop tôt, moins de deux jours ouvrables pleins après l’entretien préalable du ${held}, alors qu’elle n’aurait pu l’être avant le ${frenchDate(earliest)} ; nous demandons à la direction de confirmer le statut de l’agent.`,
          );
          return { ...base, dueDate: due, status: 'unconfirmed', explanation, caveat: STATUS_TO_CONFIRM };
        }
        const early = `La sanction (${kind}) a été notifiée le ${notified}, moins de deux jours ouvrables pleins après l’entretien préalable du ${held}, alors qu’elle ne pouvait l’être avant le ${frenchDate(earliest)}.`;
        if (sanction.sanctionKind === 'avertissement') {
          lists.doubtfulSteps.push(`${early.slice(0, -1)} ; ${WARNING_CAVEAT}`);
          return { ...base, dueDate: due, status: 'doubtful', explanation, caveat: capitalised(WARNING_CAVEAT) };
        }
        lists.lateSteps.push(early);
        return { ...base, dueDate: due, status: 'missed', explanation, caveat: null };
      }
      const verdict = againstLimit(days, sanction.date, due);
      if (verdict === 'met') {
        return { ...base, dueDate: due, status: 'met', explanation: `${rule} La sanction (${kind}) a été notifiée le ${notified}, dans ce délai.`, caveat: statusCaveat };
      }
      const explanation = `${rule} La sanction (${kind}) a été notifiée le ${notified}, après le ${frenchDate(due)}.`;
      const limitText = `délai d’un mois qui suivait l’entretien préalable du ${held}`;
      if (unconfirmed) {
        lists.unconfirmedSteps.push(unconfirmedSentence(days, `la sanction (${kind}) notifiée le ${notified}`, limitText, due, verdict));
        const caveat = verdict === 'doubtful' ? `${STATUS_TO_CONFIRM} ${extensionCaveat(days, due)}` : STATUS_TO_CONFIRM;
        return { ...base, dueDate: due, status: 'unconfirmed', explanation, caveat };
      }
      if (verdict === 'doubtful') {
        lists.doubtfulSteps.push(
          `La sanction (${kind}) a été notifiée le ${dayAndDate(sanction.date)}, après la fin du ${limitText}, le ${endDay(days, due)} ; ${extensionQuestion(days, due)}.`,
        );
        return { ...base, dueDate: due, status: 'doubtful', explanation, caveat: extensionCaveat(days, due) };
      }
      const late = `La sanction (${kind}) a été notifiée le ${notified}, plus d’un mois après l’entretien préalable du ${held} : le délai avait pris fin le ${frenchDate(due)}.`;
      if (sanction.sanctionKind === 'avertissement') {
        lists.doubtfulSteps.push(`${late.slice(0, -1)} ; ${WARNING_CAVEAT}`);
        return { ...base, dueDate: due, status: 'doubtful', explanation, caveat: capitalised(WARNING_CAVEAT) };
      }
      lists.lateSteps.push(late);
      return { ...base, dueDate: due, status: 'missed', explanation, caveat: null };
    }
    const status = runningStatus(due, facts.today);
    if (status === 'passed') {
      const justPassed = days.isNonWorkingDay(due) && facts.today <= days.extendedEnd(due);
      const caveat = [statusCaveat, justPassed ? extensionCaveat(days, due) : null].filter(Boolean).join(' ') || null;
      return { ...base, dueDate: due, status, explanation: `${rule} Le délai est écoulé sans qu’une sanction ait été notifiée.`, caveat };
    }
    return { ...base, dueDate: due, status, explanation: rule, caveat: statusCaveat };
  });
}

function oldSanctionBar(facts: DeadlineFacts): Deadline[] {
  return byDate([...facts.priorSanctions]).map((prior): Deadline => {
    const base = {
      code: 'old_sanction_bar' as const,
      label: `Sanction antérieure (${sanctionLabel(prior.kind)} du ${frenchDate(prior.date)}) : invocable pendant trois ans`,
      legalRef: 'L1332-5',
    };
    if (facts.employmentStatus === 'public') {
      return { ...base, dueDate: null, status: 'not_verified', explanation: PUBLIC_AGENT_NOTE, caveat: null };
    }
    const unconfirmed = facts.employmentStatus === 'unknown';
    const due = addYears(prior.date, 3);
    const status: DeadlineStatus = facts.today > due ? 'passed' : 'running';
    const bar = `une procédure engagée après le ${frenchDate(due)} ne peut plus invoquer cette sanction à l’appui d’une nouvelle.`;
    return {
      ...base,
      dueDate: due,
      status,
      explanation: `${unconfirmed ? `Si l’agent est de droit privé, ${bar}` : `${bar.charAt(0).toUpperCase()}${bar.slice(1)}`} Ce n’est pas un délai pour poursuivre des faits.`,
      caveat: unconfirmed ? STATUS_TO_CONFIRM : null,
    };
  });
}

export function computeDeadlines(facts: DeadlineFacts): DeadlineReport {
  const steps = byDate(facts.events.filter((e) => DISCIPLINARY_EVENT_TYPES.includes(e.type)));
  const lists: Lists = { lateSteps: [], doubtfulSteps: [], unconfirmedSteps: [] };
  const deadlines = [disciplinaryStart(facts, steps, lists), ...sanctionNotification(facts, lists), ...oldSanctionBar(facts)];
  return { deadlines, ...lists };
}
