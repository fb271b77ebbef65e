import type { AuditLog } from '../audit/audit.repository';
import type { CampaignsRepository } from '../campaigns/campaigns.repository';
import type { CasesService } from '../cases/cases.service';
import { type ArgumentFacts, explainFailure, selectArguments } from '../domain/argument-conditions';
import { parisToday } from '../domain/french-dates';
import type { RegionsRepository } from '../regions/regions.repository';
import type { User } from '../access/user';
import type { Argument } from './argument-library';
import { argumentFacts, briefFigures } from '../domain/argument-facts';
import { type BriefContext, briefContext, consultationsTypedElsewhere } from './brief-context';
import { buildBriefDocument, citationsOf } from './brief-document';
import { frenchTypography } from '../legal/template-engine';
import type { BriefDraft } from './brief-draft';
import { type BriefPurpose, type BriefSettings, defaultsForStage } from './brief-settings';
import type { BriefVersionsRepository } from './brief-versions.repository';

export interface BriefsDeps {
  casesService: CasesService;
  campaigns: CampaignsRepository;
  regions: RegionsRepository;
  versions: BriefVersionsRepository;
  audit: AuditLog;
  library: Argument[];
  settings: BriefSettings;
  now: () => Date;
}

export interface Proposal {
  id: string;
  title: string;
  applies: boolean;
  /** Why it applies, or which facts are missing for it to apply. */
  reason: string;
  text: string;
  summary: string;
  order: number;
  citations: string[];
}

/**
 * Positions proposed for the arguments: the purpose's ranking first (strongest first), then the
 * library's order, so the letter's few summaries are the strongest arguments the facts support.
 */
export function proposedOrder(purpose: BriefPurpose, library: readonly Argument[]): Map<string, number> {
  const ranked = [...purpose.ranking.filter((id) => library.some((a) => a.id === id)), ...[...library].sort((a, b) => a.order - b.order).map((a) => a.id).filter((id) => !purpose.ranking.includes(id))];
  return new Map(ranked.map((id, i) => [id, (i + 1) * 5]));
}

/**
 * The draft Vigie proposes before any edit: the arguments the facts support, filled from the
 * case, summarised and in the purpose's ranking, with the purpose's default annex. What a batch
 * export carries when nobody reviewed a case, and what the legal-fixtures guard reads.
 */
export function proposedDraft(input: { library: readonly Argument[]; facts: ArgumentFacts; context: BriefContext; purpose: BriefPurpose; addressee: string }): BriefDraft {
  const positions = proposedOrder(input.purpose, input.library);
  const sections = selectArguments(input.library, input.facts)
    .map(({ argument }) => ({
      argumentId: argument.id,
      title: '',
      text: argument.body(input.context),
      summary: argument.summary(input.context),
      order: positions.get(argument.id)!,
    }))
    .sort((a, b) => a.order - b.order);
  return { purpose: input.purpose.id, addressee: input.addressee, sections, annex: input.purpose.annex };
}

/** Where the brief a batch export carries for a case comes from. */
export type ExportedBriefSource =
  | { kind: 'version'; versionId: number; number: number; createdAt: string }
  | { kind: 'proposal'; purpose: string; addressee: string; argumentCount: number };

/** Campaigns and region names read once for a whole batch. */
export interface BatchMemo {
  campaigns: Map<number, Awaited<ReturnType<CampaignsRepository['findById']>>>;
  regionNames: Map<string, string>;
}

