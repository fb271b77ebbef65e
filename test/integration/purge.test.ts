import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { createAuditLog } from '../../src/audit/audit.repository';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { createCasesRepository } from '../../src/cases/cases.repository';
import { createCasesService } from '../../src/cases/cases.service';
import type { AgentInput, CaseInput } from '../../src/cases/cases.types';
import { type DB, openDatabase } from '../../src/db/database';
import { retentionLimits } from '../../src/domain/retention';
import { createPurgeService } from '../../src/retention/purge.service';
import { migrateToLatest } from '../../src/db/migrate';
import { createUsersRepository } from '../../src/users/users.repository';
import { canaryIn as canaryInFiles, tableCounts as countRows } from '../helpers/database-traces';
import { CLI } from '../helpers/cli-command';

/**
 * `npm run cli -- purge [--dry-run]`: what has outlived its retention period goes, and cannot be
 * read back from the database files afterwards. A canary string is written into an old closed
 * case (agent's name, notes, timeline, consultations, brief) and an old unconverted request;
 * after the purge, the raw bytes of vigie.db, -wal and -shm must not contain it. The purge runs as
 * a child process while this process keeps the database open, as the running app would: the
 * write-ahead log then outlives the command and only its checkpoint can empty it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;
const CANARY = 'Kwzcanarixq';

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const ago = (days: number) => new Date(Date.now() - days * DAY);

let dataDir: string;
let databaseFile: string;
/** The app's connection, open throughout like a running server. */
let app: ReturnType<typeof openDatabase>;
let db: DB;
let repId: number;
let campaignId: number;
const ids: Record<string, number> = {};
/** When the kept old cases were last changed. */
let lately: Date;

function agent(fullName: string): AgentInput {
  return agentInput(fullName, { site: 'Lille', employmentStatus: 'private' });
}

function caseWithNotes(toneNotes: string): CaseInput {
  return caseInput(campaignId, { interviewTone: 'pressure', toneNotes, repIds: [repId] });
}

/** A case opened `openedDaysAgo`, closed `closedDaysAgo` (or left open), with a timeline, consultations and a brief. */
async function seedCase(options: { name: string | { existingId: number }; notes: string; openedDaysAgo: number; closedDaysAgo: number | null }): Promise<number> {
  const cases = createCasesRepository(db);
  const opened = ago(options.openedDaysAgo);
  const id = await cases.create({ agent: typeof options.name === 'string' ? agent(options.name) : options.name, case: caseWithNotes(options.notes), createdBy: repId, now: opened });
  await cases.addEvent(id, { type: 'convocation_received', date: opened.toISOString().slice(0, 10), note: options.notes }, repId, opened);
  await cases.addConsultations(id, [{ at: opened.toISOString(), action: 'consulted', explanation: 'other', explanationText: options.notes }], opened);
  await db
    .insertInto('briefVersions')
    .values({ caseId: id, number: 1, purpose: 'interview', addressee: 'manager', argumentIds: '[]', document: JSON.stringify({ title: options.notes }), createdBy: repId, createdAt: opened.toISOString() })
    .execute();
  if (options.closedDaysAgo !== null) {
    const closed = ago(options.closedDaysAgo);
    await cases.addEvent(id, { type: 'closed', date: closed.toISOString().slice(0, 10), closingOutcome: 'no_follow_up', note: options.notes }, repId, closed);
    await db.updateTable('cases').set({ status: 'closed' }).where('id', '=', id).execute();
  }
  return id;
}

