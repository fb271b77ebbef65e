import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../db/database';
import type { Database } from '../db/schema';

export interface ClosedCasesPurge {
  cases: number;
  events: number;
  consultations: number;
  briefVersions: number;
  /** Support requests that were turned into these cases: they go with them. */
  linkedRequests: number;
  /** Agents left without any case. */
  agents: number;
}

/**
 * Closed cases idle since `before`: closed, and neither the case, its timeline, its consultations,
 * its briefs nor the request it came from changed since. The closure is itself a timeline event, so
 * a case is kept for the whole period after it was closed, and again after anything done since.
 *
 * Every write to the case, its timeline or its consultations (a deletion included) moves
 * cases.updated_at; the timeline's own dates are still read for events written before it did.
 *
 * Reading the case is not activity: views and exports (audit_log) do not hold it back. The period
 * exists because a sanction can be cited in new proceedings for three years (L1332-5): only what
 * happens in the case moves that horizon, and if every glance restarted it, a case someone browses
 * now and then would be kept forever, however long its purpose has expired.
 */
function idleClosedCase(before: string) {
  return (eb: ExpressionBuilder<Database, 'cases'>) =>
    eb.and([
      eb('cases.status', '=', 'closed'),
      eb('cases.updatedAt', '<', before),
      eb.not(
        eb.exists(
          eb
            .selectFrom('caseEvents')
            .select('caseEvents.id')
            .whereRef('caseEvents.caseId', '=', 'cases.id')
            .where((e) => e.or([e('caseEvents.createdAt', '>=', before), e('caseEvents.updatedAt', '>=', before)])),
        ),
      ),
      eb.not(
        eb.exists(
          eb.selectFrom('briefVersions').select('briefVersions.id').whereRef('briefVersions.caseId', '=', 'cases.id').where('briefVersions.createdAt', '>=', before),
        ),
      ),
      eb.not(
        eb.exists(
          eb
            .selectFrom('supportRequests')
            .select('supportRequests.id')
            .whereRef('supportRequests.caseId', '=', 'cases.id')
            .where('supportRequests.updatedAt', '>=', before),
        ),
      ),
    ]);
}

/** SQLite caps the number of bound values in one statement. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Erases cases with everything hanging from them: timeline, consultations, situations, reps and
 * brief versions by cascade, and the support requests they were opened from, with their messages.
 * Run it in a transaction. Shared by the retention purge and the erasure of one agent's data.
 */
export async function eraseCases(db: DB, caseIds: readonly number[]): Promise<void> {
  for (const ids of chunks(caseIds)) {
    // Before the cases: deleting a case would only unlink its request (ON DELETE SET NULL).
    await db.deleteFrom('supportRequests').where('caseId', 'in', ids).execute();
    await db.deleteFrom('cases').where('id', 'in', ids).execute();
  }
}

/** Erases those of the agents that have no case left; returns the ids erased. */
export async function eraseAgentsWithoutCases(db: DB, agentIds: readonly number[]): Promise<number[]> {
  const erased: number[] = [];
  for (const ids of chunks(agentIds)) {
    const deleted = await db
      .deleteFrom('agents')
      .where('id', 'in', ids)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.agentId', '=', 'agents.id'))))
      .returning('id')
      .execute();
    erased.push(...deleted.map((r) => r.id));
  }
  return erased;
}

/** Retention of the cases aggregate: what is past its time, and erasing it. */
export function createCaseRetentionRepository(db: DB) {
  const idleIds = (before: string) => db.selectFrom('cases').select('cases.id').where(idleClosedCase(before));

  /**
   * Agents with no case besides the idle closed ones: those whose last case goes now, and earlier
   * orphans untouched since `before`. A recent orphan is kept: a rep may be attaching it to a case.
   */
  function orphanedAgentIds(before: string) {
    return db
      .selectFrom('agents')
      .select('agents.id')
      .where((eb) =>
        eb.and([
          eb.not(eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.agentId', '=', 'agents.id').where('cases.id', 'not in', idleIds(before)))),
          eb.or([
            eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.agentId', '=', 'agents.id').where('cases.id', 'in', idleIds(before))),
            eb('agents.updatedAt', '<', before),
          ]),
        ]),
      );
  }

  async function countHanging(table: 'caseEvents' | 'consultations' | 'briefVersions' | 'supportRequests', before: string): Promise<number> {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('caseId', 'in', idleIds(before))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function countOf(table: 'caseEvents' | 'consultations' | 'briefVersions' | 'supportRequests', caseIds: readonly number[]): Promise<number> {
    let n = 0;
    for (const ids of chunks(caseIds)) {
      n += Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('caseId', 'in', ids).executeTakeFirstOrThrow()).n);
    }
    return n;
  }

  return {
    /** What erasing the idle closed cases would remove. */
    async preview(before: string): Promise<ClosedCasesPurge> {
      const cases = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where(idleClosedCase(before)).executeTakeFirstOrThrow();
      const agents = await db
        .selectFrom('agents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('agents.id', 'in', orphanedAgentIds(before))
        .executeTakeFirstOrThrow();
      return {
        cases: Number(cases.n),
        events: await countHanging('caseEvents', before),
        consultations: await countHanging('consultations', before),
        briefVersions: await countHanging('briefVersions', before),
        linkedRequests: await countHanging('supportRequests', before),
        agents: Number(agents.n),
      };
    },

    /**
     * Erases the next `limit` idle closed cases, lowest ids first, with everything hanging from them
     * (timeline, consultations, situations, reps and brief versions by cascade; the requests they came
     * from, with their messages), then those of their agents left without any case. Run it in a
     * transaction: the conditions are those of the moment it runs, so a case reopened since a dry run
     * (or since the previous batch) stays. Called until it erases fewer than `limit`, its batches
     * together erase what `preview` counted, but the agents `eraseIdleAgentsWithoutCases` finds.
     */
    async eraseBatch(before: string, limit: number): Promise<ClosedCasesPurge & { caseIds: number[]; agentIds: number[] }> {
      const caseIds = (await idleIds(before).orderBy('cases.id').limit(limit).execute()).map((r) => r.id);
      if (caseIds.length === 0) return { cases: 0, events: 0, consultations: 0, briefVersions: 0, linkedRequests: 0, agents: 0, caseIds, agentIds: [] };
      // Listed first: once the cases are gone, nothing says which agents they belonged to.
      const owners = (await db.selectFrom('cases').select('agentId').distinct().where('id', 'in', caseIds).orderBy('agentId').execute()).map((r) => r.agentId);
      const counts = {
        cases: caseIds.length,
        events: await countOf('caseEvents', caseIds),
        consultations: await countOf('consultations', caseIds),
        briefVersions: await countOf('briefVersions', caseIds),
        linkedRequests: await countOf('supportRequests', caseIds),
      };
      await eraseCases(db, caseIds);
      const agentIds = await eraseAgentsWithoutCases(db, owners);
      return { ...counts, agents: agentIds.length, caseIds, agentIds };
    },

    /**
     * Erases at most `limit` agents without any case who were not updated since `before` (older
     * orphans; a recent one is kept, a rep may be attaching it to a case). Returns their ids.
     */
    async eraseIdleAgentsWithoutCases(before: string, limit: number): Promise<number[]> {
      const ids = await db
        .selectFrom('agents')
        .select('agents.id')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.agentId', '=', 'agents.id'))))
        .where('agents.updatedAt', '<', before)
        .orderBy('agents.id')
        .limit(limit)
        .execute();
      return eraseAgentsWithoutCases(db, ids.map((r) => r.id));
    },
  };
}
