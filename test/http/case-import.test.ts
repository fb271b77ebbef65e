import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createCaseImportService } from '../../src/case-import/case-import.service';
import { createLogger } from '../../src/logger';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, csrfOf, post } from '../helpers/forms';
import { decode, text } from '../helpers/html';

/**
 * CSV import of cases (/dossiers/import): the upload and its refusals, the dry run (what each row
 * would do, every error in French with its row and column, nothing written), then the import of
 * every row or of the valid ones as a background job, updates by case number, agent matching,
 * audit, and the round trip export → import that changes nothing. Each group works in its own
 * region so its figures stay exact: HDF for the dry run and imports, NOR for the round trip,
 * BRE for agent matching, PDL for the job mechanics; IDF is a region the HDF rep does not cover.
 * The 10 000-row run is in case-import-scale.test.ts.
 */

let ctx: TestContext;
let admin: Signed, repHdf: Signed, binome: Signed, repIdf: Signed, duo: Signed;
let wave1: { id: number; name: string };
let wave2: { id: number; name: string };
const hdf = { martin: 0, lefevre: 0 };
let idfCase = 0;

const HEADER = [
  'N° dossier', 'Agent', 'Région', 'Site', 'Métier', 'Campagne', 'État', 'Engagement', 'Raisons', 'Convocation', 'Entretien',
  'Compte rendu', 'Ton de l’entretien', 'Prochaine échéance', 'Échéance', 'Situations', 'Consultations', 'Dont hors normes', 'Représentant·es',
] as const;
type Row = Partial<Record<(typeof HEADER)[number], string>>;

const ODD_HOURS = 'Consultations répétées à des horaires hors normes';
const POLITICAL = 'Dossier d’une personnalité politique';

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [admin, repHdf, binome, repIdf, duo] = await ctx.signInAll(PEOPLE.admin, PEOPLE.repNord, PEOPLE.binome, PEOPLE.outsider, { role: 'rep', name: 'Denise Duo', regions: ['HDF', 'NOR'] });
  const campaigns = await ctx.db.selectFrom('campaigns').select(['id', 'name', 'wave']).execute();
  wave1 = campaigns.find((c) => c.wave === 1)!;
  wave2 = campaigns.find((c) => c.wave === 2)!;
  hdf.martin = await createCase(repHdf, { fullName: 'Bernard Martin', regionCode: 'HDF', site: 'Agence Roubaix', situations: 'political_figure', interviewDate: '2024-09-20', repIds: String(repHdf.user.id) });
  hdf.lefevre = await createCase(repHdf, { fullName: 'Élodie Lefèvre', regionCode: 'HDF', site: 'Agence Lille', situations: 'odd_hours' });
  idfCase = await createCase(repIdf, { fullName: 'Iris Secrète', regionCode: 'IDF', situations: 'odd_hours' });
});
after(async () => {
  await ctx.services.caseImports.settled();
  await ctx.close();
});

// ---------------------------------------------------------------- helpers

async function createCase(who: Signed, overrides: Fields): Promise<number> {
  const res = await post(who, '/dossiers', {
    employmentStatus: 'private',
    campaignId: String(wave2.id),
    trainingReceived: 'unknown',
    confirmNewAgent: 'on',
    ...overrides,
  });
  assert.equal(res.status, 303, `case refused: ${text(res.text).slice(0, 300)}`);
  return Number(/^\/dossiers\/(\d+)$/.exec(String(res.headers.location))?.[1]);
}

