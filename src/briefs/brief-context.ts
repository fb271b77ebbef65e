import type { CampaignWithFigures } from '../campaigns/campaigns.repository';
import type { CaseDetail } from '../cases/cases.types';
import { type BriefFigures, briefFigures } from '../domain/argument-facts';
import type { CaseAssessment } from '../domain/case-assessment';
import { sanctionLabel } from '../domain/case-events';
import { caseStage } from '../domain/case-stage';
import { REPORT_OUTCOMES } from '../domain/case-vocabulary';
import { NATIONAL_SCOPE, describeFigures } from '../domain/campaign-metrics';
import { frenchDate } from '../domain/french-dates';
import { situationLabel } from '../domain/situations';
import { typedClockNote } from '../domain/typed-clock';
import { territoryOf } from '../domain/territories';

const SERVICE_EXPLANATIONS = ['answering_user', 'service_task', 'colleague_asked'];
const date = (value: string | null | undefined) => (value ? frenchDate(value) : '');
const percent = (value: number | undefined) => (value === undefined ? '' : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(value)} %`);
const count = (value: number | undefined) => (value === undefined ? '' : new Intl.NumberFormat('fr-FR').format(value));

// The facts the argument conditions test are a domain rule; re-exported for the callers that build a brief by hand.
export { argumentFacts, briefFigures } from '../domain/argument-facts';

/**
 * Consultations whose clock is in doubt (typed-clock.ts: before zones existed every time was read
 * as Paris time; or the agent's region changed since): the counts rest on them, so the rep checks them.
 */
export function consultationsTypedElsewhere(detail: CaseDetail): { count: number; zoneLabel: string } {
  const territory = territoryOf(detail.agent.regionCode, detail.agent.departmentCode);
  // Only the rows in doubt: one typed in Paris time by choice is no reason to stop the rep.
  const count = detail.consultations.filter((c) => typedClockNote(c.at, c.typedZone, territory.zone).kind === 'check').length;
  return { count, zoneLabel: territory.zoneLabel };
}

/** How letters name and agree with the agent: « Madame Élodie Martin », « elle », « convoquée ». */
function agentAddress(detail: CaseDetail) {
  const civility = detail.agent.civility;
  const title = civility === 'madame' ? 'Madame' : civility === 'monsieur' ? 'Monsieur' : '';
  return {
    civility,
    title,
    feminine: civility === 'madame',
    masculine: civility === 'monsieur',
    /** The first mention in a letter: with the civility when it is known. */
    designation: title ? `${title} ${detail.agent.fullName}` : detail.agent.fullName,
    pronoun: civility === 'madame' ? 'elle' : civility === 'monsieur' ? 'il' : '',
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
  computed: BriefFigures = briefFigures(detail, campaign),
) {
  const { figures, work, withoutActing } = computed;
  const figure = (metric: string, scope: string) => figures.find((f) => f.metric === metric && f.scope === scope)?.value;
  // The agent's own region, else the national figure.
  const regional = (metric: string) => figure(metric, detail.agent.regionCode) ?? figure(metric, NATIONAL_SCOPE);
  const rate = (metric: string) => {
    const own = figure(metric, detail.agent.regionCode);
    if (own !== undefined) return { value: percent(own), scope: `dans la région ${extra.regionName}` };
    const national = figure(metric, NATIONAL_SCOPE);
    return national === undefined ? null : { value: percent(national), scope: 'au niveau national' };
  };
  const deadline = (code: string) => {
    const d = assessment.deadlines.deadlines.find((x) => x.code === code);
    return d ? { dueDate: date(d.dueDate), status: d.status, explanation: d.explanation, caveat: d.caveat ?? '' } : null;
  };
  const convocation = detail.events.find((e) => e.type === 'pre_disciplinary_convocation');
  const sanction = detail.events.find((e) => e.type === 'sanction_notified');
  const reportFiled = detail.events.find((e) => e.type === 'report_filed');
  const explanations = new Set(computed.explanations);
  const stage = caseStage({ interviewDate: detail.interviewDate, reportOutcome: detail.reportOutcome, events: detail.events, today: extra.today });
  const scopeName = (scope: string) => (scope === NATIONAL_SCOPE ? 'au niveau national' : `dans la région ${extra.regionName}`);
  const when = [work.night ? 'la nuit' : '', work.weekend ? (work.count === 1 ? 'un week-end' : 'le week-end') : '', work.holiday ? 'un jour férié' : ''].filter(Boolean);
  const scopes = [...new Set(figures.map((f) => f.scope))].sort((a, b) => (a === NATIONAL_SCOPE ? 1 : b === NATIONAL_SCOPE ? -1 : 0));
  const { offHours } = assessment;
  return {
    agent: {
      name: detail.agent.fullName,
      ...agentAddress(detail),
      job: detail.agent.job,
      site: detail.agent.site,
      regionName: extra.regionName,
      employmentStatus: detail.agent.employmentStatus,
      publicAgent: detail.agent.employmentStatus === 'public',
      privateAgent: detail.agent.employmentStatus === 'private',
      statusUnknown: detail.agent.employmentStatus === 'unknown',
    },
    campaign: {
      name: campaign.name,
      commitmentText: campaign.commitmentText,
      commitmentQuote: campaign.commitmentQuote,
      falsePositivesStatement: campaign.falsePositivesStatement,
      excludesSanctions: campaign.excludesSanctions,
      interviewsStart: date(campaign.interviewsStart),
      interviewsEnd: date(campaign.interviewsEnd),
      figures: scopes.flatMap((scope) =>
        describeFigures(figures.filter((f) => f.scope === scope)).map((line) => ({
          scope: scopeName(scope),
          label: line.label,
          display: line.display,
          source: line.source,
        })),
      ),
      legitimateShareLocal: percent(regional('share_legitimate_local')),
      legitimateShareRegional: percent(regional('share_legitimate_regional')),
      realMisuseShare: percent(regional('share_real_misuse')),
      hasRates: computed.hasRates,
      rates: {
        legitimateLocal: rate('share_legitimate_local'),
        legitimateRegional: rate('share_legitimate_regional'),
        realMisuse: rate('share_real_misuse'),
      },
      agentsConcerned: count(regional('agents_concerned')),
      casesIdentified: count(regional('cases_identified')),
    },
    consultations: {
      total: offHours.total,
      single: offHours.total === 1,
      night: offHours.night,
      weekend: offHours.weekend,
      publicHoliday: offHours.publicHoliday,
      oddHours: offHours.oddHours,
      directionWindow: offHours.directionWindow,
      holidayOnly: offHours.holidayOnly,
      withinDeclaredHours: offHours.withinDeclaredHours,
      notWithinDeclaredHours: offHours.notWithinDeclaredHours,
      allWithinDeclaredHours: offHours.patternKnown && offHours.oddHours > 0 && offHours.withinDeclaredHours === offHours.oddHours,
      patternKnown: offHours.patternKnown,
      withoutActing,
      allWithoutActing: withoutActing > 0 && withoutActing === detail.consultations.length,
      /** Flagged consultations for work outside the declared hours, and when: « la nuit, le week-end ». */
      outOfHoursWork: work.count,
      // One consultation is all of these at once (« la nuit, un week-end »); several are each one of them.
      outOfHoursWhen: when.length > 1 && work.count > 1 ? `${when.slice(0, -1).join(', ')} ou ${when.at(-1)}` : when.join(', '),
      outOfHoursAtNight: work.night > 0,
      /** The clock every count and time of a consultation is in: « heure de La Réunion ». */
      zoneLabel: offHours.zoneLabel,
      summary: offHours.sentence,
    },
    case: {
      stage,
      interviewPast: stage !== 'before_interview',
      situations: detail.situations.map((s) => (s === 'other_conflict' && detail.otherSituationText ? `${situationLabel(s)} : ${detail.otherSituationText}` : situationLabel(s))),
      interviewDate: date(detail.interviewDate),
      convocationDate: date(detail.convocationDate),
      knowledgeDate: date(detail.knowledgeDate),
      reportOutcome: REPORT_OUTCOMES.label(detail.reportOutcome),
      reportOutcomeCode: detail.reportOutcome ?? '',
      reportIllegitimate: detail.reportOutcome === 'illegitimate',
      reportFiled: date(reportFiled?.date),
      toneNotes: detail.toneNotes,
      agentAccount: detail.agentAccount,
      trainingReceived: detail.trainingReceived,
      hierarchyInformed: detail.hierarchyInformed,
      hierarchyInformedDate: date(detail.hierarchyInformedDate),
      ownFile: explanations.has('own_file'),
      /** The conduct the conflict-of-interest definition expects is met in part: the hierarchy informed, or no intervention at all. */
      conductMet: detail.hierarchyInformed === 'yes' || (withoutActing > 0 && withoutActing === detail.consultations.length),
      relativeFile: explanations.has('relative'),
      serviceReason: SERVICE_EXPLANATIONS.some((e) => explanations.has(e)),
      colleagueAsked: detail.consultations.filter((c) => c.explanation === 'colleague_asked').length,
    },
    commitment: {
      status: assessment.commitment.status,
      breaches: assessment.commitment.reasons.filter((r) => r.level === 'breach').map((r) => r.text),
      risks: assessment.commitment.reasons.filter((r) => r.level === 'risk').map((r) => r.text),
    },
    deadlines: {
      disciplinaryStart: deadline('disciplinary_start'),
      sanctionNotification: deadline('sanction_notification'),
      lateSteps: assessment.deadlines.lateSteps,
      doubtfulSteps: assessment.deadlines.doubtfulSteps,
      unconfirmedSteps: assessment.deadlines.unconfirmedSteps,
    },
    events: {
      preDisciplinaryConvocation: date(convocation?.date),
      preDisciplinaryHearing: date(convocation?.hearingDate),
      preDisciplinaryHearingPast: Boolean(convocation?.hearingDate && convocation.hearingDate < extra.today),
      sanction: sanction ? { kind: sanctionLabel(sanction.sanctionKind), date: date(sanction.date) } : null,
    },
    rep: { name: extra.repName },
    today: frenchDate(extra.today),
  };
}

export type BriefContext = ReturnType<typeof briefContext>;
