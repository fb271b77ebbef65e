import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { createCasesRepository } from '../../src/cases/cases.repository';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { openDatabase } from '../../src/db/database';
import { integrityCheck, missingCases, prepareDatabase, startCaseWriter, wholeness } from './fixtures/writer-process';
import { CLI, runCli } from '../helpers/cli-command';

/**
 * `npm run cli -- backup <file>` and `restore <file>`, run as child processes like in production,
 * against a database that another process (test/integration/fixtures/case-writer.ts) keeps
 * writing to, the way the app does while reps save cases.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], dataDir: string): CliResult {
  const res = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Without blocking this process: the writer's acknowledgements must keep flowing meanwhile. */
function cliAsync(args: string[], dataDir: string): Promise<CliResult> {
  return runCli(args, { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
}

async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withDb<T>(file: string, fn: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
  const { db, close } = openDatabase(file);
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

async function caseIds(file: string): Promise<number[]> {
  return withDb(file, async (db) => (await db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => r.id));
}

let dataDir: string;
let databaseFile: string;
let backupsDir: string;
/** A good backup taken under load, used by the restore tests. */
let goodBackup: string;
let goodBackupIds: number[];

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-backup-'));
  databaseFile = path.join(dataDir, 'vigie.db');
  backupsDir = mkdtempSync(path.join(tmpdir(), 'vigie-backups-'));
  await prepareDatabase(databaseFile);
  // Some tens of megabytes, so the copy takes long enough for writes to happen during it.
  const { db, sqlite, close } = openDatabase(databaseFile);
  try {
    const campaign = await db.selectFrom('campaigns').select('id').orderBy('id').executeTakeFirstOrThrow();
    const rep = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const caseId = await createCasesRepository(db).create({
      agent: agentInput('Agent Volumineux'),
      case: caseInput(campaign.id, { repIds: [rep.id] }),
      createdBy: rep.id,
      now: new Date(),
    });
    const insert = sqlite.prepare("insert into consultations (case_id, at, action, explanation, explanation_text) values (?, ?, 'consulted', 'unknown', ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 120_000; i++) insert.run(caseId, new Date(1_700_000_000_000 + i * 60_000).toISOString(), `Explication ${i} `.padEnd(200, '-'));
    })();
  } finally {
    await close();
  }
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(backupsDir, { recursive: true, force: true });
});

