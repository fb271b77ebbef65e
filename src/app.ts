import path from 'node:path';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import session from 'express-session';
import { sql } from 'kysely';
import { accountsRoutes } from './admin/accounts.routes';
import { agentsRoutes } from './agents/agents.routes';
import { processingRecordRoutes } from './admin/processing-record.routes';
import { settingsRoutes } from './settings/settings.routes';
import { authRoutes } from './auth/auth.routes';
import { passwordChangeRoutes } from './auth/password-change.routes';
import { secondFactorGate } from './auth/second-factor.gate';
import { secondFactorRoutes } from './auth/second-factor.routes';
import { secondFactorAdminRoutes } from './admin/second-factor-admin.routes';
import { campaignsRoutes } from './campaigns/campaigns.routes';
import { caseImportRoutes, caseImportUpload } from './case-import/case-import.routes';
import { casesRoutes } from './cases/cases.routes';
import { briefsRoutes } from './briefs/briefs.routes';
import { declarationsRoutes } from './declarations/declarations.routes';
import { briefExportsRoutes } from './exports/brief-exports.routes';
import { rightsGuideRoutes } from './briefs/rights-guide.routes';
import { publicRequestsRoutes } from './requests/public-requests.routes';
import { requestsRoutes } from './requests/requests.routes';
import type { Config } from './config';
import type { DB } from './db/database';
import { homeRoutes } from './home/home.routes';
import type { Logger } from './logger';
import { buildServices, type Services } from './services';
import { createCsrf, refuseCrossSite } from './web/csrf';
import { HttpError } from './web/errors';
import { errorHandler, notFoundHandler } from './web/error-handler';
import { exposeFlash } from './web/flash';
import { loadCurrentUser } from './web/current-user';
import { requireUser } from './web/guards';
import { navSection } from './web/nav-section';
import { requestLog } from './web/request-log';
import { noStore, securityHeaders } from './web/security';
import { VIEWS_DIR, configureViews } from './web/view-engine';

export interface AppOptions {
  db: DB;
  config: Readonly<Config>;
  logger: Logger;
  services?: Services;
}

/** Builds the app without listening, so tests drive it with supertest. */
export function createApp({ db, config, logger, services = buildServices(db, config) }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  configureViews(app, { cache: process.env.NODE_ENV !== 'development' });
  app.locals.appName = 'Vigie';

  app.use(requestLog(logger));
  app.use(securityHeaders({ https: config.secureCookies }));
  app.use('/assets', express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1h', index: false }));

  // Browsers and feed readers ask for /favicon.ico whatever the page says: the icon, with no session.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/favicon.svg'));

  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(db);
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check failed');
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'error' });
    }
  });

  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new HttpError(429, 'Trop de demandes en peu de temps. Patientez une minute puis recommencez.')),
    }),
  );
  // A declaration carries up to ten long texts, each up to 20 000 characters once percent-encoded.
  app.use('/declarations/nouvelle/textes', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 200 }));
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));

  app.use(
    session({
      name: 'vigie.sid',
      secret: config.sessionSecret,
      store: services.sessions,
      resave: false,
      saveUninitialized: false,
      // The store ends idle and anonymous sessions (src/auth/session-store.ts): the cookie only has
      // to outlive the longest session, and is not signed and sent again with every page.
      rolling: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: config.session.absoluteHours * 3_600_000,
      },
    }),
  );
  app.use(loadCurrentUser(services.users, { absoluteHours: config.session.absoluteHours, now: services.now }));
  // Before any page, the import's upload included: a session still owing its second factor reaches none.
  app.use(secondFactorGate({ secondFactor: services.secondFactor, now: services.now }));
  app.use(noStore);
  app.use(refuseCrossSite(config.baseUrl));
  const csrf = createCsrf();
  // A CSV import comes as multipart, which only its own route parses: read first (signed-in users
  // only, token checked before the file), so that the CSRF check below finds its token.
  app.post('/dossiers/import', requireUser, caseImportUpload(csrf));
  app.use(csrf.protect);
  app.use(csrf.exposeToken);
  app.use(exposeFlash);
  app.use(navSection);

  app.use(authRoutes({ auth: services.auth, secondFactor: services.secondFactor, now: services.now }));
  app.use(secondFactorRoutes({ secondFactor: services.secondFactor, now: services.now }));
  app.use(passwordChangeRoutes({ auth: services.auth, now: services.now }));
  app.use(rightsGuideRoutes({ campaigns: services.campaigns, now: services.now }));
  app.use(
    publicRequestsRoutes({
      requests: services.requestsService,
      regions: services.regions,
      campaigns: services.campaigns,
      mailer: services.mailer,
      settings: services.settings,
      now: services.now,
      logger,
      config,
    }),
  );
  app.use(
    homeRoutes({
      campaigns: services.campaigns,
      regions: services.regions,
      dashboard: (user, campaign) => services.casesService.dashboard(user, campaign),
      requests: services.requestsService,
      smtpConfigured: config.smtp !== null,
    }),
  );
  app.use(campaignsRoutes({ campaigns: services.campaignsService, regions: services.regions }));
  // Before the cases: /dossiers/argumentaires would otherwise be read as a case id.
  app.use(briefExportsRoutes(services.briefExports, logger));
  // Before the cases: /dossiers/import would otherwise be read as a case id.
  app.use(caseImportRoutes({ caseImports: services.caseImports }));
  app.use(casesRoutes({ cases: services.casePages, now: services.now }));
  app.use(briefsRoutes(services.briefs));
  app.use(requestsRoutes({ requests: services.requestsService, regions: services.regions, now: services.now }));
  app.use(agentsRoutes({ agents: services.agents, regions: services.regions, logger }));
  app.use(declarationsRoutes(services.declarations));
  // Before the accounts: its routes are more specific than /admin/comptes/:id.
  app.use(secondFactorAdminRoutes({ secondFactor: services.secondFactor, accounts: services.accounts }));
  app.use(accountsRoutes({ accounts: services.accounts, regions: services.regions, secondFactor: services.secondFactor, config }));
  app.use(processingRecordRoutes({ processingRecord: services.processingRecord }));
  app.use(settingsRoutes({ settings: services.settings }));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
