/**
 * CSE declarations over HTTP: the list (GET /declarations), the settings form
 * (GET /declarations/nouvelle), the compose page (GET /declarations/nouvelle/textes), preview and
 * generation (POST /declarations/nouvelle/textes, action=preview|generate), the immutable versions
 * and their HTML, PDF and DOCX (GET /declarations/:id[.pdf|.docx]), and new versions from an old
 * one (?depuis=:id). With every refusal: no session, CSRF, invalid settings (French messages, what
 * the rep typed kept), regions the rep does not cover, figures that changed since the page was
 * opened, unknown ids.
 *
 * The Hauts-de-France figures of wave 2 (campaign 2) are fixed once, in the first `before`, and
 * never changed afterwards: twelve cases (ten kind interviews concluding « légitime » in September
 * 2024, two interviews under pressure concluding « illégitime » in November 2024, one warning
 * notified). Tests that need figures to move do it in Normandie (a rep covering NOR only), or in a
 * context of their own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDeclarationTemplates } from '../../src/declarations/declaration-templates';
import { type Signed, type TestContext, createTestContext, csrfFrom, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { extractPdf, openZip, readDocx, squash } from '../helpers/document-text';
import { type Fields, encode, post, postForm } from '../helpers/forms';
import { caseFormsOf, oddHoursCaseForm, postCase } from '../fixtures/case-form';
import request from 'supertest';
import { binary, download } from '../helpers/binary-bodies';
import { decode, text as pageText, documentOf, inputValue, textareaValue, previewOf } from '../helpers/html';
import { distinctiveNames } from '../fixtures/names';

let ctx: TestContext;
/** outsider covers Île-de-France only: must never reach a Hauts-de-France declaration; norman covers Normandie only: its figures are the ones tests change; twoRegions covers Hauts-de-France and Île-de-France: nothing is preselected on its settings form. */
let rep: Signed, outsider: Signed, norman: Signed, twoRegions: Signed, admin: Signed;

const templates = loadDeclarationTemplates();
const BLOCK_IDS = templates.blocks.map((b) => b.id);
const titleOf = (id: string) => templates.blocks.find((b) => b.id === id)!.title;

