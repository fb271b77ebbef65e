import { createAccountTokensRepository } from './auth/account-tokens.repository';
import { createAuthService } from './auth/auth.service';
import { createLoginThrottleRepository } from './auth/login-throttle.repository';
import { SqliteSessionStore } from './auth/session-store';
import { createAuditLog } from './audit/audit.repository';
import { loadArgumentLibrary } from './briefs/argument-library';
import { loadBriefSettings } from './briefs/brief-settings';
import { createBriefVersionsRepository } from './briefs/brief-versions.repository';
import { createBriefsService } from './briefs/briefs.service';
import { createCampaignsRepository } from './campaigns/campaigns.repository';
import { createCaseStatisticsRepository } from './cases/case-statistics.repository';
import { createCasesRepository } from './cases/cases.repository';
import { createCasesService } from './cases/cases.service';
import type { Config } from './config';
import type { DB } from './db/database';
import { loadDeclarationTemplates } from './declarations/declaration-templates';
import { createDeclarationsRepository } from './declarations/declarations.repository';
import { createDeclarationsService } from './declarations/declarations.service';
import { createRegionsRepository } from './regions/regions.repository';
import { createRequestsRepository } from './requests/requests.repository';
import { type Mailer, createSmtpMailer } from './mail/mailer';
import { createAccountsService } from './users/accounts.service';
import { createUsersRepository } from './users/users.repository';

/** Wires repositories and services once per app; routes receive what they need from here. */
export function buildServices(
  db: DB,
  config: Readonly<Config>,
  now: () => Date = () => new Date(),
  options: { mailer?: Mailer | null } = {},
) {
  const users = createUsersRepository(db);
  const tokens = createAccountTokensRepository(db);
  const throttle = createLoginThrottleRepository(db);
  const audit = createAuditLog(db, now);
  const sessions = new SqliteSessionStore(db, now, config.session.idleMinutes * 60_000);
  const campaigns = createCampaignsRepository(db);
  const cases = createCasesRepository(db);
  const regions = createRegionsRepository(db);
  const casesService = createCasesService({ cases, campaigns, audit, now });
  const briefVersions = createBriefVersionsRepository(db);
  return {
    db,
    now,
    users,
    tokens,
    audit,
    sessions,
    regions,
    campaigns,
    cases,
    casesService,
    briefVersions,
    requests: createRequestsRepository(db),
    mailer: options.mailer === undefined ? createSmtpMailer(config.smtp) : options.mailer,
    // The argument library and brief texts are read once; a mistake in them stops the start.
    briefs: createBriefsService({
      casesService,
      campaigns,
      regions,
      versions: briefVersions,
      audit,
      library: loadArgumentLibrary(),
      settings: loadBriefSettings(),
      now,
    }),
    // Declaration texts too: a block citing an unverified reference stops the start.
    declarations: createDeclarationsService({
      statistics: createCaseStatisticsRepository(db),
      cachedUntilCasesChange: (key, compute) => casesService.cached(key, compute),
      campaigns,
      regions,
      repository: createDeclarationsRepository(db),
      audit,
      templates: loadDeclarationTemplates(),
      now,
    }),
    auth: createAuthService({ users, tokens, throttle, audit, now, setupLinkHours: config.setupLinkHours }),
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
