import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/, so later code changes cannot rewrite history.

const REGIONS: Array<[string, string]> = [
  ['ARA', 'Auvergne-Rhône-Alpes'],
  ['BFC', 'Bourgogne-Franche-Comté'],
  ['BRE', 'Bretagne'],
  ['CVL', 'Centre-Val de Loire'],
  ['COR', 'Corse'],
  ['GES', 'Grand Est'],
  ['HDF', 'Hauts-de-France'],
  ['IDF', 'Île-de-France'],
  ['NOR', 'Normandie'],
  ['NAQ', 'Nouvelle-Aquitaine'],
  ['OCC', 'Occitanie'],
  ['PDL', 'Pays de la Loire'],
  ['PAC', 'Provence-Alpes-Côte d’Azur'],
  ['GUA', 'Guadeloupe'],
  ['MTQ', 'Martinique'],
  ['GUY', 'Guyane'],
  ['REU', 'La Réunion'],
  ['MAY', 'Mayotte'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('regions')
    .values(REGIONS.map(([code, name], i) => ({ code, name, position: i + 1 })))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'rep')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('invited', 'active', 'disabled')`),
    )
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();

  await db.schema
    .createTable('user_regions')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addPrimaryKeyConstraint('user_regions_pk', ['user_id', 'region_code'])
    .execute();
  await db.schema
    .createIndex('user_regions_region_idx')
    .on('user_regions')
    .column('region_code')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expiry_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('setup', 'invitation', 'reset')`),
    )
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity_type', 'entity_id'])
    .execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').column('actor_user_id').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('wave', 'integer')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('traces_start', 'text')
    .addColumn('traces_end', 'text')
    .addColumn('interviews_start', 'text')
    .addColumn('interviews_end', 'text')
    .addColumn('commitment_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('excludes_sanctions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report_required', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'closed')`),
    )
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaign_situations')
    .addColumn('campaign_id', 'integer', (c) =>
      c.notNull().references('campaigns.id').onDelete('cascade'),
    )
    .addColumn('situation_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_situations_pk', ['campaign_id', 'situation_code'])
    .execute();

  await db.schema
    .createTable('campaign_figures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) =>
      c.notNull().references('campaigns.id').onDelete('cascade'),
    )
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('situation_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('value', 'real', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('campaign_figures_unique', [
      'campaign_id',
      'scope',
      'metric',
      'situation_code',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'campaign_figures',
    'campaign_situations',
    'campaigns',
    'audit_log',
    'login_throttle',
    'account_tokens',
    'sessions',
    'user_regions',
    'users',
    'regions',
    'app_meta',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
