import type { DB } from '../db/database';
import { THROTTLE_FORGOTTEN_AFTER_MINUTES, type ThrottleState } from '../domain/login-throttle';

async function read(db: DB, key: string): Promise<ThrottleState | undefined> {
  const row = await db.selectFrom('loginThrottle').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  return {
    failures: row.failures,
    lastFailureAt: new Date(row.lastFailureAt),
    lockedUntil: row.lockedUntil ? new Date(row.lockedUntil) : null,
  };
}

async function write(db: DB, key: string, state: ThrottleState): Promise<void> {
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
}

export function createLoginThrottleRepository(db: DB) {
  return {
    get: (key: string) => read(db, key),

    save: (key: string, state: ThrottleState) => write(db, key, state),

    /**
     * Reads, changes and writes a key in one transaction. A failure must be counted from the state
     * as it is once the password check is over, not as it was read before: twelve wrong passwords
     * sent at once were otherwise counted as one.
     */
    async update(key: string, change: (state: ThrottleState | undefined) => ThrottleState): Promise<ThrottleState> {
      return db.transaction().execute(async (trx) => {
        const next = change(await read(trx, key));
        await write(trx, key, next);
        return next;
      });
    },

    /** Deletes the states that no longer count (no failure within the window, no lock running); returns how many. */
    async prune(now: Date): Promise<number> {
      const forgotten = new Date(now.getTime() - THROTTLE_FORGOTTEN_AFTER_MINUTES * 60_000).toISOString();
      const result = await db
        .deleteFrom('loginThrottle')
        .where('lastFailureAt', '<', forgotten)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now.toISOString())]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
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
