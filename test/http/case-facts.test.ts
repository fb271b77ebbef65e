import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, csrfOf, post } from '../helpers/forms';
import { decode, text } from '../helpers/html';
import { caseForm as hdfCaseForm, caseFormsOf, postCase } from '../fixtures/case-form';
import { uniqueNames } from '../fixtures/names';

/**
 * Facts of a case the forms record since issue 12: the agent's civility, whether the hierarchy had
 * been informed beforehand (and when), and the precisions given once for a pasted list of
 * consultations. Saving, refusing, showing, and the CSV export and import of the first two.
 */

let ctx: TestContext;
let rep: Signed;
let wave2: { id: number; name: string };

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  rep = await ctx.signedIn(PEOPLE.repNord);
  wave2 = await ctx.db.selectFrom('campaigns').select(['id', 'name']).where('wave', '=', 2).executeTakeFirstOrThrow();
});
after(async () => {
  await ctx.services.caseImports.settled();
  await ctx.close();
});

const uniqueName = uniqueNames('Faits', 'bcdfghjklmnpqrstvwxz');

/** The shared form without a job or training answer, for an agent once a job seeker, new to Vigie. */
const caseForm = caseFormsOf(uniqueName, hdfCaseForm, { job: undefined, trainingReceived: undefined, situations: ['agent_ex_job_seeker'], confirmNewAgent: 'on' });

function createCase(overrides: Fields = {}): Promise<number> {
  return postCase(rep, caseForm(overrides));
}

async function stored(caseId: number) {
  return ctx.db
    .selectFrom('cases')
    .innerJoin('agents', 'agents.id', 'cases.agentId')
    .select(['agents.civility', 'cases.hierarchyInformed', 'cases.hierarchyInformedDate', 'agents.fullName'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
}

/** The text of one fact of a `<dl class="facts">`: what follows its `<dt>`. */
function fact(html: string, label: string): string {
  const match = new RegExp(`<dt>${label}</dt><dd>([\\s\\S]*?)</dd>`).exec(html);
  assert.ok(match, `the page shows « ${label} »`);
  return text(match[1]!).trim();
}

/** The field's error message, as the form shows it beside the field. */
function fieldError(html: string, name: string): string {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([^<]*)</p>`).exec(html);
  assert.ok(match, `an error is shown beside ${name}`);
  return decode(match[1]!);
}

/** The two facts as stored, and as the case page says them. */
async function factsOf(caseId: number) {
  const row = await stored(caseId);
  const page = (await rep.agent.get(`/dossiers/${caseId}`)).text;
  return {
    stored: [row.civility, row.hierarchyInformed, row.hierarchyInformedDate],
    shown: [fact(page, 'Civilité'), fact(page, 'Hiérarchie informée au préalable')],
  };
}

function checkedRadio(html: string, name: string): string | undefined {
  return new RegExp(`<input type="radio" name="${name}" value="([^"]*)" checked>`).exec(html)?.[1];
}

