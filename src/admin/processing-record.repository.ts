import { sql } from 'kysely';
import type { DB } from '../db/database';

/** What the running database actually enforces, read from the connection rather than assumed. */
export function createDatabaseSettingsRepository(db: DB) {
  async function pragma(name: 'secure_delete' | 'journal_mode' | 'foreign_keys'): Promise<string> {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(db);
    return String(Object.values(rows[0] ?? {})[0] ?? '');
  }

  return {
    async safeguards() {
      const [secureDelete, journalMode, foreignKeys] = await Promise.all([pragma('secure_delete'), pragma('journal_mode'), pragma('foreign_keys')]);
      return { secureDelete: secureDelete === '1', journalMode, foreignKeys: foreignKeys === '1' };
    },
  };
}

export type DatabaseSettingsRepository = ReturnType<typeof createDatabaseSettingsRepository>;
