import { sql } from 'kysely';
import type { DB } from '../db/database';
import { preparedQuery } from '../db/prepared-query';
import type { CampaignRow } from '../db/schema';
import type { CampaignFigure, MetricCode } from '../domain/campaign-metrics';
import { SITUATION_CODES, type SituationCode } from '../domain/situations';

export interface CampaignInput {
  name: string;
  wave: number | null;
  description: string;
  tracesStart: string | null;
  tracesEnd: string | null;
  interviewsStart: string | null;
  interviewsEnd: string | null;
  /** The commitment as reported by a union document (its framing, not a quotation). */
  commitmentText: string;
  /** The direction's exact words, without guillemets; '' when none. */
  commitmentQuote: string;
  /** What the direction said about false positives, as reported by a union document; '' when none. */
  falsePositivesStatement: string;
  excludesSanctions: boolean;
  reportRequired: boolean;
  status: 'active' | 'closed';
  source: string;
  situations: SituationCode[];
}

export interface Campaign extends CampaignInput {
  id: number;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignWithFigures extends Campaign {
  figures: CampaignFigure[];
}

function toCampaign(row: CampaignRow, situations: SituationCode[]): Campaign {
  return {
    ...row,
    excludesSanctions: row.excludesSanctions === 1,
    reportRequired: row.reportRequired === 1,
    situations,
  };
}

function toRow(input: CampaignInput) {
  const { situations: _situations, excludesSanctions, reportRequired, ...rest } = input;
  return { ...rest, excludesSanctions: excludesSanctions ? 1 : 0, reportRequired: reportRequired ? 1 : 0 };
}

export function createCampaignsRepository(db: DB) {
  async function situationsOf(ids: number[]): Promise<Map<number, SituationCode[]>> {
    const map = new Map<number, SituationCode[]>();
    if (ids.length === 0) return map;
    const rows = await db
      .selectFrom('campaignSituations')
      .select(['campaignId', 'situationCode'])
      .where('campaignId', 'in', ids)
      .execute();
    for (const r of rows) {
      map.set(r.campaignId, [...(map.get(r.campaignId) ?? []), r.situationCode as SituationCode]);
    }
    // Always in the catalogue's order, whatever the order of insertion.
    for (const [id, codes] of map) map.set(id, SITUATION_CODES.filter((c) => codes.includes(c)));
    return map;
  }

  // Every page with the campaign selector reads the list: one statement, compiled once.
  const listed = preparedQuery<Record<string, never>, CampaignRow & { situationsJson: string }>(db, () =>
    db
      .selectFrom('campaigns')
      .selectAll('campaigns')
      .select((eb) =>
        eb
          .selectFrom('campaignSituations')
          .select(sql<string>`json_group_array(${sql.ref('campaignSituations.situationCode')})`.as('codes'))
          .whereRef('campaignSituations.campaignId', '=', 'campaigns.id')
          .$castTo<string>()
          .as('situationsJson'),
      )
      .orderBy('status')
      .orderBy('tracesStart', 'desc')
      .orderBy('id', 'desc'),
  );

  return {
    async list(): Promise<Campaign[]> {
      const rows = await listed({});
      return rows.map(({ situationsJson, ...r }) => {
        const codes = JSON.parse(situationsJson) as SituationCode[];
        return toCampaign(r, SITUATION_CODES.filter((c) => codes.includes(c)));
      });
    },

    async findById(id: number): Promise<CampaignWithFigures | undefined> {
      const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const figures = await db
        .selectFrom('campaignFigures')
        .select(['scope', 'metric', 'situationCode', 'value', 'source'])
        .where('campaignId', '=', id)
        .orderBy('id')
        .execute();
      return {
        ...toCampaign(row, (await situationsOf([id])).get(id) ?? []),
        figures: figures.map((f) => ({
          ...f,
          metric: f.metric as MetricCode,
          situationCode: f.situationCode as SituationCode | '',
        })),
      };
    },

    async nameExists(name: string, exceptId?: number): Promise<boolean> {
      let q = db.selectFrom('campaigns').select('id').where('name', '=', name.trim());
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      return (await q.executeTakeFirst()) !== undefined;
    },

    async create(input: CampaignInput, now: Date): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const at = now.toISOString();
        const { id } = await trx
          .insertInto('campaigns')
          .values({ ...toRow(input), createdAt: at, updatedAt: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (input.situations.length > 0) {
          await trx
            .insertInto('campaignSituations')
            .values(input.situations.map((situationCode) => ({ campaignId: id, situationCode })))
            .execute();
        }
        return id;
      });
    },

    async update(id: number, input: CampaignInput, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('campaigns')
          .set({ ...toRow(input), updatedAt: now.toISOString() })
          .where('id', '=', id)
          .execute();
        await trx.deleteFrom('campaignSituations').where('campaignId', '=', id).execute();
        if (input.situations.length > 0) {
          await trx
            .insertInto('campaignSituations')
            .values(input.situations.map((situationCode) => ({ campaignId: id, situationCode })))
            .execute();
        }
      });
    },

    /** Replaces every figure of one scope (a region or 'national') of a campaign. */
    async replaceFigures(campaignId: number, scope: string, figures: CampaignFigure[], now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('campaignFigures')
          .where('campaignId', '=', campaignId)
          .where('scope', '=', scope)
          .execute();
        if (figures.length > 0) {
          await trx
            .insertInto('campaignFigures')
            .values(figures.map((f) => ({ ...f, campaignId, scope })))
            .execute();
        }
        await trx
          .updateTable('campaigns')
          .set({ updatedAt: now.toISOString() })
          .where('id', '=', campaignId)
          .execute();
      });
    },
  };
}

export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
