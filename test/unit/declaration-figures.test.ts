import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignFigure } from '../../src/domain/campaign-metrics';
import type { CaseEvent } from '../../src/domain/case-events';
import {
  computeDeclarationFigures,
  type DeclarationFigures,
  type FigureCase,
  type FigureSelection,
  officialFor,
  type PublishedCount,
  referenceDate,
  selectCases,
} from '../../src/domain/declaration-figures';
import type { WorkingPattern } from '../../src/domain/off-hours';
import { figureCaseMaker } from '../fixtures/figure-case';

/** U+202F, the narrow no-break space fr-FR puts between thousands. */
const NNBSP = '\u202f';
/** U+00A0, the no-break space before « % » and « jours ». */
const NBSP = '\u00a0';
const TODAY = '2024-12-01';
const AUTUMN: FigureSelection['period'] = { from: '2024-09-01', to: '2024-10-31' };
const OPEN: FigureSelection['period'] = { from: null, to: null };
const REGION_NAMES = new Map([
  ['HDF', 'Hauts-de-France'],
  ['IDF', 'Île-de-France'],
  ['PAC', 'Provence-Alpes-Côte d’Azur'],
]);

/** A case with harmless defaults: HDF, interviewed in the period, no events, no consultations. */
const makeCase = figureCaseMaker({}, 1000);

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

function figures(cases: readonly FigureCase[], selection: Partial<FigureSelection> = {}, official: readonly CampaignFigure[] = []): DeclarationFigures {
  return computeDeclarationFigures({
    cases,
    selection: { regions: ['HDF'], period: AUTUMN, ...selection },
    official,
    regionNames: REGION_NAMES,
    today: TODAY,
  });
}

/** Cell states and values, in order, as [key, state, value]. */
function cells(counts: readonly PublishedCount[]): Array<[string, string, number | null]> {
  return counts.map((c) => [c.key, c.state, c.value]);
}

function byKey(counts: readonly PublishedCount[], key: string): PublishedCount {
  const found = counts.find((c) => c.key === key);
  assert.ok(found, `no cell ${key} in ${counts.map((c) => c.key).join(', ')}`);
  return found;
}

/** Every published count anywhere in the figures: a withheld one carries no value, a shown one is 0 or 5 and more. */
function assertNoSmallValueLeaves(result: DeclarationFigures): void {
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if ('state' in record) {
      if (record.state === 'shown') assert.ok(record.value === 0 || (typeof record.value === 'number' && record.value >= 5), `${path} shows ${String(record.value)}`);
      else assert.equal(record.value, null, `${path} is ${String(record.state)} but carries a value`);
      assert.equal(record.display, record.state === 'small' ? 'moins de 5' : record.state === 'masked' ? 'n.c.' : String(record.value), path);
    }
    for (const [k, v] of Object.entries(record)) visit(v, `${path}.${k}`);
  };
  visit(result, 'figures');
  assert.doesNotMatch(JSON.stringify(result), /"value":[1-4][,}]/);
}

// ---------------------------------------------------------------------------------------------
// The main fixture: 14 HDF cases (12 agents) in the autumn period, 6 IDF cases, and HDF cases
// just outside the period.
// ---------------------------------------------------------------------------------------------

const DISCIPLINED: CaseEvent[] = [
  { type: 'pre_disciplinary_convocation', date: '2024-09-15' },
  { type: 'sanction_notified', date: '2024-10-20', sanctionKind: 'blame' },
];
const noon = (date: string) => `${date}T10:00:00Z`; // 12:00 in Paris (summer time)

