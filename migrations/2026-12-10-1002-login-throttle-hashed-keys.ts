import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * Login throttle rows are now keyed by HMAC digests (of the normalised email, of the client
 * address) instead of the email and address as typed. The old rows are dropped rather than
 * converted: they live an hour at most, and dropping them also erases the emails (mistyped and
 * unknown ones included) that they kept in clear. At worst a lock in progress is lifted early.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from login_throttle`.execute(db);
}

/** Digest keys mean nothing to the code before this migration: dropped too. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from login_throttle`.execute(db);
}
