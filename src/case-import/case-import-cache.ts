import type { RowPlan } from './case-import.plan';
import type { CsvColumn } from '../cases/cases-csv';

/**
 * Dry runs parsed once, kept while their uploader pages through them. A 10 000-row dry run is over
 * 2 MB of JSON in case_imports, and the file's cells 3 MB more: parsing both on every view blocked
 * the event loop 30 to 40 ms. A dry run never changes once stored, only goes (chosen, abandoned,
 * replaced, expired, or deleted with an erased agent), so an entry is never stale, only gone: the
 * service reads the import's row on every view before using an entry, so nothing gone from the
 * table is served from here. Entries hold agents' names: bounded in rows, dropped as soon as the
 * service knows the upload went, and after IDLE_MS without a view whatever happened meanwhile.
 */

export interface DryRunAnalysis {
  columns: CsvColumn[];
  plans: RowPlan[];
  counts: Record<RowPlan['action'], number>;
  /** The plans of one kind, in file order. */
  of(action: RowPlan['action']): RowPlan[];
}

export interface DryRunCacheOptions {
  /** Rows held at most, all entries together (a 10 000-row dry run takes about 3.5 MB of heap). */
  maxRows?: number;
  idleMs?: number;
}

const MAX_ROWS = 40_000;
const IDLE_MS = 10 * 60_000;

export function analysisOf(columns: CsvColumn[], plans: RowPlan[]): DryRunAnalysis {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const plan of plans) counts[plan.action] += 1;
  const byAction = new Map<RowPlan['action'], RowPlan[]>();
  return {
    columns,
    plans,
    counts,
    of(action) {
      let list = byAction.get(action);
      if (!list) byAction.set(action, (list = plans.filter((p) => p.action === action)));
      return list;
    },
  };
}

export function createDryRunCache(options: DryRunCacheOptions = {}) {
  const maxRows = options.maxRows ?? MAX_ROWS;
  const idleMs = options.idleMs ?? IDLE_MS;
  /** In order of last use, oldest first. */
  const entries = new Map<string, { analysis: DryRunAnalysis; timer: NodeJS.Timeout }>();
  let rows = 0;

  function drop(id: string): void {
    const entry = entries.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    entries.delete(id);
    rows -= entry.analysis.plans.length;
  }

  function idleTimer(id: string): NodeJS.Timeout {
    // Never keeps the process alive for a cache.
    return setTimeout(() => drop(id), idleMs).unref();
  }

  return {
    get(id: string): DryRunAnalysis | undefined {
      const entry = entries.get(id);
      if (!entry) return undefined;
      clearTimeout(entry.timer);
      entries.delete(id);
      entries.set(id, { analysis: entry.analysis, timer: idleTimer(id) });
      return entry.analysis;
    },

    set(id: string, analysis: DryRunAnalysis): DryRunAnalysis {
      drop(id);
      if (analysis.plans.length > maxRows) return analysis;
      while (rows + analysis.plans.length > maxRows) drop(entries.keys().next().value!);
      entries.set(id, { analysis, timer: idleTimer(id) });
      rows += analysis.plans.length;
      return analysis;
    },

    delete: drop,

    clear(): void {
      for (const id of [...entries.keys()]) drop(id);
    },

    /** What is held (tests). */
    size: () => ({ entries: entries.size, rows }),
  };
}

export type DryRunCache = ReturnType<typeof createDryRunCache>;
