import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type DB, openDatabase } from '../../src/db/database';
import { createMigrator } from '../../src/db/migrate';

/**
 * The migration that records the agent's département and the clock a consultation was typed in,
 * run on a database written before it: overseas agents get their region's only département,
 * mainland agents none, every consultation keeps its instant with no typed zone (it was read in
 * Paris time), and the migration goes down again.
 */

const MIGRATION = '2026-12-08-0900-agent-department-consultation-zone';
const BEFORE = '2026-12-07-1200-civility-hierarchy-direction-words';

const opened: Array<() => void> = [];
after(() => {
  for (const close of opened) close();
});

async function legacyDatabase() {
  const { db, close } = openDatabase(':memory:');
  opened.push(close);
  const { error } = await createMigrator(db).migrateTo(BEFORE);
  assert.ifError(error);
  const at = '2025-01-01T00:00:00.000Z';
  const campaign = await db
    .insertInto('campaigns')
    .values({ name: 'Vague 2', wave: 2, description: '', tracesStart: null, tracesEnd: null, interviewsStart: null, interviewsEnd: null, commitmentText: '', excludesSanctions: 1, reportRequired: 1, status: 'active', source: '', createdAt: at, updatedAt: at } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const agents: Record<string, number> = {};
  const cases: Record<string, number> = {};
  for (const region of ['HDF', 'GES', 'REU', 'MTQ', 'GUA', 'GUY', 'MAY']) {
    const agent = await db
      .insertInto('agents')
      .values({ fullName: `Agent ${region}`, searchName: `agent ${region.toLowerCase()}`, proEmail: null, personalEmail: null, phone: null, contactChannels: '', regionCode: region, site: 'Agence', job: '', employmentStatus: 'private', workDays: '', workStart: null, workEnd: null, partTime: 0, teleworkDays: '', createdAt: at, updatedAt: at } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    agents[region] = agent.id;
    const kase = await db
      .insertInto('cases')
      .values({ agentId: agent.id, campaignId: campaign.id, regionCode: region, otherSituationText: '', managerName: '', toneNotes: '', trainingReceived: 'unknown', agentAccount: '', status: 'open', createdAt: at, updatedAt: at } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    cases[region] = kase.id;
    await db.insertInto('consultations').values({ caseId: kase.id, at: '2024-05-14T19:15:00Z', action: 'consulted', explanation: 'unknown', explanationText: '' } as never).execute();
  }
  return { db, agents, cases };
}

async function columnsOf(db: DB, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
  return rows.rows.map((r) => r.name);
}

describe(`migration ${MIGRATION}`, () => {
  it('gives overseas agents their département, mainland agents none, and keeps every consultation as it was', async () => {
    const { db, agents } = await legacyDatabase();
    const { error } = await createMigrator(db).migrateTo(MIGRATION);
    assert.ifError(error);
    const rows = await db.selectFrom('agents').select(['id', 'regionCode', 'departmentCode']).execute();
    const byRegion = Object.fromEntries(rows.map((r) => [r.regionCode, r.departmentCode]));
    assert.deepEqual(byRegion, { HDF: null, GES: null, REU: '974', MTQ: '972', GUA: '971', GUY: '973', MAY: '976' });
    assert.equal(rows.length, Object.keys(agents).length);
    const consultations = await db.selectFrom('consultations').select(['at', 'typedZone']).execute();
    assert.equal(consultations.length, 7);
    for (const c of consultations) assert.deepEqual(c, { at: '2024-05-14T19:15:00Z', typedZone: null });
  });

  it('goes down again, dropping both columns', async () => {
    const { db } = await legacyDatabase();
    const migrator = createMigrator(db);
    assert.ifError((await migrator.migrateTo(MIGRATION)).error);
    assert.ok((await columnsOf(db, 'agents')).includes('department_code'));
    assert.ifError((await migrator.migrateTo(BEFORE)).error);
    assert.ok(!(await columnsOf(db, 'agents')).includes('department_code'));
    assert.ok(!(await columnsOf(db, 'consultations')).includes('typed_zone'));
    assert.equal((await db.selectFrom('consultations').select('at').execute()).length, 7);
  });
});
