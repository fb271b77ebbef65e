import { type InferResult, type Selectable, sql } from 'kysely';
import type { DB } from '../db/database';
import { preparedQuery, slot } from '../db/prepared-query';
import type { CaseTable } from '../db/schema';
import type { CaseEvent } from '../domain/case-events';
import type { CommitmentStatus } from '../domain/commitment';
import { SITUATION_CODES, type SituationCode } from '../domain/situations';
import { type AgentRow, type EventRow, toAgent, toStoredEvent } from './case-rows';
import type { CaseDetail, Consultation, StoredCaseEvent } from './cases.types';

/** What lists and dashboards read of a case's assessment, as stored with it. */
export type StoredAssessment = Pick<
  Selectable<CaseTable>,
  | 'status'
  | 'commitmentStatus'
  | 'commitmentReasons'
  | 'nextDeadlineDate'
  | 'nextDeadlineLabel'
  | 'assessedOn'
  | 'consultationsCount'
  | 'oddHoursCount'
  | 'figureOpenedOn'
  | 'figureDelayDays'
  | 'figureOddOutside'
  | 'figureOddWithin'
  | 'figurePreDisciplinary'
  | 'figureLate'
  | 'figureSanctionKinds'
  | 'figureSite'
>;

/**
 * A case as one request needs it: the whole case, its stored assessment, the campaign's rules its
 * assessment reads, the sanctions and the other cases of the same agent. Read in one statement.
 */
export interface LoadedCase {
  id: number;
  /** The case's region (always its agent's): what visibility is decided on. */
  regionCode: string;
  detail: CaseDetail;
  stored: StoredAssessment;
  campaignRules: { excludesSanctions: boolean; reportRequired: boolean; interviewsStart: string | null; interviewsEnd: string | null };
  /** Sanctions notified to the same agent in their other cases. */
  priorSanctions: Array<{ date: string; kind?: CaseEvent['sanctionKind'] }>;
  otherCases: Array<{ id: number; campaignName: string; commitmentStatus: CommitmentStatus; status: 'open' | 'closed' }>;
}

/*
 * The case's rows of other tables come as JSON arrays built by correlated subqueries: one round trip
 * instead of seven, and a case page that reads its case once. The raw SQL names columns as stored
 * (snake_case) and the JSON keys as the domain spells them; arrays are sorted here, since SQLite
 * promises no order to json_group_array.
 */
const AGENT = sql<string>`(select json_object('id', a.id, 'fullName', a.full_name, 'searchName', a.search_name, 'civility', a.civility,
  'proEmail', a.pro_email, 'personalEmail', a.personal_email, 'phone', a.phone, 'contactChannels', a.contact_channels,
  'regionCode', a.region_code, 'departmentCode', a.department_code, 'site', a.site, 'job', a.job, 'employmentStatus', a.employment_status,
  'workDays', a.work_days, 'workStart', a.work_start, 'workEnd', a.work_end, 'partTime', a.part_time, 'teleworkDays', a.telework_days,
  'createdAt', a.created_at, 'updatedAt', a.updated_at) from agents a where a.id = cases.agent_id)`;

const CONSULTATIONS = sql<string>`(select json_group_array(json_object('id', c.id, 'at', c.at, 'action', c.action, 'explanation', c.explanation,
  'explanationText', c.explanation_text, 'typedZone', c.typed_zone)) from consultations c where c.case_id = cases.id)`;

const EVENTS = sql<string>`(select json_group_array(json_object('id', e.id, 'type', e.type, 'date', e.date, 'note', e.note, 'sanctionKind', e.sanction_kind,
  'hearingDate', e.hearing_date, 'closingOutcome', e.closing_outcome, 'createdAt', e.created_at, 'updatedAt', e.updated_at))
  from case_events e where e.case_id = cases.id)`;

const SITUATIONS = sql<string>`(select json_group_array(s.situation_code) from case_situations s where s.case_id = cases.id)`;

const REPS = sql<string>`(select json_group_array(json_object('id', u.id, 'name', u.name)) from case_reps r join users u on u.id = r.user_id where r.case_id = cases.id)`;

const PRIOR_SANCTIONS = sql<string>`(select json_group_array(json_object('date', e.date, 'kind', e.sanction_kind)) from case_events e
  join cases o on o.id = e.case_id where o.agent_id = cases.agent_id and o.id != cases.id and e.type = 'sanction_notified')`;

const OTHER_CASES = sql<string>`(select json_group_array(json_object('id', o.id, 'campaignName', p.name, 'commitmentStatus', o.commitment_status, 'status', o.status))
  from cases o join campaigns p on p.id = o.campaign_id where o.agent_id = cases.agent_id and o.id != cases.id)`;