async function seedRequest(reference: string, name: string, message: string, idleDays: number, caseId: number | null): Promise<number> {
  const at = ago(idleDays).toISOString();
  const { id } = await db
    .insertInto('supportRequests')
    .values({ reference, tokenHash: createHash('sha256').update(randomBytes(16)).digest('hex'), name, email: 'agent@exemple.fr', phone: null, preferredContact: 'email', regionCode: 'HDF', site: '', convocationDate: null, interviewDate: null, summonedBy: '', situation: 'unknown', message, consentAt: at, status: caseId ? 'case_opened' : 'received', assignedUserId: null, caseId, duplicateOf: null, createdAt: at, updatedAt: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('supportRequestMessages').values({ requestId: id, author: 'agent', userId: null, body: message, createdAt: at }).execute();
  return id;
}

const canaryIn = () => canaryInFiles(databaseFile, CANARY);
const tableCounts = () => countRows(db);

async function caseExists(id: number): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-purge-all-'));
  databaseFile = path.join(dataDir, 'vigie.db');
  app = openDatabase(databaseFile);
  db = app.db;
  await migrateToLatest(db);
  await seedReferenceCampaigns(db, new Date());
  repId = await createUsersRepository(db).create({ email: 'rep@exemple.fr', name: 'Rep', role: 'rep', status: 'active', passwordHash: 'x', regions: ['HDF'], now: new Date() });
  campaignId = (await db.selectFrom('campaigns').select('id').orderBy('id').executeTakeFirstOrThrow()).id;

  // Past retention (closed 4 years ago): erased, and with it its agent and the request it came from.
  ids.oldClosed = await seedCase({ name: `Agent ${CANARY}`, notes: `Notes sur ${CANARY} : entretien sous pression`, openedDaysAgo: 5 * 365, closedDaysAgo: 4 * 365 });
  ids.linkedRequest = await seedRequest('D-LINK-ED01', `Agent ${CANARY}`, `Demande de ${CANARY}`, 5 * 365, ids.oldClosed);
  ids.oldClosedAgent = (await db.selectFrom('cases').select('agentId').where('id', '=', ids.oldClosed).executeTakeFirstOrThrow()).agentId;
  // An agent with an old closed case and a recent open one: the old case goes, the agent stays.
  ids.sharedOld = await seedCase({ name: 'Agent Partagé', notes: 'ancienne affaire', openedDaysAgo: 6 * 365, closedDaysAgo: 5 * 365 });
  ids.sharedAgent = (await db.selectFrom('cases').select('agentId').where('id', '=', ids.sharedOld).executeTakeFirstOrThrow()).agentId;
  ids.sharedRecent = await seedCase({ name: { existingId: ids.sharedAgent }, notes: 'nouvelle affaire', openedDaysAgo: 20, closedDaysAgo: null });
  // Kept: closed a year ago (within three years); opened five years ago and still open;
  // closed four years ago but a timeline entry added last month.
  ids.recentClosed = await seedCase({ name: 'Agent Récent', notes: 'clos récemment', openedDaysAgo: 2 * 365, closedDaysAgo: 365 });
  ids.oldOpen = await seedCase({ name: 'Agent Toujours Suivi', notes: 'toujours ouvert', openedDaysAgo: 5 * 365, closedDaysAgo: null });
  ids.oldButTouched = await seedCase({ name: 'Agent Relancé', notes: 'clos puis relancé', openedDaysAgo: 5 * 365, closedDaysAgo: 4 * 365 });
  await createCasesRepository(db).addEvent(ids.oldButTouched, { type: 'appeal', date: ago(30).toISOString().slice(0, 10) }, repId, ago(30));

  // Closed four years ago, then changed ten days ago through the app's own service: a consultation
  // added, one deleted, a timeline event deleted, one corrected. Each is activity: all are kept.
  // Another was only read (its page, its journal): reading is not activity, it goes.
  lately = ago(10);
  const service = createCasesService({ cases: createCasesRepository(db), audit: createAuditLog(db, () => lately), now: () => lately });
  const rep = (await createUsersRepository(db).findById(repId))!;
  const firstEvent = async (caseId: number) => (await db.selectFrom('caseEvents').select('id').where('caseId', '=', caseId).orderBy('id').executeTakeFirstOrThrow()).id;
  const old = (name: string) => seedCase({ name, notes: 'clos il y a longtemps', openedDaysAgo: 5 * 365, closedDaysAgo: 4 * 365 });
  ids.consultationAdded = await old('Agent Consultation Ajoutée');
  await service.addConsultations(rep, ids.consultationAdded, [{ at: lately.toISOString(), action: 'modified', explanation: 'other', explanationText: '' }]);
  ids.consultationDeleted = await old('Agent Consultation Retirée');
  const consultation = await db.selectFrom('consultations').select('id').where('caseId', '=', ids.consultationDeleted).executeTakeFirstOrThrow();
  assert.equal(await service.deleteConsultation(rep, ids.consultationDeleted, consultation.id), true);
  ids.eventDeleted = await old('Agent Événement Retiré');
  assert.equal((await service.deleteEvent(rep, ids.eventDeleted, await firstEvent(ids.eventDeleted))).done, true);
  ids.eventCorrected = await old('Agent Événement Corrigé');
  assert.equal((await service.correctEvent(rep, ids.eventCorrected, await firstEvent(ids.eventCorrected), { type: 'convocation_received', date: ago(5 * 365).toISOString().slice(0, 10), note: 'corrigé' })).done, true);
  ids.onlyRead = await old('Agent Seulement Consulté');
  ids.onlyReadAgent = (await db.selectFrom('cases').select('agentId').where('id', '=', ids.onlyRead).executeTakeFirstOrThrow()).agentId;
  assert.ok(await service.view(rep, ids.onlyRead));
  assert.ok(await service.readJournal(rep, ids.onlyRead, { number: 1, perPage: 10 }));

  // Requests never turned into a case: 200 days idle (erased) and 10 days idle (kept).
  ids.oldRequest = await seedRequest('D-OLDR-EQ01', `Agente ${CANARY}`, `Je suis convoquée, ${CANARY}`, 200, null);
  ids.newRequest = await seedRequest('D-NEWR-EQ01', 'Agente Récente', 'Je suis convoquée aussi', 10, null);

  // The audit log: two entries 400 days old (erased), one from yesterday (kept).
  await db
    .insertInto('auditLog')
    .values([
      { at: ago(400).toISOString(), actorUserId: repId, actorLabel: 'user', action: 'view', entityType: 'case', entityId: String(ids.oldOpen) },
      { at: ago(401).toISOString(), actorUserId: repId, actorLabel: 'user', action: 'update', entityType: 'case', entityId: String(ids.oldOpen) },
      { at: ago(1).toISOString(), actorUserId: repId, actorLabel: 'user', action: 'view', entityType: 'case', entityId: String(ids.recentClosed) },
    ])
    .execute();
});

