/**
 * One agent's data (GDPR rights of access and erasure):
 *  - GET  /agents/:id                what Vigie holds about the agent, in counts, with the exports;
 *  - GET  /agents/:id/donnees.json   everything, field by field;
 *  - GET  /agents/:id/donnees.pdf    the same as a readable summary;
 *  - GET  /agents/:id/effacement     administrators: what the erasure removes, and its confirmation;
 *  - POST /agents/:id/effacement     administrators: erases it, once the agent's name is typed.
 * A user who may not see every record of the agent gets 404, as if the agent did not exist.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import type { Region } from '../regions/regions.repository';
import { sendDocument } from '../web/send-document';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireAdmin, requireUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import type { AgentOverview, AgentsService } from './agents.service';
import type { ErasedCounts } from './agents.repository';
import { erasureSchema } from './agents.schemas';

export interface AgentsRoutesDeps {
  agents: AgentsService;
  regions: { list(): Promise<Region[]> };
  logger: Logger;
}

export function agentsRoutes({ agents, regions, logger }: AgentsRoutesDeps): Router {
  const router = Router();
  router.use('/agents', requireUser);

  function agentId(req: Request): number {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw notFound();
    return id.data;
  }

  async function pageModel(overview: AgentOverview) {
    const regionList = await regions.list();
    return {
      agentId: overview.footprint.agentId,
      agentName: overview.footprint.fullName,
      regionNames: overview.footprint.regions.map((code) => regionList.find((r) => r.code === code)?.name ?? code).join(', '),
      counts: overview.counts,
      cases: overview.cases,
      requests: overview.requests,
      sharedRequests: overview.requests.filter((r) => overview.footprint.sharedRequestIds.includes(r.id)),
      auditEntries: overview.auditEntries,
    };
  }

  router.get('/agents/:id', async (req, res) => {
    const overview = await agents.overview(currentUser(res), agentId(req));
    if (!overview) throw notFound();
    res.render('agents/show', {
      title: `Données de l’agent ${overview.footprint.fullName}`,
      ...(await pageModel(overview)),
      mayErase: currentUser(res).role === 'admin',
    });
  });

  router.get('/agents/:id/donnees.json', async (req, res) => {
    const id = agentId(req);
    const data = await agents.exportJson(currentUser(res), id);
    if (!data) throw notFound();
    res.set('Content-Type', 'application/json; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="donnees-agent-${id}.json"`);
    res.send(JSON.stringify(data, null, 2));
  });

  router.get('/agents/:id/donnees.pdf', async (req, res) => {
    const doc = await agents.exportDocument(currentUser(res), agentId(req));
    if (!doc) throw notFound();
    await sendDocument(res, doc, 'pdf');
  });

  async function renderErasure(res: Response, overview: AgentOverview, form: { values: Record<string, unknown>; errors: Record<string, string>; changed?: boolean; importRunning?: boolean }, status = 200) {
    res.status(status).render('agents/erase', {
      title: `Effacer les données de ${overview.footprint.fullName}`,
      ...(await pageModel(overview)),
      caseIds: overview.footprint.caseIds.join(','),
      requestIds: overview.footprint.requestIds.join(','),
      form,
    });
  }

  router.get('/agents/:id/effacement', requireAdmin, async (req, res) => {
    const overview = await agents.erasurePreview(currentUser(res), agentId(req));
    if (!overview) throw notFound();
    await renderErasure(res, overview, { values: {}, errors: {} });
  });

  router.post('/agents/:id/effacement', requireAdmin, async (req, res) => {
    const id = agentId(req);
    const user = currentUser(res);
    /** The confirmation page again, nothing erased; the typed name is not shown back. */
    const again = async (errors: Record<string, string>, status: number, refusal: { changed?: boolean; importRunning?: boolean } = {}) => {
      const overview = await agents.erasurePreview(user, id);
      if (!overview) throw notFound();
      await renderErasure(res, overview, { values: {}, errors, ...refusal }, status);
    };
    const form = parseForm(erasureSchema, req.body);
    if (!form.ok) return again(form.errors, 400);
    const outcome = await agents.erase(user, id, form.data);
    if (!outcome) throw notFound();
    if (!outcome.ok) {
      if (outcome.reason === 'changed') return again({}, 409, { changed: true });
      if (outcome.reason === 'import-running') return again({}, 409, { importRunning: true });
      return again({ confirmName: 'Le nom saisi n’est pas celui de l’agent : rien n’a été effacé.' }, 400);
    }
    flash(req, 'success', erasedMessage(outcome.counts));
    if (!outcome.walTruncated) {
      logger.warn('write-ahead log not truncated after an agent erasure: the next purge will empty it');
      flash(req, 'info', 'Le journal d’écriture de la base n’a pas pu être vidé tout de suite (une lecture était en cours) : la prochaine purge quotidienne le videra.');
    }
    res.redirect(303, '/dossiers');
  });

  return router;
}

/** The erasure's summary, counts only: the flash message is kept in the session store, the name must not be. */
function erasedMessage(c: ErasedCounts): string {
  return (
    `Données de l’agent effacées : ${c.cases} dossier(s) avec ${c.events} événement(s), ${c.consultations} consultation(s) et ` +
    `${c.briefVersions} version(s) d’argumentaire ; ${c.requests} demande(s) d’accompagnement et ${c.messages} message(s). ` +
    'Le journal d’audit n’en garde que les identifiants et les dates.'
  );
}
