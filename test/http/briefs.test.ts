/**
 * Defense briefs over HTTP: the review page (GET /dossiers/:id/argumentaire), preview and
 * generation (POST, action=preview|generate), the immutable versions and their HTML, PDF and
 * DOCX (GET /dossiers/:id/argumentaires/:versionId[.pdf|.docx]), with every refusal: no
 * session, another region, CSRF, invalid input (French messages, what the rep typed kept
 * verbatim), unknown and foreign version ids. The public rights guide (/guide, /guide.pdf) too.
 *
 * Cases are created through the case form, dates in 2024 (wave 2): the direction knew the facts
 * on 1 July 2024, so the two-month limit of L1332-4 ended on 1 September 2024.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { loadArgumentLibrary } from '../../src/briefs/argument-library';
import { loadBriefSettings } from '../../src/briefs/brief-settings';
import { proposedOrder } from '../../src/briefs/briefs.service';
import { type Signed, type TestContext, createTestContext, csrfFrom, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { extractPdf, readDocx, squash as squashAll } from '../helpers/document-text';
import { type Fields, encode, post } from '../helpers/forms';
import { caseFormsOf, oddHoursCaseForm, postCase } from '../fixtures/case-form';
import { binary, download } from '../helpers/binary-bodies';
import { decode, text as pageText, documentOf, inputValue, textareaValue, previewOf } from '../helpers/html';
import { uniqueNames } from '../fixtures/names';

let ctx: TestContext;
/** outsider covers Île-de-France only: must never reach a Hauts-de-France case or its briefs. */
let rep: Signed, outsider: Signed;

const library = loadArgumentLibrary();
const settings = loadBriefSettings();
const titleOf = (id: string) => library.find((a) => a.id === id)!.title;
/** The positions the review page proposes for a purpose (its ranking, strongest first). */
const positionsFor = (purpose: string) => proposedOrder(settings.purposes.find((p) => p.id === purpose)!, library);
/** French typography as the documents print it: narrow no-break spaces read as plain ones. */
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [rep, outsider] = await ctx.signInAll(PEOPLE.rep, PEOPLE.outsider);
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

/** The text of a page, tags removed, whitespace (French no-break spaces included) collapsed, trimmed. */
function text(html: string): string {
  return pageText(html).trim();
}

function isChecked(html: string, name: string): boolean {
  const m = new RegExp(`<input type="checkbox" name="${name}"[^>]*>`).exec(html);
  assert.ok(m, `checkbox ${name} is on the page`);
  return /\bchecked\b/.test(m[0]);
}

function selected(html: string, name: string): string | undefined {
  const select = new RegExp(`<select [^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return /<option value="([^"]*)" selected>/.exec(select)?.[1];
}

/** The review form as a browser would submit it, untouched. */
function formOf(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const a of library) {
    if (isChecked(html, `a_${a.id}_include`)) fields[`a_${a.id}_include`] = 'on';
    fields[`a_${a.id}_order`] = inputValue(html, `a_${a.id}_order`) ?? '';
    fields[`a_${a.id}_text`] = textareaValue(html, `a_${a.id}_text`) ?? '';
    fields[`a_${a.id}_summary`] = textareaValue(html, `a_${a.id}_summary`) ?? '';
  }
  if (/<input type="checkbox" name="annex" value="on" checked>/.test(html)) fields.annex = 'on';
  for (const slot of [1, 2]) {
    fields[`free_${slot}_title`] = inputValue(html, `free_${slot}_title`) ?? '';
    fields[`free_${slot}_order`] = inputValue(html, `free_${slot}_order`) ?? '';
    fields[`free_${slot}_text`] = textareaValue(html, `free_${slot}_text`) ?? '';
  }
  fields.purpose = selected(html, 'purpose') ?? '';
  fields.addressee = selected(html, 'addressee') ?? '';
  return fields;
}

const uniqueName = uniqueNames('Brief');

/** A wave-2, private-law, odd-hours case: two consultations at night or on a Saturday, one within hours. */
const caseForm = caseFormsOf(uniqueName, oddHoursCaseForm);

function createCase(overrides: Fields = {}): Promise<number> {
  return postCase(rep, caseForm(overrides));
}

async function addEvent(caseId: number, fields: Fields) {
  const res = await post(rep, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 300)}`);
}

