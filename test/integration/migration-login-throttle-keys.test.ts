import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import { createMigrator } from '../../src/db/migrate';

const MIGRATION = '2026-12-10-1002-login-throttle-hashed-keys';
const BEFORE = '2026-12-09-1100-case-figure-site';

describe('login throttle keys migration', () => {
  it('drops the rows keyed by emails and addresses as typed, both ways', async () => {
    const { db, close } = openDatabase(':memory:');
    try {
      const migrator = createMigrator(db);
      assert.ifError((await migrator.migrateTo(BEFORE)).error);
      const row = (key: string) => sql`insert into login_throttle (key, failures, last_failure_at) values (${key}, 3, '2026-12-01T10:00:00.000Z')`;
      await row('account:faute.de.frappe@exemple.fr').execute(db);
      await row('address:203.0.113.5').execute(db);
      assert.ifError((await migrator.migrateTo(MIGRATION)).error);
      assert.deepEqual(await db.selectFrom('loginThrottle').selectAll().execute(), []);

      await row(`address:${'a'.repeat(64)}`).execute(db);
      assert.ifError((await migrator.migrateTo(BEFORE)).error);
      assert.deepEqual(await db.selectFrom('loginThrottle').selectAll().execute(), []);
    } finally {
      close();
    }
  });
});
