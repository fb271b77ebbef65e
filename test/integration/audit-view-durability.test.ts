import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createAuditLog } from '../../src/audit/audit.repository';
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

/**
 * A view is committed without waiting for the disk; nothing else is. The connection must be back
 * to FULL after it, or every change after the first view would lose its sync (README, Durability).
 */
const dir = mkdtempSync(path.join(tmpdir(), 'vigie-audit-sync-'));
const { db, sqlite, close } = openDatabase(path.join(dir, 'vigie.db'));
after(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

const FULL = 2;
const synchronous = () => Number(sqlite.pragma('synchronous', { simple: true }));

describe('audit log durability', () => {
  it('records a view, then leaves the connection syncing every commit', async () => {
    await migrateToLatest(db);
    const audit = createAuditLog(db, () => new Date('2026-03-01T10:00:00Z'));
    assert.equal(synchronous(), FULL);
    await audit.record({ actorUserId: null, action: 'view', entityType: 'case', entityId: 1 });
    assert.equal(synchronous(), FULL);
    await audit.record({ actorUserId: null, action: 'update', entityType: 'case', entityId: 1 });
    assert.equal(synchronous(), FULL);
    const rows = await db.selectFrom('auditLog').select('action').orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.action), ['view', 'update']);
  });

  it('is back to FULL even when the view could not be written', async () => {
    const audit = createAuditLog(db, () => new Date('2026-03-01T10:00:00Z'));
    sqlite.exec('create trigger refuse_views before insert on audit_log when new.entity_id = \'refused\' begin select raise(abort, \'refused\'); end');
    await assert.rejects(audit.record({ actorUserId: null, action: 'view', entityType: 'case', entityId: 'refused' }), /refused/);
    assert.equal(synchronous(), FULL);
  });
});
