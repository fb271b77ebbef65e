import type { RequestHandler } from 'express';
import { safeReturnPath } from '../web/guards';
import type { SecondFactorService } from './second-factor.service';
import { beginSecondStep } from './second-step-session';

declare global {
  namespace Express {
    interface Locals {
      /** The account must set up its second factor before any other page: the layout hides the menu. */
      mustEnrol?: boolean;
    }
  }
}

export const ENROL_PATH = '/compte/double-authentification/activer';
export const CODE_PATH = '/connexion/code';

/** What an account that must enrol may still reach: the enrolment itself, and signing out. */
const WHILE_ENROLLING = new Set([`GET ${ENROL_PATH}`, `POST ${ENROL_PATH}`, 'POST /deconnexion']);

/**
 * Behind loadCurrentUser, before every page. A session signed in without its second step (through
 * a password link, or before two-factor authentication existed) is sent to the code page, no
 * longer signed in; an account that must have a second factor and has none reaches only the
 * enrolment page until it is done.
 */
export function secondFactorGate(deps: { secondFactor: Pick<SecondFactorService, 'stepAfterPassword'>; now: () => Date }): RequestHandler {
  return async (req, res, next) => {
    const user = res.locals.currentUser;
    if (!user) return next();
    let state = req.session.secondFactor;
    // The state was judged for the role the account had then: a rep made administrator is judged again.
    if (state !== undefined && req.session.secondFactorRole !== undefined && req.session.secondFactorRole !== user.role) state = undefined;
    // An account that must enrol may have done it from another session meanwhile: judged again, this
    // session then gives a code like any sign-in (it is never let in on the password alone).
    if (state === undefined || state === 'enrol') {
      const step = await deps.secondFactor.stepAfterPassword(user);
      if (step === 'code') {
        if (req.method === 'GET') req.session.returnTo = safeReturnPath(req.originalUrl);
        await beginSecondStep(req, user.id, deps.now());
        res.locals.currentUser = undefined;
        return res.redirect(303, CODE_PATH);
      }
      state = req.session.secondFactor = step === 'enrol' ? 'enrol' : 'ok';
    }
    // Written only when it changes: a session saved at every page would send its cookie every time.
    if (req.session.secondFactorRole !== user.role) req.session.secondFactorRole = user.role;
    if (state === 'enrol') {
      res.locals.mustEnrol = true;
      if (!WHILE_ENROLLING.has(`${req.method} ${req.path}`)) return res.redirect(303, ENROL_PATH);
    }
    next();
  };
}
