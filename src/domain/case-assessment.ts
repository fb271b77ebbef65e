import type { CaseEvent } from './case-events';
import { type CampaignCommitment, type CommitmentAssessment, type InterviewTone, type ReportOutcome, assessCommitment } from './commitment';
import { type Deadline, type DeadlineReport, type EmploymentStatus, computeDeadlines } from './deadlines';
import { type OffHoursSummary, type WorkingPattern, summariseConsultations } from './off-hours';
import type { Territory } from './territories';

/**
 * The version of the rules whose results cases store (commitment status and reasons, next
 * deadline, and the figure facts CSE declarations add up: figure-case-facts.ts). Change it with
 * any rule change that alters them: at the next start every stored assessment, closed cases' too,
 * is computed again (CasesService.refreshAtStart). test/unit/stored-rules-version.test.ts pins
 * the stored results of a few cases to this version, and fails when they move without it.
 */
export const ASSESSMENT_RULES_VERSION = '2026-12-08 the agent\'s own time zone and public holidays';

/** Everything the rules need to know about one case, and nothing they don't. */
export interface CaseFacts {
  campaign: CampaignCommitment;
  employmentStatus: EmploymentStatus;
  knowledgeDate: string | null;
  interviewDate: string | null;
  reportOutcome: ReportOutcome | null;
  interviewTone: InterviewTone | null;
  events: readonly CaseEvent[];
  priorSanctions: ReadonlyArray<{ date: string; kind?: CaseEvent['sanctionKind'] }>;
  consultationInstants: readonly string[];
  workingPattern: WorkingPattern | null;
  /** The agent's clock and public holidays: consultations and limits are counted in them. */
  territory: Territory;
}

export interface CaseAssessment {
  commitment: CommitmentAssessment;
  deadlines: DeadlineReport;
  offHours: OffHoursSummary;
  nextDeadline: Pick<Deadline, 'dueDate' | 'label'> | null;
}

export function assessCase(facts: CaseFacts, today: string): CaseAssessment {
  const deadlines = computeDeadlines({
    employmentStatus: facts.employmentStatus,
    knowledgeDate: facts.knowledgeDate,
    events: facts.events,
    priorSanctions: facts.priorSanctions,
    today,
    calendar: facts.territory.calendar,
  });
  const commitment = assessCommitment({
    campaign: facts.campaign,
    interviewDate: facts.interviewDate,
    reportOutcome: facts.reportOutcome,
    interviewTone: facts.interviewTone,
    events: facts.events,
    deadlines,
    today,
  });
  const upcoming = deadlines.deadlines
    .filter((d) => (d.status === 'running' || d.status === 'soon') && d.dueDate && d.code !== 'old_sanction_bar')
    .sort((a, b) => a.dueDate!.localeCompare(b.dueDate!))[0];
  return {
    commitment,
    deadlines,
    offHours: summariseConsultations([...facts.consultationInstants], facts.workingPattern, facts.territory),
    nextDeadline: upcoming ? { dueDate: upcoming.dueDate, label: upcoming.label } : null,
  };
}

/** Builds the declared working pattern from stored fields; null when not fully known. */
export function workingPatternOf(workDays: string, start: string | null, end: string | null): WorkingPattern | null {
  const days = workDays
    .split(',')
    .map(Number)
    .filter((d) => d >= 1 && d <= 7);
  if (days.length === 0 || !start || !end) return null;
  return { days, start, end };
}
