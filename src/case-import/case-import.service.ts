import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditLog } from '../audit/audit.repository';
import { createAuditLog } from '../audit/audit.repository';
import type { CampaignsRepository } from '../campaigns/campaigns.repository';
import type { DB } from '../db/database';
import { parisToday } from '../domain/french-dates';
import type { Logger } from '../logger';
import type { RegionsRepository } from '../regions/regions.repository';
import type { UsersRepository } from '../users/users.repository';
import type { User } from '../access/user';
import { assignableReps } from '../cases/case-form';
import { analysisOf, createDryRunCache, type DryRunAnalysis } from './case-import-cache';
import { type FileRow, readCasesFile } from './case-import-file';
import { type ImportContext, type RowError, type RowPlan, type RowWrite, createRowPlanner } from './case-import.plan';
import { type ImportMode, type ImportRecord, createCaseImportRepository } from './case-import.repository';
import type { CsvColumn } from '../cases/cases-csv';
import { createCasesRepository, type CasesRepository } from '../cases/cases.repository';
import { type CasesService, createCasesService } from '../cases/cases.service';
import { scopeOf } from '../access/scope';

/**
 * CSV import of cases, in two steps. The upload is read and every row planned (a dry run: nothing
 * written but the upload itself, kept in case_imports for its uploader only, for `keep.uploadHours`).
 * The rep then imports every row (only when all are valid) or the valid ones: a background job in
 * this process writes them in chunks, each chunk one transaction with the job's progress in it,
 * yielding to the event loop between chunks so pages keep being served. Jobs live in the table, not
 * in memory: the job page reads its progress there, and a job stopped by a restart resumes at its
 * last committed chunk (server.ts calls resumeUnfinished).
 */

/**
 * A chunk (one transaction) ends after this long or this many rows, whichever comes first, and the
 * event loop then serves pages: how long a page may wait on an import, whatever the machine's speed.
 */
const SLICE_MS = 40;
const MAX_CHUNK_ROWS = 200;
/** Rows planned at once during a dry run or a check (reads only), between two looks at the clock. */
const PLAN_BATCH = 20;
/** Errors a summary lists at most: rows left out at the rep's choice, then rows the job could not write after all (the counts are always exact). */
const MAX_JOB_ERRORS = 1000;

export type ImportFilter = 'toutes' | 'erreurs' | 'creations' | 'modifications' | 'inchangees';

export interface CaseImportDeps {
  db: DB;
  cases: CasesRepository;
  casesService: CasesService;
  campaigns: CampaignsRepository;
  regions: RegionsRepository;
  users: UsersRepository;
  audit: AuditLog;
  now: () => Date;
  logger: Logger;
  /** How long an upload waits for the rep's choice, and a finished job's summary stays (config.caseImport). */
  keep: { uploadHours: number; summaryHours: number };
  /** Rows per write transaction at most (tests shrink it to stop a job between chunks). */
  maxChunkRows?: number;
}

export type StartRefusal = 'not-found' | 'has-errors' | 'nothing-valid' | 'nothing-to-write' | 'busy' | 'already-started';

