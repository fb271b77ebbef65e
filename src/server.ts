import { createApp } from './app';
import { seedReferenceCampaigns } from './campaigns/campaign-seed';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { externalCommitWatch } from './db/external-commits';
import { migrateToLatest } from './db/migrate';
import { createLogger } from './logger';
import { buildServices } from './services';
import { forgetDocumentCaches } from './documents/render-pdf';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.trustProxy === true) {
    logger.warn('TRUST_PROXY=true trusts any X-Forwarded-For header: clients can then choose their own address and evade rate limits. Prefer the number of proxies (e.g. TRUST_PROXY=1).');
  }
  const { db, sqlite, close } = openDatabase(config.databaseFile);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const seeded = await seedReferenceCampaigns(db, new Date());
  if (seeded > 0) logger.info({ campaigns: seeded }, 'reference campaigns loaded');

  const services = buildServices(db, config, undefined, { logger });
  const app = createApp({ db, config, logger, services });

  const setup = await services.auth.issueSetupLinkIfNeeded();
  const onListening = () => {
    logger.info({ url: config.baseUrl, host: config.host ?? 'every interface', port: config.port, database: config.databaseFile }, 'Vigie is listening');
    if (setup) {
      // Printed to the console only, never to the structured log: it is a one-time secret.
      console.log(
        [
          '',
          'Aucun compte administrateur actif. Ouvrez ce lien pour créer le premier compte :',
          `No active administrator. Open this one-time link to create the first account:`,
          '',
          `  ${config.baseUrl}/installation/${setup.token}`,
          '',
          `Lien à usage unique, valable jusqu’au ${setup.expiresAt.toISOString()} (un nouveau lien est créé à chaque démarrage).`,
          '',
        ].join('\n'),
      );
    }
  };
  const server = config.host === undefined ? app.listen(config.port, onListening) : app.listen(config.port, config.host, onListening);

  // Deadlines move with the calendar: open cases are re-assessed once a day, in the background.
  const refreshCases = () =>
    services.casesService
      .refreshStale()
      .then((n) => n > 0 && logger.info({ cases: n }, 'cases re-assessed for today'))
      .catch((err) => logger.error({ err }, 'case re-assessment failed'));
  // At start, every case first when the assessment rules changed since its status was stored.
  services.casesService
    .refreshAtStart()
    .then(({ marked, reassessed }) => {
      if (marked > 0) logger.info({ cases: marked }, 'assessment rules changed: every case marked for re-assessment');
      if (reassessed > 0) logger.info({ cases: reassessed }, 'cases re-assessed for today');
    })
    .catch((err) => logger.error({ err }, 'case re-assessment failed'));
  // CSV imports a stop interrupted go on from their last committed chunk.
  services.caseImports
    .resumeUnfinished()
    .then((n) => n > 0 && logger.info({ imports: n }, 'case imports resumed'))
    .catch((err) => logger.error({ err }, 'case imports could not resume'));
  const pruneTimer = setInterval(() => {
    services.sessions.prune().catch((err) => logger.error({ err }, 'session pruning failed'));
    services.auth.pruneThrottle().catch((err) => logger.error({ err }, 'login throttle pruning failed'));
    services.caseImports.purgeExpired().catch((err) => logger.error({ err }, 'case import purge failed'));
    void refreshCases();
  }, 15 * 60_000);
  pruneTimer.unref();
  // A purge or an erasure run from the CLI meanwhile: what was computed before it is dropped.
  const stopWatch = externalCommitWatch(
    sqlite,
    () => {
      services.casesService.invalidateReadModels();
      forgetDocumentCaches();
    },
    (err) => logger.error({ err }, 'database version not read'),
  ).every(5_000);

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    clearInterval(pruneTimer);
    stopWatch();
    server.close(() => {
      // A running import finishes its chunk first, and resumes at the next start.
      services.caseImports
        .stop()
        .finally(() => close())
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
