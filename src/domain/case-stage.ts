import type { CaseEvent } from './case-events';
import type { ReportOutcome } from './commitment';

/**
 * Where a case stands in its procedure, which decides what a rep writes first: before the
 * interview a preparation sheet for the agent; after a compte rendu concluding « illégitime » the
 * agent's written observations; after a convocation to an entretien préalable the preparation of
 * that interview; after a sanction a contestation. The latest step wins.
 */
export type CaseStage = 'before_interview' | 'after_interview' | 'report_illegitimate' | 'pre_disciplinary' | 'sanctioned';

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  before_interview: 'avant l’entretien',
  after_interview: 'après l’entretien',
  report_illegitimate: 'compte rendu concluant à une consultation illégitime',
  pre_disciplinary: 'convocation à un entretien préalable à sanction',
  sanctioned: 'sanction notifiée',
};

export interface StageFacts {
  interviewDate: string | null;
  reportOutcome: ReportOutcome | null;
  events: readonly Pick<CaseEvent, 'type'>[];
  /** Calendar date 'YYYY-MM-DD': an interview held today is still to be prepared this morning. */
  today: string;
}

export function caseStage(facts: StageFacts): CaseStage {
  if (facts.events.some((e) => e.type === 'sanction_notified')) return 'sanctioned';
  if (facts.events.some((e) => e.type === 'pre_disciplinary_convocation')) return 'pre_disciplinary';
  if (facts.reportOutcome === 'illegitimate') return 'report_illegitimate';
  const held = facts.events.some((e) => e.type === 'interview_held' || e.type === 'report_received') || (facts.interviewDate !== null && facts.interviewDate < facts.today) || facts.reportOutcome !== null;
  return held ? 'after_interview' : 'before_interview';
}
