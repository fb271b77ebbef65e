import { Router } from 'express';
import type { Campaign } from '../campaigns/campaigns.repository';
import { sendDocument } from '../web/send-document';
import { buildRightsGuideDocument, loadRightsGuide } from './rights-guide';

export interface RightsGuideDeps {
  /** The guide names the campaigns under way. */
  campaigns: { list(): Promise<Campaign[]> };
  now: () => Date;
}

/** Public: an agent who has just been summoned can read it without an account. */
export function rightsGuideRoutes({ campaigns, now }: RightsGuideDeps): Router {
  const router = Router();
  const guide = loadRightsGuide();

  router.get('/guide', async (_req, res) => {
    const doc = buildRightsGuideDocument(guide, await campaigns.list(), now());
    res.render('briefs/guide', { title: doc.title, doc });
  });

  router.get('/guide.pdf', async (_req, res) => {
    const doc = buildRightsGuideDocument(guide, await campaigns.list(), now());
    await sendDocument(res, doc, 'pdf', { inline: true });
  });

  return router;
}
