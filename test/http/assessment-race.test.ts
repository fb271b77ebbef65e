import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { User } from '../../src/access/user';
import { createCaseStatisticsRepository } from '../../src/declarations/case-statistics.repository';
import { createFigureTallyRepository } from '../../src/declarations/figure-tally.repository';
import { tallyFigureCases } from '../../src/domain/figure-tally';
import { parisToday } from '../../src/domain/french-dates';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { type TestContext, createTestContext, NO_RATE_LIMIT } from '../helpers/context';

/**
 * A case page reads its case, then judges it and stores the judgement. If the case changed in
 * between (an event added from another tab), the older
 * judgement must not overwrite the newer one: the stored commitment and figure facts, which
 * lists, dashboards and CSE declarations add up, stay those of the case as it is.
 * (Found by review: a closed case kept the stale facts for good.)
 */
let ctx: TestContext;
let admin: User;
before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  const { id } = await ctx.createUser({ role: 'admin' });
  admin = { id, email: 'race@vigie.test', name: 'Admin Course', role: 'admin', status: 'active', regions: [], createdAt: '', lastLoginAt: null };
});
after(() => ctx.close());

async function storedOf(id: number) {
  return ctx.db.selectFrom('cases').select(['figureSanctionKinds', 'commitmentStatus']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function tallies(campaignId: number) {
  const today = parisToday(ctx.clock.now());
  const selection = { regions: 'national' as const, period: { from: null, to: null } };
  const rules = tallyFigureCases(await createCaseStatisticsRepository(ctx.db).figureCases(campaignId, 'national'), selection, today);
  const stored = await createFigureTallyRepository(ctx.db).figureTally(campaignId, selection, today);
  return { rules, stored };
}

describe('an assessment read before a change', () => {
  it('does not write back older facts after an event added meanwhile', async () => {
    const cases = ctx.services.casesService;
    const campaignId = await ctx.waveId(2);
    const id = await cases.create(admin, { agent: agentInput('Agent Course', { regionCode: 'HDF', employmentStatus: 'private' }), case: caseInput(campaignId, { knowledgeDate: '2024-07-01' }) });
    ctx.clock.advance(86_400_000); // the next day: the stored assessment is yesterday's, so a view writes
    const loaded = (await cases.load(admin, id))!; // the case page's loader read
    await cases.addEvent(admin, id, { type: 'sanction_notified', date: '2024-09-20', sanctionKind: 'blame' }); // another tab
    const shown = await cases.view(admin, loaded); // the page goes on with what it read
    assert.equal(shown?.detail.commitmentStatus, 'breached', 'the page shows the case as it is now');
    assert.deepEqual(await storedOf(id), { figureSanctionKinds: ',blame,', commitmentStatus: 'breached' });
    const { rules, stored } = await tallies(campaignId);
    assert.deepEqual(stored?.sanctionKinds, rules.sanctionKinds);
  });
});
