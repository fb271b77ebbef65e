import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { type Signed, type TestContext, createTestContext, PEOPLE } from '../helpers/context';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { csrfOf, post } from '../helpers/forms';
import { text } from '../helpers/html';

/**
 * A national-scale CSV import: 10 000 rows (9 500 new cases, 500 updates of cases already followed)
 * through the dry run and the background job, watched through its page as a browser would (the
 * page refreshes itself every 2 seconds while the job runs), then exported and imported back
 * unchanged. Then the same export with 150 rows made invalid here and there, of six kinds, and
 * 1 000 valid changes: every invalid row listed by the dry run, nothing written until the rep
 * imports the valid ones, then exactly those written. Reusing the export spares a second
 * 10 000-case job: its 8 850 unchanged rows are only read again. Timings are printed as
 * diagnostics, never asserted (the machine may be shared).
 */

const ROWS = 10_000;
const UPDATES = 500;
const ODD_HOURS = 'Consultations répétées à des horaires hors normes';
const HEADER = 'N° dossier;Agent;Région;Site;Métier;Campagne;Convocation;Entretien;Compte rendu;Ton de l’entretien;Situations;Représentant·es';

let ctx: TestContext;
let rep: Signed;
let wave2: { id: number; name: string };
const existing: number[] = [];
/** The export of the 10 000 cases the first test imported, for the second to spoil. */
let exportedFile = '';

