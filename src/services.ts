import path from 'node:path';
import { createAgentsRepository } from './agents/agents.repository';
import { createAgentsService } from './agents/agents.service';
import { createDatabaseSettingsRepository } from './admin/processing-record.repository';
import { createProcessingRecordService } from './admin/processing-record.service';
import { createAccountTokensRepository } from './auth/account-tokens.repository';
import { createAuthService } from './auth/auth.service';
import { createLoginThrottleRepository } from './auth/login-throttle.repository';
import { SqliteSessionStore } from './auth/session-store';
import { createSecretBox } from './auth/secret-box';
import { createSecondFactorRepository } from './auth/second-factor.repository';
import { createSecondFactorService } from './auth/second-factor.service';
import { createSettingsRepository } from './settings/settings.repository';
import { createSettingsService } from './settings/settings.service';
import { createThrottleKeys } from './auth/throttle-keys';
import { createAuditLog } from './audit/audit.repository';
import { loadArgumentLibrary } from './briefs/argument-library';
import { loadBriefSettings } from './briefs/brief-settings';
import { createBriefVersionsRepository } from './briefs/brief-versions.repository';
import { createBriefsService } from './briefs/briefs.service';
import { createCampaignsRepository } from './campaigns/campaigns.repository';
import { createCampaignsService } from './campaigns/campaigns.service';
import { createCaseImportService } from './case-import/case-import.service';
import { createCaseStatisticsRepository } from './declarations/case-statistics.repository';
import { createFigureTallyRepository } from './declarations/figure-tally.repository';
import { createCasesRepository } from './cases/cases.repository';
import { createCasesService } from './cases/cases.service';
import { createCasePages } from './cases/case-pages.service';
import type { Config } from './config';
import type { DB } from './db/database';
import { type Logger, createLogger } from './logger';
import { loadDeclarationTemplates } from './declarations/declaration-templates';
import { createDeclarationsRepository } from './declarations/declarations.repository';
import { createDeclarationsService } from './declarations/declarations.service';
import { createBriefExportsService } from './exports/brief-exports.service';
import { createExportJobs } from './exports/export-jobs';
import { createRegionsRepository } from './regions/regions.repository';
import { createRequestsRepository } from './requests/requests.repository';
import { createRequestsService } from './requests/requests.service';
import { type Mailer, createSmtpMailer } from './mail/mailer';
import { createAccountsService } from './users/accounts.service';
import { createUsersRepository } from './users/users.repository';
import { forgetDocumentCaches } from './documents/render-pdf';

/**
 * The composition root: wires repositories and services once per app. Only app.ts, server.ts and
 * cli.ts (and tests) import it; app.ts hands each route factory its feature's service and the few
 * values it needs, never this bag, and the bag holds no database handle.
 */
export function buildServices(
  db: DB,
  config: Readonly<Config>,
  now: () => Date = () => new Date(),
  options: { mailer?: Mailer | null; logger?: Logger } = {},
) {
  const users = createUsersRepository(db);
  const tokens = createAccountTokensRepository(db);
  const throttle = createLoginThrottleRepository(db);
  const audit = createAuditLog(db, now);
  const sessions = new SqliteSessionStore(db, now, {
    idleMs: config.session.idleMinutes * 60_000,
    anonymousMs: config.session.anonymousMinutes * 60_000,
    maxAnonymous: config.session.maxAnonymous,
  });
  const campaigns = createCampaignsRepository(db);
  const cases = createCasesRepository(db);
  const regions = createRegionsRepository(db);
  const casesService = createCasesService({ cases, audit, now });
  const briefVersions = createBriefVersionsRepository(db);
  // The argument library and brief texts are read once; a mistake in them stops the start.
  const briefs = createBriefsService({
    casesService,
    campaigns,
    regions,
    versions: briefVersions,
    audit,
    library: loadArgumentLibrary(),
    settings: loadBriefSettings(),
    now,
  });
  // Exports built in the background (ZIP of briefs), under DATA_DIR/exports.
  const exportJobs = createExportJobs({ dir: path.join(config.dataDir, 'exports'), now, ttlMs: config.exportFileHours * 3_600_000 });
  const requests = createRequestsRepository(db);
  // CSV imports of cases: dry runs kept in case_imports, jobs run in this process.
  const caseImports = createCaseImportService({
    db,
    cases,
    casesService,
    campaigns,
    regions,
    users,
    audit,
    now,
    logger: options.logger ?? createLogger('silent'),
    keep: config.caseImport,
  });
  return {
    now,
    users,
    tokens,
    audit,
    sessions,
    regions,
    campaigns,
    campaignsService: createCampaignsService({ campaigns, audit, now, reassessCampaign: (id) => casesService.reassessCampaign(id) }),
    cases,
    casesService,
    // What the case pages may ask: the cases service, the list's queries, and marking a support request turned into a case.
    casePages: createCasePages({ cases: casesService, repository: cases, regions, requests, audit, now }),
    caseImports,
    // One agent's data: export (JSON, PDF) and erasure. An erasure drops what was computed from
    // cases, and the waiting uploads it deleted are dropped from memory too.
    agents: createAgentsService({
      db,
      agents: createAgentsRepository(db),
      regions,
      audit,
      casesChanged: () => {
        casesService.invalidateReadModels();
        caseImports.forgetWaiting();
        forgetDocumentCaches();
      },
      now,
    }),
    requests,
    requestsService: createRequestsService({ requests, users, audit, now }),
    mailer: options.mailer === undefined ? createSmtpMailer(config.smtp) : options.mailer,
    briefs,
    // Declaration texts too: a block citing an unverified reference stops the start.
    declarations: createDeclarationsService({
      statistics: createCaseStatisticsRepository(db),
      tallies: createFigureTallyRepository(db),
      cachedUntilCasesChange: (key, compute) => casesService.cached(key, compute),
      campaigns,
      regions,
      repository: createDeclarationsRepository(db),
      audit,
      templates: loadDeclarationTemplates(),
      now,
    }),
    exportJobs,
    briefExports: createBriefExportsService({
      briefs,
      cases,
      names: { campaign: async (id) => (await campaigns.findById(id))?.name, region: (code) => regions.nameOf(code), user: async (id) => (await users.findById(id))?.name },
      audit,
      jobs: exportJobs,
      now,
    }),
    auth: createAuthService({
      users,
      tokens,
      throttle,
      throttleKeys: createThrottleKeys(config.sessionSecret),
      audit,
      now,
      setupLinkHours: config.setupLinkHours,
      sessions,
    }),
    // TOTP second factor: secrets sealed under a key derived from the session secret.
    secondFactor: createSecondFactorService({
      repository: createSecondFactorRepository(db),
      box: createSecretBox(config.sessionSecret),
      throttle,
      audit,
      now,
    }),
    processingRecord: createProcessingRecordService({ config, users, regions, campaigns, database: createDatabaseSettingsRepository(db), now }),
    settings: createSettingsService({ settings: createSettingsRepository(db), audit }),
    accounts: createAccountsService({
      users,
      tokens,
      sessions,
      audit,
      now,
      invitationLinkDays: config.invitationLinkDays,
    }),
  };
}

export type Services = ReturnType<typeof buildServices>;
