import { DateTime } from 'luxon';
import { z } from 'zod';
import { SITUATION_CODES } from '../domain/situations';
import type { CaseFilters, CaseSort } from './cases.repository';

/**
 * The list's query string (French parameter names, as they appear in links), read leniently:
 * a value that makes no sense is dropped rather than refused, so a shared link never breaks.
 */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const querySchema = z.object({
  q: lenient(z.string().trim().transform((v) => v.slice(0, 100))),
  campagne: lenient(z.coerce.number().int().positive()),
  region: lenient(z.string().regex(/^[A-Z]{3}$/)),
  site: lenient(z.string().trim().max(120)),
  situation: lenient(z.enum(SITUATION_CODES)),
  engagement: lenient(z.enum(['respected', 'at_risk', 'breached'])),
  rep: lenient(z.union([z.literal('aucun'), z.coerce.number().int().positive()])),
  etat: lenient(z.enum(['ouverts', 'clos', 'tous'])),
  echeance: lenient(z.coerce.number().int().min(1).max(366)),
  entretiens: lenient(z.enum(['semaine'])),
  tri: lenient(z.enum(['recent', 'nom', 'echeance', 'entretien'])),
  page: lenient(z.coerce.number().int().min(1).max(100_000)),
});

export type ListQuery = z.output<typeof querySchema>;

const SORTS: Record<string, CaseSort> = { recent: 'recent', nom: 'name', echeance: 'deadline', entretien: 'interview' };

export function readListQuery(raw: unknown, today: string) {
  const query = querySchema.parse(raw ?? {});
  const filters: CaseFilters = {
    q: query.q || undefined,
    campaignId: query.campagne,
    region: query.region,
    site: query.site || undefined,
    situation: query.situation,
    commitment: query.engagement,
    rep: query.rep === 'aucun' ? 'none' : query.rep,
    status: query.etat === 'ouverts' ? 'open' : query.etat === 'clos' ? 'closed' : undefined,
  };
  if (query.echeance) {
    filters.deadlineFrom = today;
    filters.deadlineTo = DateTime.fromISO(today).plus({ days: query.echeance }).toISODate()!;
  }
  if (query.entretiens === 'semaine') {
    const day = DateTime.fromISO(today);
    filters.interviewFrom = day.startOf('week').toISODate()!;
    filters.interviewTo = day.endOf('week').toISODate()!;
  }
  return { query, filters, sort: SORTS[query.tri ?? 'recent'] ?? 'recent', page: query.page ?? 1 };
}

/** Builds a list link from the current query with some parameters changed (undefined removes one). */
export function listHref(query: ListQuery, changes: Partial<Record<keyof ListQuery, string | number | undefined>>, path = '/dossiers'): string {
  const params = new URLSearchParams();
  const merged: Record<string, unknown> = { ...query, ...changes };
  for (const [key, value] of Object.entries(merged)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
