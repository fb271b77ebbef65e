import { type Selectable, sql } from 'kysely';
import { eraseAgentsWithoutCases, eraseCases } from '../retention/case-retention.repository';
import type { DB } from '../db/database';
import type { Database } from '../db/schema';

/**
 * Everything Vigie holds about one agent, read across tables: the agent, their cases with what
 * hangs from them, the support requests those cases came from (and those a rep grouped with them as
 * duplicates, whichever way), and the audit entries about all these records. The one place that
 * knows which rows belong to an agent, for the export and for the erasure alike, so both always
 * cover the same set.
 */

export type AgentRow = Selectable<Database['agents']>;
export type CaseRow = Selectable<Database['cases']> & { campaignName: string };
export type CaseEventRow = Selectable<Database['caseEvents']>;
export type ConsultationRow = Selectable<Database['consultations']>;
export type BriefVersionRow = Selectable<Database['briefVersions']> & { createdByName: string | null };
/** The request without its token's hash: a credential's fingerprint, not data about the agent. */
export type SupportRequestRow = Omit<Selectable<Database['supportRequests']>, 'tokenHash'> & { assignedName: string | null };
export type RequestMessageRow = Selectable<Database['supportRequestMessages']> & { userName: string | null };
export interface AuditRow {
  id: number;
  at: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorLabel: string;
  actorName: string | null;
}

export interface AgentRecords {
  agent: AgentRow;
  cases: CaseRow[];
  situations: Array<{ caseId: number; situationCode: string }>;
  reps: Array<{ caseId: number; userId: number; name: string }>;
  events: CaseEventRow[];
  consultations: ConsultationRow[];
  briefVersions: BriefVersionRow[];
  requests: SupportRequestRow[];
  messages: RequestMessageRow[];
  audit: AuditRow[];
}

/** The ids of an agent's records, and the regions they sit in. */
export interface AgentFootprint {
  agentId: number;
  fullName: string;
  caseIds: number[];
  requestIds: number[];
  /**
   * Requests of this footprint, without a case of their own, that a rep also marked as duplicates
   * of (or as duplicated by) a request another agent's case was opened from: the marks say they are
   * both agents'. They go with whichever agent is erased first; the confirmation page says so.
   */
  sharedRequestIds: number[];
  /** The agent's region, their cases' and their requests': a user must cover every one. */
  regions: string[];
}

export interface ErasedCounts {
  cases: number;
  events: number;
  consultations: number;
  briefVersions: number;
  requests: number;
  messages: number;
}

/** Audit entries name records by type and id (as text). */
const ENTITY_TYPES = { agent: 'agent', case: 'case', event: 'case_event', brief: 'brief', request: 'support_request' } as const;