/** Every agent created in this file: none may ever appear in a declaration. */
const names = distinctiveNames();
const agentNames = names.made;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [rep, outsider, norman, twoRegions, admin] = await ctx.signInAll(PEOPLE.rep, PEOPLE.outsider, { role: 'rep', name: 'Noël Normand', regions: ['NOR'] }, { role: 'rep', name: 'Dominique Deux-Régions', regions: ['HDF', 'IDF'] }, PEOPLE.admin);

  // The Hauts-de-France dataset of wave 2: never changed after this.
  const ids: number[] = [];
  for (let i = 0; i < 10; i++) ids.push(await createCase(rep));
  for (let i = 0; i < 2; i++) {
    await createCase(rep, {
      interviewTone: 'pressure',
      toneNotes: 'Le manager a évoqué un licenciement.',
      reportOutcome: 'illegitimate',
      convocationDate: '2024-11-04',
      interviewDate: '2024-11-18',
    });
  }
  await addEvent(rep, ids[0]!, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
  // One Île-de-France case, with a site that must never show in a Hauts-de-France declaration.
  await createCase(outsider, { regionCode: 'IDF', site: 'Agence Paris Bastille' });
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

function text(html: string): string {
  return pageText(html).trim();
}

/** A text with every kind of space (no-break ones included) as one plain space. */
function flat(s: string): string {
  return s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** A wave-2, private-law, odd-hours case in Hauts-de-France, kind interview concluding « légitime ». */
const caseForm = caseFormsOf(names.next, oddHoursCaseForm);

function createCase(who: Signed, overrides: Fields = {}): Promise<number> {
  return postCase(who, caseForm(overrides));
}

async function addEvent(who: Signed, caseId: number, fields: Fields) {
  const res = await post(who, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 300)}`);
}

/** The settings of the Hauts-de-France CSE of 10 December 2026. */
const HDF: Fields = { meetingKind: 'CSE', bodyName: 'CSE Hauts-de-France', meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
const NOR: Fields = { meetingKind: 'CSE', bodyName: 'CSE Normandie', meetingDate: '2026-12-11', campaignId: '2', regions: ['NOR'] };

function composeUrl(settings: Fields): string {
  return `/declarations/nouvelle/textes?${encode(settings)}`;
}

async function composePage(who: Signed, settings: Fields) {
  const res = await who.agent.get(composeUrl(settings));
  assert.equal(res.status, 200, `compose refused: ${text(res.text).slice(0, 400)}`);
  return res.text;
}

function isChecked(html: string, name: string, value = 'on'): boolean {
  const m = new RegExp(`<input type="checkbox" name="${name}" value="${value}"[^>]*>`).exec(html);
  assert.ok(m, `checkbox ${name}=${value} is on the page`);
  return /\bchecked\b/.test(m[0]);
}

/** The compose form's hidden fields (settings and stamp), repeated names as arrays. */
function hiddenOf(html: string): Record<string, string | string[]> {
  const form = /<form method="post" action="\/declarations\/nouvelle\/textes"[\s\S]*?<\/form>/.exec(html);
  assert.ok(form, 'the compose form is on the page');
  const fields: Record<string, string | string[]> = {};
  for (const m of form[0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const [name, value] = [m[1]!, decode(m[2]!)];
    if (name === '_csrf') continue;
    const prev = fields[name];
    fields[name] = prev === undefined ? value : [prev, value].flat();
  }
  return fields;
}

/** The compose form as a browser would submit it, untouched. */
function formOf(html: string): Fields {
  const fields: Fields = { ...hiddenOf(html) };
  for (const id of BLOCK_IDS) {
    if (isChecked(html, `b_${id}_include`)) fields[`b_${id}_include`] = 'on';
    fields[`b_${id}_order`] = inputValue(html, `b_${id}_order`) ?? '';
    fields[`b_${id}_text`] = textareaValue(html, `b_${id}_text`) ?? '';
  }
  for (const slot of [1, 2]) {
    fields[`free_${slot}_title`] = inputValue(html, `free_${slot}_title`) ?? '';
    fields[`free_${slot}_order`] = inputValue(html, `free_${slot}_order`) ?? '';
    fields[`free_${slot}_text`] = textareaValue(html, `free_${slot}_text`) ?? '';
  }
  return fields;
}

async function composeForm(who: Signed, settings: Fields): Promise<Fields> {
  return formOf(await composePage(who, settings));
}

/** The figures panel of the compose page. */
function figuresPanelOf(html: string): string {
  const start = html.indexOf('<div class="figures-panel">');
  assert.ok(start >= 0, 'the page shows the figures');
  return html.slice(start, html.indexOf('<form method="post"', start));
}

/** A row of the figures panel; a RegExp value matches any of several displays. */
const ROW = (label: string, value: string | RegExp) =>
  new RegExp(`<tr><th scope="row">${escape(label)}</th><td class="num">${typeof value === 'string' ? escape(value) : `(?:${value.source})`}</td></tr>`);
/** A count of 1 to 4, withheld: « moins de 5 », or « n.c. » when the table had to mask it too. Never its value. */
const WITHHELD = /moins de 5|n\.c\./;
const FACT = (label: string, value: string) => new RegExp(`<div><dt>${escape(label)}</dt><dd>${escape(value)}</dd></div>`);
function escape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/'/g, '&#x27;')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/ /g, '[ \\u00a0\\u202f]');
}

async function declarationCount(): Promise<number> {
  const row = await ctx.db.selectFrom('declarations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(entityId: number) {
  return ctx.db.selectFrom('auditLog').selectAll().where('entityType', '=', 'declaration').where('entityId', '=', String(entityId)).orderBy('id').execute();
}

/** Generates from a compose form; returns the new declaration's id. */
async function generate(who: Signed, form: Fields): Promise<number> {
  const res = await post(who, '/declarations/nouvelle/textes', { ...form, action: 'generate' });
  assert.equal(res.status, 303, `generation refused (${res.status}): ${text(res.text).slice(0, 400)}`);
  const m = /^\/declarations\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(m, `unexpected redirect ${String(res.headers.location)}`);
  return Number(m[1]);
}


async function pdfBody(who: Signed, url: string): Promise<string> {
  const res = await download(who, url);
  assert.equal(res.status, 200, url);
  assert.equal(res.body.subarray(0, 5).toString('latin1'), '%PDF-');
  return (await extractPdf(res.body)).body;
}

async function docxText(who: Signed, url: string) {
  const res = await download(who, url);
  assert.equal(res.status, 200, url);
  return readDocx(res.body);
}

function assertNoAgentName(what: string, content: string) {
  const flat = squash(content).toLowerCase();
  for (const name of agentNames) {
    assert.ok(!flat.includes(squash(name).toLowerCase()), `${what} names ${name}`);
    const surname = name.split(' ').at(-1)!;
    assert.ok(!flat.includes(surname.toLowerCase()), `${what} contains the surname ${surname}`);
  }
}

// ---------------------------------------------------------------- no session, CSRF

describe('without a session, or without the CSRF token', () => {
  let declarationId: number;

  before(async () => {
    declarationId = await generate(rep, await composeForm(rep, { ...HDF, bodyName: 'CSE HDF anonymes' }));
  });

  it('sends a visitor without a session to the login page, on every route', async () => {
    const anonymous = request.agent(ctx.app);
    for (const url of [
      '/declarations',
      '/declarations/nouvelle',
      composeUrl(HDF),
      `/declarations/nouvelle/textes?depuis=${declarationId}`,
      `/declarations/${declarationId}`,
      `/declarations/${declarationId}.pdf`,
      `/declarations/${declarationId}.docx`,
      '/declarations/999999',
    ]) {
      const res = await anonymous.get(url);
      assert.equal(res.status, 303, url);
      assert.equal(res.headers.location, '/connexion', url);
      assert.doesNotMatch(res.text, /CSE HDF anonymes|Vigie suit/, `${url} shows nothing`);
    }
  });

  it('refuses an anonymous POST, with or without a token, and saves nothing', async () => {
    const form = await composeForm(rep, { ...HDF, bodyName: 'CSE HDF anonyme POST' });
    const before = await declarationCount();
    const anonymous = request.agent(ctx.app);
    for (const action of ['generate', 'preview']) {
      const noSession = await postForm(anonymous, '/declarations/nouvelle/textes', { ...form, action });
      assert.equal(noSession.status, 403, `${action} without a session nor token`);
      const token = await csrfFrom(anonymous, '/connexion');
      const withToken = await postForm(anonymous, '/declarations/nouvelle/textes', { ...form, _csrf: token, action });
      assert.equal(withToken.status, 303, `${action} with a login-page token`);
      assert.equal(withToken.headers.location, '/connexion');
      assert.doesNotMatch(withToken.text, /Vigie suit|Aperçu/);
    }
    assert.equal(await declarationCount(), before);
  });

  it('refuses a signed-in POST without the CSRF token or with a wrong one (403), saving nothing', async () => {
    const form = await composeForm(rep, { ...HDF, bodyName: 'CSE HDF sans jeton' });
    const before = await declarationCount();
    const lastAudit = await ctx.lastAuditId();
    for (const action of ['generate', 'preview']) {
      const missing = await postForm(rep.agent, '/declarations/nouvelle/textes', { ...form, action });
      assert.equal(missing.status, 403, `${action}, no token`);
      const wrong = await postForm(rep.agent, '/declarations/nouvelle/textes', { ...form, _csrf: 'faux-jeton', action });
      assert.equal(wrong.status, 403, `${action}, wrong token`);
      assert.match(text(wrong.text), /Action refusée/);
      assert.doesNotMatch(wrong.text, /id="apercu"/, 'no preview either');
    }
    // The same form with the session's token goes through: the refusals above were about the token.
    const ok = await post(rep, '/declarations/nouvelle/textes', { ...form, action: 'preview' });
    assert.equal(ok.status, 200);
    assert.equal(await declarationCount(), before);
    const audit = await ctx.db.selectFrom('auditLog').select('entityType').where('id', '>', lastAudit).execute();
    assert.ok(!audit.some((a) => a.entityType === 'declaration'));
  });
});

// ---------------------------------------------------------------- settings

describe('GET /declarations/nouvelle (settings form)', () => {
  it('offers the meeting kinds, the campaigns and only the rep’s own regions, not « national »', async () => {
    const res = await rep.agent.get('/declarations/nouvelle');
    assert.equal(res.status, 200);
    assert.match(text(res.text), /Nouvelle déclaration préalable/);
    assert.ok(res.text.includes('<option value="CSE"') && res.text.includes('<option value="CSEC"'));
    assert.ok(res.text.includes('<option value="2"'), 'campaign 2 is offered');
    assert.ok(res.text.includes('name="regions" value="HDF"'));
    for (const code of ['IDF', 'NOR', 'national']) assert.ok(!res.text.includes(`name="regions" value="${code}"`), code);
    assert.equal(isChecked(res.text, 'regions', 'HDF'), true, 'a rep with one region has it preselected');
    assert.ok(res.text.includes('action="/declarations/nouvelle/textes"'));
  });

  it('offers « national » and every region to an admin', async () => {
    const res = await admin.agent.get('/declarations/nouvelle');
    assert.equal(res.status, 200);
    for (const code of ['national', 'HDF', 'IDF', 'NOR', 'MAY']) assert.ok(res.text.includes(`name="regions" value="${code}"`), code);
  });

  it('is linked from the list, and the list says when there is nothing yet', async () => {
    const res = await norman.agent.get('/declarations');
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('href="/declarations/nouvelle"'));
    assert.match(text(res.text), /Aucune déclaration pour l’instant\./, 'nothing for Normandie yet');
  });
});

describe('GET /declarations/nouvelle/textes: invalid settings', () => {
  async function refused(who: Signed, settings: Fields) {
    const res = await who.agent.get(composeUrl(settings));
    assert.equal(res.status, 400, JSON.stringify(settings));
    assert.match(text(res.text), /Le formulaire contient des erreurs\./);
    assert.doesNotMatch(res.text, /Chiffres calculés le|figures-panel|name="stamp"/, 'nothing computed');
    return res.text;
  }

  it('refuses a missing body name, keeping what was typed', async () => {
    const html = await refused(rep, { ...HDF, bodyName: '   ', periodFrom: '2024-09-01', periodTo: '2024-12-31' });
    assert.match(text(html), /Le nom de l’instance est obligatoire\./);
    assert.match(html, /<p class="field__error" id="f-bodyName-error">Le nom de l’instance est obligatoire\.<\/p>/);
    assert.equal(inputValue(html, 'meetingDate'), '2026-12-10');
    assert.equal(inputValue(html, 'periodFrom'), '2024-09-01');
    assert.equal(inputValue(html, 'periodTo'), '2024-12-31');
    assert.match(html, /<option value="CSE" selected>/);
    assert.equal(isChecked(html, 'regions', 'HDF'), true);
    const missing = await refused(rep, { ...HDF, bodyName: undefined });
    assert.match(text(missing), /Le nom de l’instance est obligatoire\./);
  });

  it('refuses a meeting date that is not a date, or does not exist, keeping it', async () => {
    const bad = await refused(rep, { ...HDF, bodyName: 'CSE « Nord » & Picardie', meetingDate: 'demain' });
    assert.match(text(bad), /La date de la séance doit être une date \(jj\/mm\/aaaa\)\./);
    assert.match(bad, /id="f-meetingDate-error"/);
    assert.equal(inputValue(bad, 'meetingDate'), 'demain');
    assert.equal(inputValue(bad, 'bodyName'), 'CSE « Nord » & Picardie', 'the body name comes back verbatim');
    const impossible = await refused(rep, { ...HDF, meetingDate: '2026-02-30' });
    assert.match(text(impossible), /La date de la séance n’est pas une date valide\./);
    assert.equal(inputValue(impossible, 'meetingDate'), '2026-02-30');
    const empty = await refused(rep, { ...HDF, meetingDate: '' });
    assert.match(text(empty), /La date de la séance/);
  });

  it('refuses a period whose end comes before its start, on the end field', async () => {
    const html = await refused(rep, { ...HDF, periodFrom: '2024-12-01', periodTo: '2024-11-01' });
    assert.match(html, /<p class="field__error" id="f-periodTo-error">La fin de la période doit suivre son début\.<\/p>/);
    assert.equal(inputValue(html, 'periodFrom'), '2024-12-01');
    assert.equal(inputValue(html, 'periodTo'), '2024-11-01');
    assert.equal(inputValue(html, 'bodyName'), 'CSE Hauts-de-France');
    // The same day on both sides is a valid period.
    assert.equal((await rep.agent.get(composeUrl({ ...HDF, periodFrom: '2024-11-18', periodTo: '2024-11-18' }))).status, 200);
  });

  it('refuses settings without any region, keeping the others', async () => {
    const html = await refused(twoRegions, { ...HDF, regions: undefined, bodyName: 'CSE sans région' });
    assert.match(html, /<p class="field__error" id="f-regions-error">Choisissez au moins une région\.<\/p>/);
    assert.equal(inputValue(html, 'bodyName'), 'CSE sans région');
    assert.equal(isChecked(html, 'regions', 'HDF'), false);
    assert.equal(isChecked(html, 'regions', 'IDF'), false);
    const single = await refused(rep, { ...HDF, regions: '' });
    assert.match(text(single), /Choisissez au moins une région\./);
  });

  it('refuses an unknown meeting kind or campaign', async () => {
    const html = await refused(rep, { ...HDF, meetingKind: 'CHSCT', campaignId: '999' });
    assert.match(text(html), /Choisissez l’instance\./);
    assert.match(text(html), /Choisissez la campagne\./);
    const notNumber = await refused(rep, { ...HDF, campaignId: '2 OR 1=1' });
    assert.match(text(notNumber), /Choisissez la campagne\./);
  });

  it('says the meeting date is required when a crafted request leaves the field out', async () => {
    const { meetingDate: _left, ...withoutDate } = HDF;
    const html = await refused(rep, withoutDate);
    assert.match(text(html), /La date de la séance est obligatoire\./);
  });

  it('gives a one-region rep the form back with the region unticked, as sent', async () => {
    const { regions: _left, ...withoutRegion } = HDF;
    const html = await refused(rep, withoutRegion);
    assert.match(text(html), /Choisissez au moins une région\./);
    assert.equal(isChecked(html, 'regions', 'HDF'), false);
  });

  it('shows every error at once', async () => {
    // What a browser sends when nothing is filled in: every field, empty, and no region ticked.
    const html = await refused(twoRegions, { meetingKind: 'CSE', bodyName: '', meetingDate: '', campaignId: '2', periodFrom: '', periodTo: '' });
    const shown = text(html);
    for (const message of ['Le nom de l’instance est obligatoire.', 'La date de la séance est obligatoire.', 'Choisissez au moins une région.']) {
      assert.ok(shown.includes(message), message);
    }
  });
});

// ---------------------------------------------------------------- scope

describe('scope: regions the rep covers', () => {
  let hdfDeclaration: number;
  let nationalDeclaration: number;

  before(async () => {
    hdfDeclaration = await generate(rep, await composeForm(rep, { ...HDF, bodyName: 'CSE Hauts-de-France périmètre' }));
  });

  it('refuses a region the rep does not cover, computing nothing for it', async () => {
    for (const regions of [['IDF'], ['HDF', 'IDF'], ['XXX']]) {
      const res = await rep.agent.get(composeUrl({ ...HDF, regions }));
      assert.equal(res.status, 400, regions.join(','));
      assert.match(res.text, /id="f-regions-error">Vous ne pouvez composer une déclaration que pour les régions que vous suivez\./);
      assert.doesNotMatch(res.text, /Chiffres calculés le|figures-panel|Paris Bastille|Île-de-France/);
      assert.equal(inputValue(res.text, 'bodyName'), 'CSE Hauts-de-France');
    }
  });

  it('refuses « national » to a rep who does not cover every region', async () => {
    const res = await rep.agent.get(composeUrl({ ...HDF, regions: ['national'] }));
    assert.equal(res.status, 400);
    assert.match(res.text, /id="f-regions-error">Vous ne couvrez pas toutes les régions : choisissez parmi les vôtres\./);
    assert.doesNotMatch(res.text, /Chiffres calculés le|figures-panel|ensemble des régions \(national\)/);
    const both = await rep.agent.get(composeUrl({ ...HDF, regions: ['HDF', 'national'] }));
    assert.equal(both.status, 400);
  });

  it('refuses tampered hidden regions in the POST, saving nothing', async () => {
    const form = await composeForm(rep, HDF);
    const before = await declarationCount();
    for (const regions of [['IDF'], ['national'], ['HDF', 'IDF']]) {
      for (const action of ['preview', 'generate']) {
        const res = await post(rep, '/declarations/nouvelle/textes', { ...form, regions, action });
        assert.equal(res.status, 400, `${regions.join(',')} ${action}`);
        assert.match(text(res.text), /Vous ne (pouvez composer une déclaration que pour les régions que vous suivez|couvrez pas toutes les régions)/);
        assert.doesNotMatch(res.text, /id="apercu"|figures-panel|Paris Bastille/);
      }
    }
    assert.equal(await declarationCount(), before);
  });

  it('lets an admin compose and generate for the whole country', async () => {
    const html = await composePage(admin, { ...HDF, meetingKind: 'CSEC', bodyName: 'CSEC France Travail', regions: ['national'] });
    assert.match(text(html), /Périmètre ensemble des régions \(national\)/);
    const panel = figuresPanelOf(html);
    // Regions under 5 cases are pooled rather than named.
    assert.ok(panel.includes('Région : Hauts-de-France') && panel.includes('Région : Autres régions'), 'the figures are broken down by region');
    assert.match(panel, /Part estimée de détournements réels/);
    assert.doesNotMatch(panel, /figures-panel__coverage/, 'no official agent count nationally');
    assert.match(textareaValue(html, 'b_figures_text')!, /\(ensemble des régions \(national\)\)/);
    nationalDeclaration = await generate(admin, formOf(html));
    const page = await admin.agent.get(`/declarations/${nationalDeclaration}`);
    assert.equal(page.status, 200);
    assert.match(text(page.text), /CSEC France Travail, séance du/);
  });

  it('lets a rep who covers every region compose for the whole country, and read the national version', async () => {
    const everywhere = await ctx.signedIn({ role: 'rep', regions: ['ARA', 'BFC', 'BRE', 'CVL', 'COR', 'GES', 'HDF', 'IDF', 'NOR', 'NAQ', 'OCC', 'PDL', 'PAC', 'GUA', 'MTQ', 'GUY', 'REU', 'MAY'] });
    const res = await everywhere.agent.get(composeUrl({ ...HDF, regions: ['national'] }));
    assert.equal(res.status, 200);
    assert.equal((await everywhere.agent.get(`/declarations/${nationalDeclaration}`)).status, 200);
  });

  it('hides a Hauts-de-France declaration from a rep of another region: 404 everywhere, absent from the list, nothing audited', async () => {
    const auditBefore = await ctx.auditCountBy(outsider.user.id);
    for (const suffix of ['', '.pdf', '.docx']) {
      const res = await outsider.agent.get(`/declarations/${hdfDeclaration}${suffix}`);
      assert.equal(res.status, 404, suffix);
      assert.doesNotMatch(res.text, /Hauts-de-France périmètre/);
      assert.match(String(res.headers['content-type']), /text\/html/, `${suffix}: an error page, not a document`);
    }
    const depuis = await outsider.agent.get(`/declarations/nouvelle/textes?depuis=${hdfDeclaration}`);
    assert.equal(depuis.status, 404);
    assert.doesNotMatch(depuis.text, /Hauts-de-France/);
    const list = await outsider.agent.get('/declarations');
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(`href="/declarations/${hdfDeclaration}"`));
    assert.doesNotMatch(list.text, /Hauts-de-France périmètre/);
    assert.equal(await ctx.auditCountBy(outsider.user.id), auditBefore, 'nothing recorded for them');
  });

  it('hides the national declaration from reps who do not cover every region', async () => {
    for (const who of [rep, outsider, twoRegions]) {
      for (const suffix of ['', '.pdf', '.docx']) assert.equal((await who.agent.get(`/declarations/${nationalDeclaration}${suffix}`)).status, 404, suffix);
      assert.ok(!(await who.agent.get('/declarations')).text.includes(`href="/declarations/${nationalDeclaration}"`));
    }
  });

  it('shows the Hauts-de-France declaration to the reps of Hauts-de-France and to admins', async () => {
    const otherHdfRep = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    for (const who of [rep, otherHdfRep, twoRegions, admin]) {
      const list = await who.agent.get('/declarations');
      assert.ok(list.text.includes(`href="/declarations/${hdfDeclaration}"`), 'listed');
      assert.match(text(list.text), /CSE Hauts-de-France périmètre Version 1/);
      assert.equal((await who.agent.get(`/declarations/${hdfDeclaration}`)).status, 200);
      assert.equal((await download(who, `/declarations/${hdfDeclaration}.pdf`)).status, 200);
      assert.equal((await download(who, `/declarations/${hdfDeclaration}.docx`)).status, 200);
    }
  });
});

// ---------------------------------------------------------------- the compose page

describe('GET /declarations/nouvelle/textes (compose page)', () => {
  let html: string;

  before(async () => {
    html = await composePage(rep, HDF);
  });

  it('recalls the meeting, the campaign and the scope', () => {
    const shown = text(html);
    assert.match(shown, /Séance CSE Hauts-de-France, le 10 décembre 2026/);
    assert.match(shown, /Campagne Détournement de finalités — vague 2 \(2024\)/);
    assert.match(shown, /Périmètre Hauts-de-France/);
    assert.match(shown, /Chiffres calculés le \d{1,2} \S+ \d{4} à \d\d:\d\d/);
  });

  it('shows the figures computed from the twelve Hauts-de-France cases, beside the direction’s', () => {
    const panel = figuresPanelOf(html);
    assert.match(text(panel), /Vigie suit 12 des 939 agents concernés selon la direction \(1 %\)\./);
    assert.match(panel, ROW('Agents suivis', '12'));
    assert.match(panel, ROW('Dossiers suivis', '12'));
    assert.match(panel, ROW('Site : Agence Lille Centre', '12'));
    assert.match(panel, ROW('Entretiens tenus', '12'));
    assert.match(panel, ROW('Délai médian de la dernière consultation à l’entretien', '121 jours'));
    assert.match(panel, ROW('Consultations « hors normes » hors des horaires déclarés (heure locale de l’agent)', '100 %'));
    // The direction's figures for Hauts-de-France, and the national estimate.
    assert.match(text(panel), /Agents concernés .*939/);
    assert.match(text(panel), /Cas identifiés .*1 208/);
    assert.match(text(panel), /Part estimée de détournements réels, au niveau national \(estimation de la direction\) .* 10 %/);
    assert.doesNotMatch(panel, /Paris Bastille|Île-de-France/, 'nothing from another region');
  });

  it('publishes the small counts as « moins de 5 », and masks what would give them away as « n.c. »', () => {
    const panel = figuresPanelOf(html);
    // Two « illégitime » among five outcomes: « moins de 5 »; « légitime » would then be 12 minus
    // that small count, so it is masked.
    assert.match(panel, ROW('Consultation illégitime', 'moins de 5'));
    assert.match(panel, ROW('Consultation légitime', 'n.c.'));
    assert.match(panel, ROW('Part des comptes rendus concluant à la légitimité', 'non publié (effectifs trop faibles)'));
    // Two interviews under pressure, one warning, one broken commitment, one late step: withheld.
    assert.match(panel, ROW('… dont sous pression ou avec menaces', WITHHELD));
    assert.match(panel, ROW('Dossiers avec une sanction notifiée : avertissement', WITHHELD));
    assert.match(panel, ROW('Engagement rompu', WITHHELD));
    assert.match(panel, ROW('Engagement menacé', WITHHELD));
    assert.match(panel, ROW('Étapes disciplinaires hors des délais légaux', WITHHELD));
    assert.ok(panel.includes('<td class="num">moins de 5</td>'));
    // No cell of the cases' table holds a count from 1 to 4, nor the complement 10 of the two small ones.
    const cases = panel.slice(0, panel.indexOf('Chiffres de la direction'));
    const cells = [...cases.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
    assert.deepEqual(cells.filter((c) => /^[1-4]$|^10$/.test(c)), [], 'no exact small count nor its complement');
  });

  it('proposes every block, ticked, at its position, with the texts written from the figures', () => {
    assert.equal((html.match(/<section class="argument-card"/g) ?? []).length, BLOCK_IDS.length);
    for (const b of templates.blocks) {
      assert.equal(isChecked(html, `b_${b.id}_include`), true, `${b.id} ticked`);
      assert.equal(inputValue(html, `b_${b.id}_order`), String(b.order), `${b.id} order`);
      assert.ok(textareaValue(html, `b_${b.id}_text`), `${b.id} has a text`);
      if (b.title) assert.ok(text(html).includes(text(b.title)), `${b.id} title`);
    }
    const figures = flat(textareaValue(html, 'b_figures_text')!);
    assert.match(figures, /Nous suivons 12 dossiers concernant 12 agents, soit 12 des 939 agents concernés selon la direction \(1 %\)\./);
    assert.match(figures, /Sur l’ensemble de la campagne, la direction a recensé 1 208 cas sur ce périmètre\./);
    assert.match(figures, /moins de 5 comptes rendus concluant à une consultation illégitime/);
    assert.match(figures, /un nombre non communiqué de comptes rendus concluant à une consultation légitime/);
    assert.match(figures, /\(Hauts-de-France\), arrêtés au \d{1,2}(er)? \S+ \d{4}\./);
    const commitment = flat(textareaValue(html, 'b_commitment_text')!);
    const small = (plural: string) => `(?:moins de 5 ${plural}|un nombre non communiqué d(?:e |’|')${plural})`;
    assert.match(commitment, /Entretiens tenus dont nous avons connaissance : 12\. Entretiens rapportés comme menés sous pression ou avec des menaces : (moins de 5|n\.c\.)\./);
    assert.match(commitment, new RegExp(`l’engagement est rompu dans ${small('dossiers')}, menacé dans ${small('dossiers')} et respecté dans 9 dossiers\\.`));
    assert.match(commitment, new RegExp(`Des sanctions ont été notifiées : ${small('dossiers')} avec un avertissement\\.`));
    assert.doesNotMatch(commitment, /\b[1-4] (entretiens?|dossiers?|avertissements?)\b/, 'no small count in the text');
    assert.match(flat(textareaValue(html, 'b_false_positives_text')!), /environ 10 % la part de détournements réels/);
    for (const slot of [1, 2]) {
      assert.equal(inputValue(html, `free_${slot}_title`), '');
      assert.equal(inputValue(html, `free_${slot}_order`), String(90 + slot));
      assert.equal(textareaValue(html, `free_${slot}_text`), '');
    }
    assert.equal(previewOf(html, '</article>'), undefined, 'no preview before one is asked for');
  });

  it(
    'writes « un nombre non communiqué d’… » before a vowel, as French requires',
    () => {
      for (const id of BLOCK_IDS) {
        const value = flat(textareaValue(html, `b_${id}_text`)!);
        assert.doesNotMatch(value, /non communiqué de [aeiouéèêâîôûœ]/i, `${id}: ${/non communiqué de \S+/i.exec(value)?.[0]}`);
      }
    },
  );

  it('carries the settings and a stamp of the figures in hidden fields', () => {
    const hidden = hiddenOf(html);
    assert.deepEqual(hidden, {
      meetingKind: 'CSE',
      bodyName: 'CSE Hauts-de-France',
      meetingDate: '2026-12-10',
      campaignId: '2',
      regions: 'HDF',
      periodFrom: '',
      periodTo: '',
      stamp: hidden.stamp,
      submission: hidden.submission,
    });
    assert.match(String(hidden.stamp), /^[0-9a-f]{16}$/);
    assert.match(String(hidden.submission), /^[0-9a-f-]{36}$/);
  });

  it('never names an agent', () => {
    assertNoAgentName('the compose page', html);
  });

  it('restricts the figures to the period, protecting the few cases left', async () => {
    const november = await composePage(rep, { ...HDF, periodFrom: '2024-11-01', periodTo: '2024-11-30' });
    const panel = figuresPanelOf(november);
    assert.match(text(november), /Périmètre Hauts-de-France ; dossiers placés du 1er novembre 2024 au 30 novembre 2024/);
    // The direction's figures are campaign-wide: no coverage against a period.
    assert.doesNotMatch(text(panel), /Vigie suit/);
    // Under 5 cases in all, the agents count (and every table printing zeros) is withheld.
    assert.match(panel, ROW('Agents suivis', 'n.c.'));
    assert.match(panel, ROW('Dossiers suivis', 'moins de 5'));
    assert.match(flat(textareaValue(november, 'b_figures_text')!), /Nous suivons moins de 5 dossiers concernant un nombre non communiqué d’agents\./);
    const hidden = hiddenOf(november);
    assert.equal(hidden.periodFrom, '2024-11-01');
    assert.equal(hidden.periodTo, '2024-11-30');
    // September alone holds the ten kind interviews; but the whole campaign's twelve cases are
    // published already (the first suite's declaration), and twelve less ten would count the two
    // of November: the differencing guard withholds the ten, and says why.
    const septemberPage = await composePage(rep, { ...HDF, periodFrom: '2024-09-01', periodTo: '2024-09-30' });
    assert.match(figuresPanelOf(septemberPage), ROW('Dossiers suivis', 'n.c.'));
    assert.match(flat(text(septemberPage)), /Chiffres masqués pour empêcher un calcul par différence/);
  });

  it('accepts a meeting date typed the French way', async () => {
    const res = await composePage(rep, { ...HDF, meetingDate: '10/12/2026' });
    assert.equal(hiddenOf(res).meetingDate, '2026-12-10');
  });
});

