/**
 * Statistical secrecy for published counts. A declaration read at a CSE must not let anyone
 * single out an agent: any count from 1 to 4 is published as « moins de 5 » (primary secrecy), and
 * a small count must not be recoverable by subtracting the other published counts of its table from
 * the table's total (secondary secrecy: more cells are masked until it cannot).
 *
 * The reader we protect against knows the table's total (exactly when it is 5 or more, otherwise
 * only that it is between 1 and 4), every published count, that a « moins de 5 » cell is between
 * 1 and 4, and that a masked cell is 0 or at least 5. Zero is published as such: « aucune
 * sanction » names nobody. (A reader who also knew which cell the rule masks first could narrow
 * things further; we do not claim to resist that.)
 */
export const SMALL_COUNT_LIMIT = 5;

export type CellState = 'shown' | 'small' | 'masked';

export interface CountCell<K extends string = string> {
  key: K;
  value: number;
  /**
   * Not printed, but part of the table: the rest of a count printed alone (interviews held without
   * pressure). The reader gets it only by subtraction, so a small one must not be recoverable.
   */
  hidden?: boolean;
  /** Printed only when non-zero (a list of sites): the reader knows it is at least 1. */
  knownNonZero?: boolean;
  /** Known to the reader from elsewhere (another figure gives it away): never masked. */
  fixed?: boolean;
  /**
   * Withheld although it is not small: printed, it would give a small count away by difference
   * with a declaration already published (differencing.ts). Like a small count, it must not be
   * recoverable from the rest of the table.
   */
  secret?: boolean;
}

interface CellView {
  state: CellState;
  value: number | null;
  hidden?: boolean;
  knownNonZero?: boolean;
}

export interface ProtectedCount<K extends string = string> {
  key: K;
  state: CellState;
  /** The count when published; null when it is withheld. */
  value: number | null;
}

export function isSmall(value: number): boolean {
  return value > 0 && value < SMALL_COUNT_LIMIT;
}

/** A single count with no table around it (agents followed, cases followed). */
export function protectCount(value: number): { state: CellState; value: number | null } {
  return isSmall(value) ? { state: 'small', value: null } : { state: 'shown', value };
}

/** Inclusive ranges of integers, sorted and disjoint: what a reader can still believe a cell holds. */
export type ValueSet = Array<[number, number]>;

