import { type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { CSV_COLUMNS } from '../cases/cases-csv';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { COMPUTED_COLUMNS, MAX_IMPORT_ROWS, REQUIRED_COLUMNS } from './case-import-file';
import type { RowPlan } from './case-import.plan';
import type { ImportRecord } from './case-import.repository';
import type { CaseImportService, ImportFilter } from './case-import.service';

/** The largest file accepted: 20 000 cases as the export writes them stay well below. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
const ROWS_PER_PAGE = 100;
/** Seconds between two reloads of a job's page while it runs (a meta refresh: the CSP allows no script). */
const REFRESH_SECONDS = 2;

/** Upload problems found while reading the request, for the route to show on the form. */
const uploadProblems = new WeakMap<Request, { status: number; message: string }>();

/**
 * Reads the import's multipart request (the one in the app) into memory, for signed-in users only,
 * before the CSRF check: that check reads `_csrf` from the body, which nothing else parses for
 * multipart. The form sends the token before the file, so the token is checked when the file
 * starts and a request without the session's token is refused before its file is kept. The
 * CSRF middleware then checks the token again, as for any form, before the route runs.
 */
export function caseImportUpload(csrf: { isRequestValid: (req: Request) => boolean; invalidTokenError: Error }): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send file names in UTF-8.
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 50 },
    fileFilter: (req, _file, accept) => {
      if (!csrf.isRequestValid(req)) return accept(csrf.invalidTokenError);
      accept(null, true);
    },
  }).single('fichier');
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        uploadProblems.set(
          req,
          err.code === 'LIMIT_FILE_SIZE'
            ? { status: 413, message: `Le fichier dépasse ${MAX_IMPORT_BYTES / 1024 / 1024} Mo : découpez-le en plusieurs fichiers.` }
            : { status: 400, message: 'Envoyez un seul fichier CSV, depuis ce formulaire.' },
        );
        return next();
      }
      next(err);
    });
  };
}

const filterParam = z.enum(['toutes', 'erreurs', 'creations', 'modifications', 'inchangees']).catch('toutes');
const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);
const modeField = z.enum(['tout', 'valides']);

const ACTION_LABELS: Record<RowPlan['action'], string> = {
  create: 'Création',
  update: 'Mise à jour',
  unchanged: 'Inchangé',
  error: 'Erreur',
};

export interface CaseImportRoutesDeps {
  caseImports: CaseImportService;
}