/** A case with a sanction after the two-month limit: the commitment is broken. */
async function breachedCase(overrides: Fields = {}): Promise<number> {
  const id = await createCase(overrides);
  await addEvent(id, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
  return id;
}

async function reviewForm(caseId: number, who: Signed = rep) {
  const res = await who.agent.get(`/dossiers/${caseId}/argumentaire`);
  assert.equal(res.status, 200);
  return formOf(res.text);
}

async function versionCount(caseId?: number): Promise<number> {
  let q = ctx.db.selectFrom('briefVersions').select((eb) => eb.fn.countAll<number>().as('n'));
  if (caseId !== undefined) q = q.where('caseId', '=', caseId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function versionsOf(caseId: number) {
  return ctx.db.selectFrom('briefVersions').selectAll().where('caseId', '=', caseId).orderBy('number').execute();
}

/** Generates a version from the given form; returns its id. */
async function generate(caseId: number, form: Fields): Promise<number> {
  const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, action: 'generate' });
  assert.equal(res.status, 303, `generation refused: ${text(res.text).slice(0, 400)}`);
  const m = new RegExp(`^/dossiers/${caseId}/argumentaires/(\\d+)$`).exec(String(res.headers.location));
  assert.ok(m, `unexpected redirect ${String(res.headers.location)}`);
  return Number(m[1]);
}


async function pdfText(who: Signed, url: string): Promise<string> {
  const res = await download(who, url);
  assert.equal(res.status, 200);
  return (await extractPdf(res.body)).body;
}

const squash = squashAll;

// ---------------------------------------------------------------- the review page

describe('GET /dossiers/:id/argumentaire (review page)', () => {
  let caseId: number;
  let html: string;

  before(async () => {
    caseId = await breachedCase({ fullName: 'Élodie Vasseur' });
    const res = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.equal(res.status, 200);
    html = res.text;
  });

  it('is linked from the case page', async () => {
    const page = await rep.agent.get(`/dossiers/${caseId}`);
    assert.ok(page.text.includes(`href="/dossiers/${caseId}/argumentaire">Préparer un argumentaire</a>`));
  });

  it('offers every argument of the library, each with a checkbox, a position, a summary and a full text', () => {
    assert.equal((html.match(/<section class="argument-card/g) ?? []).length, library.length);
    for (const a of library) {
      assert.ok(html.includes(`name="a_${a.id}_include"`), `${a.id}: checkbox`);
      assert.ok(html.includes(`name="a_${a.id}_order"`), `${a.id}: position`);
      assert.ok(textareaValue(html, `a_${a.id}_summary`), `${a.id}: summary`);
      assert.ok(textareaValue(html, `a_${a.id}_text`), `${a.id}: text`);
      assert.ok(textareaValue(html, `a_${a.id}_summary`)!.length < textareaValue(html, `a_${a.id}_text`)!.length, `${a.id}: the summary is shorter than the full text`);
      assert.ok(text(html).includes(text(a.title)), `${a.id}: title`);
    }
    assert.ok(html.includes('name="annex"'), 'the annex checkbox');
  });

  it('ticks the arguments the facts support, with the reason, and puts them first', () => {
    for (const id of ['experiment_commitment', 'procedure_and_time_limits', 'right_to_disconnect', 'duty_to_train']) {
      assert.equal(isChecked(html, `a_${id}_include`), true, `${id} is ticked`);
    }
    for (const id of ['report_not_a_sanction', 'reminder_with_kindness', 'agents_account', 'declared_working_hours']) {
      assert.equal(isChecked(html, `a_${id}_include`), false, `${id} is not ticked`);
    }
    const shown = text(html);
    assert.match(shown, /Pourquoi : Des consultations signalées ont eu lieu entre 20 h et 5 h, le week-end ou un jour férié, en dehors des horaires de travail déclarés de l’agent \(ou ces horaires ne sont pas connus\)\./);
    assert.match(shown, /Pourquoi : La campagne comporte un engagement de la direction de n’engager aucune sanction disciplinaire\./);
    assert.match(shown, /Pourquoi pas : .*? Vous pouvez l’ajouter si les faits le justifient\./);
    assert.doesNotMatch(shown, /ne le rendent pas pertinent/, 'no generic sentence: each unticked argument says what is missing');
    const positions = library.map((a) => ({ id: a.id, at: html.indexOf(`name="a_${a.id}_include"`), ticked: isChecked(html, `a_${a.id}_include`) }));
    const lastTicked = Math.max(...positions.filter((p) => p.ticked).map((p) => p.at));
    const firstUnticked = Math.min(...positions.filter((p) => !p.ticked).map((p) => p.at));
    assert.ok(lastTicked < firstUnticked, 'the ticked arguments come first');
  });

  it('says, for each unticked argument, which fact is missing', () => {
    const reasonOf = (id: string) => {
      const start = html.indexOf(`aria-labelledby="arg-${id}"`);
      const card = html.slice(start, html.indexOf('</section>', start));
      return text(/<p class="argument-card__reason">([\s\S]*?)<\/p>/.exec(card)?.[1] ?? '').trim();
    };
    assert.equal(reasonOf('report_not_a_sanction'), 'Pourquoi pas : La conclusion du compte rendu n’est pas « Consultation illégitime ». Vous pouvez l’ajouter si les faits le justifient.');
    assert.equal(reasonOf('agents_account'), 'Pourquoi pas : Le récit de l’agent n’est pas renseigné dans le dossier. Vous pouvez l’ajouter si les faits le justifient.');
    assert.equal(reasonOf('reminder_with_kindness'), 'Pourquoi pas : L’entretien n’est pas rapporté comme « Pressions ou menaces ». Vous pouvez l’ajouter si les faits le justifient.');
    assert.equal(
      reasonOf('declared_working_hours'),
      'Pourquoi pas : Aucune consultation « hors normes » ne se situe pendant les horaires de travail déclarés de l’agent (ou ces horaires ne sont pas renseignés). Vous pouvez l’ajouter si les faits le justifient.',
    );
    assert.equal(reasonOf('procedure_and_time_limits'), 'Pourquoi : Une convocation à un entretien préalable à sanction ou une sanction a été notifiée.');
  });

  it('prefills the summaries and the full texts from the case facts', () => {
    const disconnect = plain(textareaValue(html, 'a_right_to_disconnect_text')!);
    assert.match(disconnect, /^Sur les 3 consultations relevées, 2 ont eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\) : 1 entre 20 h et 5 h, 1 le week-end\./);
    assert.match(plain(textareaValue(html, 'a_right_to_disconnect_summary')!), /^Parmi les consultations relevées, 2 ont eu lieu la nuit ou le week-end \(heure de Paris\), en dehors des horaires de travail de l’agent\./);
    const commitment = plain(textareaValue(html, 'a_experiment_commitment_text')!);
    assert.match(commitment, /Cet engagement n’a pas été tenu\. La direction a notifié le 3 octobre 2024 une sanction \(avertissement\)/);
    assert.match(plain(textareaValue(html, 'a_experiment_commitment_summary')!), /Cet engagement n’a pas été tenu : une sanction \(avertissement\) a été notifiée le 3 octobre 2024\./);
    const procedure = plain(textareaValue(html, 'a_procedure_and_time_limits_text')!);
    const late = 'La procédure disciplinaire a été engagée le 3 octobre 2024, après la fin du délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le 1er juillet 2024), le 1er septembre 2024.';
    assert.ok(procedure.includes(late), procedure);
    assert.ok(plain(textareaValue(html, 'a_procedure_and_time_limits_summary')!).includes(late));
    assert.match(plain(textareaValue(html, 'a_duty_to_train_text')!), /Élodie Vasseur indique n’avoir reçu aucune formation/);
    assert.match(plain(textareaValue(html, 'a_duty_to_train_summary')!), /^Élodie Vasseur indique n’avoir reçu aucune formation/);
  });

  it('has two empty free paragraphs and the purpose and addressee choices', () => {
    for (const slot of [1, 2]) {
      assert.equal(inputValue(html, `free_${slot}_title`), '');
      assert.equal(inputValue(html, `free_${slot}_order`), String(90 + slot));
      assert.equal(textareaValue(html, `free_${slot}_text`), '');
    }
    assert.ok(selected(html, 'purpose'));
    assert.ok(selected(html, 'addressee'));
    for (const code of ['interview_preparation', 'written_observations', 'letter', 'contestation']) assert.ok(html.includes(`<option value="${code}"`));
    for (const code of ['manager', 'regional_direction', 'hr_direction', 'agent']) assert.ok(html.includes(`<option value="${code}"`));
    assert.ok(html.includes('name="action" value="preview"'));
    assert.ok(html.includes('name="action" value="generate"'));
    assert.equal(previewOf(html, '</section>'), undefined, 'no preview before one is asked for');
  });

  it('by default, does not address the confidential interview preparation to the manager', () => {
    // The preparation note says it is « confidentiel : destiné à l'agent et à la personne qui
    // l'accompagne »; the page preselects it together with the manager as addressee.
    const purpose = selected(html, 'purpose');
    const addressee = selected(html, 'addressee');
    assert.ok(!(purpose === 'interview_preparation' && addressee === 'manager'), `default purpose ${purpose} with default addressee ${addressee}`);
  });

  it('proposes, for a sanctioned agent, a contestation to HR with its annex, the arguments ranked strongest first', () => {
    assert.equal(selected(html, 'purpose'), 'contestation');
    assert.equal(selected(html, 'addressee'), 'hr_direction');
    assert.equal(isChecked(html, 'annex'), true);
    assert.match(text(html), /Étape du dossier : sanction notifiée \. Vigie propose donc d’abord : « Contestation d’une sanction ou d’une procédure disciplinaire »\./);
    const positions = positionsFor('contestation');
    for (const a of library) assert.equal(inputValue(html, `a_${a.id}_order`), String(positions.get(a.id)), `${a.id}: the contestation's position`);
    // The ticked ones first, each group in the contestation's ranking: the procedure leads.
    const cards = [...html.matchAll(/<input type="checkbox" name="a_([a-z_]+)_include"[^>]*>/g)].map((m) => ({ id: m[1]!, ticked: /\bchecked\b/.test(m[0]) }));
    const byRank = (list: typeof cards) => [...list].sort((a, b) => positions.get(a.id)! - positions.get(b.id)!).map((c) => c.id);
    assert.deepEqual(cards.map((c) => c.id), [...byRank(cards.filter((c) => c.ticked)), ...byRank(cards.filter((c) => !c.ticked))]);
    assert.equal(cards[0]!.id, 'procedure_and_time_limits');
  });

  it('lists under each argument only the references the document will cite for this agent', async () => {
    // The generated brief filters references by the agent's status (citableFor); the review page
    // should not announce, for a private-law agent, the public-law decree, nor the reverse.
    const refsOf = (page: string, id: string) => {
      const start = page.indexOf(`aria-labelledby="arg-${id}"`);
      const cardHtml = page.slice(start, page.indexOf('</section>', start));
      return text(/<p class="argument-card__refs">([\s\S]*?)<\/p>/.exec(cardHtml)?.[1] ?? '');
    };
    const privateRefs = refsOf(html, 'procedure_and_time_limits');
    assert.match(privateRefs, /Article L1332-4 du Code du travail/);
    assert.doesNotMatch(privateRefs, /2003-1370/, 'a private-law agent is not under the décret n° 2003-1370');
    const publicCase = await breachedCase({ employmentStatus: 'public' });
    const publicPage = (await rep.agent.get(`/dossiers/${publicCase}/argumentaire`)).text;
    const publicRefs = refsOf(publicPage, 'procedure_and_time_limits');
    assert.match(publicRefs, /2003-1370/);
    assert.doesNotMatch(publicRefs, /L1332/, 'the Code du travail disciplinary articles do not apply to a public-law agent');
  });

  it('records the consultation of the case in the audit log', async () => {
    const before = (await ctx.auditOf('case', caseId)).filter((a) => a.action === 'view').length;
    await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    const after = (await ctx.auditOf('case', caseId)).filter((a) => a.action === 'view').length;
    assert.equal(after, before + 1);
  });

  it('answers 404 for an unknown or malformed case id', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1.5']) {
      assert.equal((await rep.agent.get(`/dossiers/${id}/argumentaire`)).status, 404, id);
    }
  });
});

// ---------------------------------------------------------------- what Vigie proposes first, by stage

describe('the default purpose and addressee follow the case’s stage', () => {
  /** An interview date still to come, whatever the day the suite runs. */
  const nextYear = `${new Date().getFullYear() + 1}-03-16`;
  const stages: Array<{ stage: string; label: string; purpose: string; addressee: string; annex: boolean; first: string; setUp: () => Promise<number> }> = [
    {
      stage: 'before the interview',
      label: 'avant l’entretien',
      purpose: 'interview_preparation',
      addressee: 'agent',
      annex: false,
      first: 'experiment_commitment',
      setUp: () => createCase({ convocationDate: '2024-09-02', interviewDate: nextYear, reportOutcome: '', interviewTone: '' }),
    },
    {
      stage: 'after a compte rendu concluding « illégitime »',
      label: 'compte rendu concluant à une consultation illégitime',
      purpose: 'written_observations',
      addressee: 'manager',
      annex: true,
      first: 'report_not_a_sanction',
      setUp: () => createCase({ reportOutcome: 'illegitimate' }),
    },
    {
      stage: 'after a convocation to an entretien préalable',
      label: 'convocation à un entretien préalable à sanction',
      purpose: 'pre_disciplinary_preparation',
      addressee: 'agent',
      annex: false,
      first: 'procedure_and_time_limits',
      setUp: async () => {
        const id = await createCase({ reportOutcome: 'illegitimate' });
        await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-10-01', hearingDate: '2024-10-10' });
        return id;
      },
    },
    {
      stage: 'after a sanction',
      label: 'sanction notifiée',
      purpose: 'contestation',
      addressee: 'hr_direction',
      annex: true,
      first: 'procedure_and_time_limits',
      setUp: () => breachedCase(),
    },
    {
      stage: 'after the interview, nothing else',
      label: 'après l’entretien',
      purpose: 'letter',
      addressee: 'manager',
      annex: true,
      first: 'experiment_commitment',
      setUp: () => createCase(),
    },
  ];

  for (const t of stages) {
    it(`${t.stage}: « ${settings.purposes.find((p) => p.id === t.purpose)!.label} » to ${t.addressee}`, async () => {
      const caseId = await t.setUp();
      const res = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
      assert.equal(res.status, 200);
      const label = settings.purposes.find((p) => p.id === t.purpose)!.label;
      assert.equal(selected(res.text, 'purpose'), t.purpose);
      assert.equal(selected(res.text, 'addressee'), t.addressee);
      assert.equal(isChecked(res.text, 'annex'), t.annex, 'the annex is proposed with letters, not with sheets');
      assert.ok(text(res.text).includes(`Étape du dossier : ${t.label} . Vigie propose donc d’abord : « ${label} ».`), text(res.text).slice(0, 1500));
      const positions = positionsFor(t.purpose);
      assert.equal(inputValue(res.text, `a_${t.first}_order`), String(positions.get(t.first)));
      const firstCard = /<input type="checkbox" name="a_([a-z_]+)_include"[^>]*>/.exec(res.text)!;
      assert.equal(firstCard[1], t.first, `the purpose's strongest applicable argument comes first`);
      assert.match(firstCard[0], /\bchecked\b/);
      // The document the untouched form previews is that purpose's.
      const preview = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...formOf(res.text), action: 'preview' });
      assert.equal(preview.status, 200, text(preview.text).slice(0, 300));
      assert.ok(text(previewOf(preview.text, '</section>')!).includes(label));
    });
  }
});

