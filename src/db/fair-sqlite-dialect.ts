import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite driver shares its one connection through a lock that wakes every waiting query
 * at each release and lets the first to run take it, so under load a request with many queries
 * (a timeline event re-assesses its case) kept losing to newcomers: 50 connections saw waits of 8 s
 * while the median was 300 ms (npm run bench, mixed load). Here the connection is handed to the
 * longest waiting query, one at a time, and transactions take the write lock as they begin.
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

  /**
   * Transactions take the write lock first (BEGIN IMMEDIATE). A plain BEGIN reads from a snapshot
   * and asks for the lock at its first write: if another process (the CLI's purge, between two
   * batches) holds it then, SQLite answers SQLITE_BUSY at once, since waiting could deadlock, and a
   * rep's save of a case failed. Taking the lock first waits out the busy timeout instead; inside
   * the app it costs nothing, its one connection runs one transaction at a time anyway.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