after(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('purge', () => {
  it('is described in the help, with its three periods', () => {
    const res = cli(['--help']);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /purge \[--dry-run\]/);
    for (const variable of ['CLOSED_CASE_RETENTION_DAYS', 'REQUEST_RETENTION_DAYS', 'AUDIT_RETENTION_DAYS']) assert.match(res.stdout, new RegExp(variable));
  });

  it('refuses an unknown option or a bad period, naming it, and changes nothing', async () => {
    const before = await tableCounts();
    const unknown = cli(['purge', '--dry']);
    assert.equal(unknown.status, 2);
    const bad = cli(['purge'], { AUDIT_RETENTION_DAYS: 'un an' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /AUDIT_RETENTION_DAYS doit être un nombre de jours/);
    assert.deepEqual(await tableCounts(), before);
  });

  it('dates a case’s last activity from any change to its timeline or consultations, not from reading it', async () => {
    const updatedAt = async (id: number) => (await db.selectFrom('cases').select('updatedAt').where('id', '=', id).executeTakeFirstOrThrow()).updatedAt;
    for (const key of ['consultationAdded', 'consultationDeleted', 'eventDeleted', 'eventCorrected']) {
      assert.equal(await updatedAt(ids[key]!), lately.toISOString(), `${key}: its last activity is the change`);
    }
    assert.ok((await updatedAt(ids.onlyRead!)) < ago(4 * 365 - 1).toISOString(), 'viewing a case leaves its last activity where it was');
    const views = await db.selectFrom('auditLog').select('action').where('entityType', '=', 'case').where('entityId', '=', String(ids.onlyRead)).where('action', '=', 'view').execute();
    assert.equal(views.length, 2, 'the page and the journal were read, and recorded as such');
  });

  it('--dry-run counts what would go, per kind, and changes nothing', async () => {
    assert.ok(canaryIn().length > 0, 'the canary is in the files before the purge');
    const before = await tableCounts();
    const res = cli(['purge', '--dry-run']);
    assert.equal(res.status, 0, res.stderr);
    const out = res.stdout;
    assert.match(out, /^Purge selon les durées de conservation — simulation \(--dry-run\), seraient effacés :$/m);
    assert.match(out, /Dossiers clos sans activité depuis le \d{1,2}(er)? \S+ \d{4} \(CLOSED_CASE_RETENTION_DAYS = 1095 jours\) : 3 dossier\(s\),$/m);
    // Each erased case has two timeline events (the convocation and the closure), a consultation and a brief.
    assert.match(out, /avec 6 événement\(s\), 3 consultation\(s\), 3 version\(s\) d’argumentaire et 1 demande\(s\) d’origine$/m);
    assert.match(out, /^ {2}Agents sans plus aucun dossier : 2$/m);
    assert.match(out, /\(REQUEST_RETENTION_DAYS = 90 jours\) : 1 demande\(s\), avec 1 message\(s\)$/m);
    assert.match(out, /\(AUDIT_RETENTION_DAYS = 365 jours\) : 2$/m);
    assert.match(out, /^Rien n’a été effacé \(--dry-run\)\.$/m);
    assert.ok(!out.toLowerCase().includes(CANARY.toLowerCase()), 'no content is printed');
    assert.deepEqual(await tableCounts(), before, 'a dry run changes nothing, not even the audit log');
    assert.ok(canaryIn().length > 0);
  });

  it('erases what outlived its period, keeps the rest, and leaves no trace of it in the database files', async () => {
    const before = await tableCounts();
    const res = cli(['purge']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Purge selon les durées de conservation — effacés :$/m);
    assert.match(res.stdout, /: 3 dossier\(s\),$/m);
    assert.match(res.stdout, /^ {2}Agents sans plus aucun dossier : 2$/m);
    assert.match(res.stdout, /^Journal d’écriture \(WAL\) vidé/m);

    // Erased, with everything hanging from them.
    for (const id of [ids.oldClosed!, ids.sharedOld!, ids.onlyRead!]) {
      assert.equal(await caseExists(id), false, `case ${id} erased`);
      for (const table of ['caseEvents', 'consultations', 'caseSituations', 'caseReps', 'briefVersions'] as const) {
        const rows = await db.selectFrom(table).select('caseId').where('caseId', '=', id).execute();
        assert.equal(rows.length, 0, `${table} of case ${id}`);
      }
    }
    for (const id of [ids.oldClosedAgent!, ids.onlyReadAgent!]) {
      assert.equal(await db.selectFrom('agents').select('id').where('id', '=', id).executeTakeFirst(), undefined, 'an agent left without a case is erased');
    }
    const requests = (await db.selectFrom('supportRequests').select('reference').orderBy('reference').execute()).map((r) => r.reference);
    assert.deepEqual(requests, ['D-NEWR-EQ01'], 'the old request and the one an erased case came from are gone');
    assert.deepEqual(
      (await db.selectFrom('supportRequestMessages').select('requestId').execute()).map((m) => m.requestId),
      [ids.newRequest],
    );

    // Kept.
    for (const key of ['sharedRecent', 'recentClosed', 'oldOpen', 'oldButTouched', 'consultationAdded', 'consultationDeleted', 'eventDeleted', 'eventCorrected']) assert.equal(await caseExists(ids[key]!), true, `${key} is kept`);
    assert.ok(await db.selectFrom('agents').select('id').where('id', '=', ids.sharedAgent!).executeTakeFirst(), 'an agent with another case is kept');

    // The audit log: old entries gone, the purge's own entries (ids only) recorded.
    const audit = await db.selectFrom('auditLog').select(['at', 'action', 'entityType', 'entityId', 'actorLabel']).orderBy('id').execute();
    assert.ok(audit.every((a) => a.at >= ago(366).toISOString()), 'entries past AUDIT_RETENTION_DAYS are gone');
    const purgeEntries = audit.filter((a) => a.actorLabel === 'cli' && a.action === 'delete');
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    assert.deepEqual(sorted(purgeEntries.filter((a) => a.entityType === 'case').map((a) => Number(a.entityId))), sorted([ids.oldClosed!, ids.sharedOld!, ids.onlyRead!]));
    assert.deepEqual(sorted(purgeEntries.filter((a) => a.entityType === 'agent').map((a) => Number(a.entityId))), sorted([ids.oldClosedAgent!, ids.onlyReadAgent!]));
    assert.deepEqual(purgeEntries.filter((a) => a.entityType === 'support_request').map((a) => Number(a.entityId)), [ids.oldRequest]);
    assert.equal(purgeEntries.filter((a) => a.entityType === 'audit_log').length, 1);
    const after = await tableCounts();
    assert.equal(after.cases, before.cases! - 3);
    assert.equal(after.agents, before.agents! - 2);

    // Nothing erased can be read back from the files, although this process still has them open.
    assert.ok(existsSync(`${databaseFile}-wal`), 'the app keeps its write-ahead log while it runs');
    assert.deepEqual(canaryIn(), [], 'the canary is in none of vigie.db, vigie.db-wal, vigie.db-shm');
    assert.deepEqual(app.sqlite.pragma('integrity_check', { simple: true }), 'ok');

    // Nothing left to purge.
    const again = cli(['purge']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /: 0 dossier\(s\),$/m);
  });

  it('requests:purge still works on its own', () => {
    const res = cli(['requests:purge', '--dry-run']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^0 demande\(s\) seraient effacées/m);
  });
});

describe('purge in batches', () => {
  const DAY_LIMITS = () => retentionLimits(new Date(), { closedCaseDays: 1095, requestDays: 90, auditDays: 365 });

  /** Another connection, as the app holds one from its own process; it never waits for the lock. */
  function appConnection() {
    const other = new SQLite(databaseFile);
    other.pragma('busy_timeout = 0');
    return other;
  }

  async function oldAgentWithoutCase(fullName: string): Promise<number> {
    const at = ago(4 * 365).toISOString();
    const row = await db
      .insertInto('agents')
      .values({ ...agent(fullName), searchName: fullName.toLowerCase(), contactChannels: '', workDays: '', teleworkDays: '', partTime: 0, createdAt: at, updatedAt: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('erases exactly what the dry run counted, a few records per transaction, letting the app write in between', async () => {
    const old = (name: string | { existingId: number }) => seedCase({ name, notes: 'lot', openedDaysAgo: 5 * 365, closedDaysAgo: 4 * 365 });
    // An agent with three old closed cases, which the batches of two split; another with an old
    // closed case and an open one; three with one old closed case each.
    const many = await old('Agent Plusieurs Dossiers');
    const manyAgent = (await db.selectFrom('cases').select('agentId').where('id', '=', many).executeTakeFirstOrThrow()).agentId;
    const seeded = [many, await old('Agent Seul Un'), await old({ existingId: manyAgent }), await old('Agent Seul Deux'), await old({ existingId: manyAgent })];
    seeded.push(await old('Agent Seul Trois'));
    const keptAgent = (await db.selectFrom('cases').select('agentId').where('id', '=', seeded[1]!).executeTakeFirstOrThrow()).agentId;
    const openCase = await seedCase({ name: { existingId: keptAgent }, notes: 'ouvert', openedDaysAgo: 30, closedDaysAgo: null });
    const orphans = [await oldAgentWithoutCase('Agent Orphelin Un'), await oldAgentWithoutCase('Agent Orphelin Deux'), await oldAgentWithoutCase('Agent Orphelin Trois')];
    const requests: number[] = [];
    for (let i = 0; i < 5; i++) requests.push(await seedRequest(`D-BTCH-00${i}0`, `Agente Lot ${i}`, `Message ${i}`, 200, null));
    await db
      .insertInto('auditLog')
      .values(Array.from({ length: 7 }, (_, i) => ({ at: ago(400 + i).toISOString(), actorUserId: repId, actorLabel: 'user', action: 'view', entityType: 'case', entityId: String(openCase) })))
      .execute();

    const limits = DAY_LIMITS();
    const previewed = await createPurgeService(db, () => new Date()).preview(limits);
    assert.deepEqual(previewed, {
      // Each old case: two timeline events, a consultation and a brief (seedCase).
      closedCases: { cases: 6, events: 12, consultations: 6, briefVersions: 6, linkedRequests: 0, agents: 6 },
      requests: 5,
      requestMessages: 5,
      auditEntries: 7,
    });
    const before = await tableCounts();
    const auditBefore = Number((await db.selectFrom('auditLog').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id);

    const app = appConnection();
    const left: number[] = [];
    let batches = 0;
    try {
      const outcome = await createPurgeService(db, () => new Date(), {
        batchSize: 2,
        auditBatchSize: 3,
        pauseMs: 0,
        afterBatch: async () => {
          batches += 1;
          // Between two batches the write lock is free: the app commits at once.
          app.exec('begin immediate');
          app.prepare('insert into app_meta (key, value) values (?, ?)').run(`purge-batch-${batches}`, 'app write');
          app.exec('commit');
          left.push((await db.selectFrom('cases').select('id').where('id', 'in', seeded).execute()).length);
        },
      }).run(limits);
      const { walTruncated, ...erased } = outcome;
      assert.equal(walTruncated, true);
      assert.deepEqual(erased, previewed, 'the run erases what the dry run counted');
    } finally {
      app.close();
    }
    // Cases: 2, 2, 2, then an empty batch; agents: 2, 1; requests: 2, 2, 1; audit entries: 3, 3, 1.
    assert.equal(batches, 4 + 2 + 3 + 3);
    assert.deepEqual(left.slice(0, 4), [4, 2, 0, 0], 'two cases a transaction');
    const between = await db.selectFrom('appMeta').select('key').where('key', 'like', 'purge-batch-%').execute();
    assert.equal(between.length, batches, 'the app wrote after every batch');
    await db.deleteFrom('appMeta').where('key', 'like', 'purge-batch-%').execute();

    const after = await tableCounts();
    assert.equal(after.cases, before.cases! - 6);
    assert.equal(after.agents, before.agents! - 6);
    assert.equal(after.supportRequests, before.supportRequests! - 5);
    assert.ok(await caseExists(openCase));
    assert.ok(await db.selectFrom('agents').select('id').where('id', '=', keptAgent).executeTakeFirst(), 'an agent with an open case stays');
    // The trace: each record erased, written by the batch that erased it.
    const traced = await db.selectFrom('auditLog').select(['entityType', 'entityId']).where('id', '>', auditBefore).where('actorLabel', '=', 'cli').execute();
    const ofType = (type: string) => traced.filter((t) => t.entityType === type).map((t) => Number(t.entityId)).sort((a, b) => a - b);
    assert.deepEqual(ofType('case'), [...seeded].sort((a, b) => a - b));
    assert.equal(ofType('agent').length, 6);
    assert.ok(orphans.every((id) => ofType('agent').includes(id)) && ofType('agent').includes(manyAgent));
    assert.deepEqual(ofType('support_request'), requests);
    assert.equal(traced.filter((t) => t.entityType === 'audit_log').length, 1);
  });

  it('judges each batch when it runs: a case reopened by the app meanwhile stays', async () => {
    const old = (name: string) => seedCase({ name, notes: 'rouvert', openedDaysAgo: 5 * 365, closedDaysAgo: 4 * 365 });
    const seeded = [await old('Agent Premier Lot'), await old('Agent Deuxième Lot'), await old('Agent Rouvert Entre-Temps')];
    const limits = DAY_LIMITS();
    assert.equal((await createPurgeService(db, () => new Date()).preview(limits)).closedCases.cases, 3);
    const app = appConnection();
    try {
      let reopened = false;
      const outcome = await createPurgeService(db, () => new Date(), {
        batchSize: 1,
        pauseMs: 0,
        afterBatch: () => {
          if (reopened) return;
          // A rep records an appeal on the last one while the purge is under way.
          app.prepare("update cases set status = 'open', updated_at = ? where id = ?").run(new Date().toISOString(), seeded[2]);
          reopened = true;
        },
      }).run(limits);
      assert.equal(outcome.closedCases.cases, 2);
    } finally {
      app.close();
    }
    assert.deepEqual([await caseExists(seeded[0]!), await caseExists(seeded[1]!), await caseExists(seeded[2]!)], [false, false, true]);
  });
});

describe('transactions, as the purge and the erasure take them', () => {
  /** Another connection, as another process would hold one, that never waits for the lock. */
  function otherConnection() {
    const other = new SQLite(databaseFile);
    other.pragma('busy_timeout = 0');
    return other;
  }

  it('holds the write lock from its start, commits what it returns from, rolls back what throws', async () => {
    const other = otherConnection();
    try {
      const key = 'immediate-transaction-test';
      await db.transaction().execute(async (conn) => {
        // Before any write of its own, nobody else may write.
        assert.throws(() => other.exec('begin immediate'), /database is locked/);
        await conn.insertInto('appMeta').values({ key, value: 'committed' }).execute();
      });
      other.exec('begin immediate; rollback');
      assert.equal((await db.selectFrom('appMeta').select('value').where('key', '=', key).executeTakeFirst())?.value, 'committed');

      await assert.rejects(
        db.transaction().execute(async (conn) => {
          await conn.updateTable('appMeta').set({ value: 'changed' }).where('key', '=', key).execute();
          throw new Error('stop');
        }),
        /stop/,
      );
      assert.equal((await db.selectFrom('appMeta').select('value').where('key', '=', key).executeTakeFirst())?.value, 'committed');
      other.exec('begin immediate; rollback');
      await db.deleteFrom('appMeta').where('key', '=', key).execute();
    } finally {
      other.close();
    }
  });
});
