import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT } from '../helpers/context';
import { type Fields, post } from '../helpers/forms';
import { text } from '../helpers/html';

/**
 * What the home dashboard, the list's counts and the declaration figures are computed from, and
 * when they are computed again: at once after any change that can move them, and not after the
 * others (a consultation that moves no commitment, a note on the timeline). Repository calls are
 * counted to see which read models were computed. Everything happens in Grand Est.
 */

let ctx: TestContext;
let rep: Signed;
let campaignId: number;
const calls = { countByCommitment: 0, countBySituation: 0, sitesOf: 0 };

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  rep = await ctx.signedIn({ role: 'rep', name: 'Gaëlle Est', regions: ['GES'] });
  campaignId = await ctx.waveId(2);
  const repository = ctx.services.cases;
  for (const name of Object.keys(calls) as Array<keyof typeof calls>) {
    const original = repository[name].bind(repository) as (...args: unknown[]) => unknown;
    (repository as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name] += 1;
      return original(...args);
    };
  }
});
after(() => ctx.close());

async function createCase(fields: Fields): Promise<number> {
  const res = await post(rep, '/dossiers', {
    regionCode: 'GES',
    employmentStatus: 'private',
    campaignId: String(campaignId),
    trainingReceived: 'unknown',
    confirmNewAgent: 'on',
    workDays: ['1', '2', '3', '4', '5'],
    workStart: '09:00',
    workEnd: '17:00',
    ...fields,
  });
  assert.equal(res.status, 303, `case refused: ${text(res.text).slice(0, 300)}`);
  return Number(/^\/dossiers\/(\d+)$/.exec(String(res.headers.location))?.[1]);
}

async function posted(url: string, fields: Fields) {
  const res = await post(rep, url, fields);
  assert.equal(res.status, 303, `refused: ${text(res.text).slice(0, 300)}`);
}

/** How many times `name` was called while `action` ran. */
async function callsDuring(name: keyof typeof calls, action: () => Promise<unknown>): Promise<number> {
  const before = calls[name];
  await action();
  return calls[name] - before;
}

const dashboard = async () => {
  const res = await rep.agent.get('/');
  assert.equal(res.status, 200);
  return res.text;
};
const listPage = async () => {
  const res = await rep.agent.get('/dossiers');
  assert.equal(res.status, 200);
  return res.text;
};

/** The count of broken commitments the dashboard shows (one active campaign in the seed). */
function breachedCount(html: string): number {
  const match = /<span class="facet__count">(\d+)<\/span> <span class="facet__label">Engagement rompu<\/span>/.exec(html);
  assert.ok(match, 'the dashboard shows the broken commitments');
  return Number(match[1]);
}

/** How many cases of the dashboard's campaign are in this situation (by its label's start). */
function situationCount(html: string, label: string): number {
  const match = new RegExp(`<strong>(\\d+)</strong> ${label}`).exec(html);
  return match ? Number(match[1]) : 0;
}