/** A file in the export's format: the header, then one line per row (cells a row leaves out are empty). */
function csv(rows: Row[], options: { bom?: boolean } = {}): string {
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [HEADER.join(';'), ...rows.map((r) => HEADER.map((h) => cell(r[h] ?? '')).join(';'))];
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

/** A new wave-2 case of Hauts-de-France; override any cell. */
function newRow(agent: string, cells: Row = {}): Row {
  return { Agent: agent, Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS, ...cells };
}

/** Posts a file as the upload form does: the token first, then the file. */
async function upload(who: Signed, file: string | Buffer, name = 'dossiers.csv') {
  return who.agent
    .post('/dossiers/import')
    .field('_csrf', await csrfOf(who.agent))
    .attach('fichier', typeof file === 'string' ? Buffer.from(file, 'utf8') : file, { filename: name, contentType: 'text/csv' });
}

/** Uploads a file and reads its dry run: the import's id and page. */
async function dryRun(who: Signed, file: string | Buffer, query = '') {
  const res = await upload(who, file);
  assert.equal(res.status, 303, `upload refused: ${text(res.text).slice(0, 400)}`);
  const location = String(res.headers.location);
  const match = /^\/dossiers\/import\/([A-Za-z0-9_-]{22})$/.exec(location);
  assert.ok(match, `redirected to the dry run, not ${location}`);
  const page = await who.agent.get(`${location}${query}`);
  assert.equal(page.status, 200);
  return { id: match[1]!, url: location, html: page.text, page: text(page.text) };
}

/** Chooses how to import and waits for the job to end; returns the job page. */
async function importNow(who: Signed, url: string, mode: 'tout' | 'valides') {
  const res = await post(who, `${url}/importer`, { mode });
  if (res.status !== 303) return { res, html: res.text, page: text(res.text) };
  await ctx.services.caseImports.settled();
  const page = await who.agent.get(url);
  assert.equal(page.status, 200);
  return { res, html: page.text, page: text(page.text) };
}

/** The dry run's figure for one kind of row (`<span class="facet__count">N</span> <span class="facet__label">label</span>`). */
function count(html: string, label: RegExp): number {
  const match = new RegExp(`<span class="facet__count">([^<]*)</span> <span class="facet__label">${label.source}</span>`).exec(html);
  assert.ok(match, `figure ${label} on the page`);
  return Number(match[1]!.replace(/[\s\u202f\u00a0]/g, ''));
}

/** The detail cell of a row of the dry run, as text. */
function rowText(html: string, line: number): string {
  const match = new RegExp(`<tr class="import-row[^"]*">\\s*<th scope="row" class="num">${line}</th>([\\s\\S]*?)</tr>`).exec(html);
  assert.ok(match, `row ${line} is in the table`);
  return text(match[1]!);
}

/** Every row of the tables a case import may touch (the audit log too, unless told), to prove a request changed nothing. */
async function caseState(options: { audit?: boolean } = {}): Promise<string> {
  const tables = ['agents', 'cases', 'case_situations', 'case_reps', 'consultations', 'case_events', ...(options.audit === false ? [] : ['audit_log'])];
  const dump: Record<string, unknown> = {};
  for (const table of tables) dump[table] = (await sql`select * from ${sql.table(table)} order by rowid`.execute(ctx.db)).rows;
  return JSON.stringify(dump);
}

const importsCount = async () =>
  Number((await sql<{ n: number }>`select count(*) as n from case_imports`.execute(ctx.db)).rows[0]!.n);

async function caseRow(id: number) {
  return ctx.db
    .selectFrom('cases')
    .innerJoin('agents', 'agents.id', 'cases.agentId')
    .select(['cases.id', 'agents.fullName', 'agents.id as agentId', 'cases.regionCode', 'agents.site', 'cases.interviewDate', 'cases.convocationDate', 'cases.reportOutcome', 'cases.commitmentStatus', 'cases.campaignId', 'cases.updatedAt'])
    .where('cases.id', '=', id)
    .executeTakeFirstOrThrow();
}

async function repsOf(caseId: number): Promise<number[]> {
  return (await ctx.db.selectFrom('caseReps').select('userId').where('caseId', '=', caseId).orderBy('userId').execute()).map((r) => r.userId);
}

async function casesNamed(name: string) {
  return ctx.db.selectFrom('cases').innerJoin('agents', 'agents.id', 'cases.agentId').select(['cases.id', 'agents.id as agentId', 'cases.regionCode']).where('agents.fullName', '=', name).execute();
}

// ---------------------------------------------------------------- page and refusals

describe('the upload page and its refusals', () => {
  it('is linked from the case list and offers a multipart form whose token comes before the file', async () => {
    const list = await repHdf.agent.get('/dossiers');
    assert.match(list.text, /<a class="button button--secondary" href="\/dossiers\/import">Importer un fichier<\/a>/);
    const res = await repHdf.agent.get('/dossiers/import');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Importer des dossiers<\/h1>/);
    const form = /<form method="post" action="\/dossiers\/import" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(res.text);
    assert.ok(form, 'a multipart form posting to /dossiers/import');
    assert.ok(form[1]!.indexOf('name="_csrf"') < form[1]!.indexOf('name="fichier"'), 'the token before the file');
    assert.match(text(res.text), /rien n’est enregistré avant que vous ne le décidiez/);
  });

  it('sends a visitor without a session to the login page, reading and keeping nothing', async () => {
    const visitor = ctx.agent();
    const page = await visitor.get('/dossiers/import');
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, '/connexion');
    const before = await importsCount();
    const res = await visitor.post('/dossiers/import').field('_csrf', 'x').attach('fichier', Buffer.from(csv([newRow('Anonyme')])), 'a.csv');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.equal(await importsCount(), before);
    assert.equal((await visitor.get(`/dossiers/import/${'a'.repeat(22)}`)).status, 303);
  });

  it('refuses a missing or wrong CSRF token, a token sent after the file, or one in the address, keeping nothing', async () => {
    const before = { state: await caseState(), imports: await importsCount() };
    const file = Buffer.from(csv([newRow('Jeton Absent')]));
    const token = await csrfOf(repHdf.agent);
    const attempts = [
      repHdf.agent.post('/dossiers/import').attach('fichier', file, 'a.csv'),
      repHdf.agent.post('/dossiers/import').field('_csrf', 'faux-jeton').attach('fichier', file, 'a.csv'),
      repHdf.agent.post('/dossiers/import').attach('fichier', file, 'a.csv').field('_csrf', token),
      repHdf.agent.post(`/dossiers/import?_csrf=${token}`).attach('fichier', file, 'a.csv'),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const res = await attempt;
      assert.equal(res.status, 403, `attempt ${i} refused`);
      assert.match(text(res.text), /Le formulaire a expiré ou ne provient pas de Vigie/);
    }
    assert.equal(await caseState(), before.state);
    assert.equal(await importsCount(), before.imports);
  });

  it('refuses a file that is not CSV, or not in the export’s format, saying why in French', async () => {
    const before = await importsCount();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR')]);
    const refusals: Array<[Buffer | string, RegExp]> = [
      [png, /Ce fichier ne peut pas être importé\. Ce fichier n’est pas un fichier CSV/],
      ['Cher camarade,\nvoici la liste.', /Les colonnes doivent être séparées par des points-virgules/],
      ['Nom;Prénom\nMartin;Bernard', /La première ligne doit reprendre les colonnes de l’export de Vigie .* colonnes inconnues : « Nom », « Prénom »/],
      [`${HEADER.join(';')}\r\n`, /ne contient aucun dossier/],
    ];
    for (const [file, message] of refusals) {
      const res = await upload(repHdf, file, 'photo.csv');
      assert.equal(res.status, 400);
      assert.match(text(res.text), message);
      assert.match(res.text, /aria-invalid="true"/);
    }
    const none = await repHdf.agent.post('/dossiers/import').type('form').send({ _csrf: await csrfOf(repHdf.agent) });
    assert.equal(none.status, 400);
    assert.match(text(none.text), /Choisissez le fichier CSV à importer/);
    assert.equal(await importsCount(), before);
  });

  it('refuses a file over 10 MB with 413, keeping nothing', async () => {
    const before = await importsCount();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const res = await upload(repHdf, big, 'gros.csv');
    assert.equal(res.status, 413);
    assert.match(text(res.text), /Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers/);
    assert.equal(await importsCount(), before);
  });

  it('keeps each upload to its uploader: another rep, even of the same region, gets 404 and changes nothing', async () => {
    const { url } = await dryRun(repHdf, csv([newRow('Privée Import')]));
    for (const other of [binome, admin]) {
      assert.equal((await other.agent.get(url)).status, 404);
      assert.equal((await post(other, `${url}/importer`, { mode: 'tout' })).status, 404);
      assert.equal((await post(other, `${url}/abandonner`, {})).status, 404);
    }
    assert.equal((await repHdf.agent.get(url)).status, 200, 'still there for its uploader');
    assert.equal((await repHdf.agent.get('/dossiers/import/pas-un-identifiant')).status, 404);
    assert.deepEqual(await casesNamed('Privée Import'), []);
  });
});