// ---------------------------------------------------------------- editing and preview

describe('POST /declarations/nouvelle/textes, action=preview', () => {
  let form: Fields;
  const edited = 'Texte revu par les élu·es : « 12 dossiers », c’est 12 collègues inquiet·es — et ce n’est qu’une partie.';
  const freeTitle = 'Un mot des élu·es de Lille';
  const freeText = 'Paragraphe libre ajouté par le représentant, après les chiffres.';

  before(async () => {
    form = await composeForm(rep, HDF);
  });

  it('shows the edited blocks in the chosen order, the free paragraph, not the unticked block, and saves nothing', async () => {
    const before = await declarationCount();
    const lastAudit = await ctx.lastAuditId();
    const res = await post(rep, '/declarations/nouvelle/textes', {
      ...form,
      b_false_positives_include: undefined,
      b_right_to_disconnect_text: edited,
      b_right_to_disconnect_order: '5',
      free_1_title: freeTitle,
      free_1_text: freeText,
      free_1_order: '25',
      action: 'preview',
    });
    assert.equal(res.status, 200);
    const preview = previewOf(res.text, '</article>');
    assert.ok(preview, 'the page has an « Aperçu » section');
    const shown = text(preview);
    assert.match(shown, /Rien n’est enregistré tant que vous n’avez pas cliqué sur « Générer la déclaration »/);
    assert.ok(shown.includes(text(edited)), 'the edited text');
    assert.ok(shown.includes(freeTitle) && shown.includes(freeText), 'the free paragraph');
    assert.ok(!shown.includes(text(titleOf('false_positives'))), 'not the unticked block');
    assert.ok(!shown.includes('la part de détournements réels, et reconnaît'), 'nor its text');
    const at = (s: string) => {
      const i = shown.indexOf(text(s));
      assert.ok(i >= 0, `${s} is in the preview`);
      return i;
    };
    // Position 5 before the opening (10), the free paragraph (25) between figures (20) and commitment (30).
    assert.ok(at(titleOf('right_to_disconnect')) < at('Les élu·es CGT veulent revenir'), 'position 5 first');
    assert.ok(at('Les élu·es CGT veulent revenir') < at(titleOf('figures')));
    assert.ok(at(titleOf('figures')) < at(freeTitle), 'figures (20) before the free paragraph (25)');
    assert.ok(at(freeTitle) < at(titleOf('commitment')), 'the free paragraph (25) before the commitment (30)');
    assert.ok(at(titleOf('commitment')) < at(titleOf('public_service')));
    // The figures tables come with the figures block; the meeting is in the header.
    assert.match(shown, /Agents suivis par la CGT 12/);
    assert.match(shown, /Instance CSE Hauts-de-France/);
    assert.match(shown, /Séance 10 décembre 2026/);
    assertNoAgentName('the preview', res.text);
    // The form comes back as the rep left it.
    assert.equal(textareaValue(res.text, 'b_right_to_disconnect_text'), edited);
    assert.equal(inputValue(res.text, 'b_right_to_disconnect_order'), '5');
    assert.equal(isChecked(res.text, 'b_false_positives_include'), false);
    assert.equal(isChecked(res.text, 'b_opening_include'), true);
    assert.equal(inputValue(res.text, 'free_1_title'), freeTitle);
    assert.equal(textareaValue(res.text, 'free_1_text'), freeText);
    assert.equal(await declarationCount(), before, 'nothing saved');
    const audit = await ctx.db.selectFrom('auditLog').select('entityType').where('id', '>', lastAudit).execute();
    assert.ok(!audit.some((a) => a.entityType === 'declaration'), 'a preview is not recorded as a declaration');
  });

  it('refuses an emptied ticked block with 400, keeping every other text verbatim', async () => {
    const typed = '  Mon texte <b>à moi</b> & « le sien », l’agent = "témoin"\n\nDeuxième paragraphe.  ';
    for (const action of ['preview', 'generate']) {
      const before = await declarationCount();
      const res = await post(rep, '/declarations/nouvelle/textes', {
        ...form,
        b_public_service_text: '  \n ',
        b_right_to_disconnect_text: typed,
        b_false_positives_include: undefined,
        free_2_title: 'Gardé',
        free_2_text: 'Texte libre gardé.',
        action,
      });
      assert.equal(res.status, 400, action);
      assert.match(text(res.text), /Le formulaire contient des erreurs\./);
      assert.match(res.text, /<p class="field__error" id="f-b_public_service_text-error">Ce texte est vide : décochez le bloc ou rédigez-le\.<\/p>/);
      assert.match(res.text, /aria-invalid="true" aria-describedby="f-b_public_service_text-error"/);
      assert.equal(textareaValue(res.text, 'b_right_to_disconnect_text'), typed);
      assert.equal(textareaValue(res.text, 'b_opening_text'), form.b_opening_text);
      assert.equal(textareaValue(res.text, 'b_figures_text'), form.b_figures_text);
      assert.equal(isChecked(res.text, 'b_false_positives_include'), false, 'the unticked block stays unticked');
      assert.equal(isChecked(res.text, 'b_public_service_include'), true);
      assert.equal(inputValue(res.text, 'free_2_title'), 'Gardé');
      assert.equal(textareaValue(res.text, 'free_2_text'), 'Texte libre gardé.');
      const { submission: sent, ...settingsAndStamp } = hiddenOf(res.text);
      const { submission: _fresh, ...again } = hiddenOf(await composePage(rep, HDF));
      assert.deepEqual(settingsAndStamp, again, 'the settings and the stamp are still there');
      assert.equal(sent, form.submission, 'the same page key, so a later generation is still one version');
      assert.equal(previewOf(res.text, '</article>'), undefined, 'no preview of an invalid declaration');
      assert.equal(await declarationCount(), before, `${action}: nothing saved`);
    }
  });

  it('accepts an emptied block once it is unticked', async () => {
    const res = await post(rep, '/declarations/nouvelle/textes', { ...form, b_public_service_text: '', b_public_service_include: undefined, action: 'preview' });
    assert.equal(res.status, 200);
    assert.ok(!text(previewOf(res.text, '</article>')!).includes(text(titleOf('public_service'))));
  });

  it('refuses a bad position, a titled free paragraph without text, and no block at all', async () => {
    const before = await declarationCount();
    const order = await post(rep, '/declarations/nouvelle/textes', { ...form, b_demands_order: 'premier', action: 'generate' });
    assert.equal(order.status, 400);
    assert.match(order.text, /id="f-b_demands_order-error">Indiquez une position entre 1 et 99\./);
    assert.equal(inputValue(order.text, 'b_demands_order'), 'premier');
    const free = await post(rep, '/declarations/nouvelle/textes', { ...form, free_1_title: 'Titre seul', action: 'generate' });
    assert.equal(free.status, 400);
    assert.match(text(free.text), /Rédigez le paragraphe ou effacez son titre\./);
    assert.equal(inputValue(free.text, 'free_1_title'), 'Titre seul');
    const none: Fields = { ...form };
    for (const id of BLOCK_IDS) none[`b_${id}_include`] = undefined;
    const empty = await post(rep, '/declarations/nouvelle/textes', { ...none, action: 'generate' });
    assert.equal(empty.status, 400);
    assert.match(text(empty.text), /Gardez au moins un bloc ou un paragraphe\./);
    assert.equal(await declarationCount(), before);
  });

  it('shows markup typed by the rep as text, never as markup', async () => {
    const res = await post(rep, '/declarations/nouvelle/textes', {
      ...form,
      free_1_title: '<img src=x onerror=alert(1)>',
      free_1_text: '<script>alert("x")</script> & fin',
      action: 'preview',
    });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /<script>alert|<img src=x/);
    assert.ok(previewOf(res.text, '</article>')!.includes('&lt;script&gt;alert'));
  });
});

