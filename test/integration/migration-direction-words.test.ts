import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type DB, openDatabase } from '../../src/db/database';
import { createMigrator, migrateToLatest } from '../../src/db/migrate';

/**
 * The migration that adds the agent's civility, the hierarchy informed beforehand and the
 * campaign's exact words of the direction, run on a database written before it: rows keep their
 * values and get the defaults, the seeded wave-2 commitment is split, an edited one is left alone,
 * and the migration goes down again.
 */

const MIGRATION = '2026-12-07-1200-civility-hierarchy-direction-words';
const BEFORE = '2026-11-24-1000-case-list-indexes';
const WAVE_2 = 'Détournement de finalités — vague 2 (2024)';
/** What the reference file seeded as wave 2's commitment before the split. */
const SEEDED =
  'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée. « Si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France Travail. »';
const FRAMING = 'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée.';
const QUOTE = 'si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France travail.';

const opened: Array<() => void> = [];
after(() => {
  for (const close of opened) close();
});

/** A database migrated up to the migration before, holding campaigns, an agent and a case. */
async function legacyDatabase(campaigns: Array<{ name: string; commitmentText: string }>) {
  const { db, close } = openDatabase(':memory:');
  opened.push(close);
  const { error } = await createMigrator(db).migrateTo(BEFORE);
  assert.ifError(error);
  const at = '2025-01-01T00:00:00.000Z';
  const ids: number[] = [];
  for (const c of campaigns) {
    const row = await db
      .insertInto('campaigns')
      .values({ name: c.name, wave: 2, description: '', tracesStart: null, tracesEnd: null, interviewsStart: null, interviewsEnd: null, commitmentText: c.commitmentText, excludesSanctions: 1, reportRequired: 1, status: 'active', source: '', createdAt: at, updatedAt: at } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  const agent = await db
    .insertInto('agents')
    .values({ fullName: 'Agent Ancien', searchName: 'agent ancien', proEmail: null, personalEmail: null, phone: null, contactChannels: '', regionCode: 'HDF', site: 'Agence Lens', job: '', employmentStatus: 'private', workDays: '', workStart: null, workEnd: null, partTime: 0, teleworkDays: '', createdAt: at, updatedAt: at } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const kase = await db
    .insertInto('cases')
    .values({ agentId: agent.id, campaignId: ids[0]!, regionCode: 'HDF', otherSituationText: '', managerName: 'M. Durand', toneNotes: '', trainingReceived: 'no', agentAccount: 'Récit.', status: 'open', createdAt: at, updatedAt: at } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { db, campaignIds: ids, agentId: agent.id, caseId: kase.id };
}

async function columnsOf(db: DB, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function campaign(db: DB, id: number) {
  return db.selectFrom('campaigns').select(['name', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement', 'updatedAt']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe(`migration ${MIGRATION}`, () => {
  it('adds the columns with their defaults, keeping every row’s values', async () => {
    const { db, agentId, caseId } = await legacyDatabase([{ name: WAVE_2, commitmentText: SEEDED }]);
    assert.ok((await migrateToLatest(db)).includes(MIGRATION));
    const agent = await db.selectFrom('agents').select(['fullName', 'site', 'civility']).where('id', '=', agentId).executeTakeFirstOrThrow();
    assert.deepEqual(agent, { fullName: 'Agent Ancien', site: 'Agence Lens', civility: null });
    const kase = await db.selectFrom('cases').select(['managerName', 'trainingReceived', 'agentAccount', 'hierarchyInformed', 'hierarchyInformedDate']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.deepEqual(kase, { managerName: 'M. Durand', trainingReceived: 'no', agentAccount: 'Récit.', hierarchyInformed: 'unknown', hierarchyInformedDate: null });
  });

  it('splits the seeded wave-2 commitment and adds its statement on false positives, without dating it as an edit', async () => {
    const { db, campaignIds } = await legacyDatabase([{ name: WAVE_2, commitmentText: SEEDED }]);
    await migrateToLatest(db);
    const row = await campaign(db, campaignIds[0]!);
    assert.equal(row.commitmentText, FRAMING);
    assert.equal(row.commitmentQuote, QUOTE);
    assert.match(row.falsePositivesStatement, /^Devant le CSEC, la direction générale a évalué à 10 %/);
    assert.equal(row.updatedAt, '2025-01-01T00:00:00.000Z');
  });

  it('leaves an edited commitment alone, and gives the statement only to wave 2 by its seeded name', async () => {
    const edited = 'Pas de sanction, a dit la directrice régionale.';
    const { db, campaignIds } = await legacyDatabase([
      { name: WAVE_2, commitmentText: edited },
      // Renamed by an administrator, its text still the seed's: the text is split, the name no longer says wave 2.
      { name: 'Vague 2 renommée', commitmentText: SEEDED },
      { name: 'Autre campagne', commitmentText: `${SEEDED} ` },
    ]);
    await migrateToLatest(db);
    const [wave2, renamed, other] = await Promise.all(campaignIds.map((id) => campaign(db, id)));
    assert.equal(wave2!.commitmentText, edited);
    assert.equal(wave2!.commitmentQuote, '');
    assert.match(wave2!.falsePositivesStatement, /faux positifs/);
    assert.deepEqual([renamed!.commitmentText, renamed!.commitmentQuote, renamed!.falsePositivesStatement], [FRAMING, QUOTE, '']);
    assert.deepEqual([other!.commitmentText, other!.commitmentQuote, other!.falsePositivesStatement], [`${SEEDED} `, '', ''], 'not exactly the seed’s text');
  });

  it('refuses an unknown civility, and a date when the hierarchy was not said informed', async () => {
    const { db, agentId, caseId } = await legacyDatabase([{ name: WAVE_2, commitmentText: SEEDED }]);
    await migrateToLatest(db);
    await assert.rejects(db.updateTable('agents').set({ civility: 'mademoiselle' as never }).where('id', '=', agentId).execute(), /CHECK constraint failed/);
    await assert.rejects(db.updateTable('cases').set({ hierarchyInformed: 'maybe' as never }).where('id', '=', caseId).execute(), /CHECK constraint failed/);
    await assert.rejects(db.updateTable('cases').set({ hierarchyInformedDate: '2024-03-01' }).where('id', '=', caseId).execute(), /CHECK constraint failed/);
    await db.updateTable('cases').set({ hierarchyInformed: 'yes', hierarchyInformedDate: '2024-03-01' }).where('id', '=', caseId).execute();
    await db.updateTable('agents').set({ civility: 'madame' }).where('id', '=', agentId).execute();
  });

  it('goes down again: the columns go, the seeded commitment is whole again', async () => {
    const { db, campaignIds, caseId } = await legacyDatabase([{ name: WAVE_2, commitmentText: SEEDED }]);
    await migrateToLatest(db);
    await db.updateTable('cases').set({ hierarchyInformed: 'yes', hierarchyInformedDate: '2024-03-01' }).where('id', '=', caseId).execute();
    // Down to the migration before, whatever later ones exist by then.
    const { error, results } = await createMigrator(db).migrateTo(BEFORE);
    assert.ifError(error);
    assert.equal(results?.find((r) => r.migrationName === MIGRATION)?.status, 'Success');
    assert.ok(!(await columnsOf(db, 'agents')).includes('civility'));
    const caseColumns = await columnsOf(db, 'cases');
    assert.ok(!caseColumns.includes('hierarchy_informed') && !caseColumns.includes('hierarchy_informed_date'));
    const campaignColumns = await columnsOf(db, 'campaigns');
    assert.ok(!campaignColumns.includes('commitment_quote') && !campaignColumns.includes('false_positives_statement'));
    const row = await db.selectFrom('campaigns').select('commitmentText').where('id', '=', campaignIds[0]!).executeTakeFirstOrThrow();
    assert.equal(row.commitmentText, SEEDED);
    // And up once more, as a later deploy would.
    assert.ok((await migrateToLatest(db)).includes(MIGRATION));
    assert.equal((await campaign(db, campaignIds[0]!)).commitmentQuote, QUOTE);
  });
});
