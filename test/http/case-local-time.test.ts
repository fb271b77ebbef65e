import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, csrfFrom, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, post, postForm, postWithFreshCsrf } from '../helpers/forms';
import { text } from '../helpers/html';
import { createBareCase } from '../fixtures/case-form';
import { readForm } from '../security/support';

/**
 * Issue 13, through the forms: every consultation time is typed, shown and classified in the
 * agent's own clock (« heure de La Réunion »), the agent's département decides the Alsace-Moselle
 * holidays, a time the clocks skipped is refused and one they passed twice is asked about, French
 * notations are read, and nothing is entered twice (consultations; events only when confirmed).
 * The rules themselves are unit-tested under test/unit (local-time, consultation-lines, off-hours).
 */

let ctx: TestContext;
/** rep covers Hauts-de-France, Grand Est, La Réunion and Martinique; outsider covers Île-de-France only: must never reach the cases above. */
let rep: Signed, outsider: Signed;
let wave2Id: number;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [rep, outsider] = await ctx.signInAll({ role: 'rep', name: 'Rose Représentante', regions: ['HDF', 'GES', 'REU', 'MTQ'] }, PEOPLE.outsider);
  wave2Id = await ctx.waveId(2);
});
after(() => ctx.close());

const createCase = (fields: Fields = {}) => createBareCase(rep, wave2Id, fields);

async function consultationsOf(caseId: number) {
  return ctx.db.selectFrom('consultations').selectAll().where('caseId', '=', caseId).orderBy('at').orderBy('id').execute();
}

