import { Router } from 'express';
import { HttpError } from '../web/errors';
import { flash } from '../web/flash';
import { formatDateTime } from '../web/helpers/format-date-time';
import { clientIp, currentUser, requireUser, safeReturnPath } from '../web/guards';
import { parseForm } from '../web/validation';
import type { AuthService } from './auth.service';
import { choosePasswordSchema, loginSchema, setupSchema } from './auth.schemas';
import { continueAfterPassword } from './second-factor.routes';
import type { SecondFactorService } from './second-factor.service';
import { signIn, signOut } from './sign-in';
import { setRetryAfter } from '../web/retry-after';

const INVALID_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
const DEAD_LINK = 'Ce lien n’est pas valable : il a déjà servi, il a expiré, ou il est incomplet.';

export interface AuthRoutesDeps {
  auth: AuthService;
  secondFactor: SecondFactorService;
  now: () => Date;
}

export function authRoutes({ auth, secondFactor, now }: AuthRoutesDeps): Router {
  const router = Router();

  router.get('/connexion', (_req, res) => {
    if (res.locals.currentUser) return res.redirect(303, '/');
    res.render('auth/login', { title: 'Connexion', values: {} });
  });

  router.post('/connexion', async (req, res) => {
    const form = parseForm(loginSchema, req.body);
    if (!form.ok) {
      return res.status(400).render('auth/login', { title: 'Connexion', values: { email: form.values.email }, errors: form.errors });
    }
    const outcome = await auth.login(form.data.email, form.data.password, clientIp(req));
    if (!outcome.ok) {
      const locked = outcome.reason === 'locked';
      const message = locked
        ? `Trop de tentatives de connexion. Par sécurité, réessayez à partir du ${formatDateTime(outcome.until)}.`
        : INVALID_CREDENTIALS;
      if (locked) setRetryAfter(res, outcome.until, now());
      return res.status(locked ? 429 : 401).render('auth/login', {
        title: 'Connexion',
        values: { email: form.data.email },
        formError: message,
      });
    }
    // Not signed in yet when the account has a second factor: the code page comes first.
    res.redirect(303, await continueAfterPassword(req, outcome.user, { secondFactor, now }));
  });

  router.post('/deconnexion', requireUser, async (req, res) => {
    const user = currentUser(res);
    await auth.logout(user.id);
    await signOut(req);
    flash(req, 'info', 'Vous êtes déconnecté·e.');
    res.redirect(303, '/connexion');
  });

  router.get('/installation/:token', async (req, res) => {
    if (!(await auth.findSetupToken(req.params.token))) throw new HttpError(404, DEAD_LINK);
    res.render('auth/setup', { title: 'Créer le compte administrateur', values: {} });
  });

  router.post('/installation/:token', async (req, res) => {
    if (!(await auth.findSetupToken(req.params.token))) throw new HttpError(404, DEAD_LINK);
    const form = parseForm(setupSchema, req.body);
    const values = { email: form.values.email, name: form.values.name };
    if (!form.ok) {
      return res.status(400).render('auth/setup', { title: 'Créer le compte administrateur', values, errors: form.errors });
    }
    const result = await auth.completeSetup(req.params.token, form.data);
    if (!result.ok) {
      if (result.reason === 'invalid_link') throw new HttpError(404, DEAD_LINK);
      return res.status(400).render('auth/setup', {
        title: 'Créer le compte administrateur',
        values,
        errors: result.reason === 'weak_password' ? { password: result.message } : { email: 'Un compte existe déjà avec cette adresse.' },
      });
    }
    await signIn(req, result.user.id, now());
    flash(req, 'success', 'Votre compte administrateur est créé. Bienvenue dans Vigie.');
    res.redirect(303, '/');
  });

  router.get('/acces/:token', async (req, res) => {
    const found = await auth.findPasswordToken(req.params.token);
    if (!found) throw new HttpError(404, DEAD_LINK);
    res.render('auth/choose-password', { title: 'Choisir un mot de passe', account: found.user, purpose: found.token.purpose });
  });

  router.post('/acces/:token', async (req, res) => {
    const found = await auth.findPasswordToken(req.params.token);
    if (!found) throw new HttpError(404, DEAD_LINK);
    const form = parseForm(choosePasswordSchema, req.body);
    if (!form.ok) {
      return res.status(400).render('auth/choose-password', {
        title: 'Choisir un mot de passe',
        account: found.user,
        purpose: found.token.purpose,
        errors: form.errors,
      });
    }
    const result = await auth.choosePassword(req.params.token, form.data.password);
    if (!result.ok) {
      if (result.reason === 'invalid_link') throw new HttpError(404, DEAD_LINK);
      return res.status(400).render('auth/choose-password', {
        title: 'Choisir un mot de passe',
        account: found.user,
        purpose: found.token.purpose,
        errors: { password: result.message },
      });
    }
    await signIn(req, result.user.id, now());
    flash(req, 'success', 'Votre mot de passe est enregistré.');
    res.redirect(303, '/');
  });

  return router;
}