export function createAgentsRepository(db: DB) {
  return {
    /** The agent's ids and regions, or undefined when there is no such agent. */
    footprint: (agentId: number) => footprintOf(db, agentId),

    /** Every row about the agent, every column (the request's token hash apart). */
    async records(agentId: number): Promise<AgentRecords | undefined> {
      const foot = await footprintOf(db, agentId);
      if (!foot) return undefined;
      const { caseIds, requestIds } = foot;
      const agent = await db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
      const none = caseIds.length === 0;
      const cases = none
        ? []
        : await db
            .selectFrom('cases')
            .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
            .selectAll('cases')
            .select('campaigns.name as campaignName')
            .where('cases.id', 'in', caseIds)
            .orderBy('cases.id')
            .execute();
      const situations = none
        ? []
        : await db.selectFrom('caseSituations').selectAll().where('caseId', 'in', caseIds).orderBy('caseId').orderBy('situationCode').execute();
      const reps = none
        ? []
        : await db
            .selectFrom('caseReps')
            .innerJoin('users', 'users.id', 'caseReps.userId')
            .select(['caseReps.caseId', 'caseReps.userId', 'users.name'])
            .where('caseReps.caseId', 'in', caseIds)
            .orderBy('caseReps.caseId')
            .orderBy('users.name')
            .execute();
      const events = none ? [] : await db.selectFrom('caseEvents').selectAll().where('caseId', 'in', caseIds).orderBy('caseId').orderBy('date').orderBy('id').execute();
      const consultations = none
        ? []
        : await db.selectFrom('consultations').selectAll().where('caseId', 'in', caseIds).orderBy('caseId').orderBy('at').orderBy('id').execute();
      const briefVersions = none
        ? []
        : await db
            .selectFrom('briefVersions')
            .leftJoin('users', 'users.id', 'briefVersions.createdBy')
            .selectAll('briefVersions')
            .select('users.name as createdByName')
            .where('briefVersions.caseId', 'in', caseIds)
            .orderBy('briefVersions.caseId')
            .orderBy('briefVersions.number')
            .execute();
      const requests =
        requestIds.length === 0
          ? []
          : await db
              .selectFrom('supportRequests')
              .leftJoin('users', 'users.id', 'supportRequests.assignedUserId')
              .select([
                'supportRequests.id',
                'supportRequests.reference',
                'supportRequests.name',
                'supportRequests.email',
                'supportRequests.phone',
                'supportRequests.preferredContact',
                'supportRequests.regionCode',
                'supportRequests.site',
                'supportRequests.convocationDate',
                'supportRequests.interviewDate',
                'supportRequests.summonedBy',
                'supportRequests.situation',
                'supportRequests.message',
                'supportRequests.consentAt',
                'supportRequests.status',
                'supportRequests.assignedUserId',
                'supportRequests.caseId',
                'supportRequests.duplicateOf',
                'supportRequests.createdAt',
                'supportRequests.updatedAt',
                'users.name as assignedName',
              ])
              .where('supportRequests.id', 'in', requestIds)
              .orderBy('supportRequests.id')
              .execute();
      const messages =
        requestIds.length === 0
          ? []
          : await db
              .selectFrom('supportRequestMessages')
              .leftJoin('users', 'users.id', 'supportRequestMessages.userId')
              .selectAll('supportRequestMessages')
              .select('users.name as userName')
              .where('supportRequestMessages.requestId', 'in', requestIds)
              .orderBy('supportRequestMessages.requestId')
              .orderBy('supportRequestMessages.id')
              .execute();
      return { agent, cases, situations, reps, events, consultations, briefVersions, requests, messages, audit: await auditAbout(db, foot) };
    },

    /**
     * Erases the agent and every record `records` lists but the audit entries, in one transaction
     * taken at once (BEGIN IMMEDIATE, as the purge does: a command may be writing from another
     * process). `record` runs inside it, on the same connection, to write the erasure's own audit
     * entries. Returns undefined, erasing nothing, when the agent is gone or no longer matches
     * `expected` (a case added since the confirmation page was shown is never erased unseen).
     */
    async erase(
      agentId: number,
      expected: { caseIds: readonly number[]; requestIds: readonly number[] },
      record: (conn: DB, erased: AgentFootprint) => Promise<void>,
    ): Promise<ErasedCounts | 'import-running' | undefined> {
      // Under the write lock from its start (the dialect begins transactions IMMEDIATE).
      return db.transaction().execute(async (conn) => {
        const foot = await footprintOf(conn, agentId);
        // Nothing written yet: committing the empty transaction undoes nothing and frees the lock.
        if (!foot || !sameIds(foot.caseIds, expected.caseIds) || !sameIds(foot.requestIds, expected.requestIds)) return undefined;
        // A running import holds its file's cells and writes them chunk after chunk: it could name
        // the agent, keep the name after the erasure and even bring the agent back. Wait for its end.
        const importing = await conn.selectFrom('caseImports').select('id').where('status', 'in', ['checking', 'running']).executeTakeFirst();
        if (importing) return 'import-running';
        const counts = await countsOf(conn, foot);
        // Requests first: those the cases came from would go with them, but not their duplicates.
        if (foot.requestIds.length > 0) await conn.deleteFrom('supportRequests').where('id', 'in', foot.requestIds).execute();
        await eraseCases(conn, foot.caseIds);
        const erased = await eraseAgentsWithoutCases(conn, [agentId]);
        if (erased.length !== 1) throw new Error(`agent ${agentId} kept a case during its erasure`);
        // CSV uploads still waiting for a decision keep their raw cells, which may name the agent
        // and would bring them back if imported: they go too (an upload can always be redone).
        await conn.deleteFrom('caseImports').where('status', '=', 'analysed').execute();
        await record(conn, foot);
        return counts;
      });
    },

    /** How many rows the erasure would remove, per kind. */
    async counts(foot: AgentFootprint): Promise<ErasedCounts> {
      return countsOf(db, foot);
    },
  };
}

export type AgentsRepository = ReturnType<typeof createAgentsRepository>;

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  const sorted = (ids: readonly number[]) => [...ids].sort((x, y) => x - y).join(',');
  return sorted(a) === sorted(b);
}

