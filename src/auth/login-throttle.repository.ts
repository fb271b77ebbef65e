import type { DB } from '../db/database';
import type { ThrottleState } from '../domain/login-throttle';

export function createLoginThrottleRepository(db: DB) {
  return {
    async get(key: string): Promise<ThrottleState | undefined> {
      const row = await db.selectFrom('loginThrottle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!row) return undefined;
      return {
        failures: row.failures,
        lastFailureAt: new Date(row.lastFailureAt),
        lockedUntil: row.lockedUntil ? new Date(row.lockedUntil) : null,
      };
    },

    async save(key: string, state: ThrottleState): Promise<void> {
      const values = {
        failures: state.failures,
        lastFailureAt: state.lastFailureAt.toISOString(),
        lockedUntil: state.lockedUntil?.toISOString() ?? null,
      };
      await db
        .insertInto('loginThrottle')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
    },

    async clear(key: string): Promise<void> {
      await db.deleteFrom('loginThrottle').where('key', '=', key).execute();
    },

    /** Keys are digests (hex, no LIKE wildcard), so a prefix names exactly one account's rows. */
    async clearPrefix(prefix: string): Promise<void> {
      await db.deleteFrom('loginThrottle').where('key', 'like', `${prefix}%`).execute();
    },
  };
}

export type LoginThrottleRepository = ReturnType<typeof createLoginThrottleRepository>;
