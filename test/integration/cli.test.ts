import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/passwords';
import { openDatabase } from '../../src/db/database';
import { createUsersRepository } from '../../src/users/users.repository';
import { CLI } from '../helpers/cli-command';

function cli(args: string[], dataDir: string, stdin = '') {
  return spawnSync(process.execPath, [...CLI, ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('command line', () => {
  it('prints its help', () => {
    const res = cli(['--help'], mkdtempSync(path.join(tmpdir(), 'vigie-cli-')));
    assert.equal(res.status, 0);
    assert.match(res.stdout, /user:add/);
    assert.match(res.stdout, /entrée standard/);
  });

  it('creates a rep with regions, reading the password from stdin', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-'));
    const res = cli(
      ['user:add', '--email', 'Ana.Martin@Exemple.fr', '--name', 'Ana Martin', '--role', 'rep', '--region', 'HDF', '--region', 'Île-de-France'],
      dataDir,
      'une phrase de passe assez longue\n',
    );
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Compte créé : ana\.martin@exemple\.fr \(rep, HDF, IDF\)/);
    const { db, close } = openDatabase(path.join(dataDir, 'vigie.db'));
    try {
      const user = await createUsersRepository(db).findByEmail('ana.martin@exemple.fr');
      assert.equal(user?.role, 'rep');
      assert.equal(user?.status, 'active');
      assert.deepEqual(user?.regions, ['HDF', 'IDF']);
      assert.equal(await verifyPassword(user?.passwordHash, 'une phrase de passe assez longue'), true);
      const audit = await db.selectFrom('auditLog').selectAll().execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actorLabel, 'cli');
    } finally {
      await close();
    }
  });

  it('refuses a password given as an argument, a short or weak password, a rep without region and an unknown region', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-'));
    const base = ['user:add', '--email', 'x@exemple.fr', '--name', 'X'];
    const withArg = cli([...base, '--role', 'admin', '--password', 'secret-en-clair'], dataDir, 'une phrase de passe assez longue\n');
    assert.equal(withArg.status, 2);
    const short = cli([...base, '--role', 'admin'], dataDir, 'court\n');
    assert.equal(short.status, 2);
    assert.match(short.stderr, /au moins 12 caractères/);
    for (const weak of ['aaaaaaaaaaaa', '123456789012']) {
      const refused = cli([...base, '--role', 'admin'], dataDir, `${weak}\n`);
      assert.equal(refused.status, 2, `${weak} refused`);
      assert.match(refused.stderr, /Ce mot de passe .* Choisissez plutôt une phrase de quatre mots ou plus/);
    }
    const noRegion = cli([...base, '--role', 'rep'], dataDir, 'une phrase de passe assez longue\n');
    assert.equal(noRegion.status, 2);
    assert.match(noRegion.stderr, /au moins une région/);
    const unknownRegion = cli([...base, '--role', 'rep', '--region', 'Atlantide'], dataDir, 'une phrase de passe assez longue\n');
    assert.equal(unknownRegion.status, 2);
    assert.match(unknownRegion.stderr, /Région inconnue : Atlantide/);
    const badRole = cli([...base, '--role', 'chef'], dataDir, 'une phrase de passe assez longue\n');
    assert.equal(badRole.status, 2);
  });

  it('refuses a second account with the same email', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-'));
    const args = ['user:add', '--email', 'y@exemple.fr', '--name', 'Y', '--role', 'admin'];
    assert.equal(cli(args, dataDir, 'une phrase de passe assez longue\n').status, 0);
    const again = cli(args, dataDir, 'une phrase de passe assez longue\n');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /existe déjà/);
  });
});
