import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Signed, type TestContext, createTestContext } from '../helpers/context';
import { csrfOf, post } from '../helpers/forms';
import { text } from '../helpers/html';

/**
 * A national-scale CSV import: 10 000 rows (9 500 new cases, 500 updates of cases already followed)
 * through the dry run and the background job, watched through its page as a browser would (the
 * page refreshes itself every 2 seconds while the job runs), then exported and imported back
 * unchanged. Timings are printed as diagnostics, never asserted (the machine may be shared).
 */

const ROWS = 10_000;
const UPDATES = 500;
const ODD_HOURS = 'Consultations répétées à des horaires hors normes';
const HEADER = 'N° dossier;Agent;Région;Site;Métier;Campagne;Convocation;Entretien;Compte rendu;Ton de l’entretien;Situations;Représentant·es';

let ctx: TestContext;
let rep: Signed;
let wave2: { id: number; name: string };
const existing: number[] = [];

before(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '1000000' });
  rep = await ctx.signedIn({ role: 'rep', name: 'Rémi Nord', regions: ['HDF'] });
  wave2 = (await ctx.db.selectFrom('campaigns').select(['id', 'name', 'wave']).execute()).find((c) => c.wave === 2)!;
  const user = (await ctx.services.users.findById(rep.user.id))!;
  for (let i = 0; i < UPDATES; i += 1) {
    existing.push(
      await ctx.services.casesService.create(user, {
        agent: {
          fullName: `Déjà Suivi ${i}`,
          proEmail: null,
          personalEmail: null,
          phone: null,
          contactChannels: [],
          regionCode: 'HDF',
          site: `Agence ${i % 40}`,
          job: 'Conseiller',
          employmentStatus: 'private',
          workDays: [],
          workStart: null,
          workEnd: null,
          partTime: false,
          teleworkDays: [],
        },
        case: {
          campaignId: wave2.id,
          situations: ['odd_hours'],
          otherSituationText: '',
          knowledgeDate: null,
          convocationDate: '2024-09-02',
          convocationForm: null,
          interviewDate: '2024-09-16',
          managerName: '',
          repAccompanied: null,
          reportOutcome: null,
          interviewTone: null,
          toneNotes: '',
          trainingReceived: 'unknown',
          agentAccount: '',
          repIds: [rep.user.id],
        },
      }),
    );
  }
});
after(async () => {
  await ctx.services.caseImports.settled();
  await ctx.close();
});

function bigFile(): string {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    if (i < UPDATES) {
      lines.push(`${existing[i]};Déjà Suivi ${i};Hauts-de-France;Agence ${i % 40};Conseiller;${wave2.name};2024-09-02;2024-10-${day};Consultation légitime;Neutre;${ODD_HOURS};Rémi Nord`);
    } else {
      lines.push(`;Agent Importé ${i};Hauts-de-France;Agence ${i % 120};Conseillère;${wave2.name};2024-09-${day};;;;${ODD_HOURS};Rémi Nord`);
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const count = async (table: 'cases' | 'agents') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(ctx.db)).rows[0]!.n);