describe('backup', () => {
  it('copies a consistent snapshot while another process keeps writing, with every write committed before it started', async (t) => {
    const writer = startCaseWriter(databaseFile);
    try {
      await writer.ready;
      await waitFor(() => writer.acknowledged.length >= 200);
      const committedBefore = [...writer.acknowledged];
      goodBackup = path.join(backupsDir, 'nightly', 'vigie-under-load.db');
      const started = Date.now();
      const res = await cliAsync(['backup', goodBackup], dataDir);
      const elapsed = Date.now() - started;
      const during = writer.acknowledged.length - committedBefore.length;
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, /^Sauvegarde écrite et vérifiée : .*vigie-under-load\.db \([\d\s,]+ Mo, \d+ dossier\(s\), 0 demande\(s\), \d+ ms\)\.$/m);
      assert.ok(during > 0, 'the writer kept committing while the backup ran');
      t.diagnostic(`backup of ${(statSync(goodBackup).size / 1_048_576).toFixed(1)} MB: ${elapsed} ms end to end (${res.stdout.match(/(\d+) ms\)/)?.[1]} ms inside the command), ${during} transactions committed by the writer meanwhile`);

      assert.equal(statSync(goodBackup).mode & 0o777, 0o600, 'only its owner may read a backup');
      const backupDb = openDatabase(goodBackup);
      try {
        assert.deepEqual(await integrityCheck(backupDb.db), ['ok']);
        assert.deepEqual(await missingCases(backupDb.db, committedBefore), [], 'every write acknowledged before the backup is in it');
        const report = await wholeness(backupDb.db);
        assert.deepEqual(report.partialCases, [], 'no transaction is half copied');
        assert.equal(report.orphanAgents, 0, 'no transaction is half copied');
        assert.ok(report.cases >= committedBefore.length);
        // It is a snapshot: what the writer committed after it is not in it.
        await waitFor(() => writer.acknowledged.length > committedBefore.length + during + 5);
        assert.ok((await missingCases(backupDb.db, writer.acknowledged)).length > 0, 'writes after the snapshot are not in the copy');
        assert.equal(Number((await backupDb.db.selectFrom('consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 120_000);
        goodBackupIds = (await backupDb.db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => r.id);
      } finally {
        await backupDb.close();
      }
    } finally {
      writer.child.kill('SIGKILL');
      await writer.exited;
    }
    assert.ok(!existsSync(`${goodBackup}-wal`), 'the backup is one self-contained file');
  });

  it('never lets the copy be read by anyone else, not even while it is being written, whatever the umask', async () => {
    // A folder others may list (a backup folder made by hand), and the most permissive umask: only
    // the file's own mode then keeps others out.
    const folder = path.join(backupsDir, 'watched');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const target = path.join(folder, 'vigie-watched.db');
    const { status, stderr, seen } = await modesWhileRunning(['backup', target], folder, () => true);
    assert.equal(status, 0, stderr);
    const temporary = [...seen.keys()].filter((name) => name !== 'vigie-watched.db');
    assert.ok(temporary.length > 0, 'the copy was seen while it was being written');
    for (const [name, modes] of seen) {
      assert.deepEqual([...modes].map((m) => m.toString(8)), ['600'], `${name} is its owner's only, from its creation`);
    }
    assert.equal(statSync(target).mode & 0o777, 0o600);
  });

  it('never overwrites an existing file, and says so when there is no database', () => {
    const existing = path.join(backupsDir, 'existing.db');
    writeFileSync(existing, 'précieux');
    const res = cli(['backup', existing], dataDir);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /existe déjà : choisissez un autre nom, rien n’a été écrasé/);
    assert.equal(readFileSync(existing, 'utf8'), 'précieux');

    const empty = mkdtempSync(path.join(tmpdir(), 'vigie-backup-empty-'));
    const none = cli(['backup', path.join(backupsDir, 'from-nothing.db')], empty);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /Aucune base à sauvegarder/);
    assert.ok(!existsSync(path.join(empty, 'vigie.db')), 'no empty database is created on the way');
    assert.ok(!existsSync(path.join(backupsDir, 'from-nothing.db')));
    rmSync(empty, { recursive: true, force: true });

    const usage = cli(['backup'], dataDir);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Usage : npm run cli -- backup <fichier>/);
  });
});

