import type { CampaignFigure } from './campaign-metrics';
import { type CaseEvent, SANCTION_KINDS } from './case-events';
import { REPORT_OUTCOMES } from './case-vocabulary';
import { COMMITMENT_STATUS_LABELS, type CommitmentStatus, type InterviewTone, type ReportOutcome } from './commitment';
import type { EmploymentStatus } from './deadlines';
import { COMMITMENT_KEYS, type FigureTally, PENDING_OUTCOME, tallyFigureCases } from './figure-tally';
import type { WorkingPattern } from './off-hours';
import { SITUATIONS } from './situations';
import { type CellState, SMALL_COUNT_LIMIT, countDisplay, isSmall, protectCount, protectTable, withheldWhole } from './small-counts';
import { type Territory, territoryOf } from './territories';
import { type Coverage, type OfficialLine, coverageOf, coverageSentence, officialLines } from './official-figures';

export { type Coverage, type OfficialLine, officialFor } from './official-figures';

/**
 * The campaign's figures as a CSE declaration publishes them: computed from the cases the reps
 * follow, for a scope (regions) and a period, with the direction's own figures beside them, and
 * pseudonymised (no names, small counts withheld; see small-counts.ts). Everything published here
 * is safe to print: exact small counts never leave this module.
 */

/** One case, reduced to what the figures need. */
export interface FigureCase {
  agentId: number;
  /** The case's region, which is its agent's. */
  regionCode: string;
  /**
   * The agent's département, or null: with the region, it decides the clock consultations are
   * read in and the public holidays limits are counted with (territories.ts).
   */
  departmentCode: string | null;
  site: string;
  situations: readonly string[];
  knowledgeDate: string | null;
  convocationDate: string | null;
  interviewDate: string | null;
  /** Paris date the case was opened in Vigie: the union's own date, not the agent's clock. */
  openedOn: string;
  reportOutcome: ReportOutcome | null;
  interviewTone: InterviewTone | null;
  commitmentStatus: CommitmentStatus;
  employmentStatus: EmploymentStatus;
  /** Its disciplinary events (pre-disciplinary convocations, sanctions): the figures read no other. */
  events: readonly CaseEvent[];
  /** Flagged consultations, as UTC instants, read in the agent's own clock. */
  consultations: readonly string[];
  workingPattern: WorkingPattern | null;
}

/** The agent's clock and public holidays. */
export function territoryOfCase(c: Pick<FigureCase, 'regionCode' | 'departmentCode'>): Territory {
  return territoryOf(c.regionCode, c.departmentCode);
}

export interface FigureSelection {
  /** Region codes covered, or every region ('national'). */
  regions: readonly string[] | 'national';
  /** Inclusive calendar dates; null leaves that side open. */
  period: { from: string | null; to: string | null };
}

export interface PublishedCount {
  key: string;
  label: string;
  state: CellState;
  value: number | null;
  display: string;
}

export interface PublishedShare {
  /** Rounded percentage, or null when withheld. */
  percent: number | null;
  display: string;
  /** How many cases (or consultations) the share is computed over, as published. */
  base: string;
}

export interface DeclarationFigures {
  cases: PublishedCount;
  agents: PublishedCount;
  bySituation: PublishedCount[];
  byRegion: PublishedCount[];
  bySite: PublishedCount[];
  outcomes: PublishedCount[];
  shareLegitimate: PublishedShare;
  interviewsHeld: PublishedCount;
  pressure: PublishedCount;
  commitment: PublishedCount[];
  preDisciplinary: PublishedCount;
  sanctions: PublishedCount[];
  lateSteps: PublishedCount;
  medianDelay: { days: number | null; display: string; base: string };
  offHours: { outside: PublishedShare; within: PublishedShare };
  official: OfficialLine[];
  /** « Vigie suit 212 des 939 agents concernés selon la direction (23 %) », for the app's pages. */
  coverage: string | null;
  /** The same comparison in parts, for documents that phrase it their own way. */
  coverageParts: Coverage | null;
  /**
   * Regions of a several-region scope with 1 to 4 cases: that region's own declaration, or one for
   * the other regions, would let a reader work their count out by difference.
   */
  smallRegions: string[];
}

/** The date that places a case in a period: its interview, else its convocation, else when it was flagged or opened. */
export function referenceDate(c: Pick<FigureCase, 'interviewDate' | 'convocationDate' | 'knowledgeDate' | 'openedOn'>): string {
  return c.interviewDate ?? c.convocationDate ?? c.knowledgeDate ?? c.openedOn;
}

