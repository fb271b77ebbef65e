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
  // An anonymous session keeps the expiry it was created with: saving it again (a new token, a
  // flash message) never extends it.
  set: `insert into sessions (sid, user_id, data, expires_at) values (?, ?, ?, ?)
        on conflict (sid) do update set user_id = excluded.user_id, data = excluded.data,
          expires_at = case when excluded.user_id is null and sessions.user_id is null then sessions.expires_at else excluded.expires_at end`,
  touch: 'update sessions set expires_at = ? where sid = ? and user_id is not null',
  // The newest anonymous sessions are kept; the oldest beyond the bound go first.
  pruneAnonymous: `delete from sessions where user_id is null and sid in (
        select sid from sessions where user_id is null order by expires_at desc limit -1 offset ?)`,
};

export interface SessionLifetimes {
  /** A signed-in session ends after this long without a request (counted here, on the server). */
  idleMs: number;
  /** An anonymous session (the login form's or the public form's token) ends this long after it was made, whatever happens. */
  anonymousMs: number;
  /** Anonymous sessions kept at most: a visitor looping on the login page cannot fill the table. */
  maxAnonymous: number;
}

/** Anonymous sessions are pruned to their bound once every this many are written, not at every write. */
const PRUNE_EVERY = 64;

/**
 * Sessions live in the app's own SQLite database, with the user id in its own column
 * so that disabling an account or resetting its password ends its sessions at once.
 *
 * Expiry is the server's business: a signed-in session's row is pushed back at most once a minute
 * while requests come (touch), and its cookie is not re-sent with every page; an anonymous one
 * lives a fixed time from its creation.
 */
export class SqliteSessionStore extends session.Store {
  /** Expiry last written per session: touching more than once a minute would be a write per request. */
  private readonly written = new Map<string, number>();
  private static readonly TOUCH_GRANULARITY_MS = 60_000;
  private anonymousWrites = 0;

  private remember(sid: string, expiresAt: number): void {
    if (this.written.size > 50_000) this.written.clear();
    this.written.set(sid, expiresAt);
  }

  constructor(
    private readonly db: DB,
    private readonly now: () => Date,
    private readonly lifetimes: SessionLifetimes,
  ) {
    super();
  }

  private expiry(sess: session.SessionData): number {
    return this.now().getTime() + (sess.userId ? this.lifetimes.idleMs : this.lifetimes.anonymousMs);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .executeQuery<{ data: string }>(CompiledQuery.raw(SQL.get, [sid, this.now().getTime()]))
      .then(({ rows: [row] }) => callback(null, row ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((err) => callback(err));
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(sess);
    const anonymous = !sess.userId;
    this.db
      .executeQuery(CompiledQuery.raw(SQL.set, [sid, sess.userId ?? null, JSON.stringify(sess), expiresAt]))
      .then(async () => {
        if (anonymous && ++this.anonymousWrites % PRUNE_EVERY === 1) await this.pruneAnonymous();
        else if (!anonymous) this.remember(sid, expiresAt);
        callback?.();
      })
      .catch((err) => callback?.(err));
  }

  /** Deletes the oldest anonymous sessions beyond the bound; returns how many. */
  async pruneAnonymous(): Promise<number> {
    const { numAffectedRows } = await this.db.executeQuery(CompiledQuery.raw(SQL.pruneAnonymous, [this.lifetimes.maxAnonymous]));
    return Number(numAffectedRows ?? 0);
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    if (!sess.userId) {
      callback?.();
      return;
    }
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

  /** Ends every session of the account but this one (a password changed from the signed-in session). */
  async destroyOthersOf(userId: number, keptSid: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('userId', '=', userId).where('sid', '!=', keptSid).executeTakeFirst();
    return Number(result.numDeletedRows);
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