describe('restore', () => {
  /** What must not change when a restore is refused: the very file and its content. */
  async function fingerprint() {
    return { inode: statSync(databaseFile).ino, ids: await caseIds(databaseFile) };
  }

  it('refuses a corrupted backup and leaves the database as it was', async () => {
    const corrupted = path.join(backupsDir, 'corrupted.db');
    copyFileSync(goodBackup, corrupted);
    // Garbage over a few pages in the middle (consultations), as a failing disk would leave:
    // the file still opens and its small tables read fine, only a full check finds the damage.
    const fd = openSync(corrupted, 'r+');
    const size = statSync(corrupted).size;
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const before = await fingerprint();
    const res = cli(['restore', corrupted], dataDir);
    assert.equal(res.status, 1, res.stdout);
    assert.match(res.stderr, /^Restauration refusée : .*corrupted\.db — (la vérification d’intégrité a échoué|le fichier est illisible ou endommagé).*\. La base actuelle n’a pas été modifiée\.$/m);
    assert.deepEqual(await fingerprint(), before);
    assert.deepEqual(readdirTemp(), [], 'no temporary copy is left behind');
  });

  it('refuses a SQLite file that is not a Vigie database, and a file that is not SQLite', async () => {
    const foreign = path.join(backupsDir, 'foreign.db');
    const other = new SQLite(foreign);
    other.exec("create table notes (body text); insert into notes values ('autre appli')");
    other.close();
    const before = await fingerprint();
    const res = cli(['restore', foreign], dataDir);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /Restauration refusée : .*ce n’est pas une base Vigie \(pas de table de migrations\)/);

    const text = path.join(backupsDir, 'notes.txt');
    writeFileSync(text, 'pas une base');
    const res2 = cli(['restore', text], dataDir);
    assert.equal(res2.status, 1);
    assert.match(res2.stderr, /ce fichier n’est pas une base SQLite/);

    const missing = cli(['restore', path.join(backupsDir, 'absent.db')], dataDir);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Fichier de sauvegarde introuvable/);
    assert.deepEqual(await fingerprint(), before);
    assert.deepEqual(readdirTemp(), []);
  });

  it('refuses while another process has the database open (the app must be stopped)', async () => {
    const before = await fingerprint();
    const app = openDatabase(databaseFile);
    try {
      // An idle connection, like the app's between two requests.
      await app.db.selectFrom('cases').select('id').limit(1).execute();
      const res = cli(['restore', goodBackup], dataDir);
      assert.equal(res.status, 1);
      assert.match(res.stderr, /l’application Vigie tourne-t-elle encore \? Arrêtez-la/);
    } finally {
      await app.close();
    }
    assert.deepEqual(await fingerprint(), before);
    assert.deepEqual(readdirTemp(), []);
  });

  it('replaces the database with a good backup, even after a crash left the old write-ahead log behind', async () => {
    // A writer killed mid-flight leaves a write-ahead log full of pages of the old database:
    // replayed into the restored file, they would corrupt it.
    const writer = startCaseWriter(databaseFile);
    await writer.ready;
    await waitFor(() => writer.acknowledged.length >= 100);
    writer.child.kill('SIGKILL');
    await writer.exited;
    assert.ok(statSync(`${databaseFile}-wal`).size > 0, 'the crash left a write-ahead log');
    const beforeIds = await caseIds(databaseFile);
    assert.ok(beforeIds.length > goodBackupIds.length, 'the database moved on since the backup');
    // Left by the crash again, since opening the database above tidied it up.
    const writer2 = startCaseWriter(databaseFile);
    await writer2.ready;
    await waitFor(() => writer2.acknowledged.length >= 50);
    writer2.child.kill('SIGKILL');
    await writer2.exited;
    assert.ok(existsSync(`${databaseFile}-wal`));

    const res = cli(['restore', goodBackup], dataDir);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^Base restaurée depuis .*vigie-under-load\\.db : ${goodBackupIds.length} dossier\\(s\\), 0 demande\\(s\\)\\.$`, 'm'));
    assert.match(res.stdout, /Vous pouvez redémarrer l’application/);
    assert.ok(!existsSync(`${databaseFile}-wal`) || statSync(`${databaseFile}-wal`).size === 0, 'the old write-ahead log is gone');
    assert.ok(!existsSync(`${databaseFile}-shm`), 'the old write-ahead index is gone');
    assert.deepEqual(await caseIds(databaseFile), goodBackupIds);
    await withDb(databaseFile, async (db) => {
      assert.deepEqual(await integrityCheck(db), ['ok']);
      const report = await wholeness(db);
      assert.deepEqual(report.partialCases, []);
    });
    assert.deepEqual(readdirTemp(), []);
    // The backup itself is untouched and can be restored again.
    assert.ok(existsSync(goodBackup));
  });
  it('never lets the restored copy be read by anyone else while it is written, whatever the source file’s mode', async () => {
    // A backup copied by hand, readable by all, and the most permissive umask.
    const loose = path.join(backupsDir, 'copied-by-hand.db');
    copyFileSync(goodBackup, loose);
    chmodSync(loose, 0o644);
    // Every temporary name that appears beside the database, with every mode it is seen with.
    const { status, stderr, seen } = await modesWhileRunning(['restore', loose], dataDir, (name) => name.includes('.restore-'));
    assert.equal(status, 0, stderr);
    assert.ok(seen.size > 0, 'the copy was seen while it was being written');
    for (const [name, modes] of seen) {
      assert.deepEqual([...modes].map((m) => m.toString(8)), ['600'], `${name} is its owner's only, from its creation`);
    }
    assert.equal(statSync(databaseFile).mode & 0o777, 0o600);
    assert.deepEqual(await caseIds(databaseFile), goodBackupIds);
  });
});

/**
 * Runs a CLI command under the most permissive umask and records every name `keep` accepts that
 * appears in `folder`, with every mode it is seen with, until the command ends.
 */
async function modesWhileRunning(args: string[], folder: string, keep: (name: string) => boolean) {
  const child = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, ...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let running = true;
  void exited.then(() => (running = false));
  const seen = new Map<string, Set<number>>();
  while (running) {
    for (const name of readdirSync(folder).filter(keep)) {
      const mode = statSync(path.join(folder, name), { throwIfNoEntry: false })?.mode;
      if (mode === undefined) continue;
      if (!seen.has(name)) seen.set(name, new Set());
      seen.get(name)!.add(mode & 0o777);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { status: await exited, stderr, seen };
}

/** Temporary files of backup or restore left beside the database or the backups. */
function readdirTemp(): string[] {
  return [...readdirSync(dataDir), ...readdirSync(backupsDir)].filter((f) => f.includes('.tmp'));
}
