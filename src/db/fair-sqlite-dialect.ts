import { type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite driver shares its one connection through a lock that wakes every waiting query
 * at each release and lets the first to run take it, so under load a request with many queries
 * (a timeline event re-assesses its case) kept losing to newcomers: 50 connections saw waits of 8 s
 * while the median was 300 ms (npm run bench, mixed load). Here the connection is handed to the
 * longest waiting query, one at a time.
 */
class FairSqliteDriver extends SqliteDriver {
  readonly #waiting: Array<() => void> = [];
  #held = false;

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) {
      // Woken by releaseConnection, which hands the connection over without freeing it.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#held = true;
    }
    // Never contended: only the holder gets past the queue above.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

export class FairSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.#config);
  }
}
