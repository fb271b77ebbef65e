import { sql } from 'kysely';
import type { DB } from '../db/database';
import type { CaseEvent } from '../domain/case-events';
import type { CaseAssessment } from '../domain/case-assessment';
import type { CaseFigureColumns } from '../domain/figure-case-facts';
import { instantKey } from '../domain/consultation-lines';
import type { Agent, AgentInput, CaseDetail, CaseInput, Consultation, ConsultationInput, StoredCaseEvent } from './cases.types';
import { type StoredAssessment, createCaseLoader } from './case-load.repository';
import { createCaseQueries } from './case-queries.repository';
import { agentRow, caseRow, toAgent, toStoredEvent } from './case-rows';
import { searchName } from './search-name';

export type { CaseFilters, CaseSort } from './case-queries.repository';

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
  const loadCase = createCaseLoader(db);
  /** Deletes a row of the case's timeline or consultations, if it is the case's; dates the case's activity. */
  function deleteFromTimeline(table: 'caseEvents' | 'consultations', caseId: number, id: number, now: Date): Promise<boolean> {
    return inTransaction(db, async (trx) => {
      const result = await trx.deleteFrom(table).where('id', '=', id).where('caseId', '=', caseId).executeTakeFirst();
      const deleted = Number(result.numDeletedRows) === 1;
      if (deleted) await touchCase(trx, caseId, now);
      return deleted;
    });
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
    // Queries over many cases are apart (src/cases/case-queries.repository.ts); callers see one repository.
    ...createCaseQueries(db),

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

    /** The whole case, in one statement (src/cases/case-load.repository.ts). */
    async findById(caseId: number): Promise<CaseDetail | undefined> {
      return (await loadCase(caseId))?.detail;
    },

    loadCase,

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
      return rows.map(toStoredEvent);
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
      input: { assessment: CaseAssessment; status: 'open' | 'closed'; consultationsCount: number; today: string; figures: CaseFigureColumns },
      /** The case as the assessment read it: nothing is written if it changed since (false is returned). */
      expected: { updatedAt: string; stored: StoredAssessment },
    ): Promise<boolean> {
      const { assessment } = input;
      const result = await db
        .updateTable('cases')
        .set({
          ...input.figures,
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
        .where('updatedAt', '=', expected.updatedAt)
        // Another assessment written meanwhile (a sanction in the agent's other case) also refuses it.
        .where((eb) => eb.and(Object.entries(expected.stored).map(([column, value]) => sql<boolean>`${eb.ref(`cases.${column}` as 'cases.status')} is ${value}`)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
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

  };
}

export type CasesRepository = ReturnType<typeof createCasesRepository>;
