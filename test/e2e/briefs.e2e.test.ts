/**
 * Browser journey of a union rep preparing a defense brief, over the real app (in-process server,
 * throw-away SQLite file, Debian's Chromium):
 *  - a wave-2 "horaires hors normes" case is set up through the services: private-law agent, the
 *    direction knew the facts on 1 July 2024, a blâme notified on 15 October 2024 (after the
 *    two-month limit of L1332-4, and despite the no-sanction commitment: "Engagement rompu");
 *  - the rep logs in, opens the case and « Préparer un argumentaire »: Vigie proposes, at this
 *    stage, a contestation to HR with the detailed argumentaire as an annex;
 *  - unticks one argument (the direction's figures), rewrites another (the right to disconnect:
 *    its few lines for the letter and its full text for the annex), previews, generates, and
 *    downloads the PDF: the file is a PDF whose letter has the rewritten summary, whose annex has
 *    the rewritten text, in French typography, and which has nothing of the unticked argument;
 *  - the review page, the version page and the public guide are checked with axe (serious or
 *    critical = failure) at laptop and phone sizes; on a phone nothing may scroll sideways.
 * Screenshots (briefs-*.png, with VIGIE_SCREENSHOTS=1) land in test/artifacts/screenshots/, the downloaded PDF in
 * test/artifacts/briefs-e2e.pdf, axe's full findings in test/artifacts/briefs-axe-report.txt.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { interviewedCaseInput, officeAgentInput } from '../fixtures/case-inputs';
import { extractPdf, squash } from '../helpers/document-text';
import {
  LAPTOP,
  PHONE,
  ROOT,
  assertNoHorizontalScroll,
  logIn,
  newContext,
  screenshot,
  Journey,
  activeUser,
  REP,
  previewComposer,
  STEP,
} from './support';

const AGENT = 'Karine Lefèvre';
const UNTICKED = 'Les chiffres de la direction elle-même';
const EDITED_ARGUMENT = 'Le droit à la déconnexion';
/** Typed as on a keyboard (a plain space before the colon): the documents print it in French typography. */
const EDITED_TEXT =
  'Pour la CGT, Karine Lefèvre s’est connectée le soir parce que les applicatifs restent ouverts : c’est à la direction d’organiser la déconnexion, pas à l’agent d’en porter la faute.';
const EDITED_SUMMARY = 'En bref : les applicatifs restent ouverts le soir, la déconnexion est l’affaire de la direction.';
const CONTESTATION = 'Contestation d’une sanction ou d’une procédure disciplinaire';
const ANNEX_BOX = 'Joindre en annexe l’argumentaire détaillé (textes complets et références)';
/** The textareas of an argument card. */
const SUMMARY_LABEL = 'En quelques lignes, pour le courrier ou la fiche';
const TEXT_LABEL = 'Texte complet, pour l’annexe';
const DOWNLOADED = path.join(ROOT, 'test/artifacts/briefs-e2e.pdf');

const journey = new Journey('briefs-axe-report.txt');
const { checks } = journey;
let baseUrl = '';
let caseId = 0;
let versionPath = '';
/** Where the « Aperçu » heading was, in the window, right after « Prévisualiser ». */
let previewTopAfterClick: { top: number; windowHeight: number } | undefined;

/** One argument card of the review page, found by the argument's title. */
function card(p: Page, title: string): Locator {
  return p.locator('section.argument-card').filter({ has: p.getByRole('checkbox', { name: title, exact: true }) });
}

