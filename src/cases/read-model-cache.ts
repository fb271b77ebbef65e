/**
 * What a read model is computed from. A timeline event or a consultation changes the timeline,
 * and changes the stored assessments only when the commitment, status or next deadline moved:
 * dashboards and list counts stay cached through the rest, while the declaration figures,
 * which count events, are dropped.
 */
export type CaseData = 'cases' | 'assessments' | 'timeline';

export const ALL_CASE_DATA: readonly CaseData[] = ['cases', 'assessments', 'timeline'];

interface Entry {
  reads: readonly CaseData[];
  value: Promise<unknown>;
}

/**
 * Remembers computed read models (dashboard figures, list counts) until the data they were
 * computed from changes. Vigie runs as one process over its embedded database and every case
 * write goes through the cases service, which says what it changed: a stale entry is never served.
 */
export class ReadModelCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 500) {}

  /** Drops every entry computed from any of these. */
  invalidate(changed: readonly CaseData[] = ALL_CASE_DATA): void {
    for (const [key, entry] of this.entries) {
      if (entry.reads.some((data) => changed.includes(data))) this.entries.delete(key);
    }
  }

  get<T>(key: string, reads: readonly CaseData[], compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit.value as Promise<T>;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = compute();
    const entry: Entry = { reads, value };
    this.entries.set(key, entry);
    // A failed computation is not remembered (unless it was already replaced).
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
