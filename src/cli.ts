import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { RetentionPeriods } from './domain/retention';
import { Refusal } from './db/refusal';
import { UsageError } from './operations/usage-error';

/*
 * Each command imports what it uses when it runs, after its arguments are read: the CLI starts
 * through tsx, which loads modules one at a time, and the query builder alone (Kysely, some 260
 * modules) takes a second or two of CPU to load. --help, a mistyped option, backup and restore
 * (plain SQLite) need none of it.
 */
const HELP = `Vigie — commandes d’administration

Usage : npm run cli -- <commande> [options]

Commandes :
  user:add     Crée un compte actif. Le mot de passe est lu sur l’entrée standard
               (jamais en argument, pour qu’il n’apparaisse ni dans l’historique ni dans ps).
      --email <adresse>        adresse de connexion (obligatoire)
      --name <nom>             nom affiché (obligatoire)
      --role admin|rep         rôle (obligatoire)
      --region <code ou nom>   région suivie, à répéter pour plusieurs (obligatoire pour rep)
  user:reset-2fa --email <adresse>
               Réinitialise la double authentification d’un compte (téléphone et codes de secours
               perdus, sans autre administrateur pour le faire depuis Vigie) : le compte l’active à
               nouveau à sa prochaine connexion. Inscrit au journal.
  regions      Liste les codes de région.
  purge [--dry-run]
               Efface ce qui a dépassé sa durée de conservation : les dossiers clos sans activité
               depuis CLOSED_CASE_RETENTION_DAYS jours (1095 par défaut), avec leur historique,
               leurs consultations, leurs argumentaires et la demande d’où ils viennent, puis les
               agents restés sans dossier ; les demandes jamais transformées en dossier, sans
               activité depuis REQUEST_RETENTION_DAYS jours (90) ; les entrées du journal d’audit
               de plus de AUDIT_RETENTION_DAYS jours (365). Puis vide le journal d’écriture (WAL)
               pour que rien d’effacé ne reste lisible dans les fichiers. Avec --dry-run, affiche
               ce qui serait effacé sans rien effacer. À lancer chaque jour (cron).
  requests:purge [--dry-run]
               Les seules demandes jamais transformées en dossier, une par une (comprise dans purge).
  backup <fichier> [--recipient age1…]
               Copie cohérente de la base dans <fichier> (VACUUM INTO), même pendant que
               l’application tourne et enregistre. N’écrase jamais un fichier existant ;
               la copie est vérifiée et lisible par son seul propriétaire. Avec --recipient
               (à répéter) ou BACKUP_RECIPIENT, la copie est chiffrée (format age) pour ces
               clés publiques : seule leur clé secrète, gardée hors du serveur, la relit.
  restore <fichier> [--identity <fichier de clé>]
               Remplace la base par une sauvegarde, après l’avoir vérifiée (intégrité, base
               Vigie). Arrêtez l’application avant : la commande refuse si la base est ouverte.
               Une sauvegarde chiffrée se restaure avec --identity (fichier créé par age-keygen).
  doctor       Vérifie une installation (adresse https, proxy, droits des fichiers, dernière
               sauvegarde, serveur d’e-mails) et dit quoi corriger. Code de sortie 1 si
               quelque chose est à corriger.
  --help       Affiche cette aide.

Exemples :
  npm run cli -- user:add --email a.martin@exemple.fr --name "Ana Martin" --role rep --region HDF --region IDF
  npm run cli -- purge --dry-run
  npm run cli -- backup /var/backups/vigie/vigie-$(date +%F).db
  npm run cli -- backup /var/backups/vigie/vigie-$(date +%F).db.age --recipient age1…
  npm run cli -- restore vigie-2026-12-01.db.age --identity ~/vigie-sauvegardes.key
  printf '%s\\n' 'un mot de passe long' | npm run cli -- user:add --email admin@exemple.fr --name Admin --role admin

La base utilisée est celle de DATA_DIR (par défaut ./data), comme pour npm start.
`;

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  // Interactive: prompt without echoing what is typed.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(prompt);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Mot de passe : ');
  const second = await ask('Confirmez le mot de passe : ');
  rl.close();
  if (first !== second) throw new UsageError('Les deux mots de passe ne sont pas identiques.');
  return first;
}


