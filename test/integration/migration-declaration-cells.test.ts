import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import { createMigrator } from '../../src/db/migrate';

/**
 * The table of what each declaration published (the differencing guard): created with its
 * indexes, a state among the three known, rows gone with their declaration, and dropped again.
 */

const MIGRATION = '2026-12-10-1004-declaration-cells';

const { db, close } = openDatabase(':memory:');
after(close);

describe(`migration ${MIGRATION}`, () => {
  it('creates the table, keeps its rows with their declaration only, and goes down again', async () => {
    const migrator = createMigrator(db);
    assert.ifError((await migrator.migrateTo(MIGRATION)).error);
    const at = '2026-12-01T00:00:00.000Z';
    const campaign = await sql<{ id: number }>`insert into campaigns (name, wave, description, commitment_text, excludes_sanctions, report_required, status, source, created_at, updated_at)
      values ('Vague test', 9, '', '', 1, 1, 'active', '', ${at}, ${at}) returning id`.execute(db);
    const campaignId = campaign.rows[0]!.id;
    const declaration = await sql<{ id: number }>`insert into declarations (series_key, number, meeting_kind, body_name, meeting_date, campaign_id, scope, draft, figures, figures_computed_at, document, created_at)
      values ('k', 1, 'CSE', 'CSE', '2026-12-10', ${campaignId}, 'HDF', '{}', '{}', ${at}, '{}', ${at}) returning id`.execute(db);
    const declarationId = declaration.rows[0]!.id;
    await sql`insert into declaration_cells (declaration_id, campaign_id, measure, regions, period_from, period_to, state, value)
      values (${declarationId}, ${campaignId}, 'cases', 'HDF', null, null, 'printed', 12), (${declarationId}, ${campaignId}, 'agents', 'HDF', null, null, 'withheld', null)`.execute(db);
    await assert.rejects(
      sql`insert into declaration_cells (declaration_id, campaign_id, measure, regions, state, value) values (${declarationId}, ${campaignId}, 'cases', 'HDF', 'guessed', 3)`.execute(db),
      /CHECK constraint failed/,
    );
    const indexes = await sql<{ name: string }>`select name from pragma_index_list('declaration_cells') order by name`.execute(db);
    assert.deepEqual(indexes.rows.map((r) => r.name).filter((n) => n.startsWith('declaration_cells_')), ['declaration_cells_campaign', 'declaration_cells_declaration']);
    await sql`delete from declarations where id = ${declarationId}`.execute(db);
    assert.equal((await sql<{ n: number }>`select count(*) as n from declaration_cells`.execute(db)).rows[0]!.n, 0);

    assert.ifError((await migrator.migrateDown()).error);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'declaration_cells'`.execute(db);
    assert.equal(tables.rows.length, 0);
  });
});
