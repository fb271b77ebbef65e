import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { createCasesRepository } from '../../src/cases/cases.repository';
import { openDatabase } from '../../src/db/database';
import { encryptedBackup } from '../../src/db/encrypted-backup';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { prepareDatabase } from './fixtures/writer-process';
import { type CliRun, runCli } from '../helpers/cli-command';

/**
 * `cli backup --recipient` and `cli restore --identity`, run as child processes as in production:
 * the file holds nothing readable, comes back whole with the right key, and a wrong key leaves the
 * database as it was.
 */

/** A name that can only be found in the backup if it was left in clear. */
const WITNESS = 'Zéphyrine Témoin-Chiffrement';

function cli(args: string[], dataDir: string, env: Record<string, string> = {}, stdin = ''): Promise<CliRun> {
  return runCli(args, { env: { ...process.env, BACKUP_RECIPIENT: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, stdin });
}

/** As age-keygen writes it: comment lines, then the secret key. */
async function identityFile(dir: string, name: string): Promise<{ file: string; recipient: string }> {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const file = path.join(dir, name);
  writeFileSync(file, `# created: 2026-12-07T10:00:00+01:00\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
  return { file, recipient };
}

async function agentNames(databaseFile: string): Promise<string[]> {
  const { db, close } = openDatabase(databaseFile);
  try {
    return (await db.selectFrom('agents').select('fullName').orderBy('fullName').execute()).map((r) => r.fullName);
  } finally {
    await close();
  }
}

let work: string;
let dataDir: string;
let keys: { file: string; recipient: string };
let encrypted: string;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'vigie-age-'));
  dataDir = path.join(work, 'data');
  await prepareDatabase(path.join(dataDir, 'vigie.db'));
  const { db, close } = openDatabase(path.join(dataDir, 'vigie.db'));
  try {
    const campaign = await db.selectFrom('campaigns').select('id').orderBy('id').executeTakeFirstOrThrow();
    const rep = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await createCasesRepository(db).create({ agent: agentInput(WITNESS), case: caseInput(campaign.id, { repIds: [rep.id] }), createdBy: rep.id, now: new Date() });
  } finally {
    await close();
  }
  keys = await identityFile(work, 'sauvegardes.key');
  encrypted = path.join(work, 'off-site', 'vigie.db.age');
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('encrypted backup', () => {
  it('writes a file in the age format that holds no clear data, private to its owner, and leaves no clear copy behind', async () => {
    const res = await cli(['backup', encrypted, '--recipient', keys.recipient], dataDir);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Sauvegarde vérifiée puis chiffrée : .*vigie\.db\.age \([\d\s,]+ Mo, 1 dossier\(s\), 0 demande\(s\), \d+ ms\)\.$/m);
    assert.match(res.stdout, /Lisible seulement avec la clé secrète de : age1\S+…\S+\. Ce serveur ne peut pas la relire\./);
    const bytes = readFileSync(encrypted);
    assert.equal(bytes.subarray(0, 22).toString('latin1'), 'age-encryption.org/v1\n');
    for (const clear of [WITNESS, 'Zéphyrine', 'SQLite format 3', 'campaigns']) {
      assert.equal(bytes.indexOf(Buffer.from(clear, 'utf8')), -1, `« ${clear} » is not readable in the encrypted file`);
    }
    assert.equal(statSync(encrypted).mode & 0o777, 0o600);
    const left = [...readdirSync(dataDir), ...readdirSync(path.dirname(encrypted))].filter((f) => f.includes('.tmp'));
    assert.deepEqual(left, [], 'no temporary copy, clear or encrypted, is left behind');
  });

  it('removes the clear copy a killed backup left beside the database, and no other file', async () => {
    // A pid no process has (above Linux's pid_max), and one that is alive: this test's own parent.
    const dead = path.join(dataDir, `.vigie.db.backup-clear-4194400-1.tmp`);
    const alive = path.join(dataDir, `.vigie.db.backup-clear-${process.ppid}-1.tmp`);
    for (const file of [dead, `${dead}-wal`, alive]) writeFileSync(file, 'SQLite format 3 — copie en clair');
    const swept = path.join(work, 'off-site', 'swept.db.age');
    await encryptedBackup(path.join(dataDir, 'vigie.db'), swept, [keys.recipient]);
    assert.deepEqual(readdirSync(dataDir).filter((f) => f.includes('backup-clear')), [path.basename(alive)], 'the dead run’s copy and its log are gone; a live run keeps its own');
    rmSync(alive);
    rmSync(swept);
  });

  it('uses BACKUP_RECIPIENT when no --recipient is given, and refuses a malformed key without writing anything', async () => {
    const configured = path.join(work, 'off-site', 'configured.db.age');
    const res = await cli(['backup', configured], dataDir, { BACKUP_RECIPIENT: keys.recipient });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(readFileSync(configured).subarray(0, 22).toString('latin1'), 'age-encryption.org/v1\n');

    // In this process: the command's refusal path is the one the first test took.
    await assert.rejects(encryptedBackup(path.join(dataDir, 'vigie.db'), path.join(work, 'off-site', 'bad.db.age'), ['age1pasunevraieclé']), {
      name: 'Refusal',
      message: /^Clé publique age invalide : « age1pasunevraieclé »/,
    });
    assert.deepEqual(readdirSync(path.join(work, 'off-site')).sort(), ['configured.db.age', 'vigie.db.age']);
  });
});

describe('encrypted restore', () => {
  it('refuses a wrong key with a French message and leaves the database untouched', async () => {
    const other = await identityFile(work, 'autre.key');
    const before = { inode: statSync(path.join(dataDir, 'vigie.db')).ino, names: await agentNames(path.join(dataDir, 'vigie.db')) };
    const res = await cli(['restore', encrypted, '--identity', other.file], dataDir);
    assert.equal(res.status, 1, res.stdout);
    assert.match(res.stderr, /^Déchiffrement impossible : la clé fournie \(--identity\) ne correspond à aucune des clés publiques pour lesquelles .*vigie\.db\.age a été chiffrée\. La base actuelle n’a pas été modifiée\.$/m);
    assert.deepEqual({ inode: statSync(path.join(dataDir, 'vigie.db')).ino, names: await agentNames(path.join(dataDir, 'vigie.db')) }, before);
    assert.deepEqual(readdirSync(dataDir).filter((f) => f.includes('.tmp')), []);

    const withoutKey = await cli(['restore', encrypted], dataDir);
    assert.equal(withoutKey.status, 1);
    assert.match(withoutKey.stderr, /est une sauvegarde chiffrée : indiquez la clé secrète avec --identity/);
  });

  it('decrypts with the right key, here given on standard input, and restores the database as it was backed up', async () => {
    const fresh = path.join(work, 'new-server');
    const res = await cli(['restore', encrypted, '--identity', '-'], fresh, {}, readFileSync(keys.file, 'utf8'));
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Base restaurée depuis .*vigie\.db\.age : 1 dossier\(s\), 0 demande\(s\)\.$/m);
    assert.ok((await agentNames(path.join(fresh, 'vigie.db'))).includes(WITNESS));
    assert.equal(statSync(path.join(fresh, 'vigie.db')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(fresh).filter((f) => f.includes('.tmp')), [], 'the decrypted copy is gone');
  });
});