export function caseImportRoutes({ caseImports }: CaseImportRoutesDeps): Router {
  const router = Router();
  router.use('/dossiers/import', requireUser);

  function renderUpload(res: Response, locals: { error?: string } = {}, status = 200) {
    res.status(status).render('cases/import', {
      title: 'Importer des dossiers',
      maxRows: MAX_IMPORT_ROWS,
      maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024,
      uploadHours: caseImports.keep.uploadHours,
      requiredColumns: REQUIRED_COLUMNS.map((c) => CSV_COLUMNS[c]),
      computedColumns: COMPUTED_COLUMNS.map((c) => CSV_COLUMNS[c]),
      ...locals,
    });
  }

  async function ownImport(req: Request, res: Response): Promise<ImportRecord> {
    const record = await caseImports.find(currentUser(res), String(req.params.id));
    if (!record) throw notFound();
    return record;
  }

  router.get('/dossiers/import', (_req, res) => {
    renderUpload(res);
  });

  router.post('/dossiers/import', async (req, res) => {
    const problem = uploadProblems.get(req);
    if (problem) return renderUpload(res, { error: problem.message }, problem.status);
    if (!req.file) return renderUpload(res, { error: 'Choisissez le fichier CSV à importer.' }, 400);
    const result = await caseImports.analyse(currentUser(res), { name: req.file.originalname, buffer: req.file.buffer });
    if (!result.ok) return renderUpload(res, { error: result.error }, 400);
    res.redirect(303, `/dossiers/import/${result.id}`);
  });

  router.get('/dossiers/import/:id', async (req, res) => {
    const record = await ownImport(req, res);
    if (record.status !== 'analysed') return renderJob(res, record, req.query.auto !== 'non');
    await renderDryRun(req, res, record);
  });

  async function renderDryRun(req: Request, res: Response, record: ImportRecord, error?: string, status = 200) {
    const filter: ImportFilter = filterParam.parse(req.query.voir);
    const page = pageParam.parse(req.query.page);
    const dryRun = await caseImports.dryRun(currentUser(res), record.id, { filter, page, perPage: ROWS_PER_PAGE });
    if (!dryRun?.payload) throw notFound();
    const { counts, rows, pages, total } = dryRun.payload;
    const current = dryRun.payload.page;
    const href = (f: ImportFilter, p = 1) => `/dossiers/import/${record.id}?voir=${f}${p > 1 ? `&page=${p}` : ''}`;
    const valid = counts.create + counts.update + counts.unchanged;
    res.status(status).render('cases/import-dry-run', {
      title: 'Vérifier l’import',
      error,
      record,
      counts,
      valid,
      toWrite: counts.create + counts.update,
      canImportAll: counts.error === 0 && counts.create + counts.update > 0,
      canImportValid: counts.error > 0 && valid > 0,
      filters: (
        [
          ['toutes', 'Toutes les lignes', record.totalRows],
          ['erreurs', 'En erreur', counts.error],
          ['creations', 'Créations', counts.create],
          ['modifications', 'Mises à jour', counts.update],
          ['inchangees', 'Inchangées', counts.unchanged],
        ] as const
      ).map(([code, label, count]) => ({ code, label, count, href: href(code), active: code === filter })),
      total,
      rows: rows.map((r) => ({ ...r, actionLabel: ACTION_LABELS[r.action], isError: r.action === 'error' })),
      page: current,
      pages,
      prevHref: current > 1 ? href(filter, current - 1) : null,
      nextHref: current < pages ? href(filter, current + 1) : null,
    });
  }

  function renderJob(res: Response, record: ImportRecord, auto: boolean) {
    const running = record.status === 'checking' || record.status === 'running';
    const leftOut = record.jobErrors.filter((e) => e.leftOut);
    const refused = record.jobErrors.filter((e) => !e.leftOut);
    const listed = new Set(record.jobErrors.map((e) => e.line)).size;
    res.render('cases/import-job', {
      title: running ? 'Import en cours' : record.status === 'done' ? 'Import terminé' : 'Import arrêté',
      record,
      running,
      checking: record.status === 'checking',
      done: record.status === 'done',
      failed: record.status === 'failed',
      // A page reloading itself is hard to read with a screen reader: one link stops it (WCAG 2.2.1).
      refreshSeconds: running && auto ? REFRESH_SECONDS : undefined,
      auto,
      leftOut,
      refused,
      // A summary lists so many errors at most; its counts stay exact.
      unlisted: Math.max(0, record.skipped - listed),
      pageHref: `/dossiers/import/${record.id}`,
    });
  }

  router.post('/dossiers/import/:id/importer', async (req, res) => {
    const user = currentUser(res);
    const record = await ownImport(req, res);
    const mode = modeField.safeParse(req.body?.mode);
    if (!mode.success) throw notFound();
    const started = await caseImports.start(user, record.id, mode.data === 'tout' ? 'all' : 'valid');
    if (!started.ok) {
      if (started.reason === 'not-found') throw notFound();
      // A second click, or the page of another tab: the job's page tells where it is.
      if (started.reason === 'already-started') return res.redirect(303, `/dossiers/import/${record.id}`);
      const messages = {
        'has-errors': 'Rien n’a été importé : des lignes comportent des erreurs. Corrigez le fichier et déposez-le de nouveau, ou importez seulement les lignes valides.',
        'nothing-valid': 'Rien n’a été importé : aucune ligne n’est valide.',
        'nothing-to-write': 'Rien n’a été importé : ce fichier ne change aucun dossier.',
        busy: 'Rien n’a été importé : un autre de vos imports est en cours. Attendez qu’il se termine, puis recommencez.',
      };
      return renderDryRun(req, res, record, messages[started.reason], 409);
    }
    res.redirect(303, `/dossiers/import/${record.id}`);
  });

  router.post('/dossiers/import/:id/abandonner', async (req, res) => {
    const record = await ownImport(req, res);
    if (!(await caseImports.discard(currentUser(res), record.id))) return res.redirect(303, `/dossiers/import/${record.id}`);
    flash(req, 'info', 'Import abandonné : le fichier a été effacé, rien n’a été importé.');
    res.redirect(303, '/dossiers/import');
  });

  return router;
}
