import type { User } from '../access/user';
import type { AuditLog } from '../audit/audit.repository';
import type { CampaignFigure } from '../domain/campaign-metrics';
import type { CampaignInput, CampaignsRepository } from './campaigns.repository';

export interface CampaignsDeps {
  campaigns: CampaignsRepository;
  audit: AuditLog;
  now: () => Date;
  /** Cases of the campaign assessed again under its new terms; how many there were. */
  reassessCampaign(campaignId: number): Promise<number>;
}

/** Campaigns and their official figures, as administrators change them; each change audited. */
export function createCampaignsService({ campaigns, audit, now, reassessCampaign }: CampaignsDeps) {
  const changed = (actor: User, campaignId: number) =>
    audit.record({ actorUserId: actor.id, action: 'update', entityType: 'campaign', entityId: campaignId });

  return {
    list: () => campaigns.list(),
    findById: (id: number) => campaigns.findById(id),
    nameExists: (name: string, exceptId?: number) => campaigns.nameExists(name, exceptId),

    async create(actor: User, input: CampaignInput): Promise<number> {
      const id = await campaigns.create(input, now());
      await audit.record({ actorUserId: actor.id, action: 'create', entityType: 'campaign', entityId: id });
      return id;
    },

    /** Changes the campaign, then reassesses its cases: their commitment may depend on its terms. */
    async update(actor: User, campaignId: number, input: CampaignInput): Promise<{ reassessed: number }> {
      await campaigns.update(campaignId, input, now());
      await changed(actor, campaignId);
      return { reassessed: await reassessCampaign(campaignId) };
    },

    /** The figures of one scope (national or a region) replaced by those given. */
    async replaceFigures(actor: User, campaignId: number, scope: string, figures: CampaignFigure[]): Promise<void> {
      await campaigns.replaceFigures(campaignId, scope, figures, now());
      await changed(actor, campaignId);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
