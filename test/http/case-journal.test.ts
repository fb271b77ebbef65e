/**
 * A case's access log (« Journal du dossier »): on the case page and whole at /dossiers/:id/journal.
 * Who viewed, changed, generated or downloaded a brief of, or exported the case, and when; names,
 * never content; shown only to those who may see the case; reading it is itself recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, post } from '../helpers/forms';
import { decode, text } from '../helpers/html';
import { caseFormsOf, postCase } from '../fixtures/case-form';
import { uniqueNames } from '../fixtures/names';

let ctx: TestContext;
/** outsider covers Île-de-France only: must never reach a Hauts-de-France case or its journal. */
let admin: Signed, rep: Signed, colleague: Signed, outsider: Signed;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [admin, rep, colleague, outsider] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep, PEOPLE.colleague, PEOPLE.outsider);
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

const caseForm = caseFormsOf(uniqueNames('Journal'));

function createCase(overrides: Fields = {}, who: Signed = rep): Promise<number> {
  return postCase(who, caseForm(overrides));
}

/** Generates a brief version with one free paragraph; returns its id. */
async function generateBrief(caseId: number, who: Signed = rep): Promise<number> {
  const res = await post(who, `/dossiers/${caseId}/argumentaire`, {
    purpose: 'letter',
    addressee: 'manager',
    free_1_title: 'Observations',
    free_1_text: 'Contenu confidentiel du courrier.',
    action: 'generate',
  });
  assert.equal(res.status, 303, `brief refused: ${text(res.text).slice(0, 300)}`);
  return Number(/\/argumentaires\/(\d+)$/.exec(String(res.headers.location))![1]);
}

/** The « Journal du dossier » section of a case page, as text. */
function journalSection(html: string): string {
  const start = html.indexOf('aria-labelledby="journal"');
  assert.ok(start >= 0, 'the case page has its journal');
  return text(html.slice(start, html.indexOf('</section>', start)));
}

/** One column of that section: « Modifications et exports » or « Dernières consultations ». */
function column(html: string, heading: string): string {
  const section = journalSection(html);
  const start = section.indexOf(heading);
  assert.ok(start >= 0, `column ${heading}`);
  const rest = section.slice(start + heading.length);
  const next = ['Modifications et exports', 'Dernières consultations', 'Voir tout le journal']
    .map((h) => rest.indexOf(h))
    .filter((i) => i >= 0);
  return rest.slice(0, Math.min(...next, rest.length));
}

/** The rows of the journal page's table, as « actor | what » strings, newest first. */
function journalRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!).trim());
    return `${cells[1]} | ${cells[2]}`;
  });
}

async function journalPage(caseId: number, who: Signed = rep, query = '') {
  const res = await who.agent.get(`/dossiers/${caseId}/journal${query}`);
  assert.equal(res.status, 200, `journal refused: ${res.status}`);
  return res;
}

// ---------------------------------------------------------------- tests