// ---------------------------------------------------------------- dry run

describe('the dry run', () => {
  it('shows what each row would do and every error in French, with its row and column, writing nothing', async () => {
    const before = await caseState();
    const file = csv([
      newRow('Nouvelle Agente', { Site: 'Agence Douai', Convocation: '2024-09-02', Entretien: '2024-09-16', 'Compte rendu': 'Consultation légitime', 'Représentant·es': 'Rémi Nord, Bruno Binôme' }),
      { 'N° dossier': String(hdf.martin), Agent: 'Bernard Martin', Région: 'Hauts-de-France', Site: 'Agence Roubaix', Campagne: wave2.name, Situations: POLITICAL, Entretien: '2024-09-23', 'Représentant·es': 'Rémi Nord' },
      newRow('', { Convocation: '32/13/2024' }),
      newRow('Dates Inversées', { Convocation: '2024-09-20', Entretien: '2024-09-10' }),
      newRow('Région Inconnue', { Région: 'Picardie', Campagne: 'Vague 3', Situations: 'Sorcellerie', 'Compte rendu': 'Peut-être', 'Ton de l’entretien': 'Glacial' }),
      newRow('Sous Pression', { 'Ton de l’entretien': 'Pressions ou menaces' }),
      newRow('Rep Lointaine', { 'Représentant·es': 'Inès Francilienne' }),
      { 'N° dossier': 'douze', Agent: 'Numéro Faux', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS },
      { 'N° dossier': '999999', Agent: 'Numéro Absent', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS },
      { 'N° dossier': String(hdf.martin), Agent: 'Bernard Martin', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: POLITICAL },
      newRow('Sans Situation', { Situations: '' }),
    ]);
    const { html, page, url } = await dryRun(repHdf, file);
    assert.match(page, /Vérifier l’import/);
    assert.match(page, /Fichier « dossiers\.csv » : 11 lignes\. Rien n’a encore été enregistré\./);
    assert.equal(count(html, /créations?/), 1);
    assert.equal(count(html, /mises? à jour/), 1);
    assert.equal(count(html, /lignes? en erreur/), 9);

    assert.match(rowText(html, 2), /Création/);
    assert.match(rowText(html, 2), /Nouvel agent\./);
    assert.match(rowText(html, 3), /Mise à jour n° \d+/);
    assert.match(rowText(html, 3), /Entretien : 2024-09-20 → 2024-09-23/);
    assert.doesNotMatch(rowText(html, 3), /Site :|Agent :/, 'only what changes is listed');
    assert.match(rowText(html, 4), /Ligne 4, colonne « Agent » : Le nom de l’agent est obligatoire\./);
    assert.match(rowText(html, 4), /Ligne 4, colonne « Convocation » : La date de convocation n’est pas une date valide\./);
    assert.match(rowText(html, 5), /Ligne 5, colonne « Entretien » : L’entretien ne peut pas précéder la convocation\./);
    const unknown = rowText(html, 6);
    assert.match(unknown, /Ligne 6, colonne « Région » : Région inconnue : « Picardie »\./);
    assert.match(unknown, /Ligne 6, colonne « Campagne » : Campagne inconnue : « Vague 3 »\./);
    assert.match(unknown, /Ligne 6, colonne « Situations » : Situation inconnue : « Sorcellerie »/);
    assert.match(unknown, /Ligne 6, colonne « Compte rendu » : Compte rendu inconnu : « Peut-être » \(valeurs possibles : Consultation légitime, /);
    assert.match(unknown, /Ligne 6, colonne « Ton de l’entretien » : Ton inconnu : « Glacial »/);
    assert.match(rowText(html, 7), /Ligne 7, colonne « Ton de l’entretien » : Notez ce qui a été dit : c’est ce qui permettra de le contester\. Le fichier n’a pas de colonne pour cela : complétez ce dossier depuis son formulaire\./);
    assert.match(rowText(html, 8), /Ligne 8, colonne « Représentant·es » : Représentant·e inconnu·e ou qui ne suit pas vos régions : « Inès Francilienne »\./);
    assert.match(rowText(html, 9), /Ligne 9, colonne « N° dossier » : Le numéro de dossier doit être un nombre entier ; laissez la cellule vide pour créer un dossier\./);
    assert.match(rowText(html, 10), /Ligne 10, colonne « N° dossier » : Aucun dossier n° 999999 dans les régions que vous suivez\./);
    assert.match(rowText(html, 11), /Ligne 11, colonne « N° dossier » : Le dossier n° \d+ figure déjà à la ligne 3\./);
    assert.match(rowText(html, 12), /Ligne 12, colonne « Situations » : Indiquez au moins une situation signalée\./);

    assert.match(page, /« Tout importer » n’est possible que lorsque toutes les lignes sont valides/);
    assert.doesNotMatch(html, /name="mode" value="tout"/, 'no « Tout importer » button while a row is wrong');
    assert.match(html, /name="mode" value="valides"><button type="submit" class="button">Importer seulement les 2 lignes valides<\/button>/);
    assert.equal(await caseState(), before, 'the dry run wrote no case, agent or audit entry');

    const errorsOnly = text((await repHdf.agent.get(`${url}?voir=erreurs`)).text);
    assert.doesNotMatch(errorsOnly, /Nouvel agent\./);
    assert.match(errorsOnly, /Ligne 6, colonne « Région »/);
    await post(repHdf, `${url}/abandonner`, {});
  });

  it('serves no page of an upload gone meanwhile: replaced by a new one, or deleted as an agent’s erasure deletes waiting uploads', async () => {
    const replaced = await dryRun(repHdf, csv([newRow('Remplacée Ensuite')]));
    const kept = await dryRun(repHdf, csv([newRow('Effacée Ensuite')]));
    assert.equal((await repHdf.agent.get(replaced.url)).status, 404, 'a new upload replaces the one waiting');
    assert.match(text((await repHdf.agent.get(`${kept.url}?voir=creations`)).text), /Effacée Ensuite/);
    // The erasure deletes from the table directly: pages already read must not outlive the row.
    await sql`delete from case_imports where id = ${kept.id}`.execute(ctx.db);
    for (const query of ['', '?voir=creations', '?page=2']) assert.equal((await repHdf.agent.get(`${kept.url}${query}`)).status, 404);
    assert.equal((await post(repHdf, `${kept.url}/importer`, { mode: 'tout' })).status, 404);
    await ctx.services.caseImports.settled();
    assert.deepEqual([...(await casesNamed('Remplacée Ensuite')), ...(await casesNamed('Effacée Ensuite'))], []);
  });

  it('refuses rows of a region the rep does not cover: a new case there, or a case number from there', async () => {
    const before = await caseState();
    const { html } = await dryRun(
      repHdf,
      csv([
        newRow('Ailleurs Nouvelle', { Région: 'Île-de-France' }),
        { 'N° dossier': String(idfCase), Agent: 'Devinette', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS },
        { 'N° dossier': String(hdf.lefevre), Agent: 'Élodie Lefèvre', Région: 'Île-de-France', Campagne: wave2.name, Situations: ODD_HOURS },
      ]),
    );
    assert.match(rowText(html, 2), /Ligne 2, colonne « Région » : Vous ne suivez pas la région « Île-de-France »\./);
    assert.match(rowText(html, 3), /Ligne 3, colonne « N° dossier » : Aucun dossier n° \d+ dans les régions que vous suivez\./);
    assert.doesNotMatch(rowText(html, 3), /Iris|Secrète|Île-de-France/, 'nothing about the other region’s case is shown');
    assert.match(rowText(html, 4), /Ligne 4, colonne « Région » : Vous ne suivez pas la région « Île-de-France »\./, 'moving a case out of the rep’s regions');
    assert.equal(count(html, /lignes? en erreur/), 3);
    assert.equal(await caseState(), before);
  });

  it('refuses a rep who does not cover the case’s region, as the form does', async () => {
    await createCase(duo, { fullName: 'Normand Dupuis', regionCode: 'NOR', situations: 'odd_hours' });
    const { html } = await dryRun(duo, csv([newRow('Normande Nouvelle', { Région: 'Normandie', 'Représentant·es': 'Rémi Nord' })]));
    assert.match(rowText(html, 2), /Ligne 2, colonne « Représentant·es » : Rémi Nord ne suit pas la région de cet agent\./);
  });
});

// ---------------------------------------------------------------- import

describe('importing', () => {
  it('refuses « tout importer » while any row is invalid, writing nothing', async () => {
    const { url } = await dryRun(repHdf, csv([newRow('Valide Seule'), newRow('Invalide', { Région: 'Atlantide' })]));
    const before = await caseState();
    const res = await post(repHdf, `${url}/importer`, { mode: 'tout' });
    assert.equal(res.status, 409);
    assert.match(text(res.text), /Rien n’a été importé : des lignes comportent des erreurs/);
    await ctx.services.caseImports.settled();
    assert.equal(await caseState(), before);
    assert.deepEqual(await casesNamed('Valide Seule'), []);
    assert.equal((await repHdf.agent.get(url)).status, 200, 'the dry run is still there to choose again');
  });

  it('imports only the valid rows when the rep chooses so: created and updated cases, audited, invalid rows left out', async () => {
    const martinBefore = await caseRow(hdf.martin);
    const file = csv([
      newRow('Camille Import', { Site: 'Agence Arras', Convocation: '2024-09-02', Entretien: '2024-09-16', 'Compte rendu': 'Consultation légitime', 'Représentant·es': 'Bruno Binôme' }),
      { 'N° dossier': String(hdf.martin), Agent: 'Bernard Martin', Région: 'Hauts-de-France', Site: 'Agence Roubaix', Campagne: wave2.name, Situations: `${POLITICAL} | ${ODD_HOURS}`, Entretien: '2024-09-20', 'Compte rendu': 'Consultation légitime', 'Représentant·es': 'Rémi Nord, Bruno Binôme' },
      newRow('Ligne Fausse', { Campagne: 'Inconnue' }),
    ]);
    const { url, id } = await dryRun(repHdf, file);
    await repHdf.agent.get('/dossiers'); // the list's counts are computed, and cached, before the import
    const auditBefore = await ctx.db.selectFrom('auditLog').select('id').orderBy('id', 'desc').executeTakeFirst();
    const { res, page } = await importNow(repHdf, url, 'valides');
    assert.equal(res.status, 303);
    assert.match(page, /Import terminé/);
    assert.match(page, /2 \/ 2 dossiers importés/);
    assert.match(page, /1 créé 1 mis à jour 0 inchangé 1 ignoré/, 'the row left out is counted');
    assert.match(page, /Lignes en erreur, laissées de côté .* Ligne 4, colonne « Campagne » : Campagne inconnue\./, 'and listed');
    assert.match(page, /Voir les dossiers/);
    assert.doesNotMatch(page, /http-equiv/);

    const [camille] = await casesNamed('Camille Import');
    assert.ok(camille, 'the valid new case was created');
    const created = await caseRow(camille.id);
    assert.equal(created.regionCode, 'HDF');
    assert.equal(created.site, 'Agence Arras');
    assert.equal(created.interviewDate, '2024-09-16');
    assert.equal(created.reportOutcome, 'legitimate');
    assert.deepEqual(await repsOf(camille.id), [binome.user.id]);
    assert.deepEqual(await casesNamed('Ligne Fausse'), [], 'the invalid row was not imported');

    const martin = await caseRow(hdf.martin);
    assert.equal(martin.reportOutcome, 'legitimate');
    assert.equal(martinBefore.commitmentStatus, 'at_risk', 'before: no compte rendu 30 days after the interview');
    assert.equal(martin.commitmentStatus, 'respected', 'the case was assessed again once its compte rendu was known');
    assert.deepEqual(await repsOf(hdf.martin), [repHdf.user.id, binome.user.id].sort((a, b) => a - b));
    const situations = await ctx.db.selectFrom('caseSituations').select('situationCode').where('caseId', '=', hdf.martin).orderBy('situationCode').execute();
    assert.deepEqual(situations.map((s) => s.situationCode), ['odd_hours', 'political_figure']);

    const entries = await ctx.db.selectFrom('auditLog').selectAll().where('id', '>', auditBefore?.id ?? 0).orderBy('id').execute();
    const mine = entries.filter((e) => e.actorUserId === repHdf.user.id);
    assert.deepEqual(
      mine.map((e) => [e.action, e.entityType, e.entityId]),
      [
        ['create', 'case_import', id],
        ['create', 'case', String(camille.id)],
        ['update', 'case', String(hdf.martin)],
      ],
      'one entry for the import, one per created or updated case',
    );

    const respected = await ctx.db.selectFrom('cases').select('id').where('regionCode', '=', 'HDF').where('commitmentStatus', '=', 'respected').execute();
    const facet = /<span class="facet__count">([^<]*)<\/span> <span class="facet__label">Engagement respecté<\/span>/.exec((await repHdf.agent.get('/dossiers')).text);
    assert.equal(Number(facet?.[1]), respected.length, 'the list’s cached counts follow the import');
    const payload = await sql<{ rows: string | null; plans: string | null }>`select rows, plans from case_imports where id = ${id}`.execute(ctx.db);
    assert.deepEqual(payload.rows[0], { rows: null, plans: null }, 'the file’s content is erased once imported');
  });

  it('imports every row when all are valid, reading them all again first', async () => {
    const { url, html } = await dryRun(repHdf, csv([newRow('Tout Un'), newRow('Tout Deux', { 'Ton de l’entretien': 'Rappel bienveillant' })]));
    assert.match(html, /name="mode" value="tout"><button type="submit" class="button">Tout importer \(2 dossiers\)<\/button>/);
    const { page } = await importNow(repHdf, url, 'tout');
    assert.match(page, /2 \/ 2 dossiers importés/);
    assert.equal((await casesNamed('Tout Un')).length, 1);
    assert.equal((await casesNamed('Tout Deux')).length, 1);
    const again = await post(repHdf, `${url}/importer`, { mode: 'tout' });
    assert.equal(again.status, 303, 'a second click lands on the job page');
    await ctx.services.caseImports.settled();
    assert.equal((await casesNamed('Tout Un')).length, 1, 'and imports nothing twice');
  });

  it('stops « tout importer » with nothing written when a row is no longer valid at import time', async () => {
    const target = await createCase(repHdf, { fullName: 'Dossier Mouvant', regionCode: 'HDF', situations: 'odd_hours' });
    const { url } = await dryRun(repHdf, csv([newRow('Avant Mouvant'), { 'N° dossier': String(target), Agent: 'Dossier Mouvant', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS, Site: 'Nouveau site' }]));
    // Between the dry run and the choice, an admin moves the case to a region the rep does not cover.
    await ctx.db.updateTable('cases').set({ regionCode: 'IDF' }).where('id', '=', target).execute();
    const before = await caseState({ audit: false });
    const lastAudit = (await ctx.db.selectFrom('auditLog').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const { page } = await importNow(repHdf, url, 'tout');
    assert.match(page, /Import arrêté/);
    assert.match(page, /1 ligne n’est plus valide depuis la vérification : rien n’a été importé\./);
    assert.match(page, /Lignes non importées .* Ligne 3, colonne « N° dossier » : Aucun dossier de ce numéro dans les régions que vous suivez\./);
    assert.doesNotMatch(page, new RegExp(`n° ${target}\\b`), 'the summary does not repeat the cell');
    assert.equal(await caseState({ audit: false }), before);
    const audited = await ctx.db.selectFrom('auditLog').select(['action', 'entityType']).where('id', '>', lastAudit).execute();
    assert.deepEqual(audited, [{ action: 'create', entityType: 'case_import' }], 'only the import’s own audit entry');
    await ctx.db.updateTable('cases').set({ regionCode: 'HDF' }).where('id', '=', target).execute();
  });

  it('lets the rep discard an upload: its file is erased, nothing imported', async () => {
    const { url, id } = await dryRun(repHdf, csv([newRow('Jamais Importée')]));
    const res = await post(repHdf, `${url}/abandonner`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/dossiers/import');
    assert.match(text((await repHdf.agent.get('/dossiers/import')).text), /Import abandonné : le fichier a été effacé, rien n’a été importé\./);
    assert.equal((await repHdf.agent.get(url)).status, 404);
    assert.equal((await sql`select id from case_imports where id = ${id}`.execute(ctx.db)).rows.length, 0);
    assert.deepEqual(await casesNamed('Jamais Importée'), []);
  });
});

// ---------------------------------------------------------------- the summary kept after the job

describe('the summary kept a day after the job', () => {
  /** The import's row as stored, every column. */
  const stored = async (id: string) => JSON.stringify((await sql`select * from case_imports where id = ${id}`.execute(ctx.db)).rows);

  it('quotes no cell: the dry run shows the uploader what was typed, the summary only the row, the column and the kind of error', async () => {
    const file = csv([
      newRow('Résumé Valide'),
      // A semicolon missing earlier in the row: the agent's name lands under « Région ».
      newRow('', { Région: 'Canari Agathe Dupont', Site: 'Hauts-de-France' }),
      newRow('Résumé Situation', { Situations: 'Canari en arrêt maladie depuis mars' }),
      newRow('Résumé Ton', { Campagne: 'Canari vague', 'Compte rendu': 'Canari légitime', 'Ton de l’entretien': 'Canari glacial' }),
      newRow('Résumé Rep', { 'Représentant·es': 'Canari Collègue' }),
      { 'N° dossier': '987654', Agent: 'Résumé Numéro', Région: 'Hauts-de-France', Campagne: wave2.name, Situations: ODD_HOURS },
      { 'N° dossier': String(hdf.lefevre), Agent: 'Élodie Lefèvre', Région: 'Hauts-de-France', Site: 'Agence Lille', Campagne: wave2.name, Situations: ODD_HOURS },
      { 'N° dossier': String(hdf.lefevre), Agent: 'Élodie Lefèvre', Région: 'Hauts-de-France', Site: 'Agence Lille', Campagne: wave2.name, Situations: ODD_HOURS },
    ]);
    const { html, id, url } = await dryRun(repHdf, file);
    assert.equal(count(html, /lignes? en erreur/), 6);
    assert.match(rowText(html, 3), /Ligne 3, colonne « Région » : Région inconnue : « Canari Agathe Dupont »\./, 'the uploader sees the cell');
    assert.match(rowText(html, 4), /Ligne 4, colonne « Situations » : Situation inconnue : « Canari en arrêt maladie depuis mars »/);
    assert.match(rowText(html, 5), /colonne « Campagne » : Campagne inconnue : « Canari vague »\./);
    assert.match(rowText(html, 5), /colonne « Compte rendu » : Compte rendu inconnu : « Canari légitime » \(valeurs possibles : /);
    assert.match(rowText(html, 5), /colonne « Ton de l’entretien » : Ton inconnu : « Canari glacial » \(valeurs possibles : /);
    assert.match(rowText(html, 6), /Ligne 6, colonne « Représentant·es » : Représentant·e inconnu·e ou qui ne suit pas vos régions : « Canari Collègue »\./);
    assert.match(rowText(html, 7), /Ligne 7, colonne « N° dossier » : Aucun dossier n° 987654 dans les régions que vous suivez\./);
    assert.match(rowText(html, 9), new RegExp(`Ligne 9, colonne « N° dossier » : Le dossier n° ${hdf.lefevre} figure déjà à la ligne 8\\.`));

    const { page } = await importNow(repHdf, url, 'valides');
    assert.match(page, /1 créé 0 mis à jour 1 inchangé 6 ignorés/);
    const summary = /Lignes en erreur, laissées de côté (.*) Voir les dossiers/.exec(page)?.[1] ?? '';
    for (const kept of [
      'Ligne 3, colonne « Agent » : Le nom de l’agent est obligatoire.',
      'Ligne 3, colonne « Région » : Région inconnue.',
      'Ligne 4, colonne « Situations » : Situation inconnue (séparez les situations par « | »).',
      'Ligne 5, colonne « Campagne » : Campagne inconnue.',
      'Ligne 5, colonne « Compte rendu » : Compte rendu inconnu (valeurs possibles : ',
      'Ligne 5, colonne « Ton de l’entretien » : Ton inconnu (valeurs possibles : ',
      'Ligne 6, colonne « Représentant·es » : Représentant·e inconnu·e ou qui ne suit pas vos régions.',
      'Ligne 7, colonne « N° dossier » : Aucun dossier de ce numéro dans les régions que vous suivez.',
      'Ligne 9, colonne « N° dossier » : Ce numéro de dossier figure déjà à la ligne 8.',
    ]) {
      assert.ok(summary.includes(kept), `the summary says « ${kept} »`);
    }
    assert.match(summary, /Il ne reprend pas le contenu des cellules/);
    assert.doesNotMatch(page, /Canari|987654/, 'the job page quotes no cell');
    assert.doesNotMatch(page, new RegExp(`n° ${hdf.lefevre}\\b`));
    const row = await stored(id);
    assert.match(row, /"rows":null,"plans":null/, 'the file is gone');
    assert.doesNotMatch(row, /Canari|987654/, 'and the summary kept in the table quotes no cell');
    assert.doesNotMatch(row, new RegExp(`n° ${hdf.lefevre}\\b`));
  });

  it('lists 1 000 errors at most, and counts every row left out', async () => {
    const rows = [newRow('Résumé Long Valide'), ...Array.from({ length: 1_100 }, (_v, i) => newRow(`Résumé Long ${i}`, { Région: 'Atlantide' }))];
    const { url } = await dryRun(repHdf, csv(rows));
    const { html, page } = await importNow(repHdf, url, 'valides');
    assert.match(page, /1 créé 0 mis à jour 0 inchangé 1\s100 ignorés/);
    assert.equal((html.match(/<li>Ligne \d+, colonne « Région » : Région inconnue\.<\/li>/g) ?? []).length, 1_000);
    assert.match(page, /Ligne 1002, colonne « Région » : Région inconnue\. Et 100 autres lignes non importées, non détaillées ici\./);
  });

  it('quotes no cell either for a row refused at import time', async () => {
    const leaving = await ctx.createUser({ role: 'rep', name: 'Canari Partante', regions: ['HDF'] });
    const { html, id, url } = await dryRun(repHdf, csv([newRow('Résumé Tout', { 'Représentant·es': 'Canari Partante' })]));
    assert.equal(count(html, /lignes? en erreur/), 0);
    // Between the dry run and the choice, her account is disabled: the check before writing refuses the row.
    await ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', leaving.id).execute();
    const { page } = await importNow(repHdf, url, 'tout');
    assert.match(page, /Import arrêté/);
    assert.match(page, /Lignes non importées .* Ligne 2, colonne « Représentant·es » : Représentant·e inconnu·e ou qui ne suit pas vos régions\./);
    assert.doesNotMatch(page, /Canari/);
    assert.doesNotMatch(await stored(id), /Canari/);
    assert.deepEqual(await casesNamed('Résumé Tout'), []);
  });
});

// ---------------------------------------------------------------- agents

describe('agents, matched as the form matches them', () => {
  it('attaches a case to the one agent of that name in the region, creates one agent for rows naming a new one twice, and refuses a name two agents share', async () => {
    const bre = await ctx.signedIn({ role: 'rep', name: 'Brieuc Breton', regions: ['BRE'] });
    const known = await createCase(bre, { fullName: 'Yann Le Gall', regionCode: 'BRE', situations: 'odd_hours' });
    await createCase(bre, { fullName: 'Anne Kerouac', regionCode: 'BRE', situations: 'odd_hours' });
    await createCase(bre, { fullName: 'Anne Kerouac', regionCode: 'BRE', situations: 'political_figure' });
    const breRow = (agent: string, cells: Row = {}) => newRow(agent, { Région: 'Bretagne', ...cells });
    const { html, url } = await dryRun(bre, csv([breRow('yann le gall', { Campagne: wave1.name }), breRow('Nolwenn Tanguy'), breRow('Nolwenn Tanguy', { Campagne: wave1.name }), breRow('Anne Kerouac')]));
    assert.match(rowText(html, 2), /Agent déjà suivi : le dossier lui est rattaché\./);
    assert.match(rowText(html, 3), /Nouvel agent\./);
    assert.match(rowText(html, 4), /Nouvel agent, le même qu’à la ligne 3\./);
    assert.match(rowText(html, 5), /Ligne 5, colonne « Agent » : 2 agents de cette région portent ce nom : créez ce dossier depuis le formulaire « Nouveau dossier », qui vous laisse choisir\./);
    await importNow(bre, url, 'valides');
    const yann = await casesNamed('Yann Le Gall');
    assert.equal(yann.length, 2, 'a second case for the agent already followed');
    assert.equal(new Set(yann.map((c) => c.agentId)).size, 1);
    assert.ok(yann.some((c) => c.id === known));
    const nolwenn = await casesNamed('Nolwenn Tanguy');
    assert.equal(nolwenn.length, 2);
    assert.equal(new Set(nolwenn.map((c) => c.agentId)).size, 1, 'one new agent for both rows');
  });
});

// ---------------------------------------------------------------- round trip

describe('export → import', () => {
  let nor: Signed;
  before(async () => {
    nor = await ctx.signedIn({ role: 'rep', name: 'Noémie Normande', regions: ['NOR'] });
    const awkward = ['=HYPERLINK("x")', '+cmd', '-1', '@SUM(1)', 'Dupont; Jean', 'Jean "Jojo" Martin', 'Zoé Lefèvre'];
    for (const [i, name] of awkward.entries()) {
      const id = await createCase(nor, {
        fullName: name,
        regionCode: 'NOR',
        site: name === '+cmd' ? '=1+1' : 'Agence Caen',
        job: 'Conseillère',
        situations: i % 2 ? ['odd_hours', 'political_figure'] : 'agent_ex_job_seeker',
        convocationDate: '2024-09-02',
        interviewDate: i % 3 ? '2024-09-16' : '',
        reportOutcome: i % 2 ? 'illegitimate' : '',
        interviewTone: i % 2 ? 'kind' : 'neutral',
        repIds: [String(nor.user.id)],
      });
      if (i === 3) await post(nor, `/dossiers/${id}/evenements`, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'blame' });
    }
  });

  async function exported(): Promise<string> {
    const res = await nor.agent.get('/dossiers/export.csv').buffer(true).parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    assert.equal(res.status, 200);
    return (res.body as Buffer).toString('utf8');
  }

  const norCases = async () => (await ctx.db.selectFrom('cases').select('id').where('regionCode', '=', 'NOR').execute()).length;

  it('changes nothing: every row unchanged, nothing to import, not a byte written', async () => {
    const file = await exported();
    const before = await caseState();
    const { html, page, url } = await dryRun(nor, file);
    assert.ok((await norCases()) >= 7);
    assert.equal(count(html, /inchangés?/), await norCases());
    assert.equal(count(html, /créations?/), 0);
    assert.equal(count(html, /mises? à jour/), 0);
    assert.equal(count(html, /lignes? en erreur/), 0);
    assert.match(page, /Rien à importer : ce fichier ne change aucun dossier\./);
    assert.doesNotMatch(html, /name="mode"/);
    assert.equal((await post(nor, `${url}/importer`, { mode: 'tout' })).status, 409);
    assert.equal(await caseState(), before);
    assert.equal(await exported(), file, 'the export is the same file');
  });

  it('changes nothing either once a spreadsheet has saved the file again: Windows-1252, no BOM, dates retyped', async () => {
    const file = (await exported())
      .replace(/^\uFEFF/, '')
      .replace(/(\d{4})-(\d{2})-(\d{2})/g, (_m, y, m, d) => `${d}/${m}/${y}`);
    const win = Buffer.from([...file].map((ch) => ({ '’': 0x92, '—': 0x97 })[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
    const before = await caseState();
    const { html } = await dryRun(nor, win);
    assert.equal(count(html, /inchangés?/), await norCases());
    assert.equal(count(html, /lignes? en erreur/), 0);
    assert.equal(await caseState(), before);
  });

  it('updates only what a row changes, reading the export’s formula guard back off', async () => {
    const original = await exported();
    assert.ok(original.includes("'+cmd;Normandie;'=1+1;"));
    const file = original.replace("'+cmd;Normandie;'=1+1;", "'+cmd;Normandie;'=2+2;");
    const { html, url } = await dryRun(nor, file);
    assert.equal(count(html, /mises? à jour/), 1);
    assert.equal(count(html, /inchangés?/), (await norCases()) - 1);
    assert.match(decode(html), /Site : <del>=1\+1<\/del> → <ins>=2\+2<\/ins>/);
    await importNow(nor, url, 'tout');
    const [cmd] = await casesNamed('+cmd');
    assert.equal((await caseRow(cmd!.id)).site, '=2+2', 'stored without the apostrophe, as typed in the form');
    const again = await exported();
    assert.ok(again.includes("'+cmd;Normandie;'=2+2;"), 'and guarded again on the way out');
  });
});

// ---------------------------------------------------------------- job mechanics

describe('the import job', () => {
  it('shows its progress while it runs, refreshing itself, and resumes after a stop where it was', async () => {
    const pdl = await ctx.signedIn({ role: 'rep', name: 'Paul Ligérien', regions: ['PDL'] });
    const rows = Array.from({ length: 60 }, (_v, i) => newRow(`Reprise ${String(i).padStart(2, '0')}`, { Région: 'Pays de la Loire' }));
    const { url, id } = await dryRun(pdl, csv(rows));
    // The app's own importer stops at once; a second one, as after a restart, takes the job over.
    await ctx.services.caseImports.stop();
    const res = await post(pdl, `${url}/importer`, { mode: 'valides' });
    assert.equal(res.status, 303);
    const waiting = await pdl.agent.get(url);
    assert.match(waiting.text, /<meta http-equiv="refresh" content="2">/);
    assert.match(waiting.text, /<progress id="import-progress" max="60" value="0">/);
    assert.match(text(waiting.text), /Import en cours .* 0 \/ 60 dossiers importés/);
    assert.match(waiting.text, new RegExp(`<a href="${url}\\?auto=non">Arrêter la mise à jour automatique</a>`));
    const still = await pdl.agent.get(`${url}?auto=non`);
    assert.doesNotMatch(still.text, /http-equiv="refresh"/, 'a reader can stop the page reloading itself');
    assert.match(still.text, /<progress id="import-progress" max="60" value="0">/);
    assert.match(text(still.text), /Mise à jour automatique arrêtée\. Actualiser · La reprendre/);

    // A restarted process (chunks of 10 rows at most) stopped after a chunk or two, then another that resumes.
    const { services } = ctx;
    const deps = { db: ctx.db, cases: services.cases, casesService: services.casesService, campaigns: services.campaigns, regions: services.regions, users: services.users, audit: services.audit, now: services.now, logger: createLogger('silent'), keep: ctx.config.caseImport };
    const first = createCaseImportService({ ...deps, maxChunkRows: 10 });
    assert.equal(await first.resumeUnfinished(), 1);
    while ((await first.find(await userOf(pdl), id))!.processed === 0) await new Promise((r) => setImmediate(r));
    await first.stop();
    const stopped = await pdl.agent.get(url);
    const progress = /<progress id="import-progress" max="60" value="(\d+)">/.exec(stopped.text);
    assert.ok(progress, 'still in progress after the stop');
    const done = Number(progress[1]);
    assert.ok(done > 0 && done < 60, `stopped between chunks, at ${done}`);
    assert.equal((await ctx.db.selectFrom('agents').select('id').where('fullName', 'like', 'Reprise %').execute()).length, done, 'what the progress says is what is written');
    const second = createCaseImportService(deps);
    assert.equal(await second.resumeUnfinished(), 1);
    await second.settled();
    const end = await pdl.agent.get(url);
    assert.match(text(end.text), /60 \/ 60 dossiers importés/);
    assert.doesNotMatch(end.text, /http-equiv="refresh"/);
    assert.equal((await ctx.db.selectFrom('agents').select('id').where('fullName', 'like', 'Reprise %').execute()).length, 60, 'each row once, none twice');
  });
});

async function userOf(who: Signed) {
  const user = await ctx.services.users.findById(who.user.id);
  assert.ok(user);
  return user;
}
