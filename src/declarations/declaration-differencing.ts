import type { CampaignFigure } from '../domain/campaign-metrics';
import { type DeclarationFigures, type FigureSelection, publishFigures } from '../domain/declaration-figures';
import { type PriorCell, revelations, settleWithholding } from '../domain/differencing';
import type { FigureTally } from '../domain/figure-tally';
import { type PublishedCell, publishedCells, withheldCells, withheldLabels } from '../domain/published-cells';
import type { CellsToStore, PublishedRecord } from './declaration-cells.repository';

/**
 * A declaration's figures with the differencing guard applied: counts that, set against the
 * declarations already published on the campaign, would give a small count away are withheld
 * (domain/differencing.ts), and the rep is told which.
 */

export interface Differencing {
  /** The printed counts withheld for it, as the figures name them. */
  labels: string[];
  /** How many published declarations they would have been read against. */
  declarations: number;
}

/** Every known cell of the campaign's published declarations, older ones read from their figures. */
export function priorCells(record: PublishedRecord, regionCodes: readonly string[]): PriorCell[] {
  return [
    ...record.cells,
    ...record.legacy.flatMap((d) =>
      publishedCells(d.figures, { regions: d.regions, period: d.period }, regionCodes, null).map((c) => ({ ...c, declarationId: d.id })),
    ),
  ];
}

export function guardedFigures(input: {
  tally: FigureTally;
  selection: FigureSelection;
  official: readonly CampaignFigure[];
  regionNames: ReadonlyMap<string, string>;
  prior: readonly PriorCell[];
}): { figures: DeclarationFigures; differencing: Differencing | null; cells: CellsToStore } {
  const regionCodes = [...input.regionNames.keys()];
  const { tally, selection } = input;
  const publish = (withhold: ReadonlySet<string>) => publishFigures({ tally, selection, official: input.official, regionNames: input.regionNames, withhold });
  const cellsOf = (figures: DeclarationFigures) => publishedCells(figures, selection, regionCodes, tally.oddOutside + tally.oddWithin);
  const { withhold, revelations: found } = settleWithholding(input.prior, (w) => cellsOf(publish(w)));
  const figures = publish(withhold);
  const differencing =
    withhold.size === 0 ? null : { labels: withheldLabels(figures, withhold), declarations: new Set(found.flatMap((r) => r.declarationIds)).size };
  return { figures, differencing, cells: { known: cellsOf(figures), withheld: withheldCells(figures, selection, regionCodes) } };
}

/** Whether cells composed earlier still reveal nothing beside what is published now. */
export function stillSafe(known: readonly PublishedCell[], regionCodes: readonly string[]) {
  return (record: PublishedRecord) => revelations(priorCells(record, regionCodes), known).length === 0;
}