const byInstant = (a: Consultation, b: Consultation) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id);
const byEventDate = (a: { date: string; id: number }, b: { date: string; id: number }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id);

function caseWithItsRows(db: DB, caseId: number) {
  return db
    .selectFrom('cases')
    .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
    .selectAll('cases')
    .select([
      'campaigns.name as campaignName',
      'campaigns.excludesSanctions',
      'campaigns.reportRequired',
      'campaigns.interviewsStart',
      'campaigns.interviewsEnd',
      AGENT.as('agentJson'),
      CONSULTATIONS.as('consultationsJson'),
      EVENTS.as('eventsJson'),
      SITUATIONS.as('situationsJson'),
      REPS.as('repsJson'),
      PRIOR_SANCTIONS.as('priorSanctionsJson'),
      OTHER_CASES.as('otherCasesJson'),
    ])
    .where('cases.id', '=', caseId);
}

export function createCaseLoader(db: DB) {
  // Read by every case page and brief: built and compiled once (src/db/prepared-query.ts).
  const read = preparedQuery<{ caseId: number }, InferResult<ReturnType<typeof caseWithItsRows>>[number]>(db, () => caseWithItsRows(db, slot('caseId')));
  return async function loadCase(caseId: number): Promise<LoadedCase | undefined> {
    const [row] = await read({ caseId });
    if (!row) return undefined;
    const situations = JSON.parse(row.situationsJson) as SituationCode[];
    const reps = (JSON.parse(row.repsJson) as Array<{ id: number; name: string }>).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const events = (JSON.parse(row.eventsJson) as EventRow[]).sort(byEventDate).map(toStoredEvent);
    const detail: CaseDetail = {
      id: row.id,
      agent: toAgent(JSON.parse(row.agentJson) as AgentRow),
      campaignId: row.campaignId,
      campaignName: row.campaignName,
      situations: SITUATION_CODES.filter((c) => situations.includes(c)),
      otherSituationText: row.otherSituationText,
      knowledgeDate: row.knowledgeDate,
      convocationDate: row.convocationDate,
      convocationForm: row.convocationForm,
      interviewDate: row.interviewDate,
      managerName: row.managerName,
      repAccompanied: row.repAccompanied === null ? null : row.repAccompanied === 1,
      reportOutcome: row.reportOutcome,
      interviewTone: row.interviewTone,
      toneNotes: row.toneNotes,
      trainingReceived: row.trainingReceived,
      hierarchyInformed: row.hierarchyInformed,
      hierarchyInformedDate: row.hierarchyInformedDate,
      agentAccount: row.agentAccount,
      repIds: reps.map((r) => r.id),
      reps,
      status: row.status,
      commitmentStatus: row.commitmentStatus,
      commitmentReasons: JSON.parse(row.commitmentReasons),
      consultations: (JSON.parse(row.consultationsJson) as Consultation[]).sort(byInstant),
      events,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
    return {
      id: row.id,
      regionCode: row.regionCode,
      detail,
      stored: {
        status: row.status,
        commitmentStatus: row.commitmentStatus,
        commitmentReasons: row.commitmentReasons,
        nextDeadlineDate: row.nextDeadlineDate,
        nextDeadlineLabel: row.nextDeadlineLabel,
        assessedOn: row.assessedOn,
        consultationsCount: row.consultationsCount,
        oddHoursCount: row.oddHoursCount,
        figureOpenedOn: row.figureOpenedOn,
        figureDelayDays: row.figureDelayDays,
        figureOddOutside: row.figureOddOutside,
        figureOddWithin: row.figureOddWithin,
        figurePreDisciplinary: row.figurePreDisciplinary,
        figureLate: row.figureLate,
        figureSanctionKinds: row.figureSanctionKinds,
        figureSite: row.figureSite,
      },
      campaignRules: {
        excludesSanctions: row.excludesSanctions === 1,
        reportRequired: row.reportRequired === 1,
        interviewsStart: row.interviewsStart,
        interviewsEnd: row.interviewsEnd,
      },
      priorSanctions: (JSON.parse(row.priorSanctionsJson) as Array<{ date: string; kind: string | null }>).map((s) => ({
        date: s.date,
        kind: (s.kind ?? undefined) as CaseEvent['sanctionKind'],
      })),
      otherCases: (JSON.parse(row.otherCasesJson) as LoadedCase['otherCases']).sort((a, b) => a.id - b.id),
    };
  };
}
