import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ProcessingRecordFacts, buildProcessingRecord, minutes } from '../../src/admin/processing-record';
import type { LegalReference } from '../../src/legal/legal-references';
import { describeJournalEntry } from '../../src/cases/case-journal';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../../src/domain/login-throttle';

function ref(id: string, label: string, mark: 'V' | 'P' | 'N' = 'V'): [string, LegalReference] {
  return [id, { id, label, mark, summary: `Résumé de ${label}.`, appliesTo: 'all', cues: [label], caution: mark === 'P' ? 'selon…' : undefined }];
}

function facts(overrides: Partial<ProcessingRecordFacts> = {}): ProcessingRecordFacts {
  return {
    config: {
      session: { idleMinutes: 90, absoluteHours: 8, anonymousMinutes: 60, maxAnonymous: 100 },
      requestRetentionDays: 30,
      rateLimitPerMinute: 600,
      publicFormLimitPerHour: 1,
      smtp: null,
      secureCookies: true,
      invitationLinkDays: 1,
      setupLinkHours: 1,
      closedCaseRetentionDays: 730,
      auditRetentionDays: 365,
      caseImport: { uploadHours: 1, summaryHours: 48 },
      exportFileHours: 3,
    },
    regions: [{ code: 'HDF', name: 'Hauts-de-France' }],
    accounts: [],
    campaigns: [{ name: 'Vague 2', status: 'closed' }],
    situations: [{ label: 'Dossier d’une personnalité politique' }],
    consultationActions: [{ label: 'Consulté' }, { label: 'Modifié' }],
    database: { secureDelete: true, journalMode: 'wal', foreignKeys: true },
    throttle: { account: ACCOUNT_POLICY, address: ADDRESS_POLICY },
    password: { algorithm: 'argon2id', memoryKiB: 19_456, passes: 2, minLength: 12 },
    backupCommand: false,
    references: new Map([ref('rgpd-art9', 'article 9 du RGPD'), ref('rgpd-art32', 'article 32 du RGPD', 'P'), ref('cnil-2021-122', 'délibération de la CNIL n° 2021-122')]),
    ...overrides,
  };
}

const item = (items: { title: string; detail: string; pending?: boolean }[], title: string) => {
  const found = items.find((i) => i.title === title);
  assert.ok(found, `item ${title}`);
  return found;
};

