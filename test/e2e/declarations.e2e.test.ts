/**
 * Browser journey of a union rep preparing a CSE declaration, over the real app (in-process
 * server, throw-away SQLite file, Debian's Chromium):
 *  - eight wave-2 cases in Hauts-de-France are set up through the services, each for an agent
 *    with a distinctive name (none of which may ever reach a declaration);
 *  - the rep logs in, opens « Déclarations » from the main navigation, « Nouvelle déclaration »,
 *    fills the meeting (CSE « CSE Hauts-de-France », 18 March 2025), the campaign and the region,
 *    and asks Vigie to « Calculer les chiffres et proposer les textes »;
 *  - on the compose page the figures panel compares the cases followed with the direction's
 *    939 agents; the rep unticks « La mission de service public », rewrites the opening,
 *    previews (the rewritten sentence is there, the unticked block is not) and generates;
 *  - the version page offers the PDF and the DOCX: both are downloaded, and their text has the
 *    rewritten sentence, not the unticked block, and no agent's name;
 *  - /declarations lists the version with its meeting and date;
 *  - axe (serious or critical = failure) runs on the settings, compose, version and list pages;
 *    at phone width the compose and version pages may not scroll sideways.
 * Screenshots (with VIGIE_SCREENSHOTS=1) of the compose and version pages at laptop (1280 px) and phone (390 px) widths land
 * in test/artifacts/screenshots/, the downloaded files in test/artifacts/
 * (git-ignored), axe's full findings in test/artifacts/declarations-axe-report.txt.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { SituationCode } from '../../src/domain/situations';
import type { User } from '../../src/access/user';
import { interviewedCaseInput, officeAgentInput } from '../fixtures/case-inputs';
import { extractPdf, readDocx, squash } from '../helpers/document-text';
import { ROOT, assertNoHorizontalScroll, logIn, screenshot, Journey, activeUser, REP, previewComposer, STEP } from './support';

const WAVE_2 = 'Détournement de finalités — vague 2 (2024)';
const MEETING = { kind: 'CSE (comité social et économique)', body: 'CSE Hauts-de-France', date: '2025-03-18', dateText: '18 mars 2025' };
const UNTICKED = 'La mission de service public';
/** A sentence of the unticked block, to be sure its text went with its heading. */
const UNTICKED_TEXT = 'tant qu’on rend le service, il n’y a pas de détournement';
const UNTICKED_TEXT_ASCII = "tant qu'on rend le service, il n'y a pas de détournement";
const EDITED_LABEL = 'Texte : Introduction';
const EDITED_TEXT =
  'Les élu·es CGT du CSE Hauts-de-France ouvrent cette séance du 18 mars 2025 en rappelant qu’aucun collègue ne doit payer pour une requête informatique qui se trompe neuf fois sur dix.';

/** Agents of the seeded cases: none of these names may appear in what the declaration shows or exports. */
const AGENTS = [
  'Aurélienne Vanhoutte-Dumez',
  'Barnabé Quennehen',
  'Capucine Wattebled',
  'Désiré Lecoustre',
  'Eulalie Pruvost-Delattre',
  'Fulbert Cnockaert',
  'Gisèle Vandamme-Ribot',
  'Hippolyte Desreumaux',
];
const SITES = ['Agence Lille Hellemmes', 'Agence Roubaix Est', 'Agence Amiens Nord'];

const DOWNLOADED = { pdf: path.join(ROOT, 'test/artifacts/declarations-e2e.pdf'), docx: path.join(ROOT, 'test/artifacts/declarations-e2e.docx') };

const journey = new Journey('declarations-axe-report.txt');
const { checks } = journey;
let baseUrl = '';
/** The compose page's address (GET, settings in the query), for the phone to reopen. */
let composeUrl = '';
let versionPath = '';
let rep: User | undefined;
/** Where the « Aperçu » heading was, in the window, right after « Prévisualiser ». */
let previewTopAfterClick: { top: number; windowHeight: number } | undefined;

