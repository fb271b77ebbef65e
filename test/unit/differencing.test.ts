import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PriorCell, revelations, settleWithholding } from '../../src/domain/differencing';
import { type DeclarationFigures, type FigureCase, type FigureSelection, computeDeclarationFigures } from '../../src/domain/declaration-figures';
import { type CellPeriod, type PublishedCell, publishedCells, withheldLabels } from '../../src/domain/published-cells';
import { protectTable } from '../../src/domain/small-counts';
import { figureCaseMaker } from '../fixtures/figure-case';

const OPEN: CellPeriod = { from: null, to: null };
const H1: CellPeriod = { from: '2024-01-01', to: '2024-06-30' };
const YEAR: CellPeriod = { from: '2024-01-01', to: '2024-12-31' };

function cell(regions: string[], value: number, options: { measure?: string; period?: CellPeriod; sources?: string[] } = {}): PublishedCell {
  const measure = options.measure ?? 'cases';
  return { measure, regions: [...regions].sort(), period: options.period ?? OPEN, value, sources: options.sources ?? [measure] };
}

function prior(declarationId: number, regions: string[], value: number, options: Parameters<typeof cell>[2] = {}): PriorCell {
  return { ...cell(regions, value, options), declarationId };
}

/** What was revealed, in a form a table can state: [measure, population, value, withheld, declarations]. */
function found(priorCells: PriorCell[], proposed: PublishedCell[]) {
  return revelations(priorCells, proposed).map((r) => [
    r.measure,
    r.population.map((p) => `${p.region} ${p.from ?? '…'}→${p.to ?? '…'}`).join(', '),
    r.value,
    r.withhold.join(','),
    r.declarationIds.join(','),
  ]);
}

