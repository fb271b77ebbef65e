import { closeSync, existsSync, fchmodSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { checkVigieDatabase } from './database-check';
import { fsyncDirectory, fsyncFile, siblingTempName } from './durable-files';
import { Refusal } from './refusal';

export interface BackupResult {
  file: string;
  bytes: number;
  cases: number;
  requests: number;
}

/**
 * Creates the copy's file, empty and readable by its owner only, before SQLite writes into it
 * (VACUUM INTO accepts an empty file). Left to SQLite, the file would be created with the umask
 * (0644 usually) and hold the whole database, readable by others, until a chmod afterwards.
 * fchmod, because the umask could also take bits away from 0600.
 */
export function createPrivateFile(file: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** Links the finished copy under its final name, never over an existing file. */
export function publishWithoutOverwrite(temp: string, target: string): void {
  try {
    linkSync(temp, target);
    rmSync(temp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Refusal(`Le fichier ${target} existe déjà : choisissez un autre nom, rien n’a été écrasé.`);
    // Some file systems (network or FAT mounts) have no hard links: rename after a last check.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err;
    if (existsSync(target)) throw new Refusal(`Le fichier ${target} existe déjà : choisissez un autre nom, rien n’a été écrasé.`);
    renameSync(temp, target);
  }
}

/**
 * A consistent copy of the live database, taken while the app keeps serving writes.
 *
 * VACUUM INTO copies from one read transaction: in WAL mode it sees a single snapshot and never
 * waits for writers nor makes them wait, so it completes under any write load. The page-by-page
 * backup API instead restarts whenever another connection writes, and may never finish while
 * reps keep saving. The copy is also compact (no free pages, so no remains of deleted rows).
 */
export function backupDatabase(databaseFile: string, target: string): BackupResult {
  const file = path.resolve(target);
  if (!existsSync(databaseFile)) throw new Refusal(`Aucune base à sauvegarder : ${databaseFile} n’existe pas (vérifiez DATA_DIR).`);
  if (existsSync(file)) throw new Refusal(`Le fichier ${file} existe déjà : choisissez un autre nom, rien n’a été écrasé.`);
  // The backup holds everything the database holds: its folder is private.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = siblingTempName(file, 'backup');
  try {
    createPrivateFile(temp);
    const sqlite = new SQLite(databaseFile, { fileMustExist: true });
    try {
      sqlite.pragma('busy_timeout = 5000');
      sqlite.prepare('VACUUM INTO ?').run(temp);
    } finally {
      sqlite.close();
    }
    // VACUUM INTO writes its output without syncing it: a backup must survive a power cut.
    fsyncFile(temp);
    const check = checkVigieDatabase(temp);
    if (!check.ok) throw new Error(`La copie produite ne passe pas la vérification : ${check.reason}.`);
    publishWithoutOverwrite(temp, file);
    fsyncDirectory(path.dirname(file));
    return { file, bytes: statSync(file).size, cases: check.cases, requests: check.requests };
  } finally {
    rmSync(temp, { force: true });
  }
}
