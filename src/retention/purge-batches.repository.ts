import type { DB } from '../db/database';

/**
 * The queries the purge needs to work a batch at a time where the feature repositories erase or
 * count everything at once.
 */
export function createPurgeBatchesRepository(db: DB) {
  return {
    /** Messages of these requests, counted before they go with them (ON DELETE CASCADE). */
    async messagesOf(requestIds: readonly number[]): Promise<number> {
      if (requestIds.length === 0) return 0;
      const row = await db
        .selectFrom('supportRequestMessages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('requestId', 'in', [...requestIds])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Erases the oldest `limit` audit entries written before `before` (the condition countBefore of
     * src/audit/audit-retention.repository.ts counts); returns how many went. Ids grow with time,
     * so the oldest are found first without an index on the instant.
     */
    async eraseAuditEntriesBefore(before: string, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('auditLog')
        .where('id', 'in', (eb) => eb.selectFrom('auditLog').select('id').where('at', '<', before).orderBy('id').limit(limit))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
