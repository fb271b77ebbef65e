import { CompiledQuery } from 'kysely';
import type { DB } from '../db/database';
import { SANCTION_KINDS } from '../domain/case-events';
import { REPORT_OUTCOMES } from '../domain/case-vocabulary';
import type { CommitmentStatus } from '../domain/commitment';
import type { FigureSelection } from '../domain/declaration-figures';
import { COMMITMENT_KEYS, type FigureTally, PENDING_OUTCOME, delaysOf, foldSites } from '../domain/figure-tally';
import { SITUATIONS } from '../domain/situations';

/**
 * A selection's counts (FigureTally) added up by SQLite from the figure facts each case stores
 * with its assessment (StoredFigureFacts): a few aggregates over the campaign's cases instead of
 * reading them all with their consultations and events and judging each again. The counts are
 * those of tallyFigureCases, clause for clause (test/http/declaration-tally.test.ts holds them to
 * it); when a case of the selection has no stored facts yet (added before they existed, not yet
 * assessed again) or awaits re-assessment under new rules, there is no tally: the caller counts
 * from the cases.
 */

/** Codes are the domain's own constants, written into the statements: checked, to be sure. */
function literal(code: string): string {
  if (!/^[a-z_]+$/.test(code)) throw new Error(`unexpected code in a figures statement: ${code}`);
  return `'${code}'`;
}

/** A code as a list column holds it (« ,odd_hours, »), written whole: no concatenation per case. */
const listed = (code: string) => `',${literal(code).slice(1, -1)},'`;

/** FigureCase.openedOn's stand-in, and referenceDate's. */
const REFERENCE_DATE = 'coalesce(c.interview_date, c.convocation_date, c.knowledge_date, c.figure_opened_on)';

/** The selection's cases (those with stored facts: the only ones once none is waiting, and those cases_figures_idx holds). */
function where(campaignId: number, selection: FigureSelection): { sql: string; params: unknown[] } {
  const clauses = ['c.campaign_id = ?', 'c.figure_opened_on is not null'];
  const params: unknown[] = [campaignId];
  if (selection.regions !== 'national') {
    clauses.push(`c.region_code in (${selection.regions.map(() => '?').join(', ')})`);
    params.push(...selection.regions);
  }
  const { from, to } = selection.period;
  if (from) {
    clauses.push(`${REFERENCE_DATE} >= ?`);
    params.push(from);
  }
  if (to) {
    clauses.push(`${REFERENCE_DATE} <= ?`);
    params.push(to);
  }
  return { sql: clauses.join(' and '), params };
}

const OUTCOMES = REPORT_OUTCOMES.list.map((o) => o.code);

/** Per region: the counts that are sums over cases (aliases without underscores: the result's keys are camel-cased). */
const PER_REGION = [
  'count(*) as cases',
  ...OUTCOMES.map((code, i) => `count(*) filter (where c.report_outcome = ${literal(code)}) as outcome${i}`),
  'count(*) filter (where c.report_outcome is null) as pending',
  // interviewHeld, with today as the statement's first parameter.
  'count(*) filter (where (c.interview_date is not null and c.interview_date <= ?) or c.interview_tone is not null or c.report_outcome is not null) as held',
  "count(*) filter (where c.interview_tone = 'pressure') as pressure",
  ...COMMITMENT_KEYS.map((code, i) => `count(*) filter (where c.commitment_status = ${literal(code)}) as commitment${i}`),
  'count(*) filter (where c.figure_pre_disciplinary = 1) as predisciplinary',
  'count(*) filter (where c.figure_late = 1) as late',
  ...SANCTION_KINDS.map((k, i) => `count(*) filter (where c.figure_sanction_kinds <> '' and instr(c.figure_sanction_kinds, ${listed(k.code)}) > 0) as kind${i}`),
  'coalesce(sum(c.figure_odd_outside), 0) as oddoutside',
  'coalesce(sum(c.figure_odd_within), 0) as oddwithin',
  'count(*) filter (where c.figure_odd_outside + c.figure_odd_within > 0) as oddcontributing',
].join(',\n  ');

/** A region's code and its counts, by alias. */
interface RegionRow {
  region: string;
  [count: string]: string | number;
}

