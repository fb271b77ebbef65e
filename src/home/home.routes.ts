import { Router } from 'express';
import type { User } from '../access/user';
import type { Campaign } from '../campaigns/campaigns.repository';
import type { Region } from '../regions/regions.repository';
import { currentUser, requireUser } from '../web/guards';

export interface HomeDeps {
  campaigns: { list(): Promise<Campaign[]> };
  regions: { list(): Promise<Region[]> };
  /** One active campaign's figures for the user, from the cases' read model. */
  dashboard(user: User, campaign: Campaign): Promise<unknown>;
  requests: { countStale(user: User): Promise<number> };
  smtpConfigured: boolean;
}

export function homeRoutes({ campaigns: campaignList, regions, dashboard, requests, smtpConfigured }: HomeDeps): Router {
  const router = Router();

  router.get('/', requireUser, async (_req, res) => {
    const user = currentUser(res);
    const [campaigns, regionList] = await Promise.all([campaignList.list(), regions.list()]);
    const regionNames = user.regions.map((code) => regionList.find((r) => r.code === code)?.name ?? code);
    const dashboards = await Promise.all(campaigns.filter((c) => c.status === 'active').map((c) => dashboard(user, c)));
    const staleRequests = await requests.countStale(user);
    res.render('home/index', {
      dashboards,
      staleRequests,
      title: 'Accueil',
      user,
      regionNames,
      activeCampaigns: campaigns.filter((c) => c.status === 'active'),
      isAdmin: user.role === 'admin',
      smtpMissing: user.role === 'admin' && !smtpConfigured,
    });
  });

  return router;
}
