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
