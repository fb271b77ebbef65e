import { Router } from 'express';
import argon2 from 'argon2';
import { loadLegalReferences } from '../briefs/argument-library';
import type { Config } from '../config';
import { CONSULTATION_ACTIONS } from '../domain/case-vocabulary';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../domain/login-throttle';
import { SITUATIONS } from '../domain/situations';
import { PASSWORD_HASH_OPTIONS, PASSWORD_MIN_LENGTH } from '../auth/passwords';
import type { Services } from '../services';
import { requireAdmin } from '../web/guards';
import { createDatabaseSettingsRepository } from './processing-record.repository';
import { buildProcessingRecord } from './processing-record';

/** The record of processing, for administrators: what Vigie holds, why, for whom, how long, how it is kept safe. */
export function processingRecordRoutes(services: Services, config: Readonly<Config>): Router {
  const router = Router();
  const { users, regions, campaigns, db } = services;
  const database = createDatabaseSettingsRepository(db);
  // Read once, like the brief library: the same file the briefs cite from.
  const references = loadLegalReferences();

  router.get('/admin/registre', requireAdmin, async (_req, res) => {
    const [accounts, regionList, campaignList, safeguards] = await Promise.all([users.list(), regions.list(), campaigns.list(), database.safeguards()]);
    const record = buildProcessingRecord({
      config,
      regions: regionList,
      accounts,
      campaigns: campaignList,
      situations: SITUATIONS,
      consultationActions: CONSULTATION_ACTIONS.list,
      database: safeguards,
      throttle: { account: ACCOUNT_POLICY, address: ADDRESS_POLICY },
      password: {
        algorithm: PASSWORD_HASH_OPTIONS.type === argon2.argon2id ? 'argon2id' : 'argon2',
        memoryKiB: PASSWORD_HASH_OPTIONS.memoryCost,
        passes: PASSWORD_HASH_OPTIONS.timeCost,
        minLength: PASSWORD_MIN_LENGTH,
      },
      // `npm run cli -- backup <fichier>` and `restore` (src/db/backup.ts, src/db/restore.ts).
      backupCommand: true,
      references,
    });
    res.render('admin/processing-record', { title: 'Registre des traitements', record, generatedAt: services.now().toISOString() });
  });

  return router;
}