before(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '1000000' });
  rep = await ctx.signedIn(PEOPLE.repNord);
  wave2 = (await ctx.db.selectFrom('campaigns').select(['id', 'name', 'wave']).execute()).find((c) => c.wave === 2)!;
  const user = (await ctx.services.users.findById(rep.user.id))!;
  for (let i = 0; i < UPDATES; i += 1) {
    existing.push(
      await ctx.services.casesService.create(user, {
        agent: agentInput(`Déjà Suivi ${i}`, { site: `Agence ${i % 40}`, job: 'Conseiller', employmentStatus: 'private' }),
        case: caseInput(wave2.id, { convocationDate: '2024-09-02', interviewDate: '2024-09-16', repIds: [rep.user.id] }),
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

/**
 * Waits as the job's page does before it reloads itself (its refresh is 2 seconds), or less if the
 * job ends first: the next load then shows the end at once.
 */
async function nextRefresh(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ctx.services.caseImports.settled(), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
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
    await nextRefresh();
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
  exportedFile = exported.text;
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

/** Invalid rows of the second file, by kind: what the cell becomes, and what the dry run, then the summary, say. */
const SPOILERS = [
  { kind: 'unknown region', column: 'Région', value: 'Atlantide', dryRun: 'Région inconnue : « Atlantide ».', kept: 'Région inconnue.' },
  { kind: 'bad date', column: 'Convocation', value: '31/02/2024', dryRun: 'La date de convocation n’est pas une date valide.', kept: 'La date de convocation n’est pas une date valide.' },
  { kind: 'missing name', column: 'Agent', value: '', dryRun: 'Le nom de l’agent est obligatoire.', kept: 'Le nom de l’agent est obligatoire.' },
  { kind: 'unknown situation', column: 'Situations', value: 'Sorcellerie', dryRun: 'Situation inconnue : « Sorcellerie » (séparez les situations par « | »).', kept: 'Situation inconnue (séparez les situations par « | »).' },
  { kind: 'same case twice', column: 'N° dossier', value: '', dryRun: 'Le dossier n° {id} figure déjà à la ligne {previous}.', kept: 'Ce numéro de dossier figure déjà à la ligne {previous}.' },
  { kind: 'new case without a region', column: 'Région', value: '', dryRun: 'La région est obligatoire.', kept: 'La région est obligatoire.' },
] as const;
const INVALID = 150;
const CREATED = 200;
const UPDATED = 800;

/** A cell as the export writes it. */
const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Every row of a dry-run page's table: its number and its text. */
function tableRows(html: string): Map<number, string> {
  const rows = new Map<number, string>();
  for (const m of html.matchAll(/<tr class="import-row[^"]*">\s*<th scope="row" class="num">(\d+)<\/th>([\s\S]*?)<\/tr>/g)) rows.set(Number(m[1]), text(m[2]!));
  return rows;
}

/** Every case with its agent, as a line per case: what a write would change. */
async function snapshot(): Promise<Map<number, string>> {
  const rows = await ctx.db
    .selectFrom('cases')
    .innerJoin('agents', 'agents.id', 'cases.agentId')
    .select(['cases.id', 'cases.updatedAt', 'cases.convocationDate', 'cases.regionCode', 'agents.fullName', 'agents.site'])
    .execute();
  return new Map(rows.map((r) => [r.id, JSON.stringify(r)]));
}

test(`lists every invalid row among ${ROWS.toLocaleString('en')} and imports only the valid ones`, { timeout: 180_000 }, async (t) => {
  assert.ok(exportedFile, 'the export of the previous test');
  const [header, ...rows] = parse(exportedFile, { delimiter: ';', bom: true }) as string[][];
  assert.equal(rows.length, ROWS);
  const at = (name: string) => {
    const index = header!.indexOf(name);
    assert.ok(index >= 0, name);
    return index;
  };
  const lineOf = (index: number) => index + 2;

  // Invalid rows scattered through the file, the six kinds in turn; then valid changes elsewhere.
  const spoiled = new Map<number, (typeof SPOILERS)[number]>();
  for (let j = 0; j < INVALID; j += 1) spoiled.set(41 + 66 * j, SPOILERS[j % SPOILERS.length]!);
  const untouched = (i: number) => !spoiled.has(i) && !spoiled.has(i + 1);
  const pick = (from: number, step: number, n: number, taken: Set<number>) => {
    const picked = new Set<number>();
    for (let i = from; picked.size < n; i += step) if (untouched(i) && !taken.has(i)) picked.add(i);
    return picked;
  };
  const updates = pick(3, 12, UPDATED, new Set());
  const creations = pick(20, 43, CREATED, updates);
  assert.ok(Math.max(...creations, ...updates) < ROWS);

  const expected = new Map<number, { dryRun: string; kept: string; column: string }>();
  const updatedIds = new Set<number>();
  const createdNames = new Set<string>();
  const file = rows.map((row, i) => {
    const cells = [...row];
    const spoiler = spoiled.get(i);
    if (spoiler?.kind === 'same case twice') {
      cells.splice(0, cells.length, ...rows[i - 1]!);
      const say = (m: string) => m.replace('{id}', cells[at('N° dossier')]!).replace('{previous}', String(lineOf(i - 1)));
      expected.set(lineOf(i), { column: spoiler.column, dryRun: say(spoiler.dryRun), kept: say(spoiler.kept) });
    } else if (spoiler) {
      if (spoiler.kind === 'new case without a region') {
        cells[at('N° dossier')] = '';
        cells[at('Agent')] = `Sans Région ${i}`;
      }
      cells[at(spoiler.column)] = spoiler.value;
      expected.set(lineOf(i), { column: spoiler.column, dryRun: spoiler.dryRun, kept: spoiler.kept });
    } else if (updates.has(i)) {
      cells[at('Site')] = 'Agence Modifiée';
      updatedIds.add(Number(cells[at('N° dossier')]));
    } else if (creations.has(i)) {
      cells[at('N° dossier')] = '';
      cells[at('Agent')] = `Nouvel Import ${i}`;
      createdNames.add(`Nouvel Import ${i}`);
    }
    return cells.map(cell).join(';');
  });
  assert.equal(expected.size, INVALID);
  const unchanged = ROWS - INVALID - CREATED - UPDATED;

  const before = { cases: await snapshot(), agents: await count('agents'), audit: await auditCount() };
  let started = performance.now();
  const upload = await rep.agent
    .post('/dossiers/import')
    .field('_csrf', await csrfOf(rep.agent))
    .attach('fichier', Buffer.from(`\uFEFF${[header!.join(';'), ...file].join('\r\n')}\r\n`, 'utf8'), { filename: 'a-corriger.csv', contentType: 'text/csv' });
  const dryRunMs = performance.now() - started;
  assert.equal(upload.status, 303, text(upload.text).slice(0, 300));
  const url = String(upload.headers.location);

  const first = await rep.agent.get(url);
  const page = text(first.text);
  assert.match(page, new RegExp(`200 créations 800 mises à jour ${fr(unchanged)} inchangés 150 lignes en erreur`));
  assert.match(page, /150 lignes comportent des erreurs/);
  assert.doesNotMatch(first.text, /name="mode" value="tout"/, 'no « Tout importer » while rows are wrong');
  assert.match(page, new RegExp(`Importer seulement les ${fr(ROWS - INVALID)} lignes valides`));

  // Every invalid row, with its number and its message in French, on the pages of « En erreur ».
  const listed = new Map<number, string>();
  for (let p = 1; p <= 2; p += 1) {
    const res = await rep.agent.get(`${url}?voir=erreurs${p > 1 ? `&page=${p}` : ''}`);
    assert.equal(res.status, 200);
    assert.match(text(res.text), new RegExp(`Page ${p} sur 2`));
    for (const [line, row] of tableRows(res.text)) listed.set(line, row);
  }
  assert.deepEqual([...listed.keys()], [...expected.keys()], 'each invalid row, in file order, once');
  for (const [line, { column, dryRun }] of expected) {
    assert.ok(listed.get(line)!.includes(`Erreur`), `row ${line} is marked as an error`);
    assert.ok(listed.get(line)!.includes(`Ligne ${line}, colonne « ${column} » : ${dryRun}`), `row ${line}: « ${dryRun} » in ${listed.get(line)}`);
  }
  assert.deepEqual(await snapshot(), before.cases, 'the dry run writes nothing');

  // « Tout importer » is refused, with nothing written.
  const refused = await post(rep, `${url}/importer`, { mode: 'tout' });
  assert.equal(refused.status, 409);
  await ctx.services.caseImports.settled();
  assert.deepEqual(await snapshot(), before.cases);
  assert.equal(await count('agents'), before.agents);
  assert.deepEqual(await auditCount(), before.audit);

  started = performance.now();
  const launch = await post(rep, `${url}/importer`, { mode: 'valides' });
  assert.equal(launch.status, 303);
  await ctx.services.caseImports.settled();
  const importMs = performance.now() - started;
  const done = await rep.agent.get(url);
  const end = text(done.text);
  assert.match(end, /Import terminé/);
  assert.match(end, new RegExp(`${fr(ROWS - INVALID)} / ${fr(ROWS - INVALID)} dossiers importés\\.`));
  assert.match(end, new RegExp(`200 créés 800 mis à jour ${fr(unchanged)} inchangés 150 ignorés`), 'the rows left out are counted');
  for (const [line, { column, kept }] of expected) {
    assert.ok(end.includes(`Ligne ${line}, colonne « ${column} » : ${kept}`), `the summary lists row ${line}`);
  }
  assert.doesNotMatch(end, /Atlantide|Sorcellerie/, 'without the cells’ contents');

  // Exactly the valid rows written: the 800 updated cases changed, 200 cases created, nothing else.
  const after = await snapshot();
  const changed = [...before.cases].filter(([id, row]) => after.get(id) !== row).map(([id]) => id);
  assert.deepEqual(new Set(changed), updatedIds, 'the cases changed are those of the valid updates');
  for (const id of updatedIds) assert.match(after.get(id)!, /"site":"Agence Modifiée"/);
  const created = [...after.keys()].filter((id) => !before.cases.has(id));
  assert.equal(created.length, CREATED);
  assert.deepEqual(new Set(created.map((id) => JSON.parse(after.get(id)!).fullName)), createdNames);
  assert.equal(await count('agents'), before.agents + CREATED, 'one new agent per created case, none for the rows left out');
  const audit = await ctx.db
    .selectFrom('auditLog')
    .select(['action', 'entityType', (eb) => eb.fn.countAll<number>().as('n')])
    .where('id', '>', before.audit.last)
    .groupBy(['action', 'entityType'])
    .orderBy('action')
    .orderBy('entityType')
    .execute();
  assert.deepEqual(
    audit.map((a) => [a.action, a.entityType, Number(a.n)]),
    [
      ['create', 'case', CREATED],
      ['create', 'case_import', 1],
      ['update', 'case', UPDATED],
    ],
  );

  t.diagnostic(`upload + dry run with ${INVALID} invalid rows: ${Math.round(dryRunMs)} ms; import of the valid ones (${CREATED} created, ${UPDATED} updated, ${unchanged} read again): ${Math.round(importMs)} ms`);
});

/** A number as the pages write it, spaces as any space. */
const fr = (n: number) => n.toLocaleString('fr-FR').replace(/\s/g, '\\s');

async function auditCount(): Promise<{ n: number; last: number }> {
  const row = await ctx.db.selectFrom('auditLog').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('id').as('last')]).executeTakeFirstOrThrow();
  return { n: Number(row.n), last: Number(row.last) };
}
