import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type Selectable, sql } from 'kysely';
import type { DB } from '../db/database';
import type { Database } from '../db/schema';
import type { CaseEvent } from '../domain/case-events';
import type { CaseAssessment } from '../domain/case-assessment';
import type { CommitmentReason, CommitmentStatus } from '../domain/commitment';
import { SITUATION_CODES, type SituationCode } from '../domain/situations';
import { instantKey } from '../domain/consultation-lines';
import type {
  Agent,
  AgentInput,
  CaseDetail,
  CaseInput,
  CaseListItem,
  Consultation,
  ConsultationInput,
  StoredCaseEvent,
} from './cases.types';
import type { Scope } from '../access/scope';
import { searchName } from './search-name';

export interface CaseFilters {
  q?: string;
  campaignId?: number;
  region?: string;
  site?: string;
  situation?: SituationCode;
  commitment?: CommitmentStatus;
  /** A rep's id, or 'none' for cases nobody is assigned to. */
  rep?: number | 'none';
  status?: 'open' | 'closed';
  deadlineFrom?: string;
  deadlineTo?: string;
  interviewFrom?: string;
  interviewTo?: string;
}

export type CaseSort = 'recent' | 'name' | 'deadline' | 'interview';

const csv = (values: readonly (string | number)[]) => values.join(',');
const list = (value: string) => (value ? value.split(',') : []);

function agentRow(input: AgentInput, now: string) {
  return {
    fullName: input.fullName,
    searchName: searchName(input.fullName),
    civility: input.civility,
    proEmail: input.proEmail,
    personalEmail: input.personalEmail,
    phone: input.phone,
    contactChannels: csv(input.contactChannels),
    regionCode: input.regionCode,
    departmentCode: input.departmentCode ?? null,
    site: input.site,
    job: input.job,
    employmentStatus: input.employmentStatus,
    workDays: csv(input.workDays),
    workStart: input.workStart,
    workEnd: input.workEnd,
    partTime: input.partTime ? 1 : 0,
    teleworkDays: csv(input.teleworkDays),
    updatedAt: now,
  };
}

function caseRow(input: CaseInput, now: string) {
  return {
    campaignId: input.campaignId,
    otherSituationText: input.otherSituationText,
    knowledgeDate: input.knowledgeDate,
    convocationDate: input.convocationDate,
    convocationForm: input.convocationForm,
    interviewDate: input.interviewDate,
    managerName: input.managerName,
    repAccompanied: input.repAccompanied === null ? null : input.repAccompanied ? 1 : 0,
    reportOutcome: input.reportOutcome,
    interviewTone: input.interviewTone,
    toneNotes: input.toneNotes,
    trainingReceived: input.trainingReceived,
    hierarchyInformed: input.hierarchyInformed,
    hierarchyInformedDate: input.hierarchyInformedDate,
    agentAccount: input.agentAccount,
    updatedAt: now,
  };
}

type AgentRow = Selectable<Database['agents']>;

function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    fullName: row.fullName,
    civility: row.civility,
    proEmail: row.proEmail,
    personalEmail: row.personalEmail,
    phone: row.phone,
    contactChannels: list(row.contactChannels),
    regionCode: row.regionCode,
    departmentCode: row.departmentCode,
    site: row.site,
    job: row.job,
    employmentStatus: row.employmentStatus,
    workDays: list(row.workDays).map(Number),
    workStart: row.workStart,
    workEnd: row.workEnd,
    partTime: row.partTime === 1,
    teleworkDays: list(row.teleworkDays).map(Number),
  };
}

type CasesQuery = SelectQueryBuilder<Database, 'cases', object>;

/** The list's orders, in SQL: a page's ids are sorted by it, then its rows again. */
const LIST_ORDER: Record<CaseSort, RawBuilder<unknown>> = {
  recent: sql`cases.id desc`,
  name: sql`agents.search_name, cases.id`,
  deadline: sql`cases.next_deadline_date is null, cases.next_deadline_date, cases.id`,
  interview: sql`cases.interview_date is null, cases.interview_date desc, cases.id desc`,
};