// ---------------------------------------------------------------- generation

describe('POST /declarations/nouvelle/textes, action=generate, and the version', () => {
  let declarationId: number;
  let computedAtShown: string;
  const settings: Fields = { ...HDF, bodyName: 'CSE Hauts-de-France génération', meetingDate: '2026-12-17' };
  const edited = 'Pour les élu·es CGT, ces consultations tardives relèvent de l’organisation du travail : « les applicatifs restent ouverts ».';
  const freeTitle = 'Témoignages recueillis à Lille';
  const freeText = 'Plusieurs collègues nous ont dit avoir appris leur convocation la veille.';

  before(async () => {
    // The minute the compose page shows is the one the version must show: generating recomputes it.
    ctx.clock.freeze();
    const html = await composePage(rep, settings);
    computedAtShown = /Chiffres calculés le ([^<]+)<\/summary>/.exec(html)![1]!;
    declarationId = await generate(rep, {
      ...formOf(html),
      b_false_positives_include: undefined,
      b_right_to_disconnect_text: edited,
      b_right_to_disconnect_order: '15',
      free_1_title: freeTitle,
      free_1_text: freeText,
      free_1_order: '35',
    });
    ctx.clock.resume();
  });

  it('saves one version numbered 1, with the settings, by the rep, audited as a creation without content', async () => {
    const row = await ctx.db.selectFrom('declarations').selectAll().where('id', '=', declarationId).executeTakeFirstOrThrow();
    assert.equal(row.number, 1);
    assert.equal(row.meetingKind, 'CSE');
    assert.equal(row.bodyName, 'CSE Hauts-de-France génération');
    assert.equal(row.meetingDate, '2026-12-17');
    assert.equal(row.campaignId, 2);
    assert.equal(row.scope, 'HDF');
    assert.equal(row.createdBy, rep.user.id);
    const audit = await auditOf(declarationId);
    assert.deepEqual(
      audit.map(({ id: _id, at: _at, ...rest }) => rest),
      [{ actorUserId: rep.user.id, actorLabel: 'user', action: 'create', entityType: 'declaration', entityId: String(declarationId) }],
    );
  });

  it('redirects to the version page, which shows the document as edited', async () => {
    const res = await rep.agent.get(`/declarations/${declarationId}`);
    assert.equal(res.status, 200);
    const shown = text(res.text);
    assert.match(shown, /CSE Hauts-de-France génération, séance du 17 décembre 2026 version 1/);
    assert.match(shown, /Déclaration générée\. Téléchargez-la en PDF ou en Word ci-dessous\./);
    assert.ok(shown.includes(`chiffres arrêtés le ${computedAtShown} (Hauts-de-France)`), 'the figures’ date, as shown when composing');
    assert.match(shown, /par Rémi Représentant/);
    const doc = text(documentOf(res.text));
    assert.ok(doc.includes(text(edited)), 'the edited text');
    assert.ok(doc.includes(freeTitle) && doc.includes(freeText), 'the free paragraph');
    assert.ok(!doc.includes(text(titleOf('false_positives'))), 'not the unticked block');
    const at = (s: string) => doc.indexOf(text(s));
    assert.ok(at('Les élu·es CGT veulent revenir') < at(titleOf('right_to_disconnect')), 'opening (10) before 15');
    assert.ok(at(titleOf('right_to_disconnect')) < at(titleOf('figures')), '15 before figures (20)');
    assert.ok(at(titleOf('commitment')) < at(freeTitle) && at(freeTitle) < at(titleOf('public_service')), 'free (35) between 30 and 60');
    assert.match(doc, /Instance CSE Hauts-de-France génération/);
    assert.match(doc, /Périmètre Hauts-de-France/);
    assert.match(doc, /Agents suivis par la CGT 12/);
    assert.match(doc, /Dossiers suivis par la CGT 12/);
    assert.match(doc, /soit 12 des 939 agents concernés selon la direction \(1 %\)/);
    assert.match(doc, /Entretiens rapportés comme menés sous pression ou avec des menaces (moins de 5|n\.c\.)/);
    assert.match(doc, /Consultation légitime n\.c\./);
    assert.match(doc, /Tout effectif de 1 à 4 est indiqué « moins de 5 »/);
    assert.ok(res.text.includes(`href="/declarations/${declarationId}.pdf"`));
    assert.ok(res.text.includes(`href="/declarations/${declarationId}.docx"`));
    assert.ok(decode(res.text).includes(`href="/declarations/nouvelle/textes?depuis=${declarationId}"`));
    assertNoAgentName('the version page', res.text);
  });

  it('downloads the PDF with the figures, the edited texts, the chosen blocks and the meeting, and no name', async () => {
    const res = await download(rep, `/declarations/${declarationId}.pdf`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="declaration-cse-hauts-de-france-generation-2026-12-17-v1.pdf"');
    const pdf = await extractPdf(res.body);
    const body = squash(pdf.body);
    for (const expected of [
      edited,
      freeTitle,
      freeText,
      titleOf('figures'),
      titleOf('commitment'),
      titleOf('right_to_disconnect'),
      titleOf('demands'),
      'CSE Hauts-de-France génération',
      '17 décembre 2026',
      'Nous suivons 12 dossiers concernant 12 agents,',
      'soit 12 des 939 agents concernés selon la direction (1 %)',
      'Agents suivis par la CGT12',
      'Entretiens tenus12',
      'Entretiens rapportés comme menés sous pression ou avec des menaces',
      'moins de 5 comptes rendus concluant à une consultation illégitime',
    ]) {
      assert.ok(body.includes(squash(expected)), `the PDF has « ${expected} »`);
    }
    assert.ok(!body.includes(squash(titleOf('false_positives'))), 'not the unticked block');
    assert.ok(squash(pdf.pages[0]!.lines[0]!.text).includes(squash('CSE du 17 décembre 2026 — version 1')), 'the running header');
    assertNoAgentName('the PDF', pdf.body + JSON.stringify(pdf.info));
  });

  it('downloads the DOCX with the same content, and no name', async () => {
    const res = await download(rep, `/declarations/${declarationId}.docx`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="declaration-cse-hauts-de-france-generation-2026-12-17-v1.docx"');
    const docx = readDocx(res.body);
    assert.ok(docx.paragraphs.some((p) => p.text === edited), 'the edited text, exactly');
    assert.ok(docx.paragraphs.some((p) => p.text === freeTitle && p.style === 'Heading1'), 'the free paragraph title');
    assert.ok(docx.paragraphs.some((p) => p.text === freeText));
    assert.ok(docx.paragraphs.some((p) => p.text === titleOf('commitment')));
    assert.ok(!docx.text.includes(titleOf('false_positives')));
    const flat = squash(docx.text);
    for (const expected of ['CSE Hauts-de-France génération', 'Nous suivons 12 dossiers concernant 12 agents,', 'Agents suivis par la CGT', 'moins de 5']) {
      assert.ok(flat.includes(squash(expected)), `the DOCX has « ${expected} »`);
    }
    const { files } = openZip(res.body);
    const everything = [...files.values()].map((f) => f.toString('utf8')).join('\n');
    assertNoAgentName('the DOCX (every part)', everything);
  });

  it('records each view and each download in the audit log, without content', async () => {
    const before = (await auditOf(declarationId)).length;
    await rep.agent.get(`/declarations/${declarationId}`);
    await download(rep, `/declarations/${declarationId}.pdf`);
    await download(rep, `/declarations/${declarationId}.docx`);
    const rows = (await auditOf(declarationId)).slice(before);
    assert.deepEqual(
      rows.map((r) => [r.actorUserId, r.action, r.entityType, r.entityId, r.actorLabel]),
      [
        [rep.user.id, 'view', 'declaration', String(declarationId), 'user'],
        [rep.user.id, 'export', 'declaration', String(declarationId), 'user'],
        [rep.user.id, 'export', 'declaration', String(declarationId), 'user'],
      ],
    );
    for (const row of await auditOf(declarationId)) {
      assert.deepEqual(Object.keys(row).sort(), ['action', 'actorLabel', 'actorUserId', 'at', 'entityId', 'entityType', 'id']);
      assert.doesNotMatch(JSON.stringify(row), /Hauts-de-France|élu|Lille/, 'no content in the log');
    }
  });

  it('lists the version', async () => {
    const res = await rep.agent.get('/declarations');
    assert.equal(res.status, 200);
    assert.ok(res.text.includes(`<a class="case-row__name" href="/declarations/${declarationId}">CSE Hauts-de-France génération</a>`));
    assert.match(text(res.text), /CSE Hauts-de-France génération Version 1 Séance du 17 décembre 2026 Détournement de finalités — vague 2 \(2024\) Générée le .* par Rémi Représentant/);
  });
});

// ---------------------------------------------------------------- numbering and new versions

describe('versions of one meeting', () => {
  const settings: Fields = { ...HDF, bodyName: 'CSE Hauts-de-France versions', meetingDate: '2027-01-14' };
  const edited = 'Version retravaillée du bloc des chiffres, à relire avant la séance.';
  let v1: number;
  let v2: number;

  before(async () => {
    const form = await composeForm(rep, settings);
    v1 = await generate(rep, {
      ...form,
      b_figures_text: edited,
      b_demands_order: '3',
      b_public_service_include: undefined,
      free_2_title: 'Post-scriptum',
      free_2_text: 'Texte libre de la version 1.',
      free_2_order: '97',
    });
    v2 = await generate(rep, await composeForm(rep, settings));
  });

  it('numbers two generations for the same meeting 1 and 2, and another meeting from 1', async () => {
    const rows = await ctx.db.selectFrom('declarations').select(['id', 'number']).where('bodyName', '=', 'CSE Hauts-de-France versions').orderBy('id').execute();
    assert.deepEqual(rows.map((r) => [r.id, r.number]), [[v1, 1], [v2, 2]]);
    const otherDate = await generate(rep, await composeForm(rep, { ...settings, meetingDate: '2027-01-15' }));
    const otherKind = await generate(rep, await composeForm(rep, { ...settings, meetingKind: 'CSEC' }));
    for (const id of [otherDate, otherKind]) {
      const row = await ctx.db.selectFrom('declarations').select('number').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.number, 1, `declaration ${id} starts its own series`);
    }
    const page = await rep.agent.get(`/declarations/${v1}`);
    assert.match(text(page.text), /séance du 14 janvier 2027 version 1/);
    assert.ok(page.text.includes(`<a href="/declarations/${v2}">Version 2</a>`));
    assert.ok(page.text.includes('<strong>Version 1</strong>'));
    assert.ok(!page.text.includes(`href="/declarations/${otherDate}"`), 'another meeting is not among the versions');
    const v2Page = await rep.agent.get(`/declarations/${v2}`);
    assert.match(text(v2Page.text), /version 2/);
    assert.equal((await download(rep, `/declarations/${v2}.pdf`)).headers['content-disposition'], 'attachment; filename="declaration-cse-hauts-de-france-versions-2027-01-14-v2.pdf"');
  });

  it('prefills a new version from an old one’s texts, ticks and positions (?depuis=)', async () => {
    const res = await rep.agent.get(`/declarations/nouvelle/textes?depuis=${v1}`);
    assert.equal(res.status, 200);
    const html = res.text;
    assert.equal(textareaValue(html, 'b_figures_text'), edited, 'the edited text');
    assert.equal(inputValue(html, 'b_demands_order'), '3', 'the chosen position');
    assert.equal(isChecked(html, 'b_public_service_include'), false, 'the unticked block stays unticked');
    assert.equal(isChecked(html, 'b_demands_include'), true);
    assert.equal(inputValue(html, 'free_1_title'), 'Post-scriptum', 'the free paragraph, in the first slot');
    assert.equal(textareaValue(html, 'free_1_text'), 'Texte libre de la version 1.');
    assert.equal(inputValue(html, 'free_1_order'), '97');
    const hidden = hiddenOf(html);
    assert.equal(hidden.bodyName, 'CSE Hauts-de-France versions');
    assert.equal(hidden.meetingDate, '2027-01-14');
    assert.equal(hidden.regions, 'HDF');
    assert.equal(hidden.stamp, hiddenOf(await composePage(rep, settings)).stamp, 'a stamp of today’s figures');
    // Generating from it makes version 3 of the same meeting, with the kept text.
    const v3 = await generate(rep, formOf(html));
    const row = await ctx.db.selectFrom('declarations').select('number').where('id', '=', v3).executeTakeFirstOrThrow();
    assert.equal(row.number, 3);
    assert.ok(text(documentOf((await rep.agent.get(`/declarations/${v3}`)).text)).includes(edited));
  });

  it(
    'lists among a version’s versions only those the reader may open',
    async () => {
      const meeting: Fields = { meetingKind: 'CSEC', bodyName: 'CSEC France Travail partagé', meetingDate: '2027-02-01', campaignId: '2' };
      const theirs = await generate(outsider, await composeForm(outsider, { ...meeting, regions: ['IDF'] }));
      const ours = await generate(rep, await composeForm(rep, { ...meeting, regions: ['HDF'] }));
      assert.equal((await rep.agent.get(`/declarations/${theirs}`)).status, 404, 'the rep may not open the Île-de-France version');
      const page = await rep.agent.get(`/declarations/${ours}`);
      assert.equal(page.status, 200);
      assert.ok(!page.text.includes(`href="/declarations/${theirs}"`), 'no link to a version the rep may not open');
      assert.doesNotMatch(text(page.text), /Inès Francilienne/, 'nor its author');
    },
  );

  it('answers 404 to ?depuis= with an unknown or malformed id', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1.5', '']) {
      assert.equal((await rep.agent.get(`/declarations/nouvelle/textes?depuis=${id}`)).status, 404, id);
    }
  });
});

