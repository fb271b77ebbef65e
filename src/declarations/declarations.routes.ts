import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ComposedDeclaration, DeclarationsService } from './declarations.service';
import { documentFileParam, sendDocument } from '../web/send-document';
import type { DocumentModel } from '../documents/model';
import type { User } from '../access/user';
import { notFound } from '../web/errors';
import type { FieldErrors } from '../web/validation';
import { idParam } from '../web/validation';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { composerRows, freeSlotRows, typedTexts } from '../web/composer-form';
import { DECLARATION_COMPOSER, type DeclarationDraft, type DeclarationSettings, NATIONAL, meetingLabel, readSections, readSettings, settingsQuery } from './declaration-draft';

type Composed = ComposedDeclaration;

const SUBMISSION_KEY = /^[0-9a-f-]{36}$/;

/** The opening block has no title in the document; the form still needs to name it. */
const headingOf = (title: string) => title || 'Introduction';

function query(req: Request): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}

function toSearch(values: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) params.append(key, v);
  return params.toString();
}

export function declarationsRoutes(declarations: DeclarationsService): Router {
  const router = Router();
  router.use('/declarations', requireUser);

  /** The texts of a blocks form, to hand back when it cannot be used. */
  function keptTexts(body: Record<string, unknown>) {
    return typedTexts(body, DECLARATION_COMPOSER, declarations.templates.blocks.map((b) => ({ id: b.id, heading: headingOf(b.title) })));
  }

  async function renderSettings(
    res: Response,
    user: User,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
    texts: Array<{ heading: string; text: string }> = [],
  ) {
    const choices = await declarations.choices(user);
    const raw = values.regions;
    // A rep with one region starts with it ticked; a form sent back keeps what was sent.
    const submitted = values.meetingKind !== undefined;
    const selected = raw === undefined ? (!submitted && choices.regionList.length === 1 ? [choices.regionList[0]!.code] : []) : [raw].flat().map(String);
    res.status(status).render('declarations/settings', {
      title: 'Nouvelle déclaration',
      meetingKinds: declarations.templates.meetingKinds.map((k) => ({ code: k.id, label: k.label })),
      campaigns: choices.campaignList.map((c) => ({ code: String(c.id), label: c.name })),
      regions: [
        ...(choices.nationalAllowed ? [{ code: NATIONAL, label: 'Ensemble des régions (national)' }] : []),
        ...choices.regionList.map((r) => ({ code: r.code, label: r.name })),
      ],
      selectedRegions: selected,
      values: {
        meetingKind: values.meetingKind ?? declarations.templates.meetingKinds[0]?.id,
        bodyName: values.bodyName ?? '',
        meetingDate: values.meetingDate ?? '',
        campaignId: values.campaignId ?? String(choices.campaignList[0]?.id ?? ''),
        periodFrom: values.periodFrom ?? '',
        periodTo: values.periodTo ?? '',
      },
      errors: Object.keys(errors).length ? errors : undefined,
      keptTexts: texts,
    });
  }

  /** Validates settings from a query or a form against what this user may choose. */
  async function settingsFrom(user: User, values: Record<string, unknown>) {
    return readSettings(values, await declarations.choices(user));
  }

  async function renderCompose(
    res: Response,
    settings: DeclarationSettings,
    composed: Composed,
    state: { body?: Record<string, unknown>; errors?: FieldErrors; preview?: DocumentModel; changed?: boolean; from?: DeclarationDraft },
    status = 200,
  ) {
    const { from } = state;
    const fromSection = (blockId: string | null, index = 0) => from?.sections.filter((s) => s.blockId === blockId)[index];
    const blocks = composerRows(DECLARATION_COMPOSER, composed.proposals, state, (p) => {
      // A declaration composed again from an earlier one starts from what that one kept.
      const kept = fromSection(p.id);
      return { included: from ? Boolean(kept) : true, order: kept?.order ?? p.order, texts: { text: kept?.text ?? p.text } };
    }).map((row) => ({ ...row, heading: headingOf(row.title) }));
    const freeSlots = freeSlotRows(DECLARATION_COMPOSER, state, (i) => fromSection(null, i));
    const { body } = state;
    const errors = state.errors ?? {};
    const hidden = settingsQuery(settings);
    res.status(status).render('declarations/compose', {
      title: 'Textes de la déclaration',
      settings,
      meetingLabel: meetingLabel(settings.meetingKind, settings.bodyName),
      campaignName: composed.campaign.name,
      scopeLabel: composed.context.scope.label,
      periodLabel: composed.context.period.label,
      hiddenFields: Object.entries(hidden).flatMap(([name, value]) => [value].flat().map((v) => ({ name, value: v }))),
      settingsHref: `/declarations/nouvelle?${toSearch(hidden)}`,
      figures: composed.figures,
      differencing: composed.differencing,
      computedAt: composed.computedAt.toISOString(),
      stamp: composed.stamp,
      // One key per composed page, kept across previews: generating twice from it makes one version.
      submission: typeof body?.submission === 'string' && SUBMISSION_KEY.test(body.submission) ? body.submission : randomUUID(),
      blocks,
      freeSlots,
      changed: state.changed,
      errors: Object.keys(errors).length ? errors : undefined,
      preview: state.preview,
    });
  }

  router.get('/declarations', async (_req, res) => {
    const user = currentUser(res);
    const list = await declarations.list(user);
    res.render('declarations/list', { title: 'Déclarations en CSE', declarations: list });
  });

  router.get('/declarations/nouvelle', async (req, res) => {
    await renderSettings(res, currentUser(res), query(req));
  });

  router.get('/declarations/nouvelle/textes', async (req, res) => {
    const user = currentUser(res);
    const values = query(req);
    let from: DeclarationDraft | undefined;
    if (values.depuis !== undefined) {
      const id = idParam.safeParse(values.depuis);
      const source = id.success ? await declarations.find(user, id.data, 'view') : undefined;
      if (!source) throw notFound();
      from = source.draft;
    }
    const read = await settingsFrom(user, from && values.campaignId === undefined ? settingsQuery(from.settings) : values);
    if (!read.settings) return renderSettings(res, user, values, read.errors, 400);
    const composed = await declarations.compose(read.settings);
    if (!composed) throw notFound();
    await renderCompose(res, read.settings, composed, { ...(from ? { from } : {}) });
  });

  router.post('/declarations/nouvelle/textes', async (req, res) => {
    const user = currentUser(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const read = await settingsFrom(user, body);
    if (!read.settings) {
      // The settings came back wrong (a region no longer covered, a campaign removed): the texts
      // cannot be composed again, but they are shown so nothing typed is lost.
      return renderSettings(res, user, body, read.errors, 400, keptTexts(body));
    }
    const settings = read.settings;
    const composed = await declarations.compose(settings);
    if (!composed) throw notFound();
    const { sections, errors } = readSections(body, declarations.templates.blocks);
    if (Object.keys(errors).length > 0) return renderCompose(res, settings, composed, { body, errors }, 400);
    const draft: DeclarationDraft = { settings, sections };
    if (body.action === 'generate') {
      const submission = typeof body.submission === 'string' && SUBMISSION_KEY.test(body.submission) ? body.submission : null;
      const result = await declarations.generate(user, draft, typeof body.stamp === 'string' ? body.stamp : '', submission);
      if (!result) throw notFound();
      if ('changed' in result) {
        return renderCompose(res, settings, result.changed, { body, changed: true, preview: declarations.preview(result.changed, draft) }, 409);
      }
      flash(req, 'success', 'Déclaration générée. Téléchargez-la en PDF ou en Word ci-dessous.');
      return res.redirect(303, `/declarations/${result.id}`);
    }
    // The preview shows today's figures; when they moved since the page was composed, the rep is
    // told before anything can be generated from texts that may quote the old ones.
    const changed = typeof body.stamp === 'string' && body.stamp !== composed.stamp;
    await renderCompose(res, settings, composed, { body, changed, preview: declarations.preview(composed, draft) });
  });

  router.get('/declarations/:file', async (req, res) => {
    const file = documentFileParam(req.params.file);
    if (!file) throw notFound();
    const declaration = await declarations.find(currentUser(res), file.id, file.format ? 'export' : 'view');
    if (!declaration) throw notFound();
    const doc = declaration.document;
    if (file.format) return sendDocument(res, doc, file.format);
    res.render('declarations/version', {
      title: `${doc.title} — version ${declaration.number}`,
      declaration,
      restartHref: `/declarations/nouvelle/textes?depuis=${declaration.id}`,
    });
  });

  return router;
}
