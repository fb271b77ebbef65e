import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { User } from '../../src/access/user';
import type { AgentInput, CaseInput } from '../../src/cases/cases.types';
import { createCaseStatisticsRepository } from '../../src/declarations/case-statistics.repository';
import type { DeclarationSettings } from '../../src/declarations/declaration-draft';
import { createFigureTallyRepository } from '../../src/declarations/figure-tally.repository';
import { SANCTION_KINDS, type CaseEvent } from '../../src/domain/case-events';
import { type FigureSelection, computeDeclarationFigures } from '../../src/domain/declaration-figures';
import { type FigureTally, tallyFigureCases } from '../../src/domain/figure-tally';
import { parisToday } from '../../src/domain/french-dates';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { type TestContext, createTestContext, csrfFrom, NO_RATE_LIMIT } from '../helpers/context';
import { post } from '../helpers/forms';

/**
 * The declaration figures are added up in SQL from what each case stores with its assessment
 * (src/declarations/figure-tally.repository.ts). They must be the rules' own counts
 * (tallyFigureCases over the cases as read) for any mix of cases, scope, period and day, and any
 * change to a case must show in the next compose, although a selection's counts are kept between
 * previews. Cases are written through the cases service, as the pages do.
 */

let ctx: TestContext;
let admin: User;
let campaignId: number;
const statistics = () => createCaseStatisticsRepository(ctx.db);
const tallies = () => createFigureTallyRepository(ctx.db);

/** A small deterministic generator: the same varied cases at every run. */
function randomFrom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const day = (month: string, last = 28) => `${month}-${String(1 + Math.floor(next() * last)).padStart(2, '0')}`;
  return { next, pick, day };
}

const REGIONS = ['HDF', 'GES', 'IDF', 'REU', 'GUA'] as const;
const PATTERNS: Array<Pick<AgentInput, 'workDays' | 'workStart' | 'workEnd'>> = [
  { workDays: [], workStart: null, workEnd: null },
  { workDays: [1, 2, 3, 4, 5], workStart: '08:30', workEnd: '17:00' },
  { workDays: [1, 2, 3, 4, 5], workStart: '22:00', workEnd: '06:00' },
  { workDays: [1, 2, 3], workStart: '09:00', workEnd: '09:00' },
  { workDays: [6, 7], workStart: '10:00', workEnd: '20:00' },
];
const SITES = ['Agence Lille', 'agence  lille', ' Agence Lille ', 'Agence Roubaix', '', 'Agence Metz'];
const SITUATIONS = ['political_figure', 'agent_ex_job_seeker', 'job_seeker_ex_agent', 'odd_hours'] as const;

interface Written {
  id: number;
  agentId: number;
  agent: AgentInput;
  kase: CaseInput;
}

/** One varied case: any region, clock and calendar, status, dates, consultations at odd hours, disciplinary steps. */
async function writeVariedCase(i: number, random: ReturnType<typeof randomFrom>): Promise<Written> {
  const { next, pick, day } = random;
  const regionCode = pick(REGIONS);
  const agent = agentInput(`Agent Varié ${i}`, {
    regionCode,
    departmentCode: regionCode === 'GES' ? pick(['57', '67', '54', null]) : null,
    site: pick(SITES),
    employmentStatus: pick(['private', 'private', 'public', 'unknown'] as const),
    ...pick(PATTERNS),
  });
  const interviewDate = pick([null, day('2024-09'), day('2024-10'), day('2025-03')]);
  const kase = caseInput(campaignId, {
    situations: SITUATIONS.filter(() => next() < 0.4),
    knowledgeDate: pick([null, day('2024-06'), day('2024-07')]),
    convocationDate: pick([null, day('2024-08')]),
    interviewDate,
    reportOutcome: interviewDate ? pick([null, 'legitimate', 'illegitimate', 'not_stated', 'none_given'] as const) : null,
    interviewTone: interviewDate ? pick([null, 'kind', 'neutral', 'pressure'] as const) : null,
  });
  const id = await ctx.services.casesService.create(admin, { agent, case: kase });
  const consultations = Array.from({ length: Math.floor(next() * 6) }, () => ({
    // Nights, week-ends, public holidays (1 and 8 May, 15 August), and instants near midnight in Paris or overseas.
    at: `${pick([day('2024-05', 31), '2024-05-01', '2024-05-08', '2024-08-15', day('2024-09')])}T${String(Math.floor(next() * 24)).padStart(2, '0')}:${pick(['00', '30', '59'])}:00.000Z`,
    action: 'consulted' as const,
    explanation: 'answering_user',
    explanationText: '',
  }));
  if (consultations.length > 0) await ctx.services.casesService.addConsultations(admin, id, consultations);
  const steps: CaseEvent[] = [];
  if (next() < 0.35) {
    const convened = pick(['2024-08-20', '2024-09-02', '2024-10-10']);
    steps.push({ type: 'pre_disciplinary_convocation', date: convened, hearingDate: pick([null, '2024-09-10', '2024-10-15']) });
  }
  if (next() < 0.3) {
    const notified = pick(['2024-09-11', '2024-09-13', '2024-11-30', '2024-12-20']);
    const kind = pick([...SANCTION_KINDS.map((k) => k.code), undefined]);
    steps.push({ type: 'sanction_notified', date: notified, ...(kind ? { sanctionKind: kind } : {}) });
    // Now and then a second sanction the same day, of another kind.
    if (next() < 0.3) steps.push({ type: 'sanction_notified', date: notified, sanctionKind: 'avertissement' });
  }
  if (next() < 0.2) steps.push({ type: 'observations_sent', date: day('2024-10'), note: '' });
  for (const step of steps) await ctx.services.casesService.addEvent(admin, id, step);
  const agentId = (await ctx.db.selectFrom('cases').select('agentId').where('id', '=', id).executeTakeFirstOrThrow()).agentId;
  return { id, agentId, agent, kase };
}

