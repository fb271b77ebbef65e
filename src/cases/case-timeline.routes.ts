import { type Request, type Response, Router } from 'express';
import { territoryOf } from '../domain/territories';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import { conversions, flashPasted, pastedConsultations, statusChange } from './case-flash';
import { caseParam, loadedCase } from './case-loader';
import { renderCasePage } from './case-page.routes';
import type { CasePages } from './case-pages.service';
import { CASE_FORM_OPTIONS } from './case-presenter';
import { bulkConsultationsSchema, consultationSchema, eventSchema } from './cases.schemas';
import { duplicateEventMessage, identicalEvent } from './event-duplicates';

/** A case's consultations and timeline events: added, corrected, removed. */
export function caseTimelineRoutes({ cases, now }: { cases: CasePages; now: () => Date }): Router {
  const router = Router();
  router.param('id', caseParam(cases));

  /** What a typed time is read against: the agent's clock, and the instants the case already has. */
  function consultationContext(res: Response) {
    const { detail } = loadedCase(res);
    return { territory: territoryOf(detail.agent.regionCode, detail.agent.departmentCode), existing: detail.consultations.map((c) => c.at) };
  }

  // ---- consultations ----

  router.post('/dossiers/:id/consultations', async (req, res) => {
    const { id } = loadedCase(res);
    const { territory, existing } = consultationContext(res);
    const form = parseForm(consultationSchema(territory, existing), req.body);
    if (!form.ok) return renderCasePage(cases, now, res, { consultation: { values: form.values, errors: form.errors } }, 400);
    const added = await cases.addConsultations(currentUser(res), id, [form.data]);
    // Only a second tab saving the same time at the same moment gets here with nothing added.
    if (added && form.data.typedZone !== territory.zone) flash(req, 'success', `1 consultation ajoutée${conversions([form.data.at], form.data.typedZone, territory)}.`);
    else if (added) flash(req, 'success', 'Consultation ajoutée.');
    else flash(req, 'info', 'Cette consultation était déjà saisie : elle n’a pas été ajoutée une seconde fois.');
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  router.post('/dossiers/:id/consultations/lot', async (req, res) => {
    const { id } = loadedCase(res);
    const { territory, existing } = consultationContext(res);
    const form = parseForm(bulkConsultationsSchema(territory, existing), req.body);
    if (!form.ok) return renderCasePage(cases, now, res, { bulk: { values: form.values, errors: form.errors } }, 400);
    const { instants, duplicates: _duplicates, ...about } = form.data;
    const added = await cases.addConsultations(currentUser(res), id, pastedConsultations(instants, about));
    flashPasted(req, added, form.data, territory);
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  router.post('/dossiers/:id/consultations/:consultationId/supprimer', async (req, res) => {
    const { id } = loadedCase(res);
    const consultationId = idParam.safeParse(req.params.consultationId);
    if (!consultationId.success || !(await cases.deleteConsultation(currentUser(res), id, consultationId.data))) throw notFound();
    flash(req, 'success', 'Consultation retirée.');
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  // ---- timeline ----

  router.post('/dossiers/:id/evenements', async (req, res) => {
    const { id, detail, stored } = loadedCase(res);
    const form = parseForm(eventSchema, req.body);
    if (!form.ok) return renderCasePage(cases, now, res, { event: { values: form.values, errors: form.errors } }, 400);
    const event = eventFromForm(form.data);
    const twin = form.data.confirmDuplicate ? undefined : identicalEvent(detail.events, event);
    if (twin) return renderCasePage(cases, now, res, { event: { values: form.values, errors: { confirmDuplicate: duplicateEventMessage(twin) } } }, 409);
    const change = await cases.addEvent(currentUser(res), id, event);
    flash(req, 'success', `Événement ajouté au suivi.${statusChange(stored.commitmentStatus, change.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  /** The event of the route, if it is one of the case's. */
  function findEvent(req: Request, res: Response) {
    const eventId = idParam.safeParse(req.params.eventId);
    const event = eventId.success ? loadedCase(res).detail.events.find((e) => e.id === eventId.data) : undefined;
    if (!event) throw notFound();
    return event;
  }

  router.get('/dossiers/:id/evenements/:eventId/modifier', async (req, res) => {
    const { id, detail } = loadedCase(res);
    const event = findEvent(req, res);
    await cases.recordView(currentUser(res), id);
    res.render('cases/event-form', { title: 'Corriger un événement', caseId: id, agentName: detail.agent.fullName, eventId: event.id, options: CASE_FORM_OPTIONS, values: event });
  });

  router.post('/dossiers/:id/evenements/:eventId', async (req, res) => {
    const { id, detail, stored } = loadedCase(res);
    const event = findEvent(req, res);
    const form = parseForm(eventSchema, req.body);
    const refuse = (values: Record<string, unknown>, errors: Record<string, string>, status: number) =>
      res.status(status).render('cases/event-form', {
        title: 'Corriger un événement',
        caseId: id,
        agentName: detail.agent.fullName,
        eventId: event.id,
        options: CASE_FORM_OPTIONS,
        values,
        errors,
      });
    if (!form.ok) return refuse(form.values, form.errors, 400);
    const corrected = eventFromForm(form.data);
    // A correction must not make it a twin of another event without the rep saying so.
    const twin = form.data.confirmDuplicate ? undefined : identicalEvent(detail.events.filter((e) => e.id !== event.id), corrected);
    if (twin) return refuse(form.values, { confirmDuplicate: duplicateEventMessage(twin, 'Corriger quand même') }, 409);
    const change = await cases.correctEvent(currentUser(res), id, event.id, corrected);
    flash(req, 'success', `Événement corrigé.${statusChange(stored.commitmentStatus, change.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  router.post('/dossiers/:id/evenements/:eventId/supprimer', async (req, res) => {
    const { id, stored } = loadedCase(res);
    const event = findEvent(req, res);
    const change = await cases.deleteEvent(currentUser(res), id, event.id);
    flash(req, 'success', `Événement supprimé du suivi.${statusChange(stored.commitmentStatus, change.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  return router;
}

function eventFromForm(data: ReturnType<typeof eventSchema.parse>) {
  return {
    type: data.type,
    date: data.date,
    note: data.note,
    sanctionKind: data.type === 'sanction_notified' ? (data.sanctionKind as never) : undefined,
    hearingDate: data.type === 'pre_disciplinary_convocation' ? data.hearingDate : null,
    closingOutcome: data.type === 'closed' ? (data.closingOutcome as never) : undefined,
  };
}
