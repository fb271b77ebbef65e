import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { delaysOf, foldSites } from '../../src/domain/figure-tally';

/** The median of a list, as the figures computed it before they were tallied. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function histogram(values: number[]): Array<{ days: number; count: number }> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([days, count]) => ({ days, count }));
}

describe('delaysOf', () => {
  const cases: Array<[number[], { count: number; median: number | null }]> = [
    [[], { count: 0, median: null }],
    [[7], { count: 1, median: 7 }],
    [[3, 9], { count: 2, median: 6 }],
    [[4, 4, 10], { count: 3, median: 4 }],
    [[1, 2, 2, 9], { count: 4, median: 2 }],
    [[0, 5, 6, 100], { count: 4, median: 5.5 }],
  ];
  for (const [values, expected] of cases) {
    it(`[${values.join(', ')}] → ${JSON.stringify(expected)}`, () => assert.deepEqual(delaysOf(histogram(values)), expected));
  }

  it('gives the median of the list, whatever the order of the counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 400 }), { maxLength: 60 }), (values) => {
        assert.deepEqual(delaysOf(histogram(values).reverse()), { count: values.length, median: median(values) });
      }),
    );
  });
});

describe('foldSites', () => {
  it('folds spellings into one row labelled as its first case spells it, in the order first met', () => {
    assert.deepEqual(
      foldSites([
        { site: 'agence  Lille', count: 2 },
        { site: 'Agence Roubaix', count: 1 },
        { site: ' Agence lille ', count: 3 },
        { site: '', count: 1 },
      ]),
      [
        { key: 'agence lille', label: 'agence  Lille', value: 5 },
        { key: 'agence roubaix', label: 'Agence Roubaix', value: 1 },
        { key: '', label: 'Site non renseigné', value: 1 },
      ],
    );
  });
});
