import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { agentInput, caseInput, repAccountInput } from '../fixtures/case-inputs';
import { createCasesRepository } from '../../src/cases/cases.repository';
import { openDatabase } from '../../src/db/database';
import type { SupportRequestStatus } from '../../src/db/schema';
import { migrateToLatest } from '../../src/db/migrate';
import { createUsersRepository } from '../../src/users/users.repository';
import { CLI } from '../helpers/cli-command';

/**
 * `npm run cli -- requests:purge [--dry-run]`: requests never turned into a case are erased once
 * older than REQUEST_RETENTION_DAYS (90 by default); a request linked to a case never is.
 * The CLI runs as a child process on a data directory seeded here, as in production.
 */

function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const DAY = 86_400_000;

interface Seeded {
  reference: string;
  ageDays: number;
  status: SupportRequestStatus;
  linked: boolean;
}

/** What is in the database before any purge: reference → what it is. */
const SEEDS: Seeded[] = [
  { reference: 'D-OLDR-ECV1', ageDays: 120, status: 'received', linked: false },
  { reference: 'D-OLDT-AKN1', ageDays: 100, status: 'taken', linked: false },
  { reference: 'D-OLDC-LSD1', ageDays: 91, status: 'closed', linked: false },
  { reference: 'D-OLDD-UPL1', ageDays: 95, status: 'duplicate', linked: false },
  { reference: 'D-OLDL-NKD1', ageDays: 400, status: 'case_opened', linked: true },
  // Linked to a case, then closed by a rep: still never purged while the case exists.
  { reference: 'D-OLDL-NKD2', ageDays: 200, status: 'closed', linked: true },
  { reference: 'D-EDGE-8901', ageDays: 89, status: 'received', linked: false },
  { reference: 'D-NEWR-ECV1', ageDays: 10, status: 'received', linked: false },
  { reference: 'D-TODA-YYY1', ageDays: 0, status: 'received', linked: false },
];
const PURGED = SEEDS.filter((s) => !s.linked && s.ageDays > 90).map((s) => s.reference);
const KEPT = SEEDS.filter((s) => !PURGED.includes(s.reference)).map((s) => s.reference);

let dataDir: string;
let caseId: number;
const ids = new Map<string, number>();

