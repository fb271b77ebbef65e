import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createAuditLog } from '../../src/audit/audit.repository';
import { openDatabase } from '../../src/db/database';
import { createMigrator } from '../../src/db/migrate';

/**
 * The journal's kept counts: backfilled by the migration from a log written before it, then kept
 * by the triggers through every insert and every delete (retention, purges), so the case page's
 * total and newest entries are those a count and a sort of the whole log give.
 */

const MIGRATION = '2026-12-08-1000-audit-journal-index';
const BEFORE = '2026-12-08-0900-agent-department-consultation-zone';

const opened: Array<() => void> = [];
after(() => {
  for (const close of opened) close();
});

async function databaseBefore() {
  const { db, close } = openDatabase(':memory:');
  opened.push(close);
  const { error } = await createMigrator(db).migrateTo(BEFORE);
  assert.ifError(error);
  return db;
}

const entry = (action: string, entityType: string, entityId: string | null, at = '2026-01-01T00:00:00.000Z') =>
  sql`insert into audit_log (at, actor_user_id, actor_label, action, entity_type, entity_id) values (${at}, null, 'system', ${action}, ${entityType}, ${entityId})`;

/** What the log says, counted the slow way. */
async function counted(db: Awaited<ReturnType<typeof databaseBefore>>) {
  const { rows } = await sql<{ entityType: string; entityId: string; n: number }>`select entity_type, entity_id, count(*) n from audit_log where entity_id is not null group by 1, 2 order by 1, 2`.execute(db);
  return rows.map((r) => ({ entityType: r.entityType, entityId: r.entityId, entries: Number(r.n) }));
}

async function kept(db: Awaited<ReturnType<typeof databaseBefore>>) {
  return db.selectFrom('auditEntityCounts').select(['entityType', 'entityId', 'entries']).orderBy('entityType').orderBy('entityId').execute();
}

describe('audit journal counts (migration and triggers)', () => {
  it('backfills the counts of a log written before the migration, leaving out entries about no record', async () => {
    const db = await databaseBefore();
    for (const action of ['view', 'view', 'update', 'view']) await entry(action, 'case', '7').execute(db);
    await entry('export', 'case', '8').execute(db);
    await entry('login', 'user', null).execute(db);
    assert.ifError((await createMigrator(db).migrateTo(MIGRATION)).error);
    assert.deepEqual(await kept(db), [
      { entityType: 'case', entityId: '7', entries: 4 },
      { entityType: 'case', entityId: '8', entries: 1 },
    ]);
  });

  it('keeps them through inserts and deletes, and the case page extract reads them', async () => {
    const db = await databaseBefore();
    assert.ifError((await createMigrator(db).migrateTo(MIGRATION)).error);
    const audit = createAuditLog(db, () => new Date('2026-03-01T10:00:00Z'));
    for (let i = 0; i < 30; i++) await audit.record({ actorUserId: null, action: i % 6 === 0 ? 'update' : 'view', entityType: 'case', entityId: 3 });
    await audit.record({ actorUserId: null, action: 'view', entityType: 'case', entityId: 4 });
    await entry('view', 'case', '3', '2020-01-01T00:00:00.000Z').execute(db);
    assert.deepEqual(await kept(db), await counted(db));
    let heads = await audit.caseJournalHeads(3, 4);
    assert.equal(heads.total, 31);
    assert.equal(heads.views.length, 4);
    assert.equal(heads.others.length, 4);
    assert.ok(heads.views.every((e) => e.action === 'view') && heads.others.every((e) => e.action === 'update'));
    // Newest first, and the newest of each kind: the same as reading the whole log.
    const all = await audit.forCase(3, { limit: 100 });
    assert.deepEqual(heads.views.map((e) => e.id), all.filter((e) => e.action === 'view').slice(0, 4).map((e) => e.id));
    assert.deepEqual(heads.others.map((e) => e.id), all.filter((e) => e.action !== 'view').slice(0, 4).map((e) => e.id));
    assert.equal(await audit.countForCase(3), 31);

    // Retention deletes the old entry; deleting all of a record's entries removes its count.
    await sql`delete from audit_log where at < '2021-01-01'`.execute(db);
    await sql`delete from audit_log where entity_id = '4'`.execute(db);
    assert.deepEqual(await kept(db), await counted(db));
    heads = await audit.caseJournalHeads(3, 4);
    assert.equal(heads.total, 30);
    assert.equal((await audit.caseJournalHeads(4, 4)).total, 0);
  });

  it('goes down again', async () => {
    const db = await databaseBefore();
    const migrator = createMigrator(db);
    assert.ifError((await migrator.migrateTo(MIGRATION)).error);
    assert.ifError((await migrator.migrateTo(BEFORE)).error);
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where name like 'audit%' order by name`.execute(db);
    assert.deepEqual(rows.map((r) => r.name), ['audit_log', 'audit_log_actor_idx', 'audit_log_entity_idx']);
  });
});