export function selectCases(cases: readonly FigureCase[], selection: FigureSelection): FigureCase[] {
  const { regions, period } = selection;
  return cases.filter((c) => {
    if (regions !== 'national' && !regions.includes(c.regionCode)) return false;
    const date = referenceDate(c);
    if (period.from && date < period.from) return false;
    if (period.to && date > period.to) return false;
    return true;
  });
}

const NUMBER = new Intl.NumberFormat('fr-FR');

type TableEntry = { key: string; label: string; value: number; hidden?: boolean; knownNonZero?: boolean; fixed?: boolean; secret?: boolean };

/** Protects a table of counts and returns its printed cells (hidden ones only weigh in the protection). */
function table(entries: TableEntry[], total: number, totalWithheld = false): PublishedCount[] {
  const protectedCells = protectTable(entries, total, totalWithheld);
  return entries.flatMap((e, i) => {
    const cell = protectedCells[i]!;
    return e.hidden ? [] : [{ key: e.key, label: e.label, state: cell.state, value: cell.value, display: countDisplay(cell) }];
  });
}

const WITHHELD_LIST: PublishedCount = { key: 'withheld', label: 'Détail non publié (effectifs trop faibles)', state: 'masked', value: null, display: 'n.c.' };

/**
 * A list whose rows are printed only when non-zero (sites, regions, sanction kinds). Rows of 1 to
 * 4 are pooled into one « others » row first, so no single small site or region is named; if the
 * list still cannot be protected, it is replaced by one line: masking its rows would not do, as
 * a listed row is known to hold at least 1.
 */
function list(entries: Array<{ key: string; label: string; value: number; secret?: boolean }>, total: number, others?: string, totalWithheld = false): PublishedCount[] {
  const rows = entries.filter((e) => e.value > 0);
  let pooled = rows;
  if (others) {
    const few = rows.filter((e) => isSmall(e.value));
    pooled = rows.filter((e) => !isSmall(e.value));
    if (few.length > 0) pooled.push({ key: 'others', label: others, value: few.reduce((n, e) => n + e.value, 0) });
  }
  const printed = table(pooled.map((e) => ({ ...e, knownNonZero: true })), total, totalWithheld);
  return withheldWhole(printed) ? [WITHHELD_LIST] : printed;
}

/** One printed count and the rest it leaves, which a reader gets by subtraction from the total. */
function counted(key: string, label: string, value: number, total: number, guard: { secret: boolean; totalWithheld: boolean }): PublishedCount {
  return table([{ key, label, value, secret: guard.secret }, { key: 'rest', label: '', value: total - value, hidden: true }], total, guard.totalWithheld)[0]!;
}

function single(key: string, label: string, value: number, withheld = false): PublishedCount {
  const count = withheld && value > 0 ? { state: 'masked' as const, value: null } : protectCount(value);
  return { key, label, ...count, display: countDisplay(count) };
}

/** A share is published only when neither its part nor the rest is withheld, over 5 cases or more. */
function share(part: PublishedCount, rest: PublishedCount, baseLabel: (n: string) => string): PublishedShare {
  if (part.state !== 'shown' || rest.state !== 'shown') return WITHHELD_SHARE;
  const base = part.value! + rest.value!;
  if (base < SMALL_COUNT_LIMIT) return WITHHELD_SHARE;
  const percent = Math.round((100 * part.value!) / base);
  return { percent, display: `${percent}\u00A0%`, base: baseLabel(NUMBER.format(base)) };
}

/** The figures of the rules: the cases' counts (figure-tally.ts), published. */
export function computeDeclarationFigures(input: {
  cases: readonly FigureCase[];
  selection: FigureSelection;
  official: readonly CampaignFigure[];
  regionNames: ReadonlyMap<string, string>;
  today: string;
  withhold?: ReadonlySet<string>;
}): DeclarationFigures {
  return publishFigures({ ...input, tally: tallyFigureCases(input.cases, input.selection, input.today) });
}