async function withDb<T>(fn: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
  const { db, close } = openDatabase(path.join(dataDir, 'vigie.db'));
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

async function remaining(): Promise<string[]> {
  return withDb(async (db) => (await db.selectFrom('supportRequests').select('reference').orderBy('reference').execute()).map((r) => r.reference));
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-purge-'));
  await withDb(async (db) => {
    await migrateToLatest(db);
    await seedReferenceCampaigns(db, new Date());
    const now = new Date();
    const userId = await createUsersRepository(db).create(repAccountInput(now));
    const wave2 = await db.selectFrom('campaigns').select('id').where('wave', '=', 2).executeTakeFirstOrThrow();
    caseId = await createCasesRepository(db).create({
      agent: agentInput('Agent Suivi'),
      case: caseInput(wave2.id, { repIds: [userId] }),
      createdBy: userId,
      now,
    });
    for (const seed of SEEDS) {
      const at = new Date(Date.now() - seed.ageDays * DAY - 60_000).toISOString();
      const { id } = await db
        .insertInto('supportRequests')
        .values({
          reference: seed.reference,
          tokenHash: createHash('sha256').update(randomBytes(16)).digest('hex'),
          name: `Agent ${seed.reference}`,
          email: 'agent@exemple.fr',
          phone: null,
          preferredContact: 'email',
          regionCode: 'HDF',
          site: '',
          convocationDate: null,
          interviewDate: null,
          summonedBy: '',
          situation: 'unknown',
          message: `Message de ${seed.reference}`,
          consentAt: at,
          status: seed.status,
          assignedUserId: seed.status === 'received' ? null : userId,
          caseId: seed.linked ? caseId : null,
          duplicateOf: null,
          createdAt: at,
          // Recent activity does not matter: retention counts from reception.
          // Last activity when the request came in: nothing happened since.
          updatedAt: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(seed.reference, id);
      await db
        .insertInto('supportRequestMessages')
        .values([
          { requestId: id, author: 'agent', userId: null, body: `Question ${seed.reference}`, createdAt: at },
          { requestId: id, author: 'rep', userId, body: `Réponse ${seed.reference}`, createdAt: at },
        ])
        .execute();
    }
    // A duplicate points at a request that will be purged: the link must not block the purge.
    await db.updateTable('supportRequests').set({ duplicateOf: ids.get('D-OLDR-ECV1')! }).where('reference', '=', 'D-OLDD-UPL1').execute();
    await db.updateTable('supportRequests').set({ duplicateOf: ids.get('D-OLDR-ECV1')! }).where('reference', '=', 'D-NEWR-ECV1').execute();
  });
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('requests:purge', () => {
  it('is described in the help', () => {
    const res = cli(['--help'], dataDir);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /requests:purge \[--dry-run\]/);
    assert.match(res.stdout, /REQUEST_RETENTION_DAYS/);
  });

  it('refuses an unknown option and changes nothing', async () => {
    const res = cli(['requests:purge', '--dry'], dataDir);
    assert.equal(res.status, 2);
    assert.deepEqual(await remaining(), [...SEEDS.map((s) => s.reference)].sort());
  });

  it('--dry-run lists what would be erased and erases nothing', async () => {
    const auditBefore = await withDb(async (db) => (await db.selectFrom('auditLog').select('id').execute()).length);
    const res = cli(['requests:purge', '--dry-run'], dataDir);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^${PURGED.length} demande\\(s\\) seraient effacées \\(sans activité depuis le \\d{4}-\\d{2}-\\d{2}, jamais transformées en dossier\\)`, 'm'));
    for (const reference of PURGED) assert.match(res.stdout, new RegExp(`^  ${reference}  reçue le \\d{4}-\\d{2}-\\d{2}, dernière activité le \\d{4}-\\d{2}-\\d{2}  \\(\\w+\\)$`, 'm'), reference);
    for (const reference of KEPT) assert.ok(!res.stdout.includes(reference), `${reference} is not listed`);
    assert.match(res.stdout, /Rien n’a été effacé \(--dry-run\)\./);
    assert.ok(!res.stdout.includes('Message de'), 'no content is printed');
    assert.deepEqual(await remaining(), [...SEEDS.map((s) => s.reference)].sort());
    await withDb(async (db) => {
      assert.equal((await db.selectFrom('supportRequestMessages').select('id').execute()).length, SEEDS.length * 2);
      assert.equal((await db.selectFrom('auditLog').select('id').execute()).length, auditBefore, 'a dry run leaves no trace');
    });
  });

  it('REQUEST_RETENTION_DAYS moves the limit', () => {
    const res = cli(['requests:purge', '--dry-run'], dataDir, { REQUEST_RETENTION_DAYS: '30' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^${PURGED.length + 1} demande\\(s\\) seraient effacées`, 'm'));
    assert.ok(res.stdout.includes('D-EDGE-8901'), 'the 89-day-old request is beyond 30 days');
    assert.ok(!res.stdout.includes('D-NEWR-ECV1'));
    const bad = cli(['requests:purge', '--dry-run'], dataDir, { REQUEST_RETENTION_DAYS: 'zéro' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /REQUEST_RETENTION_DAYS/);
  });

  it('erases only the requests older than the retention period and never linked to a case, with their messages, and audits it', async () => {
    const res = cli(['requests:purge'], dataDir);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^${PURGED.length} demande\\(s\\) effacée\\(s\\)`, 'm'));
    assert.deepEqual(await remaining(), [...KEPT].sort());
    await withDb(async (db) => {
      const messages = await db.selectFrom('supportRequestMessages').select(['requestId', 'body']).execute();
      assert.equal(messages.length, KEPT.length * 2, 'the messages of erased requests are gone with them');
      for (const reference of PURGED) assert.ok(!messages.some((m) => m.body.includes(reference)), reference);
      const linked = await db.selectFrom('supportRequests').select(['reference', 'caseId']).where('caseId', 'is not', null).execute();
      assert.deepEqual(linked.map((r) => r.reference).sort(), ['D-OLDL-NKD1', 'D-OLDL-NKD2']);
      assert.ok(await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst(), 'the case is untouched');
      const dup = await db.selectFrom('supportRequests').select('duplicateOf').where('reference', '=', 'D-NEWR-ECV1').executeTakeFirstOrThrow();
      assert.equal(dup.duplicateOf, null, 'a kept duplicate no longer points at an erased request');
      const audit = await db.selectFrom('auditLog').select(['actorLabel', 'action', 'entityType', 'entityId']).where('entityType', '=', 'support_request').execute();
      assert.deepEqual(
        audit.map((a) => a.entityId).sort(),
        PURGED.map((r) => String(ids.get(r))).sort(),
      );
      assert.ok(audit.every((a) => a.actorLabel === 'cli' && a.action === 'delete'));
    });

    // Nothing left to purge: a second run erases nothing.
    const again = cli(['requests:purge'], dataDir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^0 demande\(s\) effacée\(s\)/m);
    assert.deepEqual(await remaining(), [...KEPT].sort());
  });
});
