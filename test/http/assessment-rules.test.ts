import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { ASSESSMENT_RULES_KEY } from '../../src/cases/cases.repository';
import { ASSESSMENT_RULES_VERSION } from '../../src/domain/case-assessment';
import { parisToday } from '../../src/domain/french-dates';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, post } from '../helpers/forms';
import { text } from '../helpers/html';
import { createBareCase } from '../fixtures/case-form';

/**
 * Cases store their assessment (commitment status and reasons, next deadline) for lists, dashboards
 * and declarations. When the rules change, those stored under the old rules are computed again at
 * the next start: here, cases stored « menacé » by the removed rule « Échéance proche » (a legal
 * deadline closing soon, without any fact against the commitment), one open and one closed.
 */

let ctx: TestContext;
let rep: Signed;
let wave2Id: number;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  rep = await ctx.signedIn(PEOPLE.rep);
  wave2Id = await ctx.waveId(2);
});
after(() => ctx.close());

const createCase = (fields: Fields) => createBareCase(rep, wave2Id, fields);

const row = (id: number) =>
  ctx.db.selectFrom('cases').select(['status', 'commitmentStatus', 'commitmentReasons', 'assessedOn']).where('id', '=', id).executeTakeFirstOrThrow();

/** The ids the case list shows for a filter (links to case pages). */
async function listed(query: string): Promise<number[]> {
  const res = await rep.agent.get(`/dossiers${query}`);
  assert.equal(res.status, 200);
  return [...new Set([...res.text.matchAll(/href="\/dossiers\/(\d+)"/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

describe('stored assessments after a change of the rules', () => {
  it('a case stored « menacé » for a deadline closing soon is respected after the start-up step, open or closed', async () => {
    const today = parisToday(ctx.clock.now());
    // The direction learned the facts almost two months ago: the two-month limit ends in a week.
    const knowledgeDate = DateTime.fromISO(today).minus({ months: 2 }).plus({ days: 7 }).toISODate()!;
    const open = await createCase({ knowledgeDate });
    const closed = await createCase({ knowledgeDate });
    const closing = await post(rep, `/dossiers/${closed}/evenements`, { type: 'closed', date: today, closingOutcome: 'no_follow_up' });
    assert.equal(closing.status, 303);
    assert.equal((await row(closed)).status, 'closed');
    for (const id of [open, closed]) assert.equal((await row(id)).commitmentStatus, 'respected', 'the new rules: no fact against the commitment');

    // What the previous rules stored, assessed today, as a start with the previous version left it.
    const old = JSON.stringify([{ level: 'risk', text: 'Échéance proche : délai de deux mois pour engager une procédure disciplinaire, le 1er janvier 2030.' }]);
    await ctx.db.updateTable('cases').set({ commitmentStatus: 'at_risk', commitmentReasons: old, assessedOn: today }).where('id', 'in', [open, closed]).execute();
    await ctx.db
      .insertInto('appMeta')
      .values({ key: ASSESSMENT_RULES_KEY, value: 'previous rules' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'previous rules' }))
      .execute();
    ctx.services.casesService.invalidateReadModels();
    assert.deepEqual(await listed('?engagement=at_risk&etat=tous'), [open, closed].sort((a, b) => a - b), 'the list reads the stored status');

    // The daily refresh alone leaves them: they were assessed today, and one is closed.
    assert.equal(await ctx.services.casesService.refreshStale(), 0);
    assert.equal((await row(open)).commitmentStatus, 'at_risk');

    const { marked, reassessed } = await ctx.services.casesService.refreshAtStart();
    assert.ok(marked >= 2, `every case is marked (${marked})`);
    assert.equal(reassessed, marked, 'and every marked case is assessed again');
    for (const id of [open, closed]) {
      const stored = await row(id);
      assert.equal(stored.commitmentStatus, 'respected', `case ${id}`);
      assert.doesNotMatch(stored.commitmentReasons, /Échéance proche/);
      assert.equal(stored.assessedOn, today);
    }
    assert.equal((await row(closed)).status, 'closed', 'a closed case stays closed');
    assert.deepEqual(await listed('?engagement=at_risk&etat=tous'), []);
    const version = await ctx.db.selectFrom('appMeta').select('value').where('key', '=', ASSESSMENT_RULES_KEY).executeTakeFirstOrThrow();
    assert.equal(version.value, ASSESSMENT_RULES_VERSION);

    // The deadline itself still says it is closing soon.
    const page = await rep.agent.get(`/dossiers/${open}`);
    assert.match(text(page.text), /Délai de deux mois pour engager une procédure disciplinaire Échéance proche/);
    assert.match(text(page.text), /Engagement respecté/);
  });

  it('the next start under the same rules marks nothing', async () => {
    const id = await createCase({});
    const today = parisToday(ctx.clock.now());
    await ctx.db.updateTable('cases').set({ commitmentStatus: 'at_risk', assessedOn: today }).where('id', '=', id).execute();
    assert.deepEqual(await ctx.services.casesService.refreshAtStart(), { marked: 0, reassessed: 0 });
    assert.equal((await row(id)).commitmentStatus, 'at_risk', 'left to the daily refresh and to the next change');
  });
});