// ---------------------------------------------------------------- frozen figures, stale stamp

describe('figures that change', () => {
  it('refuses to generate with figures that changed since the page was opened (409), saving nothing and keeping the texts', async () => {
    for (let i = 0; i < 5; i++) await createCase(norman, { regionCode: 'NOR', site: 'Agence Caen' });
    const settings: Fields = { ...NOR, bodyName: 'CSE Normandie périmé' };
    const html = await composePage(norman, settings);
    assert.match(figuresPanelOf(html), ROW('Dossiers suivis', '5'));
    const form = formOf(html);
    const edited = 'Texte de la représentante, à garder même si les chiffres ont bougé.';

    await createCase(norman, { regionCode: 'NOR', site: 'Agence Caen' });

    const before = await declarationCount();
    const lastAudit = await ctx.lastAuditId();
    const res = await post(norman, '/declarations/nouvelle/textes', { ...form, b_opening_text: edited, b_demands_include: undefined, action: 'generate' });
    assert.equal(res.status, 409);
    assert.match(text(res.text), /Les chiffres ont changé depuis que vous avez ouvert cette page/);
    assert.match(text(res.text), /Rien n’a été enregistré\./);
    assert.equal(await declarationCount(), before, 'no row in declarations');
    assert.equal((await ctx.db.selectFrom('declarations').select('id').where('bodyName', '=', 'CSE Normandie périmé').execute()).length, 0);
    const audit = await ctx.db.selectFrom('auditLog').select('entityType').where('id', '>', lastAudit).execute();
    assert.ok(!audit.some((a) => a.entityType === 'declaration'));
    // The texts come back as typed; the figures shown are today's, with a new stamp.
    assert.equal(textareaValue(res.text, 'b_opening_text'), edited);
    assert.equal(textareaValue(res.text, 'b_figures_text'), form.b_figures_text);
    assert.equal(isChecked(res.text, 'b_demands_include'), false);
    assert.match(figuresPanelOf(res.text), ROW('Dossiers suivis', '6'));
    const fresh = hiddenOf(res.text);
    assert.notEqual(fresh.stamp, form.stamp);
    // Generating again from that page works.
    const id = await generate(norman, formOf(res.text));
    assert.ok(text(documentOf((await norman.agent.get(`/declarations/${id}`)).text)).includes(edited));
  });

  it(
    'does not let a preview swallow a change of figures: generating after it is still refused',
    async () => {
      const settings: Fields = { ...NOR, bodyName: 'CSE Normandie aperçu' };
      const form = await composeForm(norman, settings);
      await createCase(norman, { regionCode: 'NOR', site: 'Agence Caen' });
      const before = await declarationCount();
      const preview = await post(norman, '/declarations/nouvelle/textes', { ...form, action: 'preview' });
      assert.equal(preview.status, 200);
      const warned = /Les chiffres ont changé/.test(preview.text);
      const generated = await post(norman, '/declarations/nouvelle/textes', { ...formOf(preview.text), action: 'generate' });
      assert.ok(warned || generated.status === 409, `no warning on the preview and generate answered ${generated.status}`);
      if (!warned) assert.equal(await declarationCount(), before, 'nothing saved');
    },
  );

  it('keeps a generated version’s figures and their date when cases change; a new compose has the new ones', async () => {
    const own = await createTestContext(NO_RATE_LIMIT);
    try {
      // The minute shown when composing is the one generating must freeze: no minute may pass between.
      own.clock.freeze();
      const rep2 = await own.signedIn({ role: 'rep', regions: ['HDF'] });
      const make = async (overrides: Fields = {}) => {
        const res = await post(rep2, '/dossiers', caseForm(overrides));
        assert.equal(res.status, 303);
        return Number(/(\d+)$/.exec(String(res.headers.location))![1]);
      };
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push(await make());
      const settings: Fields = { ...HDF, bodyName: 'CSE figé' };
      const html = (await rep2.agent.get(composeUrl(settings))).text;
      const firstComputed = /Chiffres calculés le ([^<]+)<\/summary>/.exec(html)![1]!;
      const res = await post(rep2, '/declarations/nouvelle/textes', { ...formOf(html), action: 'generate' });
      assert.equal(res.status, 303);
      const id = Number(/(\d+)$/.exec(String(res.headers.location))![1]);
      const storedAt = (await own.db.selectFrom('declarations').select('figuresComputedAt').where('id', '=', id).executeTakeFirstOrThrow()).figuresComputedAt;

      // An hour later, two more cases and a sanction.
      own.clock.advance(61 * 60_000);
      await make();
      await make();
      const sanction = await post(rep2, `/dossiers/${ids[1]}/evenements`, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'blame' });
      assert.equal(sanction.status, 303);

      const page = await rep2.agent.get(`/declarations/${id}`);
      assert.equal(page.status, 200);
      assert.ok(text(page.text).includes(`chiffres arrêtés le ${firstComputed}`), 'the frozen date');
      const doc = text(documentOf(page.text));
      assert.match(doc, /Dossiers suivis par la CGT 7 /);
      assert.match(doc, /Nous suivons 7 dossiers concernant 7 agents,/);
      assert.match(doc, /Sanctions notifiées aucune/);
      assert.doesNotMatch(doc, /blâme/);
      const pdf = squash(await pdfBody(rep2, `/declarations/${id}.pdf`));
      assert.ok(pdf.includes(squash('Nous suivons 7 dossiers concernant 7 agents,')));
      assert.ok(pdf.includes(squash('Dossiers suivis par la CGT7')));
      assert.ok(!pdf.includes(squash('blâme')));
      const docx = squash(readDocx((await download(rep2, `/declarations/${id}.docx`)).body).text);
      assert.ok(docx.includes(squash('Nous suivons 7 dossiers concernant 7 agents,')));
      const stored = await own.db.selectFrom('declarations').select(['figuresComputedAt', 'figures']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(stored.figuresComputedAt, storedAt);
      assert.equal((JSON.parse(stored.figures) as { cases: { value: number } }).cases.value, 7);

      const now = await rep2.agent.get(composeUrl(settings));
      const nowComputed = /Chiffres calculés le ([^<]+)<\/summary>/.exec(now.text)![1]!;
      assert.notEqual(nowComputed, firstComputed, 'a new compose computes anew');
      assert.match(figuresPanelOf(now.text), ROW('Dossiers suivis', '9'));
      assert.match(figuresPanelOf(now.text), ROW('Dossiers avec une sanction notifiée : blâme', WITHHELD));
      assert.match(flat(textareaValue(now.text, 'b_figures_text')!), /Nous suivons 9 dossiers concernant 9 agents,/);
      // A new version from the old one has today's figures too, not the frozen ones.
      const depuis = await rep2.agent.get(`/declarations/nouvelle/textes?depuis=${id}`);
      assert.match(figuresPanelOf(depuis.text), ROW('Dossiers suivis', '9'));
    } finally {
      await own.close();
    }
  });

  it(
    'dates the figures in the texts on the Paris calendar, like the rest of the document',
    async () => {
      const own = await createTestContext(NO_RATE_LIMIT);
      try {
        // Move the clock to 00:30 in Paris tomorrow (23:30 or 22:30 UTC the day before), and keep it there.
        own.clock.freeze();
        const parisNow = new Date(own.clock.now().toLocaleString('en-US', { timeZone: 'Europe/Paris' }));
        const target = new Date(parisNow);
        target.setDate(target.getDate() + 1);
        target.setHours(0, 30, 0, 0);
        own.clock.advance(target.getTime() - parisNow.getTime());
        const rep2 = await own.signedIn({ role: 'rep', regions: ['HDF'] });
        const html = (await rep2.agent.get(composeUrl(HDF))).text;
        const computed = /Chiffres calculés le (\d{1,2} \S+ \d{4}) à 00:3\d<\/summary>/.exec(html);
        assert.ok(computed, 'the figures are computed at 00:30 Paris time');
        const day = computed[1]!.replace(/^1 /, '1er ');
        const figuresText = textareaValue(html, 'b_figures_text')!;
        assert.ok(figuresText.includes(`arrêtés au ${day}.`), `the text says: ${/arrêtés au [^.]+/.exec(figuresText)?.[0]}, the page: ${day}`);
      } finally {
        await own.close();
      }
    },
  );
});

