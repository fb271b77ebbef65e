import type { DeclarationFigures, FigureSelection, PublishedCount } from './declaration-figures';

/**
 * What a declaration lets a reader know exactly, cell by cell: each count it prints, and each one
 * its own tables give away by subtraction (a printed count's rest under the printed total, the
 * one withheld row of a table whose total and other rows are printed). The differencing guard
 * (differencing.ts) sets these against the cells of declarations already published.
 */

export interface CellPeriod {
  /** Inclusive calendar dates; null leaves that side open. */
  from: string | null;
  to: string | null;
}

export interface PublishedCell {
  /**
   * What is counted: 'cases', 'agents', 'held', 'outcome:legitimate'…, or a count's rest
   * ('held~rest': cases whose interview is not known to be held).
   */
  measure: string;
  /** The regions whose cases are counted, sorted. */
  regions: readonly string[];
  period: CellPeriod;
  value: number;
  /**
   * The printed counts this cell is read from, as the measure keys publishFigures withholds
   * ('cases', 'region:HDF', 'outcome:legitimate'…), the one to withhold first leading.
   */
  sources: readonly string[];
}

/** Partition tables: their rows add up to the cases' total. */
const PARTITIONS = [
  { prefix: 'outcome', rows: (f: DeclarationFigures) => f.outcomes },
  { prefix: 'commitment', rows: (f: DeclarationFigures) => f.commitment },
] as const;

const known = (c: Pick<PublishedCount, 'state' | 'value'>): c is PublishedCount & { value: number } => c.state === 'shown' && c.value !== null;

/**
 * The exactly known cells of a declaration's figures. `oddConsultations` is the base the
 * off-hours shares are printed over (the tally's consultations), when they are printed.
 */
export function publishedCells(
  figures: DeclarationFigures,
  selection: FigureSelection,
  allRegions: readonly string[],
  oddConsultations: number | null,
): PublishedCell[] {
  const regions = [...(selection.regions === 'national' ? allRegions : selection.regions)].sort();
  const { period } = selection;
  const cells: PublishedCell[] = [];
  const add = (measure: string, value: number, sources: string[], over: readonly string[] = regions) => {
    if (over.length > 0) cells.push({ measure, regions: over, period, value, sources });
  };
  const total = known(figures.cases) ? figures.cases.value : null;

  if (total !== null) add('cases', total, ['cases']);
  /** A count and, under a printed total, the rest it leaves. */
  const counted = (measure: string, count: PublishedCount, whole: number | null) => {
    if (!known(count)) return;
    add(measure, count.value, [measure]);
    if (whole !== null) add(`${measure}~rest`, whole - count.value, [measure, whole === total ? 'cases' : 'held']);
  };
  counted('agents', figures.agents, total);
  counted('held', figures.interviewsHeld, total);
  counted('pressure', figures.pressure, known(figures.interviewsHeld) ? figures.interviewsHeld.value : null);
  counted('pre_disciplinary', figures.preDisciplinary, total);
  counted('late', figures.lateSteps, total);
  for (const s of figures.bySituation) counted(`situation:${s.key}`, s, total);
  for (const s of figures.sanctions) if (s.key !== 'withheld') counted(`sanction:${s.key}`, s, null);
  for (const s of figures.bySite) if (s.key !== 'others' && s.key !== 'withheld') counted(`site:${s.key}`, s, null);

  for (const { prefix, rows } of PARTITIONS) {
    partition(rows(figures), total, (key) => `${prefix}:${key}`, (key) => ({ measure: `${prefix}:${key}`, over: regions }), (key) => ({ measure: `${prefix}:${key}~rest`, over: regions }), add);
  }
  // Regions are cases over fewer regions: the rest of one is the cases of the others.
  const byRegion = figures.byRegion.filter((r) => r.key !== 'others' && r.key !== 'withheld');
  const chosen = selection.regions !== 'national';
  partition(
    byRegion,
    // Nationally, regions without cases are not listed: the rows add up to the total only with them.
    chosen ? total : null,
    (key) => `region:${key}`,
    (key) => ({ measure: 'cases', over: [key] }),
    (key) => ({ measure: 'cases', over: regions.filter((code) => code !== key) }),
    add,
  );
  if (oddConsultations !== null && figures.offHours.outside.percent !== null) add('odd_consultations', oddConsultations, ['odd_consultations']);
  return cells;
}

