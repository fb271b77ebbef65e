import { randomBytes } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { Region } from '../regions/regions.repository';
import { SITUATIONS } from '../domain/situations';
import { HttpError, notFound } from '../web/errors';
import { parseForm } from '../web/validation';
import { REQUEST_STATUS_LABELS, UNKNOWN_SITUATION, requestSituationLabel } from './request-labels';
import type { SettingsService } from '../settings/settings.service';
import type { RequestsService } from './requests.service';
import { contactSchema, followUpMessageSchema, publicRequestSchema } from './requests.schemas';
import { setRetryAfter } from '../web/retry-after';

declare module 'express-session' {
  interface SessionData {
    /** Submission keys of the public forms this browser already sent: keys only, never a link. */
    publicRequestKeys?: string[];
    /**
     * The request just sent, whose follow-up page shows the confirmation once. Its id, never its
     * link: the session lives in the database, where the plain token must never be.
     */
    publicRequestSent?: { key: string; requestId: number; emailSent: boolean; at: number; shown: boolean };
  }
}

/** A public form's sending: the request it stored and whether its link went out by e-mail. */
interface Sending {
  requestId: number;
  emailSent: boolean;
}

/** 128 random bits in base64url, as issued with each public form. */
const SUBMISSION_KEY = /^[A-Za-z0-9_-]{22}$/;
/** Enough to recognise the forms of one visit; older keys would only fill the session row. */
const KEYS_KEPT = 20;
/** How long a key is also remembered in memory (see `recentKeys`). */
const RECENT_KEY_MS = 10 * 60_000;
const RECENT_KEYS_MAX = 10_000;

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

/** The follow-up link is a secret: it must not leak through the Referer header or a cache. */
const privatePage: RequestHandler = (_req, res, next) => {
  res.set('Referrer-Policy', 'no-referrer');
  res.set('Cache-Control', 'no-store');
  next();
};

export interface PublicRequestsDeps {
  requests: RequestsService;
  regions: { list(): Promise<Region[]> };
  /** The form offers the situations of the active campaigns. */
  campaigns: { list(): Promise<Array<{ status: string; situations: readonly string[] }>> };
  /** Null without SMTP: the follow-up link is then only shown, never e-mailed. */
  mailer: Mailer | null;
  /** How else to reach the union, shown when the form turns an agent away. */
  settings: Pick<SettingsService, 'current'>;
  now: () => Date;
  logger: Logger;
  config: { baseUrl: string; publicFormLimitPerHour: number; requestRetentionDays: number };
}

