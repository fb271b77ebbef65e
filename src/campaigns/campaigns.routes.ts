import { Router, type Response } from 'express';
import {
  CAMPAIGN_METRICS,
  NATIONAL_SCOPE,
  describeFigures,
  type CampaignFigure,
  type MetricCode,
} from '../domain/campaign-metrics';
import { SITUATIONS, situationLabel, type SituationCode } from '../domain/situations';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireAdmin, requireUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import type { Region } from '../regions/regions.repository';
import type { CampaignWithFigures } from './campaigns.repository';
import type { CampaignsService } from './campaigns.service';
import { campaignSchema, figureFieldName, figuresSchema } from './campaigns.schemas';

export interface CampaignsRoutesDeps {
  campaigns: CampaignsService;
  regions: { list(): Promise<Region[]>; nameOf(code: string): Promise<string> };
}

export function campaignsRoutes({ campaigns, regions }: CampaignsRoutesDeps): Router {
  const router = Router();
  router.use('/campagnes', requireUser);

  async function findCampaign(rawId: unknown): Promise<CampaignWithFigures> {
    const id = idParam.safeParse(rawId);
    const campaign = id.success ? await campaigns.findById(id.data) : undefined;
    if (!campaign) throw notFound();
    return campaign;
  }

  function renderForm(res: Response, locals: Record<string, unknown>, status = 200) {
    res.status(status).render('campaigns/form', { situations: SITUATIONS, ...locals });
  }

  router.get('/campagnes', async (_req, res) => {
    const list = await campaigns.list();
    res.render('campaigns/list', {
      title: 'Campagnes',
      campaigns: list.map((c) => ({ ...c, situationLabels: c.situations.map(situationLabel) })),
    });
  });

  router.get('/campagnes/nouvelle', requireAdmin, (_req, res) => {
    renderForm(res, {
      title: 'Nouvelle campagne',
      action: '/campagnes',
      values: { status: 'active', excludesSanctions: true, reportRequired: true, situations: [] },
    });
  });

  router.post('/campagnes', requireAdmin, async (req, res) => {
    const form = parseForm(campaignSchema, req.body);
    const errors = form.ok ? {} : form.errors;
    if (form.ok && (await campaigns.nameExists(form.data.name))) errors.name = 'Une campagne porte déjà ce nom.';
    if (!form.ok || errors.name) {
      return renderForm(res, { title: 'Nouvelle campagne', action: '/campagnes', values: req.body, errors }, 400);
    }
    const id = await campaigns.create(currentUser(res), form.data);
    flash(req, 'success', 'Campagne créée.');
    res.redirect(303, `/campagnes/${id}`);
  });

  router.get('/campagnes/:id', async (req, res) => {
    const campaign = await findCampaign(req.params.id);
    const regionList = await regions.list();
    const scopes = [...new Set(campaign.figures.map((f) => f.scope))].sort((a, b) =>
      a === NATIONAL_SCOPE ? -1 : b === NATIONAL_SCOPE ? 1 : a.localeCompare(b),
    );
    res.render('campaigns/show', {
      title: campaign.name,
      campaign,
      situationLabels: campaign.situations.map(situationLabel),
      figureGroups: scopes.map((scope) => ({
        scope,
        name: scope === NATIONAL_SCOPE ? 'National' : (regionList.find((r) => r.code === scope)?.name ?? scope),
        lines: describeFigures(campaign.figures.filter((f) => f.scope === scope)),
      })),
    });
  });

  router.get('/campagnes/:id/modifier', requireAdmin, async (req, res) => {
    const campaign = await findCampaign(req.params.id);
    renderForm(res, { title: `Modifier : ${campaign.name}`, action: `/campagnes/${campaign.id}`, campaign, values: campaign });
  });

  router.post('/campagnes/:id', requireAdmin, async (req, res) => {
    const campaign = await findCampaign(req.params.id);
    const form = parseForm(campaignSchema, req.body);
    const errors = form.ok ? {} : form.errors;
    if (form.ok && (await campaigns.nameExists(form.data.name, campaign.id))) errors.name = 'Une campagne porte déjà ce nom.';
    if (!form.ok || errors.name) {
      return renderForm(
        res,
        { title: `Modifier : ${campaign.name}`, action: `/campagnes/${campaign.id}`, campaign, values: req.body, errors },
        400,
      );
    }
    const { reassessed } = await campaigns.update(currentUser(res), campaign.id, form.data);
    flash(req, 'success', reassessed > 0 ? `Campagne mise à jour ; ses ${reassessed} dossier(s) ont été réévalués.` : 'Campagne mise à jour.');
    res.redirect(303, `/campagnes/${campaign.id}`);
  });

  async function figuresPage(res: Response, campaign: CampaignWithFigures, scope: string, values: Record<string, unknown>, errors?: Record<string, string>) {
    const fields: Array<{ name: string; label: string; unit: string }> = CAMPAIGN_METRICS.flatMap((metric): Array<{ name: string; label: string; unit: string }> =>
      metric.bySituation
        ? SITUATIONS.map((s) => ({ name: figureFieldName(metric.code, s.code), label: `${metric.label} — ${s.label}`, unit: metric.unit }))
        : [{ name: metric.code, label: metric.label, unit: metric.unit }],
    );
    res.status(errors ? 400 : 200).render('campaigns/figures', {
      title: `Chiffres officiels : ${campaign.name}`,
      campaign,
      scope,
      scopeName: scope === NATIONAL_SCOPE ? 'national' : await regions.nameOf(scope),
      regions: await regions.list(),
      fields: fields.map((f) => ({
        ...f,
        label: f.unit === 'percent' ? `${f.label} (en %)` : f.label,
        value: values[f.name] ?? '',
        error: errors?.[f.name],
      })),
      values,
      errors,
    });
  }

  function figureValues(campaign: CampaignWithFigures, scope: string): Record<string, unknown> {
    const values: Record<string, unknown> = { scope };
    for (const f of campaign.figures.filter((x) => x.scope === scope)) {
      values[figureFieldName(f.metric, f.situationCode || undefined)] = String(f.value);
      values.source = f.source;
    }
    return values;
  }

  router.get('/campagnes/:id/chiffres', requireAdmin, async (req, res) => {
    const campaign = await findCampaign(req.params.id);
    const codes = (await regions.list()).map((r) => r.code);
    const requested = typeof req.query.perimetre === 'string' ? req.query.perimetre : NATIONAL_SCOPE;
    const scope = requested === NATIONAL_SCOPE || codes.includes(requested) ? requested : NATIONAL_SCOPE;
    await figuresPage(res, campaign, scope, figureValues(campaign, scope));
  });

  router.post('/campagnes/:id/chiffres', requireAdmin, async (req, res) => {
    const campaign = await findCampaign(req.params.id);
    const codes = (await regions.list()).map((r) => r.code);
    const form = parseForm(figuresSchema(codes), req.body);
    if (!form.ok) {
      const scope = typeof req.body?.scope === 'string' && codes.includes(req.body.scope) ? req.body.scope : NATIONAL_SCOPE;
      return figuresPage(res, campaign, scope, form.values, form.errors);
    }
    const data = form.data as Record<string, unknown> & { scope: string; source: string };
    const figures: CampaignFigure[] = [];
    for (const metric of CAMPAIGN_METRICS) {
      const situations: Array<SituationCode | ''> = metric.bySituation ? SITUATIONS.map((s) => s.code) : [''];
      for (const situationCode of situations) {
        const value = data[figureFieldName(metric.code, situationCode || undefined)];
        if (typeof value === 'number') {
          figures.push({ scope: data.scope, metric: metric.code as MetricCode, situationCode, value, source: data.source });
        }
      }
    }
    await campaigns.replaceFigures(currentUser(res), campaign.id, data.scope, figures);
    flash(req, 'success', 'Chiffres enregistrés.');
    res.redirect(303, `/campagnes/${campaign.id}`);
  });

  return router;
}
