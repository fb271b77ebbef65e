import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Finding,
  checkBackups,
  checkBaseUrl,
  checkDataFolder,
  checkProxy,
  checkSessionSecret,
  checkSmtp,
} from '../../src/domain/deployment-checks';

/** Each row: the facts, whether all is well, and words the summary (and fix, when not ok) must hold. */
function table<F>(check: (facts: F) => Finding, rows: Array<{ facts: F; ok: boolean; says: RegExp; fix?: RegExp }>) {
  for (const { facts, ok, says, fix } of rows) {
    it(`${JSON.stringify(facts)} → ${ok ? 'ok' : 'to fix'}`, () => {
      const finding = check(facts);
      assert.equal(finding.ok, ok, finding.summary);
      assert.match(finding.summary, says);
      if (ok) assert.equal(finding.fix, undefined);
      else assert.match(finding.fix ?? '', fix ?? /./, 'says what to do');
    });
  }
}

const NOW = new Date('2026-12-07T08:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe('BASE_URL', () => {
  table(checkBaseUrl, [
    { facts: { baseUrl: 'https://vigie.exemple.fr', production: true }, ok: true, says: /https/ },
    { facts: { baseUrl: 'http://vigie.exemple.fr', production: true }, ok: false, says: /en http en production/, fix: /BASE_URL=https:/ },
    { facts: { baseUrl: 'http://localhost:3000', production: true }, ok: false, says: /http:\/\/localhost:3000/ },
    { facts: { baseUrl: 'http://localhost:3000', production: false }, ok: true, says: /hors production/ },
  ]);
});

describe('TRUST_PROXY', () => {
  table(checkProxy, [
    { facts: { baseUrl: 'https://vigie.exemple.fr', trustProxy: false }, ok: false, says: /TRUST_PROXY n’est pas défini/, fix: /TRUST_PROXY=1/ },
    { facts: { baseUrl: 'https://vigie.exemple.fr', trustProxy: 1 }, ok: true, says: /TRUST_PROXY=1/ },
    { facts: { baseUrl: 'https://vigie.exemple.fr', trustProxy: 'loopback' }, ok: true, says: /TRUST_PROXY=loopback/ },
    { facts: { baseUrl: 'https://vigie.exemple.fr', trustProxy: true }, ok: false, says: /tout en-tête X-Forwarded-For/, fix: /TRUST_PROXY=1/ },
    { facts: { baseUrl: 'http://localhost:3000', trustProxy: false }, ok: true, says: /Pas de proxy/ },
  ]);
});

describe('data folder', () => {
  table(checkDataFolder, [
    { facts: { dataDir: '/var/lib/vigie', mode: 0o40700, databaseMode: 0o100600 }, ok: true, says: /droits 700/ },
    { facts: { dataDir: '/var/lib/vigie', mode: 0o40700, databaseMode: null }, ok: true, says: /réservé/ },
    { facts: { dataDir: '/var/lib/vigie', mode: 0o40755, databaseMode: 0o100600 }, ok: false, says: /droits 755/, fix: /chmod 700 \/var\/lib\/vigie/ },
    { facts: { dataDir: '/var/lib/vigie', mode: 0o40750, databaseMode: 0o100600 }, ok: false, says: /droits 750/ },
    { facts: { dataDir: '/var/lib/vigie', mode: 0o40700, databaseMode: 0o100644 }, ok: false, says: /vigie\.db .*droits 644/, fix: /chmod 600/ },
    { facts: { dataDir: '/srv/ailleurs', mode: null, databaseMode: null }, ok: false, says: /n’existe pas/, fix: /DATA_DIR/ },
  ]);
});

describe('session secret', () => {
  table(checkSessionSecret, [
    { facts: { file: '/var/lib/vigie/session-secret', mode: 0o100600 }, ok: true, says: /droits 600/ },
    { facts: { file: '/var/lib/vigie/session-secret', mode: 0o100400 }, ok: true, says: /droits 400/ },
    { facts: { file: '/var/lib/vigie/session-secret', mode: 0o100644 }, ok: false, says: /lisible par d’autres comptes \(droits 644\)/, fix: /chmod 600/ },
    { facts: { file: '/var/lib/vigie/session-secret', mode: 0o100640 }, ok: false, says: /droits 640/ },
    { facts: { file: '/var/lib/vigie/session-secret', mode: null }, ok: true, says: /premier démarrage/ },
    { facts: { file: null, mode: null }, ok: true, says: /SESSION_SECRET/ },
  ]);
});

describe('backups', () => {
  const dir = '/var/backups/vigie';
  table(checkBackups, [
    { facts: { dir: null, exists: false, newest: null, now: NOW }, ok: true, says: /non vérifié/ },
    { facts: { dir, exists: true, newest: hoursAgo(5), now: NOW }, ok: true, says: /il y a 5 heure/ },
    { facts: { dir, exists: true, newest: hoursAgo(47.9), now: NOW }, ok: true, says: /il y a 47 heure/ },
    { facts: { dir, exists: true, newest: hoursAgo(48), now: NOW }, ok: false, says: /2 jour\(s\)/, fix: /vigie-backup/ },
    { facts: { dir, exists: true, newest: hoursAgo(24 * 9), now: NOW }, ok: false, says: /9 jour\(s\)/ },
    { facts: { dir, exists: true, newest: null, now: NOW }, ok: false, says: /Aucune sauvegarde/ },
    { facts: { dir, exists: false, newest: null, now: NOW }, ok: false, says: /n’existe pas/, fix: /install -d -o vigie/ },
  ]);
});

describe('SMTP', () => {
  const smtp = { host: 'smtp.exemple.fr', port: 587 };
  table(checkSmtp, [
    { facts: { smtp: null, reachability: null }, ok: true, says: /SMTP_HOST vide/ },
    { facts: { smtp, reachability: { reachable: true } }, ok: true, says: /joignable : smtp\.exemple\.fr:587/ },
    { facts: { smtp, reachability: { reachable: false, reason: 'ECONNREFUSED' } }, ok: false, says: /ne répond pas \(ECONNREFUSED\)/, fix: /SMTP_PORT/ },
    { facts: { smtp, reachability: { reachable: false, reason: 'pas de réponse en 3 s' } }, ok: false, says: /pas de réponse en 3 s/ },
  ]);
});