describe('civility and the hierarchy informed beforehand', () => {
  it('are asked in the case form, with their labels and choices', async () => {
    const page = await rep.agent.get('/dossiers/nouveau');
    assert.equal(page.status, 200);
    const form = text(page.text);
    assert.match(form, /Civilité Pour accorder les courriers \(convoquée, il, elle\)\. Non précisée Madame Monsieur/);
    assert.match(form, /La hiérarchie avait-elle été informée au préalable \? Oui Non Non renseigné/);
    assert.match(form, /Date à laquelle elle a été informée/);
    assert.equal(checkedRadio(page.text, 'civility'), '', 'not stated until the rep says');
    assert.equal(checkedRadio(page.text, 'hierarchyInformed'), 'unknown');
  });

  it('are saved, shown on the case page, and offered again by the edit form', async () => {
    const id = await createCase({ civility: 'madame', hierarchyInformed: 'yes', hierarchyInformedDate: '03/03/2024' });
    // A date typed « jj/mm/aaaa » is stored as ISO.
    assert.deepEqual(await factsOf(id), { stored: ['madame', 'yes', '2024-03-03'], shown: ['Madame', 'Oui, le 3 mars 2024'] });

    const edit = await rep.agent.get(`/dossiers/${id}/modifier`);
    assert.equal(checkedRadio(edit.text, 'civility'), 'madame');
    assert.equal(checkedRadio(edit.text, 'hierarchyInformed'), 'yes');
    assert.match(edit.text, /name="hierarchyInformedDate" type="date" value="2024-03-03"/);

    const res = await post(rep, `/dossiers/${id}`, caseForm({ fullName: (await stored(id)).fullName, civility: '', hierarchyInformed: 'no', hierarchyInformedDate: '' }));
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    assert.deepEqual(await factsOf(id), { stored: [null, 'no', null], shown: ['Non précisée', 'Non'] });
  });

  it('default to « not stated » when a form leaves them out', async () => {
    assert.deepEqual(await factsOf(await createCase()), { stored: [null, 'unknown', null], shown: ['Non précisée', 'Non renseigné'] });
  });

  it('refuse a date unless the answer is « Oui », a date in the future, an unknown civility: in French, beside the field, the rest kept', async () => {
    const cases: Array<{ fields: Fields; field: string; message: RegExp }> = [
      { fields: { hierarchyInformed: 'no', hierarchyInformedDate: '2024-03-03' }, field: 'hierarchyInformedDate', message: /^Une date n’a de sens que si la hiérarchie avait été informée : répondez « Oui » ou effacez la date\.$/ },
      { fields: { hierarchyInformed: 'unknown', hierarchyInformedDate: '2024-03-03' }, field: 'hierarchyInformedDate', message: /répondez « Oui » ou effacez la date/ },
      { fields: { hierarchyInformed: 'yes', hierarchyInformedDate: '2099-01-01' }, field: 'hierarchyInformedDate', message: /^La date à laquelle la hiérarchie a été informée ne peut pas être dans le futur\.$/ },
      { fields: { hierarchyInformed: 'yes', hierarchyInformedDate: '31/02/2024' }, field: 'hierarchyInformedDate', message: /^La date à laquelle la hiérarchie a été informée n’est pas une date valide\.$/ },
      { fields: { hierarchyInformed: 'peut-être' }, field: 'hierarchyInformed', message: /^Répondez « Oui », « Non » ou « Non renseigné »\.$/ },
      { fields: { civility: 'mademoiselle' }, field: 'civility', message: /^Choisissez « Madame », « Monsieur » ou « Non précisée »\.$/ },
    ];
    for (const { fields, field, message } of cases) {
      const name = uniqueName('Refus');
      const before = await ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const res = await post(rep, '/dossiers', caseForm({ fullName: name, civility: 'monsieur', ...fields }));
      assert.equal(res.status, 400, `${JSON.stringify(fields)} is refused`);
      assert.match(fieldError(res.text, field), message);
      assert.ok(res.text.includes(`value="${name}"`), 'the name typed is kept');
      if (field !== 'civility') assert.equal(checkedRadio(res.text, 'civility'), 'monsieur', 'the civility chosen is kept');
      if (fields.hierarchyInformedDate && field !== 'hierarchyInformedDate') assert.ok(res.text.includes(`value="${fields.hierarchyInformedDate}"`));
      if (field === 'hierarchyInformedDate') assert.ok(res.text.includes(`value="${fields.hierarchyInformedDate}"`), 'the refused date is shown again to be corrected');
      const after = await ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n), 'nothing is saved');
    }
  });

  it('accept today as the date the hierarchy was informed', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(ctx.services.now());
    const id = await createCase({ hierarchyInformed: 'yes', hierarchyInformedDate: today });
    assert.equal((await stored(id)).hierarchyInformedDate, today);
  });
});

