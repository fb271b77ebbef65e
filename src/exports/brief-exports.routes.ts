/**
 * The briefs of a filtered case list as one ZIP (same query parameters and scope as the list and
 * its CSV export):
 *  - GET  /dossiers/argumentaires?<filtres>      what the archive will hold, and a button to prepare it;
 *  - POST /dossiers/argumentaires?<filtres>      starts the background job (a POST: it writes a file
 *                                                and the audit log), then its progress page;
 *  - GET  /dossiers/argumentaires/<job>          progress page, refreshed every 2 s by a meta tag
 *                                                (no script anywhere), then the download link;
 *  - GET  /dossiers/argumentaires/<job>.zip      the file, to the user who started the job only,
 *                                                deleted once downloaded;
 *  - GET  /dossiers/argumentaires.zip?<filtres>  the same archive streamed straight into the response,
 *                                                for short lists and scripts: no file on the server.
 *
 * These paths would match /dossiers/:id: this router is mounted before the cases' one.
 */
import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import type { Logger } from '../logger';
import { listHref, readListQuery } from '../cases/list-query';
import { parisToday } from '../domain/french-dates';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { formatNumber } from '../web/helpers/format-number';
import type { BriefExportsService } from './brief-exports.service';
import type { BriefBatch } from './briefs-zip';
import type { ExportJob } from './export-jobs';

/**
 * At most this many briefs in one archive: about two minutes of work and some 300 MB. A longer
 * list is narrowed with the list's filters first.
 */
export const MAX_BRIEFS_PER_EXPORT = 5000;
/** Under this, the confirmation page also offers the archive straight away (a few seconds). */
const DIRECT_DOWNLOAD_MAX = 100;
const REFRESH_SECONDS = 2;

const JOB_FILE = /^([0-9a-f]{32})(\.zip)?$/;

