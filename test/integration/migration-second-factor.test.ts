import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import { createMigrator } from '../../src/db/migrate';

/**
 * The second factor's tables: created on a database written before them (accounts kept, none with
 * a factor), the rules of a row enforced, and gone again on the way down.
 */
const MIGRATION = '2026-12-10-1003-second-factor';

const { db, close } = openDatabase(':memory:');
after(() => close());

const tables = async () =>
  (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name like '%second_factor%' order by name`.execute(db)).rows.map((r) => r.name);

describe(`migration ${MIGRATION}`, () => {
  it('adds the tables next to existing accounts, enforces a confirmed factor’s secret, and goes down again', async () => {
    const migrator = createMigrator(db);
    const all = await migrator.getMigrations();
    const index = all.findIndex((m) => m.name === MIGRATION);
    assert.ok(index > 0);
    assert.ifError((await migrator.migrateTo(all[index - 1]!.name)).error);
    const at = '2026-01-01T00:00:00.000Z';
    await db.insertInto('users').values({ email: 'a@exemple.fr', name: 'A', role: 'admin', status: 'active', passwordHash: null, createdAt: at, updatedAt: at, lastLoginAt: null, sessionsRevokedAt: null } as never).execute();
    assert.deepEqual(await tables(), []);

    assert.ifError((await migrator.migrateTo(MIGRATION)).error);
    assert.deepEqual(await tables(), ['second_factor_recovery_codes', 'user_second_factors']);
    assert.equal((await db.selectFrom('userSecondFactors').selectAll().execute()).length, 0, 'no account has a factor yet');
    await assert.rejects(
      db.insertInto('userSecondFactors').values({ userId: 1, secretBox: null, confirmedAt: at, lastUsedStep: null, resetAt: null, resetBy: null, updatedAt: at }).execute(),
      /CHECK constraint/,
    );
    await db.insertInto('secondFactorRecoveryCodes').values({ userId: 1, codeHash: 'h', createdAt: at, usedAt: null }).execute();
    await assert.rejects(db.insertInto('secondFactorRecoveryCodes').values({ userId: 1, codeHash: 'h', createdAt: at, usedAt: null }).execute(), /UNIQUE/);

    assert.ifError((await migrator.migrateTo(all[index - 1]!.name)).error);
    assert.deepEqual(await tables(), []);
    assert.equal((await db.selectFrom('users').select('email').execute()).length, 1, 'accounts untouched');
  });
});
