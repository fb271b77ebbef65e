import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { HttpError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A second line behind the token: a state change announced by the browser as coming from another
 * site (Sec-Fetch-Site: cross-site), or from another origin, is refused before anything is read.
 * Our origin is the configured BASE_URL or the one the request arrived at (through a trusted proxy,
 * its X-Forwarded-Proto and X-Forwarded-Host). Requests without these headers still need the token.
 */
export function refuseCrossSite(baseUrl: string): RequestHandler {
  const configured = new URL(baseUrl).origin;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const refused = () => next(new HttpError(403, 'Action refusée : cette demande ne vient pas de Vigie. Rechargez la page et recommencez.'));
    if (req.get('sec-fetch-site') === 'cross-site') return refused();
    const origin = req.get('origin');
    // « null » is what a browser sends from a page with Referrer-Policy: no-referrer (the agents'
    // follow-up page): it says nothing, and Sec-Fetch-Site and the token still apply.
    if (origin !== undefined && origin !== 'null' && origin !== configured && origin !== `${req.protocol}://${req.host}`) return refused();
    next();
  };
}

/**
 * Synchroniser tokens kept in the server-side session. Every form posts `_csrf`;
 * any state change without the session's token is refused with 403 and changes nothing.
 */
export function createCsrf() {
  const { csrfSynchronisedProtection, generateToken, isRequestValid, invalidCsrfTokenError } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
    errorConfig: { statusCode: 403, message: 'Jeton CSRF invalide', code: 'EBADCSRFTOKEN' },
  });
  // Made when a form prints it, not for every page: a page without a form (the guide, an error
  // page) then stores no session and sets no cookie for an anonymous visitor.
  const exposeToken: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = lazyToken(() => generateToken(req));
    next();
  };
  // isRequestValid lets a multipart upload check its token before reading the file (src/case-import/case-import.routes.ts).
  return { protect: csrfSynchronisedProtection, exposeToken, isRequestValid, invalidTokenError: invalidCsrfTokenError };
}

/**
 * A value Handlebars prints by turning it into a string: the token is generated (and stored in the
 * session) the first time a view prints it, then the same token is printed again.
 */
export interface LazyToken {
  toString(): string;
}

function lazyToken(make: () => string): LazyToken {
  let token: string | undefined;
  return {
    toString() {
      token ??= make();
      return token;
    },
  };
}