describe('Vigie in a browser: a rep prepares a defense brief', () => {
  before(() =>
    journey.start(async (app) => {
      baseUrl = app.baseUrl;
      const { services } = app;
      const user = await activeUser(services, { ...REP, role: 'rep', regions: ['HDF'] });
      const wave2 = (await services.campaigns.list()).find((c) => c.wave === 2);
      assert.ok(wave2);
      caseId = await services.casesService.create(user, {
        agent: officeAgentInput(AGENT, { civility: 'madame' }),
        case: interviewedCaseInput(wave2.id, { repIds: [user.id] }),
      });
      // Tue 14 May 21:15 and Sun 2 June 22:40 (Paris): at night; Tue 21 May 10:00: within hours.
      await services.casesService.addConsultations(user, caseId, [
        { at: '2024-05-14T19:15:00Z', action: 'consulted', explanation: 'answering_user', explanationText: '' },
        { at: '2024-06-02T20:40:00Z', action: 'consulted', explanation: 'answering_user', explanationText: '' },
        { at: '2024-05-21T08:00:00Z', action: 'consulted', explanation: 'answering_user', explanationText: '' },
      ]);
      await services.casesService.addEvent(user, caseId, { type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame' });
    }),
  );

  after(() => journey.close());

  test('the rep opens the breached case and « Préparer un argumentaire »', STEP, async () => {
    const p = await journey.openLaptopPage();
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);
    await p.goto(`${baseUrl}/dossiers/${caseId}`);
    await p.getByRole('heading', { level: 1, name: AGENT }).waitFor();
    await p.locator('section.status-panel').getByRole('heading', { level: 2, name: 'Engagement rompu' }).waitFor();
    await Promise.all([p.waitForURL(`${baseUrl}/dossiers/${caseId}/argumentaire`), p.getByRole('link', { name: 'Préparer un argumentaire' }).click()]);
    await p.getByRole('heading', { level: 1, name: 'Argumentaire de défense' }).waitFor();

    // At this stage (a sanction notified), Vigie proposes a contestation to HR, with its annex.
    assert.equal(await p.getByLabel('Objet du document').inputValue(), 'contestation');
    assert.equal(await p.getByLabel('Destinataire').inputValue(), 'hr_direction');
    assert.equal(await p.getByRole('checkbox', { name: ANNEX_BOX }).isChecked(), true);
    assert.match(await p.locator('main').innerText(), new RegExp(`Étape du dossier : sanction notifiée\\. Vigie propose donc d’abord : « ${CONTESTATION} »`));

    // The arguments the facts support are ticked, each with why, the procedure first.
    for (const title of [EDITED_ARGUMENT, UNTICKED, 'La procédure et les délais', 'L’engagement de la direction pour cette expérimentation']) {
      assert.equal(await p.getByRole('checkbox', { name: title, exact: true }).isChecked(), true, `${title} is proposed`);
    }
    assert.equal(await p.locator('section.argument-card').first().getByRole('checkbox').first().getAttribute('name'), 'a_procedure_and_time_limits_include');
    assert.match(await card(p, EDITED_ARGUMENT).locator('.argument-card__reason').innerText(), /^Pourquoi : Des consultations signalées ont eu lieu entre 20 h et 5 h/);
    // An unticked argument says which fact is missing.
    assert.match(
      await card(p, 'Ce que dit l’agent').locator('.argument-card__reason').innerText(),
      /^Pourquoi pas : Le récit de l’agent n’est pas renseigné dans le dossier\. Vous pouvez l’ajouter si les faits le justifient\.$/,
    );
    // Each card has its few lines for the letter and its full text for the annex.
    const procedureSummary = await card(p, 'La procédure et les délais').getByLabel(SUMMARY_LABEL).inputValue();
    const procedure = await card(p, 'La procédure et les délais').getByLabel(TEXT_LABEL).inputValue();
    for (const t of [procedureSummary, procedure]) {
      assert.match(t.replace(/[\u202f\u00a0]/g, ' '), /La procédure disciplinaire a été engagée le 15 octobre 2024, après la fin du délai de deux mois qui courait depuis que la direction a eu connaissance des faits \(le 1er juillet 2024\), le 1er septembre 2024\./);
    }
    assert.ok(procedureSummary.length < procedure.length, 'the summary is shorter than the full text');

    await checks.a11y(p, 'brief review page');
    await screenshot(p, 'briefs-laptop-01-review');
    await screenshot(p, 'briefs-laptop-01b-review-viewport', { fullPage: false });
  });

  test('unticks one argument, rewrites another and previews: nothing is saved yet', STEP, async () => {
    const p = journey.laptopPage();
    await p.getByRole('checkbox', { name: UNTICKED, exact: true }).uncheck();
    await card(p, EDITED_ARGUMENT).getByLabel(TEXT_LABEL).fill(EDITED_TEXT);
    await card(p, EDITED_ARGUMENT).getByLabel(SUMMARY_LABEL).fill(EDITED_SUMMARY);
    await p.getByLabel('Objet du document').selectOption({ label: CONTESTATION });
    await p.getByLabel('Destinataire').selectOption({ label: 'La direction des ressources humaines' });
    const { preview, ...position } = await previewComposer(p, `/dossiers/${caseId}/argumentaire`);
    // What the rep sees right after the click, before anything scrolls.
    previewTopAfterClick = position;
    await screenshot(p, 'briefs-laptop-02b-after-preview-viewport', { fullPage: false });
    const shown = await preview.innerText();
    const annexAt = shown.search(/Annexe\s*: argumentaire détaillé/);
    assert.ok(annexAt > 0, 'the preview shows the annex');
    const summaryAt = squash(shown).indexOf(squash(EDITED_SUMMARY));
    assert.ok(summaryAt >= 0 && summaryAt < squash(shown.slice(0, annexAt)).length, 'the rewritten summary is in the letter');
    assert.ok(squash(shown.slice(annexAt)).includes(squash(EDITED_TEXT)), 'the rewritten full text is in the annex');
    assert.ok(shown.includes('restent ouverts\u202f: c’est'), 'in French typography: a narrow no-break space before the colon');
    assert.ok(!shown.includes(UNTICKED), 'the unticked argument is not');
    assert.ok(shown.includes(CONTESTATION));
    // The form keeps the rep's choices.
    assert.equal(await p.getByRole('checkbox', { name: UNTICKED, exact: true }).isChecked(), false);
    assert.equal(await card(p, EDITED_ARGUMENT).getByLabel(TEXT_LABEL).inputValue(), EDITED_TEXT);
    assert.equal(await card(p, EDITED_ARGUMENT).getByLabel(SUMMARY_LABEL).inputValue(), EDITED_SUMMARY);
    assert.equal(await p.getByRole('checkbox', { name: ANNEX_BOX }).isChecked(), true);
    assert.equal(await p.locator('section[aria-labelledby="versions"]').count(), 0, 'no version yet');
    await checks.a11y(p, 'brief review page with preview');
    await screenshot(p, 'briefs-laptop-02-preview');
  });

  test('after « Prévisualiser », the preview is where the rep is looking', STEP, () => {
    // The page comes back scrolled to the top while the preview is below the whole form (about
    // 6 000 px down): nothing visible changes, and the rep may think the button did nothing.
    assert.ok(previewTopAfterClick, 'the preview step ran');
    const { top, windowHeight } = previewTopAfterClick;
    assert.ok(top >= 0 && top < windowHeight, `the « Aperçu » heading is ${Math.round(top)} px down a ${windowHeight} px window`);
  });

  test('generates version 1 and downloads its PDF', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([p.waitForURL(/\/argumentaires\/\d+$/), p.getByRole('button', { name: 'Générer le document' }).click()]);
    versionPath = new URL(p.url()).pathname;
    await p.getByRole('heading', { level: 1, name: 'Argumentaire — version 1' }).waitFor();
    const doc = await p.locator('article.document').innerText();
    assert.ok(squash(doc).includes(squash(EDITED_TEXT)));
    assert.ok(squash(doc).includes(squash(EDITED_SUMMARY)));
    assert.ok(!doc.includes(UNTICKED));
    await checks.a11y(p, 'brief version page');
    await screenshot(p, 'briefs-laptop-03-version');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Télécharger en PDF' }).click()]);
    assert.match(download.suggestedFilename(), /^argumentaire-\d+-contestation-d-une-sanction-ou-d-une-procedure-disciplinaire-v1\.pdf$/);
    await download.saveAs(DOWNLOADED);
    const buf = readFileSync(DOWNLOADED);
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdf = await extractPdf(buf);
    const body = squash(pdf.body);
    assert.ok(body.includes(squash(EDITED_TEXT)), 'the PDF has the rewritten sentence');
    assert.ok(body.includes(squash(EDITED_SUMMARY)), 'and the rewritten summary');
    assert.ok(!body.includes(squash(UNTICKED)), 'the PDF does not have the unticked argument');
    assert.ok(body.includes(squash('1er septembre 2024')), 'the computed limit');
    const annexPage = pdf.pages.findIndex((pg) => pg.bodyLines.some((l) => squash(l) === squash('Annexe : argumentaire détaillé')));
    assert.ok(annexPage > 0 && annexPage <= 2, `the letter takes at most two pages before its annex (annex on page ${annexPage + 1})`);
    pdf.pages.forEach((pg, i) => assert.equal(pg.lines.at(-1)!.text, `page ${i + 1} sur ${pdf.pages.length}`));
  });

  test('on a phone: review page and version page, no sideways scroll', STEP, async () => {
    assert.ok(versionPath, 'the laptop journey generated a version');
    const p = await checks.newPage(await journey.openPhone());
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);

    await p.goto(`${baseUrl}/dossiers/${caseId}/argumentaire`);
    await p.getByRole('heading', { level: 1, name: 'Argumentaire de défense' }).waitFor();
    await assertNoHorizontalScroll(p, 'brief review page (phone)');
    await checks.a11y(p, 'brief review page (phone)');
    await screenshot(p, 'briefs-phone-01-review');

    await p.goto(`${baseUrl}${versionPath}`);
    await p.getByRole('heading', { level: 1, name: 'Argumentaire — version 1' }).waitFor();
    await assertNoHorizontalScroll(p, 'brief version page (phone)');
    await checks.a11y(p, 'brief version page (phone)');
    await screenshot(p, 'briefs-phone-02-version');
  });

  test('the public guide, without an account, on a laptop and a phone', STEP, async () => {
    assert.ok(journey.browser);
    for (const [label, viewport, mobile] of [['laptop', LAPTOP, false], ['phone', PHONE, true]] as const) {
      const context = await newContext(journey.browser, viewport, mobile);
      try {
        const p = await checks.newPage(context);
        await p.goto(`${baseUrl}/guide`);
        assert.equal(new URL(p.url()).pathname, '/guide', 'no login asked');
        await p.getByRole('heading', { level: 1, name: 'Convoqué·e pour un rappel aux règles : vos droits' }).waitFor();
        assert.equal(await p.getByRole('link', { name: 'Télécharger en PDF' }).getAttribute('href'), '/guide.pdf');
        if (mobile) await assertNoHorizontalScroll(p, 'guide (phone)');
        await checks.a11y(p, `guide (${label})`);
        await screenshot(p, `briefs-${label}-04-guide`);
      } finally {
        await context.close();
      }
    }
  });

  test('every id is unique on the checked pages', STEP, () => {
    assert.deepEqual(checks.duplicateIds, []);
  });

  test('no page raised a script error or a CSP violation', STEP, () => {
    assert.deepEqual(checks.pageProblems, []);
  });
});
