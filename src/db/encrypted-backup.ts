import { closeSync, createReadStream, createWriteStream, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { type BackupResult, backupDatabase, publishWithoutOverwrite } from './backup';
import { fsyncDirectory, fsyncFile, removeWithSidecars, siblingTempName } from './durable-files';
import { Refusal } from './refusal';
import { type RestoreResult, restoreDatabase } from './restore';

/** The first line of every file in the age format (age-encryption.org/v1). */
const AGE_HEADER = 'age-encryption.org/v1\n';
const UNTOUCHED = 'La base actuelle n’a pas été modifiée.';

export interface EncryptedBackupResult extends BackupResult {
  /** Size of the checked clear copy that was encrypted. */
  clearBytes: number;
  recipients: string[];
}

/** True when the file starts like an age file, so a restore can ask for the key instead of calling it "not SQLite". */
export function isAgeFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(AGE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).toString('latin1') === AGE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** A new file, its owner's only from its creation whatever the umask, opened for a stream to write. */
function privateWriteStream(file: string) {
  const fd = openSync(file, 'wx', 0o600);
  fchmodSync(fd, 0o600);
  return createWriteStream(file, { fd });
}

function fileStream(file: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
}

/**
 * A backup encrypted to one or more age public keys, whose secret keys are kept off the server:
 * the file can then be copied anywhere (another host, a cloud drive) without exposing the data,
 * and the server alone cannot read it back.
 *
 * The consistent, checked copy is taken as for a plain backup, but beside the database (which holds
 * the same data anyway): the backup folder, often synced elsewhere, only ever sees ciphertext, even
 * for a moment. The ciphertext is written under a temporary name, synced, its size checked against
 * what age announces for the clear copy, then linked under its final name, never over a file.
 */
export async function encryptedBackup(databaseFile: string, target: string, recipients: readonly string[]): Promise<EncryptedBackupResult> {
  const file = path.resolve(target);
  if (existsSync(file)) throw new Refusal(`Le fichier ${file} existe déjà : choisissez un autre nom, rien n’a été écrasé.`);
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient);
    } catch {
      throw new Refusal(`Clé publique age invalide : « ${recipient} ». Elle commence par age1 ; c’est la ligne « public key » du fichier créé par age-keygen. Aucune sauvegarde n’a été écrite.`);
    }
  }
  sweepClearCopiesOfDeadRuns(databaseFile);
  const clear = siblingTempName(databaseFile, 'backup-clear');
  const temp = siblingTempName(file, 'backup');
  try {
    const copy = backupDatabase(databaseFile, clear);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const encrypted = await encrypter.encrypt(fileStream(clear));
    const expectedBytes = encrypted.size(copy.bytes);
    await pipeline(Readable.fromWeb(encrypted), privateWriteStream(temp));
    fsyncFile(temp);
    const bytes = statSync(temp).size;
    if (bytes !== expectedBytes) throw new Error(`La sauvegarde chiffrée fait ${bytes} octets au lieu de ${expectedBytes} : elle n’a pas été publiée.`);
    publishWithoutOverwrite(temp, file);
    fsyncDirectory(path.dirname(file));
    return { ...copy, file, bytes, clearBytes: copy.bytes, recipients: [...recipients] };
  } finally {
    removeWithSidecars(clear);
    rmSync(temp, { force: true });
  }
}

/**
 * A backup killed midway (a reboot, an out-of-memory kill) cannot remove its clear copy: the next
 * one does, so that data the purge has since erased does not outlive it there. Only copies of runs
 * whose process is gone: another backup running now keeps its own.
 */
function sweepClearCopiesOfDeadRuns(databaseFile: string): void {
  const folder = path.dirname(databaseFile);
  const prefix = `.${path.basename(databaseFile)}.backup-clear-`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    rmSync(path.join(folder, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The secret keys of an identity file as age-keygen writes it: comments (#) and blank lines aside.
 * `-` reads them from standard input, so that root can hand the service's user a key it cannot read.
 */
export function readIdentities(identityFile: string): string[] {
  const file = identityFile === '-' ? 'l’entrée standard' : path.resolve(identityFile);
  let text: string;
  try {
    text = readFileSync(identityFile === '-' ? 0 : file, 'utf8');
  } catch {
    throw new Refusal(`Fichier de clé introuvable ou illisible : ${file}. ${UNTOUCHED}`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0 || keys.some((key) => !key.startsWith('AGE-SECRET-KEY-'))) {
    throw new Refusal(`${file} n’est pas un fichier de clé age : il doit contenir une ligne AGE-SECRET-KEY-…, comme celui créé par age-keygen. ${UNTOUCHED}`);
  }
  return keys;
}

function decryptionRefusal(from: string, err: unknown): Refusal {
  const message = err instanceof Error ? err.message : String(err);
  if (/no identity matched/i.test(message)) {
    return new Refusal(
      `Déchiffrement impossible : la clé fournie (--identity) ne correspond à aucune des clés publiques pour lesquelles ${from} a été chiffrée. ${UNTOUCHED}`,
    );
  }
  return new Refusal(`Déchiffrement impossible : ${from} est endommagée ou a été modifiée (${message}). ${UNTOUCHED}`);
}

/**
 * Decrypts an age backup into a private file beside the database, then restores from it exactly as
 * from a plain backup (checks, lock, atomic rename). A wrong key or a damaged file stops before the
 * database is touched: age authenticates every chunk, and the restore only starts once all of them
 * have been decrypted and written.
 */
export async function restoreEncrypted(source: string, databaseFile: string, identityFile: string): Promise<RestoreResult> {
  const from = path.resolve(source);
  if (!existsSync(from) || !statSync(from).isFile()) throw new Refusal(`Fichier de sauvegarde introuvable : ${from}.`);
  const identities = readIdentities(identityFile);
  if (!isAgeFile(from)) {
    throw new Refusal(`${from} n’est pas une sauvegarde chiffrée (format age) : restaurez-la sans --identity. ${UNTOUCHED}`);
  }
  const decrypter = new Decrypter();
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity);
    } catch {
      throw new Refusal(`La clé secrète de ${identityFile === '-' ? 'l’entrée standard' : path.resolve(identityFile)} est invalide (ligne AGE-SECRET-KEY-… abîmée ?). ${UNTOUCHED}`);
    }
  }
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  const clear = siblingTempName(databaseFile, 'decrypted');
  try {
    try {
      const decrypted = await decrypter.decrypt(fileStream(from));
      await pipeline(Readable.fromWeb(decrypted), privateWriteStream(clear));
    } catch (err) {
      throw decryptionRefusal(from, err);
    }
    fsyncFile(clear);
    return restoreDatabase(clear, databaseFile, from);
  } finally {
    removeWithSidecars(clear);
  }
}
