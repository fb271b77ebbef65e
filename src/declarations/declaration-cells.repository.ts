import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DeclarationFigures } from '../domain/declaration-figures';
import type { PriorCell } from '../domain/differencing';
import type { CellPeriod, PublishedCell } from '../domain/published-cells';
import { NATIONAL } from './declaration-draft';

/**
 * The cells each generated declaration made public (migration 2026-12-10-1004), read by the
 * differencing guard and written with the declaration. Raw statements: the table is this
 * feature's own, and its rows are turned into the domain's cells here.
 */

export interface CellsToStore {
  known: readonly PublishedCell[];
  withheld: ReadonlyArray<{ measure: string; regions: readonly string[]; period: CellPeriod }>;
}

/** A declaration generated before cells were stored: its cells are read from its figures. */
export interface LegacyDeclaration {
  id: number;
  regions: string[] | 'national';
  period: CellPeriod;
  figures: DeclarationFigures;
}

export interface PublishedRecord {
  cells: PriorCell[];
  legacy: LegacyDeclaration[];
}

interface CellRow {
  declarationId: number;
  measure: string;
  regions: string;
  periodFrom: string | null;
  periodTo: string | null;
  value: number;
}

type Executor = Pick<Kysely<Database>, 'executeQuery'>;

/** What the campaign's generated declarations made known, through `db` or a transaction. */
export async function readPublished(db: Executor, campaignId: number): Promise<PublishedRecord> {
  const { rows } = await db.executeQuery<CellRow>(
    CompiledQuery.raw(
      `select declaration_id, measure, regions, period_from, period_to, value from declaration_cells
        where campaign_id = ? and state <> 'withheld' order by declaration_id, id`,
      [campaignId],
    ),
  );
  const legacy = await db.executeQuery<{ id: number; scope: string; periodFrom: string | null; periodTo: string | null; figures: string }>(
    CompiledQuery.raw(
      `select d.id, d.scope, d.period_from, d.period_to, d.figures from declarations d
        where d.campaign_id = ? and not exists (select 1 from declaration_cells c where c.declaration_id = d.id) order by d.id`,
      [campaignId],
    ),
  );
  return {
    cells: rows.map((r) => ({
      declarationId: r.declarationId,
      measure: r.measure,
      regions: r.regions.split(','),
      period: { from: r.periodFrom, to: r.periodTo },
      value: r.value,
      sources: [],
    })),
    legacy: legacy.rows.map((d) => ({
      id: d.id,
      regions: d.scope === NATIONAL ? NATIONAL : d.scope.split(',').filter(Boolean),
      period: { from: d.periodFrom, to: d.periodTo },
      figures: JSON.parse(d.figures) as DeclarationFigures,
    })),
  };
}

export async function storeCells(db: Executor, declarationId: number, campaignId: number, cells: CellsToStore): Promise<void> {
  const rows = [
    ...cells.known.map((c) => [c.measure, c.regions, c.period, c.measure.includes('~') || c.sources.length > 1 ? 'derived' : 'printed', c.value] as const),
    ...cells.withheld.map((c) => [c.measure, c.regions, c.period, 'withheld', null] as const),
  ];
  // SQLite takes at most 32 766 parameters a statement: a national declaration stores a few hundred cells.
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.executeQuery(
      CompiledQuery.raw(
        `insert into declaration_cells (declaration_id, campaign_id, measure, regions, period_from, period_to, state, value) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap(([measure, regions, period, state, value]) => [declarationId, campaignId, measure, [...regions].join(','), period.from, period.to, state, value]),
      ),
    );
  }
}