describe('revelations: which differences of published cells give a small count away', () => {
  const table: Array<{ name: string; prior: PriorCell[]; proposed: PublishedCell[]; reveals: unknown[][] }> = [
    {
      name: 'nested scopes: HDF, then HDF and Occitanie, counts Occitanie',
      prior: [prior(1, ['HDF'], 12)],
      proposed: [cell(['HDF', 'OCC'], 15)],
      reveals: [['cases', 'OCC …→…', 3, 'cases', '1']],
    },
    {
      name: 'nested scopes the other way: HDF and Occitanie published, HDF alone composed',
      prior: [prior(1, ['HDF', 'OCC'], 15)],
      proposed: [cell(['HDF'], 12)],
      reveals: [['cases', 'OCC …→…', 3, 'cases', '1']],
    },
    { name: 'nested scopes, a difference of 5 or more: nothing small', prior: [prior(1, ['HDF'], 12)], proposed: [cell(['HDF', 'OCC'], 17)], reveals: [] },
    { name: 'nested scopes, a difference of zero: « none » names nobody', prior: [prior(1, ['HDF'], 12)], proposed: [cell(['HDF', 'OCC'], 12)], reveals: [] },
    { name: 'disjoint scopes: nothing to subtract', prior: [prior(1, ['HDF'], 12)], proposed: [cell(['IDF', 'OCC'], 15)], reveals: [] },
    { name: 'overlapping scopes, neither inside the other', prior: [prior(1, ['HDF', 'IDF'], 20)], proposed: [cell(['IDF', 'OCC'], 22)], reveals: [] },
    { name: 'same scope and period, figures that moved: no population between them', prior: [prior(1, ['HDF'], 12)], proposed: [cell(['HDF'], 14)], reveals: [] },
    {
      name: 'same scope, nested periods: the year less its first half counts the second',
      prior: [prior(1, ['HDF'], 10, { period: H1 })],
      proposed: [cell(['HDF'], 13, { period: YEAR })],
      reveals: [['cases', 'HDF 2024-07-01→2024-12-31', 3, 'cases', '1']],
    },
    {
      name: 'same scope, a period open on one side inside an open one',
      prior: [prior(1, ['HDF'], 10, { period: { from: null, to: '2024-06-30' } })],
      proposed: [cell(['HDF'], 12)],
      reveals: [['cases', 'HDF 2024-07-01→…', 2, 'cases', '1']],
    },
    {
      name: 'overlapping periods, neither inside the other',
      prior: [prior(1, ['HDF'], 10, { period: H1 })],
      proposed: [cell(['HDF'], 12, { period: { from: '2024-04-01', to: '2024-12-31' } })],
      reveals: [],
    },
    { name: 'periods that do not overlap', prior: [prior(1, ['HDF'], 10, { period: H1 })], proposed: [cell(['HDF'], 3, { period: { from: '2024-07-01', to: '2024-12-31' } })], reveals: [] },
    {
      name: 'nested scopes and nested periods: what lies between is still one population',
      prior: [prior(1, ['HDF'], 12, { period: H1 })],
      proposed: [cell(['HDF', 'OCC'], 15, { period: YEAR })],
      reveals: [['cases', 'HDF 2024-07-01→2024-12-31, OCC 2024-01-01→2024-06-30, OCC 2024-07-01→2024-12-31', 3, 'cases', '1']],
    },
    {
      name: 'a wider scope over a period that is not wider: no population between them',
      prior: [prior(1, ['HDF'], 12, { period: YEAR })],
      proposed: [cell(['HDF', 'OCC'], 15, { period: H1 })],
      reveals: [],
    },
    { name: 'another measure is another count', prior: [prior(1, ['HDF'], 12)], proposed: [cell(['HDF', 'OCC'], 15, { measure: 'agents' })], reveals: [] },
    {
      name: 'a chain of three declarations: the second and the third count the last region',
      prior: [prior(1, ['HDF'], 12), prior(2, ['HDF', 'OCC'], 30)],
      proposed: [cell(['HDF', 'IDF', 'OCC'], 33)],
      reveals: [['cases', 'IDF …→…', 3, 'cases', '2']],
    },
    {
      name: 'a chain of three declarations: two disjoint ones subtracted from the third',
      prior: [prior(1, ['HDF'], 12), prior(2, ['OCC'], 20)],
      proposed: [cell(['HDF', 'IDF', 'OCC'], 35)],
      reveals: [['cases', 'IDF …→…', 3, 'cases', '1,2']],
    },
    {
      name: 'a longer sum: the national total less every region but one',
      prior: [prior(1, ['BRE', 'HDF', 'IDF', 'OCC'], 50), prior(2, ['HDF'], 20), prior(3, ['IDF'], 15)],
      proposed: [cell(['OCC'], 12)],
      reveals: [['cases', 'BRE …→…', 3, 'cases', '1']],
    },
    {
      name: 'totals: the cases less a printed part, set against the same rest published before',
      prior: [prior(1, ['HDF'], 5, { measure: 'held~rest', sources: ['held'] })],
      proposed: [cell(['HDF', 'OCC'], 7, { measure: 'held~rest', sources: ['held'] })],
      reveals: [['held~rest', 'OCC …→…', 2, 'held', '1']],
    },
    {
      name: 'a region row of the composed table is withheld before its total',
      prior: [prior(1, ['OCC'], 10)],
      proposed: [cell(['HDF', 'IDF', 'OCC'], 50), cell(['HDF'], 38, { sources: ['region:HDF'] })],
      reveals: [['cases', 'IDF …→…', 2, 'region:HDF,cases', '1']],
    },
    {
      name: 'a small count already public before this declaration: nothing withholding can mend',
      prior: [prior(1, ['HDF'], 12), prior(2, ['HDF', 'OCC'], 15)],
      proposed: [cell(['HDF', 'OCC'], 15)],
      reveals: [],
    },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(found(row.prior, row.proposed), row.reveals));
  }
});

describe('protectTable with a count or a total withheld for differencing', () => {
  const states = (cells: Parameters<typeof protectTable>[0], total: number, totalWithheld = false) => protectTable(cells, total, totalWithheld).map((c) => c.state);
  const table: Array<[string, Parameters<typeof protectTable>[0], number, boolean, string[]]> = [
    ['a withheld count is not left to the total less the others', [{ key: 'a', value: 10, secret: true }, { key: 'b', value: 7 }], 17, false, ['masked', 'masked']],
    ['a withheld count among enough others', [{ key: 'a', value: 10, secret: true }, { key: 'b', value: 7 }, { key: 'c', value: 6 }], 23, false, ['masked', 'shown', 'masked']],
    ['a withheld total is not left to the sum of its rows', [{ key: 'a', value: 10 }, { key: 'b', value: 7 }], 17, true, ['shown', 'masked']],
    ['a withheld total, a row withheld already', [{ key: 'a', value: 10 }, { key: 'b', value: 3 }], 13, true, ['shown', 'small']],
    ['a count and its unprinted rest, the total withheld', [{ key: 'a', value: 15 }, { key: 'rest', value: 0, hidden: true }], 15, true, ['shown', 'masked']],
  ];
  for (const [name, cells, total, totalWithheld, expected] of table) it(name, () => assert.deepEqual(states(cells, total, totalWithheld), expected));
});

