/**
 * The briefs of a filtered case list as one ZIP: which cases a list's filters select in the user's
 * scope, the archive written from them (briefs-zip.ts, with its audit entries), and the background
 * jobs long lists go through (export-jobs.ts). What the export routes are given, and all they reach.
 */
import type { Writable } from 'node:stream';
import { scopeOf, type Scope } from '../access/scope';
import type { User } from '../access/user';
import type { AuditLog } from '../audit/audit.repository';
import type { BriefsService } from '../briefs/briefs.service';
import type { ListQuery, readListQuery } from '../cases/list-query';
import type { DocumentModel } from '../documents/model';
import { COMMITMENT_STATUS_LABELS } from '../domain/commitment';
import { situationLabel } from '../domain/situations';
import { type BriefBatch, createBriefsZipWriter } from './briefs-zip';
import type { ExportJobs } from './export-jobs';

/** The case list's filters, as the list reads them from its query string. */
type Filters = ReturnType<typeof readListQuery>['filters'];

/** The case-list queries an export reads, under the list's filters (src/cases). */
export interface ExportedCases {
  count(scope: Scope, filters: Filters): Promise<number>;
  /** The cases in the list's export order (oldest first). */
  exportRows(scope: Scope, filters: Filters): Promise<ReadonlyArray<{ id: number }>>;
}

export interface BriefExportsDeps {
  briefs: BriefsService;
  cases: ExportedCases;
  /** Names the README gives the filters: a campaign's, a region's, a rep's. */
  names: {
    campaign(id: number): Promise<string | undefined>;
    region(code: string): Promise<string>;
    user(id: number): Promise<string | undefined>;
  };
  audit: AuditLog;
  jobs: ExportJobs;
  now: () => Date;
  /** Renders one PDF; by default in the process's worker threads (pdf-pool.ts). */
  render?: (model: DocumentModel) => Promise<Buffer>;
}

export function createBriefExportsService(deps: BriefExportsDeps) {
  const { cases, names, jobs, now } = deps;
  const writer = createBriefsZipWriter({ briefs: deps.briefs, audit: deps.audit, now, ...(deps.render ? { render: deps.render } : {}) });

  /** The filters in French for the README; a name searched for is not repeated there. */
  async function describeFilters(query: ListQuery): Promise<string[]> {
    const out: string[] = [];
    if (query.q) out.push('recherche sur le nom de l’agent');
    if (query.campagne) out.push(`campagne « ${(await names.campaign(query.campagne)) ?? query.campagne} »`);
    if (query.region) out.push(`région « ${await names.region(query.region)} »`);
    if (query.site) out.push(`site « ${query.site} »`);
    if (query.situation) out.push(`situation « ${situationLabel(query.situation)} »`);
    if (query.engagement) out.push(`engagement « ${COMMITMENT_STATUS_LABELS[query.engagement]} »`);
    if (query.rep === 'aucun') out.push('sans représentant·e');
    else if (query.rep) out.push(`suivis par ${(await names.user(query.rep)) ?? `le compte n° ${query.rep}`}`);
    if (query.etat) out.push({ ouverts: 'dossiers ouverts', clos: 'dossiers clos', tous: 'dossiers ouverts et clos' }[query.etat]);
    if (query.echeance) out.push(`échéance dans les ${query.echeance} jours`);
    if (query.entretiens) out.push('entretiens de la semaine');
    return out;
  }

  return {
    now,
    jobs,

    /** How many cases the list's filters select in the user's scope. */
    count(user: User, filters: Filters): Promise<number> {
      return cases.count(scopeOf(user), filters);
    },

    /** The same cases as the list under the same filters and scope, oldest case first, and the filters described. */
    async batch(user: User, query: ListQuery, filters: Filters): Promise<BriefBatch> {
      const ids = (await cases.exportRows(scopeOf(user), filters)).map((r) => r.id);
      return { user, caseIds: ids, filters: await describeFilters(query) };
    },

    /** Writes the archive into `out` (see briefs-zip.ts), recording the export in the audit log. */
    write(batch: BriefBatch, out: Writable, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}) {
      return writer.write(batch, out, options);
    },
  };
}

export type BriefExportsService = ReturnType<typeof createBriefExportsService>;
