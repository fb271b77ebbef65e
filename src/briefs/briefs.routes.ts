import { Router, type Request, type Response } from 'express';
import type { Services } from '../services';
import { commitmentView } from '../cases/case-presenter';
import { documentFileParam, sendDocument } from '../web/send-document';
import type { DocumentModel } from '../documents/model';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { idParam } from '../web/validation';
import { consultationsTypedElsewhere } from './brief-context';
import { FREE_SLOTS, readDraft } from './brief-draft';
import type { Proposal } from './briefs.service';
import { CASE_STAGE_LABELS } from '../domain/case-stage';

type Loaded = NonNullable<Awaited<ReturnType<Services['briefs']['propose']>>>;

export function briefsRoutes(services: Services): Router {
  const router = Router();
  const { briefs } = services;
  router.use('/dossiers', requireUser);

  function caseIdOf(req: Request): number {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw notFound();
    return id.data;
  }

  /** The review page: the proposals, or what the rep submitted when the page comes back. */
  async function renderReview(
    res: Response,
    loaded: Loaded,
    state: { body?: Record<string, unknown>; errors?: Record<string, string>; preview?: DocumentModel },
    status = 200,
  ) {
    const body = state.body;
    const errors = state.errors ?? {};
    const proposals = loaded.proposals.map((p: Proposal) => ({
      ...p,
      included: body ? Boolean(body[`a_${p.id}_include`]) : p.applies,
      order: body ? String(body[`a_${p.id}_order`] ?? '') : String(p.order),
      text: body ? String(body[`a_${p.id}_text`] ?? '') : p.text,
      summary: body ? String(body[`a_${p.id}_summary`] ?? '') : p.summary,
      orderError: errors[`a_${p.id}_order`],
      textError: errors[`a_${p.id}_text`],
      summaryError: errors[`a_${p.id}_summary`],
    }));
    const freeSlots = Array.from({ length: FREE_SLOTS }, (_, i) => {
      const slot = i + 1;
      return {
        slot,
        title: body ? String(body[`free_${slot}_title`] ?? '') : '',
        order: body ? String(body[`free_${slot}_order`] ?? '') : String(90 + slot),
        text: body ? String(body[`free_${slot}_text`] ?? '') : '',
        orderError: errors[`free_${slot}_order`],
        textError: errors[`free_${slot}_text`],
      };
    });
    res.status(status).render('briefs/review', {
      title: `Argumentaire — ${loaded.detail.agent.fullName}`,
      caseId: loaded.detail.id,
      agentName: loaded.detail.agent.fullName,
      commitment: commitmentView(loaded.assessment.commitment.status),
      stage: CASE_STAGE_LABELS[loaded.context.case.stage],
      defaultPurpose: loaded.defaults.purpose.label,
      statusUnknown: loaded.context.agent.statusUnknown,
      zoneLabel: loaded.context.consultations.zoneLabel,
      typedElsewhere: consultationsTypedElsewhere(loaded.detail).count,
      purposes: briefs.settings.purposes.map((p) => ({ code: p.id, label: p.label })),
      addressees: briefs.settings.addressees.map((a) => ({ code: a.id, label: a.label })),
      values: {
        purpose: body?.purpose ?? loaded.defaults.purpose.id,
        addressee: body?.addressee ?? loaded.defaults.addressee.id,
        annex: body ? body.annex === 'on' : loaded.defaults.purpose.annex,
      },
      bodyArguments: (briefs.settings.purposes.find((p) => p.id === (body?.purpose ?? loaded.defaults.purpose.id)) ?? loaded.defaults.purpose).arguments,
      proposals,
      freeSlots,
      errors: Object.keys(errors).length ? errors : undefined,
      preview: state.preview,
      versions: await services.briefVersions.listForCase(loaded.detail.id),
    });
  }

  router.get('/dossiers/:id/argumentaire', async (req, res) => {
    const loaded = await briefs.propose(currentUser(res), caseIdOf(req));
    if (!loaded) throw notFound();
    await renderReview(res, loaded, {});
  });

  router.post('/dossiers/:id/argumentaire', async (req, res) => {
    const caseId = caseIdOf(req);
    const user = currentUser(res);
    const loaded = await briefs.propose(user, caseId);
    if (!loaded) throw notFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { draft, errors } = readDraft(body, {
      argumentIds: briefs.library.map((a) => a.id),
      // An emptied position goes back to the one the page proposed for this case.
      argumentOrders: Object.fromEntries(loaded.proposals.map((p) => [p.id, p.order])),
      purposes: briefs.settings.purposes.map((p) => p.id),
      addressees: briefs.settings.addressees.map((a) => a.id),
    });
    if (Object.keys(errors).length > 0) return renderReview(res, loaded, { body, errors }, 400);
    if (body.action === 'generate') {
      const versionId = await briefs.generate(user, caseId, draft);
      if (!versionId) throw notFound();
      flash(req, 'success', 'Document généré. Téléchargez-le en PDF ou en Word ci-dessous.');
      return res.redirect(303, `/dossiers/${caseId}/argumentaires/${versionId}`);
    }
    await renderReview(res, loaded, { body, preview: briefs.preview(loaded, draft) });
  });

  router.get('/dossiers/:id/argumentaires/:file', async (req, res) => {
    const caseId = caseIdOf(req);
    const file = documentFileParam(req.params.file);
    if (!file) throw notFound();
    const user = currentUser(res);
    const version = await briefs.version(user, caseId, file.id, file.format ? 'export' : 'view');
    if (!version) throw notFound();
    if (file.format) return sendDocument(res, version.document, file.format);
    const detail = await services.cases.findById(caseId);
    res.render('briefs/version', {
      title: `Argumentaire — version ${version.number}`,
      caseId,
      agentName: detail?.agent.fullName ?? '',
      version,
      versions: await services.briefVersions.listForCase(caseId),
    });
  });

  return router;
}
