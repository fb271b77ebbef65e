import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CellState,
  countDisplay,
  feasibleValues,
  isSmall,
  protectCount,
  protectTable,
  SMALL_COUNT_LIMIT,
} from '../../src/domain/small-counts';

/** U+202F, the narrow no-break space fr-FR puts between thousands. */
const NNBSP = '\u202f';

function protect(values: number[], total = values.reduce((n, v) => n + v, 0)) {
  return protectTable(
    values.map((value, i) => ({ key: `k${i}`, value })),
    total,
  );
}

// ---------------------------------------------------------------------------------------------
// An independent reader. It does not use feasibleValues: it enumerates the sums the other
// withheld cells can reach (a set, built cell by cell) and keeps every value of the target cell
// that, added to one of those sums, gives a total the reader thinks possible.
// ---------------------------------------------------------------------------------------------

type Range = readonly [number, number];

interface Published {
  cells: ReadonlyArray<{ state: CellState; value: number | null }>;
  /** The table's total as the reader knows it: exact when 0 or 5 and more, otherwise only 1..4. */
  total: number;
}

/** What each withheld cell may hold for the reader described in small-counts.ts: « n.c. » is 0 or 5 and more. */
function documentedReader(p: Published): Array<Range[] | null> {
  const cap = totalRange(p.total)[1];
  // A table withheld whole says nothing of its cells: each may hold anything up to the total.
  if (p.cells.every((c) => c.state === 'masked')) return p.cells.map(() => [[0, cap]]);
  return p.cells.map((c) => (c.state === 'shown' ? null : c.state === 'small' ? [[1, 4]] : cap >= SMALL_COUNT_LIMIT ? [[0, 0], [SMALL_COUNT_LIMIT, cap]] : [[0, 0]]));
}

function totalRange(total: number): Range {
  return total === 0 || total >= SMALL_COUNT_LIMIT ? [total, total] : [1, SMALL_COUNT_LIMIT - 1];
}

/** Every value cell `target` can take, given each withheld cell's possible values (unions of ranges). */
function possibleValues(p: Published, allowed: Array<Range[] | null>, target: number): number[] {
  const [totalLo, totalHi] = totalRange(p.total);
  const shownSum = p.cells.reduce((n, c) => n + (c.state === 'shown' ? c.value! : 0), 0);
  const cap = totalHi;
  // reachable[s]: the other withheld cells can add up to s.
  let reachable = new Array<boolean>(cap + 1).fill(false);
  reachable[0] = true;
  allowed.forEach((ranges, j) => {
    if (j === target || ranges === null) return;
    const next = new Array<boolean>(cap + 1).fill(false);
    for (let s = 0; s <= cap; s++) {
      if (!reachable[s]) continue;
      for (const [lo, hi] of ranges) for (let v = lo; v <= hi && s + v <= cap; v++) next[s + v] = true;
    }
    reachable = next;
  });
  const values: number[] = [];
  for (const [lo, hi] of allowed[target]!) {
    for (let x = lo; x <= hi; x++) {
      if (reachable.some((ok, s) => ok && shownSum + x + s >= totalLo && shownSum + x + s <= totalHi)) values.push(x);
    }
  }
  return values;
}

/** mulberry32: a small seeded generator, so that a failing table can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random tables of 2 to 7 cells with values 0..30. Small values and zeros are drawn more often
 * than a uniform draw would (that is where secrecy is at stake), and one table in five only holds
 * 0..4 so that tables whose total is itself small come up too.
 */
function randomTables(seed: number, count: number): number[][] {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const tables: number[][] = [];
  for (let k = 0; k < count; k++) {
    const size = int(2, 7);
    const tiny = random() < 0.2;
    tables.push(
      Array.from({ length: size }, () => {
        if (tiny) return int(0, 4);
        const r = random();
        return r < 0.15 ? 0 : r < 0.55 ? int(1, 4) : int(5, 30);
      }),
    );
  }
  return tables;
}

const TABLES = randomTables(20240915, 4000);

