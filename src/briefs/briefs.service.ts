import type { AuditLog } from '../audit/audit.repository';
import type { CampaignsRepository } from '../campaigns/campaigns.repository';
import type { CasesService } from '../cases/cases.service';
import { selectArguments } from '../domain/argument-conditions';
import { parisToday } from '../domain/french-dates';
import type { RegionsRepository } from '../regions/regions.repository';
import type { User } from '../users/users.repository';
import type { Argument } from './argument-library';
import { argumentFacts, briefContext } from './brief-context';
import { buildBriefDocument, citableFor } from './brief-document';
import type { BriefDraft } from './brief-draft';
import type { BriefSettings } from './brief-settings';
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
  reason: string;
  text: string;
  order: number;
  citations: string[];
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
    const context = briefContext(viewed.detail, viewed.assessment, campaign, { regionName, repName: user.name, today: parisToday(now()) });
    const facts = argumentFacts(viewed.detail, viewed.assessment, campaign);
    return { ...viewed, campaign, context, facts };
  }

  return {
    settings,
    library,

    /** Every argument of the library, those the facts support first and ticked, each with why. */
    async propose(user: User, caseId: number) {
      const loaded = await load(user, caseId);
      if (!loaded) return undefined;
      const selected = selectArguments(library, loaded.facts);
      const chosen = new Set(selected.map((s) => s.argument.id));
      const proposals: Proposal[] = [
        ...selected.map((s) => s.argument),
        ...library.filter((a) => !chosen.has(a.id)).sort((a, b) => a.order - b.order),
      ].map((argument) => ({
        id: argument.id,
        title: argument.title,
        applies: chosen.has(argument.id),
        reason: chosen.has(argument.id) ? argument.reason : 'Les faits enregistrés dans le dossier ne le rendent pas pertinent ; vous pouvez l’ajouter.',
        text: argument.body(loaded.context),
        order: argument.order,
        citations: argument.citations.filter((c) => citableFor(c, loaded.context.agent.employmentStatus)).map((c) => c.label),
      }));
      return { ...loaded, proposals };
    },

    preview(loaded: NonNullable<Awaited<ReturnType<typeof load>>>, draft: BriefDraft) {
      return buildBriefDocument({ caseId: loaded.detail.id, draft, context: loaded.context, library, settings, now: now() });
    },

    /** Saves an immutable version of the brief; returns its id. */
    async generate(user: User, caseId: number, draft: BriefDraft): Promise<number | undefined> {
      const loaded = await load(user, caseId);
      if (!loaded) return undefined;
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

    async version(user: User, caseId: number, versionId: number, action: 'view' | 'export') {
      if (!(await casesService.visibleRegion(user, caseId))) return undefined;
      const version = await versions.find(caseId, versionId);
      if (!version) return undefined;
      await audit.record({ actorUserId: user.id, action, entityType: 'brief', entityId: versionId });
      return version;
    },

    async versionsOf(user: User, caseId: number) {
      if (!(await casesService.visibleRegion(user, caseId))) return undefined;
      return versions.listForCase(caseId);
    },

    load,
  };
}

export type BriefsService = ReturnType<typeof createBriefsService>;
