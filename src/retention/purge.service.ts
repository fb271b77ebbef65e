import { setTimeout as sleep } from 'node:timers/promises';
import { createAuditLog } from '../audit/audit.repository';
import { createAuditRetentionRepository } from '../audit/audit-retention.repository';
import { type ClosedCasesPurge, createCaseRetentionRepository } from './case-retention.repository';
import { checkpointAndTruncate } from '../db/checkpoint';
import type { DB } from '../db/database';
import type { RetentionLimits } from '../domain/retention';
import { createRequestsRepository } from '../requests/requests.repository';
import { createPurgeBatchesRepository } from './purge-batches.repository';

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

export interface PurgeOptions {
  /** Cases, agents or requests erased per transaction. */
  batchSize?: number;
  /** Audit entries erased per transaction (small rows, nothing hanging from them). */
  auditBatchSize?: number;
  /** Between two transactions of the same kind, so that a writer waiting for the lock gets it. */
  pauseMs?: number;
  /** Called after each transaction has committed (tests). */
  afterBatch?: () => void | Promise<void>;
}

const DEFAULTS = {
  batchSize: 200,
  auditBatchSize: 2000,
  // SQLite's busy handler tries again at most every 100 ms: a pause as long lets a waiting writer
  // (the app saving a case) in, however long it has already waited.
  pauseMs: 100,
} as const;

/**
 * The retention purge: closed cases, unconverted requests and audit entries past their periods.
 *
 * It works in batches, each one BEGIN IMMEDIATE transaction: the app keeps saving from its own
 * process, and one transaction for thousands of cases would hold the write lock past the app's busy
 * timeout (5 s), failing reps' saves. Each batch evaluates the conditions again when it takes the
 * lock (a case reopened meanwhile stays) and writes its own audit entries, so whatever is erased is
 * traced, even if a later batch fails. Then the write-ahead log is checkpointed and truncated; with
 * secure_delete on (src/db/database.ts), nothing erased can be read back from the files.
 */
export function createPurgeService(db: DB, now: () => Date, options: PurgeOptions = {}) {
  const { batchSize, auditBatchSize, pauseMs } = { ...DEFAULTS, ...options };

  async function count(q: DB, limits: RetentionLimits): Promise<PurgeCounts> {
    return {
      closedCases: await createCaseRetentionRepository(q).preview(limits.closedCasesIdleBefore),
      requests: (await createRequestsRepository(q).purgeable(limits.requestsIdleBefore)).length,
      requestMessages: await createRequestsRepository(q).purgeableMessageCount(limits.requestsIdleBefore),
      auditEntries: await createAuditRetentionRepository(q).countBefore(limits.auditBefore),
    };
  }

  /** Runs `step` in transactions until one erases fewer than `size`. */
  async function inBatches(size: number, step: (conn: DB) => Promise<number>): Promise<void> {
    for (let first = true; ; first = false) {
      if (!first && pauseMs > 0) await sleep(pauseMs);
      // The dialect begins every transaction IMMEDIATE: each batch judges and erases under the lock.
      const erased = await db.transaction().execute(step);
      await options.afterBatch?.();
      if (erased < size) return;
    }
  }

  /** The purge's own trace, on the batch's connection so that it commits with the erasure. Ids only. */
  async function trace(conn: DB, entityType: string, ids: readonly (number | null)[]): Promise<void> {
    await createAuditLog(conn, now).recordMany(ids.map((entityId) => ({ actorUserId: null, actorLabel: 'cli', action: 'delete', entityType, entityId })));
  }

  return {
    /** What a purge would erase now; changes nothing. */
    preview(limits: RetentionLimits): Promise<PurgeCounts> {
      return count(db, limits);
    },

    async run(limits: RetentionLimits): Promise<PurgeOutcome> {
      const closedCases: ClosedCasesPurge = { cases: 0, events: 0, consultations: 0, briefVersions: 0, linkedRequests: 0, agents: 0 };
      const counts: PurgeCounts = { closedCases, requests: 0, requestMessages: 0, auditEntries: 0 };

      // Closed cases, with the agents they leave without any case.
      await inBatches(batchSize, async (conn) => {
        const batch = await createCaseRetentionRepository(conn).eraseBatch(limits.closedCasesIdleBefore, batchSize);
        closedCases.cases += batch.cases;
        closedCases.events += batch.events;
        closedCases.consultations += batch.consultations;
        closedCases.briefVersions += batch.briefVersions;
        closedCases.linkedRequests += batch.linkedRequests;
        closedCases.agents += batch.agents;
        await trace(conn, 'case', batch.caseIds);
        await trace(conn, 'agent', batch.agentIds);
        return batch.caseIds.length;
      });

      // Agents without a case who were left alone for the whole period.
      await inBatches(batchSize, async (conn) => {
        const agentIds = await createCaseRetentionRepository(conn).eraseIdleAgentsWithoutCases(limits.closedCasesIdleBefore, batchSize);
        closedCases.agents += agentIds.length;
        await trace(conn, 'agent', agentIds);
        return agentIds.length;
      });

      // Requests never turned into a case, with their messages.
      await inBatches(batchSize, async (conn) => {
        const requests = createRequestsRepository(conn);
        const ids = (await requests.purgeable(limits.requestsIdleBefore))
          .map((r) => r.id)
          .sort((a, b) => a - b)
          .slice(0, batchSize);
        const messages = await createPurgeBatchesRepository(conn).messagesOf(ids);
        // Under the same lock as the listing: deleteMany's second look finds them all still idle.
        const erased = await requests.deleteMany(ids, limits.requestsIdleBefore);
        counts.requests += erased.length;
        counts.requestMessages += messages;
        await trace(conn, 'support_request', erased);
        return erased.length;
      });

      // Audit entries, last: the purge's own are recent, and kept. One entry says old ones went.
      await inBatches(auditBatchSize, async (conn) => {
        const erased = await createPurgeBatchesRepository(conn).eraseAuditEntriesBefore(limits.auditBefore, auditBatchSize);
        if (erased > 0 && counts.auditEntries === 0) await trace(conn, 'audit_log', [null]);
        counts.auditEntries += erased;
        return erased;
      });

      return { ...counts, walTruncated: await checkpointAndTruncate(db) };
    },
  };
}