describe('isSmall and protectCount', () => {
  const cases: Array<[number, boolean]> = [
    [0, false],
    [1, true],
    [2, true],
    [4, true],
    [5, false],
    [6, false],
    [939, false],
  ];
  for (const [value, small] of cases) {
    it(`${value} is ${small ? '' : 'not '}small`, () => {
      assert.equal(isSmall(value), small);
      assert.deepEqual(protectCount(value), small ? { state: 'small', value: null } : { state: 'shown', value });
    });
  }
  it('the limit is 5', () => assert.equal(SMALL_COUNT_LIMIT, 5));
});

describe('countDisplay', () => {
  const cases: Array<[{ state: CellState; value: number | null }, string]> = [
    [{ state: 'shown', value: 12 }, '12'],
    [{ state: 'shown', value: 0 }, '0'],
    [{ state: 'shown', value: 1234 }, `1${NNBSP}234`],
    [{ state: 'small', value: null }, 'moins de 5'],
    [{ state: 'masked', value: null }, 'n.c.'],
  ];
  for (const [count, display] of cases) {
    it(`${JSON.stringify(count)} reads « ${display} »`, () => assert.equal(countDisplay(count), display));
  }
});

describe('protectTable', () => {
  const table: Array<{ name: string; values: number[]; total?: number; states: CellState[] }> = [
    { name: 'no small cell: nothing masked', values: [12, 7, 30], states: ['shown', 'shown', 'shown'] },
    { name: 'no small cell, with zeros: nothing masked', values: [0, 0, 5], states: ['shown', 'shown', 'shown'] },
    { name: 'all zeros: shown as 0', values: [0, 0, 0], states: ['shown', 'shown', 'shown'] },
    { name: 'one small cell: the smallest non-zero other cell is masked too', values: [12, 7, 3], states: ['shown', 'masked', 'small'] },
    { name: 'one small cell next to a single other cell: that cell is masked', values: [3, 9], states: ['small', 'masked'] },
    { name: 'a non-zero cell is masked before a zero', values: [3, 0, 9, 20], states: ['small', 'shown', 'masked', 'shown'] },
    { name: 'the smallest non-zero cell is the one masked, wherever it is', values: [30, 1, 8, 6, 0], states: ['shown', 'small', 'shown', 'masked', 'shown'] },
    { name: '4 + 4 with total 8 and nothing else: the table is withheld whole', values: [4, 4], states: ['masked', 'masked'] },
    { name: '4 + 4 beside another count: that count is masked', values: [4, 4, 10], states: ['small', 'small', 'masked'] },
    { name: '4 + 4 beside only a zero: the zero is masked', values: [4, 4, 0], states: ['small', 'small', 'masked'] },
    { name: '1 + 1 with an exactly known total: pinned, so another count is masked', values: [1, 1, 20], states: ['small', 'small', 'masked'] },
    { name: '1 + 1 beside 5 and 20: the 5 is masked', values: [1, 1, 5, 20], states: ['small', 'small', 'masked', 'shown'] },
    { name: 'two small cells that hide each other: nothing more masked', values: [2, 2, 10], states: ['small', 'small', 'shown'] },
    { name: 'tiny table 1+1+1+1 (total « moins de 5 »): withheld whole', values: [1, 1, 1, 1], states: ['masked', 'masked', 'masked', 'masked'] },
    { name: 'tiny table 1+1+1+1 with zeros: withheld whole, zeros included', values: [1, 0, 1, 1, 1], states: ['masked', 'masked', 'masked', 'masked', 'masked'] },
    { name: 'a total of 1 to 4: the table is withheld whole (2+1+1)', values: [2, 1, 1], states: ['masked', 'masked', 'masked'] },
    { name: 'a single small cell with a small total: withheld', values: [3], states: ['masked'] },
    { name: 'a zero beside a small count, small total: the zero would say « all of them », withheld', values: [0, 2], states: ['masked', 'masked'] },
    { name: 'a single cell of 5 or more', values: [7], states: ['shown'] },
  ];
  for (const c of table) {
    it(c.name, () => {
      const result = protect(c.values, c.total);
      assert.deepEqual(
        result.map((r) => r.state),
        c.states,
      );
      result.forEach((r, i) => {
        assert.equal(r.key, `k${i}`);
        assert.equal(r.value, r.state === 'shown' ? c.values[i] : null);
      });
    });
  }

  it('a total and all but one sub-count published do not reveal the suppressed cell (12 + 7 + 3 = 22)', () => {
    const result = protect([12, 7, 3], 22);
    // Without secondary secrecy, 22 − 12 − 7 would give the 3 away.
    assert.deepEqual(result, [
      { key: 'k0', state: 'shown', value: 12 },
      { key: 'k1', state: 'masked', value: null },
      { key: 'k2', state: 'small', value: null },
    ]);
    const published = { cells: result, total: 22 };
    const allowed = documentedReader(published);
    assert.deepEqual(possibleValues(published, allowed, 2), [1, 2, 3, 4]);
    assert.deepEqual(possibleValues(published, allowed, 1), [6, 7, 8, 9]);
  });

  it('a total and all but one sub-count published, with several zero cells, still hides the small one', () => {
    const result = protect([0, 25, 0, 2, 0]);
    assert.deepEqual(
      result.map((r) => r.state),
      ['shown', 'masked', 'shown', 'small', 'shown'],
    );
    const published = { cells: result, total: 27 };
    assert.deepEqual(possibleValues(published, documentedReader(published), 3), [1, 2, 3, 4]);
  });
});

