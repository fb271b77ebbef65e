import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('full_name', 'text', (c) => c.notNull())
    // Lower-case, accents stripped: what name search and duplicate detection compare.
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('pro_email', 'text')
    .addColumn('personal_email', 'text')
    .addColumn('phone', 'text')
    .addColumn('contact_channels', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('site', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('job', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('employment_status', 'text', (c) =>
      c.notNull().defaultTo('unknown').check(sql`employment_status in ('private', 'public', 'unknown')`),
    )
    .addColumn('work_days', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('work_start', 'text')
    .addColumn('work_end', 'text')
    .addColumn('part_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('telework_days', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agents_region_name_idx').on('agents').columns(['region_code', 'search_name']).execute();
  await db.schema.createIndex('agents_region_site_idx').on('agents').columns(['region_code', 'site']).execute();
  await db.schema.createIndex('agents_site_idx').on('agents').column('site').execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    // Copied from the agent so scope checks and filters need no join.
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('other_situation_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('knowledge_date', 'text')
    .addColumn('convocation_date', 'text')
    .addColumn('convocation_form', 'text')
    .addColumn('interview_date', 'text')
    .addColumn('manager_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('rep_accompanied', 'integer')
    .addColumn('report_outcome', 'text', (c) =>
      c.check(sql`report_outcome is null or report_outcome in ('legitimate', 'illegitimate', 'not_stated', 'none_given')`),
    )
    .addColumn('interview_tone', 'text', (c) =>
      c.check(sql`interview_tone is null or interview_tone in ('kind', 'neutral', 'pressure')`),
    )
    .addColumn('tone_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('training_received', 'text', (c) =>
      c.notNull().defaultTo('unknown').check(sql`training_received in ('yes', 'no', 'unknown')`),
    )
    .addColumn('agent_account', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    // Derived from the rules on every change and refreshed daily: lists and dashboards read these.
    .addColumn('commitment_status', 'text', (c) =>
      c.notNull().defaultTo('respected').check(sql`commitment_status in ('respected', 'at_risk', 'breached')`),
    )
    .addColumn('commitment_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('next_deadline_date', 'text')
    .addColumn('next_deadline_label', 'text')
    .addColumn('assessed_on', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('consultations_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('odd_hours_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reps_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_agent_idx').on('cases').column('agent_id').execute();
  await db.schema
    .createIndex('cases_scope_idx')
    .on('cases')
    .columns(['campaign_id', 'region_code', 'commitment_status'])
    .execute();
  await db.schema.createIndex('cases_region_idx').on('cases').columns(['region_code', 'commitment_status']).execute();
  await db.schema.createIndex('cases_deadline_idx').on('cases').column('next_deadline_date').execute();
  await db.schema.createIndex('cases_interview_idx').on('cases').column('interview_date').execute();

  await db.schema
    .createTable('case_situations')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('situation_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_situations_pk', ['case_id', 'situation_code'])
    .execute();
  await db.schema
    .createIndex('case_situations_code_idx')
    .on('case_situations')
    .columns(['situation_code', 'case_id'])
    .execute();

  await db.schema
    .createTable('case_reps')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('case_reps_pk', ['case_id', 'user_id'])
    .execute();
  await db.schema.createIndex('case_reps_user_idx').on('case_reps').columns(['user_id', 'case_id']).execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('consulted', 'modified', 'acted')`))
    .addColumn('explanation', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('explanation_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('consultations_case_idx').on('consultations').columns(['case_id', 'at']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sanction_kind', 'text')
    .addColumn('hearing_date', 'text')
    .addColumn('closing_outcome', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'date']).execute();
  await db.schema.createIndex('case_events_type_idx').on('case_events').columns(['type', 'case_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['case_events', 'consultations', 'case_reps', 'case_situations', 'cases', 'agents']) {
    await db.schema.dropTable(table).execute();
  }
}