/** app_meta key: the version of the assessment rules the stored assessments were computed with. */
export const ASSESSMENT_RULES_KEY = 'assessment-rules-version';

/** A transaction of its own, or the caller's when it already is one (an import writes many cases in each). */
function inTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * A change to a case's timeline or consultations is activity on the case: the retention of closed
 * cases counts from cases.updated_at (src/retention/case-retention.repository.ts), and a deleted event
 * or consultation leaves no row of its own to date it.
 */
async function touchCase(db: DB, caseId: number, now: Date): Promise<void> {
  await db.updateTable('cases').set({ updatedAt: now.toISOString() }).where('id', '=', caseId).execute();
}

export function createCasesRepository(db: DB) {
  /** Deletes a row of the case's timeline or consultations, if it is the case's; dates the case's activity. */
  function deleteFromTimeline(table: 'caseEvents' | 'consultations', caseId: number, id: number, now: Date): Promise<boolean> {
    return inTransaction(db, async (trx) => {
      const result = await trx.deleteFrom(table).where('id', '=', id).where('caseId', '=', caseId).executeTakeFirst();
      const deleted = Number(result.numDeletedRows) === 1;
      if (deleted) await touchCase(trx, caseId, now);
      return deleted;
    });
  }

  function applyScope<Q extends CasesQuery>(query: Q, scope: Scope): Q {
    if (scope.kind === 'all') return query;
    if (scope.regions.length === 0) return query.where(sql<boolean>`0`) as Q;
    return query.where('cases.regionCode', 'in', [...scope.regions]) as Q;
  }

  function applyFilters<Q extends CasesQuery>(query: Q, f: CaseFilters): Q {
    let q = query as CasesQuery;
    // Agent-side filters are subqueries, so counts never need to join the agents table.
    if (f.q) {
      const term = searchName(f.q);
      if (term) {
        q = q.where('cases.agentId', 'in', (eb: ExpressionBuilder<Database, 'cases'>) =>
          eb.selectFrom('agents').select('agents.id').where('agents.searchName', 'like', `%${term.replace(/[%_]/g, '')}%`),
        );
      }
    }
    if (f.campaignId) q = q.where('cases.campaignId', '=', f.campaignId);
    if (f.region) q = q.where('cases.regionCode', '=', f.region);
    if (f.site) {
      const site = f.site;
      q = q.where('cases.agentId', 'in', (eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.selectFrom('agents').select('agents.id').where('agents.site', '=', site),
      );
    }
    if (f.commitment) q = q.where('cases.commitmentStatus', '=', f.commitment);
    if (f.status) q = q.where('cases.status', '=', f.status);
    if (f.situation) {
      const code = f.situation;
      q = q.where((eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.exists(
          eb.selectFrom('caseSituations').select('caseSituations.caseId').whereRef('caseSituations.caseId', '=', 'cases.id').where('caseSituations.situationCode', '=', code),
        ),
      );
    }
    if (f.rep === 'none') {
      q = q.where('cases.repsCount', '=', 0);
    } else if (typeof f.rep === 'number') {
      const repId = f.rep;
      q = q.where((eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.exists(eb.selectFrom('caseReps').select('caseReps.caseId').whereRef('caseReps.caseId', '=', 'cases.id').where('caseReps.userId', '=', repId)),
      );
    }
    if (f.deadlineFrom) q = q.where('cases.nextDeadlineDate', '>=', f.deadlineFrom);
    if (f.deadlineTo) q = q.where('cases.nextDeadlineDate', '<=', f.deadlineTo);
    if (f.interviewFrom) q = q.where('cases.interviewDate', '>=', f.interviewFrom);
    if (f.interviewTo) q = q.where('cases.interviewDate', '<=', f.interviewTo);
    return q as Q;
  }

  function base() {
    return db.selectFrom('cases');
  }

  /** The ids of the filtered cases in the list's order (the name sort needs the agents table). */
  function orderedIds(filtered: CasesQuery, sort: CaseSort) {
    const ids = sort === 'name' ? filtered.innerJoin('agents', 'agents.id', 'cases.agentId').select('cases.id') : filtered.select('cases.id');
    return ids.orderBy(LIST_ORDER[sort]);
  }

  async function situationsOf(caseIds: number[]): Promise<Map<number, string[]>> {
    const map = new Map<number, string[]>();
    if (caseIds.length === 0) return map;
    const rows = await db.selectFrom('caseSituations').select(['caseId', 'situationCode']).where('caseId', 'in', caseIds).execute();
    for (const r of rows) map.set(r.caseId, [...(map.get(r.caseId) ?? []), r.situationCode]);
    for (const [id, codes] of map) map.set(id, SITUATION_CODES.filter((c) => codes.includes(c)));
    return map;
  }

  async function repsOf(caseIds: number[]): Promise<Map<number, Array<{ id: number; name: string }>>> {
    const map = new Map<number, Array<{ id: number; name: string }>>();
    if (caseIds.length === 0) return map;
    const rows = await db
      .selectFrom('caseReps')
      .innerJoin('users', 'users.id', 'caseReps.userId')
      .select(['caseReps.caseId', 'users.id', 'users.name'])
      .where('caseReps.caseId', 'in', caseIds)
      .orderBy('users.name')
      .execute();
    for (const r of rows) map.set(r.caseId, [...(map.get(r.caseId) ?? []), { id: r.id, name: r.name }]);
    return map;
  }

  async function exportRowsWhere(query: CasesQuery) {
    const rows = await query
      .innerJoin('agents', 'agents.id', 'cases.agentId')
      .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
      .select([
        'cases.id',
        'agents.fullName as agentName',
        'agents.civility',
        'cases.regionCode',
        'agents.site',
        'agents.job',
        'campaigns.name as campaignName',
        'cases.status',
        'cases.commitmentStatus',
        'cases.commitmentReasons',
        'cases.convocationDate',
        'cases.interviewDate',
        'cases.reportOutcome',
        'cases.interviewTone',
        'cases.hierarchyInformed',
        'cases.hierarchyInformedDate',
        'cases.nextDeadlineDate',
        'cases.nextDeadlineLabel',
        'cases.consultationsCount',
        'cases.oddHoursCount',
      ])
      .orderBy('cases.id')
      .execute();
    const ids = rows.map((r) => r.id);
    const [situations, reps] = await Promise.all([situationsOf(ids), repsOf(ids)]);
    return rows.map((r) => ({ ...r, situations: situations.get(r.id) ?? [], reps: (reps.get(r.id) ?? []).map((x) => x.name) }));
  }

  async function replaceCaseLinks(trx: DB, caseId: number, input: CaseInput) {
    await trx.deleteFrom('caseSituations').where('caseId', '=', caseId).execute();
    if (input.situations.length > 0) {
      await trx.insertInto('caseSituations').values(input.situations.map((situationCode) => ({ caseId, situationCode }))).execute();
    }
    await trx.deleteFrom('caseReps').where('caseId', '=', caseId).execute();
    const repIds = [...new Set(input.repIds)];
    if (repIds.length > 0) {
      await trx.insertInto('caseReps').values(repIds.map((userId) => ({ caseId, userId }))).execute();
    }
    // Kept beside the case so "cases without a rep" is an indexed filter, not an anti-join.
    await trx.updateTable('cases').set({ repsCount: repIds.length }).where('id', '=', caseId).execute();
  }

  return {
    async create(input: { agent: AgentInput | { existingId: number }; case: CaseInput; createdBy: number; now: Date }): Promise<number> {
      const at = input.now.toISOString();
      return inTransaction(db, async (trx) => {
        let agentId: number;
        let regionCode: string;
        if ('existingId' in input.agent) {
          const agent = await trx.selectFrom('agents').select(['id', 'regionCode']).where('id', '=', input.agent.existingId).executeTakeFirstOrThrow();
          agentId = agent.id;
          regionCode = agent.regionCode;
        } else {
          const row = await trx
            .insertInto('agents')
            .values({ ...agentRow(input.agent, at), createdAt: at })
            .returning(['id', 'regionCode'])
            .executeTakeFirstOrThrow();
          agentId = row.id;
          regionCode = row.regionCode;
        }
        const { id } = await trx
          .insertInto('cases')
          .values({
            ...caseRow(input.case, at),
            agentId,
            regionCode,
            status: 'open',
            commitmentStatus: 'respected',
            commitmentReasons: '[]',
            nextDeadlineDate: null,
            nextDeadlineLabel: null,
            assessedOn: '',
            consultationsCount: 0,
            oddHoursCount: 0,
            repsCount: 0,
            createdBy: input.createdBy,
            createdAt: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await replaceCaseLinks(trx, id, input.case);
        return id;
      });
    },

    async update(caseId: number, input: { agent: AgentInput; case: CaseInput; now: Date }): Promise<void> {
      const at = input.now.toISOString();
      await inTransaction(db, async (trx) => {
        const { agentId } = await trx.selectFrom('cases').select('agentId').where('id', '=', caseId).executeTakeFirstOrThrow();
        await trx.updateTable('agents').set(agentRow(input.agent, at)).where('id', '=', agentId).execute();
        // An agent's region moves all their cases with them.
        await trx.updateTable('cases').set({ regionCode: input.agent.regionCode }).where('agentId', '=', agentId).execute();
        await trx.updateTable('cases').set(caseRow(input.case, at)).where('id', '=', caseId).execute();
        await replaceCaseLinks(trx, caseId, input.case);
      });
    },

    async agentIdOf(caseId: number): Promise<number | undefined> {
      return (await db.selectFrom('cases').select('agentId').where('id', '=', caseId).executeTakeFirst())?.agentId;
    },

    async caseIdsOfAgent(agentId: number): Promise<number[]> {
      return (await db.selectFrom('cases').select('id').where('agentId', '=', agentId).orderBy('id').execute()).map((r) => r.id);
    },

    /** The case's region, or undefined when it does not exist: enough for a scope check. */
    async regionOf(caseId: number): Promise<string | undefined> {
      return (await db.selectFrom('cases').select('regionCode').where('id', '=', caseId).executeTakeFirst())?.regionCode;
    },

    async findById(caseId: number): Promise<CaseDetail | undefined> {
      const row = await db
        .selectFrom('cases')
        .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
        .selectAll('cases')
        .select('campaigns.name as campaignName')
        .where('cases.id', '=', caseId)
        .executeTakeFirst();
      if (!row) return undefined;
      const [agent, consultations, events, situations, reps] = await Promise.all([
        db.selectFrom('agents').selectAll().where('id', '=', row.agentId).executeTakeFirstOrThrow(),
        this.consultationsOf(caseId),
        this.eventsOf(caseId),
        situationsOf([caseId]),
        repsOf([caseId]),
      ]);
      const caseReps = reps.get(caseId) ?? [];
      return {
        id: row.id,
        agent: toAgent(agent),
        campaignId: row.campaignId,
        campaignName: row.campaignName,
        situations: (situations.get(caseId) ?? []) as SituationCode[],
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
        repIds: caseReps.map((r) => r.id),
        reps: caseReps,
        status: row.status,
        commitmentStatus: row.commitmentStatus,
        commitmentReasons: JSON.parse(row.commitmentReasons),
        consultations,
        events,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    },

    async consultationsOf(caseId: number): Promise<Consultation[]> {
      return db
        .selectFrom('consultations')
        .select(['id', 'at', 'action', 'explanation', 'explanationText', 'typedZone'])
        .where('caseId', '=', caseId)
        .orderBy('at')
        .orderBy('id')
        .execute();
    },

    async eventsOf(caseId: number): Promise<StoredCaseEvent[]> {
      const rows = await db.selectFrom('caseEvents').selectAll().where('caseId', '=', caseId).orderBy('date').orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id,
        type: r.type as CaseEvent['type'],
        date: r.date,
        note: r.note,
        sanctionKind: (r.sanctionKind ?? undefined) as CaseEvent['sanctionKind'],
        hearingDate: r.hearingDate,
        closingOutcome: (r.closingOutcome ?? undefined) as CaseEvent['closingOutcome'],
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      }));
    },

    /** Sanctions notified to the same agent in their other cases. */
    async priorSanctionsOf(caseId: number): Promise<Array<{ date: string; kind?: CaseEvent['sanctionKind'] }>> {
      const rows = await db
        .selectFrom('caseEvents')
        .innerJoin('cases as other', 'other.id', 'caseEvents.caseId')
        .innerJoin('cases as self', 'self.agentId', 'other.agentId')
        .select(['caseEvents.date', 'caseEvents.sanctionKind'])
        .where('self.id', '=', caseId)
        .where('other.id', '!=', caseId)
        .where('caseEvents.type', '=', 'sanction_notified')
        .execute();
      return rows.map((r) => ({ date: r.date, kind: (r.sanctionKind ?? undefined) as CaseEvent['sanctionKind'] }));
    },

    /**
     * Adds the consultations whose instant the case does not have yet (never the same one twice,
     * even from two tabs at once); returns how many were added.
     */
    async addConsultations(caseId: number, items: ConsultationInput[], now: Date): Promise<number> {
      if (items.length === 0) return 0;
      return inTransaction(db, async (trx) => {
        const stored = await trx.selectFrom('consultations').select('at').where('caseId', '=', caseId).execute();
        const seen = new Set(stored.map((r) => instantKey(r.at)));
        const fresh = items.filter((c) => {
          const key = instantKey(c.at);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        if (fresh.length === 0) return 0;
        await trx.insertInto('consultations').values(fresh.map((c) => ({ ...c, caseId }))).execute();
        await touchCase(trx, caseId, now);
        return fresh.length;
      });
    },

    deleteConsultation(caseId: number, consultationId: number, now: Date): Promise<boolean> {
      return deleteFromTimeline('consultations', caseId, consultationId, now);
    },

    async addEvent(caseId: number, event: CaseEvent, createdBy: number, now: Date): Promise<number> {
      const at = now.toISOString();
      return inTransaction(db, async (trx) => {
        const { id } = await trx
          .insertInto('caseEvents')
          .values({
            caseId,
            type: event.type,
            date: event.date,
            note: event.note ?? '',
            sanctionKind: event.sanctionKind ?? null,
            hearingDate: event.hearingDate ?? null,
            closingOutcome: event.closingOutcome ?? null,
            createdBy,
            createdAt: at,
            updatedAt: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await touchCase(trx, caseId, now);
        return id;
      });
    },

    async updateEvent(caseId: number, eventId: number, event: CaseEvent, now: Date): Promise<boolean> {
      return inTransaction(db, async (trx) => {
        const result = await trx
          .updateTable('caseEvents')
          .set({
            type: event.type,
            date: event.date,
            note: event.note ?? '',
            sanctionKind: event.sanctionKind ?? null,
            hearingDate: event.hearingDate ?? null,
            closingOutcome: event.closingOutcome ?? null,
            updatedAt: now.toISOString(),
          })
          .where('id', '=', eventId)
          .where('caseId', '=', caseId)
          .executeTakeFirst();
        const updated = Number(result.numUpdatedRows) === 1;
        if (updated) await touchCase(trx, caseId, now);
        return updated;
      });
    },

    deleteEvent(caseId: number, eventId: number, now: Date): Promise<boolean> {
      return deleteFromTimeline('caseEvents', caseId, eventId, now);
    },

    async saveAssessment(
      caseId: number,
      input: { assessment: CaseAssessment; status: 'open' | 'closed'; consultationsCount: number; today: string },
    ): Promise<void> {
      const { assessment } = input;
      await db
        .updateTable('cases')
        .set({
          commitmentStatus: assessment.commitment.status,
          commitmentReasons: JSON.stringify(assessment.commitment.reasons),
          nextDeadlineDate: assessment.nextDeadline?.dueDate ?? null,
          nextDeadlineLabel: assessment.nextDeadline?.label ?? null,
          assessedOn: input.today,
          status: input.status,
          consultationsCount: input.consultationsCount,
          oddHoursCount: assessment.offHours.oddHours,
        })
        .where('id', '=', caseId)
        .execute();
    },

    async storedAssessment(caseId: number) {
      return db
        .selectFrom('cases')
        .select(['status', 'commitmentStatus', 'commitmentReasons', 'nextDeadlineDate', 'nextDeadlineLabel', 'assessedOn', 'consultationsCount', 'oddHoursCount'])
        .where('id', '=', caseId)
        .executeTakeFirst();
    },

    async idsOfCampaign(campaignId: number): Promise<number[]> {
      return (await db.selectFrom('cases').select('id').where('campaignId', '=', campaignId).execute()).map((r) => r.id);
    },

    /**
     * Cases to assess again: open cases assessed before today (their deadlines may have moved from
     * "running" to "soon" or "passed"), and any case, closed ones too, never assessed or marked for
     * re-assessment (assessed_on = '').
     */
    async staleCaseIds(today: string, limit: number): Promise<number[]> {
      const rows = await db
        .selectFrom('cases')
        .select('id')
        .where('assessedOn', '<', today)
        .where((eb) => eb.or([eb('status', '=', 'open'), eb('assessedOn', '=', '')]))
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * When the stored assessments were computed under other rules than `version`, marks every case,
     * open and closed (lists, dashboards and declarations read their stored status), for
     * re-assessment and records the version; returns how many cases were marked.
     */
    async markAssessmentsStale(version: string): Promise<number> {
      return inTransaction(db, async (trx) => {
        const stored = await trx.selectFrom('appMeta').select('value').where('key', '=', ASSESSMENT_RULES_KEY).executeTakeFirst();
        if (stored?.value === version) return 0;
        const result = await trx.updateTable('cases').set({ assessedOn: '' }).executeTakeFirst();
        await trx
          .insertInto('appMeta')
          .values({ key: ASSESSMENT_RULES_KEY, value: version })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: version }))
          .execute();
        return Number(result.numUpdatedRows);
      });
    },

    async list(scope: Scope, filters: CaseFilters, options: { sort: CaseSort; page: number; perPage: number }) {
      const filtered = applyFilters(applyScope(base(), scope), filters);
      const totalRow = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      // The page's ids first, filtered and sorted from the list indexes alone; then only those rows
      // are read whole. Sorting every row in scope cost 30 ms over 12 000 cases. CROSS JOIN keeps
      // SQLite's planner from starting elsewhere: it would rather scan every case of the campaign.
      const page = orderedIds(filtered, options.sort)
        .limit(options.perPage)
        .offset((options.page - 1) * options.perPage);
      const rows = await db
        .selectFrom(page.as('page'))
        .crossJoin('cases')
        .crossJoin('agents')
        .crossJoin('campaigns')
        .whereRef('cases.id', '=', 'page.id')
        .whereRef('agents.id', '=', 'cases.agentId')
        .whereRef('campaigns.id', '=', 'cases.campaignId')
        .select([
          'cases.id',
          'agents.fullName as agentName',
          'agents.site',
          'cases.regionCode',
          'cases.campaignId',
          'campaigns.name as campaignName',
          'cases.status',
          'cases.commitmentStatus',
          'cases.commitmentReasons',
          'cases.interviewDate',
          'cases.nextDeadlineDate',
          'cases.nextDeadlineLabel',
          'cases.consultationsCount',
          'cases.oddHoursCount',
        ])
        .orderBy(LIST_ORDER[options.sort])
        .execute();
      const ids = rows.map((r) => r.id);
      const [situations, reps] = await Promise.all([situationsOf(ids), repsOf(ids)]);
      const items: CaseListItem[] = rows.map((r) => ({
        ...r,
        commitmentReasons: JSON.parse(r.commitmentReasons) as CommitmentReason[],
        situations: situations.get(r.id) ?? [],
        reps: (reps.get(r.id) ?? []).map((x) => x.name),
      }));
      return { items, total: Number(totalRow.n) };
    },

    async count(scope: Scope, filters: CaseFilters): Promise<number> {
      const row = await applyFilters(applyScope(base(), scope), filters)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Counts by commitment status under the same scope and filters (the status filter itself excepted). */
    async countByCommitment(scope: Scope, filters: CaseFilters): Promise<Record<CommitmentStatus, number>> {
      const { commitment: _ignored, ...others } = filters;
      const rows = await applyFilters(applyScope(base(), scope), others)
        .select(['cases.commitmentStatus', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('cases.commitmentStatus')
        .execute();
      const counts: Record<CommitmentStatus, number> = { respected: 0, at_risk: 0, breached: 0 };
      for (const r of rows) counts[r.commitmentStatus] = Number(r.n);
      return counts;
    },

    async countBySituation(scope: Scope, filters: CaseFilters): Promise<Map<string, number>> {
      const { situation: _ignored, ...others } = filters;
      const rows = await applyFilters(applyScope(base(), scope), others)
        .innerJoin('caseSituations', 'caseSituations.caseId', 'cases.id')
        .select(['caseSituations.situationCode', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('caseSituations.situationCode')
        .execute();
      return new Map(rows.map((r) => [r.situationCode, Number(r.n)]));
    },

    /** Each full row of the filtered list, for the CSV export. */
    async exportRows(scope: Scope, filters: CaseFilters) {
      return exportRowsWhere(applyFilters(applyScope(base(), scope), filters));
    },

    /** The export's row of each of these cases the scope covers (the CSV import compares a file with them). */
    async exportRowsOf(scope: Scope, ids: readonly number[]) {
      const rows = [];
      // Bound parameters per statement stay far below SQLite's limit.
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...(await exportRowsWhere(applyScope(base(), scope).where('cases.id', 'in', ids.slice(i, i + 500)))));
      }
      return rows;
    },

    /**
     * Agents of the region who may be the same person: the same folded name, or the same e-mail
     * address or phone number. The rep confirms; nothing is merged automatically.
     */
    async findAgentsByName(regionCode: string, fullName: string, contact: { emails?: Array<string | null>; phone?: string | null } = {}) {
      const emails = (contact.emails ?? []).filter((e): e is string => Boolean(e));
      const phone = contact.phone?.replace(/[\s.-]/g, '') || null;
      const rows = await db
        .selectFrom('agents')
        .selectAll()
        .where('regionCode', '=', regionCode)
        .where((eb) =>
          eb.or([
            eb('searchName', '=', searchName(fullName)),
            ...(emails.length ? [eb('proEmail', 'in', emails), eb('personalEmail', 'in', emails)] : []),
            ...(phone ? [eb(sql<string>`replace(replace(replace(phone, ' ', ''), '.', ''), '-', '')`, '=', phone)] : []),
          ]),
        )
        .execute();
      return rows.map(toAgent);
    },

    async findAgent(agentId: number): Promise<Agent | undefined> {
      const row = await db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
      return row ? toAgent(row) : undefined;
    },

    async casesOfAgent(agentId: number) {
      return db
        .selectFrom('cases')
        .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
        .select(['cases.id', 'campaigns.name as campaignName', 'cases.commitmentStatus', 'cases.status'])
        .where('cases.agentId', '=', agentId)
        .orderBy('cases.id')
        .execute();
    },

    async sitesOf(scope: Scope): Promise<string[]> {
      let q = db.selectFrom('agents').select('site').distinct().where('site', '!=', '');
      if (scope.kind === 'regions') q = scope.regions.length ? q.where('regionCode', 'in', [...scope.regions]) : q.where(sql<boolean>`0`);
      return (await q.orderBy('site').execute()).map((r) => r.site);
    },
  };
}

export type CasesRepository = ReturnType<typeof createCasesRepository>;