describe('feasibleValues', () => {
  it('derives what a reader can believe from the total: « n.c. » is 0 or 5 and more', () => {
    const view = [
      { state: 'shown' as const, value: 12 },
      { state: 'masked' as const, value: null },
      { state: 'small' as const, value: null },
    ];
    assert.deepEqual(feasibleValues(view, { state: 'shown', value: 22 }, 22), [null, [[6, 9]], [[1, 4]]]);
  });

  it('pins a small cell when everything else is shown', () => {
    const view = [
      { state: 'shown' as const, value: 12 },
      { state: 'shown' as const, value: 7 },
      { state: 'small' as const, value: null },
    ];
    assert.deepEqual(feasibleValues(view, { state: 'shown', value: 22 }, 22), [null, null, [[3, 3]]]);
  });

  it('pins a 1 next to a masked 5 (26 − 20 = 6 = 1 + 5)', () => {
    const view = [
      { state: 'small' as const, value: null },
      { state: 'masked' as const, value: null },
      { state: 'shown' as const, value: 20 },
    ];
    assert.deepEqual(feasibleValues(view, { state: 'shown', value: 26 }, 26), [[[1, 1]], [[5, 5]], null]);
  });

  it('with a small total, two small cells stay between 1 and 3', () => {
    const view = [
      { state: 'small' as const, value: null },
      { state: 'small' as const, value: null },
    ];
    assert.deepEqual(feasibleValues(view, { state: 'small', value: null }, 3), [[[1, 3]], [[1, 3]]]);
  });

  it('agrees with the brute-force reader on random tables', () => {
    for (const values of TABLES.slice(0, 1500)) {
      const total = values.reduce((n, v) => n + v, 0);
      const cells = protect(values, total);
      if (cells.every((c) => c.state === 'masked')) continue; // withheld whole: the reader knows n.c. may be anything
      const published = { cells, total };
      const allowed = documentedReader(published);
      const sets = feasibleValues(cells, protectCount(total), total);
      cells.forEach((c, i) => {
        if (c.state === 'shown') return assert.equal(sets[i], null);
        const possible = possibleValues(published, allowed, i);
        const fromSets = sets[i]!.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k));
        assert.deepEqual(fromSets, possible, `table ${JSON.stringify(values)}, cell ${i}`);
      });
    }
  });
});

