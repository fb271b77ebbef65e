/**
 * Populations as vectors over atoms (a region over an interval of days, region-major): the
 * arithmetic the differencing guard (differencing.ts) reads published cells with.
 */

export const vectorKey = (vector: Int8Array) => vector.join('');
const key = vectorKey;

const EPSILON = 1e-9;

/**
 * The cells' span, reduced (Gauss-Jordan in floating point: entries are small integers over a
 * few hundred atoms at most), each row carrying its value along. A population in the span is
 * worked out by some sum of the cells, however many: `valueOf` gives its value, or null when the
 * cells do not give it.
 */
export class Span {
  private readonly rows: Float64Array[] = [];
  private readonly pivots: number[] = [];

  constructor(cells: ReadonlyArray<{ vector: Int8Array; value: number }> = []) {
    for (const cell of cells) this.add(cell);
  }

  /** The last entry carries the value: minus the value of what was taken off. */
  private reduce(vector: Int8Array, value: number): Float64Array {
    const length = vector.length;
    const v = new Float64Array(length + 1);
    for (let a = 0; a < length; a++) v[a] = vector[a]!;
    v[length] = value;
    for (let r = 0; r < this.rows.length; r++) {
      const factor = v[this.pivots[r]!]!;
      if (factor > EPSILON || factor < -EPSILON) {
        const row = this.rows[r]!;
        for (let a = 0; a <= length; a++) v[a] = v[a]! - factor * row[a]!;
      }
    }
    return v;
  }

  add(cell: { vector: Int8Array; value: number }): void {
    const v = this.reduce(cell.vector, cell.value);
    const pivot = v.subarray(0, cell.vector.length).findIndex((x) => Math.abs(x) > EPSILON);
    if (pivot < 0) return;
    const scale = v[pivot]!;
    for (let a = 0; a < v.length; a++) v[a] = v[a]! / scale;
    // Rows stay reduced against each other: one pass of `reduce` clears any vector of the span.
    for (const row of this.rows) {
      const factor = row[pivot]!;
      if (Math.abs(factor) > EPSILON) for (let a = 0; a < row.length; a++) row[a] = row[a]! - factor * v[a]!;
    }
    this.rows.push(v);
    this.pivots.push(pivot);
  }

  with(cells: ReadonlyArray<{ vector: Int8Array; value: number }>): Span {
    const copy = new Span();
    copy.rows.push(...this.rows.map((row) => row.slice()));
    copy.pivots.push(...this.pivots);
    for (const cell of cells) copy.add(cell);
    return copy;
  }

  valueOf(target: Int8Array): number | null {
    const v = this.reduce(target, 0);
    for (let a = 0; a < target.length; a++) if (Math.abs(v[a]!) > 1e-6) return null;
    return -v[target.length]!;
  }
}

/**
 * Splits `size` positions into classes no item tells apart (refined item by item: no strings).
 * Positions no item covers are left out.
 */
function classesOf(size: number, covers: ReadonlyArray<(position: number) => boolean>): number[][] {
  let classOf = new Int32Array(size);
  const covered = new Uint8Array(size);
  for (const inside of covers) {
    const split = new Map<number, number>();
    const next = new Int32Array(size);
    for (let p = 0; p < size; p++) {
      const bit = inside(p) ? 1 : 0;
      if (bit) covered[p] = 1;
      const id = classOf[p]! * 2 + bit;
      let n = split.get(id);
      if (n === undefined) split.set(id, (n = split.size));
      next[p] = n;
    }
    classOf = next;
  }
  const classes = new Map<number, number[]>();
  for (let p = 0; p < size; p++) if (covered[p]) classes.set(classOf[p]!, [...(classes.get(classOf[p]!) ?? []), p]);
  return [...classes.values()];
}

/**
 * The populations a long sum of the cells may single out: atoms no cell tells apart (the
 * smallest), and the same taken over every day (regions no cell tells apart, whatever the
 * periods) or over every region (days no cell tells apart). Other unions of atoms are not tried.
 */
export function blocksOf(items: ReadonlyArray<{ vector: Int8Array }>, intervals: number): Int8Array[] {
  const length = items[0]?.vector.length ?? 0;
  const regions = length / intervals;
  // Whether each cell counts a region (at any time) or an interval (anywhere), worked out once.
  const counts = items.map((i) => {
    const byRegion = new Uint8Array(regions);
    const byInterval = new Uint8Array(intervals);
    for (let a = 0; a < length; a++) {
      if (i.vector[a] !== 1) continue;
      byRegion[Math.floor(a / intervals)] = 1;
      byInterval[a % intervals] = 1;
    }
    return { byRegion, byInterval };
  });
  const blocks: Int8Array[] = [];
  const add = (atoms: Iterable<number>) => {
    const block = new Int8Array(length);
    for (const a of atoms) block[a] = 1;
    blocks.push(block);
  };
  for (const atoms of classesOf(length, items.map((i) => (a: number) => i.vector[a] === 1))) add(atoms);
  const every = (n: number) => Array.from({ length: n }, (_, k) => k);
  for (const rs of classesOf(regions, counts.map((c) => (r: number) => c.byRegion[r] === 1))) {
    add(rs.flatMap((r) => every(intervals).map((i) => r * intervals + i)));
  }
  for (const is of classesOf(intervals, counts.map((c) => (i: number) => c.byInterval[i] === 1))) {
    add(is.flatMap((i) => every(regions).map((r) => r * intervals + i)));
  }
  const seen = new Set<string>();
  return blocks.filter((b) => {
    const id = key(b);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