async function footprintOf(db: DB, agentId: number): Promise<AgentFootprint | undefined> {
  const agent = await db.selectFrom('agents').select(['id', 'fullName', 'regionCode']).where('id', '=', agentId).executeTakeFirst();
  if (!agent) return undefined;
  const cases = await db.selectFrom('cases').select(['id', 'regionCode']).where('agentId', '=', agentId).orderBy('id').execute();
  const caseIds = cases.map((c) => c.id);
  // The requests the cases were opened from, and every request a rep grouped with them as the same
  // person's: marked as a duplicate of one of them or one of them marked as its duplicate, and so on
  // along the chain, both ways. A request another agent's case was opened from is that agent's: the
  // chain stops short of it, so that erasing this agent never takes another case's origin.
  const ownCases = new Set(caseIds);
  const requests: Array<{ id: number; regionCode: string }> = [];
  const shared = new Set<number>();
  const known = new Set<number>();
  let frontier: Array<{ id: number; regionCode: string; duplicateOf: number | null; caseId: number | null }> =
    caseIds.length === 0 ? [] : await db.selectFrom('supportRequests').select(['id', 'regionCode', 'duplicateOf', 'caseId']).where('caseId', 'in', caseIds).execute();
  while (frontier.length > 0) {
    for (const r of frontier) {
      known.add(r.id);
      requests.push({ id: r.id, regionCode: r.regionCode });
    }
    const ids = frontier.map((r) => r.id);
    const originals = frontier.flatMap((r) => (r.duplicateOf === null ? [] : [r.duplicateOf]));
    const linked = await db
      .selectFrom('supportRequests')
      .select(['id', 'regionCode', 'duplicateOf', 'caseId'])
      .where((eb) => eb.or([eb('duplicateOf', 'in', ids), ...(originals.length > 0 ? [eb('id', 'in', originals)] : [])]))
      .execute();
    for (const r of linked) {
      if (r.caseId === null || ownCases.has(r.caseId)) continue;
      // Another agent's origin: our requests linked to it without a case of their own are both agents'.
      for (const f of frontier) if (f.caseId === null && (r.duplicateOf === f.id || f.duplicateOf === r.id)) shared.add(f.id);
    }
    frontier = linked.filter((r) => !known.has(r.id) && (r.caseId === null || ownCases.has(r.caseId)));
  }
  requests.sort((a, b) => a.id - b.id);
  const regions = [...new Set([agent.regionCode, ...cases.map((c) => c.regionCode), ...requests.map((r) => r.regionCode)])].sort();
  return { agentId, fullName: agent.fullName, caseIds, requestIds: requests.map((r) => r.id), sharedRequestIds: [...shared].sort((a, b) => a - b), regions };
}

async function countsOf(db: DB, foot: AgentFootprint): Promise<ErasedCounts> {
  const count = async (table: 'caseEvents' | 'consultations' | 'briefVersions', ids: readonly number[]) =>
    ids.length === 0
      ? 0
      : Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('caseId', 'in', [...ids]).executeTakeFirstOrThrow()).n);
  // Requests the cases came from but that the footprint missed cannot exist: it lists them all.
  const messages =
    foot.requestIds.length === 0
      ? 0
      : Number(
          (
            await db
              .selectFrom('supportRequestMessages')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('requestId', 'in', foot.requestIds)
              .executeTakeFirstOrThrow()
          ).n,
        );
  return {
    cases: foot.caseIds.length,
    events: await count('caseEvents', foot.caseIds),
    consultations: await count('consultations', foot.caseIds),
    briefVersions: await count('briefVersions', foot.caseIds),
    requests: foot.requestIds.length,
    messages,
  };
}

/** Audit entries about the agent, their cases, events, brief versions and requests: who, when, what; never content. */
async function auditAbout(db: DB, foot: AgentFootprint): Promise<AuditRow[]> {
  const caseIds = foot.caseIds;
  return db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorUserId')
    .select(['auditLog.id', 'auditLog.at', 'auditLog.action', 'auditLog.entityType', 'auditLog.entityId', 'auditLog.actorLabel', 'users.name as actorName'])
    .where((eb) => {
      const about = (type: string, ids: readonly (number | string)[]) =>
        ids.length === 0 ? sql<boolean>`0` : eb.and([eb('auditLog.entityType', '=', type), eb('auditLog.entityId', 'in', ids.map(String))]);
      const childrenOf = (table: 'caseEvents' | 'briefVersions', type: string) =>
        caseIds.length === 0
          ? sql<boolean>`0`
          : eb.and([
              eb('auditLog.entityType', '=', type),
              eb('auditLog.entityId', 'in', eb.selectFrom(table).select((e) => e.cast<string>('id', 'text').as('id')).where('caseId', 'in', caseIds)),
            ]);
      return eb.or([
        about(ENTITY_TYPES.agent, [foot.agentId]),
        about(ENTITY_TYPES.case, caseIds),
        about(ENTITY_TYPES.request, foot.requestIds),
        childrenOf('caseEvents', ENTITY_TYPES.event),
        childrenOf('briefVersions', ENTITY_TYPES.brief),
      ]);
    })
    .orderBy('auditLog.id')
    .execute();
}
