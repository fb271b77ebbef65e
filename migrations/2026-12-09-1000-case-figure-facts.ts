import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * What each case brings to the declaration figures, stored with its assessment (the same write):
 * a declaration adds these columns up in SQL instead of reading every case with its consultations
 * and events and judging it again, which took seconds for the country (npm run bench). Null until
 * the case is next assessed; every case is marked for re-assessment, which fills them at the next
 * start (CasesService.refreshAtStart), and until then a declaration counts from the cases.
 *
 * The sums read every column they need from one index, in region order: through the table, each
 * case cost a lookup and the country's sums took six times as long. Both indexes are partial, so
 * that no other query of the cases is planned on them: the first holds the cases whose facts are
 * stored (declarations ask for those only), the second, normally empty, those still waiting.
 */
const COLUMNS = [
  ['figure_opened_on', 'text'],
  ['figure_delay_days', 'integer'],
  ['figure_odd_outside', 'integer'],
  ['figure_odd_within', 'integer'],
  ['figure_pre_disciplinary', 'integer'],
  ['figure_late', 'integer'],
  ['figure_sanction_kinds', 'text'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of COLUMNS) await db.schema.alterTable('cases').addColumn(name, type).execute();
  await sql`update cases set assessed_on = ''`.execute(db);
  await sql`create index cases_figures_idx on cases (campaign_id, region_code, agent_id, interview_date, convocation_date, knowledge_date,
      figure_opened_on, report_outcome, interview_tone, commitment_status, figure_delay_days, figure_odd_outside, figure_odd_within,
      figure_pre_disciplinary, figure_late, figure_sanction_kinds)
    where figure_opened_on is not null`.execute(db);
  await sql`create index cases_figures_pending_idx on cases (campaign_id) where figure_opened_on is null or assessed_on = ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_figures_pending_idx').execute();
  await db.schema.dropIndex('cases_figures_idx').execute();
  for (const [name] of [...COLUMNS].reverse()) await db.schema.alterTable('cases').dropColumn(name).execute();
}
