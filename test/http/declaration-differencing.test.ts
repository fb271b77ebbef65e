/**
 * The differencing guard over HTTP: a declaration for Hauts-de-France is generated, then one for
 * Hauts-de-France and Occitanie is composed. Occitanie has three cases: printed beside the first
 * declaration, the second's counts would give them away by subtraction, so they are withheld
 * (« n.c. »), the rep is told on the compose page, the method note of the document says it, and
 * no figure of the PDF lets Occitanie's counts be worked out from the first declaration's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIFFERENCING_NOTICE } from '../../src/declarations/declaration-document';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT } from '../helpers/context';
import { extractPdf, squash } from '../helpers/document-text';
import { type Fields, encode, post } from '../helpers/forms';
import { download } from '../helpers/binary-bodies';
import { text } from '../helpers/html';
import { caseFormsOf, postCase, oddHoursCaseForm } from '../fixtures/case-form';
import { distinctiveNames } from '../fixtures/names';
import { readForm } from '../security/support';

let ctx: TestContext;
let rep: Signed;
const names = distinctiveNames();
const caseForm = caseFormsOf(names.next, oddHoursCaseForm);

const HDF: Fields = { meetingKind: 'CSE', bodyName: 'CSE Hauts-de-France', meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
const BOTH: Fields = { meetingKind: 'CSEC', bodyName: 'CSEC France Travail', meetingDate: '2026-12-17', campaignId: '2', regions: ['HDF', 'OCC'] };
const composeUrl = (settings: Fields) => `/declarations/nouvelle/textes?${encode(settings)}`;

/** Twelve Hauts-de-France cases (four interviews under pressure concluding « illégitime »), three in Occitanie. */
before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [rep] = await ctx.signInAll({ role: 'rep', name: 'Camille Deux-Régions', regions: ['HDF', 'OCC'] });
  for (let i = 0; i < 8; i++) await postCase(rep, caseForm());
  for (let i = 0; i < 4; i++) await postCase(rep, caseForm({ interviewTone: 'pressure', toneNotes: 'Pressions.', reportOutcome: 'illegitimate' }));
  await postCase(rep, caseForm({ regionCode: 'OCC', site: 'Agence Toulouse' }));
  for (let i = 0; i < 2; i++) await postCase(rep, caseForm({ regionCode: 'OCC', site: 'Agence Toulouse', reportOutcome: 'illegitimate' }));
});
after(() => ctx.close());

async function composePage(settings: Fields): Promise<string> {
  const res = await rep.agent.get(composeUrl(settings));
  assert.equal(res.status, 200, text(res.text).slice(0, 300));
  return res.text;
}

async function generate(form: Fields) {
  return post(rep, '/declarations/nouvelle/textes', { ...form, action: 'generate' });
}

async function generated(settings: Fields): Promise<number> {
  const res = await generate(readForm(await composePage(settings), '/declarations/nouvelle/textes'));
  assert.equal(res.status, 303, text(res.text).slice(0, 400));
  return Number(/^\/declarations\/(\d+)$/.exec(String(res.headers.location))?.[1]);
}

/** The PDF's figure rows as « label → number »: every count a reader can take from it. */
async function pdfCounts(id: number): Promise<{ body: string; counts: Map<string, number> }> {
  const res = await download(rep, `/declarations/${id}.pdf`);
  assert.equal(res.status, 200);
  const { body } = await extractPdf(res.body as Buffer);
  const counts = new Map<string, number>();
  for (const line of body.split('\n')) {
    const m = /^(.*?\D)\s*(\d[\d\s\u202f\u00a0]*)$/.exec(line.trim());
    if (m) counts.set(squash(m[1]!), Number(m[2]!.replace(/\D/g, '')));
  }
  return { body, counts };
}

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('the differencing guard', () => {
  let hdfId: number;
  let staleBoth: Fields;

  it('publishes Hauts-de-France as before: nothing was published to set it against', async () => {
    // Composed before anything is published: its figures will no longer hold once HDF is.
    staleBoth = readForm(await composePage(BOTH), '/declarations/nouvelle/textes');
    const page = await composePage(HDF);
    assert.doesNotMatch(page, /id="differencing"/);
    hdfId = await generated(HDF);
    const { body } = await pdfCounts(hdfId);
    assert.doesNotMatch(squash(body), new RegExp(squash(DIFFERENCING_NOTICE).slice(0, 40)));
    // What it published is stored with it.
    const rows = await sql<{ n: number; printed: number }>`select count(*) as n, count(*) filter (where state = 'printed') as printed from declaration_cells where declaration_id = ${hdfId}`.execute(ctx.db);
    assert.ok(rows.rows[0]!.printed > 5, JSON.stringify(rows.rows));
  });

  it('refuses a page composed before, whose figures would now reveal Occitanie', async () => {
    const res = await generate(staleBoth);
    assert.equal(res.status, 409);
    assert.match(flat(text(res.text)), /Les chiffres ont changé/);
    assert.match(res.text, /id="differencing"/);
  });

  it('withholds on the compose page the counts that would give Occitanie away, and says so', async () => {
    const page = flat(text(await composePage(BOTH)));
    assert.match(page, /Chiffres masqués pour empêcher un calcul par différence : rapprochés d’une déclaration déjà générée/);
    assert.match(page, /Vigie les indique « n.c. » : Dossiers suivis/);
  });

  it('generates a PDF whose method note says it and from which no Occitanie count can be worked out', async () => {
    const bothId = await generated(BOTH);
    const hdf = await pdfCounts(hdfId);
    const both = await pdfCounts(bothId);
    assert.ok(squash(both.body).includes(squash(DIFFERENCING_NOTICE)), 'the method note says why');
    assert.match(flat(both.body), /Nous suivons un nombre non communiqué de dossiers/);
    // A reader holding both PDFs subtracts each count of the first from the same count of the second.
    const compared: string[] = [];
    for (const [label, value] of both.counts) {
      const was = hdf.counts.get(label);
      if (was === undefined) continue;
      compared.push(label);
      assert.ok(!(value - was >= 1 && value - was <= 4), `${label}: ${was} then ${value}`);
    }
    assert.ok(compared.length >= 3, `some counts are printed in both: ${compared.join(', ')}`);
    // The counts that would have read 15 beside Hauts-de-France's 12 are not printed.
    for (const label of ['Dossiers suivis par la CGT', 'Agents suivis par la CGT', 'Entretiens tenus']) {
      assert.equal(hdf.counts.get(squash(label)), 12, label);
      assert.equal(both.counts.get(squash(label)), undefined, label);
    }
    // Occitanie's own row says only « moins de 5 ».
    assert.match(flat(both.body), /région Occitanie\s*moins de 5/);
  });

  it('reads a declaration generated before cells were stored from its figures', async () => {
    await sql`delete from declaration_cells`.execute(ctx.db);
    const page = flat(text(await composePage(BOTH)));
    assert.match(page, /Chiffres masqués pour empêcher un calcul par différence/);
  });
});