describe('the journal on the case page', () => {
  it('shows a rep of the region who viewed it, including another rep’s view', async () => {
    const id = await createCase();
    await colleague.agent.get(`/dossiers/${id}`);
    const res = await rep.agent.get(`/dossiers/${id}`);
    assert.equal(res.status, 200);
    const views = column(res.text, 'Dernières consultations');
    assert.match(views, /Chloé Collègue/, 'the colleague’s view is listed');
    assert.match(views, /Rémi Représentant/, 'the rep’s own view is listed');
    assert.match(column(res.text, 'Modifications et exports'), /Création du dossier par Rémi Représentant/);
    assert.match(journalSection(res.text), /Voir tout le journal/);
    assert.match(res.text, new RegExp(`href="/dossiers/${id}/journal"`));
  });

  it('lists a timeline event as a change of the case, by who added it, without its note', async () => {
    const id = await createCase();
    const res0 = await post(colleague, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16', note: 'Note secrète du suivi' });
    assert.equal(res0.status, 303);
    const res = await rep.agent.get(`/dossiers/${id}`);
    assert.match(column(res.text, 'Modifications et exports'), /Modification du dossier par Chloé Collègue/);
    assert.doesNotMatch(journalSection(res.text), /Note secrète/);
  });

  it('is there for an admin too', async () => {
    const id = await createCase();
    const res = await admin.agent.get(`/dossiers/${id}`);
    assert.equal(res.status, 200);
    assert.match(column(res.text, 'Dernières consultations'), /Alice Admin/);
  });
});

describe('GET /dossiers/:id/journal', () => {
  it('lists views, the edit by an event, the brief’s generation, view and downloads, newest first', async () => {
    const id = await createCase();
    await post(rep, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16', note: 'Ne doit pas paraître' });
    const versionId = await generateBrief(id);
    assert.equal((await colleague.agent.get(`/dossiers/${id}/argumentaires/${versionId}`)).status, 200);
    assert.equal((await colleague.agent.get(`/dossiers/${id}/argumentaires/${versionId}.pdf`)).status, 200);
    assert.equal((await rep.agent.get(`/dossiers/${id}/argumentaires/${versionId}.docx`)).status, 200);

    const res = await journalPage(id);
    const rows = journalRows(res.text);
    assert.deepEqual(rows.slice(0, 4), [
      'Rémi Représentant | Consultation du dossier',
      'Rémi Représentant | Téléchargement de l’argumentaire v1',
      'Chloé Collègue | Téléchargement de l’argumentaire v1',
      'Chloé Collègue | Consultation de l’argumentaire v1',
    ]);
    assert.ok(rows.includes('Rémi Représentant | Génération de l’argumentaire v1'), 'the generation is listed');
    assert.ok(rows.includes('Rémi Représentant | Modification du dossier'), 'the edit made by the event is listed');
    assert.equal(rows.at(-1), 'Rémi Représentant | Création du dossier', 'the oldest entry is the creation');
    assert.match(text(res.text), /Journal du dossier de Agent Journal/);
    assert.doesNotMatch(res.text, /Ne doit pas paraître|Contenu confidentiel/, 'no content, only names and dates');
  });

  it('interleaves on the case page the case’s and its briefs’ entries, newest first', async () => {
    const id = await createCase();
    const versionId = await generateBrief(id);
    assert.equal((await rep.agent.get(`/dossiers/${id}`)).status, 200);
    assert.equal((await colleague.agent.get(`/dossiers/${id}/argumentaires/${versionId}`)).status, 200);
    assert.equal((await colleague.agent.get(`/dossiers/${id}/argumentaires/${versionId}.pdf`)).status, 200);
    assert.equal((await post(rep, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16' })).status, 303);
    const page = (await rep.agent.get(`/dossiers/${id}`)).text;
    const views = column(page, 'Dernières consultations');
    // A view of the case shows its reader only; a brief's says which.
    const briefView = views.indexOf('Chloé Collègue (Consultation de l’argumentaire v1)');
    assert.ok(briefView > 0, views);
    assert.ok(views.indexOf('Rémi Représentant') < briefView, `this view comes before the brief’s: ${views}`);
    assert.ok(views.slice(briefView).includes('Rémi Représentant'), `an older view of the case comes after it: ${views}`);
    const changes = column(page, 'Modifications et exports');
    const [edit, download, generation] = ['Modification du dossier', 'Téléchargement de l’argumentaire v1', 'Génération de l’argumentaire v1'].map((t) => changes.indexOf(t)) as [number, number, number];
    assert.ok(edit >= 0 && edit < download && download < generation, changes);
  });

  it('counts on the case page every entry the journal lists, its briefs’ included', async () => {
    const id = await createCase();
    const versionId = await generateBrief(id);
    assert.equal((await colleague.agent.get(`/dossiers/${id}/argumentaires/${versionId}.pdf`)).status, 200);
    const page = await rep.agent.get(`/dossiers/${id}`);
    const total = Number(/\(([\d\s\u202f\u00a0]+) entrées\)/.exec(page.text)?.[1]?.replace(/\D/g, ''));
    // The journal page is itself one more view.
    assert.equal(journalRows((await journalPage(id)).text).length, total + 1);
    assert.ok(total >= 4, `creation, generation, download and views: ${total}`);
  });

  it('shows only this case’s briefs, not another case’s with the same number', async () => {
    const mine = await createCase();
    const other = await createCase();
    await generateBrief(other, colleague);
    const rows = journalRows((await journalPage(mine)).text);
    assert.ok(!rows.some((r) => r.includes('argumentaire')), `another case’s brief leaked: ${rows.join('; ')}`);
  });

  it('is recorded as a view of the case by its reader', async () => {
    const id = await createCase();
    const before = await ctx.db.selectFrom('auditLog').select('id').where('entityType', '=', 'case').where('entityId', '=', String(id)).execute();
    await journalPage(id, colleague);
    const last = await ctx.db.selectFrom('auditLog').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([last.actorUserId, last.action, last.entityType, last.entityId], [colleague.user.id, 'view', 'case', String(id)]);
    const after = await ctx.db.selectFrom('auditLog').select('id').where('entityType', '=', 'case').where('entityId', '=', String(id)).execute();
    assert.equal(after.length, before.length + 1);
    assert.equal(journalRows((await journalPage(id)).text)[1], 'Chloé Collègue | Consultation du dossier', 'the reading shows in the journal');
  });

  it('lists a CSV export that carried the case, and not one that did not', async () => {
    const id = await createCase();
    const own = await rep.agent.get('/dossiers/export.csv');
    assert.equal(own.status, 200);
    const foreign = await outsider.agent.get('/dossiers/export.csv');
    assert.equal(foreign.status, 200);
    const rows = journalRows((await journalPage(id)).text);
    assert.ok(rows.includes('Rémi Représentant | Export du dossier'), `the export is listed: ${rows.join('; ')}`);
    assert.ok(!rows.some((r) => r.startsWith('Inès Francilienne')), 'another region’s export did not carry it');
  });

  it('pages a long journal, newest first, and reads a bad page number as the first or last page', async () => {
    const id = await createCase();
    for (let i = 0; i < 60; i++) await colleague.agent.get(`/dossiers/${id}`);
    const first = await journalPage(id);
    const rows = journalRows(first.text);
    assert.equal(rows.length, 50);
    assert.equal(rows[0], 'Rémi Représentant | Consultation du dossier');
    assert.match(text(first.text), /Page 1 sur 2/);
    assert.match(decode(first.text), new RegExp(`href="/dossiers/${id}/journal\\?page=2" rel="next"`));
    // 1 creation + 60 views + 2 readings of the journal (this one and the next).
    const second = await journalPage(id, rep, '?page=2');
    const secondRows = journalRows(second.text);
    assert.equal(secondRows.length, 13);
    assert.equal(secondRows.at(-1), 'Rémi Représentant | Création du dossier');
    assert.match(second.text, new RegExp(`href="/dossiers/${id}/journal" rel="prev"`));
    assert.match(text((await journalPage(id, rep, '?page=abc')).text), /Page 1 sur 2/);
    assert.match(text((await journalPage(id, rep, '?page=999')).text), /Page 2 sur 2/);
    const onCasePage = await rep.agent.get(`/dossiers/${id}`);
    const listed = column(onCasePage.text, 'Dernières consultations').match(/\d{2}:\d{2}/g) ?? [];
    assert.equal(listed.length, 10, 'the case page shows the latest ten views only');
  });
});

describe('who may read a journal', () => {
  it('gives a rep of another region a 404 on the case page and on the journal, recording nothing', async () => {
    const id = await createCase();
    const before = await ctx.auditCountBy(outsider.user.id);
    assert.equal((await outsider.agent.get(`/dossiers/${id}`)).status, 404);
    const res = await outsider.agent.get(`/dossiers/${id}/journal`);
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.text, /Rémi Représentant|Agent Journal/);
    assert.equal(await ctx.auditCountBy(outsider.user.id), before);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    assert.equal((await rep.agent.get('/dossiers/999999/journal')).status, 404);
    assert.equal((await rep.agent.get('/dossiers/abc/journal')).status, 404);
  });

  it('sends a visitor without a session to the login page', async () => {
    const id = await createCase();
    const res = await ctx.agent().get(`/dossiers/${id}/journal`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });
});
