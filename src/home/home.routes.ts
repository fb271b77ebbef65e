import { Router } from 'express';
import type { Config } from '../config';
import type { Services } from '../services';
import { scopeOf } from '../access/scope';
import { staleSince } from '../requests/requests.routes';
import { currentUser, requireUser } from '../web/guards';

export function homeRoutes(services: Services, config: Readonly<Config>): Router {
  const router = Router();

  router.get('/', requireUser, async (_req, res) => {
    const user = currentUser(res);
    const [campaigns, regionList] = await Promise.all([services.campaigns.list(), services.regions.list()]);
    const regionNames = user.regions.map((code) => regionList.find((r) => r.code === code)?.name ?? code);
    const dashboards = await Promise.all(
      campaigns.filter((c) => c.status === 'active').map((c) => services.casesService.dashboard(user, c)),
    );
    const staleRequests = await services.requests.countUnassignedSince(scopeOf(user), staleSince(services.now()));
    res.render('home/index', {
      dashboards,
      staleRequests,
      title: 'Accueil',
      user,
      regionNames,
      activeCampaigns: campaigns.filter((c) => c.status === 'active'),
      isAdmin: user.role === 'admin',
      smtpMissing: user.role === 'admin' && config.smtp === null,
    });
  });

  return router;
}
