import { closeSync, fchmodSync, fsyncSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
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

/**
 * Copies a file into a new one that is its owner's only from the moment it exists: copyFileSync
 * would give it the source's mode (a backup copied by hand may be 0644) until a chmod afterwards.
 * The explicit fchmod, because the umask could also take bits away from 0600.
 */
export function copyPrivately(from: string, to: string): void {
  const target = openSync(to, 'wx', 0o600);
  try {
    fchmodSync(target, 0o600);
    const source = openSync(from, 'r');
    try {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const read = readSync(source, chunk, 0, chunk.length, null);
        if (read === 0) break;
        for (let written = 0; written < read; ) written += writeSync(target, chunk, written, read - written);
      }
    } finally {
      closeSync(source);
    }
  } finally {
    closeSync(target);
  }
}
