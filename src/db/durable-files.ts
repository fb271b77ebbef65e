import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A file is only safe once its bytes and the directory entry naming it have reached the disk:
 * without both fsyncs, a power cut right after a backup or a restore could leave an empty or
 * missing file although the command said it succeeded.
 */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The write-ahead log and its index belong to one database file and must never outlive it. */
export function removeSidecars(databaseFile: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${databaseFile}${suffix}`, { force: true });
}

export function removeWithSidecars(databaseFile: string): void {
  rmSync(databaseFile, { force: true });
  removeSidecars(databaseFile);
}

/** A temporary name beside the target, so the final rename stays on one file system (atomic). */
export function siblingTempName(file: string, purpose: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${purpose}-${process.pid}-${Date.now()}.tmp`);
}
