import { DateTime } from 'luxon';
import { type CaseEvent, DISCIPLINARY_EVENT_TYPES, byDate, sanctionLabel, type SanctionKind } from './case-events';
import { addMonths, addYears, daysBetween, frenchDate } from './french-dates';
import { publicHolidayOn } from './public-holidays';

/**
 * The time limits of the Code du travail that matter to a summoned agent, computed only as far as
 * shared/legal-references.md verifies them (L1332-2, L1332-4, L1332-5). For public-law agents the
 * Code du travail's disciplinary articles do not apply and no limit is verified: we say so instead
 * of computing a date.
 */
export type EmploymentStatus = 'private' | 'public' | 'unknown';

export type DeadlineStatus =
  | 'running' // the limit runs, not close yet
  | 'soon' // falls within the warning window
  | 'passed' // the limit is over and nothing was done in time: good news for the agent
  | 'met' // the step came within the limit
  | 'missed' // private-law agent: the step came clearly after the limit: to be raised in the defense
  | 'doubtful' // private-law agent: the step came after a limit that ended on a Saturday, Sunday or holiday, within the CPC 642 extension: a caveat says so
  | 'unconfirmed' // status unknown: the step would be late if the agent is private-law; never a claim of lateness
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
  /** A French sentence qualifying the status (doubtful extension, status to confirm), or null. */
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
  'Agent de droit public (décret n° 2003-1370) : les articles du Code du travail sur la procédure disciplinaire ne s’appliquent pas, et aucun délai vérifié ne peut être calculé ici. À examiner avec le syndicat.';

function runningStatus(due: string, today: string): DeadlineStatus {
  if (today > due) return 'passed';
  return daysBetween(today, due) <= SOON_DAYS ? 'soon' : 'running';
}

/** Jours ouvrables: every day but Sunday and public holidays. */
function addWorkingDays(date: string, days: number): string {
  let current = DateTime.fromISO(date, { zone: 'utc' });
  let added = 0;
  while (added < days) {
    current = current.plus({ days: 1 });
    if (current.weekday !== 7 && !publicHolidayOn(current.toISODate()!)) added += 1;
  }
  return current.toISODate()!;
}

function disciplinaryStart(facts: DeadlineFacts, steps: CaseEvent[], lateSteps: string[]): Omit<Deadline, 'caveat'> {
  const base = {
    code: 'disciplinary_start' as const,
    label: 'Délai de deux mois pour engager une procédure disciplinaire',
    legalRef: 'L1332-4',
  };
  if (facts.employmentStatus === 'public') {
    return { ...base, dueDate: null, status: 'not_verified', explanation: PUBLIC_AGENT_NOTE };
  }
  const caveat =
    facts.employmentStatus === 'unknown' ? ' Statut de l’agent non renseigné : ce calcul vaut pour un·e salarié·e de droit privé.' : '';
  if (!facts.knowledgeDate) {
    return {
      ...base,
      dueDate: null,
      status: 'unknown',
      explanation: `Date à laquelle la direction a eu connaissance des faits inconnue : renseignez la date de la requête, des traces ou de la liste transmise aux managers.${caveat}`,
    };
  }
  const due = addMonths(facts.knowledgeDate, 2);
  const from = `La direction a eu connaissance des faits le ${frenchDate(facts.knowledgeDate)} : aucune procédure disciplinaire ne peut être engagée pour ces seuls faits après le ${frenchDate(due)} (sauf poursuites pénales dans ce délai ; le point de départ peut être plus tardif si la direction a dû vérifier les faits).`;
  const first = steps[0];
  if (first) {
    if (first.date > due) {
      lateSteps.push(
        `Procédure disciplinaire engagée le ${frenchDate(first.date)}, après l’expiration du délai de deux mois (le ${frenchDate(due)}) courant depuis la connaissance des faits le ${frenchDate(facts.knowledgeDate)}.`,
      );
      return { ...base, dueDate: due, status: 'missed', explanation: `${from} Procédure engagée le ${frenchDate(first.date)} : hors délai.${caveat}` };
    }
    return { ...base, dueDate: due, status: 'met', explanation: `${from} Procédure engagée le ${frenchDate(first.date)}, dans le délai.${caveat}` };
  }
  const status = runningStatus(due, facts.today);
  const now =
    status === 'passed'
      ? ' Le délai est écoulé sans procédure : une procédure fondée sur ces seuls faits serait tardive.'
      : ` Le délai court encore (${daysBetween(facts.today, due)} jours).`;
  return { ...base, dueDate: due, status, explanation: `${from}${now}${caveat}` };
}

