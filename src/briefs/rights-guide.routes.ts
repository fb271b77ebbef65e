import { Router } from 'express';
import type { Services } from '../services';
import { sendDocument } from '../web/send-document';
import { buildRightsGuideDocument, loadRightsGuide } from './rights-guide';

/** Public: an agent who has just been summoned can read it without an account. */
export function rightsGuideRoutes(services: Services): Router {
  const router = Router();
  const guide = loadRightsGuide();

  router.get('/guide', async (_req, res) => {
    const doc = buildRightsGuideDocument(guide, await services.campaigns.list(), services.now());
    res.render('briefs/guide', { title: doc.title, doc });
  });

  router.get('/guide.pdf', async (_req, res) => {
    const doc = buildRightsGuideDocument(guide, await services.campaigns.list(), services.now());
    await sendDocument(res, doc, 'pdf', { inline: true });
  });

  return router;
}
