import type { Kysely } from 'kysely';

// Sessions of an account signed in before this instant are refused, even one that a request in
// flight writes back to the store after it was deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('sessions_revoked_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('sessions_revoked_at').execute();
}