describe('precisions on a pasted list of consultations', () => {
  it('go to every consultation of the case form’s list, and show beside each', async () => {
    const id = await createCase({
      consultationsText: '14/05/2024 21:15\n18/05/2024 10:30',
      consultationAction: 'consulted',
      consultationExplanation: 'relative',
      consultationExplanationText: 'Dossier de sa sœur, signalé à sa manager.',
    });
    const rows = await ctx.db.selectFrom('consultations').select(['at', 'explanation', 'explanationText']).where('caseId', '=', id).orderBy('at').execute();
    assert.deepEqual(rows, [
      { at: '2024-05-14T19:15:00Z', explanation: 'relative', explanationText: 'Dossier de sa sœur, signalé à sa manager.' },
      { at: '2024-05-18T08:30:00Z', explanation: 'relative', explanationText: 'Dossier de sa sœur, signalé à sa manager.' },
    ]);
    const page = text((await rep.agent.get(`/dossiers/${id}`)).text);
    assert.equal(page.split('Dossier d’un·e proche — Dossier de sa sœur, signalé à sa manager.').length - 1, 2);
  });

  it('are labelled as the form says, and limited to 1 000 characters like a single consultation’s', async () => {
    const page = text((await rep.agent.get('/dossiers/nouveau')).text);
    assert.match(page, /Précisions sur ces consultations \(facultatif\) Reprises pour chacune des consultations de la liste\./);
    const name = uniqueName('Trop Long');
    const res = await post(rep, '/dossiers', caseForm({ fullName: name, consultationsText: '14/05/2024 21:15', consultationExplanationText: 'x'.repeat(1001) }));
    assert.equal(res.status, 400);
    assert.equal(fieldError(res.text, 'consultationExplanationText'), 'La précision sur ces consultations ne peut pas dépasser 1000 caractères.');
    assert.ok(res.text.includes('x'.repeat(1001)), 'the text typed is kept');
    assert.ok(res.text.includes('14/05/2024 21:15'), 'the list is kept');
    const ok = await post(rep, '/dossiers', caseForm({ consultationsText: '14/05/2024 21:15', consultationExplanationText: 'y'.repeat(1000) }));
    assert.equal(ok.status, 303);
  });

  it('go to every consultation of the case page’s pasted list too', async () => {
    const id = await createCase();
    const res = await post(rep, `/dossiers/${id}/consultations/lot`, { lines: '14/05/2024 21:15\n15/05/2024 06:30', action: 'modified', explanation: 'other', explanationText: 'Mise à jour d’adresse demandée par l’usager.' });
    assert.equal(res.status, 303);
    const rows = await ctx.db.selectFrom('consultations').select(['action', 'explanationText']).where('caseId', '=', id).execute();
    assert.deepEqual(rows.map((r) => [r.action, r.explanationText]), [
      ['modified', 'Mise à jour d’adresse demandée par l’usager.'],
      ['modified', 'Mise à jour d’adresse demandée par l’usager.'],
    ]);
    const tooLong = await post(rep, `/dossiers/${id}/consultations/lot`, { lines: '16/05/2024 21:15', action: 'consulted', explanation: 'other', explanationText: 'z'.repeat(1001) });
    assert.equal(tooLong.status, 400);
    assert.equal(fieldError(tooLong.text, 'lot-explanationText'), 'La précision sur ces consultations ne peut pas dépasser 1000 caractères.');
    assert.ok(tooLong.text.includes('16/05/2024 21:15'), 'the lines typed are kept');
  });
});