/** The printed, protected figures of a selection's counts, however they were counted. */
export function publishFigures(input: {
  tally: FigureTally;
  selection: FigureSelection;
  official: readonly CampaignFigure[];
  regionNames: ReadonlyMap<string, string>;
  /**
   * Counts withheld although they are not small, by their measure keys (published-cells.ts):
   * printed, they would give a small count away by difference with a declaration already
   * published (differencing.ts). The tables around them are protected so they cannot be
   * recovered either.
   */
  withhold?: ReadonlySet<string>;
}): DeclarationFigures {
  const { selection, tally } = input;
  const { total } = tally;
  const withheld = (measure: string) => input.withhold?.has(measure) ?? false;
  // The cases' total is every table's total: withheld, no table may add up to it.
  const totalWithheld = withheld('cases');
  const guard = (measure: string) => ({ secret: withheld(measure), totalWithheld });

  const bySituation = table(
    // Every situation is printed, even at 0: a row printed only when it occurs would be known non-zero.
    SITUATIONS.map((s) => ({ key: s.code, label: s.label, value: tally.situations[s.code] ?? 0, secret: withheld(`situation:${s.code}`) })),
    // Situations overlap: the reader we guard against would take the cells' sum for their total.
    tally.situationEntries,
  );

  // Chosen regions are all printed, even at 0; nationally, regions without cases are left out and
  // the small ones pooled.
  const { regions } = selection;
  const national = regions === 'national';
  const regionCounts =
    regions === 'national' || regions.length > 1
      ? (regions === 'national' ? [...tally.regions.keys()].sort() : regions).map((code) => ({
          key: code,
          label: input.regionNames.get(code) ?? code,
          value: tally.regions.get(code) ?? 0,
          secret: withheld(`region:${code}`),
        }))
      : [];
  const byRegion = national
    ? list(regionCounts, total, 'Autres régions (moins de 5 dossiers chacune)', totalWithheld)
    : regionCounts.length > 0
      ? table(regionCounts, total, totalWithheld)
      : [];
  const smallRegions = regionCounts.filter((r) => isSmall(r.value)).map((r) => r.label).sort();

  // Sites are only meaningful for one region's CSE; across regions the list would be endless.
  let bySite: PublishedCount[] = [];
  if (selection.regions !== 'national' && selection.regions.length === 1) {
    bySite = list(
      [...tally.sites].sort((a, b) => a.label.localeCompare(b.label, 'fr')).map((s) => ({ key: s.key, label: s.label, value: s.value, secret: withheld(`site:${s.key}`) })),
      total,
      'Autres sites (moins de 5 dossiers chacun)',
      totalWithheld,
    );
  }

  const outcomes = table(
    [
      ...REPORT_OUTCOMES.list.map((o) => ({ key: o.code, label: o.label, value: tally.outcomes[o.code] ?? 0, secret: withheld(`outcome:${o.code}`) })),
      { key: 'pending', label: 'Pas encore de compte rendu connu', value: tally.outcomes[PENDING_OUTCOME] ?? 0, secret: withheld('outcome:pending') },
    ],
    total,
    totalWithheld,
  );
  const outcome = (key: string) => outcomes.find((o) => o.key === key)!;

  // A count printed alone still leaves its rest to subtraction (interviews held without pressure,
  // cases without a sanction): the rest is protected with it.
  const interviewsHeld = counted('held', 'Entretiens tenus', tally.held, total, guard('held'));
  // Its rest is never printed, so a withheld held count cannot be added up from it: the reader is
  // still taken to know it, which protects pressure the most.
  const pressure = counted('pressure', 'Entretiens rapportés comme menés sous pression ou avec des menaces', tally.pressure, tally.held, {
    secret: withheld('pressure'),
    totalWithheld: false,
  });

  // « Breached » is the cases with a pre-disciplinary convocation or a sanction, both printed
  // below: a reader can work it out, so it is never the cell masked to hide another.
  const commitment = table(
    COMMITMENT_KEYS.map((code) => ({
      key: code,
      label: COMMITMENT_STATUS_LABELS[code],
      value: tally.commitment[code],
      fixed: code === 'breached',
      secret: withheld(`commitment:${code}`),
    })),
    total,
    totalWithheld,
  );

  const preDisciplinary = counted('pre_disciplinary', 'Dossiers avec une convocation à un entretien préalable à sanction', tally.preDisciplinary, total, guard('pre_disciplinary'));

  // Kinds nobody received are left out (« aucune sanction » is said once, by the text). Their
  // total, the cases sanctioned, can be read off the breaches: it is taken as known.
  const kinds = SANCTION_KINDS.map((k) => ({
    key: k.code,
    label: `Dossiers avec une sanction notifiée : ${k.label}`,
    value: tally.sanctionKinds[k.code] ?? 0,
    secret: withheld(`sanction:${k.code}`),
  }));
  const sanctions = kinds.some((k) => k.value > 0) ? list(kinds, kinds.reduce((n, k) => n + k.value, 0)) : [];

  // Clear misses only (DeadlineReport.lateSteps). A step that missed a limit ending on a Saturday,
  // Sunday or holiday by no more than the extension to the next working day (doubtfulSteps) is not
  // counted: whether that extension applies is not settled, and a published count carries no
  // caveat. Nor is a step that would be late only if an agent of unknown status is private-law.
  const lateSteps = counted(
    'late',
    'Dossiers (droit privé) où une étape disciplinaire semble hors des délais du Code du travail',
    // Private-law agents only (lateStepOn).
    tally.late,
    total,
    guard('late'),
  );

  // From the last consultation to an interview held by today, in the agent's own days (figure-case-facts.ts).
  const medianDays = tally.delays.count >= SMALL_COUNT_LIMIT ? tally.delays.median : null;
  const medianDelay = {
    days: medianDays === null ? null : Math.round(medianDays),
    display: medianDays === null ? 'non publié (moins de 5 dossiers renseignés)' : `${NUMBER.format(Math.round(medianDays))}\u00A0jours`,
    // The number of cases behind it is not printed: next to the total it would count the others.
    base: medianDays === null ? '' : 'sur les dossiers dont l’entretien et les consultations sont renseignés',
  };

  // The direction's « hors normes » only (a holiday alone is not one), in the agent's clock (figure-case-facts.ts).
  // The shares' base counts the consultations: withheld, both shares go with it.
  const offHours = withheld('odd_consultations') ? { outside: WITHHELD_SHARE, within: WITHHELD_SHARE } : offHoursShares(tally.oddOutside, tally.oddWithin, tally.oddContributing);

  const casesCount = single('cases', 'Dossiers suivis', total, totalWithheld);
  // Cases minus agents would count the agents flagged more than once: that rest is protected too.
  const agentsCount = counted('agents', 'Agents suivis', tally.agents, total, guard('agents'));
  const official = officialLines(input.official, selection);
  // The direction's totals are campaign-wide: set against a period's cases they would mislead.
  // With both our counts withheld there is nothing to set against them.
  const comparable = !(selection.period.from || selection.period.to) && !(casesCount.state === 'masked' && agentsCount.state === 'masked');
  const coverage = comparable ? coverageOf(input.official, selection, agentsCount, casesCount) : null;
  return {
    cases: casesCount,
    agents: agentsCount,
    bySituation,
    byRegion,
    bySite,
    outcomes,
    shareLegitimate: share(outcome('legitimate'), outcome('illegitimate'), (n) => `des ${n} comptes rendus qui concluent`),
    interviewsHeld,
    pressure,
    commitment,
    preDisciplinary,
    sanctions,
    lateSteps,
    medianDelay,
    offHours,
    official,
    coverage: coverageSentence(coverage),
    coverageParts: coverage,
    smallRegions,
  };
}

