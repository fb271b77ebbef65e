import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DB } from '../../src/db/database';
import type { Database } from '../../src/db/schema';

/**
 * What the purge and the erasure of an agent's data leave behind: row counts of the tables they
 * touch, and whether a canary string can still be read in the raw database files.
 */

/** The tables the purge and the erasure erase from, and the audit log they write to. */
export const TABLES = ['agents', 'cases', 'caseSituations', 'caseReps', 'caseEvents', 'consultations', 'briefVersions', 'supportRequests', 'supportRequestMessages', 'auditLog'] as const;

export async function tableCounts(db: DB): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.selectFrom(table as keyof Database).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * Which of the database file, its -wal and its -shm hold the canary, case-insensitively, by base
 * name. Read by another process: opening and closing the files in this one would drop its SQLite
 * locks on them (POSIX locks belong to the process), and the next writer could corrupt them.
 */
export function canaryIn(databaseFile: string, canary: string): string[] {
  const files = ['', '-wal', '-shm'].map((suffix) => `${databaseFile}${suffix}`).filter((file) => existsSync(file));
  const script = `const fs = require('node:fs');
    for (const file of process.argv.slice(1)) {
      if (fs.readFileSync(file).toString('latin1').toLowerCase().includes(${JSON.stringify(canary.toLowerCase())})) console.log(file);
    }`;
  const res = spawnSync(process.execPath, ['-e', script, ...files], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout.split('\n').filter(Boolean).map((file) => path.basename(file));
}