/** The agents' side: the public form and each request's private follow-up page. */
export function publicRequestsRoutes({ requests, regions, campaigns, mailer, settings, now, logger, config }: PublicRequestsDeps): Router {
  const router = Router();

  // A whole office may share one address: the agent turned away keeps what they typed, learns when
  // to send it again, and how else to reach the union (src/settings/).
  const limitSubmissions = rateLimit({
    windowMs: 60 * 60_000,
    limit: config.publicFormLimitPerHour,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const { resetTime } = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit ?? {};
      settings
        .current()
        .then(({ unionContact }) =>
          renderForm(res, req.body ?? {}, undefined, false, { retryAt: resetTime ?? new Date(now().getTime() + 60 * 60_000), unionContact }),
        )
        .catch(next);
    },
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

  /**
   * A double click sends the form twice at once: the second request reads the session before the
   * first one has saved its key there. Keys being handled or just used are kept here too (keys only,
   * tied to the session), checked and taken before anything is awaited.
   */
  const recentKeys = new Map<string, { expires: number; sending: Promise<Sending | undefined> }>();
  /**
   * Claims the key for this sending: undefined when it is the first, which must then `settle` it;
   * otherwise the first sending's outcome, once known (a double click's second request may arrive
   * while the first is still being stored).
   */
  function takeKey(slot: string): { settle: (outcome: Sending | undefined) => void } | { sending: Promise<Sending | undefined> } {
    const at = now().getTime();
    for (const [old, entry] of recentKeys) {
      if (entry.expires > at && recentKeys.size < RECENT_KEYS_MAX) break;
      recentKeys.delete(old);
    }
    const live = recentKeys.get(slot);
    if (live && live.expires > at) return { sending: live.sending };
    let settle!: (outcome: Sending | undefined) => void;
    const sending = new Promise<Sending | undefined>((resolve) => (settle = resolve));
    recentKeys.set(slot, { expires: at + RECENT_KEY_MS, sending });
    return { settle };
  }

  async function renderForm(
    res: Response,
    values: Record<string, unknown>,
    errors?: Record<string, string>,
    staleForm = false,
    throttled?: { retryAt: Date; unionContact: string },
  ) {
    if (throttled) setRetryAfter(res, throttled.retryAt, now());
    res.status(throttled ? 429 : errors || staleForm ? 400 : 200).render('requests/public-form', {
      title: 'Demander l’accompagnement de la CGT',
      // A fresh key each time the form is shown: a key is spent only by a request actually stored.
      submissionKey: randomBytes(16).toString('base64url'),
      staleForm,
      regions: (await regions.list()).map((r) => ({ code: r.code, label: r.name })),
      situations: await situationChoices(),
      retentionDays: config.requestRetentionDays,
      contactChoices: CONTACT_CHOICES,
      consentChoices: CONSENT_CHOICES,
      values,
      errors,
      throttled: throttled && { retryAt: throttled.retryAt.toISOString(), contactLines: throttled.unionContact ? throttled.unionContact.split('\n') : [] },
    });
  }

  /** E-mails the private link when SMTP is set up; a failure is logged, never shown as an error. */
  async function sendFollowUpLink(to: string, reference: string, url: string): Promise<boolean> {
    if (!mailer) return false;
    try {
      await mailer.send({
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
    const key = req.body?.submissionKey;
    // Without its key the form cannot be told from one already sent (a page older than the key):
    // shown again with everything typed, to be sent once more.
    if (typeof key !== 'string' || !SUBMISSION_KEY.test(key)) return renderForm(res, req.body ?? {}, undefined, true);
    const slot = `${req.sessionID}:${key}`;
    if (req.session.publicRequestKeys?.includes(key)) return renderAlreadySent(req, res, key);
    let claim = takeKey(slot);
    while ('sending' in claim) {
      const first = await claim.sending;
      if (first) return renderAlreadySent(req, res, key, first);
      // The first sending stored nothing (a refused form): this one is a sending of its own.
      claim = takeKey(slot);
    }
    let stored: Sending | undefined;
    try {
      const regionCodes = (await regions.list()).map((r) => r.code);
      const situationCodes = (await situationChoices()).map((s) => s.code);
      const form = parseForm(publicRequestSchema(regionCodes, situationCodes), req.body);
      if (!form.ok) return await renderForm(res, form.values, form.errors);
      if (form.data.precisions) {
        // A robot filled the hidden field: answer as usual, keep nothing (not even the key in the
        // session), and point to no follow-up link, since none exists.
        return res.render('requests/public-thanks', { title: 'Demande envoyée' });
      }
      const { consent: _consent, precisions: _precisions, ...input } = form.data;
      const created = await requests.submit(input);
      const token = created.token;
      stored = { requestId: created.id, emailSent: false };
      req.session.publicRequestKeys = [...(req.session.publicRequestKeys ?? []), key].slice(-KEYS_KEPT);
      const emailSent = input.email ? await sendFollowUpLink(input.email, created.reference, `${config.baseUrl}/demande/suivi/${token}`) : false;
      stored.emailSent = emailSent;
      req.session.publicRequestSent = { key, requestId: created.id, emailSent, at: now().getTime(), shown: false };
      // Post/Redirect/Get: reloading the confirmation must not send the form again. The link goes
      // only to the browser, in Location (the request log writes route patterns, never headers).
      res.redirect(303, `/demande/suivi/${token}`);
    } finally {
      if (!stored) recentKeys.delete(slot);
      claim.settle(stored);
    }
  });

  /**
   * A form sent again (a second click that got through, a page the browser kept as it was): nothing
   * stored twice, and no link, which is kept nowhere.
   */
  async function renderAlreadySent(req: Request, res: Response, key: string, first?: Sending) {
    // A double click's second request may have read the session before the first saved it.
    if (first && req.session.publicRequestSent?.key !== key) {
      req.session.publicRequestSent = { key, ...first, at: now().getTime(), shown: false };
    }
    const sent = req.session.publicRequestSent;
    const same = sent?.key === key ? sent : undefined;
    const request = same ? await requests.findById(same.requestId) : undefined;
    res.render('requests/public-already-sent', {
      title: 'Demande déjà envoyée',
      reference: request?.reference,
      emailSent: same?.emailSent ?? false,
      // Without the record of this sending, an e-mail may have gone out.
      emailPerhaps: !same && mailer !== null,
      newLink: same && request && mayRenewLink(same) ? { key } : undefined,
    });
  }

  /**
   * The link of a request just sent was shown only on a page this second sending replaced (or for a
   * moment) and no e-mail carried it: rather than leave the agent without any way to follow their
   * request, this browser may ask for a new one, for a short while.
   */
  function mayRenewLink(sent: NonNullable<Request['session']['publicRequestSent']>): boolean {
    return !sent.emailSent && now().getTime() - sent.at < RECENT_KEY_MS;
  }

  /**
   * A new follow-up link for the request this browser just sent. The previous one stops working:
   * no token is kept anywhere, so the request can only be reached again through a new one.
   */
  router.post('/demande/nouveau-lien', limitSubmissions, async (req, res) => {
    const sent = req.session.publicRequestSent;
    const key = req.body?.submissionKey;
    if (!sent || typeof key !== 'string' || sent.key !== key || !mayRenewLink(sent)) throw notFound();
    if (!(await requests.findById(sent.requestId))) throw notFound();
    const token = await requests.renewLink(sent.requestId);
    // The follow-up page shows the confirmation again, with the new link.
    req.session.publicRequestSent = { ...sent, shown: false };
    res.redirect(303, `/demande/suivi/${token}`);
  });

  async function byToken(req: Request) {
    const found = await requests.byToken(String(req.params.token));
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
    const messages = await requests.followedUp(request);
    // The first visit after sending, from the browser that sent it, is the confirmation; once only.
    const just = req.session.publicRequestSent;
    const sent = req.method === 'GET' && just?.requestId === request.id && !just.shown ? just : undefined;
    // Kept a while, shown: a second sending of the form may still offer a new link (mayRenewLink).
    if (sent) req.session.publicRequestSent = { ...sent, shown: true };
    res.status(status).render('requests/public-follow-up', {
      title: sent ? 'Demande envoyée' : `Votre demande ${request.reference}`,
      confirmation: sent && {
        followUpUrl: `${config.baseUrl}/demande/suivi/${String(req.params.token)}`,
        emailSent: sent.emailSent,
      },
      request,
      statusLabel: REQUEST_STATUS_LABELS[request.status],
      situationLabel: requestSituationLabel(request.situation),
      regionName: (await regions.list()).find((r) => r.code === request.regionCode)?.name ?? request.regionCode,
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
    await requests.agentMessage(request, form.data.body);
    res.redirect(303, `/demande/suivi/${req.params.token}#messages`);
  });

  router.post('/demande/suivi/:token/contact', privatePage, async (req, res) => {
    const request = await byToken(req);
    const form = parseForm(contactSchema, req.body);
    if (!form.ok) return renderFollowUp(req, res, { contact: { values: form.values, errors: form.errors } }, 400);
    await requests.updateContact(request, form.data);
    res.redirect(303, `/demande/suivi/${req.params.token}`);
  });

  router.post('/demande/suivi/:token/effacer', privatePage, async (req, res) => {
    const request = await byToken(req);
    if (req.body?.confirm !== 'on') {
      return renderFollowUp(req, res, { erase: { errors: { confirm: 'Cochez la case pour confirmer l’effacement.' } } }, 400);
    }
    await requests.erase(request);
    res.render('requests/public-erased', { title: 'Demande effacée', hadCase: request.caseId !== null });
  });

  return router;
}
