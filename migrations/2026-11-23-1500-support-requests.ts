import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('support_requests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    // Only the hash of the private follow-up link's token is kept.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('preferred_contact', 'text', (c) => c.notNull().check(sql`preferred_contact in ('email', 'phone')`))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('site', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('convocation_date', 'text')
    .addColumn('interview_date', 'text')
    .addColumn('summoned_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('situation', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('received').check(sql`status in ('received', 'taken', 'case_opened', 'closed', 'duplicate')`),
    )
    .addColumn('assigned_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('set null'))
    .addColumn('duplicate_of', 'integer', (c) => c.references('support_requests.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_requests_queue_idx').on('support_requests').columns(['region_code', 'status', 'created_at']).execute();

  await db.schema
    .createTable('support_request_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('support_requests.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('agent', 'rep')`))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_request_messages_request_idx').on('support_request_messages').columns(['request_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_request_messages').execute();
  await db.schema.dropTable('support_requests').execute();
}
