import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * The agent's site joins the figure columns (2026-12-09-1000) and the figures' index: a one-region
 * declaration counted its sites through agents, a lookup per case, which was a third of what its
 * sums still cost (npm run bench). Every case waits for the column (figure_opened_on null, marked
 * for re-assessment) until the next start fills it; until then declarations count from the cases.
 */
const INDEXED = `campaign_id, region_code, agent_id, interview_date, convocation_date, knowledge_date, figure_opened_on, report_outcome,
  interview_tone, commitment_status, figure_delay_days, figure_odd_outside, figure_odd_within, figure_pre_disciplinary, figure_late,
  figure_sanction_kinds`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('figure_site', 'text').execute();
  await sql`update cases set figure_opened_on = null, assessed_on = ''`.execute(db);
  await db.schema.dropIndex('cases_figures_idx').execute();
  await sql.raw(`create index cases_figures_idx on cases (${INDEXED}, figure_site) where figure_opened_on is not null`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_figures_idx').execute();
  await sql.raw(`create index cases_figures_idx on cases (${INDEXED}) where figure_opened_on is not null`).execute(db);
  await db.schema.alterTable('cases').dropColumn('figure_site').execute();
}