describe('subtraction attack on random tables', () => {
  it('the brute-force reader does find what primary secrecy alone leaves deducible', () => {
    const primaryOnly = { cells: [{ state: 'shown' as const, value: 12 }, { state: 'shown' as const, value: 7 }, { state: 'small' as const, value: null }], total: 22 };
    assert.deepEqual(possibleValues(primaryOnly, documentedReader(primaryOnly), 2), [3]);
    const pair = { cells: [{ state: 'small' as const, value: null }, { state: 'small' as const, value: null }], total: 8 };
    assert.deepEqual(possibleValues(pair, documentedReader(pair), 0), [4]);
    let leakingTables = 0;
    for (const values of TABLES) {
      const total = values.reduce((n, v) => n + v, 0);
      const cells = values.map((v) => (isSmall(v) ? { state: 'small' as const, value: null } : { state: 'shown' as const, value: v }));
      const published = { cells, total };
      const allowed = documentedReader(published);
      if (cells.some((c, i) => c.state === 'small' && possibleValues(published, allowed, i).length < 2)) leakingTables += 1;
    }
    assert.ok(leakingTables > 500, `only ${leakingTables} tables leak without secondary secrecy`);
  });

  it(`${TABLES.length} tables: withheld cells carry no value and no non-zero withheld count can be deduced`, () => {
    let withheldNonZero = 0;
    let tablesMasked = 0;
    for (const values of TABLES) {
      const total = values.reduce((n, v) => n + v, 0);
      const cells = protect(values, total);
      const label = `table ${JSON.stringify(values)} → ${JSON.stringify(cells.map((c) => c.state))}`;
      assert.equal(cells.length, values.length, label);
      if (cells.some((c) => c.state === 'masked')) tablesMasked += 1;
      const wholeTableWithheld = cells.every((c) => c.state === 'masked');
      cells.forEach((c, i) => {
        const v = values[i]!;
        // (a) nothing withheld carries its value; what is shown is exact.
        if (c.state === 'shown') assert.equal(c.value, v, label);
        else assert.equal(c.value, null, label);
        // Primary secrecy: 1..4 is never shown, and outside a table withheld whole it reads « moins de 5 ».
        if (isSmall(v)) assert.notEqual(c.state, 'shown', label);
        if (!wholeTableWithheld) assert.equal(c.state === 'small', isSmall(v), label);
      });
      if (!values.some(isSmall)) assert.ok(cells.every((c) => c.state === 'shown'), `${label}: no small cell, nothing to mask`);

      const published = { cells, total };
      const allowed = documentedReader(published);
      cells.forEach((c, i) => {
        if (c.state === 'shown') return;
        const possible = possibleValues(published, allowed, i);
        // (c) the reader's deduction is sound: the truth is among the possibilities.
        assert.ok(possible.includes(values[i]!), `${label}: cell ${i} = ${values[i]} not in ${possible.join(',')}`);
        // (b) a withheld non-zero count is never pinned down.
        if (values[i]! > 0) {
          withheldNonZero += 1;
          assert.ok(possible.length >= 2, `${label}: cell ${i} = ${values[i]} deducible (${possible.join(',')})`);
        }
      });
    }
    // The sample really exercises secrecy.
    assert.ok(withheldNonZero > 3000, `only ${withheldNonZero} withheld non-zero cells`);
    assert.ok(tablesMasked > 500, `only ${tablesMasked} tables with masked cells`);
  });

  it('masks nothing beyond primary secrecy when the small cells already hide each other', () => {
    let unmasked = 0;
    for (const values of TABLES) {
      const total = values.reduce((n, v) => n + v, 0);
      const primary = values.map((v) => (isSmall(v) ? { state: 'small' as const, value: null } : { state: 'shown' as const, value: v }));
      const published = { cells: primary, total };
      const allowed = documentedReader(published);
      const leaks = primary.some((c, i) => c.state === 'small' && possibleValues(published, allowed, i).length < 2);
      // Tables under 5 in all are withheld whole, whatever their cells.
      if (leaks || isSmall(total)) continue;
      unmasked += 1;
      assert.deepEqual(protect(values, total), primary.map((c, i) => ({ key: `k${i}`, ...c })), `table ${JSON.stringify(values)}`);
    }
    assert.ok(unmasked > 1000, `only ${unmasked} tables`);
  });

  // The reader of small-counts.ts believes an « n.c. » cell may hold anything from 0 to the total.
  // But the published rules say every count from 1 to 4 reads « moins de 5 »: in a table that shows
  // « moins de 5 » next to « n.c. », the « n.c. » cell holds 0 or at least 5. That reader recovers
  // the small count whenever the small cell is 1 and the masked one 5: 26 − 20 = 6 = 1 + 5.
  it(
    'a reader who knows that « n.c. » is never 1..4 cannot deduce a small count (1, 5, 20; total 26)',
    () => {
      const values = [1, 5, 20];
      const cells = protect(values, 26);
      // Masking the 5 alone would leave the 1 deducible: the 20 is masked too.
      assert.deepEqual(
        cells.map((c) => c.state),
        ['small', 'masked', 'masked'],
      );
      const published = { cells, total: 26 };
      const allowed = ruleAwareReader(published);
      assert.ok(possibleValues(published, allowed, 0).length >= 2, `the small cell can only be ${possibleValues(published, allowed, 0).join(',')}`);
    },
  );

  it(
    'random tables resist a reader who knows that « n.c. » is never 1..4',
    () => {
      const leaking = new Set<string>();
      for (const values of TABLES) {
        const total = values.reduce((n, v) => n + v, 0);
        const cells = protect(values, total);
        const published = { cells, total };
        const allowed = ruleAwareReader(published);
        cells.forEach((c, i) => {
          if (c.state !== 'shown' && values[i]! > 0 && possibleValues(published, allowed, i).length < 2) leaking.add(JSON.stringify(values));
        });
      }
      assert.deepEqual([...leaking], []);
    },
  );
});

