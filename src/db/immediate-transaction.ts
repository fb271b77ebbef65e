import { sql } from 'kysely';
import type { DB } from './database';

/**
 * Runs `fn` in a transaction that takes SQLite's write lock at once (BEGIN IMMEDIATE), commits
 * when it returns and rolls back when it throws.
 *
 * Another process may be writing meanwhile (the app while the command line purges, a command while
 * the app erases). A deferred transaction reads from a snapshot and asks for the lock only at its
 * first write: if someone committed in between, that write fails at once (SQLITE_BUSY, which the
 * busy timeout cannot wait out). Taking the lock first waits instead, and what the transaction
 * reads is then exactly what it changes.
 *
 * `fn` must run every query on the connection it is given: the database's one connection is held
 * until the end. Nothing inside may open a transaction of its own (Kysely's transaction(), or
 * anything calling it): SQLite does not nest them.
 */
export async function immediateTransaction<T>(db: DB, fn: (conn: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      // SQLite may have ended the transaction itself (a failed COMMIT, a full disk): the rollback
      // then has nothing to undo, and its own error must not hide the one that matters.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