test(`imports ${ROWS.toLocaleString('en')} rows with a dry run, a progress page and a round trip`, { timeout: 180_000 }, async (t) => {
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();
  const casesBefore = await count('cases');
  const file = bigFile();
  let started = performance.now();
  const upload = await rep.agent
    .post('/dossiers/import')
    .field('_csrf', await csrfOf(rep.agent))
    .attach('fichier', Buffer.from(file, 'utf8'), { filename: 'national.csv', contentType: 'text/csv' });
  const dryRunMs = performance.now() - started;
  assert.equal(upload.status, 303, text(upload.text).slice(0, 300));
  const url = String(upload.headers.location);
  assert.equal(await count('cases'), casesBefore, 'the dry run writes no case');

  const dryRun = await rep.agent.get(url);
  assert.equal(dryRun.status, 200);
  const page = text(dryRun.text);
  assert.match(page, /Fichier « national\.csv » : 10 000 lignes\./);
  assert.match(page, /9 500 créations 500 mises à jour 0 inchangé 0 ligne en erreur/);
  assert.match(page, /Tout importer \(10 000 dossiers\)/);
  assert.match(page, /Page 1 sur 100/, 'rows are shown 100 to a page');
  assert.equal((dryRun.text.match(/<tr class="import-row/g) ?? []).length, 100);

  started = performance.now();
  const launch = await post(rep, `${url}/importer`, { mode: 'tout' });
  assert.equal(launch.status, 303);
  const seen: number[] = [];
  let pageMs = 0;
  let polls = 0;
  let last = '';
  for (;;) {
    const before = performance.now();
    const res = await rep.agent.get(url);
    pageMs = Math.max(pageMs, performance.now() - before);
    polls += 1;
    assert.equal(res.status, 200);
    last = res.text;
    if (!res.text.includes('<meta http-equiv="refresh" content="2">')) break;
    const progress = /<progress id="import-progress" max="(\d+)" value="(\d+)">/.exec(res.text);
    assert.ok(progress, 'a running job shows a progress bar');
    assert.equal(Number(progress[1]), ROWS);
    const value = Number(progress[2]);
    if (/dossiers importés/.test(res.text)) {
      assert.match(text(res.text), new RegExp(`${value.toLocaleString('fr-FR').replace(/\s/g, '\\s')} / 10\\s000 dossiers importés`));
      seen.push(value);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const importMs = performance.now() - started;
  assert.ok(seen.some((v) => v > 0 && v < ROWS), `the page showed the import under way (${seen.length} readings)`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'progress only moves forward');
  const end = text(last);
  assert.match(end, /Import terminé/);
  assert.match(end, /10 000 \/ 10 000 dossiers importés\./);
  assert.match(end, /9 500 créés 500 mis à jour 0 inchangé 0 ignoré/);

  assert.equal(await count('cases'), casesBefore + ROWS - UPDATES);
  const updated = await ctx.db.selectFrom('cases').select(['interviewDate', 'reportOutcome']).where('id', 'in', existing.slice(0, 3)).orderBy('id').execute();
  assert.deepEqual(updated, [
    { interviewDate: '2024-10-01', reportOutcome: 'legitimate' },
    { interviewDate: '2024-10-02', reportOutcome: 'legitimate' },
    { interviewDate: '2024-10-03', reportOutcome: 'legitimate' },
  ]);
  const audit = await ctx.db
    .selectFrom('auditLog')
    .select(['action', 'entityType', (eb) => eb.fn.countAll<number>().as('n')])
    .where('actorUserId', '=', rep.user.id)
    .where('action', 'in', ['create', 'update'])
    .groupBy(['action', 'entityType'])
    .orderBy('action')
    .orderBy('entityType')
    .execute();
  assert.deepEqual(
    audit.map((a) => [a.action, a.entityType, Number(a.n)]),
    [
      ['create', 'case', UPDATES + ROWS - UPDATES],
      ['create', 'case_import', 1],
      ['update', 'case', UPDATES],
    ],
    'one entry per created case (the 500 seeded ones too), per updated case, and one for the import',
  );
  const assessed = await ctx.db.selectFrom('cases').select('id').where('assessedOn', '=', '').execute();
  assert.equal(assessed.length, 0, 'every imported case was assessed');

  started = performance.now();
  const exported = await rep.agent.get('/dossiers/export.csv').buffer(true);
  const exportMs = performance.now() - started;
  started = performance.now();
  const back = await rep.agent
    .post('/dossiers/import')
    .field('_csrf', await csrfOf(rep.agent))
    .attach('fichier', Buffer.from(exported.text, 'utf8'), { filename: 'retour.csv', contentType: 'text/csv' });
  const roundTripMs = performance.now() - started;
  assert.equal(back.status, 303);
  const unchanged = text((await rep.agent.get(String(back.headers.location))).text);
  assert.match(unchanged, /0 création 0 mise à jour 10 000 inchangés 0 ligne en erreur/);
  assert.match(unchanged, /Rien à importer : ce fichier ne change aucun dossier\./);

  t.diagnostic(`file: ${ROWS} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB`);
  t.diagnostic(`upload + dry run: ${Math.round(dryRunMs)} ms`);
  t.diagnostic(`import job (check + write) until its page said so: ${Math.round(importMs)} ms, ${polls} page loads, slowest ${Math.round(pageMs)} ms`);
  t.diagnostic(`export of ${ROWS} cases: ${Math.round(exportMs)} ms; round-trip dry run: ${Math.round(roundTripMs)} ms`);
  const cpu = process.cpuUsage(cpuAtStart);
  t.diagnostic(`whole test: ${Math.round(performance.now() - wallAtStart)} ms, of which ${Math.round((cpu.user + cpu.system) / 1000)} ms on the CPU (the rest is waiting for a shared machine)`);
});