// ---------------------------------------------------------------- preview

describe('POST /dossiers/:id/argumentaire, action=preview', () => {
  it('shows an « Aperçu » of the edited brief and saves nothing', async () => {
    const caseId = await breachedCase();
    const form = await reviewForm(caseId);
    const before = await versionCount();
    const lastAudit = await ctx.lastAuditId();
    const edited = 'Texte revu par la CGT : l’agent répondait à un usager, à 21 h 15, depuis son poste.';
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, {
      ...form,
      a_false_positives_include: undefined,
      a_right_to_disconnect_text: edited,
      free_1_title: 'Un point de la CGT',
      free_1_text: 'Paragraphe libre ajouté par le représentant.',
      purpose: 'letter',
      addressee: 'regional_direction',
      action: 'preview',
    });
    assert.equal(res.status, 200);
    const preview = previewOf(res.text, '</section>');
    assert.ok(preview, 'the page has an « Aperçu » section');
    assert.match(text(preview), /Aperçu Rien n’est enregistré tant que vous n’avez pas cliqué sur « Générer le document »\./);
    const shown = text(preview);
    assert.ok(shown.includes(edited), 'the edited text');
    assert.ok(shown.includes('Un point de la CGT') && shown.includes('Paragraphe libre ajouté par le représentant.'), 'the free paragraph');
    assert.ok(!shown.includes(text(titleOf('false_positives'))), 'not the unticked argument');
    assert.ok(shown.includes('Courrier à la hiérarchie') && shown.includes('Madame la Directrice régionale, Monsieur le Directeur régional,'));
    assert.equal(await versionCount(), before, 'nothing saved');
    const audit = await ctx.db.selectFrom('auditLog').select(['action', 'entityType']).where('id', '>', lastAudit).execute();
    assert.ok(!audit.some((a) => a.entityType === 'brief'), 'no brief is recorded');
    // The form comes back as the rep left it.
    assert.equal(textareaValue(res.text, 'a_right_to_disconnect_text'), edited);
    assert.equal(isChecked(res.text, 'a_false_positives_include'), false);
    assert.equal(isChecked(res.text, 'a_right_to_disconnect_include'), true);
    assert.equal(selected(res.text, 'purpose'), 'letter');
    assert.equal(selected(res.text, 'addressee'), 'regional_direction');
    assert.equal(inputValue(res.text, 'free_1_title'), 'Un point de la CGT');
  });

  it('shows markup typed by the rep as text, never as markup', async () => {
    const caseId = await breachedCase();
    const form = await reviewForm(caseId);
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, {
      ...form,
      free_1_title: '<img src=x onerror=alert(1)>',
      free_1_text: '<script>alert("x")</script> & fin',
      action: 'preview',
    });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /<script>alert|<img src=x/);
    assert.ok(previewOf(res.text, '</section>')!.includes('&lt;script&gt;alert'));
    assert.equal(textareaValue(res.text, 'free_1_text'), '<script>alert("x")</script> & fin');
  });
});

