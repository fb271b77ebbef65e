import { frenchDate } from '../domain/french-dates';
import type { RetentionLimits, RetentionPeriods } from '../domain/retention';
import type { PurgeCounts } from './purge.service';

/** The purge's account in French, for the command line: counts per kind, never any content. */
export function purgeReport(counts: PurgeCounts, limits: RetentionLimits, periods: RetentionPeriods, mode: 'dry-run' | 'done'): string[] {
  const since = (instant: string) => frenchDate(instant.slice(0, 10));
  const c = counts.closedCases;
  return [
    mode === 'dry-run'
      ? 'Purge selon les durées de conservation — simulation (--dry-run), seraient effacés :'
      : 'Purge selon les durées de conservation — effacés :',
    `  Dossiers clos sans activité depuis le ${since(limits.closedCasesIdleBefore)} (CLOSED_CASE_RETENTION_DAYS = ${periods.closedCaseDays} jours) : ${c.cases} dossier(s),`,
    `    avec ${c.events} événement(s), ${c.consultations} consultation(s), ${c.briefVersions} version(s) d’argumentaire et ${c.linkedRequests} demande(s) d’origine`,
    `  Agents sans plus aucun dossier : ${c.agents}`,
    `  Demandes jamais transformées en dossier, sans activité depuis le ${since(limits.requestsIdleBefore)} (REQUEST_RETENTION_DAYS = ${periods.requestDays} jours) : ${counts.requests} demande(s), avec ${counts.requestMessages} message(s)`,
    `  Entrées du journal d’audit antérieures au ${since(limits.auditBefore)} (AUDIT_RETENTION_DAYS = ${periods.auditDays} jours) : ${counts.auditEntries}`,
  ];
}
