import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.

export async function up(db: Kysely<any>): Promise<void> {
  // A generated declaration is immutable: its figures are frozen with the moment they were
  // computed, so what was read at a meeting can be produced again after cases change.
  await db.schema
    .createTable('declarations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Versions of the declaration for one meeting share a series (kind, body, date).
    .addColumn('series_key', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('meeting_kind', 'text', (c) => c.notNull())
    .addColumn('body_name', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    // 'national', or the comma-separated region codes covered.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text')
    .addColumn('period_to', 'text')
    .addColumn('draft', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('figures_computed_at', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    // One generation per composed page: a double click or a resent form finds the version it made.
    .addColumn('submission_key', 'text', (c) => c.unique())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('declarations_number', ['series_key', 'number'])
    .execute();
  await db.schema.createIndex('declarations_meeting').on('declarations').columns(['meeting_date', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('declarations').execute();
}
