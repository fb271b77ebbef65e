import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { resetSecondFactorCommand } from '../../src/operations/second-factor-reset';
import { UsageError } from '../../src/operations/usage-error';
import { type TestContext, createTestContext } from '../helpers/context';

describe('cli user:reset-2fa', () => {
  let ctx: TestContext;
  const saved = { DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: process.env.LOG_LEVEL };
  before(async () => {
    ctx = await createTestContext({}, { onDisk: true });
    process.env.DATA_DIR = ctx.config.dataDir;
    process.env.LOG_LEVEL = 'silent';
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await ctx.close();
  });

  it('voids an administrator’s factor and recovery codes, journaled as the console’s, and the next login enrols again', async () => {
    const admin = await ctx.createUser({ role: 'admin' });
    await ctx.db.insertInto('secondFactorRecoveryCodes').values({ userId: admin.id, codeHash: 'x', createdAt: new Date().toISOString(), usedAt: null }).execute();
    const said = mock.method(console, 'log', () => undefined);
    try {
      await resetSecondFactorCommand(['--email', admin.email]);
      assert.match(String(said.mock.calls[0]?.arguments[0]), /réinitialisée pour .* avant toute autre page/);
    } finally {
      said.mock.restore();
    }
    const factor = await ctx.db.selectFrom('userSecondFactors').selectAll().where('userId', '=', admin.id).executeTakeFirstOrThrow();
    assert.equal(factor.secretBox, null);
    assert.equal(factor.confirmedAt, null);
    assert.equal(factor.resetBy, null);
    assert.ok(factor.resetAt);
    assert.equal((await ctx.db.selectFrom('secondFactorRecoveryCodes').select('id').where('userId', '=', admin.id).execute()).length, 0);
    const logged = await ctx.db.selectFrom('auditLog').selectAll().where('entityType', '=', 'second_factor').where('entityId', '=', String(admin.id)).execute();
    assert.deepEqual(logged.map((e) => [e.action, e.actorUserId, e.actorLabel]), [['delete', null, 'cli']]);

    const res = await ctx.login(ctx.agent(), admin.email, admin.password);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/compte/double-authentification/activer', 'straight to enrolment, no code asked');
  });

  it('refuses an unknown address and a missing one, changing nothing', async () => {
    await assert.rejects(resetSecondFactorCommand(['--email', 'personne@exemple.fr']), (err) => err instanceof UsageError && /Aucun compte/.test(err.message));
    await assert.rejects(resetSecondFactorCommand([]), (err) => err instanceof UsageError && /--email est obligatoire/.test(err.message));
  });
});