async function agentOf(caseId: number) {
  return ctx.db
    .selectFrom('cases')
    .innerJoin('agents', 'agents.id', 'cases.agentId')
    .select(['agents.id', 'agents.regionCode', 'agents.departmentCode'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
}

async function caseRow(id: number) {
  return ctx.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** One `<section … aria-labelledby="id">` of a page, as HTML. */
function sectionHtml(html: string, labelledBy: string): string {
  const start = html.indexOf(`aria-labelledby="${labelledBy}"`);
  assert.ok(start >= 0, `section ${labelledBy} is on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

async function casePage(id: number) {
  const res = await rep.agent.get(`/dossiers/${id}`);
  assert.equal(res.status, 200);
  return { html: res.text, shown: text(res.text), consultations: text(sectionHtml(res.text, 'consultations-titre')) };
}

/** The consultations table's rows, each as its cells' text. */
function tableRows(html: string): string[][] {
  const table = sectionHtml(html, 'consultations-titre');
  return [...table.matchAll(/<tr>\s*(<td[\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1]!).trim()),
  );
}

const addOne = (caseId: number, fields: Fields) => post(rep, `/dossiers/${caseId}/consultations`, { action: 'consulted', explanation: 'unknown', ...fields });
const addList = (caseId: number, lines: string, fields: Fields = {}) => post(rep, `/dossiers/${caseId}/consultations/lot`, { lines, action: 'consulted', explanation: 'unknown', ...fields });

/** The flash messages a page shows after a redirect. */
async function flashes(id: number): Promise<string> {
  return text((await rep.agent.get(`/dossiers/${id}`)).text);
}

/** The value an input of the page carries, as the browser would show it. */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return tag ? text(/value="([^"]*)"/.exec(tag)?.[1] ?? '') : undefined;
}

// ---------------------------------------------------------------- the agent's clock

describe('consultation times in the agent’s own clock', () => {
  it('a Réunion agent’s « 14/05/2024 21h15 » is odd hours there, shown as 21:15, heure de La Réunion', async () => {
    const id = await createCase({ regionCode: 'REU', workDays: ['1', '2', '3', '4', '5'], workStart: '08:00', workEnd: '16:00' });
    const form = await rep.agent.get(`/dossiers/${id}`);
    assert.match(text(form.text), /Date et heure \* Par exemple : 14\/05\/2024 21:15 ou 14\/05\/24 21h15\. Heures saisies en heure de La Réunion \(heure de l’agent\) heure de Paris/, 'the single form says which clock, the agent’s by default');
    assert.match(text(form.text), /Une date et heure par ligne .* Heures saisies en heure de La Réunion \(heure de l’agent\) heure de Paris/, 'so does the pasted list');
    assert.match(form.text, /<input type="radio" name="clock" value="agent" checked>/);
    assert.match(form.text, /<input id="f-at" name="at" type="text"[^>]*placeholder="14\/05\/2024 21:15"/, 'a text field, not datetime-local, with an example');

    const res = await addOne(id, { at: '14/05/2024 21h15' });
    assert.equal(res.status, 303, text(res.text).slice(0, 300));
    const [stored] = await consultationsOf(id);
    assert.equal(stored?.at, '2024-05-14T17:15:00Z', '21:15 in Saint-Denis is 17:15 UTC (19:15 in Paris)');
    assert.equal(stored?.typedZone, 'Indian/Reunion');
    assert.equal((await caseRow(id)).oddHoursCount, 1, 'odd hours in the agent’s clock, not in Paris’s');

    const { html, consultations } = await casePage(id);
    assert.deepEqual(tableRows(html)[0]?.slice(0, 4), ['mardi 14 mai 2024', '21:15', '20 h – 5 h', 'non']);
    assert.match(html, /<caption class="visually-hidden">Consultations signalées, heure de La Réunion<\/caption>/);
    assert.match(html, /<th scope="col">Heure \(heure de La Réunion\)<\/th>/);
    assert.match(consultations, /La consultation relevée a eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\) : entre 20 h et 5 h\./);
    assert.doesNotMatch(consultations, /à vérifier/, 'typed in the agent’s clock: nothing to check');
  });

  it('a Martinique agent’s 16:10 consultation is not odd hours, though it was 22:10 in Paris', async () => {
    const id = await createCase({ regionCode: 'MTQ' });
    assert.equal((await addOne(id, { at: '14/05/2024 16:10' })).status, 303);
    assert.deepEqual((await consultationsOf(id)).map((c) => [c.at, c.typedZone]), [['2024-05-14T20:10:00Z', 'America/Martinique']]);
    assert.equal((await caseRow(id)).oddHoursCount, 0);
    const { html, consultations } = await casePage(id);
    assert.deepEqual(tableRows(html)[0]?.slice(0, 3), ['mardi 14 mai 2024', '16:10', 'non']);
    assert.match(consultations, /La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de la Martinique\)\./);
  });

  it('a Moselle agent’s Good Friday consultation has the « Vendredi saint : férié » badge; a Lille agent’s the same day has none', async () => {
    const moselle = await createCase({ regionCode: 'GES', departmentCode: '57' });
    const lille = await createCase({ regionCode: 'HDF', departmentCode: '59' });
    for (const id of [moselle, lille]) assert.equal((await addOne(id, { at: '29/03/2024 10:00' })).status, 303);

    const inMoselle = await casePage(moselle);
    assert.deepEqual(tableRows(inMoselle.html)[0]?.slice(0, 3), ['vendredi 29 mars 2024 Vendredi saint : férié', '10:00', 'non'], 'the holiday beside the date, never « hors normes »');
    assert.match(inMoselle.consultations, /Elle a eu lieu un jour férié/);
    assert.equal((await caseRow(moselle)).oddHoursCount, 1);
    assert.match(inMoselle.shown, /Département 57 – Moselle/, 'the département is on the case page');
    assert.match(inMoselle.shown, /avec les jours fériés d’Alsace-Moselle : les onze nationaux, le Vendredi saint et le 26 décembre/);

    const inLille = await casePage(lille);
    assert.deepEqual(tableRows(inLille.html)[0]?.slice(0, 3), ['vendredi 29 mars 2024', '10:00', 'non']);
    assert.doesNotMatch(inLille.consultations, /férié/);
    assert.equal((await caseRow(lille)).oddHoursCount, 0);
    assert.match(inLille.shown, /Département 59 – Nord/);
    assert.match(inLille.shown, /avec les onze jours fériés nationaux/);
  });

  it('the 8 May badge names the holiday, « 8 mai : férié », beside the date, not under « Hors normes »', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '08/05/2024 10:00' })).status, 303);
    assert.equal((await addOne(id, { at: '08/05/2024 21:00' })).status, 303);
    const { html } = await casePage(id);
    assert.deepEqual(tableRows(html).map((r) => [r[0], r[2]]), [
      ['mercredi 8 mai 2024 8 mai : férié', 'non'],
      ['mercredi 8 mai 2024 8 mai : férié', '20 h – 5 h'],
    ]);
    assert.match(html, /<th scope="col">Hors normes \(direction\)<\/th>/);
  });

  it('deadlines count the Moselle holidays: a sanction two working days after a Wednesday hearing is in time in Lille, too early in Moselle', async () => {
    const deadlines = async (id: number) => text(sectionHtml((await rep.agent.get(`/dossiers/${id}`)).text, 'delais'));
    const moselle = await createCase({ regionCode: 'GES', departmentCode: '57', knowledgeDate: '2024-03-01' });
    const lille = await createCase({ regionCode: 'HDF', knowledgeDate: '2024-03-01' });
    for (const id of [moselle, lille]) {
      for (const event of [
        { type: 'pre_disciplinary_convocation', date: '2024-03-18', hearingDate: '2024-03-27' },
        { type: 'sanction_notified', date: '2024-03-30', sanctionKind: 'blame' },
      ]) {
        assert.equal((await post(rep, `/dossiers/${id}/evenements`, event)).status, 303);
      }
    }
    // Thursday 28 and Friday 29 March are two working days in Lille; Good Friday is not one in Moselle.
    const inLille = await deadlines(lille);
    assert.match(inLille, /pas avant le 30 mars 2024/);
    assert.doesNotMatch(inLille, /Étapes disciplinaires hors des délais légaux/);
    const inMoselle = await deadlines(moselle);
    assert.match(inMoselle, /pas avant le 31 mars 2024/);
    assert.match(inMoselle, /Étapes disciplinaires hors des délais légaux .*moins de deux jours ouvrables pleins après l’entretien préalable du 27 mars 2024/);
  });

  it('the creation form’s pasted list is read in the clock of the region chosen in the same form', async () => {
    const page = text((await rep.agent.get('/dossiers/nouveau')).text);
    assert.match(page, /Dates et heures \(heure locale de l’agent\)/);
    assert.match(page, /Heure locale de l’agent, selon la région choisie : heure de Paris en métropole et en Corse, heure de la Martinique, heure de La Réunion\./);
    const id = await createCase({ regionCode: 'REU', consultationsText: '14/05/24 21h15\n15/05/2024 à 9h' });
    assert.deepEqual(
      (await consultationsOf(id)).map((c) => [c.at, c.typedZone]),
      [
        ['2024-05-14T17:15:00Z', 'Indian/Reunion'],
        ['2024-05-15T05:00:00Z', 'Indian/Reunion'],
      ],
    );
    // A new case for an agent already followed reads the list in that agent's clock.
    const { id: agentId } = await agentOf(id);
    const again = await rep.agent.get(`/dossiers/nouveau?agent=${agentId}`);
    assert.match(text(again.text), /En heure de La Réunion, l’heure locale de Agent/);
    const second = await createCase({ existingAgentId: String(agentId), regionCode: 'HDF', consultationsText: '16/05/2024 21:00' });
    assert.deepEqual((await consultationsOf(second)).map((c) => [c.at, c.typedZone]), [['2024-05-16T17:00:00Z', 'Indian/Reunion']]);
  });

  it('a pasted list refused on the creation form names the clock it was read in', async () => {
    const res = await post(rep, '/dossiers', { fullName: 'Agent Refusé Réunion', regionCode: 'REU', employmentStatus: 'private', campaignId: String(wave2Id), situations: ['odd_hours'], consultationsText: '14/05/2024 21:15\nhier' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Ligne 2 \(« hier »\) : date ou heure illisible\. Format attendu, en heure de La Réunion : 14\/05\/2024 21:15 ou 14\/05\/24 21h15\./);
    assert.ok(res.text.includes('>14/05/2024 21:15\nhier</textarea>'), 'the list is kept as pasted');
  });

  it('points out rows typed in another clock than the agent’s present one', async () => {
    const id = await createCase({ regionCode: 'REU' });
    assert.equal((await addOne(id, { at: '14/05/2024 21:15' })).status, 303);
    // A row typed before zones existed: read as Paris time, whatever the agent's region.
    await ctx.db.insertInto('consultations').values({ caseId: id, at: '2024-05-15T19:30:00Z', action: 'consulted', explanation: 'unknown', explanationText: '', typedZone: null }).execute();
    let rows = tableRows((await casePage(id)).html);
    assert.deepEqual(rows.map((r) => r[1]), ['21:15', '23:30 saisie en heure de Paris : à vérifier']);

    // The agent moves to Hauts-de-France: the Réunion-typed row is now the one to check.
    const edit = await rep.agent.get(`/dossiers/${id}/modifier`);
    const body = { ...readForm(edit.text, `/dossiers/${id}`), regionCode: 'HDF', departmentCode: '' };
    assert.equal((await post(rep, `/dossiers/${id}`, body)).status, 303);
    rows = tableRows((await casePage(id)).html);
    assert.deepEqual(rows.map((r) => r[1]), ['19:15 saisie en heure de La Réunion : à vérifier', '21:30']);
  });
});

// ---------------------------------------------------------------- the direction's list in Paris time

describe('« Heures saisies en » : the direction’s list may give Paris times', () => {
  it('a Martinique agent’s time typed in Paris time is read there, stored with that zone, classified in the agent’s clock, and said so', async () => {
    const id = await createCase({ regionCode: 'MTQ' });
    const res = await addOne(id, { at: '14/05/2024 22:10', clock: 'paris' });
    assert.equal(res.status, 303, text(res.text).slice(0, 300));
    assert.deepEqual((await consultationsOf(id)).map((c) => [c.at, c.typedZone]), [['2024-05-14T20:10:00Z', 'Europe/Paris']]);
    assert.equal((await caseRow(id)).oddHoursCount, 0, '16:10 in Fort-de-France: not odd hours, though 22:10 in Paris');
    const { html, shown } = await casePage(id);
    assert.match(shown, /1 consultation ajoutée : 14\/05\/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique\./);
    assert.deepEqual(tableRows(html)[0]?.slice(0, 3), ['mardi 14 mai 2024', '16:10 saisie en heure de Paris', 'non']);
    assert.match(html, /<span class="badge badge--muted badge--wrap">saisie en heure de Paris<\/span>/, 'a choice, said, not a doubt');
    assert.doesNotMatch(sectionHtml(html, 'consultations-titre'), /à vérifier/);

    // The review page of a brief has nothing to warn about.
    const review = await rep.agent.get(`/dossiers/${id}/argumentaire`);
    assert.equal(review.status, 200);
    assert.doesNotMatch(text(review.text), /saisies? dans une autre heure/);
    // A row stored before zones existed is the one to check, and the only one counted.
    await ctx.db.insertInto('consultations').values({ caseId: id, at: '2024-05-15T19:30:00Z', action: 'consulted', explanation: 'unknown', explanationText: '', typedZone: null }).execute();
    assert.match(text((await rep.agent.get(`/dossiers/${id}/argumentaire`)).text), /Une consultation du dossier a été saisie dans une autre heure que celle de l’agent \(heure de la Martinique\)/);
    assert.deepEqual(tableRows((await casePage(id)).html).map((r) => r[1]), ['16:10 saisie en heure de Paris', '15:30 saisie en heure de Paris : à vérifier']);
  });

  it('the choice is kept when the form is refused, and a Paris time the clocks passed twice is asked about', async () => {
    const id = await createCase({ regionCode: 'MTQ' });
    const refused = await addOne(id, { at: '14/05/2024 22:10', clock: 'paris', explanation: 'nope' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /<input type="radio" name="clock" value="paris" checked>/);
    assert.match(refused.text, /<input type="radio" name="clock" value="agent" >/);
    const asked = await addOne(id, { at: '27/10/2024 02:30', clock: 'paris' });
    assert.equal(asked.status, 400);
    assert.match(text(asked.text), /Le 27\/10\/2024 à 02:30 a eu lieu deux fois en heure de Paris/);
    assert.match(asked.text, /<input type="radio" name="clock" value="paris" checked>/);
    assert.equal((await addOne(id, { at: '27/10/2024 02:30', clock: 'paris', fold: 'winter' })).status, 303);
    assert.equal((await addOne(id, { at: '27/10/2024 02:30' })).status, 303, 'in Martinique time, no clock change: no question');
    assert.deepEqual((await consultationsOf(id)).map((c) => [c.at, c.typedZone]), [
      ['2024-10-27T01:30:00Z', 'Europe/Paris'],
      ['2024-10-27T06:30:00Z', 'America/Martinique'],
    ]);
  });

  it('a pasted list in Paris time: each line read there, the flash says what each became', async () => {
    const id = await createCase({ regionCode: 'MTQ' });
    const refused = await addList(id, '14/05/2024 22:10\nbonjour', { clock: 'paris' });
    assert.equal(refused.status, 400);
    assert.match(text(refused.text), /Format attendu, en heure de Paris/);
    assert.match(refused.text, /<input type="radio" name="clock" value="paris" checked>/, 'the choice is kept');
    assert.equal((await addList(id, '14/05/2024 22:10\n15/05/2024 03:00', { clock: 'paris' })).status, 303);
    assert.deepEqual((await consultationsOf(id)).map((c) => [c.at, c.typedZone]), [
      ['2024-05-14T20:10:00Z', 'Europe/Paris'],
      ['2024-05-15T01:00:00Z', 'Europe/Paris'],
    ]);
    assert.match(
      await flashes(id),
      /2 consultation\(s\) ajoutée\(s\) : 14\/05\/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique ; 15\/05\/2024 03:00 heure de Paris, soit 14\/05\/2024 21:00 heure de la Martinique\./,
    );
  });

  it('the creation form’s list too, for an agent outside Paris time; no choice for a Paris-time agent', async () => {
    const page = await rep.agent.get('/dossiers/nouveau');
    assert.match(text(page.text), /Heures saisies en heure locale de l’agent heure de Paris/);
    const refused = await post(rep, '/dossiers', { fullName: 'Agent Refusé Martinique', regionCode: 'MTQ', employmentStatus: 'private', campaignId: String(wave2Id), situations: ['odd_hours'], consultationsText: '14/05/2024 22:10\nhier', consultationsClock: 'paris' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /<input type="radio" name="consultationsClock" value="paris" checked>/);
    const id = await createCase({ regionCode: 'MTQ', consultationsText: '14/05/2024 22:10', consultationsClock: 'paris' });
    assert.deepEqual((await consultationsOf(id)).map((c) => [c.at, c.typedZone]), [['2024-05-14T20:10:00Z', 'Europe/Paris']]);
    assert.match((await casePage(id)).shown, /1 consultation\(s\) ajoutée\(s\) : 14\/05\/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique\./);
    const { id: agentId } = await agentOf(id);
    assert.match(text((await rep.agent.get(`/dossiers/nouveau?agent=${agentId}`)).text), /Heures saisies en heure de la Martinique \(heure de l’agent\) heure de Paris/);

    const paris = await createCase({ regionCode: 'HDF' });
    const parisPage = await rep.agent.get(`/dossiers/${paris}`);
    assert.doesNotMatch(parisPage.text, /name="clock"/, 'a Paris-time agent: the form as it was');
    assert.match(text(parisPage.text), /Date et heure \(heure de Paris\)/);
    const { id: parisAgent } = await agentOf(paris);
    assert.doesNotMatch((await rep.agent.get(`/dossiers/nouveau?agent=${parisAgent}`)).text, /name="consultationsClock"/);
  });

  it('the fold advice is for Paris time only', async () => {
    const overseas = text((await rep.agent.get(`/dossiers/${await createCase({ regionCode: 'REU' })}`)).text);
    assert.match(overseas, /En heure de Paris, pour une heure passée deux fois au passage à l’heure d’hiver, ajoutez « \(été\) » ou « \(hiver\) »/);
    assert.doesNotMatch(overseas, /\. Pour une heure passée deux fois/);
    const mainland = text((await rep.agent.get(`/dossiers/${await createCase({ regionCode: 'HDF' })}`)).text);
    assert.match(mainland, /\. Pour une heure passée deux fois au passage à l’heure d’hiver, ajoutez/);
  });

  it('a Paris agent’s row stored before zones existed on a clock-change hour is to check; an ordinary one is not', async () => {
    const id = await createCase({ regionCode: 'HDF' });
    for (const at of ['2024-10-27T01:30:00Z', '2024-03-31T01:30:00Z', '2024-05-14T19:15:00Z']) {
      await ctx.db.insertInto('consultations').values({ caseId: id, at, action: 'consulted', explanation: 'unknown', explanationText: '', typedZone: null }).execute();
    }
    const check = 'saisie pendant un changement d’heure, avant que Vigie ne le demande : à vérifier';
    assert.deepEqual(tableRows((await casePage(id)).html).map((r) => r[1]), [`03:30 ${check}`, '21:15', `02:30 (heure d’hiver) ${check}`]);
  });
});

// ---------------------------------------------------------------- French notation

describe('French notation', () => {
  it('reads « 21h15 », « 21 h 15 », « 21h », « 21:15 » and two-digit years', async () => {
    const id = await createCase();
    const typed: Array<[string, string]> = [
      ['14/05/2024 21h15', '2024-05-14T19:15:00Z'],
      ['15/05/2024 21 h 15', '2024-05-15T19:15:00Z'],
      ['16/05/2024 21h', '2024-05-16T19:00:00Z'],
      ['17/05/2024 21:15', '2024-05-17T19:15:00Z'],
      ['18/05/24 21h15', '2024-05-18T19:15:00Z'],
      ['19/05/24 à 6h05', '2024-05-19T04:05:00Z'],
    ];
    for (const [at] of typed) {
      const res = await addOne(id, { at });
      assert.equal(res.status, 303, `${at}: ${text(res.text).slice(0, 200)}`);
    }
    assert.deepEqual((await consultationsOf(id)).map((c) => c.at), typed.map(([, at]) => at));
    // The same notations in a pasted list.
    const listed = await createCase();
    assert.equal((await addList(listed, typed.map(([t]) => t).join('\n'))).status, 303);
    assert.deepEqual((await consultationsOf(listed)).map((c) => c.at), typed.map(([, at]) => at));
  });
});

// ---------------------------------------------------------------- clock changes

describe('clock changes', () => {
  it('refuses a time the clocks skipped, explaining the change, and keeps the value typed', async () => {
    const id = await createCase();
    const res = await addOne(id, { at: '31/03/2024 02:30', explanationText: 'précision gardée' });
    assert.equal(res.status, 400);
    assert.match(
      text(res.text),
      /Le 31\/03\/2024 à 02:30 n’a pas existé en heure de Paris : cette nuit-là, les horloges ont avancé d’une heure \(passage à l’heure d’été\)\. Vérifiez l’heure relevée\./,
    );
    assert.equal(inputValue(res.text, 'at'), '31/03/2024 02:30');
    assert.equal(inputValue(res.text, 'explanationText'), 'précision gardée');
    assert.match(res.text, /<input id="f-at" name="at"[^>]*aria-invalid="true"/);
    assert.deepEqual(await consultationsOf(id), []);
  });

  it('asks which of the two for a time the clocks passed twice, then stores the one chosen', async () => {
    const id = await createCase();
    const asked = await addOne(id, { at: '27/10/2024 02:30' });
    assert.equal(asked.status, 400);
    const shown = text(asked.text);
    assert.match(shown, /Le 27\/10\/2024 à 02:30 a eu lieu deux fois en heure de Paris : cette nuit-là, les horloges ont reculé d’une heure \(passage à l’heure d’hiver\)\. Précisez s’il s’agit de la première \(heure d’été\) ou de la seconde \(heure d’hiver\)\./);
    assert.match(shown, /Laquelle des deux \? .* heure d’été \(la première\) heure d’hiver \(la seconde\)/);
    assert.match(asked.text, /<input type="radio" name="fold" value="summer" >/, 'nothing chosen for the rep');
    assert.match(asked.text, /<input type="radio" name="fold" value="winter" >/);
    assert.equal(inputValue(asked.text, 'at'), '27/10/2024 02:30', 'the time typed is kept');
    assert.deepEqual(await consultationsOf(id), [], 'nothing stored without an answer');

    const winter = await addOne(id, { at: '27/10/2024 02:30', fold: 'winter' });
    assert.equal(winter.status, 303);
    const summer = await addOne(id, { at: '27/10/2024 02:30', fold: 'summer' });
    assert.equal(summer.status, 303, 'the other one is another instant');
    assert.deepEqual((await consultationsOf(id)).map((c) => c.at), ['2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z']);
    const rows = tableRows((await casePage(id)).html);
    assert.deepEqual(rows.map((r) => r[1]), ['02:30 (heure d’été)', '02:30 (heure d’hiver)']);

    // The answer is kept when another field is refused, and the question stays on screen.
    const other = await addOne(id, { at: '27/10/2024 02:45', fold: 'summer', explanation: 'nope' });
    assert.equal(other.status, 400);
    assert.match(other.text, /<input type="radio" name="fold" value="summer" checked>/);
  });

  it('a fold given for an ordinary time changes nothing', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '14/05/2024 21:15', fold: 'winter' })).status, 303);
    assert.deepEqual((await consultationsOf(id)).map((c) => c.at), ['2024-05-14T19:15:00Z']);
  });

  it('a pasted list names each problem line; « (été) » and « (hiver) » at the end of a line answer the question', async () => {
    const id = await createCase();
    const lines = ['27/10/2024 02:30 (hiver)', '27/10/2024 02:30 (été)', '31/03/2024 02:30', '27/10/2024 02:15', 'bonjour', '14/05/2024 21:15'].join('\n');
    const refused = await addList(id, lines);
    assert.equal(refused.status, 400);
    assert.match(
      text(refused.text),
      /Ligne 3 \(« 31\/03\/2024 02:30 »\) : heure qui n’a pas existé \(passage à l’heure d’été\) ; ligne 4 \(« 27\/10\/2024 02:15 »\) : heure passée deux fois \(passage à l’heure d’hiver\) : ajoutez « \(été\) » ou « \(hiver\) » en fin de ligne ; ligne 5 \(« bonjour »\) : date ou heure illisible\. Format attendu, en heure de Paris/,
    );
    assert.ok(refused.text.includes(`>${lines}</textarea>`), 'the list is kept as pasted');
    assert.deepEqual(await consultationsOf(id), [], 'one bad line refuses the whole list');

    const fixed = ['27/10/2024 02:30 (hiver)', '27/10/2024 02:30 (été)', '27/10/2024 02:15 heure d’été', '14/05/2024 21:15'].join('\n');
    assert.equal((await addList(id, fixed)).status, 303);
    assert.deepEqual(
      (await consultationsOf(id)).map((c) => c.at),
      ['2024-05-14T19:15:00Z', '2024-10-27T00:15:00Z', '2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z'],
    );
  });
});

// ---------------------------------------------------------------- duplicates

describe('nothing entered twice', () => {
  it('refuses a consultation already on the case, however it is written, keeping the value', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '14/05/2024 21:15' })).status, 303);
    for (const at of ['14/05/2024 21:15', '14/05/24 21h15', '2024-05-14T21:15']) {
      const res = await addOne(id, { at });
      assert.equal(res.status, 400, at);
      assert.match(text(res.text), /Cette consultation est déjà saisie sur ce dossier/);
      assert.equal(inputValue(res.text, 'at'), at);
    }
    assert.equal((await consultationsOf(id)).length, 1);
  });

  it('a pasted list stores the new lines and says which were already there', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '14/05/2024 21:15' })).status, 303);
    const res = await addList(id, ['15/05/2024 22:00', '14/05/24 21h15', '16/05/2024 23:00', '15/05/2024 22h00'].join('\n'));
    assert.equal(res.status, 303);
    assert.deepEqual((await consultationsOf(id)).map((c) => c.at), ['2024-05-14T19:15:00Z', '2024-05-15T20:00:00Z', '2024-05-16T21:00:00Z']);
    const { shown } = await casePage(id);
    assert.match(shown, /2 consultation\(s\) ajoutée\(s\)\./);
    assert.match(shown, /Non ajoutée\(s\), car déjà saisie\(s\) : ligne 2 \(« 14\/05\/24 21h15 »\) : déjà saisie ; ligne 4 \(« 15\/05\/2024 22h00 »\) : déjà saisie \(ligne 1\)\./);

    // Only lines already there: nothing added, and said so.
    assert.equal((await addList(id, '14/05/2024 21:15')).status, 303);
    const again = (await casePage(id)).shown;
    assert.match(again, /Non ajoutée\(s\), car déjà saisie\(s\) : ligne 1 \(« 14\/05\/2024 21:15 »\) : déjà saisie\./);
    assert.doesNotMatch(again, /consultation\(s\) ajoutée\(s\)/);
    assert.equal((await consultationsOf(id)).length, 3);
  });

  it('a list with other problems is refused whole, and says which lines are already there', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '14/05/2024 21:15' })).status, 303);
    const res = await addList(id, '14/05/2024 21:15\n32/05/2024 10:00');
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Ligne 2 \(« 32\/05\/2024 10:00 »\) : date ou heure illisible\..* Déjà saisies, ces lignes ne seront pas ajoutées une seconde fois : ligne 1 \(« 14\/05\/2024 21:15 »\) : déjà saisie\./);
    assert.equal((await consultationsOf(id)).length, 1);
  });

  it('the creation form’s list keeps one of two identical lines and says so', async () => {
    const id = await createCase({ consultationsText: '14/05/2024 21:15\n14/05/24 21h15' });
    assert.equal((await consultationsOf(id)).length, 1);
    const { shown } = await casePage(id);
    assert.match(shown, /Dossier créé\./);
    assert.match(shown, /1 consultation\(s\) ajoutée\(s\)\./);
    assert.match(shown, /ligne 2 \(« 14\/05\/24 21h15 »\) : déjà saisie \(ligne 1\)/);
  });

  it('an event identical to one on the timeline is asked about, then added when confirmed', async () => {
    const id = await createCase();
    const event = { type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame', note: 'Reçue en recommandé.' };
    assert.equal((await post(rep, `/dossiers/${id}/evenements`, event)).status, 303);
    const count = async () => (await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', id).execute()).length;

    const asked = await post(rep, `/dossiers/${id}/evenements`, { ...event, note: '  Reçue en recommandé.  ' });
    assert.equal(asked.status, 409);
    assert.match(text(asked.text), /Cet événement est déjà au suivi : « Sanction notifiée — blâme » du 15 octobre 2024, avec la même note\. S’il s’est vraiment produit deux fois, cochez « Ajouter quand même »\./);
    assert.match(asked.text, /<input type="checkbox" id="f-confirmDuplicate" name="confirmDuplicate" value="on"[^>]*> Ajouter quand même/);
    assert.match(asked.text, /<option value="sanction_notified" selected>/, 'the event typed is kept');
    assert.ok(asked.text.includes('>  Reçue en recommandé.  </textarea>') || asked.text.includes('Reçue en recommandé.</textarea>'), 'the note is kept');
    assert.equal(await count(), 1);

    assert.equal((await post(rep, `/dossiers/${id}/evenements`, { ...event, confirmDuplicate: 'on' })).status, 303);
    assert.equal(await count(), 2);
    // Another note, another kind or another date is another event: no question.
    for (const other of [{ note: 'Remise en main propre.' }, { sanctionKind: 'avertissement' }, { date: '2024-10-16' }]) {
      assert.equal((await post(rep, `/dossiers/${id}/evenements`, { ...event, ...other })).status, 303, JSON.stringify(other));
    }
    assert.equal(await count(), 5);
  });
});

describe('nothing entered twice: corrections, notes, long lists, seconds', () => {
  const count = async (id: number) => (await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', id).execute()).length;

  it('correcting an event into a twin of another is asked about (« Corriger quand même »), then done when confirmed', async () => {
    const id = await createCase();
    const first = { type: 'interview_held', date: '2024-09-16', note: 'Avec la manager.' };
    assert.equal((await post(rep, `/dossiers/${id}/evenements`, first)).status, 303);
    assert.equal((await post(rep, `/dossiers/${id}/evenements`, { ...first, date: '2024-09-17' })).status, 303);
    const events = await ctx.db.selectFrom('caseEvents').select(['id', 'date']).where('caseId', '=', id).orderBy('date').execute();
    const second = events[1]!;
    // Saving an event unchanged is no twin of itself.
    assert.equal((await post(rep, `/dossiers/${id}/evenements/${events[0]!.id}`, first)).status, 303);

    const asked = await post(rep, `/dossiers/${id}/evenements/${second.id}`, { ...first, note: 'Avec la manager.\r\n' });
    assert.equal(asked.status, 409);
    assert.match(text(asked.text), /Cet événement est déjà au suivi : « Entretien tenu » du 16 septembre 2024, avec la même note\. S’il s’est vraiment produit deux fois, cochez « Corriger quand même »\./);
    assert.match(asked.text, /<input type="checkbox" id="f-confirmDuplicate" name="confirmDuplicate" value="on"[^>]*> Corriger quand même/);
    assert.equal((await ctx.db.selectFrom('caseEvents').select('date').where('id', '=', second.id).executeTakeFirstOrThrow()).date, '2024-09-17', 'nothing corrected');

    assert.equal((await post(rep, `/dossiers/${id}/evenements/${second.id}`, { ...first, confirmDuplicate: 'on' })).status, 303);
    assert.equal((await ctx.db.selectFrom('caseEvents').select('date').where('id', '=', second.id).executeTakeFirstOrThrow()).date, '2024-09-16');
    assert.equal(await count(id), 2);
  });

  it('notes differing only in line endings and spaces are the same; the confirmation is kept through another error', async () => {
    const id = await createCase();
    const event = { type: 'report_received', date: '2024-10-01', note: 'Reçu le 1er.\r\nÀ contester.' };
    assert.equal((await post(rep, `/dossiers/${id}/evenements`, event)).status, 303);
    const asked = await post(rep, `/dossiers/${id}/evenements`, { ...event, note: '  Reçu  le 1er.\nÀ contester. ' });
    assert.equal(asked.status, 409);
    assert.match(text(asked.text), /Cet événement est déjà au suivi/);
    // Confirmed, but another field refused: the box stays ticked.
    const other = await post(rep, `/dossiers/${id}/evenements`, { ...event, confirmDuplicate: 'on', hearingDate: '2024-09-01' });
    assert.equal(other.status, 400);
    assert.match(other.text, /<input type="checkbox" id="f-confirmDuplicate" name="confirmDuplicate" value="on"[^>]*checked> Ajouter quand même/);
    assert.equal(await count(id), 1);
  });

  it('seconds are shown when not zero; the removal label names the seconds and the fold', async () => {
    const id = await createCase();
    assert.equal((await addList(id, '14/05/2024 21:15:07\n14/05/2024 21:15\n27/10/2024 02:30 (hiver)')).status, 303);
    const { html } = await casePage(id);
    assert.deepEqual(tableRows(html).map((r) => r[1]), ['21:15', '21:15:07', '02:30 (heure d’hiver)']);
    assert.match(html, /<span class="visually-hidden"> la consultation du 14 mai 2024 à 21:15:07<\/span>/);
    assert.match(html, /<span class="visually-hidden"> la consultation du 27 octobre 2024 à 02:30 \(heure d’hiver\)<\/span>/);
  });

  it('a single add already there echoes the time as stored, with the clock chosen', async () => {
    const id = await createCase();
    assert.equal((await addOne(id, { at: '27/10/2024 02:30', fold: 'winter' })).status, 303);
    const again = await addOne(id, { at: '27/10/24 2h30', fold: 'winter' });
    assert.equal(again.status, 400);
    assert.match(text(again.text), /Cette consultation est déjà saisie sur ce dossier : 27\/10\/2024 02:30 \(heure d’hiver\), heure de Paris\./);
  });

  it('a re-pasted long list is summarised, and a list too long is not sent back to its format', async () => {
    const id = await createCase();
    const lines = Array.from({ length: 12 }, (_, i) => `14/05/2024 21:${String(10 + i).padStart(2, '0')}`);
    assert.equal((await addList(id, lines.join('\n'))).status, 303);
    assert.equal((await addList(id, lines.join('\n'))).status, 303);
    const shown = await flashes(id);
    assert.match(shown, /Non ajoutées, car déjà saisies : 12 lignes déjà saisies \(lignes 1 à 12\)\./);
    assert.doesNotMatch(shown, /ligne 3 \(/);
    const tooLong = Array.from({ length: 501 }, (_, i) => `15/05/2024 ${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`);
    const refused = await addList(id, tooLong.join('\n'));
    assert.equal(refused.status, 400);
    assert.match(text(refused.text), /Plus de 500 lignes\. Collez-la en plusieurs fois\./);
    assert.doesNotMatch(text(refused.text), /Format attendu/);
  });
});

// ---------------------------------------------------------------- the agent's département

describe('the agent’s département', () => {
  it('is a select grouped by the regions the user may choose, « Non précisé » first', async () => {
    const res = await rep.agent.get('/dossiers/nouveau');
    const select = /<select id="f-departmentCode" name="departmentCode"[\s\S]*?<\/select>/.exec(res.text)?.[0] ?? '';
    assert.match(select, /^<select[^>]*>\s*<option value="">Non précisé<\/option>/);
    assert.deepEqual([...select.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]), ['Grand Est', 'Hauts-de-France', 'Martinique', 'La Réunion']);
    assert.match(select, /<option value="57" >57 – Moselle<\/option>/);
    assert.doesNotMatch(select, /value="75"/, 'no département of a region the rep does not cover');
  });

  it('refuses a département of another region, with a French message, keeping what was typed', async () => {
    const res = await post(rep, '/dossiers', { fullName: 'Agent Mal Placé', regionCode: 'HDF', departmentCode: '57', employmentStatus: 'private', campaignId: String(wave2Id), situations: ['odd_hours'] });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Le département 57 – Moselle n’est pas dans la région choisie : choisissez un département de cette région, ou « Non précisé »\./);
    assert.match(res.text, /<option value="57" selected>57 – Moselle<\/option>/);
    assert.equal(inputValue(res.text, 'fullName'), 'Agent Mal Placé');
    const unknown = await post(rep, '/dossiers', { fullName: 'Agent Inconnu', regionCode: 'HDF', departmentCode: '999', employmentStatus: 'private', campaignId: String(wave2Id), situations: ['odd_hours'] });
    assert.equal(unknown.status, 400);
    assert.match(text(unknown.text), /Département inconnu : choisissez-le dans la liste\./);
  });

  it('is implied for an overseas region, whatever is sent, and kept through the edit form', async () => {
    for (const sent of ['', '59', '974']) {
      const id = await createCase({ regionCode: 'REU', departmentCode: sent });
      assert.equal((await agentOf(id)).departmentCode, '974', `sent « ${sent} »`);
    }
    const id = await createCase({ regionCode: 'REU' });
    assert.match((await casePage(id)).shown, /Département 974 – La Réunion/);
    assert.match((await casePage(id)).shown, /avec les onze jours fériés nationaux et celui de l’abolition de l’esclavage \(le 20 décembre\)/);
  });

  it('a mainland département is kept as chosen, shown on the edit form and kept by an edit', async () => {
    const id = await createCase({ regionCode: 'GES', departmentCode: '57' });
    assert.equal((await agentOf(id)).departmentCode, '57');
    const edit = await rep.agent.get(`/dossiers/${id}/modifier`);
    assert.match(edit.text, /<option value="57" selected>57 – Moselle<\/option>/);
    const body = readForm(edit.text, `/dossiers/${id}`);
    assert.equal(body.departmentCode, '57');
    assert.equal((await post(rep, `/dossiers/${id}`, { ...body, site: 'Agence Metz' })).status, 303);
    assert.equal((await agentOf(id)).departmentCode, '57');
    // « Non précisé » is an answer too; in Grand Est, the page then asks for it.
    assert.equal((await post(rep, `/dossiers/${id}`, { ...body, departmentCode: '' })).status, 303);
    assert.equal((await agentOf(id)).departmentCode, null);
    assert.match((await casePage(id)).shown, /Département Non précisé/);
    assert.match((await casePage(id)).shown, /Le département de l’agent n’est pas précisé : s’il travaille en Moselle/);
  });
});

// ---------------------------------------------------------------- refusals

describe('refusals on the consultation forms with the new fields', () => {
  it('no session, another region, or no CSRF token: nothing stored', async () => {
    const id = await createCase({ regionCode: 'REU' });
    const fields = { at: '27/10/2024 02:30', fold: 'winter', action: 'consulted', explanation: 'unknown' };
    // A visitor with a valid token of their own (from the sign-in page), but no session.
    const visitor = ctx.agent();
    const anonymous = await postForm(visitor, `/dossiers/${id}/consultations`, { ...fields, _csrf: await csrfFrom(visitor, '/connexion') });
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/connexion');
    assert.equal((await postWithFreshCsrf(outsider.agent, `/dossiers/${id}/consultations`, fields)).status, 404);
    assert.equal((await postWithFreshCsrf(outsider.agent, `/dossiers/${id}/consultations/lot`, { lines: '27/10/2024 02:30 (hiver)', action: 'consulted', explanation: 'unknown' })).status, 404);
    assert.equal((await postWithFreshCsrf(outsider.agent, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16', confirmDuplicate: 'on' })).status, 404);
    assert.equal((await postForm(rep.agent, `/dossiers/${id}/consultations`, { ...fields, _csrf: 'pas-le-bon' })).status, 403);
    assert.equal((await postForm(rep.agent, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16', confirmDuplicate: 'on' })).status, 403);
    assert.deepEqual(await consultationsOf(id), []);
  });
});