export function briefExportsRoutes(exports: BriefExportsService, logger: Logger): Router {
  const router = Router();
  const { jobs: exportJobs, now } = exports;

  /** The list's filters, the cases they select in the user's scope, and how the list reads them. */
  async function selection(req: Request, res: Response) {
    const user = currentUser(res);
    const { query, filters } = readListQuery(req.query, parisToday(now()));
    const count = await exports.count(user, filters);
    const base = { ...query, page: undefined, tri: undefined };
    return {
      user,
      query: base,
      filters,
      count,
      tooMany: count > MAX_BRIEFS_PER_EXPORT,
      listHref: listHref(base, {}),
      pageHref: listHref(base, {}, '/dossiers/argumentaires'),
      zipHref: listHref(base, {}, '/dossiers/argumentaires.zip'),
    };
  }

  function batchOf(sel: Awaited<ReturnType<typeof selection>>): Promise<BriefBatch> {
    return exports.batch(sel.user, sel.query, sel.filters);
  }

  const downloadName = () => `vigie-argumentaires-${DateTime.fromJSDate(now()).setZone('Europe/Paris').toFormat('yyyy-LL-dd-HH\'h\'mm')}.zip`;

  // ---- confirmation ----

  router.get('/dossiers/argumentaires', requireUser, async (req, res) => {
    const sel = await selection(req, res);
    res.render('exports/briefs-confirm', {
      title: 'Argumentaires des dossiers de la liste',
      count: sel.count,
      tooMany: sel.tooMany,
      max: MAX_BRIEFS_PER_EXPORT,
      listHref: sel.listHref,
      action: sel.pageHref,
      zipHref: sel.count > 0 && sel.count <= DIRECT_DOWNLOAD_MAX ? sel.zipHref : null,
    });
  });

  // ---- background job ----

  router.post('/dossiers/argumentaires', requireUser, async (req, res) => {
    const sel = await selection(req, res);
    // The job takes any list up to the maximum: it is where long lists go.
    if (sel.count === 0 || sel.tooMany) return res.redirect(303, sel.pageHref);
    const batch = await batchOf(sel);
    const started = exportJobs.start(
      { userId: sel.user.id, total: batch.caseIds.length, downloadName: downloadName(), returnHref: sel.listHref },
      async (out, progress, signal) => {
        try {
          await exports.write(batch, out, { signal, onProgress: (done) => progress(done) });
        } catch (err) {
          if (!signal.aborted) logger.error({ err, userId: sel.user.id, cases: batch.caseIds.length }, 'brief export failed');
          throw err;
        }
      },
    );
    if ('busy' in started) {
      if (started.busy === 'user') {
        flash(req, 'info', 'Un export d’argumentaires que vous avez lancé est en cours : attendez qu’il se termine avant d’en lancer un autre.');
        return res.redirect(303, `/dossiers/argumentaires/${started.job.id}`);
      }
      flash(req, 'error', 'D’autres exports sont en cours de préparation. Réessayez dans quelques minutes.');
      return res.redirect(303, sel.pageHref);
    }
    res.redirect(303, `/dossiers/argumentaires/${started.job.id}`);
  });

  router.get('/dossiers/argumentaires/:file', requireUser, async (req, res) => {
    const match = JOB_FILE.exec(String(req.params.file));
    const job = match ? exportJobs.find(match[1]!, currentUser(res).id) : undefined;
    if (!job) throw notFound();
    if (match![2]) return sendFile(req, res, job);
    const auto = req.query.auto !== 'non';
    const expiresAt = exportJobs.expiresAt(job);
    res.render('exports/briefs-progress', {
      title: job.state === 'ready' ? 'Argumentaires prêts' : job.state === 'failed' ? 'Échec de l’export' : 'Préparation des argumentaires',
      // A page refreshing itself every two seconds, with a way to stop it (reading with a screen reader).
      refreshSeconds: job.state === 'running' && auto ? REFRESH_SECONDS : undefined,
      job: {
        state: job.state,
        running: job.state === 'running',
        ready: job.state === 'ready',
        failed: job.state === 'failed',
        done: job.done,
        total: job.total,
        percent: job.total ? Math.floor((job.done / job.total) * 100) : 100,
        size: `${formatNumber(Math.round((job.size / (1024 * 1024)) * 10) / 10)} Mo`,
        expiresAt: expiresAt?.toISOString(),
      },
      auto,
      pageHref: `/dossiers/argumentaires/${job.id}`,
      downloadHref: `/dossiers/argumentaires/${job.id}.zip`,
      returnHref: job.returnHref,
      restartHref: job.returnHref.replace(/^\/dossiers/, '/dossiers/argumentaires'),
    });
  });

  /**
   * The finished file to its owner; deleted once it has gone out whole (kept for another try
   * otherwise). Ranges are not offered, so a download manager's partial request gets the whole file;
   * a HEAD request (a link preview) or a 304 sends no body and deletes nothing.
   */
  function sendFile(req: Request, res: Response, job: ExportJob) {
    if (job.state !== 'ready') return res.redirect(303, `/dossiers/argumentaires/${job.id}`);
    res.set('Content-Type', 'application/zip');
    res.set('Content-Disposition', `attachment; filename="${job.downloadName}"`);
    const options = { dotfiles: 'deny' as const, lastModified: false, cacheControl: false, acceptRanges: false };
    res.sendFile(job.file, options, (err) => {
      if (err) {
        if (!res.headersSent) res.status(404).end();
        return;
      }
      if (req.method !== 'GET' || res.statusCode !== 200) return;
      void exportJobs.remove(job).catch((error: unknown) => logger.error({ err: error }, 'export file not removed'));
    });
  }

  // ---- straight into the response ----

  router.get('/dossiers/argumentaires.zip', requireUser, async (req, res) => {
    const sel = await selection(req, res);
    // Straight into the response only for short lists: longer ones go through the job, which
    // limits how many run at once.
    if (sel.count === 0 || sel.tooMany || sel.count > DIRECT_DOWNLOAD_MAX) return res.redirect(303, sel.pageHref);
    const batch = await batchOf(sel);
    res.set('Content-Type', 'application/zip');
    res.set('Content-Disposition', `attachment; filename="${downloadName()}"`);
    // A download cancelled halfway stops the work at the next brief.
    const cancelled = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) cancelled.abort();
    });
    try {
      await exports.write(batch, res, { signal: cancelled.signal });
    } catch (err) {
      if (!cancelled.signal.aborted) logger.error({ err, userId: sel.user.id }, 'brief export failed');
      // Headers and part of the archive are gone: the client sees a cut download, never a page.
      res.destroy();
    }
  });

  return router;
}
