import { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { SITUATIONS } from '../domain/situations';
import { HttpError, notFound } from '../web/errors';
import { parseForm } from '../web/validation';
import { REQUEST_STATUS_LABELS, UNKNOWN_SITUATION, requestSituationLabel } from './request-labels';
import { newFollowUpToken } from './requests.repository';
import { contactSchema, followUpMessageSchema, publicRequestSchema } from './requests.schemas';

/** The follow-up link is a secret: it must not leak through the Referer header or a cache. */
const CONTACT_CHOICES = [
  { code: 'email', label: 'Par e-mail' },
  { code: 'phone', label: 'Par téléphone' },
];
const CONSENT_CHOICES = [
  {
    code: 'on',
    label: 'J’accepte que la CGT France Travail enregistre ces informations pour m’accompagner, dans les conditions ci-dessus.',
  },
];

const privatePage: RequestHandler = (_req, res, next) => {
  res.set('Referrer-Policy', 'no-referrer');
  res.set('Cache-Control', 'no-store');
  next();
};

export function publicRequestsRoutes(services: Services, config: Readonly<Config>, logger: Logger): Router {
  const router = Router();
  const { requests, regions, campaigns, audit, now } = services;

  const limitSubmissions = rateLimit({
    windowMs: 60 * 60_000,
    limit: config.publicFormLimitPerHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new HttpError(429, 'Trop de demandes envoyées depuis cette connexion. Réessayez dans une heure, ou contactez directement vos représentant·es CGT.')),
  });

  // Writing to one's rep must not be blocked by colleagues' new requests from the same office.
  const limitFollowUps = rateLimit({
    windowMs: 60 * 60_000,
    limit: config.publicFormLimitPerHour * 5,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'Trop de messages envoyés depuis cette connexion. Réessayez dans une heure.')),
  });

  async function situationChoices() {
    const active = (await campaigns.list()).filter((c) => c.status === 'active');
    const codes = new Set(active.flatMap((c) => c.situations));
    return [...SITUATIONS.filter((s) => codes.has(s.code) || s.code === 'other_conflict'), { code: UNKNOWN_SITUATION, label: 'Je ne sais pas' }];
  }

  async function renderForm(res: Response, values: Record<string, unknown>, errors?: Record<string, string>) {
    res.status(errors ? 400 : 200).render('requests/public-form', {
      title: 'Demander l’accompagnement de la CGT',
      regions: (await regions.list()).map((r) => ({ code: r.code, label: r.name })),
      situations: await situationChoices(),
      retentionDays: config.requestRetentionDays,
      contactChoices: CONTACT_CHOICES,
      consentChoices: CONSENT_CHOICES,
      values,
      errors,
    });
  }

  /** E-mails the private link when SMTP is set up; a failure is logged, never shown as an error. */
  async function sendFollowUpLink(to: string, reference: string, url: string): Promise<boolean> {
    if (!services.mailer) return false;
    try {
      await services.mailer.send({
        to,
        subject: `Votre demande d’accompagnement CGT ${reference}`,
        text: [
          'Bonjour,',
          '',
          `Votre demande d’accompagnement (référence ${reference}) est bien reçue par la CGT France Travail.`,
          'Ce lien privé vous permet de la suivre, de lire les réponses des représentant·es, de leur écrire et de l’effacer :',
          '',
          url,
          '',
          'Gardez ce lien pour vous : toute personne qui l’a peut lire votre demande.',
          '',
          'Avec la CGT France Travail, ne restez pas isolé·e.',
        ].join('\n'),
      });
      return true;
    } catch (err) {
      // The mail server's reply quotes the recipient's address: only its codes are logged.
      const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
      logger.error({ code: code === undefined ? undefined : String(code), responseCode }, 'follow-up e-mail not sent');
      return false;
    }
  }

  router.get('/demande', async (_req, res) => {
    await renderForm(res, { preferredContact: 'email', situation: UNKNOWN_SITUATION });
  });

  router.post('/demande', limitSubmissions, async (req, res) => {
    const regionCodes = (await regions.list()).map((r) => r.code);
    const situationCodes = (await situationChoices()).map((s) => s.code);
    const form = parseForm(publicRequestSchema(regionCodes, situationCodes), req.body);
    if (!form.ok) return renderForm(res, form.values, form.errors);
    if (form.data.precisions) {
      // A robot filled the hidden field: answer as usual, keep nothing.
      return res.render('requests/public-thanks', { title: 'Demande envoyée' });
    }
    const { consent: _consent, precisions: _precisions, ...input } = form.data;
    const token = newFollowUpToken();
    const created = await requests.create(input, token, now());
    await audit.record({ actorUserId: null, actorLabel: 'public', action: 'create', entityType: 'support_request', entityId: created.id });
    const followUpUrl = `${config.baseUrl}/demande/suivi/${token}`;
    const emailSent = input.email ? await sendFollowUpLink(input.email, created.reference, followUpUrl) : false;
    res.status(201).render('requests/public-confirmation', {
      title: 'Demande envoyée',
      reference: created.reference,
      followUpUrl,
      emailGiven: Boolean(input.email),
      emailSent,
      smtpConfigured: services.mailer !== null,
    });
  });

  async function byToken(req: Request) {
    const found = await requests.findByToken(String(req.params.token));
    // A wrong, expired or erased link gives the very same page as one that never existed.
    if (!found) throw notFound();
    return found;
  }

  async function renderFollowUp(
    req: Request,
    res: Response,
    forms: { message?: { values: unknown; errors: unknown }; contact?: { values: unknown; errors: unknown }; erase?: { errors: Record<string, string> } } = {},
    status = 200,
  ) {
    const request = await byToken(req);
    const messages = await requests.messages(request.id);
    await audit.record({ actorUserId: null, actorLabel: 'public', action: 'view', entityType: 'support_request', entityId: request.id });
    res.status(status).render('requests/public-follow-up', {
      title: `Votre demande ${request.reference}`,
      request,
      statusLabel: REQUEST_STATUS_LABELS[request.status],
      situationLabel: requestSituationLabel(request.situation),
      messages,
      token: req.params.token,
      contactChoices: CONTACT_CHOICES,
      messageForm: forms.message ?? { values: {}, errors: {} },
      contactForm: forms.contact ?? { values: request, errors: {} },
      eraseForm: forms.erase ?? { errors: {} },
    });
  }

  router.get('/demande/suivi/:token', privatePage, async (req, res) => {
    await renderFollowUp(req, res);
  });

  router.post('/demande/suivi/:token/message', privatePage, limitFollowUps, async (req, res) => {
    const request = await byToken(req);
    const form = parseForm(followUpMessageSchema, req.body);
    if (!form.ok) return renderFollowUp(req, res, { message: { values: form.values, errors: form.errors } }, 400);
    await requests.addMessage(request.id, 'agent', null, form.data.body, now());
    await audit.record({ actorUserId: null, actorLabel: 'public', action: 'update', entityType: 'support_request', entityId: request.id });
    res.redirect(303, `/demande/suivi/${req.params.token}#messages`);
  });

  router.post('/demande/suivi/:token/contact', privatePage, async (req, res) => {
    const request = await byToken(req);
    const form = parseForm(contactSchema, req.body);
    if (!form.ok) return renderFollowUp(req, res, { contact: { values: form.values, errors: form.errors } }, 400);
    await requests.updateContact(request.id, form.data, now());
    await audit.record({ actorUserId: null, actorLabel: 'public', action: 'update', entityType: 'support_request', entityId: request.id });
    res.redirect(303, `/demande/suivi/${req.params.token}`);
  });

  router.post('/demande/suivi/:token/effacer', privatePage, async (req, res) => {
    const request = await byToken(req);
    if (req.body?.confirm !== 'on') {
      return renderFollowUp(req, res, { erase: { errors: { confirm: 'Cochez la case pour confirmer l’effacement.' } } }, 400);
    }
    await requests.erase(request.id);
    await audit.record({ actorUserId: null, actorLabel: 'public', action: 'delete', entityType: 'support_request', entityId: request.id });
    res.render('requests/public-erased', { title: 'Demande effacée', hadCase: request.caseId !== null });
  });

  return router;
}
