import { DateTime } from 'luxon';
import type { CellPeriod, PublishedCell } from './published-cells';
import { Span, blocksOf, vectorKey as key } from './populations';
import { isSmall } from './small-counts';

/**
 * The differencing guard. A count of 1 to 4 is never printed (small-counts.ts), but two
 * declarations on overlapping scopes can still give it away: « HDF and Occitanie » after « HDF »
 * alone, one subtracted from the other, counts Occitanie; a year after its first half counts the
 * second half. A cell is revealed when the same measure, printed over populations (regions ×
 * days) whose signed sum is exactly one population, adds up to 1 to 4 there.
 *
 * The reader we guard against holds every declaration already published (their exactly known
 * cells, published-cells.ts). They add or subtract up to three cells at a time, at least one of
 * them from the declaration being composed (nested scopes and periods, chains of declarations, a
 * total less its printed parts), and they solve longer sums too (a national total less every
 * region but one): every population that no cell tells apart, by atoms, by regions or by days,
 * is tried against the span of all the cells. Withheld cells are taken as unknown (their ranges,
 * « moins de 5 » or « n.c. », are not combined across declarations: they narrow a count without
 * pinning it), and figures that moved since a declaration was published are read as if they had
 * not: the reader cannot tell. What was public before, or what the composed declaration gives
 * away by itself (small-counts.ts guards that), is not this guard's to mend.
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

const days = new Map<string, string>();
/** The day after: worked out once per date, as every cell's period is compared with every interval. */
function nextDay(date: string): string {
  let next = days.get(date);
  if (next === undefined) {
    next = DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
    if (days.size > 10_000) days.clear();
    days.set(date, next);
  }
  return next;
}

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
  return { vectorOf, populationOf, intervals: intervals.length, atomsKey: `${regions.join(',')}|${intervals.map((i) => i.start).join(',')}` };
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

/** The published cells as items and their span, per measure and atoms, kept across the rounds of one composition. */
const preparedPrior = new WeakMap<readonly PriorCell[], Map<string, { items: Item[]; span: Span }>>();

/** The small counts the composed declaration's cells would reveal, read against the published ones. */
export function revelations(prior: readonly PriorCell[], proposed: readonly PublishedCell[], withheld: ReadonlySet<string> = new Set()): Revelation[] {
  const found: Revelation[] = [];
  const measures = new Set(proposed.map((c) => c.measure));
  for (const measure of measures) {
    const priorCells = prior.filter((c) => c.measure === measure);
    if (priorCells.length === 0) continue;
    const proposedCells = proposed.filter((c) => c.measure === measure);
    const { vectorOf, populationOf, intervals, atomsKey } = atomsOf([...priorCells, ...proposedCells]);
    // Composed cells first: in any combination, the first item is one of them.
    // The published side depends on the atoms only: worked out once for every round of a composition.
    const cacheKey = `${measure}|${atomsKey}`;
    let published = preparedPrior.get(prior)?.get(cacheKey);
    if (!published) {
      // The same population and value published again (versions, a rest equal to a row) says nothing more.
      const distinct = new Map<string, Item>();
      for (const c of priorCells) {
        const vector = vectorOf(c);
        if (vector.some((v) => v === 1)) distinct.set(`${key(vector)}|${c.value}`, { vector, value: c.value, prior: c });
      }
      const priorItems = [...distinct.values()];
      published = { items: priorItems, span: new Span(priorItems) };
      preparedPrior.set(prior, (preparedPrior.get(prior) ?? new Map()).set(cacheKey, published));
    }
    const priorSpan = published.span;
    const items: Item[] = [...proposedCells.map((c) => ({ vector: vectorOf(c), value: c.value, proposed: c })).filter((i) => i.vector.some((v) => v === 1)), ...published.items];
    const proposedSpan = new Span(items.filter((i) => i.proposed));
    // Already public before this declaration, or given away by it alone (small-counts.ts protects
    // each declaration's own tables): withholding one of its cells would not mend either.
    const mended = (vector: Int8Array) => priorSpan.valueOf(vector) === null && proposedSpan.valueOf(vector) === null;
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
      if (!mended(vector)) return;
      found.push({
        measure,
        value,
        population: populationOf(vector),
        withhold: candidates(combo, withheld, measureSources),
        declarationIds: [...new Set(combo.flatMap((i) => (i.prior ? [i.prior.declarationId] : [])))].sort((a, b) => a - b),
      });
    };

    const firstPrior = items.findIndex((i) => i.prior);
    for (let i = 0; i < firstPrior; i++) {
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

    // Longer sums (a national total less every region but one): the smallest populations all the
    // cells together single out.
    const allSpan = priorSpan.with(items.filter((i) => i.proposed));
    for (const block of blocksOf(items, intervals)) {
      const value = allSpan.valueOf(block);
      if (value === null || Math.abs(value - Math.round(value)) > 1e-6 || !isSmall(Math.round(value))) continue;
      const id = `${key(block)}|${Math.round(value)}`;
      if (seen.has(id) || !mended(block)) continue;
      seen.add(id);
      const overlapping = items.filter((i) => i.vector.some((v, a) => v === 1 && block[a] === 1));
      found.push({
        measure,
        value: Math.round(value),
        population: populationOf(block),
        withhold: candidates(overlapping, withheld, measureSources),
        declarationIds: [...new Set(overlapping.flatMap((i) => (i.prior ? [i.prior.declarationId] : [])))].sort((a, b) => a - b),
      });
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