export function createFigureTallyRepository(db: DB) {
  return {
    /** The selection's counts on `today`, or undefined when a case of it has no stored figure facts to add up. */
    async figureTally(campaignId: number, selection: FigureSelection, today: string): Promise<FigureTally | undefined> {
      if (selection.regions !== 'national' && selection.regions.length === 0) return undefined;
      const scope = where(campaignId, selection);
      // One connection held for every statement: no write of the app comes between two of them.
      return db.connection().execute(async (conn) => {
        const run = async <R>(sql: string, params: unknown[]) => (await conn.executeQuery<R>(CompiledQuery.raw(sql, params))).rows;
        // Any case of the campaign waiting (cases_figures_pending_idx), in the selection or not: counted from the cases.
        const [waiting] = await run<{ waiting: number }>(
          `select exists (select 1 from cases c where c.campaign_id = ? and (c.figure_opened_on is null or c.assessed_on = '')) as waiting`,
          [campaignId],
        );
        if (waiting?.waiting) return undefined;
        const perRegion = await run<RegionRow>(
          `select c.region_code as region, ${PER_REGION} from cases c where ${scope.sql} group by c.region_code order by c.region_code`,
          [today, ...scope.params],
        );
        const [{ agents }] = (await run<{ agents: number }>(`select count(distinct c.agent_id) as agents from cases c where ${scope.sql}`, scope.params)) as [{ agents: number }];
        const situationRows = await run<{ code: string; n: number }>(
          `select s.situation_code as code, count(*) as n from cases c join case_situations s on s.case_id = c.id where ${scope.sql} group by s.situation_code`,
          scope.params,
        );
        // As many rows as distinct delays. The unary + keeps SQLite on the figures' index, not the interview dates'.
        const delays = await run<{ days: number; count: number }>(
          `select c.figure_delay_days as days, count(*) as count from cases c where ${scope.sql} and +c.interview_date <= ? and c.figure_delay_days is not null group by c.figure_delay_days`,
          [...scope.params, today],
        );
        // Sites are only counted for one region (publishFigures), in the order their first case comes.
        const oneRegion = selection.regions !== 'national' && selection.regions.length === 1;
        const spellings = oneRegion
          ? await run<{ site: string; count: number }>(
              `select c.figure_site as site, count(*) as count, min(c.id) as first from cases c where ${scope.sql} group by c.figure_site order by first`,
              scope.params,
            )
          : [];
        return toTally(perRegion, agents, situationRows, delaysOf(delays), foldSites(spellings));
      });
    },
  };
}

function toTally(perRegion: RegionRow[], agents: number, situationRows: Array<{ code: string; n: number }>, delays: FigureTally['delays'], sites: FigureTally['sites']): FigureTally {
  const sum = (key: string) => perRegion.reduce((n, r) => n + Number(r[key]), 0);
  // A case names each situation once (case_situations' key): the pairs are the counts' sum.
  const situations = Object.fromEntries(SITUATIONS.map((s) => [s.code, situationRows.find((r) => r.code === s.code)?.n ?? 0]));
  return {
    total: sum('cases'),
    agents,
    situations,
    situationEntries: Object.values(situations).reduce((n, v) => n + v, 0),
    regions: new Map(perRegion.map((r) => [r.region, Number(r.cases)])),
    sites,
    outcomes: Object.fromEntries([...OUTCOMES.map((code, i) => [code, sum(`outcome${i}`)]), [PENDING_OUTCOME, sum('pending')]]),
    held: sum('held'),
    pressure: sum('pressure'),
    commitment: Object.fromEntries(COMMITMENT_KEYS.map((code, i) => [code, sum(`commitment${i}`)])) as Record<CommitmentStatus, number>,
    preDisciplinary: sum('predisciplinary'),
    sanctionKinds: Object.fromEntries(SANCTION_KINDS.map((k, i) => [k.code, sum(`kind${i}`)])),
    late: sum('late'),
    delays,
    oddOutside: sum('oddoutside'),
    oddWithin: sum('oddwithin'),
    oddContributing: sum('oddcontributing'),
  };
}

export type FigureTallyRepository = ReturnType<typeof createFigureTallyRepository>;
