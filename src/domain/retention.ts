/**
 * How long Vigie keeps what it holds, as instants: a record whose last activity (or, for the
 * audit log, whose writing) is before its limit has outlived its purpose and is purged.
 */

export interface RetentionPeriods {
  /** Closed cases, from their last activity: the closure or anything done since. */
  closedCaseDays: number;
  /** Support requests never turned into a case, from their last activity. */
  requestDays: number;
  /** Audit log entries, from when they were written. */
  auditDays: number;
}

export interface RetentionLimits {
  closedCasesIdleBefore: string;
  requestsIdleBefore: string;
  auditBefore: string;
}

const DAY_MS = 86_400_000;

/** ISO instants, comparable with the stored ones (full UTC ISO strings). */
export function retentionLimits(now: Date, periods: RetentionPeriods): RetentionLimits {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return {
    closedCasesIdleBefore: before(periods.closedCaseDays),
    requestsIdleBefore: before(periods.requestDays),
    auditBefore: before(periods.auditDays),
  };
}