async function userAdd(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      region: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const [{ z }, { emailField }] = await Promise.all([import('zod'), import('./web/validation')]);
  const email = emailField.safeParse(values.email ?? '');
  if (!email.success) throw new UsageError(`--email : ${email.error.issues[0]?.message}`);
  if (!values.name?.trim()) throw new UsageError('--name est obligatoire.');
  const role = z.enum(['admin', 'rep']).safeParse(values.role);
  if (!role.success) throw new UsageError('--role doit valoir admin ou rep.');

  const [{ loadConfig }, { openDatabase }, { migrateToLatest }, { seedReferenceCampaigns }, { createRegionsRepository }, { createUsersRepository }, passwords, { createAuditLog }] =
    await Promise.all([
      import('./config'),
      import('./db/database'),
      import('./db/migrate'),
      import('./campaigns/campaign-seed'),
      import('./regions/regions.repository'),
      import('./users/users.repository'),
      import('./auth/passwords'),
      import('./audit/audit.repository'),
    ]);
  const { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } = passwords;
  const config = loadConfig();
  const { db, close } = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    await seedReferenceCampaigns(db, new Date());
    const regions = await createRegionsRepository(db).list();
    const regionCodes = (values.region ?? []).map((wanted) => {
      const match = regions.find(
        (r) => r.code.toLowerCase() === wanted.trim().toLowerCase() || r.name.toLowerCase() === wanted.trim().toLowerCase(),
      );
      if (!match) throw new UsageError(`Région inconnue : ${wanted}. Voir : npm run cli -- regions`);
      return match.code;
    });
    if (role.data === 'rep' && regionCodes.length === 0) throw new UsageError('Un·e représentant·e doit suivre au moins une région (--region).');

    const users = createUsersRepository(db);
    if (await users.findByEmail(email.data)) throw new UsageError(`Un compte existe déjà pour ${email.data}.`);
    const password = await readPassword();
    if (password.length < PASSWORD_MIN_LENGTH) throw new UsageError(`Le mot de passe doit faire au moins ${PASSWORD_MIN_LENGTH} caractères.`);
    if (password.length > PASSWORD_MAX_LENGTH) throw new UsageError('Le mot de passe est trop long.');
    const strength = await (await import('./auth/password-strength')).checkNewPassword(password, { email: email.data, name: values.name });
    if (!strength.ok) throw new UsageError(strength.message);

    const now = new Date();
    const id = await users.create({
      email: email.data,
      name: values.name,
      role: role.data,
      status: 'active',
      passwordHash: await hashPassword(password),
      regions: [...new Set(regionCodes)],
      now,
    });
    await createAuditLog(db, () => now).record({ actorUserId: null, actorLabel: 'cli', action: 'create', entityType: 'user', entityId: id });
    console.log(`Compte créé : ${email.data} (${role.data}${regionCodes.length ? `, ${regionCodes.join(', ')}` : ''}).`);
  } finally {
    await close();
  }
}

async function listRegions(): Promise<void> {
  const [{ loadConfig }, { openDatabase }, { migrateToLatest }, { createRegionsRepository }] = await Promise.all([
    import('./config'),
    import('./db/database'),
    import('./db/migrate'),
    import('./regions/regions.repository'),
  ]);
  const config = loadConfig();
  const { db, close } = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    for (const r of await createRegionsRepository(db).list()) console.log(`${r.code}\t${r.name}`);
  } finally {
    await close();
  }
}

