import { existsSync, mkdirSync, realpathSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { checkVigieDatabase } from './database-check';
import { copyPrivately, fsyncDirectory, fsyncFile, removeSidecars, removeWithSidecars, siblingTempName } from './durable-files';
import { Refusal } from './refusal';

export interface RestoreResult {
  source: string;
  migrations: string[];
  cases: number;
  requests: number;
}

const IN_USE =
  'La base est ouverte par un autre processus : l’application Vigie tourne-t-elle encore ? Arrêtez-la, puis relancez la restauration. La base actuelle n’a pas été modifiée.';

/**
 * Makes sure no other process has the database open. Every connection in WAL mode keeps a shared
 * lock on the file for as long as it is open, even idle, so an exclusive lock can only be had when
 * nobody else (the app, a CLI command) uses it. Replacing the file under a running app would
 * leave it writing to the old, unlinked file: everything saved afterwards would be lost.
 */
function ensureNotInUse(databaseFile: string): void {
  if (!existsSync(databaseFile)) return;
  const sqlite = new SQLite(databaseFile, { fileMustExist: true, timeout: 500 });
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.exec('BEGIN EXCLUSIVE');
    sqlite.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new Refusal(IN_USE);
    // A damaged live database is a reason to restore, not a reason to refuse.
  } finally {
    // Closing the sole connection checkpoints and removes the old write-ahead log.
    sqlite.close();
  }
}

/**
 * Replaces the database with a backup, only once the backup is proven sound.
 *
 * The backup is first copied beside the database and checked there (the bytes checked are the
 * bytes that will be used), synced, then renamed over the database: a crash at any point leaves
 * either the old database whole or the new one whole. The old write-ahead log and its index are
 * removed before the rename, since SQLite would otherwise replay the old database's pages into
 * the restored one. `shownAs` names the file in messages when `source` is a decrypted temporary copy.
 */
export function restoreDatabase(source: string, databaseFile: string, shownAs?: string): RestoreResult {
  const from = path.resolve(source);
  if (!existsSync(from) || !statSync(from).isFile()) throw new Refusal(`Fichier de sauvegarde introuvable : ${from}.`);
  if (existsSync(databaseFile) && realpathSync(from) === realpathSync(databaseFile)) {
    throw new Refusal('Ce fichier est la base en service elle-même : indiquez une sauvegarde faite avec « backup ».');
  }
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  const temp = siblingTempName(databaseFile, 'restore');
  try {
    copyPrivately(from, temp);
    fsyncFile(temp);
    const check = checkVigieDatabase(temp);
    if (!check.ok) throw new Refusal(`Restauration refusée : ${shownAs ?? from} — ${check.reason}. La base actuelle n’a pas été modifiée.`);
    ensureNotInUse(databaseFile);
    removeSidecars(databaseFile);
    renameSync(temp, databaseFile);
    fsyncDirectory(path.dirname(databaseFile));
    return { source: shownAs ?? from, migrations: check.migrations, cases: check.cases, requests: check.requests };
  } finally {
    removeWithSidecars(temp);
  }
}
