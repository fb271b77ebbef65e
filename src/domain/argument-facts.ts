import type { ArgumentFacts } from './argument-conditions';
import { type CaseAssessment, workingPatternOf } from './case-assessment';
import type { CaseEvent } from './case-events';
import { type CampaignFigure, NATIONAL_SCOPE } from './campaign-metrics';
import type { InterviewTone, ReportOutcome } from './commitment';
import type { EmploymentStatus } from './deadlines';
import { type OutOfHoursWork, outOfHoursWork } from './off-hours';
import type { SituationCode } from './situations';
import { type Territory, territoryOf } from './territories';

/** What of a case a brief's facts are read from (a case as the cases feature loads it fits). */
export interface BriefCase {
  situations: SituationCode[];
  consultations: ReadonlyArray<{ at: string; action: string; explanation: string }>;
  events: ReadonlyArray<Pick<CaseEvent, 'type'>>;
  agent: {
    regionCode: string;
    departmentCode?: string | null;
    employmentStatus: EmploymentStatus;
    workDays: number[];
    workStart: string | null;
    workEnd: string | null;
  };
  trainingReceived: 'yes' | 'no' | 'unknown';
  hierarchyInformed: 'yes' | 'no' | 'unknown';
  interviewTone: InterviewTone | null;
  reportOutcome: ReportOutcome | null;
  agentAccount: string;
}

/** What of the campaign they are read from. */
export interface BriefCampaign {
  excludesSanctions: boolean;
  figures: readonly CampaignFigure[];
}

/**
 * The counts both the argument conditions and the brief's texts rest on, computed once per case:
 * the two must agree (an argument chosen because of three consultations at night says three).
 */
export interface BriefFigures {
  /** The campaign's figures a brief may use for this agent: their own region's, else the national ones, never another region's. */
  figures: CampaignFigure[];
  /** A share or rate among them, not a plain headcount: what the false-positives argument may rest on. */
  hasRates: boolean;
  /** The agent's clock and public holidays: consultations are read in them, as the case assessment reads them. */
  territory: Territory;
  /** Flagged consultations for work outside the declared hours (the right to disconnect speaks for work only). */
  work: OutOfHoursWork;
  /** Consultations where the agent only looked, without acting. */
  withoutActing: number;
  /** The explanations given, each once. */
  explanations: string[];
}

const DISCIPLINARY = new Set(['pre_disciplinary_convocation', 'sanction_notified']);
const RATE_METRICS = new Set(['share_legitimate_local', 'share_legitimate_regional', 'share_real_misuse']);

export function briefFigures(kase: BriefCase, campaign: BriefCampaign): BriefFigures {
  const { agent } = kase;
  const figures = campaign.figures.filter((f) => f.scope === agent.regionCode || f.scope === NATIONAL_SCOPE);
  const territory = territoryOf(agent.regionCode, agent.departmentCode);
  return {
    figures,
    hasRates: figures.some((f) => RATE_METRICS.has(f.metric)),
    territory,
    work: outOfHoursWork(kase.consultations, workingPatternOf(agent.workDays.join(','), agent.workStart, agent.workEnd), territory),
    withoutActing: kase.consultations.filter((c) => c.action === 'consulted').length,
    explanations: [...new Set(kase.consultations.map((c) => c.explanation))],
  };
}

/** The facts the argument conditions test (see argument-conditions.ts). */
export function argumentFacts(
  kase: BriefCase,
  assessment: CaseAssessment,
  campaign: BriefCampaign,
  figures: BriefFigures = briefFigures(kase, campaign),
): ArgumentFacts {
  return {
    situations: kase.situations,
    oddHoursConsultations: assessment.offHours.oddHours,
    oddHoursWithinDeclaredHours: assessment.offHours.withinDeclaredHours,
    // The right to disconnect speaks for work only: not for the agent's own or a relative's file.
    oddHoursNotWithinDeclaredHours: figures.work.count,
    consultationsWithoutActing: figures.withoutActing,
    explanations: figures.explanations,
    campaignExcludesSanctions: campaign.excludesSanctions,
    commitmentStatus: assessment.commitment.status,
    disciplinaryStep: kase.events.some((e) => DISCIPLINARY.has(e.type)),
    lateDisciplinaryStep: assessment.deadlines.lateSteps.length > 0,
    employmentStatus: kase.agent.employmentStatus,
    trainingReceived: kase.trainingReceived,
    hasAgentAccount: kase.agentAccount.trim().length > 0,
    campaignFigures: figures.figures.length > 0,
    campaignRates: figures.hasRates,
    hierarchyInformed: kase.hierarchyInformed,
    interviewTone: kase.interviewTone,
    reportOutcome: kase.reportOutcome,
  };
}
