import session from 'express-session';
import { CompiledQuery } from 'kysely';
import type { DB } from '../db/database';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user signed in (ms): sessions end after an absolute lifetime, whatever the activity. */
    authenticatedAt?: number;
    flash?: Array<{ kind: 'success' | 'info' | 'error'; text: string }>;
  }
}

type Callback = (err?: unknown) => void;

/**
 * Every request reads its session, so its SQL is written once here rather than built and compiled
 * by the query builder each time (that cost about four times the read itself, by the bench's
 * profile). It still runs through Kysely, behind the connection's queue: a transaction in flight
 * never sees a session write slip into it.
 */
const SQL = {
  get: 'select data from sessions where sid = ? and expires_at > ?',
  set: `insert into sessions (sid, user_id, data, expires_at) values (?, ?, ?, ?)
        on conflict (sid) do update set user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
  touch: 'update sessions set expires_at = ? where sid = ?',
};

/**
 * Sessions live in the app's own SQLite database, with the user id in its own column
 * so that disabling an account or resetting its password ends its sessions at once.
 */
export class SqliteSessionStore extends session.Store {
  /** Expiry last written per session: touching more than once a minute would be a write per request. */
  private readonly written = new Map<string, number>();
  private static readonly TOUCH_GRANULARITY_MS = 60_000;

  private remember(sid: string, expiresAt: number): void {
    if (this.written.size > 50_000) this.written.clear();
    this.written.set(sid, expiresAt);
  }

  constructor(
    private readonly db: DB,
    private readonly now: () => Date,
    private readonly fallbackTtlMs: number,
  ) {
    super();
  }

  /** Idle expiry counted on the app's clock from the last request, not from the cookie's own date. */
  private expiry(sess: session.SessionData): number {
    const ttl = sess.cookie?.originalMaxAge ?? this.fallbackTtlMs;
    return this.now().getTime() + ttl;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .executeQuery<{ data: string }>(CompiledQuery.raw(SQL.get, [sid, this.now().getTime()]))
      .then(({ rows: [row] }) => callback(null, row ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((err) => callback(err));
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(sess);
    this.db
      .executeQuery(CompiledQuery.raw(SQL.set, [sid, sess.userId ?? null, JSON.stringify(sess), expiresAt]))
      .then(() => {
        this.remember(sid, expiresAt);
        callback?.();
      })
      .catch((err) => callback?.(err));
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(sess);
    const last = this.written.get(sid);
    if (last !== undefined && expiresAt - last < SqliteSessionStore.TOUCH_GRANULARITY_MS) {
      callback?.();
      return;
    }
    this.db
      .executeQuery(CompiledQuery.raw(SQL.touch, [expiresAt, sid]))
      .then(() => {
        this.remember(sid, expiresAt);
        callback?.();
      })
      .catch((err) => callback?.(err));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.written.delete(sid);
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  async destroyForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('userId', '=', userId).execute();
  }

  async prune(): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('expiresAt', '<=', this.now().getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