const WITHHELD_SHARE: PublishedShare = { percent: null, display: 'non publié (effectifs trop faibles)', base: '' };
const FEW_CASES_SHARE: PublishedShare = { percent: null, display: 'non publié (moins de 5 dossiers renseignés)', base: '' };

/**
 * Shares of the odd-hours consultations outside and within the agents' declared hours. Withheld
 * under 5 cases, or when either part counts 1 to 4 consultations: with the base, the share would
 * give that small count away.
 */
function offHoursShares(outside: number, within: number, cases: number): { outside: PublishedShare; within: PublishedShare } {
  const base = outside + within;
  if (cases < SMALL_COUNT_LIMIT) return { outside: FEW_CASES_SHARE, within: FEW_CASES_SHARE };
  if (isSmall(outside) || isSmall(within)) return { outside: WITHHELD_SHARE, within: WITHHELD_SHARE };
  const outsidePercent = Math.round((100 * outside) / base);
  const label = `sur ${NUMBER.format(base)} consultations « hors normes » d’agents dont les horaires sont connus`;
  // The two shares always add up to 100.
  return {
    outside: { percent: outsidePercent, display: `${outsidePercent}\u00A0%`, base: label },
    within: { percent: 100 - outsidePercent, display: `${100 - outsidePercent}\u00A0%`, base: label },
  };
}
