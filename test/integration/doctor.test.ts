import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, runCli } from '../helpers/cli-command';

/** `npm run cli -- doctor` on a deployment laid out in a temporary folder, as a child process. */


function doctor(env: Record<string, string>): Promise<CliRun> {
  // Nothing of this machine's own settings: only what the test lays out.
  return runCli(['doctor'], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env } });
}

let work: string;
/** A TCP server standing for the mail server: doctor only connects. */
const smtp = createServer((socket) => socket.end());

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'vigie-doctor-'));
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await new Promise((resolve) => smtp.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('cli doctor', () => {
  it('says all is well, exit 0, on a deployment laid out as the README says', async () => {
    const data = path.join(work, 'good', 'data');
    const backups = path.join(work, 'good', 'backups');
    mkdirSync(data, { recursive: true, mode: 0o700 });
    chmodSync(data, 0o700);
    mkdirSync(backups, { mode: 0o700 });
    writeFileSync(path.join(data, 'vigie.db'), '', { mode: 0o600 });
    writeFileSync(path.join(data, 'session-secret'), `${'s'.repeat(48)}\n`, { mode: 0o600 });
    writeFileSync(path.join(backups, 'vigie-2026-12-06.db.age'), 'chiffré', { mode: 0o600 });
    const res = await doctor({
      NODE_ENV: 'production',
      DATA_DIR: data,
      BACKUP_DIR: backups,
      BASE_URL: 'https://vigie.exemple.fr',
      TRUST_PROXY: '1',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String((smtp.address() as AddressInfo).port),
      SMTP_FROM: 'vigie@exemple.fr',
    });
    assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
    assert.doesNotMatch(res.stdout, /✘/);
    assert.match(res.stdout, /Tout est en ordre\./);
    assert.match(res.stdout, /Serveur d’e-mails joignable/);
    assert.match(res.stdout, /Dernière sauvegarde il y a \d+ heure/);
  });

  it('names every problem and what to do, exit 1, and creates nothing on the way', async () => {
    const data = path.join(work, 'bad', 'data');
    const backups = path.join(work, 'bad', 'backups');
    mkdirSync(data, { recursive: true });
    chmodSync(data, 0o755);
    mkdirSync(backups);
    const old = path.join(backups, 'vigie-2026-11-01.db');
    writeFileSync(old, 'ancienne');
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    utimesSync(old, threeDaysAgo, threeDaysAgo);
    // A port nobody listens on: refused at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const res = await doctor({
      NODE_ENV: 'production',
      DATA_DIR: data,
      BACKUP_DIR: backups,
      BASE_URL: 'http://vigie.exemple.fr',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(closedPort),
      SMTP_FROM: 'vigie@exemple.fr',
    });
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stdout, /✘ L’adresse publique est en http en production/);
    assert.match(res.stdout, /✘ Le dossier des données .* \(droits 755\)/);
    assert.match(res.stdout, /→ chmod 700 /);
    assert.match(res.stdout, /✘ La dernière sauvegarde .* date de 3 jour\(s\)/);
    assert.match(res.stdout, /✘ Le serveur d’e-mails 127\.0\.0\.1:\d+ ne répond pas \(ECONNREFUSED\)/);
    assert.match(res.stdout, /4 point\(s\) à corriger\./);
    assert.ok(!existsSync(path.join(data, 'session-secret')), 'doctor does not create the session secret');
    assert.ok(!existsSync(path.join(data, 'vigie.db')), 'doctor does not create the database');

    // An https address without TRUST_PROXY, and a session secret others can read.
    writeFileSync(path.join(data, 'session-secret'), `${'s'.repeat(48)}\n`);
    chmodSync(path.join(data, 'session-secret'), 0o644);
    const proxied = await doctor({ DATA_DIR: data, BASE_URL: 'https://vigie.exemple.fr' });
    assert.equal(proxied.status, 1);
    assert.match(proxied.stdout, /✘ L’adresse est en https.*TRUST_PROXY n’est pas défini/);
    assert.match(proxied.stdout, /→ Ajoutez TRUST_PROXY=1/);
    assert.match(proxied.stdout, /✘ Le secret des sessions .* \(droits 644\)/);
  });
});
