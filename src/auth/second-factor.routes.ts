import { Router, type Request, type Response } from 'express';
import type { User } from '../access/user';
import { flash } from '../web/flash';
import { formatDateTime } from '../web/helpers/format-date-time';
import { currentUser, requireUser, safeReturnPath } from '../web/guards';
import { parseForm } from '../web/validation';
import { CODE_PATH, ENROL_PATH } from './second-factor.gate';
import { codeSchema } from './second-factor.schemas';
import type { CodeOutcome, SecondFactorService } from './second-factor.service';
import { beginSecondStep, pendingSecondStep } from './second-step-session';
import { signIn } from './sign-in';
import { setRetryAfter } from '../web/retry-after';

const ACCOUNT_PATH = '/compte/double-authentification';

export interface SecondFactorRoutesDeps {
  secondFactor: SecondFactorService;
  now: () => Date;
}

const REFUSALS: Record<Exclude<CodeOutcome, { ok: true }>['reason'], string> = {
  wrong: 'Ce code n’est pas le bon. Vérifiez l’heure de votre téléphone, ou utilisez un code de secours.',
  replayed: 'Ce code a déjà servi. Attendez le suivant (il change toutes les 30 secondes).',
  locked: 'Trop de codes erronés.',
};

/** The refusal's status and message; a lock says until when, as the password step does. */
function refusal(res: Response, outcome: Exclude<CodeOutcome, { ok: true }>, now: Date): { status: number; message: string } {
  if (outcome.reason !== 'locked') return { status: 401, message: REFUSALS[outcome.reason] };
  setRetryAfter(res, outcome.until, now);
  return { status: 429, message: `${REFUSALS.locked} Par sécurité, réessayez à partir du ${formatDateTime(outcome.until)}.` };
}

/**
 * What follows a right password (called by the login route): the code page for an account with a
 * second factor, the enrolment for one that must have one, else the page asked for. Tells the
 * holder once when an administrator reset their second factor.
 */
export async function continueAfterPassword(
  req: Request,
  user: Pick<User, 'id' | 'role'>,
  deps: SecondFactorRoutesDeps,
): Promise<string> {
  const resetAt = await deps.secondFactor.takeResetNotice(user.id);
  const step = await deps.secondFactor.stepAfterPassword(user);
  // Told after the session is renewed, or the renewal would drop the message.
  const tell = () => {
    if (!resetAt) return;
    flash(req, 'info', `Votre double authentification a été réinitialisée par un·e administrateur·rice le ${formatDateTime(resetAt)}. Configurez-la de nouveau avec votre téléphone.`);
  };
  if (step === 'code') {
    await beginSecondStep(req, user.id, deps.now());
    tell();
    return CODE_PATH;
  }
  await signIn(req, user.id, deps.now());
  tell();
  req.session.secondFactor = step === 'enrol' ? 'enrol' : 'ok';
  if (step === 'enrol') return ENROL_PATH;
  const target = safeReturnPath(req.session.returnTo) ?? '/';
  delete req.session.returnTo;
  return target;
}

