import { DateTime } from 'luxon';
import type { CellPeriod, PublishedCell } from './published-cells';
import { isSmall } from './small-counts';

/**
 * The differencing guard. A count of 1 to 4 is never printed (small-counts.ts), but two
 * declarations on overlapping scopes can still give it away: « HDF and Occitanie » after « HDF »
 * alone, one subtracted from the other, counts Occitanie; a year after its first half counts the
 * second half. A cell is revealed when the same measure, printed over populations (regions ×
 * days) whose signed sum is exactly one population, adds up to 1 to 4 there.
 *
 * The reader we guard against holds every declaration already published (their exactly known
 * cells, published-cells.ts) and adds or subtracts up to three cells at a time, at least one of
 * them from the declaration being composed: that covers nested scopes and periods, chains of
 * declarations and a total less its printed parts. Withheld cells are taken as unknown (their
 * ranges, « moins de 5 » or « n.c. », are not combined across declarations), and figures that
 * moved since a declaration was published are read as if they had not: the reader cannot tell.
 *
 * When the composed declaration would reveal a small count, the cell of it that does so is
 * withheld too (secondary suppression), and the search runs again, until nothing is revealed.
 */

export interface PriorCell extends PublishedCell {
  /** The published declaration the cell was printed in. */
  declarationId: number;
}

export interface Revelation {
  measure: string;
  value: number;
  /** The population revealed: regions, each with the days (inclusive; null open) counted. */
  population: Array<{ region: string; from: string | null; to: string | null }>;
  /** The counts of the composed declaration (publishFigures' measure keys) one of which, withheld, stops it; the first preferred. */
  withhold: string[];
  /** The published declarations it would be read against. */
  declarationIds: number[];
}

interface Item {
  vector: Int8Array;
  value: number;
  prior?: PriorCell;
  proposed?: PublishedCell;
}

const nextDay = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;

/** The days of a measure cut where any of its periods starts or ends: intervals [start, end) of the boundaries. */
function intervalsOf(periods: readonly CellPeriod[]): Array<{ start: string | null; end: string | null }> {
  const cuts = new Set<string>();
  for (const p of periods) {
    if (p.from) cuts.add(p.from);
    if (p.to) cuts.add(nextDay(p.to));
  }
  const sorted = [...cuts].sort();
  return [null, ...sorted].map((start, i) => ({ start, end: sorted[i] ?? null }));
}

function covers(period: CellPeriod, interval: { start: string | null; end: string | null }): boolean {
  const startsBefore = period.from === null || (interval.start !== null && period.from <= interval.start);
  const endsAfter = period.to === null || (interval.end !== null && nextDay(period.to) >= interval.end);
  return startsBefore && endsAfter;
}