/** The documented reader, plus one published rule: outside a table withheld whole, « n.c. » is 0 or 5 and more. */
function ruleAwareReader(p: Published): Array<Range[] | null> {
  const whole = p.cells.every((c) => c.state === 'masked');
  const cap = totalRange(p.total)[1];
  return documentedReader(p).map((ranges, i) =>
    p.cells[i]!.state === 'masked' && !whole ? ([[0, 0], [SMALL_COUNT_LIMIT, Math.max(cap, SMALL_COUNT_LIMIT)]] as Range[]) : ranges,
  );
}

describe('rests that are not printed, and cells printed only when non-zero', () => {
  const states = (cells: Array<{ state: CellState }>) => cells.map((c) => c.state);

  it('a count printed alone is masked when its unprinted rest would be small (6 of 8 with pressure: 8 − 6 = 2)', () => {
    const cells = protectTable([{ key: 'pressure', value: 6 }, { key: 'rest', value: 2, hidden: true }], 8);
    assert.deepEqual(states(cells), ['masked', 'masked']);
  });

  it('a small count printed alone stays « moins de 5 » when its rest is unknown to the reader (2 of 9)', () => {
    const cells = protectTable([{ key: 'pressure', value: 2 }, { key: 'rest', value: 7, hidden: true }], 9);
    assert.deepEqual(states(cells), ['small', 'masked']);
  });

  it('a list of non-zero rows under 5 in all is not withheld for its total alone', () => {
    const cells = protectTable([2, 1].map((value, i) => ({ key: `site${i}`, value, knownNonZero: true })), 3);
    assert.deepEqual(states(cells), ['small', 'small']);
  });

  it('four listed rows under 5 in all are each 1: the list is withheld whole', () => {
    const cells = protectTable([1, 1, 1, 1].map((value, i) => ({ key: `site${i}`, value, knownNonZero: true })), 4);
    assert.deepEqual(states(cells), ['masked', 'masked', 'masked', 'masked']);
  });

  it('a cell another figure gives away is never the one masked', () => {
    const cells = protectTable([{ key: 'breached', value: 7, fixed: true }, { key: 'at_risk', value: 20 }, { key: 'respected', value: 3 }], 30);
    assert.deepEqual(states(cells), ['shown', 'masked', 'small']);
  });

  it('a masked cell known to be non-zero is at least 5: [1, 5, 20] needs the 20 masked too', () => {
    const cells = protectTable([1, 5, 20].map((value, i) => ({ key: `site${i}`, value, knownNonZero: true })), 26);
    assert.deepEqual(states(cells), ['small', 'masked', 'masked']);
  });

  it('a list of sanctions whose total is known: the small kind is hidden behind a masked one', () => {
    const cells = protectTable(
      [
        { key: 'avertissement', value: 2, knownNonZero: true },
        { key: 'mise_a_pied', value: 6, knownNonZero: true },
        { key: 'other', value: 5, knownNonZero: true },
      ],
      13,
    );
    assert.deepEqual(states(cells), ['small', 'shown', 'masked']);
  });
});