async function purgeRequests(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } }, strict: true });
  const { loadConfig } = await import('./config');
  const config = loadConfig();
  const [{ openDatabase }, { migrateToLatest }, { createRequestsRepository }, { createAuditLog }] = await Promise.all([
    import('./db/database'),
    import('./db/migrate'),
    import('./requests/requests.repository'),
    import('./audit/audit.repository'),
  ]);
  const { db, close } = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const requests = createRequestsRepository(db);
    const before = new Date(Date.now() - config.requestRetentionDays * 86_400_000).toISOString();
    const old = await requests.purgeable(before);
    if (values['dry-run']) {
      console.log(`${old.length} demande(s) seraient effacées (sans activité depuis le ${before.slice(0, 10)}, jamais transformées en dossier) :`);
      for (const r of old) console.log(`  ${r.reference}  reçue le ${r.createdAt.slice(0, 10)}, dernière activité le ${r.updatedAt.slice(0, 10)}  (${r.status})`);
      console.log('Rien n’a été effacé (--dry-run).');
      return;
    }
    const deleted = await requests.deleteMany(old.map((r) => r.id), before);
    const now = new Date();
    const audit = createAuditLog(db, () => now);
    for (const id of deleted) await audit.record({ actorUserId: null, actorLabel: 'cli', action: 'delete', entityType: 'support_request', entityId: id });
    console.log(`${deleted.length} demande(s) effacée(s) (sans activité depuis le ${before.slice(0, 10)}, jamais transformées en dossier).`);
  } finally {
    await close();
  }
}

/** Exits 1 when the write-ahead log could not be emptied, so cron reports it. */
async function purge(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } }, strict: true });
  const { loadConfig } = await import('./config');
  const config = loadConfig();
  const [{ openDatabase }, { migrateToLatest }, { retentionLimits }, { createPurgeService }, { purgeReport }] = await Promise.all([
    import('./db/database'),
    import('./db/migrate'),
    import('./domain/retention'),
    import('./retention/purge.service'),
    import('./retention/purge-report'),
  ]);
  const { db, close } = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const periods: RetentionPeriods = {
      closedCaseDays: config.closedCaseRetentionDays,
      requestDays: config.requestRetentionDays,
      auditDays: config.auditRetentionDays,
    };
    const now = new Date();
    const limits = retentionLimits(now, periods);
    const service = createPurgeService(db, () => now);
    if (values['dry-run']) {
      for (const line of purgeReport(await service.preview(limits), limits, periods, 'dry-run')) console.log(line);
      console.log('Rien n’a été effacé (--dry-run).');
      return 0;
    }
    const outcome = await service.run(limits);
    for (const line of purgeReport(outcome, limits, periods, 'done')) console.log(line);
    if (outcome.walTruncated) {
      console.log('Journal d’écriture (WAL) vidé : rien de ce qui a été effacé ne reste lisible dans les fichiers de la base.');
      return 0;
    }
    console.error(
      'Attention : le journal d’écriture (WAL) n’a pas pu être vidé, une lecture en cours l’en a empêché. Des pages effacées peuvent y rester lisibles : relancez la purge.',
    );
    return 1;
  } finally {
    await close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        console.log(HELP);
        return 0;
      case 'user:add':
        if (rest.includes('--help')) {
          console.log(HELP);
          return 0;
        }
        await userAdd(rest);
        return 0;
      case 'user:reset-2fa':
        await (await import('./operations/second-factor-reset')).resetSecondFactorCommand(rest);
        return 0;
      case 'regions':
        await listRegions();
        return 0;
      case 'requests:purge':
        await purgeRequests(rest);
        return 0;
      case 'purge':
        return await purge(rest);
      case 'backup':
        await (await import('./operations/backup-commands')).backupCommand(rest);
        return 0;
      case 'restore':
        await (await import('./operations/backup-commands')).restoreCommand(rest);
        return 0;
      case 'doctor':
        return await (await import('./operations/doctor')).doctorCommand();
      default:
        console.error(`Commande inconnue : ${command}\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof Refusal) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${err.message}\n\n${HELP}`);
      return 2;
    }
    // A ConfigError comes from config.ts, loaded by then: importing it again costs nothing.
    if (err instanceof UsageError || err instanceof (await import('./config')).ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
