import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * Two-factor authentication (TOTP). One row per account whose second factor is on, or was reset:
 * - secret_box: the TOTP secret sealed with AES-256-GCM (key derived from the server's secret),
 *   null once an administrator reset it (a secret being enrolled waits in the session, sealed);
 * - confirmed_at: when a first code proved the authenticator works; null after a reset;
 * - last_used_step: the 30-second time step of the last accepted code, so a code is accepted once;
 * - reset_at / reset_by: an administrator's reset, told to the account holder at their next login.
 * Recovery codes are stored as keyed hashes, each spent by used_at.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_second_factors')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_box', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('last_used_step', 'integer')
    .addColumn('reset_at', 'text')
    .addColumn('reset_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('user_second_factors_confirmed_has_secret', sql`confirmed_at is null or secret_box is not null`)
    .execute();

  await db.schema
    .createTable('second_factor_recovery_codes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('second_factor_recovery_codes_user_hash_idx')
    .on('second_factor_recovery_codes')
    .columns(['user_id', 'code_hash'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('second_factor_recovery_codes').execute();
  await db.schema.dropTable('user_second_factors').execute();
}