export function secondFactorRoutes(deps: SecondFactorRoutesDeps): Router {
  const { secondFactor, now } = deps;
  const router = Router();

  // ---- the login's second step (public: the pending session is the credential) ----

  router.get(CODE_PATH, (req, res) => {
    if (!pendingSecondStep(req, now())) return res.redirect(303, '/connexion');
    res.render('auth/second-factor-code', { title: 'Code de vérification' });
  });

  router.post(CODE_PATH, async (req, res) => {
    const userId = pendingSecondStep(req, now());
    if (!userId) {
      flash(req, 'info', 'La connexion a expiré : saisissez de nouveau votre mot de passe.');
      return res.redirect(303, '/connexion');
    }
    const form = parseForm(codeSchema, req.body);
    if (!form.ok) return res.status(400).render('auth/second-factor-code', { title: 'Code de vérification', errors: form.errors });
    const outcome = await secondFactor.verify(userId, form.data.code);
    if (!outcome.ok) {
      const { status, message } = refusal(res, outcome, now());
      return res.status(status).render('auth/second-factor-code', { title: 'Code de vérification', formError: message });
    }
    await signIn(req, userId, now());
    req.session.secondFactor = 'ok';
    if (outcome.via === 'recovery') {
      flash(
        req,
        outcome.recoveryCodesLeft > 2 ? 'info' : 'error',
        `Code de secours utilisé : il ne servira plus. Il vous en reste ${outcome.recoveryCodesLeft}. ` +
          'Si vous avez perdu votre téléphone, créez de nouveaux codes ou demandez une réinitialisation.',
      );
    }
    const target = safeReturnPath(req.session.returnTo) ?? '/';
    delete req.session.returnTo;
    res.redirect(303, target);
  });

  // ---- the account's own second factor ----

  router.get(ACCOUNT_PATH, requireUser, async (_req, res) => {
    const user = currentUser(res);
    res.render('account/second-factor', { title: 'Double authentification', status: await secondFactor.status(user) });
  });

  async function renderEnrolment(req: Request, res: Response, status = 200, locals: Record<string, unknown> = {}) {
    const user = currentUser(res);
    const enrolment = await secondFactor.beginEnrolment(user, req.session.secondFactorPending);
    if (!enrolment) return res.redirect(303, ACCOUNT_PATH);
    req.session.secondFactorPending = enrolment.pendingBox;
    res.status(status).render('account/second-factor-enrol', {
      title: 'Activer la double authentification',
      enrolment,
      mustEnrol: res.locals.mustEnrol === true,
      ...locals,
    });
  }

  router.get(ENROL_PATH, requireUser, async (req, res) => {
    await renderEnrolment(req, res);
  });

  router.post(ENROL_PATH, requireUser, async (req, res) => {
    const user = currentUser(res);
    const form = parseForm(codeSchema, req.body);
    if (!form.ok) return renderEnrolment(req, res, 400, { errors: form.errors });
    const result = await secondFactor.confirmEnrolment(user, req.session.secondFactorPending, form.data.code);
    if (!result.ok) {
      if (result.reason === 'not_pending') return res.redirect(303, ACCOUNT_PATH);
      const { status, message } = refusal(res, result, now());
      return renderEnrolment(req, res, status, { formError: message });
    }
    req.session.secondFactor = 'ok';
    delete req.session.secondFactorPending;
    res.locals.mustEnrol = false;
    const target = safeReturnPath(req.session.returnTo) ?? '/';
    delete req.session.returnTo;
    res.render('account/recovery-codes', { title: 'Vos codes de secours', recoveryCodes: result.recoveryCodes, enrolled: true, next: target });
  });

  router.post(`${ACCOUNT_PATH}/codes-de-secours`, requireUser, async (req, res) => {
    const user = currentUser(res);
    const form = parseForm(codeSchema, req.body);
    const result = form.ok ? await secondFactor.renewRecoveryCodes(user, form.data.code) : ({ ok: false, reason: 'wrong' } as const);
    if (!result.ok) {
      const { status, message } = refusal(res, result, now());
      return res.status(status).render('account/second-factor', { title: 'Double authentification', status: await secondFactor.status(user), formError: message });
    }
    res.render('account/recovery-codes', { title: 'Vos codes de secours', recoveryCodes: result.recoveryCodes, next: ACCOUNT_PATH });
  });

  router.post(`${ACCOUNT_PATH}/desactiver`, requireUser, async (req, res) => {
    const user = currentUser(res);
    const form = parseForm(codeSchema, req.body);
    const result = form.ok ? await secondFactor.disable(user, form.data.code) : ({ ok: false, reason: 'wrong' } as const);
    if (!result.ok) {
      const { status, message } =
        result.reason === 'required'
          ? { status: 403, message: 'La double authentification est obligatoire pour votre compte : elle ne peut pas être désactivée.' }
          : refusal(res, result, now());
      return res.status(status).render('account/second-factor', { title: 'Double authentification', status: await secondFactor.status(user), formError: message });
    }
    flash(req, 'success', 'La double authentification est désactivée pour votre compte.');
    res.redirect(303, ACCOUNT_PATH);
  });

  return router;
}
