import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DB } from '../db/database';
import { CAMPAIGN_METRICS, NATIONAL_SCOPE } from '../domain/campaign-metrics';
import { SITUATION_CODES } from '../domain/situations';
import { createCampaignsRepository } from './campaigns.repository';

export const REFERENCE_CAMPAIGNS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/reference/campaigns.json',
);

const metricCodes = CAMPAIGN_METRICS.map((m) => m.code) as [string, ...string[]];
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable();

const referenceSchema = z.object({
  campaigns: z.array(
    z.object({
      name: z.string().min(1),
      wave: z.number().int().nullable(),
      description: z.string(),
      tracesStart: date,
      tracesEnd: date,
      interviewsStart: date,
      interviewsEnd: date,
      commitmentText: z.string(),
      commitmentQuote: z.string(),
      falsePositivesStatement: z.string(),
      excludesSanctions: z.boolean(),
      reportRequired: z.boolean(),
      status: z.enum(['active', 'closed']),
      source: z.string(),
      situations: z.array(z.enum(SITUATION_CODES)),
      figures: z.array(
        z.object({
          scope: z.string().min(1),
          metric: z.enum(metricCodes),
          situationCode: z.enum(SITUATION_CODES).optional(),
          value: z.number().nonnegative(),
          source: z.string(),
        }),
      ),
    }),
  ),
});

const SEEDED_KEY = 'reference_campaigns_loaded';

/**
 * Loads the reference campaigns once, on the first start. A flag, not an empty table, says it
 * was done, so campaigns an admin later edits are never overwritten or re-created.
 */
export async function seedReferenceCampaigns(db: DB, now: Date, file = REFERENCE_CAMPAIGNS_FILE): Promise<number> {
  const done = await db.selectFrom('appMeta').select('value').where('key', '=', SEEDED_KEY).executeTakeFirst();
  if (done) return 0;
  const reference = referenceSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const campaigns = createCampaignsRepository(db);
  for (const { figures, ...campaign } of reference.campaigns) {
    const id = await campaigns.create(campaign, now);
    const scopes = new Set(figures.map((f) => f.scope));
    for (const scope of scopes) {
      await campaigns.replaceFigures(
        id,
        scope === NATIONAL_SCOPE ? NATIONAL_SCOPE : scope,
        figures
          .filter((f) => f.scope === scope)
          .map((f) => ({
            scope,
            metric: f.metric as (typeof CAMPAIGN_METRICS)[number]['code'],
            situationCode: f.situationCode ?? '',
            value: f.value,
            source: f.source,
          })),
        now,
      );
    }
  }
  await db.insertInto('appMeta').values({ key: SEEDED_KEY, value: now.toISOString() }).execute();
  return reference.campaigns.length;
}