async function storedAssessment(id: number) {
  return ctx.db.selectFrom('cases').select(['commitmentStatus', 'commitmentReasons', 'nextDeadlineDate', 'nextDeadlineLabel', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('read models computed from cases', () => {
  let quiet = 0;

  before(async () => {
    quiet = await createCase({ fullName: 'Quentin Calme', site: 'Agence Metz', situations: ['agent_ex_job_seeker'], knowledgeDate: '2024-07-01' });
  });

  it('computes the dashboard once, then serves it until a case changes', async () => {
    await dashboard();
    assert.equal(await callsDuring('countByCommitment', dashboard), 0);
  });

  it('keeps the dashboard and the list counts through a consultation that moves no commitment', async () => {
    await dashboard();
    await listPage();
    const assessed = await storedAssessment(quiet);
    await posted(`/dossiers/${quiet}/consultations`, { at: '15/05/2024 10:00', action: 'consulted', explanation: 'answering_user' });
    assert.deepEqual(await storedAssessment(quiet), assessed, 'precondition: the consultation moved nothing the dashboard shows');
    assert.equal(await callsDuring('countByCommitment', dashboard), 0);
    assert.equal(await callsDuring('countByCommitment', listPage), 0);
    assert.match(text(await listPage()), /Quentin Calme/);
  });

  it('keeps the sites through timeline changes and follows a new agent’s site at once', async () => {
    await listPage();
    await posted(`/dossiers/${quiet}/evenements`, { type: 'rep_assigned', date: '2024-10-02', note: 'Suivi' });
    assert.equal(await callsDuring('sitesOf', listPage), 0);
    await createCase({ fullName: 'Nina Nouvelle', site: 'Agence Nancy Gare', situations: ['political_figure'] });
    assert.match(await listPage(), /Agence Nancy Gare/);
  });

  it('shows a broken commitment at once, and its correction', async () => {
    const before = breachedCount(await dashboard());
    await posted(`/dossiers/${quiet}/evenements`, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
    assert.equal(breachedCount(await dashboard()), before + 1);
    const sanction = await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', quiet).where('type', '=', 'sanction_notified').executeTakeFirstOrThrow();
    await posted(`/dossiers/${quiet}/evenements/${sanction.id}/supprimer`, {});
    assert.equal(breachedCount(await dashboard()), before);
  });

  it('keeps the situation counts through a broken commitment, and follows a case’s situations at once', async () => {
    const situations = () => dashboard().then((html) => situationCount(html, 'Dossier d’une personnalité politique'));
    const before = await situations();
    await posted(`/dossiers/${quiet}/evenements`, { type: 'sanction_notified', date: '2024-10-05', sanctionKind: 'avertissement' });
    const [byCommitment, bySituation] = [calls.countByCommitment, calls.countBySituation];
    await dashboard();
    assert.equal(calls.countByCommitment - byCommitment, 1, 'the commitments are counted again');
    assert.equal(calls.countBySituation - bySituation, 0, 'while the situations stay counted');
    const other = await createCase({ fullName: 'Paule Politique', site: 'Agence Metz', situations: ['political_figure'] });
    assert.equal(await situations(), before + 1);
    const edit = await rep.agent.get(`/dossiers/${other}/modifier`);
    assert.equal(edit.status, 200);
    await posted(`/dossiers/${other}`, {
      regionCode: 'GES', employmentStatus: 'private', campaignId: String(campaignId), trainingReceived: 'unknown',
      workDays: ['1', '2', '3', '4', '5'], workStart: '09:00', workEnd: '17:00',
      fullName: 'Paule Politique', site: 'Agence Metz', situations: ['odd_hours'],
    });
    assert.equal(await situations(), before, 'a case no longer in that situation leaves its count at once');
  });

  it('keeps the list’s situation counts through timeline changes unless a filter reads the timeline', async () => {
    const byRegion = () => rep.agent.get('/dossiers?region=GES').then((r) => assert.equal(r.status, 200));
    const byCommitment = () => rep.agent.get('/dossiers?engagement=breached').then((r) => assert.equal(r.status, 200));
    await byRegion();
    await byCommitment();
    await posted(`/dossiers/${quiet}/evenements`, { type: 'sanction_notified', date: '2024-10-06', sanctionKind: 'blame' });
    assert.equal(await callsDuring('countBySituation', byRegion), 0, 'a region filter reads no timeline');
    assert.equal(await callsDuring('countBySituation', byCommitment), 1, 'a commitment filter does');
  });

  it('computes the declaration figures again after any timeline change, even one that moves no commitment', async () => {
    let computations = 0;
    const figures = () => ctx.services.casesService.cached('test-figures', async () => ++computations);
    assert.equal(await figures(), 1);
    assert.equal(await figures(), 1);
    await posted(`/dossiers/${quiet}/consultations`, { at: '16/05/2024 11:00', action: 'consulted', explanation: 'answering_user' });
    assert.equal(await figures(), 2);
    await posted(`/dossiers/${quiet}/evenements`, { type: 'observations_sent', date: '2024-10-04', note: '' });
    assert.equal(await figures(), 3);
  });
});
