import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * What each generated declaration made public, cell by cell: a count printed, one its tables
 * give away by subtraction (derived), or one withheld (« moins de 5 », « n.c. »; no value). A new
 * declaration is set against the known cells of those already published on its campaign, so a
 * small count cannot be worked out by subtracting one from the other (the differencing guard).
 * Written in the same transaction as the declaration. Declarations generated before this table
 * have no rows: their cells are read from their stored figures.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('declaration_cells')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('declaration_id', 'integer', (c) => c.notNull().references('declarations.id').onDelete('cascade'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    // 'cases', 'held', 'outcome:legitimate', 'held~rest'…
    .addColumn('measure', 'text', (c) => c.notNull())
    // The region codes counted, sorted and comma-separated (a national scope as it was then).
    .addColumn('regions', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text')
    .addColumn('period_to', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('printed', 'derived', 'withheld')`))
    .addColumn('value', 'integer')
    .execute();
  await db.schema.createIndex('declaration_cells_campaign').on('declaration_cells').columns(['campaign_id', 'measure']).execute();
  await db.schema.createIndex('declaration_cells_declaration').on('declaration_cells').column('declaration_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('declaration_cells').execute();
}
