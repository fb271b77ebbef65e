import { type CaseEvent, byDate, sanctionLabel } from './case-events';
import type { DeadlineReport } from './deadlines';
import { daysBetween, frenchDate } from './french-dates';

/**
 * Where a case stands against its campaign's commitment ("aucune sanction disciplinaire",
 * "rappel avec bienveillance des règles"). The whole rule set lives here; README explains it.
 * Each status rests on facts of the case, each given as a full French sentence:
 *
 *  breached  — any disciplinary step (convocation to an entretien préalable, any sanction) in a
 *              campaign whose commitment excludes sanctions;
 *  at_risk   — an interview reported as held under pressure or threats; an "illegitimate" compte
 *              rendu filed in the personnel file (report_filed event); no compte rendu given, or
 *              none received 30 days after the interview when the campaign announced one; an
 *              interview outside the announced window; a disciplinary step in a campaign without a
 *              no-sanction commitment; a disciplinary step taken after a legal limit, for a
 *              private-law agent (a clear miss, or one within the unsettled extension of a limit
 *              ending on a Saturday, Sunday or holiday, said with its caveat);
 *  respected — none of the above.
 *
 * A legal deadline falling soon is not, on its own, a fact against the commitment: it stays visible
 * on the deadline itself (status 'soon'). Nor is a step that would be late only if an agent of
 * unknown status is private-law (unconfirmedSteps): the case page shows it with the deadlines.
 */
export type CommitmentStatus = 'respected' | 'at_risk' | 'breached';

export type ReportOutcome = 'legitimate' | 'illegitimate' | 'not_stated' | 'none_given';
export type InterviewTone = 'kind' | 'neutral' | 'pressure';

export interface CampaignCommitment {
  excludesSanctions: boolean;
  reportRequired: boolean;
  interviewsStart: string | null;
  interviewsEnd: string | null;
}

export interface CommitmentFacts {
  campaign: CampaignCommitment;
  interviewDate: string | null;
  reportOutcome: ReportOutcome | null;
  interviewTone: InterviewTone | null;
  events: readonly CaseEvent[];
  deadlines: DeadlineReport;
  today: string;
}

export interface CommitmentReason {
  level: 'breach' | 'risk' | 'ok';
  text: string;
}

export interface CommitmentAssessment {
  status: CommitmentStatus;
  reasons: CommitmentReason[];
}

/** Days after the interview without a compte rendu before it counts as "not given". */
export const REPORT_GRACE_DAYS = 30;

export const COMMITMENT_STATUS_LABELS: Record<CommitmentStatus, string> = {
  respected: 'Engagement respecté',
  at_risk: 'Engagement menacé',
  breached: 'Engagement rompu',
};

/** « text » with the narrow no-break spaces French typography puts inside the guillemets. */
const quoted = (text: string) => `«\u202F${text}\u202F»`;

export function assessCommitment(facts: CommitmentFacts): CommitmentAssessment {
  const reasons: CommitmentReason[] = [];
  const events = byDate(facts.events);
  const { campaign } = facts;
  const noCommitment = 'cette campagne ne comporte pas d’engagement de non-sanction';

  for (const e of events) {
    if (e.type === 'pre_disciplinary_convocation') {
      const convoked = `La direction a convoqué l’agent le ${frenchDate(e.date)} à un entretien préalable à sanction${e.hearingDate ? `, fixé au ${frenchDate(e.hearingDate)}` : ''}`;
      reasons.push(
        campaign.excludesSanctions
          ? { level: 'breach', text: `${convoked}, alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire.` }
          : { level: 'risk', text: `${convoked} ; ${noCommitment}.` },
      );
    }
    if (e.type === 'sanction_notified') {
      const notified = `La direction a notifié le ${frenchDate(e.date)} une sanction (${sanctionLabel(e.sanctionKind)})`;
      reasons.push(
        campaign.excludesSanctions
          ? { level: 'breach', text: `${notified}, alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire.` }
          : { level: 'risk', text: `${notified} ; ${noCommitment}.` },
      );
    }
  }

  if (facts.interviewTone === 'pressure') {
    reasons.push({
      level: 'risk',
      text: `L’entretien a été rapporté comme mené sous pression ou avec des menaces, ce qui n’est pas un rappel des règles ${quoted('avec bienveillance')}.`,
    });
  }

  const filed = events.find((e) => e.type === 'report_filed');
  if (facts.reportOutcome === 'illegitimate' && filed) {
    reasons.push({ level: 'risk', text: `Un compte rendu concluant à une consultation illégitime a été versé au dossier personnel de l’agent le ${frenchDate(filed.date)}.` });
  }

  if (facts.reportOutcome === 'none_given') {
    reasons.push({ level: 'risk', text: 'Aucun compte rendu n’a été remis à l’agent après l’entretien.' });
  } else if (campaign.reportRequired && facts.interviewDate && facts.reportOutcome === null && !events.some((e) => e.type === 'report_received')) {
    const waited = daysBetween(facts.interviewDate, facts.today);
    if (waited > REPORT_GRACE_DAYS) {
      reasons.push({
        level: 'risk',
        text: `Aucun compte rendu n’a été reçu ${waited} jours après l’entretien du ${frenchDate(facts.interviewDate)}, alors que la campagne en annonçait un.`,
      });
    }
  }

  if (facts.interviewDate && campaign.interviewsStart && campaign.interviewsEnd) {
    if (facts.interviewDate < campaign.interviewsStart || facts.interviewDate > campaign.interviewsEnd) {
      const when = facts.interviewDate > facts.today ? `L’entretien est fixé au ${frenchDate(facts.interviewDate)}` : `L’entretien a eu lieu le ${frenchDate(facts.interviewDate)}`;
      reasons.push({
        level: 'risk',
        text: `${when}, en dehors de la période annoncée (du ${frenchDate(campaign.interviewsStart)} au ${frenchDate(campaign.interviewsEnd)}).`,
      });
    }
  }

  // Steps after a legal limit, private-law agents only: each is already a full sentence saying
  // which step and which limit (a doubtful one carries its caveat). A deadline falling soon is no
  // fact against the commitment, and a step of an agent of unknown status is not claimed late.
  for (const text of [...facts.deadlines.lateSteps, ...facts.deadlines.doubtfulSteps]) {
    reasons.push({ level: 'risk', text });
  }

  if (reasons.some((r) => r.level === 'breach')) return { status: 'breached', reasons };
  if (reasons.some((r) => r.level === 'risk')) return { status: 'at_risk', reasons };
  return { status: 'respected', reasons: respectedReasons(facts) };
}

function respectedReasons(facts: CommitmentFacts): CommitmentReason[] {
  const reasons: CommitmentReason[] = [{ level: 'ok', text: 'Aucune procédure disciplinaire n’a été engagée.' }];
  if (facts.interviewTone === 'kind') reasons.push({ level: 'ok', text: 'L’entretien a été rapporté comme un rappel bienveillant.' });
  if (facts.reportOutcome === 'legitimate') reasons.push({ level: 'ok', text: 'Le compte rendu conclut à une consultation légitime.' });
  if (!facts.interviewDate) reasons.push({ level: 'ok', text: 'L’entretien n’a pas encore eu lieu, ou sa date n’est pas renseignée.' });
  else if (facts.interviewDate > facts.today) reasons.push({ level: 'ok', text: `L’entretien n’a pas encore eu lieu : il est fixé au ${frenchDate(facts.interviewDate)}.` });
  return reasons;
}
