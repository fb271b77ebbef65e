import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.

/**
 * Time facts of the agent's own place:
 * - agents.department_code: the agent's département ('57', '2A', '974'), which decides the
 *   Alsace-Moselle holidays; null when not stated. Overseas agents get their region's only one.
 * - consultations.typed_zone: the IANA zone the time was typed in. Rows typed before this change
 *   keep null: they were read in Paris time, whatever the agent's region (the README says so), and
 *   the case page points them out when the agent's own zone is another.
 */
const OVERSEAS_DEPARTMENTS: Array<[string, string]> = [
  ['GUA', '971'],
  ['MTQ', '972'],
  ['GUY', '973'],
  ['REU', '974'],
  ['MAY', '976'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('department_code', 'text').execute();
  await db.schema.alterTable('consultations').addColumn('typed_zone', 'text').execute();
  for (const [region, department] of OVERSEAS_DEPARTMENTS) {
    await db.updateTable('agents').set({ department_code: department }).where('region_code', '=', region).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultations').dropColumn('typed_zone').execute();
  await db.schema.alterTable('agents').dropColumn('department_code').execute();
}
