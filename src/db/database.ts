import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely } from 'kysely';
import { FairSqliteDialect } from './fair-sqlite-dialect';
import type { Database } from './schema';

export type DB = Kysely<Database>;

export interface OpenedDatabase {
  db: DB;
  sqlite: SQLite.Database;
  close: () => Promise<void>;
}

/**
 * Kysely prepares every query anew; compiling the same SQL text over and over is wasted work,
 * so prepared statements are kept and reused by their text (queries are parameterised, so the
 * set of distinct texts is small).
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 2000) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

/** Opens the embedded database with the pragmas every connection must carry. */
export function openDatabase(file: string): OpenedDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows (sessions, erased requests, purged cases) are overwritten with zeros, not left in
  // free pages or cell gaps where anyone holding a copy of the file could read them back: erasure
  // and retention promise the data is gone (test/integration/purge.test.ts greps the files for it).
  sqlite.pragma('secure_delete = ON');
  // FULL, deliberately: in WAL mode NORMAL syncs the log only at checkpoints, so a power cut or a
  // kernel crash can take back the last transactions after the page said « enregistré » — a rep's
  // case notes, an agent's request. FULL syncs the log at every commit. A process crash loses
  // nothing either way (test/integration/crash.test.ts); the price is one fsync per write
  // transaction (about 1 ms here, 3 to 4 times fewer commits per second flat out), paid at the
  // pace reps type, while reads are unaffected.
  sqlite.pragma('synchronous = FULL');
  const db = new Kysely<Database>({
    dialect: new FairSqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
  return { db, sqlite, close: () => db.destroy() };
}
