import { SANCTION_KINDS } from './case-events';
import { REPORT_OUTCOMES } from './case-vocabulary';
import type { CommitmentStatus } from './commitment';
import { type FigureCase, type FigureSelection, selectCases } from './declaration-figures';
import { figureCaseFacts, lateStepOn } from './figure-case-facts';
import { SITUATIONS } from './situations';

/**
 * The exact counts a declaration is published from, before any protection: what the cases of a
 * scope and period add up to on a day. The figures are printed from these counts alone
 * (publishFigures), so the tally can come from the cases (tallyFigureCases, the rules) or from SQL
 * aggregates over each case's stored figure facts (the declarations' statistics repository): both
 * must give the same tally, and a test holds them to it.
 */
export interface FigureTally {
  total: number;
  /** Distinct agents among the cases. */
  agents: number;
  /** Cases per known situation code, and how many (case, known situation) pairs there are. */
  situations: Readonly<Record<string, number>>;
  situationEntries: number;
  /** Cases per region, regions with cases only. */
  regions: ReadonlyMap<string, number>;
  /** Cases per site (folded spelling), in the order first met; only counted for a one-region scope. */
  sites: ReadonlyArray<{ key: string; label: string; value: number }>;
  /** Cases per compte-rendu outcome, and 'pending' for those without one. */
  outcomes: Readonly<Record<string, number>>;
  held: number;
  pressure: number;
  commitment: Readonly<Record<CommitmentStatus, number>>;
  preDisciplinary: number;
  /** Cases per kind of sanction notified (a case counts once per kind). */
  sanctionKinds: Readonly<Record<string, number>>;
  late: number;
  /**
   * Days from the last consultation to an interview held by today: how many cases have them, and
   * their median (a tally is kept between previews: the median, not the list).
   */
  delays: { count: number; median: number | null };
  oddOutside: number;
  oddWithin: number;
  /** Cases with at least one consultation counted in either. */
  oddContributing: number;
}

export const PENDING_OUTCOME = 'pending';

/** Held: its date has passed, or its tone or its compte rendu (even « none given ») is known. */
export function interviewHeld(c: Pick<FigureCase, 'interviewDate' | 'interviewTone' | 'reportOutcome'>, today: string): boolean {
  return (c.interviewDate !== null && c.interviewDate <= today) || c.interviewTone !== null || c.reportOutcome !== null;
}

const siteKeys = new Map<string, string>();

/** A region's cases name a few dozen sites: each spelling's key is worked out once. */
function siteKey(site: string): string {
  let key = siteKeys.get(site);
  if (key === undefined) {
    key = site.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');
    if (siteKeys.size > 10_000) siteKeys.clear();
    siteKeys.set(site, key);
  }
  return key;
}

/**
 * Spellings of sites, each with its count, in the order their first case comes: one row per
 * folded spelling, labelled as its first case spells it.
 */
export function foldSites(spellings: Iterable<{ site: string; count: number }>): FigureTally['sites'] {
  const sites = new Map<string, { key: string; label: string; value: number }>();
  for (const { site, count } of spellings) {
    const key = siteKey(site);
    const entry = sites.get(key) ?? { key, label: site.trim() || 'Site non renseigné', value: 0 };
    entry.value += count;
    sites.set(key, entry);
  }
  return [...sites.values()];
}

const has = (counts: object, key: string) => Object.hasOwn(counts, key);
const zeroes = (codes: readonly string[]): Record<string, number> => Object.fromEntries(codes.map((c) => [c, 0]));
export const OUTCOME_KEYS = [...REPORT_OUTCOMES.list.map((o) => o.code), PENDING_OUTCOME];
export const COMMITMENT_KEYS = ['breached', 'at_risk', 'respected'] as const satisfies readonly CommitmentStatus[];

/** The counts of the rules themselves, in one pass over the cases of the selection. */
export function tallyFigureCases(all: readonly FigureCase[], selection: FigureSelection, today: string): FigureTally {
  const cases = selectCases(all, selection);
  const situations = zeroes(SITUATIONS.map((s) => s.code));
  const outcomes = zeroes(OUTCOME_KEYS);
  const commitment = zeroes(COMMITMENT_KEYS) as Record<CommitmentStatus, number>;
  const sanctionKinds = zeroes(SANCTION_KINDS.map((k) => k.code));
  const regions = new Map<string, number>();
  const spellings = new Map<string, number>();
  const agents = new Set<number>();
  const oneRegion = selection.regions !== 'national' && selection.regions.length === 1;
  const tally = { situationEntries: 0, held: 0, pressure: 0, preDisciplinary: 0, late: 0, oddOutside: 0, oddWithin: 0, oddContributing: 0 };
  const delays: number[] = [];
  for (const c of cases) {
    agents.add(c.agentId);
    for (const code of c.situations) if (has(situations, code)) tally.situationEntries += 1;
    for (const code of new Set(c.situations)) if (has(situations, code)) situations[code]! += 1;
    regions.set(c.regionCode, (regions.get(c.regionCode) ?? 0) + 1);
    if (oneRegion) spellings.set(c.site, (spellings.get(c.site) ?? 0) + 1);
    const outcome = c.reportOutcome ?? PENDING_OUTCOME;
    if (has(outcomes, outcome)) outcomes[outcome]! += 1;
    if (interviewHeld(c, today)) tally.held += 1;
    if (c.interviewTone === 'pressure') tally.pressure += 1;
    if (has(commitment, c.commitmentStatus)) commitment[c.commitmentStatus] += 1;
    const facts = figureCaseFacts(c);
    if (facts.preDisciplinary) tally.preDisciplinary += 1;
    for (const kind of facts.sanctionKinds) if (has(sanctionKinds, kind)) sanctionKinds[kind]! += 1;
    if (lateStepOn(c, today)) tally.late += 1;
    if (c.interviewDate && c.interviewDate <= today && facts.delayDays !== null) delays.push(facts.delayDays);
    tally.oddOutside += facts.oddOutside;
    tally.oddWithin += facts.oddWithin;
    if (facts.oddContributes) tally.oddContributing += 1;
  }
  return {
    ...tally,
    total: cases.length,
    agents: agents.size,
    situations,
    regions,
    sites: foldSites([...spellings].map(([site, count]) => ({ site, count }))),
    outcomes,
    commitment,
    sanctionKinds,
    delays: delaysOf(countEach(delays)),
  };
}

function countEach(values: readonly number[]): Array<{ days: number; count: number }> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([days, count]) => ({ days, count }));
}

/** How many delays there are and their median, from how many cases have each delay (in any order). */
export function delaysOf(histogram: ReadonlyArray<{ days: number; count: number }>): FigureTally['delays'] {
  const sorted = [...histogram].sort((a, b) => a.days - b.days);
  const count = sorted.reduce((n, h) => n + h.count, 0);
  if (count === 0) return { count, median: null };
  // The values at ranks (count - 1) / 2 and count / 2, rounded down: the same one for an odd count.
  const at = (rank: number) => {
    let seen = 0;
    for (const h of sorted) {
      seen += h.count;
      if (rank < seen) return h.days;
    }
    throw new Error('rank beyond the delays');
  };
  const low = at(Math.floor((count - 1) / 2));
  const high = at(Math.floor(count / 2));
  return { count, median: low === high ? low : (low + high) / 2 };
}
