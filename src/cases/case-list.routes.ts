import { Router } from 'express';
import { DateTime } from 'luxon';
import { COMMITMENT_STATUS_LABELS } from '../domain/commitment';
import { parisToday } from '../domain/french-dates';
import { SITUATIONS } from '../domain/situations';
import { currentUser } from '../web/guards';
import type { CasePages } from './case-pages.service';
import { commitmentView } from './case-presenter';
import { toCsv } from './cases-csv';
import { listHref, readListQuery } from './list-query';

const PER_PAGE = 25;

/** The list of cases, its filters and counts, and its CSV export. */
export function caseListRoutes({ cases, now }: { cases: CasePages; now: () => Date }): Router {
  const router = Router();

  router.get('/dossiers', async (req, res) => {
    const user = currentUser(res);
    const today = parisToday(now());
    const { query, filters, sort, page } = readListQuery(req.query, today);
    const [{ items, total }, { byStatus, bySituation, sites }, choices] = await Promise.all([
      cases.list(user, filters, { sort, page, perPage: PER_PAGE }),
      cases.listFacets(user, filters),
      cases.choices(user),
    ]);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const activeFilters = Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'page' && k !== 'tri').length;
    res.render('cases/list', {
      title: 'Dossiers',
      query,
      total,
      items: items.map((i) => ({
        ...i,
        regionName: choices.regions.find((r) => r.code === i.regionCode)?.name ?? i.regionCode,
        commitment: commitmentView(i.commitmentStatus),
        situationLabels: i.situations.map((s) => SITUATIONS.find((x) => x.code === s)?.label ?? s),
      })),
      statusFacets: (['breached', 'at_risk', 'respected'] as const).map((code) => ({
        code,
        label: COMMITMENT_STATUS_LABELS[code],
        count: byStatus[code],
        href: listHref(query, { engagement: query.engagement === code ? undefined : code, page: undefined }),
        active: query.engagement === code,
        badge: commitmentView(code).badge,
      })),
      situationFacets: SITUATIONS.map((s) => ({
        ...s,
        count: bySituation.get(s.code) ?? 0,
        href: listHref(query, { situation: query.situation === s.code ? undefined : s.code, page: undefined }),
        active: query.situation === s.code,
      })),
      campaigns: choices.campaigns,
      regions: choices.regions,
      // Marked here rather than by a helper per option: a rep's regions hold hundreds of agencies.
      sites: sites.map((name) => ({ name, selected: name === query.site })),
      reps: choices.reps,
      page,
      pages,
      prevHref: page > 1 ? listHref(query, { page: page - 1 }) : null,
      nextHref: page < pages ? listHref(query, { page: page + 1 }) : null,
      exportHref: listHref(query, { page: undefined, tri: undefined }, '/dossiers/export.csv'),
      briefsHref: listHref(query, { page: undefined, tri: undefined }, '/dossiers/argumentaires'),
      hasFilters: activeFilters > 0,
      activeFilters,
      openFilters: Boolean(query.q),
    });
  });

  router.get('/dossiers/export.csv', async (req, res) => {
    const user = currentUser(res);
    const { filters } = readListQuery(req.query, parisToday(now()));
    const [rows, regionNames] = await Promise.all([cases.exportRows(user, filters), cases.regionNames()]);
    const stamp = DateTime.fromJSDate(now()).setZone('Europe/Paris').toFormat('yyyy-LL-dd');
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="vigie-dossiers-${stamp}.csv"`);
    res.send(toCsv(rows, regionNames));
  });

  return router;
}
