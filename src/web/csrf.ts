import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser tokens kept in the server-side session. Every form posts `_csrf`;
 * any state change without the session's token is refused with 403 and changes nothing.
 */
export function createCsrf() {
  const { csrfSynchronisedProtection, generateToken, isRequestValid, invalidCsrfTokenError } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
    errorConfig: { statusCode: 403, message: 'Jeton CSRF invalide', code: 'EBADCSRFTOKEN' },
  });
  const exposeToken: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    next();
  };
  // isRequestValid lets a multipart upload check its token before reading the file (src/cases/case-import.routes.ts).
  return { protect: csrfSynchronisedProtection, exposeToken, isRequestValid, invalidTokenError: invalidCsrfTokenError };
}