describe('settleWithholding', () => {
  it('withholds until nothing is revealed, then stops', () => {
    const priorCells = [prior(1, ['HDF'], 12), prior(1, ['HDF'], 10, { measure: 'held' })];
    // A composed declaration whose cells vanish as their counts are withheld.
    const all = [cell(['HDF', 'OCC'], 15), cell(['HDF', 'OCC'], 12, { measure: 'held' }), cell(['HDF', 'OCC'], 40, { measure: 'agents' })];
    const cellsFor = (withhold: ReadonlySet<string>) => all.filter((c) => !c.sources.some((s) => withhold.has(s)));
    const { withhold, revelations: seen } = settleWithholding(priorCells, cellsFor);
    assert.deepEqual([...withhold].sort(), ['cases', 'held']);
    assert.equal(seen.length, 2);
    assert.deepEqual(revelations(priorCells, cellsFor(withhold)), []);
  });

  it('withholds nothing when nothing was published', () => {
    assert.deepEqual(settleWithholding([], () => [cell(['HDF'], 3)]).withhold, new Set());
  });
});

// --------------------------------------------------------------------- with the figures' rules

const REGIONS = ['HDF', 'IDF', 'OCC'];
const REGION_NAMES = new Map([
  ['HDF', 'Hauts-de-France'],
  ['IDF', 'Île-de-France'],
  ['OCC', 'Occitanie'],
]);
const makeCase = figureCaseMaker({ reportOutcome: 'legitimate', interviewTone: 'kind' });
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

// Twelve HDF cases, three in Occitanie (two concluding « illégitime »).
const CASES: FigureCase[] = [
  ...times(8, () => makeCase({})),
  ...times(4, () => makeCase({ reportOutcome: 'illegitimate', interviewTone: 'pressure', commitmentStatus: 'at_risk' })),
  makeCase({ regionCode: 'OCC' }),
  ...times(2, () => makeCase({ regionCode: 'OCC', reportOutcome: 'illegitimate' })),
];

function publish(regions: string[], withhold: ReadonlySet<string> = new Set()): DeclarationFigures {
  return computeDeclarationFigures({ cases: CASES, selection: { regions, period: OPEN }, official: [], regionNames: REGION_NAMES, today: '2024-12-01', withhold });
}

describe('the guard with the figures’ own rules: HDF published, then HDF and Occitanie', () => {
  const selection = (regions: string[]): FigureSelection => ({ regions, period: OPEN });
  const hdf = publish(['HDF']);
  const priorCells = publishedCells(hdf, selection(['HDF']), REGIONS, null).map((c) => ({ ...c, declarationId: 1 }));
  const cellsFor = (withhold: ReadonlySet<string>) => publishedCells(publish(['HDF', 'OCC'], withhold), selection(['HDF', 'OCC']), REGIONS, null);
  const { withhold } = settleWithholding(priorCells, cellsFor);
  const both = publish(['HDF', 'OCC'], withhold);

  it('withholds the total and the counts that differ from HDF’s by 1 to 4', () => {
    assert.ok(withhold.has('cases'));
    assert.equal(both.cases.state, 'masked');
    assert.deepEqual(revelations(priorCells, cellsFor(withhold)), []);
  });

  it('leaves no printed count, nor any sum of a table’s rows, 1 to 4 away from HDF’s', () => {
    // An independent reader: every count printed in both, and every table printed whole (its sum is the total).
    const printed = (f: DeclarationFigures) => {
      const out = new Map<string, number>();
      const put = (key: string, c: { state: string; value: number | null }) => c.state === 'shown' && out.set(key, c.value!);
      put('cases', f.cases);
      put('agents', f.agents);
      put('held', f.interviewsHeld);
      put('pressure', f.pressure);
      for (const [name, rows] of [['outcome', f.outcomes], ['commitment', f.commitment], ['situation', f.bySituation]] as const) {
        for (const r of rows) put(`${name}:${r.key}`, r);
        if (name !== 'situation' && rows.every((r) => r.state === 'shown')) out.set('cases', rows.reduce((n, r) => n + r.value!, 0));
      }
      return out;
    };
    const before = printed(hdf);
    const after = printed(both);
    for (const [key, value] of after) {
      const was = before.get(key);
      if (was !== undefined) assert.ok(!(value - was >= 1 && value - was <= 4), `${key}: ${was} then ${value}`);
    }
  });

  it('names what it withheld', () => {
    const labels = withheldLabels(both, withhold);
    assert.ok(labels.includes('Dossiers suivis'), labels.join(' | '));
  });
});
