import type { CampaignWithFigures } from '../campaigns/campaigns.repository';
import type { CaseDetail } from '../cases/cases.types';
import type { ArgumentFacts } from '../domain/argument-conditions';
import type { CaseAssessment } from '../domain/case-assessment';
import { sanctionLabel } from '../domain/case-events';
import { REPORT_OUTCOMES } from '../domain/case-vocabulary';
import { NATIONAL_SCOPE, describeFigures } from '../domain/campaign-metrics';
import { frenchDate } from '../domain/french-dates';
import { situationLabel } from '../domain/situations';

const DISCIPLINARY = new Set(['pre_disciplinary_convocation', 'sanction_notified']);
const date = (value: string | null | undefined) => (value ? frenchDate(value) : '');
const percent = (value: number | undefined) => (value === undefined ? '' : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(value)} %`);
const count = (value: number | undefined) => (value === undefined ? '' : new Intl.NumberFormat('fr-FR').format(value));

/** The facts the argument conditions test (see src/domain/argument-conditions.ts). */
export function argumentFacts(detail: CaseDetail, assessment: CaseAssessment, campaign: CampaignWithFigures): ArgumentFacts {
  return {
    situations: detail.situations,
    oddHoursConsultations: assessment.offHours.oddHours,
    consultationsWithoutActing: detail.consultations.filter((c) => c.action === 'consulted').length,
    explanations: [...new Set(detail.consultations.map((c) => c.explanation))],
    campaignExcludesSanctions: campaign.excludesSanctions,
    commitmentStatus: assessment.commitment.status,
    disciplinaryStep: detail.events.some((e) => DISCIPLINARY.has(e.type)),
    lateDisciplinaryStep: assessment.deadlines.lateSteps.length > 0,
    employmentStatus: detail.agent.employmentStatus,
    trainingReceived: detail.trainingReceived,
    hasAgentAccount: detail.agentAccount.trim().length > 0,
    campaignFigures: campaign.figures.length > 0,
    interviewTone: detail.interviewTone,
    reportOutcome: detail.reportOutcome,
  };
}

/**
 * The variables argument texts and brief templates are filled with: everything already in
 * French and formatted, so templates never format dates or numbers themselves.
 */
export function briefContext(
  detail: CaseDetail,
  assessment: CaseAssessment,
  campaign: CampaignWithFigures,
  extra: { regionName: string; repName: string; today: string },
) {
  const figure = (metric: string, scope?: string) =>
    campaign.figures.find((f) => f.metric === metric && (scope === undefined || f.scope === scope))?.value;
  // The agent's own region, else the national figure: never another region's.
  const regional = (metric: string) => figure(metric, detail.agent.regionCode) ?? figure(metric, NATIONAL_SCOPE);
  const deadline = (code: string) => {
    const d = assessment.deadlines.deadlines.find((x) => x.code === code);
    return d ? { dueDate: date(d.dueDate), status: d.status, explanation: d.explanation } : null;
  };
  const convocation = detail.events.find((e) => e.type === 'pre_disciplinary_convocation');
  const sanction = detail.events.find((e) => e.type === 'sanction_notified');
  const scopes = [...new Set(campaign.figures.map((f) => f.scope))];
  return {
    agent: {
      name: detail.agent.fullName,
      job: detail.agent.job,
      site: detail.agent.site,
      regionName: extra.regionName,
      employmentStatus: detail.agent.employmentStatus,
      publicAgent: detail.agent.employmentStatus === 'public',
    },
    campaign: {
      name: campaign.name,
      commitmentText: campaign.commitmentText,
      excludesSanctions: campaign.excludesSanctions,
      interviewsStart: date(campaign.interviewsStart),
      interviewsEnd: date(campaign.interviewsEnd),
      figures: scopes.flatMap((scope) =>
        describeFigures(campaign.figures.filter((f) => f.scope === scope)).map((line) => ({
          scope: scope === NATIONAL_SCOPE ? 'national' : scope,
          label: line.label,
          display: line.display,
          source: line.source,
        })),
      ),
      legitimateShareLocal: percent(regional('share_legitimate_local')),
      legitimateShareRegional: percent(regional('share_legitimate_regional')),
      realMisuseShare: percent(regional('share_real_misuse')),
      agentsConcerned: count(regional('agents_concerned')),
      casesIdentified: count(regional('cases_identified')),
    },
    consultations: {
      total: assessment.offHours.total,
      night: assessment.offHours.night,
      weekend: assessment.offHours.weekend,
      publicHoliday: assessment.offHours.publicHoliday,
      oddHours: assessment.offHours.oddHours,
      withinDeclaredHours: assessment.offHours.withinDeclaredHours,
      patternKnown: assessment.offHours.patternKnown,
      withoutActing: detail.consultations.filter((c) => c.action === 'consulted').length,
      summary: assessment.offHours.sentence,
    },
    case: {
      situations: detail.situations.map((s) => (s === 'other_conflict' && detail.otherSituationText ? `${situationLabel(s)} : ${detail.otherSituationText}` : situationLabel(s))),
      interviewDate: date(detail.interviewDate),
      convocationDate: date(detail.convocationDate),
      knowledgeDate: date(detail.knowledgeDate),
      reportOutcome: REPORT_OUTCOMES.label(detail.reportOutcome),
      toneNotes: detail.toneNotes,
      agentAccount: detail.agentAccount,
      trainingReceived: detail.trainingReceived,
    },
    commitment: {
      status: assessment.commitment.status,
      breaches: assessment.commitment.reasons.filter((r) => r.level === 'breach').map((r) => r.text),
    },
    deadlines: {
      disciplinaryStart: deadline('disciplinary_start'),
      sanctionNotification: deadline('sanction_notification'),
      lateSteps: assessment.deadlines.lateSteps,
    },
    events: {
      preDisciplinaryConvocation: date(convocation?.date),
      preDisciplinaryHearing: date(convocation?.hearingDate),
      sanction: sanction ? { kind: sanctionLabel(sanction.sanctionKind), date: date(sanction.date) } : null,
    },
    rep: { name: extra.repName },
    today: frenchDate(extra.today),
  };
}

export type BriefContext = ReturnType<typeof briefContext>;
