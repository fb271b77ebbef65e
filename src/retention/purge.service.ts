import { createAuditLog } from '../audit/audit.repository';
import { createAuditRetentionRepository } from '../audit/audit-retention.repository';
import { type ClosedCasesPurge, createCaseRetentionRepository } from '../cases/case-retention.repository';
import { checkpointAndTruncate } from '../db/checkpoint';
import type { DB } from '../db/database';
import { immediateTransaction } from '../db/immediate-transaction';
import type { RetentionLimits } from '../domain/retention';
import { createRequestsRepository } from '../requests/requests.repository';

export interface PurgeCounts {
  closedCases: ClosedCasesPurge;
  /** Support requests never turned into a case, idle past their period. */
  requests: number;
  requestMessages: number;
  auditEntries: number;
}

export interface PurgeOutcome extends PurgeCounts {
  /** Whether the write-ahead log could be emptied: until it is, erased pages linger in it. */
  walTruncated: boolean;
}

/**
 * The retention purge: closed cases, unconverted requests and audit entries past their periods.
 * Everything is erased in one transaction, then the write-ahead log is checkpointed and truncated;
 * with secure_delete on (src/db/database.ts), nothing erased can be read back from the files.
 */
export function createPurgeService(db: DB, now: () => Date) {
  async function count(q: DB, limits: RetentionLimits): Promise<PurgeCounts> {
    return {
      closedCases: await createCaseRetentionRepository(q).preview(limits.closedCasesIdleBefore),
      requests: (await createRequestsRepository(q).purgeable(limits.requestsIdleBefore)).length,
      requestMessages: await createRequestsRepository(q).purgeableMessageCount(limits.requestsIdleBefore),
      auditEntries: await createAuditRetentionRepository(q).countBefore(limits.auditBefore),
    };
  }

  return {
    /** What a purge would erase now; changes nothing. */
    preview(limits: RetentionLimits): Promise<PurgeCounts> {
      return count(db, limits);
    },

    async run(limits: RetentionLimits): Promise<PurgeOutcome> {
      // IMMEDIATE takes the write lock at once: the app may be writing from its own process, and
      // what is counted is then exactly what is erased, with no snapshot to go stale in between.
      const counts = await immediateTransaction(db, async (conn) => {
        const requestsRepo = createRequestsRepository(conn);
        const requestMessages = await requestsRepo.purgeableMessageCount(limits.requestsIdleBefore);
        const cases = await createCaseRetentionRepository(conn).erase(limits.closedCasesIdleBefore);
        const idleRequests = await requestsRepo.purgeable(limits.requestsIdleBefore);
        const requestIds: number[] = [];
        for (let i = 0; i < idleRequests.length; i += 500) {
          requestIds.push(...(await requestsRepo.deleteMany(idleRequests.slice(i, i + 500).map((r) => r.id), limits.requestsIdleBefore)));
        }
        const auditEntries = await createAuditRetentionRepository(conn).eraseBefore(limits.auditBefore);

        // Recorded after the old entries went, so the purge's own trace is kept. Ids only.
        const audit = createAuditLog(conn, now);
        const record = (entityType: string, entityId: number | null) =>
          audit.record({ actorUserId: null, actorLabel: 'cli', action: 'delete', entityType, entityId });
        for (const id of cases.caseIds) await record('case', id);
        for (const id of cases.agentIds) await record('agent', id);
        for (const id of requestIds) await record('support_request', id);
        if (auditEntries > 0) await record('audit_log', null);

        const { caseIds: _c, agentIds: _a, ...closedCases } = cases;
        return { closedCases, requests: requestIds.length, requestMessages, auditEntries } satisfies PurgeCounts;
      });
      return { ...counts, walTruncated: await checkpointAndTruncate(db) };
    },
  };
}