// ---------------------------------------------------------------- unknown ids

describe('unknown or malformed ids', () => {
  it('answers a 404 page', async () => {
    const existing = await generate(rep, await composeForm(rep, { ...HDF, bodyName: 'CSE ids' }));
    for (const file of [
      '999999',
      '999999.pdf',
      '999999.docx',
      'abc',
      '1.exe',
      `${existing}.exe`,
      `${existing}.PDF`,
      `${existing}.pdf.pdf`,
      `${existing}.`,
      `0${existing}`,
      '0',
      '-1',
      '1e3',
      '99999999999999999',
      '9999999999999999',
      `${existing}%00`,
    ]) {
      const res = await rep.agent.get(`/declarations/${file}`);
      assert.equal(res.status, 404, file);
      assert.match(String(res.headers['content-type']), /text\/html/, file);
      assert.match(text(res.text), /Page introuvable/, file);
    }
    assert.equal((await rep.agent.get(`/declarations/${existing}`)).status, 200, 'the existing one is there');
  });
});

describe('resubmissions, long texts and settings that no longer hold', () => {
  it('a double click on « Générer » makes one version: the same page key returns the first', async () => {
    const form = await composeForm(rep, { ...HDF, bodyName: 'CSE double clic' });
    const before = await declarationCount();
    const first = await generate(rep, form);
    const second = await generate(rep, form);
    assert.equal(second, first);
    assert.equal(await declarationCount(), before + 1);
    // Another composed page is another version.
    const third = await generate(rep, await composeForm(rep, { ...HDF, bodyName: 'CSE double clic' }));
    assert.notEqual(third, first);
  });

  it('accepts long texts, up to the per-block limit, in every block', async () => {
    const form = await composeForm(rep, { ...HDF, bodyName: 'CSE textes longs' });
    const long = 'Les élu·es « CGT » demandent des réponses précises. '.repeat(370).slice(0, 19_000);
    for (const id of BLOCK_IDS) form[`b_${id}_text`] = long;
    const res = await post(rep, '/declarations/nouvelle/textes', { ...form, action: 'preview' });
    assert.equal(res.status, 200, text(res.text).slice(0, 300));
    assert.ok(previewOf(res.text, '</article>')?.includes('demandent des réponses précises'));
  });

  it('hands the texts back when the settings sent no longer hold, saving nothing', async () => {
    const form = await composeForm(rep, { ...HDF, bodyName: 'CSE région retirée' });
    const before = await declarationCount();
    const res = await post(rep, '/declarations/nouvelle/textes', { ...form, regions: ['IDF'], b_opening_text: 'Mon ouverture, à ne pas perdre.', action: 'generate' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Vos textes, à copier avant de recommencer/);
    assert.match(res.text, /Mon ouverture, à ne pas perdre\./);
    assert.equal(await declarationCount(), before);
  });

  it('warns, for several regions, when one of them has fewer than 5 cases', async () => {
    const html = await composePage(twoRegions, { ...HDF, bodyName: 'CSE deux régions', regions: ['HDF', 'IDF'] });
    assert.match(text(html), /Attention : Île-de-France compte moins de 5 dossiers/);
    const single = await composePage(rep, HDF);
    assert.doesNotMatch(text(single), /compte moins de 5 dossiers/);
  });
});
