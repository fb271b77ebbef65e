import type { RequestParamHandler, Response } from 'express';
import { notFound } from '../web/errors';
import { currentUser } from '../web/guards';
import { idParam } from '../web/validation';
import type { LoadedCase } from './case-load.repository';
import type { CasePages } from './case-pages.service';

/**
 * The case of a /dossiers/:id route, read once per request with its visibility checked once
 * (src/access/case-visibility.ts): a 404 page for an id that is not a number, a case that does not
 * exist and a case outside the user's regions alike. Handlers then take it from loadedCase(res).
 */
export function caseParam(cases: Pick<CasePages, 'load'>): RequestParamHandler {
  return async (_req, res, next, raw: unknown) => {
    const id = idParam.safeParse(raw);
    const kase = id.success ? await cases.load(currentUser(res), id.data) : undefined;
    if (!kase) throw notFound();
    res.locals.kase = kase;
    next();
  };
}

export function loadedCase(res: Response): LoadedCase {
  const kase = res.locals.kase as LoadedCase | undefined;
  // Only a route without caseParam gets here without a case: a programming error, not a 404.
  if (!kase) throw new Error('no case loaded for this route');
  return kase;
}