// ---------------------------------------------------------------- generation and versions

describe('POST /dossiers/:id/argumentaire, action=generate, and the version', () => {
  let caseId: number;
  let versionId: number;
  const edited = 'Pour la CGT, ces consultations tardives relèvent de l’organisation du travail : « les applicatifs restent ouverts ».';
  /** The same sentence as the documents print it, in French typography. */
  const editedTypeset = 'Pour la CGT, ces consultations tardives relèvent de l’organisation du travail\u202f: «\u202fles applicatifs restent ouverts\u202f».';
  const editedSummary = 'En bref, pour la CGT : des consultations tardives relèvent de l’organisation du travail, pas d’un rappel aux règles.';
  const freeTitle = 'Précisions de l’agent';
  const freeText = 'L’agent travaillait ce soir-là sur un rattrapage demandé par sa responsable.';

  before(async () => {
    caseId = await breachedCase({ fullName: 'Gaëlle Dubœuf' });
    const form = await reviewForm(caseId);
    versionId = await generate(caseId, {
      ...form,
      a_false_positives_include: undefined,
      a_right_to_disconnect_text: edited,
      a_right_to_disconnect_summary: editedSummary,
      a_right_to_disconnect_order: '1',
      free_1_title: freeTitle,
      free_1_text: freeText,
      free_1_order: '2',
      purpose: 'contestation',
      addressee: 'hr_direction',
    });
  });

  it('saves one immutable version numbered 1, with what the rep chose', async () => {
    const rows = await versionsOf(caseId);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.id, versionId);
    assert.equal(row.number, 1);
    assert.equal(row.purpose, 'contestation');
    assert.equal(row.addressee, 'hr_direction');
    assert.equal(row.createdBy, rep.user.id);
    const ids = JSON.parse(row.argumentIds) as string[];
    assert.deepEqual(ids.slice(0, 2), ['right_to_disconnect', 'libre'], 'positions 1 and 2 come first');
    assert.ok(!ids.includes('false_positives'));
    assert.ok(ids.includes('experiment_commitment') && ids.includes('procedure_and_time_limits'));
  });

  it('audits the generation as the creation of a brief', async () => {
    const audit = await ctx.auditOf('brief', versionId);
    assert.deepEqual(audit[0], { actorUserId: rep.user.id, action: 'create', entityType: 'brief', entityId: String(versionId) });
  });

  it('shows the version: the edits and the free paragraph in the chosen order, not the unticked argument', async () => {
    const res = await rep.agent.get(`/dossiers/${caseId}/argumentaires/${versionId}`);
    assert.equal(res.status, 200);
    const doc = documentOf(res.text);
    const shown = text(doc);
    assert.match(text(res.text), /Argumentaire — version 1/);
    assert.ok(shown.includes('Dossier n° ' + caseId + ' — version 1'));
    assert.ok(shown.includes('Contestation d’une sanction'));
    assert.ok(shown.includes(text(edited)), 'the edited text');
    assert.ok(shown.includes(text(editedSummary)), 'the edited summary');
    assert.ok(shown.includes(freeTitle) && shown.includes(freeText), 'the free paragraph');
    assert.ok(!shown.includes(text(titleOf('false_positives'))), 'not the unticked argument');
    const at = (s: string) => shown.indexOf(s);
    const annexAt = at('Annexe : argumentaire détaillé');
    assert.ok(annexAt > 0, 'the contestation carries the detailed argumentaire as an annex');
    // The letter: the summaries by position (1 before 10), then the free paragraph, then the demands.
    assert.ok(at(text(titleOf('right_to_disconnect'))) < at(text(titleOf('experiment_commitment'))), 'position 1 before position 10');
    assert.ok(at(text(editedSummary)) < annexAt, 'the summary is in the letter');
    assert.ok(at(text(titleOf('experiment_commitment'))) < at(freeTitle), 'the free paragraph follows the summaries');
    assert.ok(at(freeTitle) < at('Nos demandes') && at('Nos demandes') < annexAt, 'the free paragraph is in the letter, before the demands');
    // The annex: the full texts in the same order.
    assert.ok(at(text(edited)) > annexAt, 'the full text is in the annex');
    const inAnnex = (s: string) => shown.indexOf(s, annexAt);
    assert.ok(inAnnex(text(titleOf('right_to_disconnect'))) < inAnnex(text(titleOf('experiment_commitment'))), 'position 1 first in the annex too');
    assert.match(shown, /Il ne constitue pas une consultation juridique/);
    assert.ok(res.text.includes(`href="/dossiers/${caseId}/argumentaires/${versionId}.pdf"`));
    assert.ok(res.text.includes(`href="/dossiers/${caseId}/argumentaires/${versionId}.docx"`));
    assert.deepEqual((await ctx.auditOf('brief', versionId)).at(-1), { actorUserId: rep.user.id, action: 'view', entityType: 'brief', entityId: String(versionId) });
  });

  /** Downloads the version in that format: 200, its type, a file named after the case, the purpose and the version. */
  async function downloadVersion(extension: 'pdf' | 'docx', contentType: string): Promise<Buffer> {
    const res = await download(rep, `/dossiers/${caseId}/argumentaires/${versionId}.${extension}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], contentType);
    const fileName = `argumentaire-\\d+-contestation-d-une-sanction-ou-d-une-procedure-disciplinaire-v1\\.${extension}`;
    assert.match(res.headers['content-disposition']!, new RegExp(`^attachment; filename="${fileName}"$`));
    return res.body;
  }

  it('downloads the PDF, audited as an export', async () => {
    const file = await downloadVersion('pdf', 'application/pdf');
    assert.equal(file.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdf = await extractPdf(file);
    const body = squash(pdf.body);
    assert.ok(body.includes(squash(edited)), 'the edited text');
    assert.ok(body.includes(squash(editedSummary)), 'the edited summary');
    assert.ok(body.includes(squash(freeText)), 'the free paragraph');
    assert.ok(!body.includes(squash(titleOf('false_positives'))), 'not the unticked argument');
    assert.ok(body.includes(squash('Gaëlle Dubœuf')));
    pdf.pages.forEach((p, i) => assert.equal(p.lines.at(-1)!.text, `page ${i + 1} sur ${pdf.pages.length}`));
    assert.deepEqual((await ctx.auditOf('brief', versionId)).at(-1), { actorUserId: rep.user.id, action: 'export', entityType: 'brief', entityId: String(versionId) });
  });

  it('downloads the DOCX, audited as an export', async () => {
    const docx = readDocx(await downloadVersion('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
    assert.ok(docx.paragraphs.some((p) => p.text === editedTypeset), 'the edited text, exactly, in French typography');
    assert.ok(docx.paragraphs.some((p) => p.text === 'En bref, pour la CGT\u202f: des consultations tardives relèvent de l’organisation du travail, pas d’un rappel aux règles.'), 'the edited summary');
    assert.ok(docx.paragraphs.some((p) => p.text === 'Annexe\u202f: argumentaire détaillé' && p.style === 'Heading1'), 'the annex');
    assert.ok(docx.paragraphs.some((p) => p.text === freeTitle && p.style === 'Heading1'));
    assert.ok(docx.paragraphs.some((p) => p.text === freeText));
    assert.ok(!docx.text.includes(titleOf('false_positives')));
    assert.deepEqual((await ctx.auditOf('brief', versionId)).at(-1), { actorUserId: rep.user.id, action: 'export', entityType: 'brief', entityId: String(versionId) });
  });

  it('lists the version on the review page', async () => {
    const res = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.ok(res.text.includes(`<a href="/dossiers/${caseId}/argumentaires/${versionId}">Version 1</a>`));
  });
});

describe('versions are immutable', () => {
  it('keeps version 1 as it was when the case changes, and numbers the next one 2', async () => {
    const caseId = await createCase({ fullName: 'Noémie Carré' });
    const v1 = await generate(caseId, await reviewForm(caseId));
    const v1Html = documentOf((await rep.agent.get(`/dossiers/${caseId}/argumentaires/${v1}`)).text);
    const v1Pdf = await pdfText(rep, `/dossiers/${caseId}/argumentaires/${v1}.pdf`);
    assert.doesNotMatch(v1Html, /blâme/);

    // The case changes: a sanction is recorded, the commitment is broken.
    await addEvent(caseId, { type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame' });
    const form = await reviewForm(caseId);
    assert.match(plain(form.a_experiment_commitment_text!), /La direction a notifié le 15 octobre 2024 une sanction \(blâme\)/, 'the proposals follow the case');
    assert.equal(form.purpose, 'contestation', 'and so does the purpose');
    const v2 = await generate(caseId, form);

    const rows = await versionsOf(caseId);
    assert.deepEqual(rows.map((r) => [r.id, r.number]), [[v1, 1], [v2, 2]]);
    const v2Html = documentOf((await rep.agent.get(`/dossiers/${caseId}/argumentaires/${v2}`)).text);
    assert.match(text(v2Html), /La direction a notifié le 15 octobre 2024 une sanction \(blâme\)/);
    assert.match(text(v2Html), /version 2/);

    // Version 1 has not moved: same HTML, same PDF text, still downloadable.
    const v1HtmlAfter = documentOf((await rep.agent.get(`/dossiers/${caseId}/argumentaires/${v1}`)).text);
    assert.equal(v1HtmlAfter, v1Html);
    assert.equal(await pdfText(rep, `/dossiers/${caseId}/argumentaires/${v1}.pdf`), v1Pdf);
    assert.equal((await download(rep, `/dossiers/${caseId}/argumentaires/${v1}.docx`)).status, 200);
    assert.doesNotMatch(v1Pdf, /blâme/);

    // Both are listed, newest first.
    const page = await rep.agent.get(`/dossiers/${caseId}/argumentaires/${v1}`);
    assert.ok(page.text.includes(`<a href="/dossiers/${caseId}/argumentaires/${v2}">Version 2</a>`));
    assert.ok(page.text.includes('<strong>Version 1</strong>'));
    assert.ok(page.text.indexOf('Version 2') < page.text.indexOf('<strong>Version 1</strong>'));
  });

  it('keeps an argument whose position was left empty at its proposed place', async () => {
    // For a sanctioned agent the page proposes the contestation's ranking: the procedure first,
    // then the commitment, the reverse of the library's order. An emptied position should fall
    // back to the proposed one, not to one computed from the library.
    const positions = positionsFor('contestation');
    const procedure = library.find((a) => a.id === 'procedure_and_time_limits')!;
    const commitment = library.find((a) => a.id === 'experiment_commitment')!;
    assert.ok(positions.get(procedure.id)! < positions.get(commitment.id)! && procedure.order > commitment.order, 'the ranking and the library disagree, so the fallback shows');
    const id = await breachedCase();
    const form = await reviewForm(id);
    assert.equal(form.a_procedure_and_time_limits_order, String(positions.get(procedure.id)));
    assert.equal(form.a_experiment_commitment_order, String(positions.get(commitment.id)));
    await generate(id, { ...form, a_procedure_and_time_limits_order: '' });
    const [row] = await versionsOf(id);
    const ids = JSON.parse(row!.argumentIds) as string[];
    assert.equal(ids[0], 'procedure_and_time_limits', `order: ${ids.join(', ')}`);
  });

  it('numbers each case’s versions from 1', async () => {
    const other = await createCase();
    const id = await generate(other, await reviewForm(other));
    assert.deepEqual((await versionsOf(other)).map((r) => [r.id, r.number]), [[id, 1]]);
  });
});

// ---------------------------------------------------------------- invalid input

describe('invalid input', () => {
  let caseId: number;
  let form: Record<string, string>;
  /** Typed by the rep: must come back character for character. */
  const typed = '  Mon texte <b>à moi</b> & « le sien », l’agent = "témoin" `x`\n\nDeuxième paragraphe.  ';

  before(async () => {
    caseId = await breachedCase();
    form = await reviewForm(caseId);
  });

  for (const action of ['preview', 'generate']) {
    it(`refuses an emptied kept argument with 400, keeping the other texts verbatim (${action})`, async () => {
      const before = await versionCount();
      const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, a_duty_to_train_text: '   ', a_right_to_disconnect_text: typed, action });
      assert.equal(res.status, 400);
      assert.match(text(res.text), /Le formulaire contient des erreurs\./);
      assert.match(text(res.text), /Ce texte est vide : décochez l’argument ou rédigez-le\./);
      assert.match(res.text, /aria-invalid="true" aria-describedby="f-a_duty_to_train_text-error"/);
      assert.equal(textareaValue(res.text, 'a_right_to_disconnect_text'), typed);
      assert.equal(textareaValue(res.text, 'a_duty_to_train_text'), '   ');
      assert.equal(previewOf(res.text, '</section>'), undefined, 'no preview of an invalid brief');
      assert.equal(await versionCount(), before, 'nothing saved');
    });
  }

  for (const action of ['preview', 'generate']) {
    it(`refuses a kept argument with an empty summary with 400, in French, keeping what was typed (${action})`, async () => {
      const before = await versionCount();
      const res = await post(rep, `/dossiers/${caseId}/argumentaire`, {
        ...form,
        a_duty_to_train_summary: '  ',
        a_right_to_disconnect_summary: typed,
        a_right_to_disconnect_text: typed,
        action,
      });
      assert.equal(res.status, 400);
      assert.match(text(res.text), /Le formulaire contient des erreurs\./);
      assert.match(text(res.text), /Ce résumé est vide : décochez l’argument ou rédigez-le en quelques lignes\./);
      assert.match(res.text, /aria-invalid="true" aria-describedby="f-a_duty_to_train_summary-error"/);
      assert.match(res.text, /id="f-a_duty_to_train_summary-error"[^>]*>Ce résumé est vide/);
      assert.equal(textareaValue(res.text, 'a_duty_to_train_summary'), '  ');
      assert.equal(textareaValue(res.text, 'a_duty_to_train_text'), form.a_duty_to_train_text, 'its full text is kept');
      assert.equal(textareaValue(res.text, 'a_right_to_disconnect_summary'), typed);
      assert.equal(textareaValue(res.text, 'a_right_to_disconnect_text'), typed);
      assert.equal(isChecked(res.text, 'a_duty_to_train_include'), true, 'still ticked');
      assert.equal(previewOf(res.text, '</section>'), undefined, 'no preview of an invalid brief');
      assert.equal(await versionCount(), before, 'nothing saved');
    });
  }

  it('accepts an empty summary for an argument that is not kept', async () => {
    assert.equal(form.a_report_not_a_sanction_include, undefined, 'the argument is not ticked');
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, a_report_not_a_sanction_summary: '', a_report_not_a_sanction_text: '', action: 'preview' });
    assert.equal(res.status, 200, text(res.text).slice(0, 300));
    assert.ok(previewOf(res.text, '</section>'));
  });

  it('refuses a position that is not a number between 1 and 99, keeping what was typed', async () => {
    const before = await versionCount();
    for (const bad of ['abc', '0', '100', '2.5', '-3']) {
      const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, a_right_to_disconnect_order: bad, a_right_to_disconnect_text: typed, action: 'generate' });
      assert.equal(res.status, 400, bad);
      assert.match(text(res.text), /Indiquez une position entre 1 et 99\./);
      assert.equal(inputValue(res.text, 'a_right_to_disconnect_order'), bad);
      assert.equal(textareaValue(res.text, 'a_right_to_disconnect_text'), typed);
    }
    const free = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, free_1_text: 'Un paragraphe.', free_1_order: 'premier', action: 'generate' });
    assert.equal(free.status, 400);
    assert.equal(inputValue(free.text, 'free_1_order'), 'premier');
    assert.match(text(free.text), /Indiquez une position entre 1 et 99\./);
    assert.equal(await versionCount(), before);
  });

  it('ties an invalid position to its message, for screen readers', async () => {
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, a_right_to_disconnect_order: 'abc', action: 'preview' });
    assert.equal(res.status, 400);
    const input = /<input [^>]*name="a_right_to_disconnect_order"[^>]*>/.exec(res.text)![0];
    assert.match(input, /aria-invalid="true"/);
    const describedBy = /aria-describedby="([^"]+)"/.exec(input)?.[1];
    assert.ok(describedBy, `the position field names its error message: ${input}`);
    assert.match(res.text, new RegExp(`id="${describedBy}"[^>]*>Indiquez une position entre 1 et 99\\.`));
  });

  it('refuses a brief without any argument or paragraph', async () => {
    const before = await versionCount();
    const none: Fields = { ...form };
    for (const a of library) none[`a_${a.id}_include`] = undefined;
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...none, action: 'generate' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Gardez au moins un argument ou un paragraphe\./);
    for (const a of library) assert.equal(isChecked(res.text, `a_${a.id}_include`), false, `${a.id} stays unticked`);
    assert.equal(await versionCount(), before);
  });

  it('links every message of the error summary to something on the page', async () => {
    const nothingKept: Fields = { ...form, purpose: 'nope' };
    for (const a of library) nothingKept[`a_${a.id}_include`] = undefined;
    const fieldErrors: Fields = { ...form, a_right_to_disconnect_order: 'abc', a_duty_to_train_text: '', a_experiment_commitment_summary: '', free_2_title: 'Sans texte' };
    const broken: string[] = [];
    for (const fields of [nothingKept, fieldErrors]) {
      const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...fields, action: 'preview' });
      assert.equal(res.status, 400);
      const summary = /<div class="notice notice--error error-summary"[\s\S]*?<\/div>/.exec(res.text)![0];
      const targets = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(targets.length >= 2);
      broken.push(...targets.filter((id) => !res.text.includes(`id="${id}"`)));
    }
    assert.deepEqual(broken, [], 'error summary links without a target');
  });

  it('refuses an unknown purpose or addressee, keeping the texts', async () => {
    const before = await versionCount();
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, purpose: 'plainte', addressee: 'prefet', a_right_to_disconnect_text: typed, action: 'generate' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Choisissez l’objet du document\./);
    assert.match(text(res.text), /Choisissez le destinataire\./);
    assert.equal(textareaValue(res.text, 'a_right_to_disconnect_text'), typed);
    const missing = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, purpose: undefined, addressee: undefined, action: 'generate' });
    assert.equal(missing.status, 400);
    assert.match(text(missing.text), /Choisissez l’objet du document\./);
    assert.equal(await versionCount(), before);
  });

  it('refuses a free paragraph with a title and no text, and an over-long text', async () => {
    const before = await versionCount();
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, free_2_title: 'Titre sans texte', action: 'generate' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Rédigez le paragraphe ou effacez son titre\./);
    assert.equal(inputValue(res.text, 'free_2_title'), 'Titre sans texte');
    const long = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, free_1_text: 'a'.repeat(20_001), action: 'generate' });
    assert.equal(long.status, 400);
    assert.match(text(long.text), /Ce texte dépasse 20\s?000 caractères\./);
    assert.equal(await versionCount(), before);
  });

  it('survives a field sent twice without an error page', async () => {
    const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...form, a_right_to_disconnect_text: ['un', 'deux'], action: 'preview' });
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Ce texte est vide/);
  });
});

// ---------------------------------------------------------------- refusals

describe('refusals', () => {
  let caseId: number;
  let versionId: number;
  let otherCaseId: number;
  let otherVersionId: number;

  before(async () => {
    caseId = await breachedCase({ fullName: uniqueName('Confidentielle') });
    versionId = await generate(caseId, await reviewForm(caseId));
    otherCaseId = await createCase();
    otherVersionId = await generate(otherCaseId, await reviewForm(otherCaseId));
  });

  it('sends a visitor without a session to the login page, and saves nothing', async () => {
    const anonymous = request.agent(ctx.app);
    for (const url of [
      `/dossiers/${caseId}/argumentaire`,
      `/dossiers/${caseId}/argumentaires/${versionId}`,
      `/dossiers/${caseId}/argumentaires/${versionId}.pdf`,
      `/dossiers/${caseId}/argumentaires/${versionId}.docx`,
    ]) {
      const res = await anonymous.get(url);
      assert.equal(res.status, 303, url);
      assert.equal(res.headers.location, '/connexion', url);
    }
    const before = await versionCount();
    const form = await reviewForm(caseId);
    const token = await csrfFrom(anonymous, '/connexion');
    const res = await anonymous.post(`/dossiers/${caseId}/argumentaire`).type('form').send(encode({ ...form, _csrf: token, action: 'generate' }));
    assert.ok(res.status === 303 || res.status === 403, `refused (${res.status})`);
    if (res.status === 303) assert.equal(res.headers.location, '/connexion');
    assert.equal(await versionCount(), before);
  });

  it('refuses a missing or wrong CSRF token with 403, saving nothing', async () => {
    const before = await versionCount();
    const form = await reviewForm(caseId);
    const missing = await rep.agent.post(`/dossiers/${caseId}/argumentaire`).type('form').send(encode({ ...form, action: 'generate' }));
    assert.equal(missing.status, 403);
    const wrong = await rep.agent.post(`/dossiers/${caseId}/argumentaire`).type('form').send(encode({ ...form, _csrf: 'faux', action: 'generate' }));
    assert.equal(wrong.status, 403);
    const preview = await rep.agent.post(`/dossiers/${caseId}/argumentaire`).type('form').send(encode({ ...form, _csrf: 'faux', action: 'preview' }));
    assert.equal(preview.status, 403);
    assert.match(text(wrong.text), /Action refusée/);
    assert.equal(await versionCount(), before);
  });

  it('answers 404 to a rep of another region on every brief route, creating nothing and tracing nothing', async () => {
    const before = await versionCount();
    const auditBefore = await ctx.auditCountBy(outsider.user.id);
    const form = await reviewForm(caseId);
    const attempts: Array<[string, () => Promise<{ status: number; text?: string }>]> = [
      ['GET review', () => outsider.agent.get(`/dossiers/${caseId}/argumentaire`)],
      ['POST preview', () => post(outsider, `/dossiers/${caseId}/argumentaire`, { ...form, action: 'preview' })],
      ['POST generate', () => post(outsider, `/dossiers/${caseId}/argumentaire`, { ...form, action: 'generate' })],
      ['POST invalid', () => post(outsider, `/dossiers/${caseId}/argumentaire`, { purpose: 'x', action: 'generate' })],
      ['GET version', () => outsider.agent.get(`/dossiers/${caseId}/argumentaires/${versionId}`)],
      ['GET pdf', () => outsider.agent.get(`/dossiers/${caseId}/argumentaires/${versionId}.pdf`)],
      ['GET docx', () => outsider.agent.get(`/dossiers/${caseId}/argumentaires/${versionId}.docx`)],
    ];
    for (const [label, attempt] of attempts) {
      const res = await attempt();
      assert.equal(res.status, 404, label);
      assert.doesNotMatch(res.text ?? '', /Confidentielle/, `${label} shows nothing of the case`);
    }
    assert.equal(await versionCount(), before, 'no version created');
    assert.equal(await ctx.auditCountBy(outsider.user.id), auditBefore, 'nothing recorded for them');
  });

  it('answers 404 for unknown and malformed version ids', async () => {
    for (const file of ['999999', '999999.pdf', '999999.docx', 'abc', '0', '00', `0${versionId}`, '-1', `${versionId}.PDF`, `${versionId}.txt`, `${versionId}.pdf.pdf`, `${versionId}.`, '1e3', '99999999999999999', `${versionId}%00`]) {
      const res = await rep.agent.get(`/dossiers/${caseId}/argumentaires/${file}`);
      assert.equal(res.status, 404, file);
    }
    assert.equal((await rep.agent.get(`/dossiers/abc/argumentaires/${versionId}`)).status, 404);
    assert.equal((await rep.agent.get(`/dossiers/999999/argumentaires/${versionId}`)).status, 404);
  });

  it('answers 404 for a version of another case, in every format', async () => {
    for (const suffix of ['', '.pdf', '.docx']) {
      assert.equal((await rep.agent.get(`/dossiers/${caseId}/argumentaires/${otherVersionId}${suffix}`)).status, 404, suffix);
      assert.equal((await rep.agent.get(`/dossiers/${otherCaseId}/argumentaires/${versionId}${suffix}`)).status, 404, suffix);
    }
  });
});

// ---------------------------------------------------------------- the public guide

describe('the rights guide (public)', () => {
  it('is readable without an account, with the commitment of the campaign under way', async () => {
    const res = await request(ctx.app).get('/guide');
    assert.equal(res.status, 200);
    const shown = text(res.text);
    assert.match(shown, /Convoqué·e pour un rappel aux règles : vos droits/);
    assert.match(shown, /Ce que la direction s’est engagée à faire/);
    assert.match(shown, /aucune sanction disciplinaire ne sera engagée/);
    assert.match(shown, /Il ne constitue pas une consultation juridique/);
    assert.ok(res.text.includes('href="/guide.pdf"'));
  });

  it('downloads as a PDF without an account', async () => {
    const res = await request(ctx.app).get('/guide.pdf').buffer(true).parse(binary);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /filename="guide-droits-agent-convoque\.pdf"/);
    const pdf = await extractPdf(res.body as Buffer);
    assert.ok(squash(pdf.body).includes(squash('Convoqué·e pour un rappel aux règles : vos droits')));
    pdf.pages.forEach((p, i) => assert.equal(p.lines.at(-1)!.text, `page ${i + 1} sur ${pdf.pages.length}`));
  });
});
