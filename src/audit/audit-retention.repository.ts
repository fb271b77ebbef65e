import type { DB } from '../db/database';

/** Retention of the audit log: entries older than the limit are erased like any other data. */
export function createAuditRetentionRepository(db: DB) {
  return {
    async countBefore(before: string): Promise<number> {
      const row = await db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '<', before).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async eraseBefore(before: string): Promise<number> {
      const result = await db.deleteFrom('auditLog').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