describe('buildProcessingRecord', () => {
  it('states durations in French from the configuration, singular and plural', () => {
    const record = buildProcessingRecord(facts());
    assert.match(item(record.retention, 'Sessions').detail, /après 1 h 30 d’inactivité et au plus tard 8 heures/);
    assert.match(item(record.retention, 'Liens d’invitation et de réinitialisation').detail, /Valables 1 jour ; lien d’installation du premier compte : 1 heure\./);
    assert.match(item(record.retention, 'Demandes jamais transformées en dossier').detail, /^30 jours/);
    assert.match(item(record.security, 'Limites de débit').detail, /1 envoi du formulaire public/);
    assert.deepEqual([minutes(45), minutes(60), minutes(125)], ['45 minutes', '1 heure', '2 h 05']);
  });

  it('gives the retention durations the configuration sets', () => {
    const set = buildProcessingRecord(facts());
    assert.match(item(set.retention, 'Dossiers clos').detail, /^730 jours sans activité après leur clôture/);
    assert.match(item(set.retention, 'Journal d’audit').detail, /^365 jours, .*recommande de six mois à un an, sans caractère obligatoire/);
    assert.equal(item(set.retention, 'Journal d’audit').pending, undefined);
  });

  it('says how long CSV uploads, their summaries and batch export files are kept', () => {
    const record = buildProcessingRecord(facts());
    const imports = item(record.retention, 'Fichiers CSV importés').detail;
    assert.match(imports, /effacés à la fin de l’import, ou 1 heure après le dépôt si l’import n’est pas lancé/);
    assert.match(imports, /le bilan de l’import \(nombres, numéros de ligne et messages d’erreur\) reste 48 heures de plus/);
    assert.match(imports, /visibles de la seule personne qui l’a déposé/);
    const exports = item(record.retention, 'Exports groupés d’argumentaires').detail;
    assert.match(exports, /^Fichiers ZIP des argumentaires en PDF/);
    assert.match(exports, /effacés dès leur téléchargement, sinon 3 heures après être prêts/);
  });

  it('says what the cookie and the database really do', () => {
    const https = buildProcessingRecord(facts());
    assert.match(item(https.security, 'Sessions').detail, /Secure \(adresse publique en https, avec HSTS\)/);
    const http = buildProcessingRecord(facts({ config: { ...facts().config, secureCookies: false }, database: { secureDelete: false, journalMode: 'wal', foreignKeys: true } }));
    assert.match(item(http.security, 'Sessions').detail, /n’est donc pas marqué Secure/);
    assert.equal(item(http.security, 'Effacement sécurisé').pending, true);
    assert.match(item(http.security, 'Intégrité de la base').detail, /Journal WAL, clés étrangères vérifiées/);
    assert.equal(item(http.security, 'Sauvegardes').pending, true);
    assert.equal(item(buildProcessingRecord(facts({ backupCommand: true })).security, 'Sauvegardes').pending, undefined);
  });

  it('cites verified references only', () => {
    const record = buildProcessingRecord(facts());
    assert.deepEqual(record.references.map((r) => r.label), ['Article 9 du RGPD', 'Délibération de la CNIL n° 2021-122']);
    assert.deepEqual(record.campaigns, ['Vague 2 (terminée)']);
  });

  it('counts active reps per region and says when there are none', () => {
    const none = buildProcessingRecord(facts());
    assert.match(item(none.recipients, 'Représentant·es de la région').detail, /aucun compte actif pour l’instant/);
    const some = buildProcessingRecord(
      facts({
        accounts: [
          { role: 'rep', status: 'active', regions: ['HDF'] },
          { role: 'rep', status: 'invited', regions: ['HDF'] },
          { role: 'admin', status: 'active', regions: [] },
          { role: 'admin', status: 'active', regions: [] },
        ],
      }),
    );
    assert.match(item(some.recipients, 'Représentant·es de la région').detail, /Hauts-de-France \(1 compte actif\)/);
    assert.match(item(some.recipients, 'Administrateur·rices').detail, /^2 comptes actifs/);
  });
});

describe('describeJournalEntry', () => {
  const row = { id: 1, at: '2026-11-23T10:00:00.000Z', actorLabel: 'user', actorName: 'Ana Martin', briefNumber: null };

  it('says what was done to the case or to which brief version, by whom', () => {
    assert.deepEqual(describeJournalEntry({ ...row, action: 'view', entityType: 'case' }), {
      id: 1,
      at: row.at,
      actor: 'Ana Martin',
      what: 'Consultation du dossier',
      kind: 'view',
      about: 'case',
    });
    assert.equal(describeJournalEntry({ ...row, action: 'export', entityType: 'brief', briefNumber: 3 }).what, 'Téléchargement de l’argumentaire v3');
    assert.equal(describeJournalEntry({ ...row, action: 'export', entityType: 'brief', briefNumber: 3 }).kind, 'export');
    assert.equal(describeJournalEntry({ ...row, action: 'create', entityType: 'brief', briefNumber: 1 }).what, 'Génération de l’argumentaire v1');
  });

  it('names actors without an account by what they were', () => {
    assert.equal(describeJournalEntry({ ...row, actorName: null, actorLabel: 'system', action: 'update', entityType: 'case' }).actor, 'Vigie (tâche automatique)');
    assert.equal(describeJournalEntry({ ...row, actorName: null, actorLabel: 'user', action: 'update', entityType: 'case' }).actor, 'compte supprimé');
  });
});
