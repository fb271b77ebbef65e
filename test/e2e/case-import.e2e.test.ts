/**
 * Browser journey of a CSV import of cases, over the real app (in-process server, throw-away
 * SQLite file, Debian's Chromium):
 *  - a rep covering Hauts-de-France logs in, opens the case list and follows « Importer un fichier »;
 *  - uploads a file of 1 200 new cases in the export's format, one row of which names a region
 *    that does not exist;
 *  - reads the dry run (counts, the row's error in French with its row and column), nothing saved;
 *  - imports the valid rows: the job's page shows a progress bar and reloads itself (meta refresh,
 *    the CSP allows no script) until it says « 1 199 / 1 199 dossiers importés »;
 *  - finds the imported cases in the list.
 * axe (serious/critical = failure) runs on each page; the dry run is checked at phone size too.
 * Screenshots (case-import-*.png, with VIGIE_SCREENSHOTS=1) land in test/artifacts/screenshots/ (git-ignored).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PHONE, assertNoHorizontalScroll, createActiveUser, logIn, newContext, screenshot, Journey, REP, STEP } from './support';

const WAVE_2 = 'Détournement de finalités — vague 2 (2024)';
const ROWS = 1_200;
const HEADER = 'N° dossier;Agent;Région;Site;Métier;Campagne;État;Engagement;Raisons;Convocation;Entretien;Compte rendu;Ton de l’entretien;Prochaine échéance;Échéance;Situations;Consultations;Dont hors normes;Représentant·es';

const journey = new Journey('case-import-axe-report.txt');
const { checks } = journey;
let dir = '';
let file = '';
let dryRunUrl = '';

describe('Vigie in a browser: a rep imports cases from a CSV file', () => {
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigie-import-'));
    file = path.join(dir, 'dossiers-hdf.csv');
    const lines = [HEADER];
    for (let i = 1; i <= ROWS; i += 1) {
      const region = i === 7 ? 'Picardie' : 'Hauts-de-France';
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(`;Agent Import ${i};${region};Agence ${i % 30};Conseillère;${WAVE_2};;;;2024-09-${day};;;;;;Consultations répétées à des horaires hors normes;;;${REP.name}`);
    }
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    await journey.start(({ services }) => createActiveUser(services, { ...REP, role: 'rep', regions: ['HDF'] }));
  });

  after(async () => {
    await journey.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the rep finds « Importer un fichier » on the case list', STEP, async () => {
    const page = await journey.openLaptopPage();
    await page.goto(`${journey.baseUrl}/dossiers`);
    await logIn(page, journey.baseUrl, REP, `${journey.baseUrl}/dossiers`);
    await Promise.all([page.waitForURL(`${journey.baseUrl}/dossiers/import`), page.getByRole('link', { name: 'Importer un fichier' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Importer des dossiers' }).waitFor();
    await checks.a11y(page, 'import form');
    await screenshot(page, 'case-import-01-form');
  });

  test('uploading shows the dry run: what would be created, the wrong row in French, nothing saved', STEP, async () => {
    const p = journey.laptopPage();
    await p.getByLabel('Fichier CSV').setInputFiles(file);
    await Promise.all([p.waitForURL(/\/dossiers\/import\/[A-Za-z0-9_-]{22}$/), p.getByRole('button', { name: 'Vérifier le fichier' }).click()]);
    dryRunUrl = p.url();
    await p.getByRole('heading', { level: 1, name: 'Vérifier l’import' }).waitFor();
    const lead = await p.locator('p.lead').innerText();
    assert.match(lead, /Fichier « dossiers-hdf\.csv » : 1\s200 lignes\. Rien n’a encore été enregistré\./);
    const counts = (await p.locator('ul.import-counts').innerText()).replace(/\s+/g, ' ');
    assert.match(counts, /1\s199 créations/);
    assert.match(counts, /1 ligne en erreur/);
    await Promise.all([p.waitForURL(/voir=erreurs/), p.getByRole('link', { name: /En erreur/ }).click()]);
    const errorRow = p.locator('tr.import-row--error');
    assert.equal(await errorRow.count(), 1);
    assert.match(await errorRow.innerText(), /Ligne 8, colonne « Région » : Région inconnue : « Picardie »\./);
    assert.equal(await p.getByRole('button', { name: /Tout importer/ }).count(), 0, 'no « Tout importer » while a row is wrong');
    assert.equal(await journey.services.cases.count({ kind: 'all' }, {}), 0, 'nothing saved by the dry run');
    await checks.a11y(p, 'import dry run');
    await screenshot(p, 'case-import-02-dry-run');
  });

  test('the dry run reads on a phone without scrolling sideways', STEP, async () => {
    assert.ok(journey.browser);
    const phone = await newContext(journey.browser, PHONE, true);
    try {
      await phone.addCookies(await journey.laptop!.cookies());
      const p = await checks.newPage(phone);
      await p.goto(dryRunUrl);
      await p.getByRole('heading', { level: 1, name: 'Vérifier l’import' }).waitFor();
      await assertNoHorizontalScroll(p, 'import dry run on a phone');
      await screenshot(p, 'case-import-03-dry-run-phone');
    } finally {
      await phone.close();
    }
  });

  // Longer than a step: the import itself may take up to the 90 s its end is waited for.
  test('importing the valid rows shows a progress page that refreshes itself to the end', { timeout: 150_000 }, async () => {
    const p = journey.laptopPage();
    await Promise.all([
      p.waitForURL(dryRunUrl),
      p.getByRole('button', { name: /^Importer seulement les 1\s199 lignes valides$/ }).click(),
    ]);
    const jobUrl = p.url();
    const first = await p.locator('main').innerHTML();
    if (first.includes('<progress')) {
      // Caught under way: a progress bar, « N / 1 199 dossiers importés », and a page that reloads itself…
      assert.match(await p.locator('.import-progress').innerText(), /\d[\d\s]* \/ 1\s199 dossiers importés/);
      assert.equal(await p.locator('meta[http-equiv="refresh"]').getAttribute('content'), '2');
      await screenshot(p, 'case-import-04-progress');
      // …unless the reader stops it (axe rightly flags a page that reloads itself with no way to stop it).
      const still = await checks.newPage(journey.laptop!);
      await still.goto(`${jobUrl}?auto=non`);
      if ((await still.locator('progress').count()) > 0) {
        assert.equal(await still.locator('meta[http-equiv="refresh"]').count(), 0);
        await still.getByRole('link', { name: 'La reprendre' }).waitFor();
        await checks.a11y(still, 'import progress, automatic reload stopped');
      }
      await still.close();
      await p.getByRole('link', { name: 'Arrêter la mise à jour automatique' }).or(p.getByRole('heading', { name: 'Import terminé' })).first().waitFor();
    }
    await p.getByRole('heading', { level: 1, name: 'Import terminé' }).waitFor({ timeout: 90_000 });
    assert.match(await p.locator('main').innerText(), /1\s199 \/ 1\s199 dossiers importés\./);
    assert.equal(await p.locator('meta[http-equiv="refresh"]').count(), 0, 'the finished page stops reloading');
    await checks.a11y(p, 'import done');
    await screenshot(p, 'case-import-05-done');
    assert.equal(await journey.services.cases.count({ kind: 'all' }, {}), ROWS - 1);

    await Promise.all([p.waitForURL(`${journey.baseUrl}/dossiers`), p.getByRole('link', { name: 'Voir les dossiers' }).click()]);
    assert.match(await p.locator('.result-count').innerText(), /1\s199 dossiers/);
    assert.equal(checks.pageProblems.length, 0, checks.pageProblems.join('\n'));
  });
});
