import { Router } from 'express';
import { requireUser } from '../web/guards';
import { caseFormRoutes } from './case-form.routes';
import { caseListRoutes } from './case-list.routes';
import { casePageRoutes } from './case-page.routes';
import type { CasePages } from './case-pages.service';
import { caseTimelineRoutes } from './case-timeline.routes';

/**
 * The cases' pages under /dossiers. They receive the feature's face (src/cases/case-pages.service.ts)
 * and the clock, nothing else. Order matters: /dossiers/nouveau and /dossiers/export.csv come before
 * /dossiers/:id would read them as ids.
 */
export function casesRoutes(deps: { cases: CasePages; now: () => Date }): Router {
  const router = Router();
  router.use('/dossiers', requireUser);
  router.use(caseListRoutes(deps));
  router.use(caseFormRoutes(deps));
  router.use(casePageRoutes(deps));
  router.use(caseTimelineRoutes(deps));
  return router;
}
