/**
 * Statistical secrecy for published counts. A declaration read at a CSE must not let anyone
 * single out an agent: any count from 1 to 4 is published as « moins de 5 » (primary secrecy), and
 * a small count must not be recoverable by subtracting the other published counts of its table from
 * the table's total (secondary secrecy: more cells are masked until it cannot).
 *
 * The reader we protect against knows the table's total (exactly when it is 5 or more, otherwise
 * only that it is between 1 and 4), every published count, that a « moins de 5 » cell is between
 * 1 and 4, and that a masked cell is between 0 and the total. Zero is published as such: « aucune
 * sanction » names nobody.
 */
export const SMALL_COUNT_LIMIT = 5;

export type CellState = 'shown' | 'small' | 'masked';

export interface CountCell<K extends string = string> {
  key: K;
  value: number;
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

interface Interval {
  lo: number;
  hi: number;
}

/**
 * The values each withheld cell can take given what is published, as the reader above would
 * compute them from the table's sum.
 */
export function feasibleIntervals(
  cells: ReadonlyArray<{ state: CellState; value: number | null }>,
  total: { state: CellState; value: number | null },
  knownTotal: number,
): Array<Interval | null> {
  const shownSum = cells.reduce((sum, c) => sum + (c.state === 'shown' ? (c.value ?? 0) : 0), 0);
  const totalInterval: Interval = total.state === 'shown' ? { lo: total.value!, hi: total.value! } : { lo: 1, hi: SMALL_COUNT_LIMIT - 1 };
  const rest: Interval = { lo: totalInterval.lo - shownSum, hi: totalInterval.hi - shownSum };
  const bounds = cells.map((c): Interval | null => {
    if (c.state === 'small') return { lo: 1, hi: SMALL_COUNT_LIMIT - 1 };
    if (c.state === 'masked') return { lo: 0, hi: Math.max(knownTotal, totalInterval.hi) };
    return null;
  });
  return bounds.map((own, i) => {
    if (!own) return null;
    let othersLo = 0;
    let othersHi = 0;
    bounds.forEach((b, j) => {
      if (j === i || !b) return;
      othersLo += b.lo;
      othersHi += b.hi;
    });
    return { lo: Math.max(own.lo, rest.lo - othersHi), hi: Math.min(own.hi, rest.hi - othersLo) };
  });
}

/**
 * Protects one table of counts whose cells add up to `total` (cells may overlap, as when a case
 * has several situations: the total is then the cells' sum, which is what a reader would assume).
 */
export function protectTable<K extends string>(cells: ReadonlyArray<CountCell<K>>, total: number): Array<ProtectedCount<K>> {
  const state = cells.map((c): CellState => (isSmall(c.value) ? 'small' : 'shown'));
  const totalState = protectCount(total);
  const view = () => cells.map((c, i) => ({ state: state[i]!, value: state[i] === 'shown' ? c.value : null }));
  const leaks = () =>
    feasibleIntervals(view(), totalState, total).some((range, i) => range !== null && cells[i]!.value > 0 && range.lo === range.hi);

  if (state.includes('small')) {
    while (leaks()) {
      // Mask the smallest published count first (it says the least), non-zero before zero.
      const candidates = cells
        .map((c, i) => ({ i, value: c.value }))
        .filter(({ i }) => state[i] === 'shown')
        .sort((a, b) => Number(a.value === 0) - Number(b.value === 0) || a.value - b.value);
      const next = candidates[0];
      if (!next) {
        // Too few cells to hide one small count among others: the table is withheld whole.
        state.fill('masked');
        break;
      }
      state[next.i] = 'masked';
    }
  }
  return cells.map((c, i) => ({ key: c.key, state: state[i]!, value: state[i] === 'shown' ? c.value : null }));
}

/** « 12 », « moins de 5 », « n.c. » (non communiqué). */
export function countDisplay(count: { state: CellState; value: number | null }): string {
  if (count.state === 'small') return 'moins de 5';
  if (count.state === 'masked') return 'n.c.';
  return new Intl.NumberFormat('fr-FR').format(count.value ?? 0);
}