/** A tally as a comparable value (regions in code order). */
function comparable(tally: FigureTally) {
  return { ...tally, regions: Object.fromEntries([...tally.regions].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

async function assertSameTally(selection: FigureSelection, today: string) {
  const rules = tallyFigureCases(await statistics().figureCases(campaignId, selection.regions), selection, today);
  const stored = await tallies().figureTally(campaignId, selection, today);
  assert.ok(stored, 'every case has its figure facts stored');
  assert.deepEqual(comparable(stored), comparable(rules), `tally of ${JSON.stringify(selection)} on ${today}`);
}

const settings = (regions: DeclarationSettings['regions'], period: { from: string | null; to: string | null } = { from: null, to: null }): DeclarationSettings => ({
  meetingKind: 'CSE',
  bodyName: 'CSE test',
  meetingDate: '2026-12-03',
  campaignId,
  regions,
  periodFrom: period.from,
  periodTo: period.to,
});

/** The figures a compose gives, and those the rules give from the cases as they are now. */
async function composedAndRules(s: DeclarationSettings) {
  const composed = await ctx.services.declarations.compose(s);
  assert.ok(composed);
  const selection = { regions: s.regions, period: { from: s.periodFrom, to: s.periodTo } };
  const regions = await ctx.services.regions.list();
  const rules = computeDeclarationFigures({
    cases: await statistics().figureCases(campaignId, s.regions),
    selection,
    official: composed.campaign.figures,
    regionNames: new Map(regions.map((r) => [r.code, r.name])),
    today: parisToday(ctx.clock.now()),
  });
  return { composed: composed.figures, rules };
}

/** Composes (its counts kept for the next preview), runs `change`, and checks the next compose gives the rules' new figures. */
async function assertFreshAfter(change: () => Promise<unknown>, s: DeclarationSettings = settings('national')) {
  const before = await composedAndRules(s);
  assert.deepEqual(before.composed, before.rules);
  await change();
  const afterChange = await composedAndRules(s);
  assert.notDeepEqual(afterChange.rules, before.rules, 'precondition: the change moves the published figures');
  assert.deepEqual(afterChange.composed, afterChange.rules);
}

let written: Written[] = [];

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  const { id } = await ctx.createUser({ role: 'admin' });
  admin = { id, email: 'admin@exemple.fr', name: 'Admin', role: 'admin', status: 'active', regions: [], createdAt: '', lastLoginAt: null };
  campaignId = await ctx.waveId(2);
  const random = randomFrom(20_241_209);
  for (let i = 0; i < 90; i++) written.push(await writeVariedCase(i, random));
});
after(() => ctx.close());

describe('declaration figures added up from the stored figure facts', () => {
  it('gives the rules’ counts for any scope, period and day', async () => {
    const scopes: Array<FigureSelection['regions']> = ['national', ['HDF'], ['GES'], ['REU'], ['HDF', 'GES'], ['IDF', 'REU', 'GUA'], ['COR']];
    const periods = [
      { from: null, to: null },
      { from: '2024-09-01', to: null },
      { from: null, to: '2024-09-15' },
      { from: '2024-07-01', to: '2024-10-31' },
      // Cases without any date are placed on the day they were opened: today.
      { from: parisToday(ctx.clock.now()), to: null },
    ];
    // Interviews held or not yet, and late steps judged on days before and long after (lateness is stored once).
    const days = ['2024-09-12', '2024-12-01', parisToday(ctx.clock.now()), '2031-06-30'];
    for (const regions of scopes) for (const period of periods) for (const today of days) await assertSameTally({ regions, period }, today);
  });

  it('publishes the same figures as the rules', async () => {
    for (const s of [settings('national'), settings(['HDF']), settings(['GES', 'REU']), settings(['HDF'], { from: '2024-09-01', to: '2024-10-31' })]) {
      const { composed, rules } = await composedAndRules(s);
      assert.deepEqual(composed, rules);
    }
  });

  it('shows a timeline event at the next compose', async () => {
    const without = await ctx.db.selectFrom('cases').select('id').where('campaignId', '=', campaignId).where('figurePreDisciplinary', '=', 0).executeTakeFirstOrThrow();
    const target = written.find((w) => w.id === without.id)!;
    await assertFreshAfter(() =>
      ctx.services.casesService.addEvent(admin, target.id, { type: 'pre_disciplinary_convocation', date: '2024-08-01', hearingDate: '2024-08-05' }),
    );
  });

  it('shows a consultation at the next compose', async () => {
    const target = written.find((w) => w.agent.workDays.length === 5 && w.agent.workStart === '08:30')!;
    // A Saturday night in May: in the direction's window, outside the declared hours.
    await assertFreshAfter(() =>
      ctx.services.casesService.addConsultations(admin, target.id, [{ at: '2024-05-18T21:30:00.000Z', action: 'consulted', explanation: 'answering_user', explanationText: '' }]),
    );
  });

  it('shows a change of the agent’s declared hours at the next compose', async () => {
    const target = written.find((w) => w.agent.workDays.length === 5 && w.agent.workStart === '08:30')!;
    // Declared hours that now cover the evenings and week-ends: odd consultations move to « within ».
    await assertFreshAfter(() =>
      ctx.services.casesService.update(admin, target.id, { agent: { ...target.agent, workDays: [1, 2, 3, 4, 5, 6, 7], workStart: '00:00', workEnd: '23:59' }, case: target.kase }),
    );
  });

  it('shows an agent’s erasure at the next compose', async () => {
    const target = written.at(-1)!;
    await assertFreshAfter(async () => {
      const outcome = await ctx.services.agents.erase(admin, target.agentId, { confirmName: target.agent.fullName, caseIds: [target.id], requestIds: [] });
      assert.equal(outcome?.ok, true);
    });
    written = written.slice(0, -1);
  });

  it('shows the cases of a CSV import at the next compose', async () => {
    const rep = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    const campaign = await ctx.db.selectFrom('campaigns').select('name').where('id', '=', campaignId).executeTakeFirstOrThrow();
    const header = 'N° dossier;Agent;Région;Campagne;Situations;Entretien;Compte rendu';
    const rows = Array.from({ length: 6 }, (_, i) => `;Importé Numéro ${i};Hauts-de-France;${campaign.name};Dossier d’une personnalité politique;2024-09-1${i};Consultation légitime`);
    await assertFreshAfter(async () => {
      const upload = await rep.agent
        .post('/dossiers/import')
        .field('_csrf', await csrfFrom(rep.agent, '/dossiers/import'))
        .attach('fichier', Buffer.from(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`, 'utf8'), { filename: 'dossiers.csv', contentType: 'text/csv' });
      assert.equal(upload.status, 303, upload.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 2000));
      const started = await post(rep, `${upload.headers.location}/importer`, { mode: 'tout' });
      assert.equal(started.status, 303, started.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 3000));
      await ctx.services.caseImports.settled();
    }, settings(['HDF']));
  });

  it('counts from the cases while a case waits for its facts, and adds up again once it is assessed', async () => {
    const target = written[0]!;
    await ctx.db.updateTable('cases').set({ figureOpenedOn: null, figureOddOutside: null, assessedOn: '' }).where('id', '=', target.id).execute();
    ctx.services.casesService.invalidateReadModels();
    assert.equal(await tallies().figureTally(campaignId, { regions: 'national', period: { from: null, to: null } }, '2024-12-01'), undefined);
    const waiting = await composedAndRules(settings('national'));
    assert.deepEqual(waiting.composed, waiting.rules);
    await ctx.services.casesService.refreshStale();
    await assertSameTally({ regions: 'national', period: { from: null, to: null } }, '2024-12-01');
  });
});
