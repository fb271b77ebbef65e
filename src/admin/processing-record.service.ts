import argon2 from 'argon2';
import { PASSWORD_HASH_OPTIONS, PASSWORD_MIN_LENGTH } from '../auth/passwords';
import { loadLegalReferences } from '../briefs/argument-library';
import { CONSULTATION_ACTIONS } from '../domain/case-vocabulary';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../domain/login-throttle';
import { SITUATIONS } from '../domain/situations';
import type { DatabaseSettingsRepository } from './processing-record.repository';
import { type ProcessingRecordFacts, buildProcessingRecord } from './processing-record';

export interface ProcessingRecordDeps {
  config: ProcessingRecordFacts['config'];
  users: { list(): Promise<ProcessingRecordFacts['accounts']> };
  regions: { list(): Promise<ProcessingRecordFacts['regions']> };
  campaigns: { list(): Promise<ProcessingRecordFacts['campaigns']> };
  database: DatabaseSettingsRepository;
  now: () => Date;
}

/** The record of processing, built from what is in force at the moment it is asked for. */
export function createProcessingRecordService({ config, users, regions, campaigns, database, now }: ProcessingRecordDeps) {
  // Read once, like the brief library: the same file the briefs cite from.
  const references = loadLegalReferences();

  return {
    async current() {
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
      return { record, generatedAt: now().toISOString() };
    },
  };
}

export type ProcessingRecordService = ReturnType<typeof createProcessingRecordService>;
