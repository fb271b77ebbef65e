import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { UsageError } from './usage-error';

/*
 * `cli backup` and `cli restore`: the arguments and what is printed. The work itself is in db/
 * (backup.ts, restore.ts, encrypted-backup.ts), plain SQLite and age, no query builder to load.
 */

const megabytes = (bytes: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1_048_576);

/** age public keys are long: their start and end are enough to tell them apart in a message. */
const shortKey = (key: string) => (key.length > 24 ? `${key.slice(0, 12)}…${key.slice(-6)}` : key);

function singleFile(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`Usage : npm run cli -- ${usage}`);
  return positionals[0];
}

export async function backupCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { recipient: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const target = singleFile(positionals, 'backup <fichier> [--recipient age1…]');
  const config = loadConfig();
  const recipients = values.recipient?.length ? values.recipient : config.backup.recipients;
  const started = Date.now();
  if (recipients.length === 0) {
    const { backupDatabase } = await import('../db/backup');
    const result = backupDatabase(config.databaseFile, target);
    console.log(
      `Sauvegarde écrite et vérifiée : ${result.file} (${megabytes(result.bytes)} Mo, ${result.cases} dossier(s), ${result.requests} demande(s), ${Date.now() - started} ms).`,
    );
    return;
  }
  const { encryptedBackup } = await import('../db/encrypted-backup');
  const result = await encryptedBackup(config.databaseFile, target, recipients);
  console.log(
    `Sauvegarde vérifiée puis chiffrée : ${result.file} (${megabytes(result.bytes)} Mo, ${result.cases} dossier(s), ${result.requests} demande(s), ${Date.now() - started} ms).`,
  );
  console.log(`Lisible seulement avec la clé secrète de : ${result.recipients.map(shortKey).join(', ')}. Ce serveur ne peut pas la relire.`);
}

export async function restoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { identity: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const source = singleFile(positionals, 'restore <fichier> [--identity <fichier de clé>]');
  const config = loadConfig();
  const [{ restoreDatabase }, { isAgeFile, restoreEncrypted }, { Refusal }, { statSync }] = await Promise.all([
    import('../db/restore'),
    import('../db/encrypted-backup'),
    import('../db/refusal'),
    import('node:fs'),
  ]);
  let result;
  if (values.identity !== undefined) {
    result = await restoreEncrypted(source, config.databaseFile, values.identity);
  } else {
    if (statSync(source, { throwIfNoEntry: false })?.isFile() && isAgeFile(source)) {
      throw new Refusal(`${source} est une sauvegarde chiffrée : indiquez la clé secrète avec --identity <fichier de clé>. La base actuelle n’a pas été modifiée.`);
    }
    result = restoreDatabase(source, config.databaseFile);
  }
  console.log(`Base restaurée depuis ${result.source} : ${result.cases} dossier(s), ${result.requests} demande(s).`);
  console.log(`Dernière migration de la sauvegarde : ${result.migrations.at(-1)}. Vous pouvez redémarrer l’application.`);
}
