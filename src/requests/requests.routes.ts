import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Region } from '../regions/regions.repository';
import { hoursWaiting, isStale, stillOpen, waitingText } from '../domain/support-requests';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import { REQUEST_STATUS_LABELS, type RequestStatus, requestSituationLabel } from './request-labels';
import type { RequestsService } from './requests.service';
import { assignSchema, duplicateSchema, repMessageSchema } from './requests.schemas';

const STATUS_CODES = Object.keys(REQUEST_STATUS_LABELS) as [RequestStatus, ...RequestStatus[]];

export interface RequestsRoutesDeps {
  requests: RequestsService;
  regions: { list(): Promise<Region[]>; nameOf(code: string): Promise<string> };
  now: () => Date;
}

/** Representatives' side of the support requests: the queue and each request's page. */
export function requestsRoutes({ requests, regions, now }: RequestsRoutesDeps): Router {
  const router = Router();
  router.use('/demandes', requireUser);

  const ageText = (createdAt: string, at = now()) => waitingText(hoursWaiting(createdAt, at));

  router.get('/demandes', async (req, res) => {
    const user = currentUser(res);
    const status = z.enum(STATUS_CODES).optional().catch(undefined).parse(req.query.etat);
    const region = z.string().regex(/^[A-Z]{3}$/).optional().catch(undefined).parse(req.query.region);
    const list = await requests.queue(user, { status, region });
    const regionList = await regions.list();
    const at = now();
    res.render('requests/queue', {
      title: 'Demandes d’accompagnement',
      requests: list.map((r) => ({
        ...r,
        age: ageText(r.createdAt, at),
        stale: isStale(r, at),
        statusLabel: REQUEST_STATUS_LABELS[r.status],
        situationLabel: requestSituationLabel(r.situation),
        regionName: regionList.find((x) => x.code === r.regionCode)?.name ?? r.regionCode,
      })),
      statuses: STATUS_CODES.map((code) => ({ code, label: REQUEST_STATUS_LABELS[code] })),
      regions: (user.role === 'admin' ? regionList : regionList.filter((r) => user.regions.includes(r.code))).map((r) => ({ code: r.code, label: r.name })),
      filters: { etat: status ?? '', region: region ?? '' },
    });
  });

  /** The request if it exists and is in the user's regions; 404 otherwise, whatever the reason. */
  async function visibleRequest(req: Request, res: Response) {
    const id = idParam.safeParse(req.params.id);
    const request = id.success ? await requests.visibleTo(currentUser(res), id.data) : undefined;
    if (!request) throw notFound();
    return request;
  }

  async function renderRequest(req: Request, res: Response, forms: { reply?: { values: unknown; errors: unknown }; duplicate?: { values: unknown; errors: unknown } } = {}, status = 200) {
    const request = await visibleRequest(req, res);
    const { reps, messages } = await requests.openedBy(currentUser(res), request);
    res.status(status).render('requests/show', {
      title: `Demande ${request.reference}`,
      request,
      statusLabel: REQUEST_STATUS_LABELS[request.status],
      situationLabel: requestSituationLabel(request.situation),
      regionName: await regions.nameOf(request.regionCode),
      age: ageText(request.createdAt),
      messages,
      reps: reps.map((r) => ({ code: String(r.id), label: r.name })),
      replyForm: forms.reply ?? { values: {}, errors: {} },
      duplicateForm: forms.duplicate ?? { values: {}, errors: {} },
      open: request.status === 'received' || request.status === 'taken',
    });
  }

  router.get('/demandes/:id', async (req, res) => {
    await renderRequest(req, res);
  });

  router.post('/demandes/:id/prise-en-charge', async (req, res) => {
    const request = await visibleRequest(req, res);
    const form = parseForm(assignSchema, req.body);
    const assignee = await requests.assign(currentUser(res), request, form.ok ? form.data.userId : undefined);
    if (!assignee) {
      flash(req, 'error', 'Choisissez un·e représentant·e qui suit cette région.');
      return res.redirect(303, `/demandes/${request.id}`);
    }
    flash(req, 'success', `Demande prise en charge par ${assignee.name}.`);
    res.redirect(303, `/demandes/${request.id}`);
  });

  router.post('/demandes/:id/reponse', async (req, res) => {
    const request = await visibleRequest(req, res);
    const form = parseForm(repMessageSchema, req.body);
    if (!form.ok) return renderRequest(req, res, { reply: { values: form.values, errors: form.errors } }, 400);
    await requests.reply(currentUser(res), request, form.data.body);
    flash(req, 'success', 'Réponse envoyée : l’agent la verra sur sa page de suivi.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  /** Closing or merging a request no longer waiting is refused with a message on its page. */
  function mayStillChange(req: Request, res: Response, request: { id: number; status: string; caseId: number | null }): boolean {
    if (stillOpen(request)) return true;
    flash(req, 'error', 'Cette demande n’est plus en attente : elle ne peut plus être close ni regroupée.');
    res.redirect(303, `/demandes/${request.id}`);
    return false;
  }

  router.post('/demandes/:id/doublon', async (req, res) => {
    const request = await visibleRequest(req, res);
    if (!mayStillChange(req, res, request)) return;
    const form = parseForm(duplicateSchema, req.body);
    if (!form.ok || !(await requests.markDuplicate(currentUser(res), request, form.data.duplicateOf))) {
      const errors = form.ok ? { duplicateOf: 'Aucune autre demande de vos régions ne porte cette référence.' } : form.errors;
      return renderRequest(req, res, { duplicate: { values: req.body, errors } }, 400);
    }
    flash(req, 'success', 'Demande marquée comme doublon.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  router.post('/demandes/:id/clore', async (req, res) => {
    const request = await visibleRequest(req, res);
    if (!mayStillChange(req, res, request)) return;
    await requests.close(currentUser(res), request);
    flash(req, 'success', 'Demande close.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  return router;
}