/** One measure's cells as vectors over (region, interval) atoms. */
function atomsOf(cells: ReadonlyArray<PublishedCell>) {
  const regions = [...new Set(cells.flatMap((c) => c.regions))].sort();
  const intervals = intervalsOf(cells.map((c) => c.period));
  const vectorOf = (cell: PublishedCell) => {
    const vector = new Int8Array(regions.length * intervals.length);
    const spans = intervals.map((interval) => covers(cell.period, interval));
    for (const region of cell.regions) {
      const r = regions.indexOf(region);
      spans.forEach((covered, i) => {
        if (covered) vector[r * intervals.length + i] = 1;
      });
    }
    return vector;
  };
  const populationOf = (vector: Int8Array) =>
    [...vector].flatMap((v, atom) => {
      if (v === 0) return [];
      const interval = intervals[atom % intervals.length]!;
      const to = interval.end === null ? null : DateTime.fromISO(interval.end, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
      return [{ region: regions[Math.floor(atom / intervals.length)]!, from: interval.start, to }];
    });
  return { vectorOf, populationOf };
}

/** Σ signs × vectors when it is one population (every atom 0 or 1, some 1), else null. */
function population(items: readonly Item[], signs: readonly number[]): Int8Array | null {
  const length = items[0]!.vector.length;
  const sum = new Int8Array(length);
  let any = false;
  for (let a = 0; a < length; a++) {
    let v = 0;
    for (let k = 0; k < items.length; k++) v += signs[k]! * items[k]!.vector[a]!;
    if (v !== 0 && v !== 1) return null;
    if (v === 1) any = true;
    sum[a] = v;
  }
  return any ? sum : null;
}

const SIGN_PATTERNS: Record<number, number[][]> = {
  2: [[1, 1], [1, -1], [-1, 1], [-1, -1]],
  3: [1, -1].flatMap((a) => [1, -1].flatMap((b) => [1, -1].map((c) => [a, b, c]))),
};

const key = (vector: Int8Array) => vector.join('');

/** Whether `target` is a signed sum of at most three of `items` (whatever their values say). */
function derivable(target: Int8Array, items: readonly Item[]): boolean {
  const singles = new Set(items.map((i) => key(i.vector)));
  const negated = (v: Int8Array) => v.map((x) => -x);
  const inSingles = (v: Int8Array) => singles.has(key(v)) || singles.has(key(negated(v)));
  if (inSingles(target)) return true;
  for (let a = 0; a < items.length; a++) {
    for (const s of [1, -1]) {
      const rest = target.map((x, t) => x - s * items[a]!.vector[t]!);
      if (inSingles(rest)) return true;
      for (let b = a + 1; b < items.length; b++) {
        for (const s2 of [1, -1]) if (inSingles(rest.map((x, t) => x - s2 * items[b]!.vector[t]!))) return true;
      }
    }
  }
  return false;
}

/**
 * The counts of the composed declaration that, withheld, would stop a revelation: those its
 * cells are read from, a part before the total, the smallest first. A printed cell's counts are
 * all printed, so one is left to withhold; should none be, every count of the measure is offered.
 */
function candidates(items: readonly Item[], withheld: ReadonlySet<string>, measureSources: readonly string[]): string[] {
  const proposed = items.flatMap((i) => (i.proposed ? [i.proposed] : []));
  proposed.sort((a, b) => Number(a.sources[0] === 'cases') - Number(b.sources[0] === 'cases') || a.value - b.value);
  const open = [...new Set(proposed.flatMap((c) => c.sources))].filter((source) => !withheld.has(source));
  return open.length > 0 ? open : [...measureSources];
}

/** The small counts the composed declaration's cells would reveal, read against the published ones. */
export function revelations(prior: readonly PriorCell[], proposed: readonly PublishedCell[], withheld: ReadonlySet<string> = new Set()): Revelation[] {
  const found: Revelation[] = [];
  const measures = new Set(proposed.map((c) => c.measure));
  for (const measure of measures) {
    const priorCells = prior.filter((c) => c.measure === measure);
    if (priorCells.length === 0) continue;
    const proposedCells = proposed.filter((c) => c.measure === measure);
    const { vectorOf, populationOf } = atomsOf([...priorCells, ...proposedCells]);
    // Composed cells first: in any combination, the first item is one of them.
    const items: Item[] = [
      ...proposedCells.map((c) => ({ vector: vectorOf(c), value: c.value, proposed: c })),
      ...priorCells.map((c) => ({ vector: vectorOf(c), value: c.value, prior: c })),
    ].filter((i) => i.vector.some((v) => v === 1));
    const byValue = new Map<number, number[]>();
    items.forEach((item, index) => byValue.set(item.value, [...(byValue.get(item.value) ?? []), index]));
    const seen = new Set<string>();
    const measureSources = [...new Set(proposedCells.flatMap((c) => c.sources))];

    const consider = (combo: Item[], given: number[]) => {
      if (!combo.some((i) => i.prior)) return;
      let signs = given;
      let value = combo.reduce((n, item, k) => n + signs[k]! * item.value, 0);
      // Read the other way round, a sum of -4 to -1 is the population that adds up to 1 to 4.
      if (isSmall(-value)) [signs, value] = [signs.map((x) => -x), -value];
      if (!isSmall(value)) return;
      const vector = population(combo, signs);
      if (!vector) return;
      const id = `${key(vector)}|${value}`;
      if (seen.has(id)) return;
      seen.add(id);
      // Already public before this declaration, or given away by it alone (small-counts.ts
      // protects each declaration's own tables): withholding a cell here would not help.
      if (derivable(vector, items.filter((i) => i.prior)) || derivable(vector, items.filter((i) => i.proposed))) return;
      found.push({
        measure,
        value,
        population: populationOf(vector),
        withhold: candidates(combo, withheld, measureSources),
        declarationIds: [...new Set(combo.flatMap((i) => (i.prior ? [i.prior.declarationId] : [])))].sort((a, b) => a - b),
      });
    };

    const firstPrior = proposedCells.length;
    for (let i = 0; i < firstPrior && i < items.length; i++) {
      const a = items[i]!;
      for (let j = i + 1; j < items.length; j++) {
        const b = items[j]!;
        for (const signs of SIGN_PATTERNS[2]!) consider([a, b], signs);
        for (const [sa, sb] of SIGN_PATTERNS[2]!) {
          const partial = sa! * a.value + sb! * b.value;
          // The third cell's value must bring the sum to 1..4 (or -4..-1, read the other way).
          for (const target of [1, 2, 3, 4, -1, -2, -3, -4]) {
            for (const sc of [1, -1]) {
              const wanted = sc * (target - partial);
              for (const k of byValue.get(wanted) ?? []) if (k > j) consider([a, b, items[k]!], [sa!, sb!, sc]);
            }
          }
        }
      }
    }
  }
  return found;
}

/**
 * The count to withhold next: the one that stops the most revelations (a total stops every rest
 * read from it), the most preferred on a tie. Zeros are withheld last: « n.c. » where there is
 * none would mislead, and the total usually stops what they give away.
 */
function nextToWithhold(found: readonly Revelation[]): string {
  const score = new Map<string, { count: number; rank: number }>();
  for (const r of found) {
    r.withhold.forEach((measure, rank) => {
      const s = score.get(measure) ?? { count: 0, rank };
      score.set(measure, { count: s.count + 1, rank: Math.min(s.rank, rank) });
    });
  }
  return [...score].sort(([, a], [, b]) => b.count - a.count || a.rank - b.rank)[0]![0];
}

/**
 * Withholds, one count a round, the composed cells that would reveal a small count, until none
 * does. `cellsFor` gives the composed declaration's known cells with the given counts withheld
 * (publishFigures then publishedCells).
 */
export function settleWithholding(
  prior: readonly PriorCell[],
  cellsFor: (withhold: ReadonlySet<string>) => readonly PublishedCell[],
): { withhold: Set<string>; revelations: Revelation[] } {
  const withhold = new Set<string>();
  const all: Revelation[] = [];
  if (prior.length === 0) return { withhold, revelations: all };
  // Each round withholds at least one more printed count, and a declaration prints a few dozen.
  for (;;) {
    const found = revelations(prior, cellsFor(withhold), withhold);
    if (found.length === 0) break;
    const next = nextToWithhold(found);
    // A count withheld that still prints (a zero) cannot be withheld further.
    if (withhold.has(next)) break;
    withhold.add(next);
    all.push(...found.filter((r) => r.withhold.includes(next)));
  }
  return { withhold, revelations: all };
}