function sanctionNotification(facts: DeadlineFacts, lateSteps: string[]): Omit<Deadline, 'caveat'>[] {
  const convocations = byDate(facts.events.filter((e) => e.type === 'pre_disciplinary_convocation'));
  const sanctions = byDate(facts.events.filter((e) => e.type === 'sanction_notified'));
  return convocations.map((convocation) => {
    const base = {
      code: 'sanction_notification' as const,
      label: 'Délai d’un mois pour notifier une sanction après l’entretien préalable',
      legalRef: 'L1332-2',
    };
    if (facts.employmentStatus === 'public') {
      return { ...base, dueDate: null, status: 'not_verified' as const, explanation: PUBLIC_AGENT_NOTE };
    }
    const hearing = convocation.hearingDate;
    if (!hearing) {
      return {
        ...base,
        dueDate: null,
        status: 'unknown' as const,
        explanation: `Convocation du ${frenchDate(convocation.date)} à un entretien préalable : renseignez la date de l’entretien pour calculer le délai.`,
      };
    }
    const due = addMonths(hearing, 1);
    const earliest = addWorkingDays(hearing, 2);
    const rule = `Entretien préalable le ${frenchDate(hearing)} : une sanction ne peut être notifiée ni moins de deux jours ouvrables après (pas avant le ${frenchDate(earliest)}), ni plus d’un mois après (au plus tard le ${frenchDate(due)}).`;
    const sanction = sanctions.find((s) => s.date >= hearing);
    if (sanction) {
      const kind = sanctionLabel(sanction.sanctionKind);
      if (sanction.date > due) {
        lateSteps.push(`Sanction (${kind}) notifiée le ${frenchDate(sanction.date)}, plus d’un mois après l’entretien préalable du ${frenchDate(hearing)}.`);
        return { ...base, dueDate: due, status: 'missed' as const, explanation: `${rule} Sanction notifiée le ${frenchDate(sanction.date)} : hors délai.` };
      }
      if (sanction.date < earliest) {
        lateSteps.push(`Sanction (${kind}) notifiée le ${frenchDate(sanction.date)}, moins de deux jours ouvrables après l’entretien préalable du ${frenchDate(hearing)}.`);
        return { ...base, dueDate: due, status: 'missed' as const, explanation: `${rule} Sanction notifiée le ${frenchDate(sanction.date)} : trop tôt.` };
      }
      return { ...base, dueDate: due, status: 'met' as const, explanation: `${rule} Sanction notifiée le ${frenchDate(sanction.date)}.` };
    }
    const status = runningStatus(due, facts.today);
    const now = status === 'passed' ? ' Le délai est écoulé sans sanction notifiée.' : '';
    return { ...base, dueDate: due, status, explanation: `${rule}${now}` };
  });
}

function oldSanctionBar(facts: DeadlineFacts): Omit<Deadline, 'caveat'>[] {
  return byDate([...facts.priorSanctions]).map((prior) => {
    const base = {
      code: 'old_sanction_bar' as const,
      label: `Sanction antérieure (${sanctionLabel(prior.kind)} du ${frenchDate(prior.date)}) : invocable pendant trois ans`,
      legalRef: 'L1332-5',
    };
    if (facts.employmentStatus === 'public') {
      return { ...base, dueDate: null, status: 'not_verified' as const, explanation: PUBLIC_AGENT_NOTE };
    }
    const due = addYears(prior.date, 3);
    const status: DeadlineStatus = facts.today > due ? 'passed' : 'running';
    return {
      ...base,
      dueDate: due,
      status,
      explanation: `Une procédure engagée après le ${frenchDate(due)} ne peut plus invoquer cette sanction à l’appui d’une nouvelle. Ce n’est pas un délai pour poursuivre des faits.`,
    };
  });
}

export function computeDeadlines(facts: DeadlineFacts): DeadlineReport {
  const steps = byDate(facts.events.filter((e) => DISCIPLINARY_EVENT_TYPES.includes(e.type)));
  const lateSteps: string[] = [];
  const deadlines = [disciplinaryStart(facts, steps, lateSteps), ...sanctionNotification(facts, lateSteps), ...oldSanctionBar(facts)].map((d) => ({ ...d, caveat: null }));
  return { deadlines, lateSteps, doubtfulSteps: [], unconfirmedSteps: [] };
}