function normalise(spans: ValueSet): ValueSet {
  const sorted = spans.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: ValueSet = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function plus(a: ValueSet, b: ValueSet, cap: number): ValueSet {
  return normalise(a.flatMap(([alo, ahi]) => b.map(([blo, bhi]): [number, number] => [alo + blo, Math.min(ahi + bhi, cap)])));
}

function minus(a: ValueSet, b: ValueSet): ValueSet {
  return normalise(a.flatMap(([alo, ahi]) => b.map(([blo, bhi]): [number, number] => [alo - bhi, ahi - blo])));
}

function intersect(a: ValueSet, b: ValueSet): ValueSet {
  return normalise(a.flatMap(([alo, ahi]) => b.map(([blo, bhi]): [number, number] => [Math.max(alo, blo), Math.min(ahi, bhi)])));
}

export function valueCount(set: ValueSet): number {
  return set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/**
 * The values each withheld cell can take given what is published. A « moins de 5 » cell holds 1 to
 * 4; a masked cell holds 0 or 5 and more (from 1 to 4 it would read « moins de 5 »); the cells add
 * up to the total, known exactly when it is published.
 */
export function feasibleValues(
  cells: ReadonlyArray<CellView>,
  total: { state: CellState; value: number | null },
  knownTotal: number,
): Array<ValueSet | null> {
  const shownSum = cells.reduce((sum, c) => sum + (c.state === 'shown' ? (c.value ?? 0) : 0), 0);
  const cap = total.state === 'shown' ? total.value! : Math.max(knownTotal, SMALL_COUNT_LIMIT - 1);
  const totals = totalValues(total, cap);
  const rest = minus(totals, [[shownSum, shownSum]]);
  const domains = cells.map((c): ValueSet | null => {
    const least = c.knownNonZero ? 1 : 0;
    if (c.state === 'small') return [[1, SMALL_COUNT_LIMIT - 1]];
    // An unprinted rest carries no marker: it may hold anything.
    if (c.state === 'masked' && c.hidden) return [[least, cap]];
    if (c.state === 'masked') return normalise([...(least === 0 ? [[0, 0] as [number, number]] : []), [SMALL_COUNT_LIMIT, cap]]);
    return null;
  });
  return domains.map((own, i) => {
    if (!own) return null;
    const others = domains.reduce<ValueSet>((sum, d, j) => (j === i || !d ? sum : plus(sum, d, cap)), [[0, 0]]);
    return intersect(own, minus(rest, others));
  });
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** What a reader can believe of a table's total: exact when printed, 1 to 4, or (withheld) 0 or 5 and more. */
function totalValues(total: { state: CellState; value: number | null }, cap: number): ValueSet {
  if (total.state === 'shown') return [[total.value!, total.value!]];
  if (total.state === 'small') return [[1, SMALL_COUNT_LIMIT - 1]];
  return normalise([[0, 0], [SMALL_COUNT_LIMIT, cap]]);
}

/** The values a withheld total can take given its cells as published: none of them may pin it. */
function feasibleTotals(cells: ReadonlyArray<CellView>, cap: number): ValueSet {
  const shownSum = cells.reduce((sum, c) => sum + (c.state === 'shown' ? (c.value ?? 0) : 0), 0);
  const withheld = feasibleValues(cells, { state: 'masked', value: null }, cap);
  const sum = withheld.reduce<ValueSet>((acc, d) => (d ? plus(acc, d, cap) : acc), [[shownSum, shownSum]]);
  return intersect(sum, totalValues({ state: 'masked', value: null }, cap));
}

/**
 * Protects one table of counts whose cells add up to `total` (cells may overlap, as when a case
 * has several situations: the total is then the cells' sum, which is what a reader would assume).
 */
export function protectTable<K extends string>(
  cells: ReadonlyArray<CountCell<K>>,
  total: number,
  /** The total itself is withheld (differencing.ts): the cells must not add up to it either. */
  totalWithheld = false,
): Array<ProtectedCount<K>> {
  // Under 5 in all, a printed zero says too much (« all of them were judged illegitimate »).
  // Lists that print only their non-zero rows say no such thing, and go through the rules below.
  if (isSmall(total) && cells.some((c) => !c.hidden && !c.knownNonZero)) return cells.map((c) => ({ key: c.key, state: 'masked', value: null }));
  const state = cells.map((c): CellState => (c.hidden || c.secret ? 'masked' : isSmall(c.value) ? 'small' : 'shown'));
  const totalState = totalWithheld ? { state: 'masked' as const, value: null } : protectCount(total);
  const view = () => cells.map((c, i): CellView => ({ state: state[i]!, value: state[i] === 'shown' ? c.value : null, hidden: c.hidden, knownNonZero: c.knownNonZero }));
  // The secret is the small counts: none may be pinned to one value.
  const secret = (i: number) => isSmall(cells[i]!.value) || (cells[i]!.secret === true && cells[i]!.value > 0);
  // A reader who is not told the total does not know how large it may be either.
  const bound = totalWithheld ? UNBOUNDED : total;
  const leaks = () =>
    feasibleValues(view(), totalState, bound).some((values, i) => values !== null && secret(i) && valueCount(values) <= 1) ||
    (totalWithheld && total > 0 && valueCount(feasibleTotals(view(), bound)) <= 1);

  while (leaks()) {
    // Mask the smallest published count first (it says the least), non-zero before zero.
    const candidates = cells
      .map((c, i) => ({ i, value: c.value }))
      .filter(({ i }) => state[i] === 'shown' && !cells[i]!.fixed)
      .sort((a, b) => Number(a.value === 0) - Number(b.value === 0) || a.value - b.value);
    const next = candidates[0];
    if (!next) {
      // Too few cells to hide one small count among others: the table is withheld whole.
      state.fill('masked');
      break;
    }
    state[next.i] = 'masked';
  }
  return cells.map((c, i) => ({ key: c.key, state: state[i]!, value: state[i] === 'shown' ? c.value : null }));
}

/** The table could not be protected cell by cell and was withheld whole. */
export function withheldWhole(cells: ReadonlyArray<{ state: CellState }>): boolean {
  return cells.length > 0 && cells.every((c) => c.state === 'masked');
}

// Built once: a formatter costs far more to make than to use, and every printed cell uses one.
const NUMBER = new Intl.NumberFormat('fr-FR');

/** « 12 », « moins de 5 », « n.c. » (non communiqué). */
export function countDisplay(count: { state: CellState; value: number | null }): string {
  if (count.state === 'small') return 'moins de 5';
  if (count.state === 'masked') return 'n.c.';
  return NUMBER.format(count.value ?? 0);
}
