import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.

/**
 * Facts the forms could not record:
 * - the agent's civility, to agree letters (null: not stated);
 * - whether the agent had told the hierarchy beforehand, and when (a date only with « yes »);
 * - on campaigns, the direction's exact words apart from the union's framing of the commitment,
 *   and what the direction said about false positives.
 *
 * Existing databases: the wave-2 campaign seeded with the framing and the direction's words in one
 * text gets them split, and its false-positives statement, unless an administrator changed them.
 */

const WAVE_2_NAME = 'Détournement de finalités — vague 2 (2024)';

/** The wave-2 commitment as the reference file seeded it, the union's framing and the quote in one. */
const SEEDED_COMMITMENT =
  'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée. « Si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France Travail. »';

/** The union leaflet's framing (seed 000). */
const COMMITMENT_FRAMING = 'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée.';

/** The direction's words as the leaflet quotes them (seed 000), without the guillemets. */
const COMMITMENT_QUOTE =
  'si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France travail.';

/** The CGT's report of the CSEC (seed 002). */
const FALSE_POSITIVES =
  'Devant le CSEC, la direction générale a évalué à 10 % la part des situations réelles de détournement de finalités, tout en évoquant de nombreux « faux positifs » ; elle a indiqué que le système ne pouvait pas perdurer en l’état, car il y avait encore trop de faux positifs.';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agents')
    .addColumn('civility', 'text', (c) => c.check(sql`civility is null or civility in ('madame', 'monsieur')`))
    .execute();

  await db.schema
    .alterTable('cases')
    .addColumn('hierarchy_informed', 'text', (c) =>
      c.notNull().defaultTo('unknown').check(sql`hierarchy_informed in ('yes', 'no', 'unknown')`),
    )
    .execute();
  await db.schema
    .alterTable('cases')
    .addColumn('hierarchy_informed_date', 'text', (c) =>
      c.check(sql`hierarchy_informed_date is null or hierarchy_informed = 'yes'`),
    )
    .execute();

  await db.schema
    .alterTable('campaigns')
    .addColumn('commitment_quote', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('campaigns')
    .addColumn('false_positives_statement', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  // Only what the seed wrote: an edited commitment or statement is the administrator's.
  await db
    .updateTable('campaigns')
    .set({ commitment_text: COMMITMENT_FRAMING, commitment_quote: COMMITMENT_QUOTE })
    .where('commitment_text', '=', SEEDED_COMMITMENT)
    .where('commitment_quote', '=', '')
    .execute();
  await db
    .updateTable('campaigns')
    .set({ false_positives_statement: FALSE_POSITIVES })
    .where('name', '=', WAVE_2_NAME)
    .where('false_positives_statement', '=', '')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // The split text goes back together only where it is still the seed's.
  await db
    .updateTable('campaigns')
    .set({ commitment_text: SEEDED_COMMITMENT })
    .where('commitment_text', '=', COMMITMENT_FRAMING)
    .where('commitment_quote', '=', COMMITMENT_QUOTE)
    .execute();
  await db.schema.alterTable('campaigns').dropColumn('false_positives_statement').execute();
  await db.schema.alterTable('campaigns').dropColumn('commitment_quote').execute();
  // The date's check names the answer: the date goes first.
  await db.schema.alterTable('cases').dropColumn('hierarchy_informed_date').execute();
  await db.schema.alterTable('cases').dropColumn('hierarchy_informed').execute();
  await db.schema.alterTable('agents').dropColumn('civility').execute();
}
