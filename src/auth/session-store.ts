import session from 'express-session';
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
      .selectFrom('sessions')
      .select('data')
      .where('sid', '=', sid)
      .where('expiresAt', '>', this.now().getTime())
      .executeTakeFirst()
      .then((row) => callback(null, row ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((err) => callback(err));
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    const values = {
      userId: sess.userId ?? null,
      data: JSON.stringify(sess),
      expiresAt: this.expiry(sess),
    };
    this.db
      .insertInto('sessions')
      .values({ sid, ...values })
      .onConflict((oc) => oc.column('sid').doUpdateSet(values))
      .execute()
      .then(() => {
        this.remember(sid, values.expiresAt);
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
      .updateTable('sessions')
      .set({ expiresAt })
      .where('sid', '=', sid)
      .execute()
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