type Place = { measure: string; over: readonly string[] };

/**
 * A table whose rows add up to the total: each printed row, the rest of each under the printed
 * total, and the row a reader gets by subtraction when it is the only one withheld (read from
 * the printed rows, the smallest first).
 */
function partition(
  rows: readonly PublishedCount[],
  total: number | null,
  source: (key: string) => string,
  cellOf: (key: string) => Place,
  restOf: (key: string) => Place,
  add: (measure: string, value: number, sources: string[], over: readonly string[]) => void,
) {
  const shown = rows.filter(known);
  for (const r of shown) {
    const { measure, over } = cellOf(r.key);
    add(measure, r.value, [source(r.key)], over);
  }
  if (total === null) return;
  for (const r of shown) {
    const { measure, over } = restOf(r.key);
    add(measure, total - r.value, [source(r.key), 'cases'], over);
  }
  const withheld = rows.filter((r) => !known(r));
  if (withheld.length === 1) {
    const { measure, over } = cellOf(withheld[0]!.key);
    const bySize = [...shown].sort((a, b) => a.value - b.value).map((r) => source(r.key));
    add(measure, total - shown.reduce((n, r) => n + r.value, 0), [...bySize, 'cases'], over);
  }
}

/** How the compose page and the method note name the counts withheld by their measure keys. */
export function withheldLabels(figures: DeclarationFigures, withheld: Iterable<string>): string[] {
  const rowLabel = (rows: readonly PublishedCount[], key: string, format = (label: string) => label) => {
    const row = rows.find((r) => r.key === key);
    return row ? format(row.label) : null;
  };
  const singles: Record<string, PublishedCount> = {
    cases: figures.cases,
    agents: figures.agents,
    held: figures.interviewsHeld,
    pressure: figures.pressure,
    pre_disciplinary: figures.preDisciplinary,
    late: figures.lateSteps,
  };
  const labels = [...withheld].map((measure) => {
    if (singles[measure]) return singles[measure].label;
    if (measure === 'odd_consultations') return 'Part des consultations « hors normes » en dehors des horaires déclarés';
    const [kind, key = ''] = measure.split(/:(.*)/s);
    switch (kind) {
      case 'region':
        return rowLabel(figures.byRegion, key, (label) => `Dossiers suivis — région ${label}`);
      case 'site':
        return rowLabel(figures.bySite, key, (label) => `Dossiers suivis — ${label}`);
      case 'situation':
        return rowLabel(figures.bySituation, key, (label) => `Dossiers suivis — ${label}`);
      case 'outcome':
        return rowLabel(figures.outcomes, key);
      case 'commitment':
        return rowLabel(figures.commitment, key);
      case 'sanction':
        return rowLabel(figures.sanctions, key);
      default:
        return null;
    }
  });
  return [...new Set(labels.filter((l): l is string => l !== null))];
}

/** The counts a declaration withholds (« moins de 5 », « n.c. »), for the record of what it published. */
export function withheldCells(figures: DeclarationFigures, selection: FigureSelection, allRegions: readonly string[]): Array<{ measure: string; regions: readonly string[]; period: CellPeriod }> {
  const regions = [...(selection.regions === 'national' ? allRegions : selection.regions)].sort();
  const out: Array<{ measure: string; regions: readonly string[]; period: CellPeriod }> = [];
  const add = (measure: string, count: PublishedCount, over: readonly string[] = regions) => {
    if (!known(count) && over.length > 0) out.push({ measure, regions: over, period: selection.period });
  };
  add('cases', figures.cases);
  add('agents', figures.agents);
  add('held', figures.interviewsHeld);
  add('pressure', figures.pressure);
  add('pre_disciplinary', figures.preDisciplinary);
  add('late', figures.lateSteps);
  const listed = (rows: readonly PublishedCount[]) => rows.filter((r) => r.key !== 'others' && r.key !== 'withheld');
  for (const r of figures.bySituation) add(`situation:${r.key}`, r);
  for (const r of figures.outcomes) add(`outcome:${r.key}`, r);
  for (const r of figures.commitment) add(`commitment:${r.key}`, r);
  for (const r of listed(figures.sanctions)) add(`sanction:${r.key}`, r);
  for (const r of listed(figures.bySite)) add(`site:${r.key}`, r);
  for (const r of listed(figures.byRegion)) add('cases', r, [r.key]);
  return out;
}
