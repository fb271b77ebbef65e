import { Router, type Request, type Response } from 'express';
import { commitmentView } from '../cases/case-presenter';
import { CASE_STAGE_LABELS } from '../domain/case-stage';
import type { DocumentModel } from '../documents/model';
import { composerRows, freeSlotRows } from '../web/composer-form';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { documentFileParam, sendDocument } from '../web/send-document';
import { idParam } from '../web/validation';
import { BRIEF_COMPOSER, readDraft } from './brief-draft';
import type { BriefReview, BriefsService } from './briefs.service';

export function briefsRoutes(briefs: BriefsService): Router {
  const router = Router();
  router.use('/dossiers', requireUser);

  function caseIdOf(req: Request): number {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw notFound();
    return id.data;
  }

  /** The review page: the proposals, or what the rep submitted when the page comes back. */
  function renderReview(
    res: Response,
    review: BriefReview,
    state: { body?: Record<string, unknown>; errors?: Record<string, string>; preview?: DocumentModel },
    status = 200,
  ) {
    const { body, errors } = state;
    const purposeId = body?.purpose ?? review.defaults.purpose.id;
    res.status(status).render('briefs/review', {
      title: `Argumentaire — ${review.detail.agent.fullName}`,
      caseId: review.detail.id,
      agentName: review.detail.agent.fullName,
      commitment: commitmentView(review.assessment.commitment.status),
      stage: CASE_STAGE_LABELS[review.context.case.stage],
      defaultPurpose: review.defaults.purpose.label,
      statusUnknown: review.context.agent.statusUnknown,
      zoneLabel: review.context.consultations.zoneLabel,
      typedElsewhere: review.typedElsewhere,
      purposes: briefs.settings.purposes.map((p) => ({ code: p.id, label: p.label })),
      addressees: briefs.settings.addressees.map((a) => ({ code: a.id, label: a.label })),
      values: {
        purpose: purposeId,
        addressee: body?.addressee ?? review.defaults.addressee.id,
        annex: body ? body.annex === 'on' : review.defaults.purpose.annex,
      },
      bodyArguments: (briefs.settings.purposes.find((p) => p.id === purposeId) ?? review.defaults.purpose).arguments,
      proposals: composerRows(BRIEF_COMPOSER, review.proposals, state, (p) => ({ included: p.applies, order: p.order, texts: { text: p.text, summary: p.summary } })),
      freeSlots: freeSlotRows(BRIEF_COMPOSER, state),
      errors: errors && Object.keys(errors).length ? errors : undefined,
      preview: state.preview,
      versions: review.versions,
    });
  }

  router.get('/dossiers/:id/argumentaire', async (req, res) => {
    const review = await briefs.propose(currentUser(res), caseIdOf(req));
    if (!review) throw notFound();
    renderReview(res, review, {});
  });

  router.post('/dossiers/:id/argumentaire', async (req, res) => {
    const caseId = caseIdOf(req);
    const user = currentUser(res);
    // Loaded (and its consultation recorded) once, whether the form is shown again or generated.
    const review = await briefs.propose(user, caseId);
    if (!review) throw notFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { draft, errors } = readDraft(body, {
      argumentIds: briefs.library.map((a) => a.id),
      // An emptied position goes back to the one the page proposed for this case.
      argumentOrders: Object.fromEntries(review.proposals.map((p) => [p.id, p.order])),
      purposes: briefs.settings.purposes.map((p) => p.id),
      addressees: briefs.settings.addressees.map((a) => a.id),
    });
    if (Object.keys(errors).length > 0) return renderReview(res, review, { body, errors }, 400);
    if (body.action === 'generate') {
      const versionId = await briefs.generate(user, review, draft);
      if (!versionId) throw notFound();
      flash(req, 'success', 'Document généré. Téléchargez-le en PDF ou en Word ci-dessous.');
      return res.redirect(303, `/dossiers/${caseId}/argumentaires/${versionId}`);
    }
    renderReview(res, review, { body, preview: briefs.preview(review, draft) });
  });

  router.get('/dossiers/:id/argumentaires/:file', async (req, res) => {
    const caseId = caseIdOf(req);
    const file = documentFileParam(req.params.file);
    if (!file) throw notFound();
    const user = currentUser(res);
    if (file.format) {
      const version = await briefs.version(user, caseId, file.id, 'export');
      if (!version) throw notFound();
      return sendDocument(res, version.document, file.format);
    }
    const page = await briefs.versionPage(user, caseId, file.id);
    if (!page) throw notFound();
    res.render('briefs/version', { title: `Argumentaire — version ${page.version.number}`, caseId, ...page });
  });

  return router;
}
