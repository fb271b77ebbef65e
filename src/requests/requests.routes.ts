import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { SupportRequestStatus } from '../db/schema';
import type { Services } from '../services';
import { inScope, scopeOf } from '../access/scope';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import { REQUEST_STATUS_LABELS, requestSituationLabel } from './request-labels';
import { assignSchema, duplicateSchema, repMessageSchema } from './requests.schemas';

/** An unassigned request older than this is shown as waiting too long. */
export const STALE_REQUEST_HOURS = 48;

const STATUS_CODES = Object.keys(REQUEST_STATUS_LABELS) as [SupportRequestStatus, ...SupportRequestStatus[]];

export function requestsRoutes(services: Services): Router {
  const router = Router();
  const { requests, regions, users, audit, now, db } = services;
  router.use('/demandes', requireUser);

  function ageOf(createdAt: string) {
    const hours = Math.floor((now().getTime() - Date.parse(createdAt)) / 3_600_000);
    return { hours, text: hours < 1 ? 'moins d’une heure' : hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} jours` };
  }

  router.get('/demandes', async (req, res) => {
    const user = currentUser(res);
    const status = z.enum(STATUS_CODES).optional().catch(undefined).parse(req.query.etat);
    const region = z.string().regex(/^[A-Z]{3}$/).optional().catch(undefined).parse(req.query.region);
    const list = await requests.queue(scopeOf(user), { status, region });
    const regionList = await regions.list();
    res.render('requests/queue', {
      title: 'Demandes d’accompagnement',
      requests: list.map((r) => {
        const age = ageOf(r.createdAt);
        return {
          ...r,
          age: age.text,
          stale: r.assignedUserId === null && r.status === 'received' && age.hours >= STALE_REQUEST_HOURS,
          statusLabel: REQUEST_STATUS_LABELS[r.status],
          situationLabel: requestSituationLabel(r.situation),
          regionName: regionList.find((x) => x.code === r.regionCode)?.name ?? r.regionCode,
        };
      }),
      statuses: STATUS_CODES.map((code) => ({ code, label: REQUEST_STATUS_LABELS[code] })),
      regions: (user.role === 'admin' ? regionList : regionList.filter((r) => user.regions.includes(r.code))).map((r) => ({ code: r.code, label: r.name })),
      filters: { etat: status ?? '', region: region ?? '' },
    });
  });

  /** The request if it exists and is in the user's regions; 404 otherwise, whatever the reason. */
  async function visibleRequest(req: Request, res: Response) {
    const id = idParam.safeParse(req.params.id);
    const request = id.success ? await requests.findById(id.data) : undefined;
    if (!request || !inScope(scopeOf(currentUser(res)), request.regionCode)) throw notFound();
    return request;
  }

  async function renderRequest(req: Request, res: Response, forms: { reply?: { values: unknown; errors: unknown }; duplicate?: { values: unknown; errors: unknown } } = {}, status = 200) {
    const request = await visibleRequest(req, res);
    await audit.record({ actorUserId: currentUser(res).id, action: 'view', entityType: 'support_request', entityId: request.id });
    const reps = (await users.listAssignable()).filter((u) => u.role === 'admin' || u.regions.includes(request.regionCode));
    res.status(status).render('requests/show', {
      title: `Demande ${request.reference}`,
      request,
      statusLabel: REQUEST_STATUS_LABELS[request.status],
      situationLabel: requestSituationLabel(request.situation),
      regionName: await regions.nameOf(request.regionCode),
      age: ageOf(request.createdAt).text,
      messages: await requests.messages(request.id),
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
    const assignee = form.ok ? await users.findById(form.data.userId) : undefined;
    if (!assignee || assignee.status !== 'active' || (assignee.role !== 'admin' && !assignee.regions.includes(request.regionCode))) {
      flash(req, 'error', 'Choisissez un·e représentant·e qui suit cette région.');
      return res.redirect(303, `/demandes/${request.id}`);
    }
    await requests.assign(request.id, assignee.id, now());
    await audit.record({ actorUserId: currentUser(res).id, action: 'update', entityType: 'support_request', entityId: request.id });
    flash(req, 'success', `Demande prise en charge par ${assignee.name}.`);
    res.redirect(303, `/demandes/${request.id}`);
  });

  router.post('/demandes/:id/reponse', async (req, res) => {
    const request = await visibleRequest(req, res);
    const form = parseForm(repMessageSchema, req.body);
    if (!form.ok) return renderRequest(req, res, { reply: { values: form.values, errors: form.errors } }, 400);
    await requests.addMessage(request.id, 'rep', currentUser(res).id, form.data.body, now());
    if (request.status === 'received') await requests.assign(request.id, request.assignedUserId ?? currentUser(res).id, now());
    await audit.record({ actorUserId: currentUser(res).id, action: 'update', entityType: 'support_request', entityId: request.id });
    flash(req, 'success', 'Réponse envoyée : l’agent la verra sur sa page de suivi.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  /** Closing or merging is for requests still waiting: never for one a case was opened from. */
  function stillOpen(req: Request, res: Response, request: { id: number; status: SupportRequestStatus; caseId: number | null }): boolean {
    if ((request.status === 'received' || request.status === 'taken') && request.caseId === null) return true;
    flash(req, 'error', 'Cette demande n’est plus en attente : elle ne peut plus être close ni regroupée.');
    res.redirect(303, `/demandes/${request.id}`);
    return false;
  }

  router.post('/demandes/:id/doublon', async (req, res) => {
    const request = await visibleRequest(req, res);
    if (!stillOpen(req, res, request)) return;
    const form = parseForm(duplicateSchema, req.body);
    const other = form.ok
      ? await db.selectFrom('supportRequests').select(['id', 'regionCode']).where('reference', '=', form.data.duplicateOf).executeTakeFirst()
      : undefined;
    if (!form.ok || !other || other.id === request.id || !inScope(scopeOf(currentUser(res)), other.regionCode)) {
      const errors = form.ok ? { duplicateOf: 'Aucune autre demande de vos régions ne porte cette référence.' } : form.errors;
      return renderRequest(req, res, { duplicate: { values: req.body, errors } }, 400);
    }
    await requests.setStatus(request.id, 'duplicate', now(), { duplicateOf: other.id });
    await audit.record({ actorUserId: currentUser(res).id, action: 'update', entityType: 'support_request', entityId: request.id });
    flash(req, 'success', 'Demande marquée comme doublon.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  router.post('/demandes/:id/clore', async (req, res) => {
    const request = await visibleRequest(req, res);
    if (!stillOpen(req, res, request)) return;
    await requests.setStatus(request.id, 'closed', now());
    await audit.record({ actorUserId: currentUser(res).id, action: 'update', entityType: 'support_request', entityId: request.id });
    flash(req, 'success', 'Demande close.');
    res.redirect(303, `/demandes/${request.id}`);
  });

  return router;
}

/** For the dashboard: requests of the user's regions unassigned for too long. */
export function staleSince(now: Date): string {
  return DateTime.fromJSDate(now).minus({ hours: STALE_REQUEST_HOURS }).toUTC().toISO()!;
}