export function createBriefsService(deps: BriefsDeps) {
  const { casesService, campaigns, regions, versions, audit, library, settings, now } = deps;

  /** Everything about the case a brief needs, or undefined when the user may not see it. */
  async function load(user: User, caseId: number) {
    const viewed = await casesService.view(user, caseId);
    if (!viewed) return undefined;
    const campaign = await campaigns.findById(viewed.detail.campaignId);
    if (!campaign) return undefined;
    const regionName = await regions.nameOf(viewed.detail.agent.regionCode);
    // The counts the arguments are chosen on and those their texts quote: computed once, the same.
    const figures = briefFigures(viewed.detail, campaign);
    const context = briefContext(viewed.detail, viewed.assessment, campaign, { regionName, repName: user.name, today: parisToday(now()) }, figures);
    const facts = argumentFacts(viewed.detail, viewed.assessment, campaign, figures);
    // What to write first follows the case's stage; the rep can choose another purpose.
    const defaults = defaultsForStage(settings, context.case.stage);
    return { ...viewed, campaign, context, facts, defaults };
  }
  /** A case loaded for its brief, as the review page and the generation share it. */
  type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

  /** A generated version of a case the user may see; its consultation or download is recorded. */
  async function version(user: User, caseId: number, versionId: number, action: 'view' | 'export') {
    if (!(await casesService.visibleRegion(user, caseId))) return undefined;
    const found = await versions.find(caseId, versionId);
    if (!found) return undefined;
    await audit.record({ actorUserId: user.id, action, entityType: 'brief', entityId: versionId });
    return found;
  }

  return {
    settings,
    library,

    /**
     * What the review page shows: every argument of the library, those the facts support first and
     * ticked, each with why; the consultations whose clock is in doubt; the versions generated so
     * far. Records the consultation of the case.
     */
    async propose(user: User, caseId: number) {
      const loaded = await load(user, caseId);
      if (!loaded) return undefined;
      const chosen = new Set(selectArguments(library, loaded.facts).map((s) => s.argument.id));
      const positions = proposedOrder(loaded.defaults.purpose, library);
      const proposals: Proposal[] = [...library]
        .sort((a, b) => Number(chosen.has(b.id)) - Number(chosen.has(a.id)) || positions.get(a.id)! - positions.get(b.id)!)
        .map((argument) => {
          const text = argument.body(loaded.context);
          return {
            id: argument.id,
            title: argument.title,
            applies: chosen.has(argument.id),
            reason: chosen.has(argument.id)
              ? argument.reason
              : frenchTypography(`${explainFailure(argument.when, loaded.facts).join(' ')} Vous pouvez l’ajouter si les faits le justifient.`),
            text,
            summary: argument.summary(loaded.context),
            order: positions.get(argument.id)!,
            citations: citationsOf(argument, text, loaded.context.agent.employmentStatus),
          };
        });
      return { ...loaded, proposals, typedElsewhere: consultationsTypedElsewhere(loaded.detail).count, versions: await versions.listForCase(caseId) };
    },

    preview(loaded: Loaded, draft: BriefDraft) {
      return buildBriefDocument({ caseId: loaded.detail.id, draft, context: loaded.context, library, settings, now: now() });
    },

    /**
     * Saves an immutable version of the brief; returns its id. Given the case the review page
     * already loaded (and recorded as consulted), it neither reads nor records it again.
     */
    async generate(user: User, target: number | Loaded, draft: BriefDraft): Promise<number | undefined> {
      const loaded = typeof target === 'number' ? await load(user, target) : target;
      if (!loaded) return undefined;
      const caseId = loaded.detail.id;
      const at = now();
      const id = await versions.create({
        caseId,
        purpose: draft.purpose,
        addressee: draft.addressee,
        argumentIds: draft.sections.map((s) => s.argumentId ?? 'libre'),
        build: (versionNumber) => buildBriefDocument({ caseId, draft, context: loaded.context, library, settings, now: at, versionNumber }),
        createdBy: user.id,
        now: now(),
      });
      await audit.record({ actorUserId: user.id, action: 'create', entityType: 'brief', entityId: id });
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'case', entityId: caseId });
      return id;
    },

    version,

    /** A version's page: the version (its consultation recorded), the agent's name and the case's other versions. */
    async versionPage(user: User, caseId: number, versionId: number) {
      const found = await version(user, caseId, versionId, 'view');
      if (!found) return undefined;
      return { version: found, agentName: (await versions.agentNameOf(caseId)) ?? '', versions: await versions.listForCase(caseId) };
    },

    /**
     * The brief a batch export carries for one case the user may see: its latest generated
     * version, else one built from the arguments the facts support (in the library's order, as the
     * review page proposes them) with the default purpose and addressee, marked as not reviewed.
     * Records nothing: the export records its own entries. Undefined when the case is out of the
     * user's scope or gone.
     */
    async forExport(user: User, caseId: number, memo: BatchMemo = { campaigns: new Map(), regionNames: new Map() }) {
      if (!(await casesService.visibleRegion(user, caseId))) return undefined;
      const latest = await versions.latestForCase(caseId);
      if (latest) {
        const source: ExportedBriefSource = { kind: 'version', versionId: latest.id, number: latest.number, createdAt: latest.createdAt };
        return { document: latest.document, source };
      }
      const assessed = await casesService.reassess(caseId);
      if (!assessed) return undefined;
      const { detail, assessment } = assessed;
      if (!memo.campaigns.has(detail.campaignId)) memo.campaigns.set(detail.campaignId, await campaigns.findById(detail.campaignId));
      const campaign = memo.campaigns.get(detail.campaignId);
      if (!campaign) return undefined;
      const regionCode = detail.agent.regionCode;
      if (!memo.regionNames.has(regionCode)) memo.regionNames.set(regionCode, await regions.nameOf(regionCode));
      const figures = briefFigures(detail, campaign);
      const context = briefContext(detail, assessment, campaign, { regionName: memo.regionNames.get(regionCode)!, repName: user.name, today: parisToday(now()) }, figures);
      const defaults = defaultsForStage(settings, context.case.stage);
      const draft = proposedDraft({ library, facts: argumentFacts(detail, assessment, campaign, figures), context, purpose: defaults.purpose, addressee: defaults.addressee.id });
      const document = buildBriefDocument({ caseId, draft, context, library, settings, now: now() });
      // The PDF may travel without the archive's README: it says itself that nobody reviewed it.
      document.blocks.unshift({
        kind: 'notice',
        text:
          'Proposition établie automatiquement par Vigie à partir des faits enregistrés dans le dossier, ' +
          `avec l’objet « ${defaults.purpose.label} » et le destinataire « ${defaults.addressee.label} » : ` +
          'aucun·e représentant·e ne l’a relue. Relisez-la et générez-en une version dans Vigie avant de vous en servir.',
      });
      const source: ExportedBriefSource = { kind: 'proposal', purpose: defaults.purpose.label, addressee: defaults.addressee.label, argumentCount: draft.sections.length };
      return { document, source };
    },

    load,
  };
}

export type BriefsService = ReturnType<typeof createBriefsService>;
export type BriefReview = NonNullable<Awaited<ReturnType<BriefsService['propose']>>>;