/** Full-page screenshot under test/artifacts/screenshots/ (git-ignored, with VIGIE_SCREENSHOTS=1), like the other journeys. */
async function shot(p: Page, name: string): Promise<void> {
  await screenshot(p, `declarations-${name}`);
}

/** Fails when any seeded agent's name (or surname) is in the text. */
function assertNoAgentName(text: string, where: string): void {
  const flat = squash(text).toLowerCase();
  for (const name of AGENTS) {
    const surname = name.split(' ').at(-1)!;
    assert.ok(!flat.includes(squash(surname).toLowerCase()), `${where} names an agent: ${name}`);
  }
}

describe('Vigie in a browser: a rep prepares a CSE declaration', () => {
  before(() =>
    journey.start(async (app) => {
      baseUrl = app.baseUrl;
      const { services } = app;
      rep = await activeUser(services, { ...REP, role: 'rep', regions: ['HDF'] });
      const wave2 = (await services.campaigns.list()).find((c) => c.wave === 2);
      assert.ok(wave2, 'wave 2 is seeded');
      assert.equal(wave2.name, WAVE_2);

      const outcomes = ['legitimate', 'legitimate', 'legitimate', 'illegitimate', 'legitimate', 'not_stated', 'legitimate', 'none_given'] as const;
      const tones = ['kind', 'pressure', 'neutral', 'pressure', 'kind', 'kind', 'neutral', 'pressure'] as const;
      const situations: SituationCode[][] = [['odd_hours'], ['odd_hours'], ['agent_ex_job_seeker'], ['odd_hours'], ['political_figure'], ['agent_ex_job_seeker'], ['odd_hours'], ['job_seeker_ex_agent']];
      for (const [i, fullName] of AGENTS.entries()) {
        const agent = officeAgentInput(fullName, {
          site: SITES[i % SITES.length]!,
          job: 'Conseiller·ère à l’emploi',
          employmentStatus: i % 3 === 0 ? 'public' : 'private',
        });
        const kase = interviewedCaseInput(wave2.id, {
          situations: situations[i]!,
          convocationDate: `2024-09-${String(2 + i).padStart(2, '0')}`,
          interviewDate: `2024-09-${String(16 + i).padStart(2, '0')}`,
          reportOutcome: outcomes[i]!,
          interviewTone: tones[i]!,
          repIds: [rep.id],
        });
        const caseId = await services.casesService.create(rep, { agent, case: kase });
        if (situations[i]!.includes('odd_hours')) {
          // Tue 14 May 21:15 (night) and Tue 21 May 10:00 (within hours), Paris time.
          await services.casesService.addConsultations(rep, caseId, [
            { at: '2024-05-14T19:15:00Z', action: 'consulted', explanation: 'answering_user', explanationText: '' },
            { at: '2024-05-21T08:00:00Z', action: 'consulted', explanation: 'answering_user', explanationText: '' },
          ]);
        }
        // One blâme despite the commitment: the case is « Engagement rompu ».
        if (i === 3) await services.casesService.addEvent(rep, caseId, { type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame' });
      }
    }),
  );

  after(() => journey.close());

  test('the rep opens « Déclarations » from the main navigation and sets up a new declaration', STEP, async () => {
    const p = await journey.openLaptopPage();
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);

    const nav = p.getByRole('navigation', { name: 'Navigation principale' });
    await Promise.all([p.waitForURL(`${baseUrl}/declarations`), nav.getByRole('link', { name: 'Déclarations', exact: true }).click()]);
    await p.getByRole('heading', { level: 1, name: 'Déclarations en CSE' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Déclarations', exact: true }).getAttribute('aria-current'), 'page');
    assert.match(await p.locator('main').innerText(), /Aucune déclaration pour l’instant/);

    await Promise.all([p.waitForURL(`${baseUrl}/declarations/nouvelle`), p.getByRole('link', { name: 'Nouvelle déclaration', exact: true }).click()]);
    await p.getByRole('heading', { level: 1, name: 'Nouvelle déclaration préalable' }).waitFor();
    // The rep covers one region: it is the only choice, already ticked; no national scope.
    const scope = p.getByRole('group', { name: 'Périmètre' });
    assert.equal(await scope.getByRole('checkbox').count(), 1);
    assert.equal(await scope.getByRole('checkbox', { name: 'Hauts-de-France' }).isChecked(), true);
    await checks.a11y(p, 'declaration settings page');

    await p.getByLabel(/^Instance( \*)?$/).selectOption({ label: MEETING.kind });
    await p.getByLabel(/^Nom de l’instance( \*)?$/).fill(MEETING.body);
    await p.getByLabel(/^Date de la séance( \*)?$/).fill(MEETING.date);
    await p.getByLabel(/^Campagne( \*)?$/).selectOption({ label: WAVE_2 });
    await scope.getByRole('checkbox', { name: 'Hauts-de-France' }).check();
    await Promise.all([
      p.waitForURL((u) => u.pathname === '/declarations/nouvelle/textes'),
      p.getByRole('button', { name: 'Calculer les chiffres et proposer les textes' }).click(),
    ]);
    composeUrl = p.url();
    await p.getByRole('heading', { level: 1, name: 'Textes de la déclaration' }).waitFor();
  });

  test('the compose page shows the protected figures beside the direction’s, and no name', STEP, async () => {
    const p = journey.laptopPage();
    const facts = await p.locator('main dl.facts').first().innerText();
    assert.match(facts, new RegExp(`${MEETING.body}, le ${MEETING.dateText}`));
    assert.match(facts, /Hauts-de-France/);
    assert.ok(facts.includes(WAVE_2), 'the campaign is named');

    const panel = p.locator('.figures-panel');
    await panel.waitFor();
    assert.match(await panel.locator('.figures-panel__coverage').innerText(), /^Vigie suit 8 des 939 agents concernés selon la direction/);
    const followed = panel.getByRole('row', { name: /^Agents suivis/ });
    assert.equal((await followed.getByRole('cell').innerText()).trim(), '8');
    assert.match(await panel.innerText(), /Chiffres de la direction/);

    for (const title of [UNTICKED, 'Les chiffres de la campagne', 'Les revendications de la CGT']) {
      assert.equal(await p.getByRole('checkbox', { name: title, exact: true }).isChecked(), true, `${title} is proposed`);
    }
    assert.match(await p.getByLabel(EDITED_LABEL).inputValue(), /^Les élu·es CGT veulent revenir/);
    assertNoAgentName(await p.locator('main').innerText(), 'the compose page');

    await checks.a11y(p, 'declaration compose page');
    await shot(p, 'laptop-01-compose');
  });

  test('unticks a block, rewrites the opening and previews: the preview follows, nothing is saved', STEP, async () => {
    const p = journey.laptopPage();
    await p.getByRole('checkbox', { name: UNTICKED, exact: true }).uncheck();
    await p.getByLabel(EDITED_LABEL).fill(EDITED_TEXT);
    const { preview, ...position } = await previewComposer(p, '/declarations/nouvelle/textes');
    // What the rep sees right after the click, before anything scrolls.
    previewTopAfterClick = position;
    const shown = await preview.innerText();
    assert.ok(shown.includes(EDITED_TEXT), 'the rewritten opening is in the preview');
    assert.ok(!shown.includes(UNTICKED), 'the unticked block’s heading is not');
    assert.ok(!shown.includes(UNTICKED_TEXT) && !shown.includes(UNTICKED_TEXT_ASCII), 'nor its text');
    assert.ok(shown.includes('Les revendications de la CGT'), 'the other blocks are');
    // The form keeps the rep's choices, and nothing is listed yet.
    assert.equal(await p.getByRole('checkbox', { name: UNTICKED, exact: true }).isChecked(), false);
    assert.equal(await p.getByLabel(EDITED_LABEL).inputValue(), EDITED_TEXT);
    assert.equal((await journey.services.declarations.list(rep!)).length, 0, 'no version saved by a preview');
    assertNoAgentName(await p.locator('main').innerText(), 'the compose page with its preview');

    await checks.a11y(p, 'declaration compose page with preview');
    await shot(p, 'laptop-02-compose-preview');
  });

  test('after « Prévisualiser », the preview is where the rep is looking', STEP, () => {
    assert.ok(previewTopAfterClick, 'the preview step ran');
    const { top, windowHeight } = previewTopAfterClick;
    assert.ok(top > -2 && top < windowHeight, `the « Aperçu » heading is ${top.toFixed(1)} px down a ${windowHeight} px window`);
  });

  test('generates the declaration: version 1, with its PDF and DOCX', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([p.waitForURL(/\/declarations\/\d+$/), p.getByRole('button', { name: 'Générer la déclaration' }).click()]);
    versionPath = new URL(p.url()).pathname;
    const id = versionPath.split('/').at(-1)!;
    const h1 = p.getByRole('heading', { level: 1 });
    assert.match(await h1.innerText(), new RegExp(`^${MEETING.body}, séance du ${MEETING.dateText}\\s+version 1$`));
    assert.match(await p.locator('main').innerText(), /Déclaration générée/);
    const doc = await p.locator('article.document').innerText();
    assert.ok(doc.includes(EDITED_TEXT), 'the version has the rewritten opening');
    assert.ok(!doc.includes(UNTICKED), 'the version does not have the unticked block');
    assertNoAgentName(await p.locator('main').innerText(), 'the version page');

    const pdfLink = p.getByRole('link', { name: 'Télécharger en PDF' });
    const docxLink = p.getByRole('link', { name: 'Télécharger en Word (DOCX)' });
    assert.equal(await pdfLink.getAttribute('href'), `/declarations/${id}.pdf`);
    assert.equal(await docxLink.getAttribute('href'), `/declarations/${id}.docx`);
    await checks.a11y(p, 'declaration version page');
    await shot(p, 'laptop-03-version');

    const [pdfDownload] = await Promise.all([p.waitForEvent('download'), pdfLink.click()]);
    assert.match(pdfDownload.suggestedFilename(), /\.pdf$/);
    assert.equal(pdfDownload.suggestedFilename(), `declaration-cse-hauts-de-france-${MEETING.date}-v1.pdf`);
    await pdfDownload.saveAs(DOWNLOADED.pdf);
    const pdfBuf = readFileSync(DOWNLOADED.pdf);
    assert.equal(pdfBuf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdf = await extractPdf(pdfBuf);
    const pdfAll = squash(pdf.pages.map((pg) => pg.text).join('\n'));
    assert.ok(squash(pdf.body).includes(squash(EDITED_TEXT)), 'the PDF has the rewritten opening');
    assert.ok(!pdfAll.includes(squash(UNTICKED)), 'the PDF does not have the unticked block’s heading');
    assert.ok(!pdfAll.includes(squash(UNTICKED_TEXT)) && !pdfAll.includes(squash(UNTICKED_TEXT_ASCII)), 'nor its text');
    assert.ok(pdfAll.includes(squash('Les revendications de la CGT')), 'the PDF has the other blocks');
    assertNoAgentName(pdf.pages.map((pg) => pg.text).join('\n'), 'the PDF');

    const [docxDownload] = await Promise.all([p.waitForEvent('download'), docxLink.click()]);
    assert.match(docxDownload.suggestedFilename(), /\.docx$/);
    assert.equal(docxDownload.suggestedFilename(), `declaration-cse-hauts-de-france-${MEETING.date}-v1.docx`);
    await docxDownload.saveAs(DOWNLOADED.docx);
    const docx = readDocx(readFileSync(DOWNLOADED.docx));
    assert.ok(docx.text.includes(EDITED_TEXT), 'the DOCX has the rewritten opening');
    assert.ok(!docx.text.includes(UNTICKED), 'the DOCX does not have the unticked block’s heading');
    assert.ok(!docx.text.includes(UNTICKED_TEXT) && !docx.text.includes(UNTICKED_TEXT_ASCII), 'nor its text');
    assert.ok(docx.text.includes('Les revendications de la CGT'), 'the DOCX has the other blocks');
    assertNoAgentName(docx.text, 'the DOCX');
    assertNoAgentName(docx.footerXml, 'the DOCX footer');
  });

  test('/declarations lists the version with its meeting and date', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([p.waitForURL(`${baseUrl}/declarations`), p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Déclarations', exact: true }).click()]);
    const rows = p.locator('li.case-row');
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    const link = row.getByRole('link', { name: MEETING.body });
    assert.equal(await link.getAttribute('href'), versionPath);
    const text = await row.innerText();
    assert.match(text, /Version 1/);
    assert.match(text, new RegExp(`Séance du ${MEETING.dateText}`));
    assert.ok(text.includes(WAVE_2), 'the campaign is named');
    assert.match(text, new RegExp(`par ${REP.name}`));
    await checks.a11y(p, 'declarations list');
  });

  /** The phone page, signed in (opened by the first phone step). */
  let phonePage: Page | undefined;

  // Long « non publié (…) » values must wrap: the figures tables once made this page 535 px wide.
  test('on a phone: the compose page, checked with axe, no sideways scroll', STEP, async () => {
    assert.ok(composeUrl, 'the laptop journey reached the compose page');
    phonePage = await checks.newPage(await journey.openPhone());
    const p = phonePage;
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);

    await p.goto(composeUrl);
    await p.getByRole('heading', { level: 1, name: 'Textes de la déclaration' }).waitFor();
    await checks.a11y(p, 'declaration compose page (phone)');
    await shot(p, 'phone-01-compose');
    await assertNoHorizontalScroll(p, 'declaration compose page (phone)');
  });

  test('on a phone: the compose page with its preview, no sideways scroll', STEP, async () => {
    assert.ok(phonePage, 'the phone page is opened by the previous step');
    const p = phonePage;
    await p.getByRole('checkbox', { name: UNTICKED, exact: true }).uncheck();
    // Pressed from the keyboard: while the page is wider than the phone (the figures table, see the
    // step before), Chromium lays it out 535 px wide and Playwright's pointer lands on the wrong
    // element (« free_2_order intercepts pointer events »); a real tap is not affected.
    await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/declarations/nouvelle/textes'),
      p.getByRole('button', { name: 'Prévisualiser' }).press('Enter'),
    ]);
    await p.locator('#apercu').getByRole('heading', { level: 2, name: 'Aperçu' }).waitFor();
    await checks.a11y(p, 'declaration compose page with preview (phone)');
    await shot(p, 'phone-02-compose-preview');
    await assertNoHorizontalScroll(p, 'declaration compose page with preview (phone)');
  });

  test('on a phone: the version page, checked with axe, no sideways scroll', STEP, async () => {
    assert.ok(phonePage && versionPath, 'the phone page is open and a version was generated');
    const p = phonePage;
    await p.goto(`${baseUrl}${versionPath}`);
    await p.getByRole('heading', { level: 1, name: new RegExp(MEETING.body) }).waitFor();
    await checks.a11y(p, 'declaration version page (phone)');
    await shot(p, 'phone-03-version');
    await assertNoHorizontalScroll(p, 'declaration version page (phone)');
  });

  test('every id is unique on the checked pages', STEP, () => {
    assert.deepEqual(checks.duplicateIds, []);
  });

  test('no page raised a script error or a CSP violation', STEP, () => {
    assert.deepEqual(checks.pageProblems, []);
  });
});