describe('the CSV export and import', () => {
  const HEADER_NEW = ['Civilité', 'Hiérarchie informée au préalable', 'Date d’information de la hiérarchie'];

  async function exported(name: string): Promise<{ header: string[]; row: string[] }> {
    const res = await rep.agent.get(`/dossiers/export.csv?q=${encodeURIComponent(name)}`);
    assert.equal(res.status, 200);
    const [header, row] = res.text.replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(';'));
    return { header: header!, row: row! };
  }

  async function upload(file: string) {
    const res = await rep.agent
      .post('/dossiers/import')
      .field('_csrf', await csrfOf(rep.agent))
      .attach('fichier', Buffer.from(`\uFEFF${file}`, 'utf8'), { filename: 'dossiers.csv', contentType: 'text/csv' });
    assert.equal(res.status, 303, `upload refused: ${text(res.text).slice(0, 400)}`);
    const url = String(res.headers.location);
    return { url, page: text((await rep.agent.get(url)).text) };
  }

  async function importAll(url: string) {
    const res = await post(rep, `${url}/importer`, { mode: 'tout' });
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    await ctx.services.caseImports.settled();
  }

  it('exports them in three columns after the others, and reads them back unchanged', async () => {
    const name = uniqueName('Export');
    const id = await createCase({ fullName: name, civility: 'monsieur', hierarchyInformed: 'yes', hierarchyInformedDate: '2024-02-12' });
    const { header, row } = await exported(name);
    assert.deepEqual(header.slice(-3), HEADER_NEW, 'appended, so spreadsheets built on the older columns keep their places');
    assert.deepEqual(row.slice(-3), ['Monsieur', 'Oui', '2024-02-12']);
    const { page } = await upload(`${header.join(';')}\r\n${row.join(';')}\r\n`);
    assert.match(page, /1 dossier inchangé|1 inchangé/);
    assert.deepEqual(Object.values(await stored(id)).slice(0, 3), ['monsieur', 'yes', '2024-02-12']);
  });

  it('updates them from their columns, by label', async () => {
    const name = uniqueName('Import Maj');
    const id = await createCase({ fullName: name, civility: 'monsieur', hierarchyInformed: 'yes', hierarchyInformedDate: '2024-02-12' });
    const { header, row } = await exported(name);
    const changed = [...row.slice(0, -3), 'madame', 'non', ''];
    const { url, page } = await upload(`${header.join(';')}\r\n${changed.join(';')}\r\n`);
    assert.match(page, /Civilité : Monsieur → madame/);
    assert.match(page, /Hiérarchie informée au préalable : Oui → non/);
    await importAll(url);
    assert.deepEqual(Object.values(await stored(id)).slice(0, 3), ['madame', 'no', null]);
  });

  it('keeps a case’s values when the file has no column for them', async () => {
    const name = uniqueName('Import Ancien');
    const id = await createCase({ fullName: name, site: 'Agence Douai', civility: 'madame', hierarchyInformed: 'yes', hierarchyInformedDate: '2024-01-05' });
    const { header, row } = await exported(name);
    // A file in the format of the export before these columns: the site changes, nothing else.
    const older = header.slice(0, -3);
    const cells = row.slice(0, -3);
    cells[older.indexOf('Site')] = 'Agence Valenciennes';
    const { url, page } = await upload(`${older.join(';')}\r\n${cells.join(';')}\r\n`);
    assert.match(page, /Site : Agence Douai → Agence Valenciennes/);
    await importAll(url);
    const after = await ctx.db.selectFrom('agents').innerJoin('cases', 'cases.agentId', 'agents.id').select(['agents.site']).where('cases.id', '=', id).executeTakeFirstOrThrow();
    assert.equal(after.site, 'Agence Valenciennes');
    assert.deepEqual(Object.values(await stored(id)).slice(0, 3), ['madame', 'yes', '2024-01-05']);
  });

  it('creates cases with them, and refuses what the form refuses, naming the column', async () => {
    const header = ['N° dossier', 'Agent', 'Région', 'Campagne', 'Situations', ...HEADER_NEW];
    const situation = 'Dossier d’un·e agent FT ex-demandeur·se d’emploi';
    const created = uniqueName('Import Nouvelle');
    const lines = [
      ['', created, 'Hauts-de-France', wave2.name, situation, 'Madame', 'Oui', '12/02/2024'],
      ['', uniqueName('Import Civilité'), 'Hauts-de-France', wave2.name, situation, 'Mademoiselle', '', ''],
      ['', uniqueName('Import Réponse'), 'Hauts-de-France', wave2.name, situation, '', 'Peut-être', ''],
      ['', uniqueName('Import Date'), 'Hauts-de-France', wave2.name, situation, '', 'Non', '2024-02-12'],
      ['', uniqueName('Import Futur'), 'Hauts-de-France', wave2.name, situation, 'Non précisée', 'Oui', '2099-01-01'],
    ];
    const { url, page } = await upload(`${[header, ...lines].map((l) => l.join(';')).join('\r\n')}\r\n`);
    assert.match(page, /Ligne 3, colonne « Civilité » : Civilité inconnue : « Mademoiselle » \(valeurs possibles : Madame, Monsieur, Non précisée\)\./);
    assert.match(page, /Ligne 4, colonne « Hiérarchie informée au préalable » : Réponse inconnue : « Peut-être » \(valeurs possibles : Oui, Non, Non renseigné\)\./);
    assert.match(page, /Ligne 5, colonne « Date d’information de la hiérarchie » : Une date n’a de sens que si la hiérarchie avait été informée : répondez « Oui » ou effacez la date\./);
    assert.match(page, /Ligne 6, colonne « Date d’information de la hiérarchie » : La date à laquelle la hiérarchie a été informée ne peut pas être dans le futur\./);
    const res = await post(rep, `${url}/importer`, { mode: 'valides' });
    assert.equal(res.status, 303);
    await ctx.services.caseImports.settled();
    const row = await ctx.db
      .selectFrom('cases')
      .innerJoin('agents', 'agents.id', 'cases.agentId')
      .select(['agents.civility', 'cases.hierarchyInformed', 'cases.hierarchyInformedDate'])
      .where('agents.fullName', '=', created)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { civility: 'madame', hierarchyInformed: 'yes', hierarchyInformedDate: '2024-02-12' });
  });
});
