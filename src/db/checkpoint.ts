import { sql } from 'kysely';
import type { DB } from './database';

/**
 * Copies the write-ahead log into the database file and truncates it to nothing. After a purge,
 * the log still holds the pages as they were before the rows were overwritten; until it is
 * truncated, the erased content could be read back from the -wal file.
 *
 * TRUNCATE waits (busy timeout) for readers still on an older snapshot; a reader that lingers
 * makes it give up, so it is tried again a few times. Returns whether it completed.
 */
export async function checkpointAndTruncate(db: DB, attempts = 5, pauseMs = 500): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    if (rows[0]?.busy === 0) return true;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return false;
}

/**
 * The same, once and without waiting, for the web process: better-sqlite3 is synchronous, so a
 * checkpoint waiting on another process's reader (a running backup) would stall every page. The
 * daily purge, run from the command line, empties the log later if this one cannot.
 */
export async function tryCheckpointAndTruncate(db: DB): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const { rows: timeout } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(conn);
      return rows[0]?.busy === 0;
    } catch {
      return false;
    } finally {
      await sql.raw(`pragma busy_timeout = ${Number(timeout[0]?.timeout ?? 5000)}`).execute(conn);
    }
  });
}
