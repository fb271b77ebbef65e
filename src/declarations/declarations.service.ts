import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/audit.repository';
import type { CampaignsRepository } from '../campaigns/campaigns.repository';
import type { CaseStatisticsRepository } from './case-statistics.repository';
import type { DeclarationFigures, FigureSelection } from '../domain/declaration-figures';
import { tallyFigureCases } from '../domain/figure-tally';
import { parisToday } from '../domain/french-dates';
import type { Region, RegionsRepository } from '../regions/regions.repository';
import type { User } from '../access/user';
import { declarationContext } from './declaration-context';
import { buildDeclarationDocument } from './declaration-document';
import { guardedFigures, priorCells, stillSafe } from './declaration-differencing';
import { type DeclarationDraft, type DeclarationSettings, NATIONAL, type SettingsChoices, meetingLabel } from './declaration-draft';
import type { DeclarationTemplates } from './declaration-templates';
import type { DeclarationsRepository, DeclarationSummary } from './declarations.repository';
import type { FigureTallyRepository } from './figure-tally.repository';

export interface DeclarationsDeps {
  statistics: CaseStatisticsRepository;
  tallies: FigureTallyRepository;
  /** Keeps a computation until any case changes (the cases service's read-model cache). */
  cachedUntilCasesChange: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
  campaigns: CampaignsRepository;
  regions: RegionsRepository;
  repository: DeclarationsRepository;
  audit: AuditLog;
  templates: DeclarationTemplates;
  now: () => Date;
}

export const AUTHOR = 'CGT France Travail';

/** Admins, and reps who cover every region, may speak for the whole country. */
function coversAll(user: User, all: readonly Region[]): boolean {
  return user.role === 'admin' || all.every((r) => user.regions.includes(r.code));
}

