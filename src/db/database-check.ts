import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { MIGRATIONS_DIR } from './migrations-dir';

export type DatabaseCheck =
  | { ok: true; migrations: string[]; cases: number; requests: number }
  | { ok: false; reason: string };

const SQLITE_HEADER = 'SQLite format 3\0';

function startsLikeSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** The migrations this version of Vigie knows, by the names Kysely records. */
export function knownMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.basename(f, path.extname(f)))
    .sort();
}

/**
 * Whether a file is a sound Vigie database: SQLite, passing integrity_check, carrying Kysely's
 * migration table with migrations this version knows. A restore trusts nothing less, since it
 * replaces the only copy of the reps' cases.
 */
export function checkVigieDatabase(file: string): DatabaseCheck {
  if (!startsLikeSqlite(file)) return { ok: false, reason: 'ce fichier n’est pas une base SQLite' };
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { fileMustExist: true });
    const integrity = sqlite.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    const problems = integrity.map((r) => r.integrity_check).filter((line) => line !== 'ok');
    if (problems.length > 0) return { ok: false, reason: `la vérification d’intégrité a échoué : ${problems.slice(0, 3).join(' ; ')}` };
    const hasTable = (name: string) => sqlite!.prepare("select 1 from sqlite_schema where type = 'table' and name = ?").get(name) !== undefined;
    if (!hasTable('kysely_migration')) return { ok: false, reason: 'ce n’est pas une base Vigie (pas de table de migrations)' };
    const migrations = (sqlite.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((r) => r.name);
    if (migrations.length === 0) return { ok: false, reason: 'ce n’est pas une base Vigie (aucune migration appliquée)' };
    const known = new Set(knownMigrations());
    const unknown = migrations.filter((m) => !known.has(m));
    if (unknown.length > 0) return { ok: false, reason: `elle vient d’une version plus récente ou différente de Vigie (migration inconnue : ${unknown[0]})` };
    // An older backup may predate some tables: the app migrates it at its next start.
    const count = (table: string) => (hasTable(table) ? Number((sqlite!.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n) : 0);
    return { ok: true, migrations, cases: count('cases'), requests: count('support_requests') };
  } catch (err) {
    return { ok: false, reason: `le fichier est illisible ou endommagé (${(err as Error).message})` };
  } finally {
    sqlite?.close();
  }
}