const HDF_CASES: FigureCase[] = [
  // 1–5: political figures (case 1 also odd hours), interviewed under pressure, then convoked late and sanctioned.
  makeCase({ agentId: 1, site: 'Lille Centre', situations: ['political_figure', 'odd_hours'], reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
  makeCase({ agentId: 2, site: ' lille centre ', reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
  makeCase({ agentId: 3, site: 'LILLE  CENTRE', reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
  makeCase({ agentId: 4, reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
  makeCase({ agentId: 5, reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
  // 6–7: political figures, kind reminders.
  makeCase({ agentId: 6, reportOutcome: 'legitimate', interviewTone: 'kind' }),
  makeCase({ agentId: 7, reportOutcome: 'legitimate', interviewTone: 'kind', interviewDate: '2024-10-31' }),
  // 8–12: agents formerly job seekers (case 8 also odd hours) in Roubaix, reports concluding illegitimate;
  // consultations 2, 5, 9, 14 and 30 days before the interview.
  makeCase({ agentId: 8, site: 'Roubaix', situations: ['agent_ex_job_seeker', 'odd_hours'], reportOutcome: 'illegitimate', interviewTone: 'kind', interviewDate: '2024-09-20', consultations: [noon('2024-09-18')] }),
  makeCase({ agentId: 9, site: 'Roubaix', situations: ['agent_ex_job_seeker'], reportOutcome: 'illegitimate', interviewTone: 'kind', interviewDate: '2024-09-20', consultations: [noon('2024-09-15')] }),
  makeCase({ agentId: 10, site: 'Roubaix', situations: ['agent_ex_job_seeker'], reportOutcome: 'illegitimate', interviewTone: 'neutral', interviewDate: '2024-09-25', consultations: [noon('2024-09-16')] }),
  makeCase({ agentId: 11, site: 'Roubaix', situations: ['agent_ex_job_seeker'], reportOutcome: 'illegitimate', interviewTone: 'neutral', interviewDate: '2024-09-30', consultations: [noon('2024-09-16')] }),
  makeCase({ agentId: 12, site: 'roubaix', situations: ['agent_ex_job_seeker'], reportOutcome: 'illegitimate', interviewTone: 'neutral', interviewDate: '2024-10-15', consultations: [noon('2024-09-15'), noon('2024-08-01')] }),
  // 13–14: second cases of agents 1 and 2, placed by their interview although convoked before the period.
  makeCase({ agentId: 1, reportOutcome: 'legitimate', interviewTone: 'kind', convocationDate: '2024-08-20', interviewDate: '2024-09-01' }),
  makeCase({ agentId: 2, reportOutcome: 'legitimate', interviewTone: 'kind', convocationDate: '2024-08-20', interviewDate: '2024-09-02' }),
];

const IDF_CASES: FigureCase[] = times(6, (i) =>
  makeCase({ agentId: 20 + i, regionCode: 'IDF', site: 'Paris 13', situations: ['odd_hours'], reportOutcome: 'legitimate', interviewTone: 'kind', interviewDate: '2024-09-12' }),
);

const OUTSIDE_PERIOD: FigureCase[] = [
  makeCase({ agentId: 30, interviewDate: '2024-08-31', reportOutcome: 'not_stated', commitmentStatus: 'at_risk' }),
  // Convoked within the period, but the interview (which places the case) came after it.
  makeCase({ agentId: 31, convocationDate: '2024-10-15', interviewDate: '2024-11-01', reportOutcome: 'none_given', commitmentStatus: 'at_risk' }),
];

const ALL_CASES = [...HDF_CASES, ...IDF_CASES, ...OUTSIDE_PERIOD];

const OFFICIAL: CampaignFigure[] = [
  { scope: 'HDF', metric: 'agents_concerned', situationCode: '', value: 939, source: 'DR HDF, CSE du 12 septembre 2024' },
  { scope: 'HDF', metric: 'cases_identified', situationCode: '', value: 1200, source: 'DR HDF, CSE du 12 septembre 2024' },
  { scope: 'HDF', metric: 'cases_by_situation', situationCode: 'political_figure', value: 300, source: 'DR HDF, CSE du 12 septembre 2024' },
  { scope: 'HDF', metric: 'share_legitimate_local', situationCode: '', value: 85.5, source: 'DR HDF, CSE du 12 septembre 2024' },
  { scope: 'IDF', metric: 'agents_concerned', situationCode: '', value: 500, source: 'DR IDF, CSE du 3 octobre 2024' },
  { scope: 'IDF', metric: 'cases_by_situation', situationCode: 'political_figure', value: 40, source: 'DR IDF, CSE du 3 octobre 2024' },
  { scope: 'national', metric: 'agents_concerned', situationCode: '', value: 20000, source: 'DG, CSE central' },
  { scope: 'national', metric: 'share_real_misuse', situationCode: '', value: 2.5, source: 'DG, CSE central' },
];

describe('declaration figures for one region (main fixture)', () => {
  const result = figures(ALL_CASES, {}, OFFICIAL);

  it('counts the cases and the distinct agents followed', () => {
    assert.deepEqual(result.cases, { key: 'cases', label: 'Dossiers suivis', state: 'shown', value: 14, display: '14' });
    // 12 agents for 14 cases: 14 − 12 would count the 2 agents flagged twice, so the agents are masked.
    assert.deepEqual(result.agents, { key: 'agents', label: 'Agents suivis', state: 'masked', value: null, display: 'n.c.' });
  });

  it('counts situations (a case may have several) and protects the small one', () => {
    // political 9, agent ex job seeker 5, job seeker ex agent 0, odd hours 2: 16 in all. The 2 is
    // small; 16 − 9 − 5 − 0 would give it away, so the smallest other count (5) is masked too.
    assert.deepEqual(cells(result.bySituation), [
      ['political_figure', 'shown', 9],
      ['agent_ex_job_seeker', 'masked', null],
      ['job_seeker_ex_agent', 'shown', 0],
      ['odd_hours', 'small', null],
      ['other_conflict', 'shown', 0],
    ]);
    assert.equal(byKey(result.bySituation, 'political_figure').label, 'Dossier d’une personnalité politique');
    assert.deepEqual(
      result.bySituation.map((s) => s.display),
      ['9', 'n.c.', '0', 'moins de 5', '0'],
    );
    // The exact 2 and 5 never leave the module.
    assert.doesNotMatch(JSON.stringify(result.bySituation), /"value":(2|5)\b/);
  });

  it('lists no regions for a single region, and its sites grouped case- and space-insensitively', () => {
    assert.deepEqual(result.byRegion, []);
    assert.deepEqual(
      result.bySite.map((s) => [s.key, s.label, s.state, s.value]),
      [
        ['lille centre', 'Lille Centre', 'shown', 9],
        ['roubaix', 'Roubaix', 'shown', 5],
      ],
    );
  });

  it('counts outcomes, pending included, and the share of legitimate conclusions', () => {
    assert.deepEqual(cells(result.outcomes), [
      ['legitimate', 'shown', 9],
      ['illegitimate', 'shown', 5],
      ['not_stated', 'shown', 0],
      ['none_given', 'shown', 0],
      ['pending', 'shown', 0],
    ]);
    assert.equal(byKey(result.outcomes, 'pending').label, 'Pas encore de compte rendu connu');
    assert.deepEqual(result.shareLegitimate, { percent: 64, display: `64${NBSP}%`, base: 'des 14 comptes rendus qui concluent' });
  });

  it('counts interviews held and those held under pressure', () => {
    assert.deepEqual(result.interviewsHeld, { key: 'held', label: 'Entretiens tenus', state: 'shown', value: 14, display: '14' });
    assert.equal(result.pressure.key, 'pressure');
    assert.deepEqual([result.pressure.state, result.pressure.value, result.pressure.display], ['shown', 5, '5']);
  });

  it('counts commitment statuses, pre-disciplinary convocations, sanctions by kind and late steps', () => {
    assert.deepEqual(cells(result.commitment), [
      ['breached', 'shown', 5],
      ['at_risk', 'shown', 0],
      ['respected', 'shown', 9],
    ]);
    assert.deepEqual(
      result.commitment.map((c) => c.label),
      ['Engagement rompu', 'Engagement menacé', 'Engagement respecté'],
    );
    assert.deepEqual([result.preDisciplinary.key, result.preDisciplinary.state, result.preDisciplinary.value], ['pre_disciplinary', 'shown', 5]);
    // Kinds nobody received are left out.
    assert.deepEqual(
      result.sanctions.map((s) => [s.key, s.label, s.state, s.value]),
      [['blame', 'Dossiers avec une sanction notifiée : blâme', 'shown', 5]],
    );
    // Knowledge 1 June, convocation 15 September: more than two months (L1332-4).
    assert.deepEqual([result.lateSteps.key, result.lateSteps.state, result.lateSteps.value], ['late', 'shown', 5]);
  });

  it('gives the median delay from the latest consultation to the interview', () => {
    // 2, 5, 9, 14, 30 days (case 12's older consultation of 1 August is not the latest).
    // The number of cases behind the median is not printed: beside the total it would count the others.
    assert.deepEqual(result.medianDelay, { days: 9, display: `9${NBSP}jours`, base: 'sur les dossiers dont l’entretien et les consultations sont renseignés' });
  });

  it('withholds off-hours shares when no agent’s hours are known', () => {
    const withheld = { percent: null, display: 'non publié (moins de 5 dossiers renseignés)', base: '' };
    assert.deepEqual(result.offHours, { outside: withheld, within: withheld });
  });

  it('puts the direction’s figures beside them, and the national estimate of real misuse', () => {
    assert.deepEqual(result.official, [
      { metric: 'agents_concerned', situationCode: '', label: 'Agents concernés', display: '939', source: 'DR HDF, CSE du 12 septembre 2024' },
      { metric: 'cases_identified', situationCode: '', label: 'Cas identifiés', display: `1${NNBSP}200`, source: 'DR HDF, CSE du 12 septembre 2024' },
      { metric: 'cases_by_situation', situationCode: 'political_figure', label: 'Cas par situation — Dossier d’une personnalité politique', display: '300', source: 'DR HDF, CSE du 12 septembre 2024' },
      { metric: 'share_legitimate_local', situationCode: '', label: 'Part des consultations jugées légitimes par les managers locaux', display: `85,5${NBSP}%`, source: 'DR HDF, CSE du 12 septembre 2024' },
      { metric: 'share_real_misuse', situationCode: '', label: 'Part estimée de détournements réels, au niveau national (estimation de la direction)', display: `2,5${NBSP}%`, source: 'DG, CSE central' },
    ]);
    // The direction's totals cover the whole campaign: no coverage against a period's cases.
    assert.equal(result.coverage, null);
    assert.equal(result.coverageParts, null);
  });

  it('without a period, compares with the direction’s count: cases, when the agents count is masked', () => {
    const open = figures(ALL_CASES, { period: OPEN }, OFFICIAL);
    assert.equal(open.cases.value, 16);
    assert.equal(open.agents.state, 'masked');
    assert.equal(open.coverage, `Vigie suit 16 des 1${NNBSP}200 cas identifiés par la direction (1${NBSP}%)`);
    const distinct = figures(times(6, (i) => makeCase({ agentId: 100 + i })), { period: OPEN }, OFFICIAL);
    assert.equal(distinct.coverage, `Vigie suit 6 des 939 agents concernés selon la direction (1${NBSP}%)`);
    assert.deepEqual(distinct.coverageParts, { followed: '6', official: '939', unit: 'agents', percent: 1 });
  });

  it('lets no exact small count out', () => assertNoSmallValueLeaves(result));
});

describe('declaration figures, national and several regions', () => {
  it('national: every region, counted by region, without sites', () => {
    const result = figures(ALL_CASES, { regions: 'national' }, OFFICIAL);
    assert.equal(result.cases.value, 20);
    assert.equal(result.agents.state, 'masked'); // 20 − 18 would count the agents flagged twice
    assert.deepEqual(
      result.byRegion.map((r) => [r.key, r.label, r.state, r.value]),
      [
        ['HDF', 'Hauts-de-France', 'shown', 14],
        ['IDF', 'Île-de-France', 'shown', 6],
      ],
    );
    assert.deepEqual(result.bySite, []);
    assert.deepEqual(cells(result.bySituation), [
      ['political_figure', 'shown', 9],
      ['agent_ex_job_seeker', 'shown', 5],
      ['job_seeker_ex_agent', 'shown', 0],
      ['odd_hours', 'shown', 8],
      ['other_conflict', 'shown', 0],
    ]);
    assert.deepEqual(result.shareLegitimate, { percent: 75, display: `75${NBSP}%`, base: 'des 20 comptes rendus qui concluent' });
    // National figures only; the national estimate is not repeated.
    assert.deepEqual(result.official, [
      { metric: 'agents_concerned', situationCode: '', label: 'Agents concernés', display: `20${NNBSP}000`, source: 'DG, CSE central' },
      { metric: 'share_real_misuse', situationCode: '', label: 'Part estimée de détournements réels (estimation de la direction)', display: `2,5${NBSP}%`, source: 'DG, CSE central' },
    ]);
    assert.equal(result.coverage, null); // a period is set
    assertNoSmallValueLeaves(result);
  });

  it('national with no period: the cases outside the autumn count too', () => {
    const result = figures(ALL_CASES, { regions: 'national', period: OPEN });
    assert.equal(result.cases.value, 22);
    assert.deepEqual(cells(result.byRegion), [
      ['HDF', 'shown', 16],
      ['IDF', 'shown', 6],
    ]);
  });

  it('several regions: counted in the selection’s order, an empty region shown as 0, labels falling back to the code', () => {
    const result = computeDeclarationFigures({
      cases: ALL_CASES,
      selection: { regions: ['IDF', 'HDF', 'PAC', 'ZZZ'], period: AUTUMN },
      official: OFFICIAL,
      regionNames: REGION_NAMES,
      today: TODAY,
    });
    assert.deepEqual(
      result.byRegion.map((r) => [r.key, r.label, r.value]),
      [
        ['IDF', 'Île-de-France', 6],
        ['HDF', 'Hauts-de-France', 14],
        ['PAC', 'Provence-Alpes-Côte d’Azur', 0],
        ['ZZZ', 'ZZZ', 0],
      ],
    );
    assert.deepEqual(result.bySite, []);
  });

  it('several regions: the direction’s counts are summed only when every region has them', () => {
    const result = figures(ALL_CASES, { regions: ['HDF', 'IDF'] }, OFFICIAL);
    assert.deepEqual(result.official, [
      { metric: 'agents_concerned', situationCode: '', label: 'Agents concernés', display: `1${NNBSP}439`, source: 'DR HDF, CSE du 12 septembre 2024 ; DR IDF, CSE du 3 octobre 2024' },
      // Cases identified: IDF has none, so no sum. Shares are never added up.
      { metric: 'cases_by_situation', situationCode: 'political_figure', label: 'Cas par situation — Dossier d’une personnalité politique', display: '340', source: 'DR HDF, CSE du 12 septembre 2024 ; DR IDF, CSE du 3 octobre 2024' },
      { metric: 'share_real_misuse', situationCode: '', label: 'Part estimée de détournements réels, au niveau national (estimation de la direction)', display: `2,5${NBSP}%`, source: 'DG, CSE central' },
    ]);
    // Agents masked (20 − 18), and no summed cases identified: no coverage to give.
    assert.equal(figures(ALL_CASES, { regions: ['HDF', 'IDF'], period: OPEN }, OFFICIAL).coverage, null);
  });

  it('coverage falls back on the cases identified, and is absent without official counts', () => {
    const casesOnly = OFFICIAL.filter((f) => f.metric !== 'agents_concerned');
    assert.equal(figures(HDF_CASES, { period: OPEN }, casesOnly).coverage, `Vigie suit 14 des 1${NNBSP}200 cas identifiés par la direction (1${NBSP}%)`);
    assert.deepEqual(figures(HDF_CASES, { period: OPEN }, casesOnly).coverageParts, { followed: '14', official: `1${NNBSP}200`, unit: 'cases', percent: 1 });
    assert.equal(figures(HDF_CASES, { regions: ['HDF', 'IDF'], period: OPEN }, casesOnly).coverageParts, null);
    assert.equal(figures(HDF_CASES, { regions: ['HDF', 'IDF'], period: OPEN }, casesOnly).coverage, null);
    assert.equal(figures(HDF_CASES, { period: OPEN }, []).coverage, null);
    assert.deepEqual(figures(HDF_CASES, {}, []).official, []);
  });
});

describe('officialFor', () => {
  it('one region: its own figures, percentages included', () => {
    assert.deepEqual(
      officialFor(OFFICIAL, { regions: ['IDF'], period: OPEN }).map((f) => [f.metric, f.value]),
      [
        ['agents_concerned', 500],
        ['cases_by_situation', 40],
      ],
    );
  });
  it('national: the national figures', () => {
    assert.deepEqual(
      officialFor(OFFICIAL, { regions: 'national', period: OPEN }).map((f) => [f.metric, f.value]),
      [
        ['agents_concerned', 20000],
        ['share_real_misuse', 2.5],
      ],
    );
  });
  it('several regions: counts added up, all or nothing', () => {
    assert.deepEqual(officialFor(OFFICIAL, { regions: ['HDF', 'IDF'], period: OPEN }), [
      { scope: 'HDF+IDF', metric: 'agents_concerned', situationCode: '', value: 1439, source: 'DR HDF, CSE du 12 septembre 2024 ; DR IDF, CSE du 3 octobre 2024' },
      { scope: 'HDF+IDF', metric: 'cases_by_situation', situationCode: 'political_figure', value: 340, source: 'DR HDF, CSE du 12 septembre 2024 ; DR IDF, CSE du 3 octobre 2024' },
    ]);
    assert.deepEqual(officialFor(OFFICIAL, { regions: ['HDF', 'PAC'], period: OPEN }), []);
  });
});

describe('period and scope boundaries', () => {
  const dates = (interviewDate: string | null, convocationDate: string | null, knowledgeDate: string | null, openedOn = '2024-07-01') => ({ interviewDate, convocationDate, knowledgeDate, openedOn });
  const referenceCases: Array<[string, ReturnType<typeof dates>, string]> = [
    ['the interview', dates('2024-11-05', '2024-10-01', '2024-06-01'), '2024-11-05'],
    ['the convocation, without interview', dates(null, '2024-10-01', '2024-06-01'), '2024-10-01'],
    ['the knowledge date, without convocation', dates(null, null, '2024-06-01'), '2024-06-01'],
    ['the opening date, with nothing else', dates(null, null, null, '2024-07-01'), '2024-07-01'],
  ];
  for (const [what, facts, expected] of referenceCases) {
    it(`the reference date is ${what}`, () => assert.equal(referenceDate(facts), expected));
  }

  const placement: Array<[string, Partial<FigureCase>, boolean]> = [
    ['interview on the first day', { interviewDate: '2024-09-01' }, true],
    ['interview on the last day', { interviewDate: '2024-10-31' }, true],
    ['interview the day before', { interviewDate: '2024-08-31' }, false],
    ['interview the day after', { interviewDate: '2024-11-01' }, false],
    ['interview in, convocation before', { interviewDate: '2024-09-05', convocationDate: '2024-08-15' }, true],
    ['interview after, convocation in', { interviewDate: '2024-11-01', convocationDate: '2024-10-20' }, false],
    ['convocation on the first day, no interview', { interviewDate: null, convocationDate: '2024-09-01' }, true],
    ['convocation on the last day, no interview', { interviewDate: null, convocationDate: '2024-10-31' }, true],
    ['convocation the day before, no interview', { interviewDate: null, convocationDate: '2024-08-31' }, false],
    ['knowledge on the last day, nothing later', { interviewDate: null, convocationDate: null, knowledgeDate: '2024-10-31' }, true],
    ['knowledge the day after, nothing later', { interviewDate: null, convocationDate: null, knowledgeDate: '2024-11-01' }, false],
    ['opened on the first day, nothing else', { interviewDate: null, convocationDate: null, knowledgeDate: null, openedOn: '2024-09-01' }, true],
    ['opened the day before, nothing else', { interviewDate: null, convocationDate: null, knowledgeDate: null, openedOn: '2024-08-31' }, false],
    ['another region', { regionCode: 'IDF' }, false],
  ];
  for (const [name, overrides, included] of placement) {
    it(`${name}: ${included ? 'included' : 'excluded'}`, () => {
      const c = makeCase(overrides);
      assert.equal(selectCases([c], { regions: ['HDF'], period: AUTUMN }).length, included ? 1 : 0);
      // The figures count it (or not) with four certain cases beside it, so the total is 4 or 5.
      const others = times(4, () => makeCase());
      assert.deepEqual(figures([...others, c]).cases, included ? { key: 'cases', label: 'Dossiers suivis', state: 'shown', value: 5, display: '5' } : { key: 'cases', label: 'Dossiers suivis', state: 'small', value: null, display: 'moins de 5' });
    });
  }

  it('open sides of the period let everything in on that side', () => {
    const early = makeCase({ interviewDate: '2020-01-01' });
    const late = makeCase({ interviewDate: '2030-01-01' });
    assert.deepEqual(selectCases([early, late], { regions: ['HDF'], period: { from: null, to: '2024-10-31' } }), [early]);
    assert.deepEqual(selectCases([early, late], { regions: ['HDF'], period: { from: '2024-09-01', to: null } }), [late]);
    assert.deepEqual(selectCases([early, late], { regions: ['HDF'], period: OPEN }), [early, late]);
  });

  it('national includes every region; a list only its regions', () => {
    const hdf = makeCase({ regionCode: 'HDF' });
    const idf = makeCase({ regionCode: 'IDF' });
    const pac = makeCase({ regionCode: 'PAC' });
    assert.deepEqual(selectCases([hdf, idf, pac], { regions: 'national', period: AUTUMN }), [hdf, idf, pac]);
    assert.deepEqual(selectCases([hdf, idf, pac], { regions: ['PAC', 'HDF'], period: AUTUMN }), [hdf, pac]);
    assert.deepEqual(selectCases([hdf, idf, pac], { regions: [], period: AUTUMN }), []);
  });
});

describe('secrecy inside the figures', () => {
  it('3 breached cases out of 10: « moins de 5 », and another status masked so 10 − 7 does not tell', () => {
    const cases = [...times(3, () => makeCase({ commitmentStatus: 'breached' })), ...times(7, () => makeCase({ commitmentStatus: 'respected' }))];
    const result = figures(cases);
    assert.deepEqual(cells(result.commitment), [
      ['breached', 'small', null],
      ['at_risk', 'shown', 0],
      ['respected', 'masked', null],
    ]);
    assert.deepEqual(
      result.commitment.map((c) => c.display),
      ['moins de 5', '0', 'n.c.'],
    );
    assert.equal(result.cases.value, 10);
    assertNoSmallValueLeaves(result);
  });

  it('few agents: « moins de 5 », without a coverage percentage', () => {
    const cases = [...times(3, () => makeCase({ agentId: 1 })), ...times(3, () => makeCase({ agentId: 2 }))];
    const result = figures(cases, { period: OPEN }, OFFICIAL);
    assert.deepEqual(result.cases, { key: 'cases', label: 'Dossiers suivis', state: 'shown', value: 6, display: '6' });
    assert.deepEqual(result.agents, { key: 'agents', label: 'Agents suivis', state: 'small', value: null, display: 'moins de 5' });
    assert.equal(result.coverage, 'Vigie suit moins de 5 des 939 agents concernés selon la direction');
    assert.deepEqual(result.coverageParts, { followed: 'moins de 5', official: '939', unit: 'agents', percent: null });
  });

  it('a tiny scope: every count « moins de 5 » or withheld, nothing exact', () => {
    const cases = [
      makeCase({ site: 'Arras', situations: ['political_figure'], reportOutcome: 'legitimate', interviewTone: 'pressure', commitmentStatus: 'breached', events: DISCIPLINED }),
      makeCase({ site: 'Béthune', situations: ['odd_hours'], reportOutcome: 'illegitimate', interviewTone: 'kind' }),
      makeCase({ site: 'Calais', situations: ['agent_ex_job_seeker'], reportOutcome: 'legitimate' }),
      makeCase({ site: 'Douai', situations: ['job_seeker_ex_agent'], reportOutcome: null }),
    ];
    const result = figures(cases, { period: OPEN }, OFFICIAL);
    assert.equal(result.cases.display, 'moins de 5');
    // Under 5 cases in all, tables that print zeros are withheld whole: a 0 would say « all of them ».
    for (const table of [result.bySituation, result.outcomes, result.commitment]) {
      assert.ok(table.every((c) => c.state === 'masked'), JSON.stringify(table));
    }
    assert.equal(result.agents.display, 'n.c.');
    assert.equal(result.interviewsHeld.display, 'n.c.');
    // Four sites of one case each, pooled: one « others » row under 5.
    assert.deepEqual(
      result.bySite.map((s) => [s.key, s.label, s.display]),
      [['others', 'Autres sites (moins de 5 dossiers chacun)', 'moins de 5']],
    );
    assert.deepEqual(result.shareLegitimate, { percent: null, display: 'non publié (effectifs trop faibles)', base: '' });
    // The agents count is masked: the coverage is given in cases, themselves « moins de 5 ».
    assert.equal(result.coverage, `Vigie suit moins de 5 des 1${NNBSP}200 cas identifiés par la direction`);
    assertNoSmallValueLeaves(result);
  });

  it('a small site among larger ones: « moins de 5 », the next smallest site masked', () => {
    const cases = [...times(9, () => makeCase({ site: 'Lille Centre' })), ...times(6, () => makeCase({ site: 'Lens' })), ...times(2, () => makeCase({ site: '' })), ...times(1, () => makeCase({ site: '   ' }))];
    const result = figures(cases);
    // Sites under 5 are pooled, never named; the pool is protected like any small count.
    assert.deepEqual(
      result.bySite.map((s) => [s.key, s.label, s.state, s.display]),
      [
        ['lens', 'Lens', 'masked', 'n.c.'],
        ['lille centre', 'Lille Centre', 'shown', '9'],
        ['others', 'Autres sites (moins de 5 dossiers chacun)', 'small', 'moins de 5'],
      ],
    );
  });

  it('legitimate 6 and illegitimate 2: the 2 is withheld, and so is the share', () => {
    const cases = [...times(6, () => makeCase({ reportOutcome: 'legitimate' })), ...times(2, () => makeCase({ reportOutcome: 'illegitimate' }))];
    const result = figures(cases);
    assert.deepEqual(cells(result.outcomes), [
      ['legitimate', 'masked', null],
      ['illegitimate', 'small', null],
      ['not_stated', 'shown', 0],
      ['none_given', 'shown', 0],
      ['pending', 'shown', 0],
    ]);
    assert.deepEqual(result.shareLegitimate, { percent: null, display: 'non publié (effectifs trop faibles)', base: '' });
    assertNoSmallValueLeaves(result);
  });

  it('5 legitimate and 1 illegitimate in 6 cases: no masking can hide the 1, so the table is withheld whole', () => {
    const cases = [...times(5, () => makeCase({ reportOutcome: 'legitimate' })), makeCase({ reportOutcome: 'illegitimate' })];
    const result = figures(cases);
    assert.equal(result.cases.value, 6);
    // A reader who knows that « n.c. » is 0 or at least 5 would otherwise get 6 − 5 = 1.
    assert.deepEqual(cells(result.outcomes), [
      ['legitimate', 'masked', null],
      ['illegitimate', 'masked', null],
      ['not_stated', 'masked', null],
      ['none_given', 'masked', null],
      ['pending', 'masked', null],
    ]);
    assertNoSmallValueLeaves(result);
  });

  it('the share of legitimate conclusions needs both counts shown: 5 legitimate and 0 illegitimate give 100 %', () => {
    const result = figures(times(5, () => makeCase({ reportOutcome: 'legitimate' })));
    assert.deepEqual(result.shareLegitimate, { percent: 100, display: `100${NBSP}%`, base: 'des 5 comptes rendus qui concluent' });
  });

  it('the share is withheld over no conclusion at all', () => {
    const result = figures(times(5, () => makeCase({ reportOutcome: 'not_stated' })));
    assert.deepEqual(byKey(result.outcomes, 'not_stated').value, 5);
    assert.deepEqual(result.shareLegitimate, { percent: null, display: 'non publié (effectifs trop faibles)', base: '' });
  });

  it('pressure: 2 of 9 interviews held is « moins de 5 »', () => {
    const cases = [...times(2, () => makeCase({ interviewTone: 'pressure' })), ...times(7, () => makeCase({ interviewTone: 'kind' }))];
    const result = figures(cases);
    assert.equal(result.interviewsHeld.value, 9);
    assert.deepEqual([result.pressure.state, result.pressure.value, result.pressure.display], ['small', null, 'moins de 5']);
  });

  it('pressure: 6 of 8 interviews held is masked, since 8 − 6 would be the small rest', () => {
    const cases = [...times(6, () => makeCase({ interviewTone: 'pressure' })), ...times(2, () => makeCase({ interviewTone: 'kind' }))];
    const result = figures(cases);
    assert.equal(result.interviewsHeld.value, 8);
    assert.deepEqual([result.pressure.state, result.pressure.value, result.pressure.display], ['masked', null, 'n.c.']);
  });

  it('a sanction kind received by few is « moins de 5 »; kinds nobody received are left out', () => {
    const cases = [
      ...times(2, () => makeCase({ events: [{ type: 'sanction_notified', date: '2024-10-01', sanctionKind: 'avertissement' }] })),
      ...times(6, () => makeCase({ events: [{ type: 'sanction_notified', date: '2024-10-01', sanctionKind: 'mise_a_pied' }] })),
      // A sanction without a kind counts as « autre sanction ».
      ...times(5, () => makeCase({ events: [{ type: 'sanction_notified', date: '2024-10-01' }] })),
      ...times(9, () => makeCase()),
    ];
    const result = figures(cases);
    assert.deepEqual(
      result.sanctions.map((s) => [s.key, s.state, s.value, s.display]),
      [
        ['avertissement', 'small', null, 'moins de 5'],
        ['mise_a_pied', 'shown', 6, '6'],
        ['other', 'masked', null, 'n.c.'],
      ],
    );
    assert.equal(byKey(result.sanctions, 'other').label, 'Dossiers avec une sanction notifiée : autre sanction');
  });

  it('a kind nobody received is left out; a single small kind is « moins de 5 » (4 avertissements, 4 cases without sanction)', () => {
    const cases = [...times(4, () => makeCase({ events: [{ type: 'sanction_notified', date: '2024-10-01', sanctionKind: 'avertissement' }] })), ...times(4, () => makeCase())];
    const result = figures(cases);
    assert.deepEqual(
      result.sanctions.map((s) => [s.key, s.display]),
      [['avertissement', 'moins de 5']],
    );
  });
});

describe('late disciplinary steps', () => {
  const convocation = (date: string): CaseEvent[] => [{ type: 'pre_disciplinary_convocation', date }];
  const late = (employmentStatus: FigureCase['employmentStatus'], date: string, n: number) =>
    times(n, () => makeCase({ employmentStatus, knowledgeDate: '2024-06-01', events: convocation(date) }));

  it('counts private-law cases convoked more than two months after the facts were known (L1332-4)', () => {
    const result = figures([...late('private', '2024-09-15', 5), ...late('private', '2024-07-15', 5)]);
    assert.deepEqual([result.lateSteps.state, result.lateSteps.value], ['shown', 5]);
    assert.deepEqual([result.preDisciplinary.state, result.preDisciplinary.value], ['shown', 10]);
  });

  it('the last day of the two months is in time', () => {
    const result = figures([...late('private', '2024-08-01', 5), ...late('private', '2024-08-02', 6)]);
    assert.equal(result.lateSteps.value, 6);
  });

  it('counts private-law agents only: public-law agents never, unknown statuses not presumed private', () => {
    const result = figures([...late('public', '2024-09-15', 5), ...late('unknown', '2024-09-15', 5), ...late('private', '2024-07-15', 5)]);
    assert.deepEqual([result.lateSteps.state, result.lateSteps.value], ['shown', 0]);
    const withPrivate = figures([...late('private', '2024-09-15', 5), ...late('unknown', '2024-09-15', 5)]);
    assert.deepEqual([withPrivate.lateSteps.state, withPrivate.lateSteps.value], ['shown', 5]);
  });

  it('counts a sanction notified more than a month after the hearing', () => {
    const events: CaseEvent[] = [
      { type: 'pre_disciplinary_convocation', date: '2024-07-01', hearingDate: '2024-07-10' },
      { type: 'sanction_notified', date: '2024-08-20', sanctionKind: 'blame' },
    ];
    const result = figures([...times(5, () => makeCase({ events })), ...times(5, () => makeCase())]);
    assert.equal(result.lateSteps.value, 5);
  });

  it('counts clear misses only: a step the day after a limit ending on a Saturday, Sunday or holiday is doubtful, not counted', () => {
    // Facts known on 1 July 2024: the two months end on Sunday 1 September 2024.
    const at = (date: string, n: number) => times(n, () => makeCase({ employmentStatus: 'private', knowledgeDate: '2024-07-01', events: convocation(date) }));
    const doubtful = figures([...at('2024-09-02', 5), ...at('2024-08-15', 5)]);
    assert.deepEqual([doubtful.lateSteps.state, doubtful.lateSteps.value], ['shown', 0]);
    const clear = figures([...at('2024-09-03', 5), ...at('2024-08-15', 5)]);
    assert.deepEqual([clear.lateSteps.state, clear.lateSteps.value], ['shown', 5]);
  });

  it('counts a sanction notified too early (two jours ouvrables must have fully passed after the hearing)', () => {
    // Hearing on Monday 1 July 2024: a sanction on Wednesday 3 is too early, on Thursday 4 in time.
    const withSanction = (date: string): CaseEvent[] => [
      { type: 'pre_disciplinary_convocation', date: '2024-06-20', hearingDate: '2024-07-01' },
      { type: 'sanction_notified', date, sanctionKind: 'blame' },
    ];
    const result = figures([...times(5, () => makeCase({ events: withSanction('2024-07-03') })), ...times(5, () => makeCase({ events: withSanction('2024-07-04') }))]);
    assert.equal(result.lateSteps.value, 5);
  });

  it('one late case out of many is « moins de 5 »', () => {
    const result = figures([...late('private', '2024-09-15', 1), ...late('private', '2024-07-15', 9)]);
    assert.deepEqual([result.lateSteps.state, result.lateSteps.value, result.lateSteps.display], ['small', null, 'moins de 5']);
  });
});

describe('median delay from the latest consultation to the interview', () => {
  /** A case interviewed on 2024-10-01 whose latest consultation was `days` days before (at noon in Paris). */
  const delayed = (days: number) => {
    const consulted = new Date(Date.UTC(2024, 9, 1 - days, 10)).toISOString();
    return makeCase({ interviewDate: '2024-10-01', consultations: [consulted] });
  };

  const table: Array<[string, number[], number | null, string]> = [
    ['odd count', [1, 3, 10, 20, 40], 10, `10${NBSP}jours`],
    ['even count', [1, 3, 10, 20, 40, 50], 15, `15${NBSP}jours`],
    ['even count, half a day rounded up', [1, 3, 10, 11, 40, 50], 11, `11${NBSP}jours`],
    ['unordered', [40, 0, 7, 3, 12], 7, `7${NBSP}jours`],
    ['four cases: not published', [1, 3, 10, 20], null, 'non publié (moins de 5 dossiers renseignés)'],
  ];
  for (const [name, delays, days, display] of table) {
    it(`${name}: ${display}`, () => {
      const result = figures([...delays.map(delayed), makeCase(), makeCase({ interviewDate: null, consultations: [noon('2024-09-01')] })]);
      assert.equal(result.medianDelay.days, days);
      assert.equal(result.medianDelay.display, display);
      assert.equal(result.medianDelay.base, days === null ? '' : 'sur les dossiers dont l’entretien et les consultations sont renseignés');
    });
  }

  it('counts from the consultation’s Paris date: 22:30 UTC on 9 September is already the 10th in Paris', () => {
    const cases = times(5, () => makeCase({ interviewDate: '2024-09-20', consultations: ['2024-09-09T22:30:00Z', '2024-09-01T10:00:00Z'] }));
    assert.equal(figures(cases).medianDelay.days, 10);
  });

  it('counts from the latest consultation before the interview, ignoring those after it', () => {
    const cases = [...[1, 2, 3, 4, 5].map(delayed), ...times(3, () => makeCase({ interviewDate: '2024-10-01', consultations: [noon('2024-09-01'), noon('2024-10-05')] }))];
    const result = figures(cases);
    // 1, 2, 3, 4, 5, 30, 30, 30: the median of 4 and 5 is 4.5, rounded to 5.
    assert.equal(result.medianDelay.days, 5);
  });

  it('leaves out a case whose every consultation came after its interview', () => {
    // Four counted cases: not published; the fifth, consulted only after its interview, does not count.
    const cases = [...[1, 2, 3, 4].map(delayed), makeCase({ interviewDate: '2024-10-01', consultations: [noon('2024-10-05')] })];
    assert.equal(figures(cases).medianDelay.days, null);
  });

  it('leaves out interviews still to come', () => {
    const cases = [...[1, 2, 3, 4].map(delayed), makeCase({ interviewDate: '2024-12-20', consultations: [noon('2024-09-01')] })];
    assert.equal(figures(cases, { period: OPEN }).medianDelay.days, null);
  });
});

describe('consultations at odd hours and the agents’ declared hours', () => {
  const OFFICE: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:00' };
  const EVENINGS: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '19:00', end: '23:00' };
  // Paris is UTC+2 in September 2024. 2 September 2024 is a Monday.
  const MONDAY_21H = '2024-09-02T19:00:00Z';
  const TUESDAY_22H = '2024-09-03T20:00:00Z';
  const WEDNESDAY_3H = '2024-09-04T01:00:00Z';
  const SATURDAY_NOON = '2024-09-07T10:00:00Z';
  const TUESDAY_10H = '2024-09-03T08:00:00Z'; // not odd hours
  const FRIDAY_19H30 = '2024-09-06T17:30:00Z'; // not odd hours (before 20h)

  it('shares of odd-hours consultations outside and within the declared hours, over 5 contributing cases', () => {
    const cases = [
      // Office hours: every odd-hours consultation is outside them (3 + 2 + 1 + 2 = 8).
      makeCase({ workingPattern: OFFICE, consultations: [MONDAY_21H, SATURDAY_NOON, WEDNESDAY_3H, TUESDAY_10H] }),
      makeCase({ workingPattern: OFFICE, consultations: [TUESDAY_22H, SATURDAY_NOON] }),
      makeCase({ workingPattern: OFFICE, consultations: [WEDNESDAY_3H] }),
      makeCase({ workingPattern: OFFICE, consultations: [MONDAY_21H, TUESDAY_22H, FRIDAY_19H30] }),
      // Evening hours: 21h and 22h on weekdays are within them, a Saturday and 3h are not.
      makeCase({ workingPattern: EVENINGS, consultations: [MONDAY_21H, TUESDAY_22H, SATURDAY_NOON] }),
      makeCase({ workingPattern: EVENINGS, consultations: [MONDAY_21H, TUESDAY_22H, TUESDAY_22H] }),
      // Unknown hours: left out, however odd.
      ...times(3, () => makeCase({ workingPattern: null, consultations: [MONDAY_21H, SATURDAY_NOON] })),
      // Known hours but only office-time consultations: not contributing.
      makeCase({ workingPattern: OFFICE, consultations: [TUESDAY_10H, FRIDAY_19H30] }),
    ];
    // Odd-hours consultations of agents with known hours: 8 + 3 + 3 = 14; outside: 8 + 1 (Saturday) = 9.
    const result = figures(cases);
    const base = 'sur 14 consultations « hors normes » d’agents dont les horaires sont connus';
    assert.deepEqual(result.offHours, {
      outside: { percent: 64, display: `64${NBSP}%`, base },
      within: { percent: 36, display: `36${NBSP}%`, base },
    });
  });

  it(
    'a pattern whose start equals its end says nothing about the hours: its consultations are not counted as within them',
    () => {
      const UNUSABLE: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '09:00', end: '09:00' };
      const cases = [...times(5, () => makeCase({ workingPattern: OFFICE, consultations: [MONDAY_21H] })), ...times(5, () => makeCase({ workingPattern: UNUSABLE, consultations: [MONDAY_21H] }))];
      const result = figures(cases);
      assert.equal(result.offHours.within.percent, 0);
    },
  );

  it('not published with only 4 contributing cases', () => {
    const cases = [
      ...times(4, () => makeCase({ workingPattern: OFFICE, consultations: [MONDAY_21H, SATURDAY_NOON] })),
      makeCase({ workingPattern: OFFICE, consultations: [TUESDAY_10H] }),
      makeCase({ workingPattern: null, consultations: [MONDAY_21H] }),
    ];
    const result = figures(cases);
    const withheld = { percent: null, display: 'non publié (moins de 5 dossiers renseignés)', base: '' };
    assert.deepEqual(result.offHours, { outside: withheld, within: withheld });
  });

  it('a public holiday on a working day is not « hors normes » (the direction’s criterion is evenings, nights and week-ends)', () => {
    // 11 November 2024 is a Monday and a public holiday; 10:00 in Paris (UTC+1 then).
    const cases = times(5, () => makeCase({ workingPattern: OFFICE, consultations: ['2024-11-11T09:00:00Z'] }));
    const result = figures(cases, { period: OPEN });
    assert.equal(result.offHours.outside.percent, null);
    assert.equal(result.offHours.within.percent, null);
  });
});

describe('interviews held', () => {
  it('held: an interview date reached, or a tone, or any report outcome (« none given » included)', () => {
    const cases = [
      ...times(5, () => makeCase({ interviewDate: '2024-10-01' })), // held
      ...times(5, () => makeCase({ interviewDate: '2024-12-01' })), // today: held
      ...times(5, () => makeCase({ interviewDate: null, convocationDate: '2024-10-01' })), // not held
      ...times(5, () => makeCase({ interviewDate: '2024-12-20', reportOutcome: 'none_given' })), // held: no report after it
      ...times(5, () => makeCase({ interviewDate: '2024-12-20', interviewTone: 'neutral' })), // held
      ...times(5, () => makeCase({ interviewDate: '2024-12-20', reportOutcome: 'not_stated' })), // held
    ];
    const result = figures(cases, { period: OPEN });
    assert.equal(result.cases.value, 30);
    assert.deepEqual(result.interviewsHeld, { key: 'held', label: 'Entretiens tenus', state: 'shown', value: 25, display: '25' });
  });
});

describe('what a reader could otherwise work out', () => {
  const convoked: CaseEvent[] = [{ type: 'pre_disciplinary_convocation', date: '2024-10-01' }];
  const sanction = (sanctionKind: CaseEvent['sanctionKind']): CaseEvent[] => [{ type: 'sanction_notified', date: '2024-10-02', sanctionKind }];

  it('five cases at five sites: no site is named, they are pooled', () => {
    const result = figures(['Arras', 'Béthune', 'Calais', 'Douai', 'Étaples'].map((site) => makeCase({ site })), { period: OPEN });
    assert.deepEqual(
      result.bySite.map((s) => [s.key, s.display]),
      [['others', '5']],
    );
  });

  it('nationally, regions of 1 to 4 cases are pooled, never named', () => {
    const cases = [...times(6, () => makeCase({ regionCode: 'HDF' })), makeCase({ regionCode: 'IDF' }), makeCase({ regionCode: 'PAC' })];
    const result = figures(cases, { regions: 'national', period: OPEN });
    assert.deepEqual(
      result.byRegion.map((r) => r.key),
      ['HDF', 'others'],
    );
    assert.ok(!result.byRegion.some((r) => r.key === 'IDF' || r.key === 'PAC'));
    assert.deepEqual(result.smallRegions, ['Provence-Alpes-Côte d’Azur', 'Île-de-France'].sort());
  });

  it('five sanction kinds of one case each: the list is replaced by one withheld line', () => {
    const kinds: Array<CaseEvent['sanctionKind']> = ['avertissement', 'blame', 'mise_a_pied', 'mutation', 'licenciement'];
    const result = figures([...kinds.map((k) => makeCase({ events: sanction(k), commitmentStatus: 'breached' })), ...times(10, () => makeCase())], { period: OPEN });
    assert.deepEqual(
      result.sanctions.map((s) => [s.key, s.display]),
      [['withheld', 'n.c.']],
    );
    assert.doesNotMatch(JSON.stringify(result.sanctions), /licenciement/);
  });

  it('« breached » is known from the convocations: another status is masked to hide a small one', () => {
    const cases = [
      ...times(7, () => makeCase({ events: convoked, commitmentStatus: 'breached' })),
      ...times(20, () => makeCase({ commitmentStatus: 'at_risk' })),
      ...times(3, () => makeCase({ commitmentStatus: 'respected' })),
    ];
    const result = figures(cases, { period: OPEN });
    assert.equal(result.preDisciplinary.display, '7');
    assert.deepEqual(cells(result.commitment), [
      ['breached', 'shown', 7],
      ['at_risk', 'masked', null],
      ['respected', 'small', null],
    ]);
  });

  it('cases minus interviews held would count the interviews to come: the held count is protected', () => {
    const cases = [...times(17, () => makeCase({ interviewDate: '2024-10-01' })), ...times(3, () => makeCase({ interviewDate: null, interviewTone: null, reportOutcome: null }))];
    const result = figures(cases, { period: OPEN });
    assert.equal(result.cases.display, '20');
    assert.equal(result.interviewsHeld.display, 'n.c.');
  });
});

describe('each agent’s own clock and holidays (overseas, Alsace-Moselle)', () => {
  const OFFICE: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:00' };
  const EVENINGS: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '19:00', end: '23:00' };
  const reunion = (overrides: Partial<FigureCase>) => makeCase({ regionCode: 'REU', departmentCode: '974', site: 'Saint-Denis', ...overrides });
  const martinique = (overrides: Partial<FigureCase>) => makeCase({ regionCode: 'MTQ', departmentCode: '972', site: 'Fort-de-France', ...overrides });
  const BOTH = { regions: ['REU', 'MTQ'] };

  it('classifies each consultation in its agent’s time: 20:30 in La Réunion is within evening hours, 16:10 in Martinique is no odd hour', () => {
    // Monday 2 September 2024: 16:30 UTC is 20:30 in La Réunion (18:30 in Paris); 01:30 UTC on the
    // 3rd is 05:30 there (03:30 in Paris); 20:10 UTC is 16:10 in Martinique (22:10 in Paris).
    const cases = [
      ...times(5, () => reunion({ workingPattern: EVENINGS, consultations: ['2024-09-02T16:30:00Z', '2024-09-03T01:30:00Z'] })),
      ...times(5, () => martinique({ workingPattern: OFFICE, consultations: ['2024-09-02T20:10:00Z'] })),
    ];
    const base = 'sur 5 consultations « hors normes » d’agents dont les horaires sont connus';
    assert.deepEqual(figures(cases, BOTH).offHours, { outside: { percent: 0, display: `0${NBSP}%`, base }, within: { percent: 100, display: `100${NBSP}%`, base } });
    // The same instants for agents in Lille: three o’clock at night and 22:10, all outside their hours.
    const lille = cases.map((c) => ({ ...c, regionCode: 'HDF', departmentCode: null }));
    assert.deepEqual([figures(lille).offHours.outside.percent, figures(lille).offHours.within.percent], [100, 0]);
  });

  it('never counts a holiday as « hors normes »: Good Friday at 10:00 in Moselle is not one, 21:00 that day is, as in Nancy', () => {
    // Friday 29 March 2024 (UTC+1), 10:00 and 21:00 in Metz and Nancy alike.
    const goodFriday = (departmentCode: string, at: string) => times(5, () => makeCase({ regionCode: 'GES', departmentCode, workingPattern: OFFICE, consultations: [at] }));
    assert.equal(figures(goodFriday('57', '2024-03-29T09:00:00Z'), { regions: ['GES'] }).offHours.outside.percent, null, 'a holiday alone is Vigie’s observation, not the direction’s criterion');
    assert.equal(figures(goodFriday('54', '2024-03-29T09:00:00Z'), { regions: ['GES'] }).offHours.outside.percent, null);
    assert.equal(figures(goodFriday('57', '2024-03-29T20:00:00Z'), { regions: ['GES'] }).offHours.outside.percent, 100);
    assert.equal(figures(goodFriday('54', '2024-03-29T20:00:00Z'), { regions: ['GES'] }).offHours.outside.percent, 100);
  });

  it('dates the latest consultation on the agent’s calendar: 21:30 UTC on 9 September is the 10th in La Réunion, still the 9th in Martinique at 02:30 UTC on the 10th', () => {
    const reunionCases = times(5, () => reunion({ interviewDate: '2024-09-20', consultations: ['2024-09-09T21:30:00Z'] }));
    assert.equal(figures(reunionCases, { regions: ['REU'] }).medianDelay.days, 10);
    const martiniqueCases = times(5, () => martinique({ interviewDate: '2024-09-20', consultations: ['2024-09-10T02:30:00Z'] }));
    assert.equal(figures(martiniqueCases, { regions: ['MTQ'] }).medianDelay.days, 11);
    // In Paris, the first is the 9th (23:30) and the second the 10th (04:30).
    assert.equal(figures(reunionCases.map((c) => ({ ...c, regionCode: 'HDF' }))).medianDelay.days, 11);
    assert.equal(figures(martiniqueCases.map((c) => ({ ...c, regionCode: 'HDF' }))).medianDelay.days, 10);
  });

  it('counts late steps with the agent’s holidays: a limit ending on 20 December in La Réunion, or 22 May in Martinique, is only doubtful there', () => {
    // Entretien préalable on Monday 20 November 2023: the month ends on Wednesday 20 December 2023,
    // a holiday in La Réunion only; a blâme on Thursday 21 is a clear miss in Lille, doubtful there.
    const events: CaseEvent[] = [
      { type: 'pre_disciplinary_convocation', date: '2023-11-10', hearingDate: '2023-11-20' },
      { type: 'sanction_notified', date: '2023-12-21', sanctionKind: 'blame' },
    ];
    const sanctioned = times(5, () => reunion({ knowledgeDate: '2023-10-01', events }));
    assert.deepEqual([figures(sanctioned, { regions: ['REU'] }).lateSteps.state, figures(sanctioned, { regions: ['REU'] }).lateSteps.value], ['shown', 0]);
    assert.equal(figures(sanctioned.map((c) => ({ ...c, regionCode: 'HDF', departmentCode: null }))).lateSteps.value, 5);
    // Facts known on 22 March 2024: the two months end on Wednesday 22 May 2024, a holiday in Martinique.
    const convoked = times(5, () => martinique({ knowledgeDate: '2024-03-22', events: [{ type: 'pre_disciplinary_convocation', date: '2024-05-23' }] }));
    assert.equal(figures(convoked, { regions: ['MTQ'] }).lateSteps.value, 0);
    assert.equal(figures(convoked.map((c) => ({ ...c, regionCode: 'HDF', departmentCode: null }))).lateSteps.value, 5);
  });
});