export function scopeLabel(regions: string[] | 'national', all: readonly Region[]): string {
  if (regions === NATIONAL) return 'ensemble des régions (national)';
  const names = regions.map((code) => all.find((r) => r.code === code)?.name ?? code);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} et ${names.at(-1)}`;
}

/** A fingerprint of the figures, to notice that they changed between composing and generating. */
export function figuresStamp(figures: DeclarationFigures): string {
  return createHash('sha256').update(JSON.stringify(figures)).digest('hex').slice(0, 16);
}

export function createDeclarationsService(deps: DeclarationsDeps) {
  const { statistics, tallies, cachedUntilCasesChange, campaigns, regions, repository, audit, templates, now } = deps;

  /**
   * A selection's counts on a day, kept until a case changes: previews recompute the figures on
   * every click, and the texts and meeting they change leave the counts as they are. Added up from
   * the cases' stored figure facts; counted from the cases themselves while some have none yet.
   */
  function tallyOf(campaignId: number, selection: FigureSelection, today: string) {
    const key = JSON.stringify([campaignId, selection.regions, selection.period.from, selection.period.to, today]);
    return cachedUntilCasesChange(`figure-tally:${key}`, async () => {
      const stored = await tallies.figureTally(campaignId, selection, today);
      if (stored) return stored;
      const cases = await cachedUntilCasesChange(`figure-cases:${campaignId}:${String(selection.regions)}`, () => statistics.figureCases(campaignId, selection.regions));
      return tallyFigureCases(cases, selection, today);
    });
  }

  async function mayRead(user: User, declaration: Pick<DeclarationSummary, 'regions'>): Promise<boolean> {
    const all = await regions.list();
    if (declaration.regions === NATIONAL) return coversAll(user, all);
    return user.role === 'admin' || declaration.regions.every((r) => user.regions.includes(r));
  }

  /** The figures and proposed texts for settings the caller has already validated against the user's choices. */
  async function compose(settings: DeclarationSettings) {
    const campaign = await campaigns.findById(settings.campaignId);
    if (!campaign) return undefined;
    const all = await regions.list();
    const computedAt = now();
    const selection: FigureSelection = { regions: settings.regions, period: { from: settings.periodFrom, to: settings.periodTo } };
    const regionCodes = all.map((r) => r.code);
    // Read on every compose, not cached: a declaration generated since changes what may be printed.
    const prior = priorCells(await repository.published(campaign.id), regionCodes);
    const { figures, differencing, cells } = guardedFigures({
      tally: await tallyOf(campaign.id, selection, parisToday(computedAt)),
      selection,
      official: campaign.figures,
      regionNames: new Map(all.map((r) => [r.code, r.name])),
      prior,
    });
    const context = declarationContext({
      meeting: {
        kind: settings.meetingKind,
        kindLabel: templates.meetingKinds.find((k) => k.id === settings.meetingKind)?.label ?? settings.meetingKind,
        body: settings.bodyName,
        date: settings.meetingDate,
      },
      campaign: {
        name: campaign.name,
        commitmentText: campaign.commitmentText,
        commitmentQuote: campaign.commitmentQuote,
        excludesSanctions: campaign.excludesSanctions,
      },
      scopeLabel: scopeLabel(settings.regions, all),
      period: { from: settings.periodFrom, to: settings.periodTo },
      figures,
      computedAt,
    });
    const proposals = templates.blocks.map((b) => ({ id: b.id, title: b.title, order: b.order, text: b.text(context), citations: b.citations.map((c) => c.label) }));
    return { campaign, figures, differencing, cells, regionCodes, computedAt, context, proposals, stamp: figuresStamp(figures) };
  }

  type Composed = NonNullable<Awaited<ReturnType<typeof compose>>>;

  function build(composed: Composed, draft: DeclarationDraft, versionNumber?: number) {
    return buildDeclarationDocument({
      draft,
      templates,
      context: composed.context,
      figures: composed.figures,
      campaignName: composed.campaign.name,
      computedAt: composed.computedAt,
      author: AUTHOR,
      now: composed.computedAt,
      differencing: composed.differencing !== null,
      ...(versionNumber ? { versionNumber } : {}),
    });
  }

  return {
    templates,

    async choices(user: User): Promise<SettingsChoices & { regionList: Region[]; campaignList: Array<{ id: number; name: string }> }> {
      const all = await regions.list();
      const list = await campaigns.list();
      const own = user.role === 'admin' ? all : all.filter((r) => user.regions.includes(r.code));
      return {
        meetingKinds: templates.meetingKinds.map((k) => k.id),
        campaignIds: list.map((c) => c.id),
        regions: own.map((r) => r.code),
        nationalAllowed: coversAll(user, all),
        regionList: own,
        campaignList: list.map((c) => ({ id: c.id, name: c.name })),
      };
    },

    compose,

    preview(composed: Composed, draft: DeclarationDraft) {
      return build(composed, draft);
    },

    /**
     * Saves an immutable version with the figures computed now. When they differ from those the
     * rep composed with, nothing is saved: the texts may quote figures that are no longer true.
     */
    async generate(user: User, draft: DeclarationDraft, composedStamp: string, submissionKey: string | null): Promise<{ id: number } | { changed: Composed } | undefined> {
      const composed = await compose(draft.settings);
      if (!composed) return undefined;
      if (composed.stamp !== composedStamp) return { changed: composed };
      const id = await repository.create({
        draft,
        figures: composed.figures,
        figuresComputedAt: composed.computedAt,
        build: (number) => build(composed, draft, number),
        submissionKey,
        createdBy: user.id,
        now: now(),
        cells: composed.cells,
        stillSafe: stillSafe(composed.cells.known, composed.regionCodes),
      });
      // Another declaration was generated meanwhile: these figures, beside it, would reveal a small count.
      if (id === 'unsafe') return { changed: (await compose(draft.settings))! };
      await audit.record({ actorUserId: user.id, action: 'create', entityType: 'declaration', entityId: id });
      return { id };
    },

    async list(user: User): Promise<Array<DeclarationSummary & { meetingLabel: string }>> {
      const all = await repository.list();
      const visible: Array<DeclarationSummary & { meetingLabel: string }> = [];
      for (const d of all) if (await mayRead(user, d)) visible.push({ ...d, meetingLabel: meetingLabel(d.meetingKind, d.bodyName) });
      return visible;
    },

    async find(user: User, id: number, action: 'view' | 'export') {
      const declaration = await repository.find(id);
      if (!declaration || !(await mayRead(user, declaration))) return undefined;
      await audit.record({ actorUserId: user.id, action, entityType: 'declaration', entityId: id });
      const versions: Awaited<ReturnType<typeof repository.versionsOf>> = [];
      // Versions of the same meeting may cover other regions: list only those this user may open.
      for (const v of await repository.versionsOf(id)) if (await mayRead(user, v)) versions.push(v);
      return {
        ...declaration,
        versions,
        meetingLabel: meetingLabel(declaration.meetingKind, declaration.bodyName),
        scopeLabel: scopeLabel(declaration.regions, await regions.list()),
      };
    },
  };
}

export type DeclarationsService = ReturnType<typeof createDeclarationsService>;
export type ComposedDeclaration = NonNullable<Awaited<ReturnType<DeclarationsService['compose']>>>;