export function createCaseImportService(deps: CaseImportDeps) {
  const { db, cases, casesService, campaigns, regions, users, audit, now, logger } = deps;
  const repository = createCaseImportRepository(db);
  const maxChunkRows = deps.maxChunkRows ?? MAX_CHUNK_ROWS;
  const dryRuns = createDryRunCache();
  /** Jobs this process is running, by id. */
  const active = new Map<string, Promise<void>>();
  let stopping = false;

  /** Yields to the event loop once SLICE_MS have passed since the last time. */
  function slicer() {
    let since = performance.now();
    return {
      elapsed: () => performance.now() - since > SLICE_MS,
      async pause() {
        if (performance.now() - since < SLICE_MS) return;
        await nextTurn();
        since = performance.now();
      },
    };
  }

  const hoursFromNow = (hours: number) => new Date(now().getTime() + hours * 3_600_000);

  /** What the case form would offer this user: their regions, the campaigns, the reps they may assign. */
  async function contextFor(user: User, columns: CsvColumn[]): Promise<ImportContext> {
    const [allRegions, campaignList, people] = await Promise.all([regions.list(), campaigns.list(), users.listAssignable()]);
    const scopeRegionCodes = user.role === 'admin' ? allRegions.map((r) => r.code) : allRegions.map((r) => r.code).filter((c) => user.regions.includes(c));
    return {
      user,
      scope: scopeOf(user),
      regions: allRegions,
      scopeRegionCodes,
      campaigns: campaignList,
      reps: assignableReps(people, scopeRegionCodes),
      columns,
      today: parisToday(now()),
    };
  }

  /** The import if it is this user's and still kept; undefined otherwise, so callers answer 404 either way. */
  async function owned(user: User, id: string): Promise<ImportRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
    const record = await repository.find(id);
    if (!record || record.userId !== user.id) return undefined;
    if (record.status !== 'checking' && record.status !== 'running' && record.expiresAt < now().toISOString()) return undefined;
    return record;
  }

  function launch(id: string): void {
    if (active.has(id) || stopping) return;
    const job = run(id)
      .catch((err) => logger.error({ err, import: id }, 'case import failed'))
      .finally(() => active.delete(id));
    active.set(id, job);
  }

  async function fail(id: string, failure: string, extra: { jobErrors?: Array<RowError & { line: number }> } = {}) {
    await repository.finish(id, { status: 'failed', failure, finishedAt: now().toISOString(), expiresAt: hoursFromNow(deps.keep.summaryHours).toISOString(), ...extra });
  }

  /**
   * A row's errors as the summary keeps them, a day after the job: row, column, and the message
   * without the cell's content (a dry run stored before `kept` existed gives a neutral one).
   */
  const rowErrors = (plan: RowPlan, extra: { leftOut?: true } = {}): Array<RowError & { line: number }> =>
    plan.errors.map((e) => ({ line: plan.line, column: e.column, message: e.kept ?? 'Valeur refusée.', ...extra }));

  /** An upload's dry run, parsed once while its uploader pages through it (the caller checked it is still there). */
  async function analysisFor(id: string): Promise<DryRunAnalysis | undefined> {
    const cached = dryRuns.get(id);
    if (cached) return cached;
    const stored = await repository.analysis(id);
    return stored && dryRuns.set(id, analysisOf(stored.columns, stored.plans));
  }

  async function run(id: string): Promise<void> {
    const record = await repository.find(id);
    if (!record || (record.status !== 'checking' && record.status !== 'running')) return;
    const payload = await repository.payload(id);
    const user = await users.findById(record.userId);
    if (!payload) return fail(id, 'Le fichier n’est plus disponible : importez-le de nouveau.');
    if (!user || user.status !== 'active') return fail(id, 'Le compte qui a lancé l’import n’est plus actif : rien de plus n’a été importé.');
    // « Tout importer » takes every row; « lignes valides » those the dry run found valid.
    const selected: FileRow[] = payload.rows.filter((_row, i) => record.mode === 'all' || payload.plans[i]!.action !== 'error');

    if (record.status === 'checking') {
      // Every row again, before anything is written: cases may have changed since the dry run.
      const planner = createRowPlanner(await contextFor(user, payload.columns));
      const errors: Array<RowError & { line: number }> = [];
      let invalid = 0;
      const slice = slicer();
      for (let i = 0; i < selected.length; i += PLAN_BATCH) {
        if (stopping) return;
        const results = await planner.planBatch(selected.slice(i, i + PLAN_BATCH), cases);
        for (const { plan } of results) {
          if (plan.action !== 'error') continue;
          invalid += 1;
          if (errors.length < MAX_JOB_ERRORS) errors.push(...rowErrors(plan));
        }
        if (slice.elapsed() || i + PLAN_BATCH >= selected.length) {
          await repository.progress(id, { checked: Math.min(i + PLAN_BATCH, selected.length) });
          await slice.pause();
        }
      }
      if (invalid > 0) {
        return fail(id, `${invalid} ligne${invalid > 1 ? 's ne sont' : ' n’est'} plus valide${invalid > 1 ? 's' : ''} depuis la vérification : rien n’a été importé.`, {
          jobErrors: errors,
        });
      }
      await repository.progress(id, { status: 'running' });
    }

    const planner = createRowPlanner(await contextFor(user, payload.columns));
    const totals = { processed: record.processed, created: record.created, updated: record.updated, unchanged: record.unchanged, skipped: record.skipped };
    let jobErrors = record.jobErrors;
    while (totals.processed < selected.length) {
      if (stopping) return;
      const next = { ...totals };
      const nextErrors = [...jobErrors];
      const first = selected[totals.processed]!.line;
      let last = first;
      try {
        await db.transaction().execute(async (trx) => {
          // The cases service itself, over this transaction: the same writes, audit and assessment as the form's.
          const trxCases = createCasesRepository(trx);
          const service = createCasesService({ cases: trxCases, audit: createAuditLog(trx, now), now });
          const started = performance.now();
          for (let taken = 0; taken < maxChunkRows && next.processed < selected.length && (taken === 0 || performance.now() - started < SLICE_MS); taken += 1) {
            const row = selected[next.processed]!;
            last = row.line;
            // Each row is planned again inside the transaction, against the cases as they are now.
            const [{ plan, write }] = (await planner.planBatch([row], trxCases)) as [{ plan: RowPlan; write?: RowWrite }];
            next.processed += 1;
            if (write?.kind === 'create') {
              await service.create(user, { agent: write.agent, case: write.case });
              next.created += 1;
            } else if (write?.kind === 'update') {
              await service.update(user, write.caseId, { agent: write.agent, case: write.case });
              next.updated += 1;
            } else if (plan.action === 'unchanged') {
              next.unchanged += 1;
            } else {
              next.skipped += 1;
              if (nextErrors.length < MAX_JOB_ERRORS) nextErrors.push(...rowErrors(plan));
            }
          }
          await repository.progress(id, { ...next, jobErrors: nextErrors }, trx);
        });
      } catch (err) {
        logger.error({ err, import: id, line: last }, 'case import chunk failed');
        casesService.invalidateReadModels();
        return fail(
          id,
          `L’import s’est arrêté sur une erreur inattendue entre les lignes ${first} et ${last} ; les dossiers des lignes précédentes sont enregistrés, les suivants ne le sont pas.`,
        );
      }
      Object.assign(totals, next);
      jobErrors = nextErrors;
      casesService.invalidateReadModels();
      await nextTurn();
    }
    await repository.finish(id, { status: 'done', finishedAt: now().toISOString(), expiresAt: hoursFromNow(deps.keep.summaryHours).toISOString() });
  }

  return {
    /** How long uploads and summaries are kept, for the pages that say so. */
    keep: deps.keep,

    /** Reads and plans an uploaded file; stores it for its uploader. Nothing else is written. */
    async analyse(user: User, file: { name: string; buffer: Buffer }): Promise<{ ok: true; id: string } | { ok: false; error: string }> {
      await repository.purgeExpired(now());
      const read = readCasesFile(file.buffer);
      if (!read.ok) return read;
      const planner = createRowPlanner(await contextFor(user, read.columns));
      const plans: RowPlan[] = [];
      const slice = slicer();
      for (let i = 0; i < read.rows.length; i += PLAN_BATCH) {
        for (const { plan } of await planner.planBatch(read.rows.slice(i, i + PLAN_BATCH), cases)) plans.push(plan);
        await slice.pause();
      }
      const id = randomBytes(16).toString('base64url');
      // One upload waits per rep: a new one replaces it.
      for (const replaced of await repository.deleteWaiting(user.id)) dryRuns.delete(replaced);
      await repository.insert({
        id,
        userId: user.id,
        fileName: file.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'fichier.csv',
        payload: { columns: read.columns, rows: read.rows, plans },
        errorRows: plans.filter((p) => p.action === 'error').length,
        now: now(),
        expiresAt: hoursFromNow(deps.keep.uploadHours),
      });
      // The uploader is sent to its first page right away.
      dryRuns.set(id, analysisOf(read.columns, plans));
      return { ok: true, id };
    },

    find: owned,

    /** The dry run of an upload, one page of rows at a time. */
    async dryRun(user: User, id: string, options: { filter: ImportFilter; page: number; perPage: number }) {
      const record = await owned(user, id);
      if (!record || record.status !== 'analysed') dryRuns.delete(id);
      if (!record) return undefined;
      const analysis = record.status === 'analysed' ? await analysisFor(id) : undefined;
      if (!analysis) return { record, payload: undefined };
      const wanted: Record<ImportFilter, RowPlan['action'] | undefined> = {
        toutes: undefined,
        erreurs: 'error',
        creations: 'create',
        modifications: 'update',
        inchangees: 'unchanged',
      };
      const action = wanted[options.filter];
      const rows = action ? analysis.of(action) : analysis.plans;
      const pages = Math.max(1, Math.ceil(rows.length / options.perPage));
      const page = Math.min(Math.max(1, options.page), pages);
      return {
        record,
        payload: {
          columns: analysis.columns,
          counts: { ...analysis.counts },
          total: rows.length,
          rows: rows.slice((page - 1) * options.perPage, page * options.perPage),
          page,
          pages,
        },
      };
    },

    /** The rep's choice: every row (all valid) or the valid ones. Starts the job in the background. */
    async start(user: User, id: string, mode: ImportMode): Promise<{ ok: true } | { ok: false; reason: StartRefusal }> {
      const record = await owned(user, id);
      if (!record) return { ok: false, reason: 'not-found' };
      if (record.status !== 'analysed') return { ok: false, reason: 'already-started' };
      if (mode === 'all' && record.errorRows > 0) return { ok: false, reason: 'has-errors' };
      const toProcess = mode === 'all' ? record.totalRows : record.totalRows - record.errorRows;
      if (toProcess === 0) return { ok: false, reason: 'nothing-valid' };
      const analysis = await analysisFor(id);
      if (!analysis) return { ok: false, reason: 'not-found' };
      if (analysis.counts.create + analysis.counts.update === 0) return { ok: false, reason: 'nothing-to-write' };
      if (await repository.runningOf(user.id)) return { ok: false, reason: 'busy' };
      // The rows left out are the summary's from the start: the dry run's page goes with the choice.
      const leftOut = mode === 'valid' ? analysis.of('error') : [];
      const started = await repository.start(id, {
        mode,
        status: mode === 'all' ? 'checking' : 'running',
        toProcess,
        now: now(),
        ...(mode === 'valid' ? { skipped: leftOut.length, jobErrors: leftOut.flatMap((p) => rowErrors(p, { leftOut: true })).slice(0, MAX_JOB_ERRORS) } : {}),
      });
      if (!started) return { ok: false, reason: 'already-started' };
      dryRuns.delete(id);
      await audit.record({ actorUserId: user.id, action: 'create', entityType: 'case_import', entityId: id });
      launch(id);
      return { ok: true };
    },

    /** Drops an upload the rep decided not to import. */
    async discard(user: User, id: string): Promise<boolean> {
      const record = await owned(user, id);
      if (!record || record.status !== 'analysed') return false;
      await repository.delete(id);
      dryRuns.delete(id);
      return true;
    },

    /** Uploads nobody imported and summaries past their time: their rows go (secure_delete overwrites them). */
    purgeExpired: () => repository.purgeExpired(now()),

    /** Jobs a stop interrupted: each goes on from its last committed chunk. */
    async resumeUnfinished(): Promise<number> {
      const ids = await repository.unfinished();
      for (const id of ids) launch(id);
      return ids.length;
    },

    /** Waiting uploads were erased with an agent's data: none of their rows stays in memory either. */
    forgetWaiting(): void {
      dryRuns.clear();
    },

    /** Lets running jobs finish their chunk and stop (a graceful stop; they resume at the next start). */
    async stop(): Promise<void> {
      stopping = true;
      dryRuns.clear();
      await Promise.all(active.values());
    },

    /** Resolves when no job runs in this process (tests). */
    async settled(): Promise<void> {
      while (active.size > 0) await Promise.all(active.values());
    },

    isRunningHere: (id: string) => active.has(id),
  };
}

export type CaseImportService = ReturnType<typeof createCaseImportService>;
