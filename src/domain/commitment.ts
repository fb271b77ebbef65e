import { type CaseEvent, byDate, sanctionLabel } from './case-events';
import type { DeadlineReport } from './deadlines';
import { daysBetween, frenchDate } from './french-dates';

/**
 * Where a case stands against its campaign's commitment ("aucune sanction disciplinaire",
 * "rappel avec bienveillance des règles"). The whole rule set lives here; README explains it.
 *
 *  breached  — any disciplinary step (convocation to an entretien préalable, any sanction) in a
 *              campaign whose commitment excludes sanctions;
 *  at_risk   — pressure or threats reported, an "illegitimate" compte rendu filed in the personnel
 *              file, no compte rendu given, an interview outside the announced window, a disciplinary
 *              step in a campaign without such a commitment, a legal deadline falling soon;
 *  respected — none of the above.
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

export function assessCommitment(facts: CommitmentFacts): CommitmentAssessment {
  const reasons: CommitmentReason[] = [];
  const events = byDate(facts.events);
  const { campaign } = facts;

  for (const e of events) {
    if (e.type === 'pre_disciplinary_convocation') {
      const hearing = e.hearingDate ? ` pour le ${frenchDate(e.hearingDate)}` : '';
      reasons.push(
        campaign.excludesSanctions
          ? { level: 'breach', text: `Convocation le ${frenchDate(e.date)} à un entretien préalable à sanction${hearing}, alors que la direction s’est engagée à n’engager aucune sanction disciplinaire.` }
          : { level: 'risk', text: `Convocation le ${frenchDate(e.date)} à un entretien préalable à sanction${hearing} (cette campagne ne comporte pas d’engagement de non-sanction).` },
      );
    }
    if (e.type === 'sanction_notified') {
      const kind = sanctionLabel(e.sanctionKind);
      reasons.push(
        campaign.excludesSanctions
          ? { level: 'breach', text: `Sanction notifiée le ${frenchDate(e.date)} (${kind}) malgré l’engagement de n’engager aucune sanction disciplinaire.` }
          : { level: 'risk', text: `Sanction notifiée le ${frenchDate(e.date)} (${kind}) (cette campagne ne comporte pas d’engagement de non-sanction).` },
      );
    }
  }

  if (facts.interviewTone === 'pressure') {
    reasons.push({ level: 'risk', text: 'Entretien rapporté comme mené sous pression ou avec des menaces : un rappel « sans bienveillance », contraire à l’engagement d’un rappel « avec bienveillance ».' });
  }

  const filed = events.find((e) => e.type === 'report_filed');
  if (facts.reportOutcome === 'illegitimate' && filed) {
    reasons.push({ level: 'risk', text: `Compte rendu concluant à une consultation illégitime versé au dossier personnel le ${frenchDate(filed.date)}.` });
  }

  if (facts.reportOutcome === 'none_given') {
    reasons.push({ level: 'risk', text: 'Aucun compte rendu n’a été remis à l’agent après l’entretien.' });
  } else if (campaign.reportRequired && facts.interviewDate && facts.reportOutcome === null && !events.some((e) => e.type === 'report_received')) {
    const waited = daysBetween(facts.interviewDate, facts.today);
    if (waited > REPORT_GRACE_DAYS) {
      reasons.push({ level: 'risk', text: `Pas de compte rendu reçu ${waited} jours après l’entretien du ${frenchDate(facts.interviewDate)}.` });
    }
  }

  if (facts.interviewDate && campaign.interviewsStart && campaign.interviewsEnd) {
    if (facts.interviewDate < campaign.interviewsStart || facts.interviewDate > campaign.interviewsEnd) {
      reasons.push({
        level: 'risk',
        text: `Entretien le ${frenchDate(facts.interviewDate)}, hors de la période annoncée (du ${frenchDate(campaign.interviewsStart)} au ${frenchDate(campaign.interviewsEnd)}).`,
      });
    }
  }

  for (const late of facts.deadlines.lateSteps) {
    reasons.push({ level: 'risk', text: `Délai légal non respecté : ${late.charAt(0).toLowerCase()}${late.slice(1)}` });
  }
  for (const d of facts.deadlines.deadlines) {
    if (d.status === 'soon' && d.dueDate) {
      reasons.push({ level: 'risk', text: `Échéance proche : ${d.label.toLowerCase()}, le ${frenchDate(d.dueDate)}.` });
    }
  }

  if (reasons.some((r) => r.level === 'breach')) return { status: 'breached', reasons };
  if (reasons.some((r) => r.level === 'risk')) return { status: 'at_risk', reasons };
  return { status: 'respected', reasons: respectedReasons(facts) };
}

function respectedReasons(facts: CommitmentFacts): CommitmentReason[] {
  const reasons: CommitmentReason[] = [{ level: 'ok', text: 'Aucune procédure disciplinaire engagée.' }];
  if (facts.interviewTone === 'kind') reasons.push({ level: 'ok', text: 'Entretien rapporté comme un rappel bienveillant.' });
  if (facts.reportOutcome === 'legitimate') reasons.push({ level: 'ok', text: 'Le compte rendu conclut à une consultation légitime.' });
  if (!facts.interviewDate) reasons.push({ level: 'ok', text: 'Entretien pas encore tenu ou date non renseignée.' });
  return reasons;
}
