/**
 * Browser journey of a union rep through the cases feature, over the real app (in-process server,
 * throw-away SQLite file, Debian's Chromium):
 *  - a rep covering Hauts-de-France logs in through the form;
 *  - logs a wave-2 "horaires hors normes" case through /dossiers/nouveau (a refused submission
 *    first: nothing typed is lost), with pasted consultation times and a declared working pattern;
 *  - reads the off-hours summary and the commitment status on the case page;
 *  - records a "blâme" in the timeline: the case is flagged "Engagement rompu", with its reasons,
 *    on the case page, on the home dashboard and in the filtered list the dashboard links to;
 *  - corrects the event's date through "Corriger" and sees the correction and its consequences.
 * axe (serious/critical = failure) runs on every page of the journey; the case page, the list
 * and the dashboard are checked again at phone size, where nothing may scroll sideways.
 * Regressions of bugs found on the way (indented textareas, ids, journal, phone width) have tests of their own.
 * Screenshots (cases-*.png, with VIGIE_SCREENSHOTS=1) land in test/artifacts/screenshots/ (git-ignored), axe's full
 * findings in test/artifacts/cases-axe-report.txt.
 *
 * Dates are all in 2024 (wave 2), so what the rules say does not move with the calendar:
 * the direction knew the facts on 1 July 2024, the two-month limit (L1332-4) ended on
 * 1 September 2024.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { Journey, REP, assertNoHorizontalScroll, createActiveUser, logIn, screenshot, STEP } from './support';

const WAVE_2 = 'Détournement de finalités — vague 2 (2024)';
const ODD_HOURS = 'Consultations répétées à des horaires hors normes';

const AGENT = {
  name: 'Karine Lefebvre',
  region: 'Hauts-de-France',
  site: 'Agence Lille Hellemmes',
  job: 'Conseillère à l’emploi',
  status: 'Salarié·e de droit privé (CCN)',
  workDays: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi'],
  workStart: '08:30',
  workEnd: '17:00',
  knowledgeDate: '2024-07-01',
};

/**
 * Pasted as the direction's list gives them, Paris time:
 * Tue 14 May 21:15 (night) · Sat 18 May 10:30 (week-end) · Mon 20 May 09:00 (Whit Monday, a
 * public holiday) · Tue 21 May 10:00 (an ordinary weekday, within the agent's hours) ·
 * Sun 2 June 22:40 (night and week-end).
 */
const CONSULTATIONS = ['14/05/2024 21:15', '18/05/2024 10:30', '20/05/2024 09:00', '21/05/2024 10:00', '02/06/2024 22:40'];
const OFF_HOURS_SENTENCE =
  'Sur les 5 consultations relevées, 3 ont eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de Paris) : 2 entre 20 h et 5 h, 2 le week-end, dont une cumulant les deux. Par ailleurs, une autre a eu lieu un jour férié, ce que nous relevons en plus : la définition de la direction ne vise pas les jours fériés. Ces 4 consultations (« hors normes » ou un jour férié) se situent toutes en dehors des horaires de travail déclarés de l’agent.';

const SANCTION = { type: 'Sanction notifiée', kind: 'blâme', date: '2024-10-15', correctedDate: '2024-08-20' };
const BREACH_REASON = 'La direction a notifié le 15 octobre 2024 une sanction (blâme), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire.';
const LATE_REASON =
  'La procédure disciplinaire a été engagée le 15 octobre 2024, après la fin du délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le 1er juillet 2024), le 1er septembre 2024.';
const CORRECTED_BREACH_REASON = 'La direction a notifié le 20 août 2024 une sanction (blâme), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire.';

/** Tests in this file share one server, one browser, and the state the journey builds step by step. */
const journey = new Journey('cases-axe-report.txt');
const { checks } = journey;
let phonePage: Page | undefined;
let baseUrl = '';
let casePath = '';
let breachedListHref = '';

/** The "Engagement …" panel at the top of a case page. */
function commitmentPanel(p: Page): Locator {
  return p.locator('section.status-panel');
}

async function panelReasons(p: Page): Promise<string[]> {
  return (await commitmentPanel(p).getByRole('listitem').allInnerTexts()).map((t) => t.trim());
}

/** One legal deadline of the case page, by its label. */
function deadline(p: Page, label: string | RegExp): Locator {
  return p.locator('li.deadline').filter({ hasText: label });
}

function eventForm(p: Page): Locator {
  return p.locator('form').filter({ has: p.getByRole('heading', { name: 'Ajouter un événement' }) });
}

function waveSection(p: Page): Locator {
  return p.locator('section.dashboard').filter({ has: p.getByRole('heading', { level: 2, name: WAVE_2 }) });
}

describe('Vigie in a browser: a rep follows a wave-2 case', () => {
  before(async () => {
    // An active rep covering Hauts-de-France only, as an admin would have invited them.
    baseUrl = (await journey.start(({ services }) => createActiveUser(services, { ...REP, role: 'rep', regions: ['HDF'] }))).baseUrl;
  });

  after(() => journey.close());

  test('the rep logs in through the form and lands on an empty wave-2 dashboard', STEP, async () => {
    const page = await journey.openLaptopPage();
    await page.goto(`${baseUrl}/`);
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await logIn(page, baseUrl, REP);
    await page.getByRole('heading', { level: 1, name: `Bonjour ${REP.name}` }).waitFor();
    assert.match(await page.locator('p.lead').innerText(), /Vous suivez Hauts-de-France\./);
    const wave = waveSection(page);
    assert.equal(await wave.count(), 1, 'the active wave-2 campaign has its dashboard');
    assert.match(await wave.innerText(), /\b0 dossier suivi\./);
    // A rep does not administer accounts.
    assert.equal(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).count(), 0);
  });

  test('a case form refused for a missing situation keeps everything typed', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([
      p.waitForURL(`${baseUrl}/dossiers/nouveau`),
      p.getByRole('main').getByRole('link', { name: 'Nouveau dossier' }).click(),
    ]);
    await p.getByRole('heading', { level: 1, name: 'Nouveau dossier' }).waitFor();
    // Sensible defaults for a rep with one region: the region and the active campaign are preselected.
    assert.equal(await p.getByLabel('Région (direction régionale)').inputValue(), 'HDF');
    assert.equal(await p.getByRole('combobox', { name: 'Campagne', exact: true }).locator('option:checked').innerText(), WAVE_2);
    await checks.a11y(p, 'case form (empty)');
    await screenshot(p, 'cases-laptop-01-form');

    await p.getByLabel('Nom et prénom').fill(AGENT.name);
    await p.getByLabel('Région (direction régionale)').selectOption({ label: AGENT.region });
    await p.getByLabel('Site (agence, plateforme…)').fill(AGENT.site);
    await p.getByLabel('Métier').fill(AGENT.job);
    await p.getByLabel('Statut', { exact: true }).selectOption({ label: AGENT.status });
    const workDays = p.getByRole('group', { name: 'Jours travaillés' });
    for (const day of AGENT.workDays) await workDays.getByLabel(day, { exact: true }).check();
    await p.getByLabel('Début (hh:mm)').fill(AGENT.workStart);
    await p.getByLabel('Fin (hh:mm)').fill(AGENT.workEnd);
    await p.getByRole('combobox', { name: 'Campagne', exact: true }).selectOption({ label: WAVE_2 });
    await p.getByLabel('Date à laquelle la direction a eu connaissance des faits').fill(AGENT.knowledgeDate);
    await p.getByLabel('Dates et heures').fill(CONSULTATIONS.join('\n'));

    // No situation ticked: refused, with the message next to the group.
    const [refused] = await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dossiers'),
      p.getByRole('button', { name: 'Enregistrer le dossier' }).click(),
    ]);
    assert.equal(refused.status(), 400);
    await p.locator('.field__error').getByText('Cochez au moins une situation signalée.').waitFor();
    assert.match(await p.getByRole('alert').first().innerText(), /Le formulaire contient des erreurs/);
    const situations = p.getByRole('group', { name: 'Situation(s) signalée(s)' });
    assert.equal(await situations.getAttribute('aria-describedby'), 'f-situations-error');

    assert.equal(await p.getByLabel('Nom et prénom').inputValue(), AGENT.name);
    assert.equal(await p.getByLabel('Région (direction régionale)').inputValue(), 'HDF');
    assert.equal(await p.getByLabel('Site (agence, plateforme…)').inputValue(), AGENT.site);
    assert.equal(await p.getByLabel('Métier').inputValue(), AGENT.job);
    assert.equal(await p.getByLabel('Statut', { exact: true }).inputValue(), 'private');
    for (const day of AGENT.workDays) {
      assert.equal(await workDays.getByLabel(day, { exact: true }).isChecked(), true, `${day} is still ticked`);
    }
    for (const day of ['samedi', 'dimanche']) assert.equal(await workDays.getByLabel(day, { exact: true }).isChecked(), false);
    assert.equal(await p.getByLabel('Début (hh:mm)').inputValue(), AGENT.workStart);
    assert.equal(await p.getByLabel('Fin (hh:mm)').inputValue(), AGENT.workEnd);
    assert.equal(await p.getByRole('combobox', { name: 'Campagne', exact: true }).locator('option:checked').innerText(), WAVE_2);
    assert.equal(await p.getByLabel('Date à laquelle la direction a eu connaissance des faits').inputValue(), AGENT.knowledgeDate);
    // Every pasted line comes back (its exact text is checked in a test of its own, below).
    assert.deepEqual(
      (await p.getByLabel('Dates et heures').inputValue()).split('\n').map((line) => line.trim()),
      CONSULTATIONS,
    );
    const reps = p.getByRole('group', { name: 'Représentant·es chargé·es du dossier' });
    assert.equal(await reps.getByRole('checkbox', { name: `${REP.name} (Hauts-de-France)` }).isChecked(), true, 'the rep stays assigned');
    await checks.a11y(p, 'case form with errors');
    await screenshot(p, 'cases-laptop-02-form-errors');
  });

  test('once a situation is ticked, the case page shows the off-hours summary and a respected commitment', STEP, async () => {
    const p = journey.laptopPage();
    await p.getByRole('group', { name: 'Situation(s) signalée(s)' }).getByLabel(ODD_HOURS).check();
    await Promise.all([p.waitForURL(/\/dossiers\/\d+$/), p.getByRole('button', { name: 'Enregistrer le dossier' }).click()]);
    casePath = new URL(p.url()).pathname;
    await p.getByRole('heading', { level: 1, name: AGENT.name }).waitFor();
    assert.match(await p.getByRole('status').first().innerText(), /Dossier créé\./);
    assert.equal((await p.locator('p.subtitle').innerText()).trim(), `${WAVE_2} · ${AGENT.site}, ${AGENT.region}`);

    // Knowledge on 1 July 2024, nothing disciplinary, no interview yet: the commitment holds, and the
    // two-month limit ran out on 1 September 2024 without any procedure (no "échéance proche").
    await commitmentPanel(p).getByRole('heading', { level: 2, name: 'Engagement respecté' }).waitFor();
    assert.deepEqual(await panelReasons(p), ['Aucune procédure disciplinaire n’a été engagée.', 'L’entretien n’a pas encore eu lieu, ou sa date n’est pas renseignée.']);
    const twoMonths = deadline(p, 'Délai de deux mois pour engager une procédure disciplinaire');
    assert.match(await twoMonths.innerText(), /Écoulé/);
    assert.match(await twoMonths.innerText(), /Échéance : 1er septembre 2024/);

    const main = p.getByRole('main');
    assert.equal(await main.getByText(ODD_HOURS, { exact: true }).count(), 1);
    assert.equal(await main.getByText('1er juillet 2024', { exact: true }).count(), 1, 'knowledge date shown');
    assert.equal(
      await main.getByText('lundi, mardi, mercredi, jeudi, vendredi, de 08:30 à 17:00', { exact: true }).count(),
      1,
      'declared working pattern shown',
    );
    assert.equal(await p.locator('#consultations p.summary').innerText(), OFF_HOURS_SENTENCE);

    // One row per pasted line, classified in the agent's clock: Paris time in Hauts-de-France.
    const rows = p.locator('#consultations table tbody tr');
    assert.equal(await rows.count(), CONSULTATIONS.length);
    // Date, time, why it is "hors normes" (one badge per reason), within the agent's declared hours.
    const row = async (i: number) => {
      const cells = rows.nth(i).locator('td');
      const text = async (n: number) => (await cells.nth(n).innerText()).trim();
      const badges = await cells.nth(2).locator('.badge').allInnerTexts();
      return [await text(0), await text(1), badges.length ? badges.join(' + ') : await text(2), await text(3)];
    };
    assert.deepEqual(await row(0), ['mardi 14 mai 2024', '21:15', '20 h – 5 h', 'non']);
    assert.deepEqual(await row(1), ['samedi 18 mai 2024', '10:30', 'samedi', 'non']);
    // The holiday beside the date: Vigie's own observation, not the direction's « hors normes ».
    assert.deepEqual(await row(2), ['lundi 20 mai 2024\nLundi de Pentecôte : férié', '09:00', 'non', 'non']);
    assert.deepEqual(await row(3), ['mardi 21 mai 2024', '10:00', 'non', 'oui']);
    assert.deepEqual(await row(4), ['dimanche 2 juin 2024', '22:40', '20 h – 5 h + dimanche', 'non']);

    await checks.a11y(p, 'case page (respected)');
    await screenshot(p, 'cases-laptop-03-case-respected');
  });

  test('a "blâme" in the timeline breaks the commitment, with its reasons', STEP, async () => {
    const p = journey.laptopPage();
    assert.ok(casePath);
    const form = eventForm(p);
    await form.getByRole('combobox', { name: 'Événement', exact: true }).selectOption({ label: SANCTION.type });
    await form.getByRole('textbox', { name: 'Date', exact: true }).fill(SANCTION.date);
    await form.getByLabel('Sanction', { exact: true }).selectOption({ label: SANCTION.kind });
    await Promise.all([
      p.waitForURL(`${baseUrl}${casePath}`),
      form.getByRole('button', { name: 'Ajouter au suivi' }).click(),
    ]);
    assert.match(await p.getByRole('status').first().innerText(), /Événement ajouté au suivi\./);

    await commitmentPanel(p).getByRole('heading', { level: 2, name: 'Engagement rompu' }).waitFor();
    assert.deepEqual(await panelReasons(p), [BREACH_REASON, LATE_REASON]);
    assert.match(await deadline(p, 'Délai de deux mois').innerText(), /Délai non respecté par la direction/);

    const item = p.locator('#suivi li.timeline__item');
    assert.equal(await item.count(), 1);
    assert.match(await item.innerText(), /15 octobre 2024\s+Sanction notifiée — blâme/);
    assert.match((await item.getAttribute('class')) ?? '', /timeline__item--danger/);

    // What the rep actually sees after the redirect (not the whole page).
    await screenshot(p, 'cases-laptop-04b-after-event-viewport', { fullPage: false });
    await checks.a11y(p, 'case page (breached)');
    await screenshot(p, 'cases-laptop-04-case-breached');
  });

  test('the dashboard counts the breach and links to the filtered list', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([
      p.waitForURL(`${baseUrl}/`),
      p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Accueil' }).click(),
    ]);
    const wave = waveSection(p);
    assert.match(await wave.innerText(), /1 dossier suivi\b/);
    const breachedFacet = wave.locator('a.facet--danger');
    assert.equal((await breachedFacet.innerText()).replace(/\s+/g, ' ').trim(), '1 Engagement rompu');
    assert.equal((await wave.locator('a.facet--ok').innerText()).replace(/\s+/g, ' ').trim(), '0 Engagement respecté');

    const breaches = wave.locator('.card--danger');
    await breaches.getByRole('heading', { level: 3, name: 'Engagement rompu : 1 dossier' }).waitFor();
    const listed = breaches.getByRole('listitem');
    assert.equal(await listed.count(), 1);
    assert.equal(await listed.getByRole('link', { name: AGENT.name }).getAttribute('href'), casePath);
    // Only the breach itself is repeated on the dashboard, not the risks that come with it.
    assert.deepEqual(await listed.locator('.muted').allInnerTexts(), [BREACH_REASON]);
    // The situation the case was logged under is counted.
    assert.match(await wave.getByRole('link', { name: new RegExp(ODD_HOURS) }).innerText(), /^1 /);

    await checks.a11y(p, 'dashboard');
    await screenshot(p, 'cases-laptop-05-dashboard');

    await Promise.all([p.waitForURL(/\/dossiers\?/), breachedFacet.click()]);
    const url = new URL(p.url());
    assert.equal(url.searchParams.get('engagement'), 'breached');
    assert.ok(url.searchParams.get('campagne'), 'the link keeps the campaign');
    breachedListHref = `${url.pathname}${url.search}`;
    await p.getByRole('heading', { level: 1, name: 'Dossiers' }).waitFor();
    assert.equal((await p.locator('p.result-count').innerText()).trim(), '1 dossier.');
    // The panel stays folded (the result comes first on a phone) and says which filters apply.
    assert.equal(await p.locator('details.filters').getAttribute('open'), null);
    assert.match(await p.locator('details.filters summary').innerText(), /\(2 filtres actifs\)/);
    assert.equal(await p.getByLabel('Engagement', { exact: true }).inputValue(), 'breached');
    const row = p.locator('li.case-row');
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByRole('link', { name: AGENT.name }).getAttribute('href'), casePath);
    assert.match(await row.innerText(), /Engagement rompu/);
    assert.match(await row.innerText(), /4 sur 5 consultations hors normes/);
    assert.equal(await p.locator('nav.facets a[aria-current="true"]').innerText().then((t) => t.replace(/\s+/g, ' ').trim()), '1 Engagement rompu');
    await checks.a11y(p, 'case list (filtered: engagement rompu)');
    await screenshot(p, 'cases-laptop-06-list-filtered');

    // The same list, unfiltered, and a search by name through the filter form.
    await p.goto(`${baseUrl}/dossiers`);
    assert.equal((await p.locator('p.result-count').innerText()).trim(), '1 dossier.');
    await checks.a11y(p, 'case list (no filter)');
    await screenshot(p, 'cases-laptop-07-list');
    await p.locator('details.filters > summary').click();
    await p.getByLabel('Nom de l’agent').fill('lefebvre');
    await Promise.all([p.waitForURL(/q=lefebvre/), p.getByRole('button', { name: 'Appliquer' }).click()]);
    assert.equal(await p.locator('li.case-row').getByRole('link', { name: AGENT.name }).count(), 1);
    await p.getByLabel('Nom de l’agent').fill('personne');
    await Promise.all([p.waitForURL(/q=personne/), p.getByRole('button', { name: 'Appliquer' }).click()]);
    assert.equal((await p.locator('p.result-count').innerText()).trim(), '0 dossier.');
    await p.getByText('Aucun dossier ne correspond.').waitFor();
    await checks.a11y(p, 'case list (no match)');
  });

  test('"Corriger" changes the event date, and the case page shows the correction', STEP, async () => {
    const p = journey.laptopPage();
    assert.ok(casePath);
    await p.goto(`${baseUrl}${casePath}`);
    await Promise.all([
      p.waitForURL(/\/evenements\/\d+\/modifier$/),
      p.getByRole('link', { name: 'Corriger l’événement « Sanction notifiée » du 15 octobre 2024' }).click(),
    ]);
    await p.getByRole('heading', { level: 1, name: 'Corriger un événement' }).waitFor();
    assert.equal(await p.getByRole('combobox', { name: 'Événement', exact: true }).inputValue(), 'sanction_notified');
    assert.equal(await p.getByRole('textbox', { name: 'Date', exact: true }).inputValue(), SANCTION.date);
    assert.equal(await p.getByLabel('Sanction', { exact: true }).inputValue(), 'blame');
    await checks.a11y(p, 'event correction page');
    await screenshot(p, 'cases-laptop-08-event-correction');

    await p.getByRole('textbox', { name: 'Date', exact: true }).fill(SANCTION.correctedDate);
    await Promise.all([
      p.waitForURL(`${baseUrl}${casePath}`),
      p.getByRole('button', { name: 'Enregistrer la correction' }).click(),
    ]);
    assert.match(await p.getByRole('status').first().innerText(), /Événement corrigé\./);
    const item = p.locator('#suivi li.timeline__item');
    assert.equal(await item.count(), 1, 'corrected, not duplicated');
    assert.match(await item.innerText(), /20 août 2024\s+Sanction notifiée — blâme/);
    assert.match(await item.locator('.timeline__meta').innerText(), /Corrigé/);
    // Still a breach; but on 20 August the procedure came within the two-month limit.
    await commitmentPanel(p).getByRole('heading', { level: 2, name: 'Engagement rompu' }).waitFor();
    assert.deepEqual(await panelReasons(p), [CORRECTED_BREACH_REASON]);
    assert.match(await deadline(p, 'Délai de deux mois').innerText(), /Étape prise dans le délai/);
    // The correction is traced in the case's access log.
    assert.ok((await p.locator('ul.audit li').allInnerTexts()).length > 0);
    await screenshot(p, 'cases-laptop-09-case-corrected');

    // The dashboard follows.
    await p.goto(`${baseUrl}/`);
    assert.deepEqual(await waveSection(p).locator('.card--danger li .muted').allInnerTexts(), [CORRECTED_BREACH_REASON]);
  });

  test(
    'multi-line text comes back verbatim in a form (refused form, case edit page)',
    STEP,
    async () => {
      const p = journey.laptopPage();
      assert.ok(casePath);
      const account = 'Je consultais le dossier pour répondre à un usager.\nJe n’ai rien modifié.\nMa responsable était au courant.';
      await p.goto(`${baseUrl}${casePath}/modifier`);
      await p.getByLabel('Le récit de l’agent').fill(account);
      await Promise.all([p.waitForURL(`${baseUrl}${casePath}`), p.getByRole('button', { name: 'Enregistrer le dossier' }).click()]);
      await p.goto(`${baseUrl}${casePath}/modifier`);
      const shownAgain = await p.getByLabel('Le récit de l’agent').inputValue();

      await p.goto(`${baseUrl}/dossiers/nouveau`);
      await p.getByLabel('Dates et heures').fill(CONSULTATIONS.join('\n'));
      await p.getByRole('button', { name: 'Enregistrer le dossier' }).click();
      await p.getByText('Le nom de l’agent est obligatoire.').first().waitFor();
      const pastedAgain = await p.getByLabel('Dates et heures').inputValue();

      assert.equal(shownAgain, account, 'each save of the case edit form indents the agent’s account a little more');
      assert.equal(pastedAgain, CONSULTATIONS.join('\n'), 'the refused form indents the pasted lines');
    },
  );

  test(
    'the correction page opens without an error banner',
    STEP,
    async () => {
      const p = journey.laptopPage();
      await p.goto(`${baseUrl}${casePath}`);
      await Promise.all([p.waitForURL(/\/modifier$/), p.locator('#suivi .timeline__meta a').first().click()]);
      await p.getByRole('heading', { level: 1, name: 'Corriger un événement' }).waitFor();
      assert.equal(await p.getByText('Le formulaire contient des erreurs.').count(), 0);
      assert.equal(await p.getByRole('alert').count(), 0);
    },
  );

  test(
    'a corrected event shows in the case’s journal, as the correction page promises',
    STEP,
    async () => {
      const p = journey.laptopPage();
      const notViews = async () =>
        (await p.locator('section[aria-labelledby="journal"] h3:has-text("Modifications") + ul.audit li').allInnerTexts()).length;
      await p.goto(`${baseUrl}${casePath}`);
      const before = await notViews();
      await p.locator('#suivi .timeline__meta a').first().click();
      await p.getByLabel('Note').fill('Notifiée par courrier recommandé.');
      await Promise.all([p.waitForURL(`${baseUrl}${casePath}`), p.getByRole('button', { name: 'Enregistrer la correction' }).click()]);
      assert.ok((await notViews()) > before, 'no new journal entry for the correction');
    },
  );

  test(
    'consultations pasted in the new-case form are recorded without an explanation the agent never gave',
    STEP,
    async () => {
      const p = journey.laptopPage();
      await p.goto(`${baseUrl}/dossiers/nouveau`);
      assert.equal(await p.getByLabel('Explication de l’agent').inputValue(), 'unknown');
    },
  );

  test('on a phone: dashboard, lists, case page and form', STEP, async () => {
    assert.ok(casePath && breachedListHref);
    const p = await checks.newPage(await journey.openPhone());
    phonePage = p;
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);

    await p.getByRole('heading', { level: 1, name: `Bonjour ${REP.name}` }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Se déconnecter' }).isVisible(), true);
    await assertNoHorizontalScroll(p, 'dashboard (phone)');
    await checks.a11y(p, 'dashboard (phone)');
    await screenshot(p, 'cases-phone-05-dashboard');

    await p.goto(`${baseUrl}${breachedListHref}`);
    await p.locator('li.case-row').getByRole('link', { name: AGENT.name }).waitFor();
    await assertNoHorizontalScroll(p, 'case list filtered (phone)');
    await checks.a11y(p, 'case list filtered (phone)');
    await screenshot(p, 'cases-phone-06-list-filtered');

    await p.goto(`${baseUrl}/dossiers`);
    await p.locator('li.case-row').first().waitFor();
    await assertNoHorizontalScroll(p, 'case list (phone)');
    await checks.a11y(p, 'case list (phone)');
    await screenshot(p, 'cases-phone-07-list');

    await p.goto(`${baseUrl}/dossiers/nouveau`);
    await p.getByRole('heading', { level: 1, name: 'Nouveau dossier' }).waitFor();
    await assertNoHorizontalScroll(p, 'case form (phone)');
    await screenshot(p, 'cases-phone-01-form');

    // The case page: axe and a screenshot here; its width has a test of its own below.
    await p.goto(`${baseUrl}${casePath}`);
    await commitmentPanel(p).getByRole('heading', { level: 2, name: 'Engagement rompu' }).waitFor();
    await checks.a11y(p, 'case page (phone)');
    await screenshot(p, 'cases-phone-04-case');
  });

  test(
    'on a phone, the case page does not scroll sideways',
    STEP,
    async () => {
      assert.ok(phonePage);
      await phonePage.goto(`${baseUrl}${casePath}`);
      await assertNoHorizontalScroll(phonePage, 'case page (phone)');
      // Nor does its table of consultations, within its own frame: one card per consultation, each
      // « Retirer » in reach of the thumb.
      const table = phonePage.locator('#consultations table');
      const [frame, removes] = [await table.boundingBox(), await table.getByRole('button', { name: /^Retirer/ }).all()];
      assert.ok(frame && removes.length > 0, 'the case has consultations to remove');
      const width = phonePage.viewportSize()!.width;
      assert.ok(frame.x + frame.width <= width + 1, `the consultation table fits the screen: ${frame.x + frame.width} > ${width}`);
      for (const remove of removes) {
        const box = await remove.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `« Retirer » is on screen: ${JSON.stringify(box)}`);
      }
      await screenshot(phonePage, 'cases-phone-08-consultations');
    },
  );

  test(
    'every id is unique on the checked pages',
    STEP,
    () => {
      assert.deepEqual(checks.duplicateIds, []);
    },
  );

  test('no page raised a script error or a CSP violation', STEP, () => {
    assert.deepEqual(checks.pageProblems, []);
  });
});

/**
 * Issue 13 in a browser: a rep covering La Réunion and Grand Est logs a Réunion case (the
 * département is implied) and types « 14/05/24 21h15 » in the agent's clock; then a Moselle case,
 * the département chosen in its region's group, where a time the clocks passed twice is asked
 * about with a radio and stored as answered. Screenshots (cases-local-time-*.png) of the form and
 * both case pages, at laptop and phone sizes.
 */
describe('Vigie in a browser: times in the agent’s own clock (issue 13)', () => {
  const OVERSEAS_REP = { name: 'Aurélie Payet', email: 'aurelie.payet@exemple.fr', password: 'une phrase de passe pour Saint-Denis' };
  const local = new Journey('cases-local-time-axe-report.txt');
  let url = '';
  let reunionCase = '';
  let moselleCase = '';

  const consultationForm = (page: Page) => page.locator('form').filter({ has: page.getByRole('heading', { name: 'Ajouter une consultation' }) });
  const rows = (page: Page) => page.locator('#consultations table tbody tr');
  const cells = async (page: Page, i: number) => (await rows(page).nth(i).locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

  /** Fills the smallest case form for an agent of a region, the département as given (or left to the form). */
  async function createCaseInBrowser(page: Page, name: string, region: string, department?: string): Promise<string> {
    await page.goto(`${url}/dossiers/nouveau`);
    await page.getByRole('heading', { level: 1, name: 'Nouveau dossier' }).waitFor();
    await page.getByLabel('Nom et prénom').fill(name);
    await page.getByLabel('Région (direction régionale)').selectOption({ label: region });
    if (department) await page.getByLabel('Département', { exact: true }).selectOption({ label: department });
    await page.getByLabel('Statut', { exact: true }).selectOption({ label: 'Salarié·e de droit privé (CCN)' });
    await page.getByRole('group', { name: 'Situation(s) signalée(s)' }).getByLabel(ODD_HOURS).check();
    await Promise.all([page.waitForURL(/\/dossiers\/\d+$/), page.getByRole('button', { name: 'Enregistrer le dossier' }).click()]);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    return new URL(page.url()).pathname;
  }

  before(async () => {
    url = (await local.start(({ services }) => createActiveUser(services, { ...OVERSEAS_REP, role: 'rep', regions: ['REU', 'GES'] }))).baseUrl;
  });

  after(() => local.close());

  test('the case form offers the départements of the rep’s regions, grouped, and says whose clock the pasted list is in', STEP, async () => {
    const p = await local.openLaptopPage();
    await p.goto(`${url}/connexion`);
    await logIn(p, url, OVERSEAS_REP);
    await p.goto(`${url}/dossiers/nouveau`);
    await p.getByRole('heading', { level: 1, name: 'Nouveau dossier' }).waitFor();
    const department = p.getByLabel('Département', { exact: true });
    assert.equal(await department.inputValue(), '', '« Non précisé » until chosen');
    assert.deepEqual(await department.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label'))), ['Grand Est', 'La Réunion']);
    assert.match(await p.getByText('Heure locale de l’agent, selon la région choisie').innerText(), /heure de Paris en métropole et en Corse, heure de La Réunion/);
    await local.checks.a11y(p, 'case form (two regions)');
    await screenshot(p, 'cases-local-time-laptop-01-form');
  });

  test('a Réunion case: « 14/05/24 21h15 » typed in La Réunion’s clock shows as 21:15, odd hours there', STEP, async () => {
    const page = local.laptopPage();
    reunionCase = await createCaseInBrowser(page, 'Mickaël Hoarau', 'La Réunion');
    assert.match(await page.locator('dl.facts').filter({ hasText: 'Département' }).innerText(), /974 – La Réunion/, 'the département is implied');

    const form = consultationForm(page);
    const at = form.getByRole('textbox', { name: 'Date et heure', exact: true });
    assert.equal(await at.getAttribute('type'), 'text');
    // The direction's list may give Paris times: the rep says which clock, the agent's by default.
    assert.equal(await form.getByRole('radio', { name: 'heure de La Réunion (heure de l’agent)' }).isChecked(), true);
    assert.equal(await form.getByRole('radio', { name: 'heure de Paris' }).isChecked(), false);
    await at.fill('14/05/24 21h15');
    await Promise.all([page.waitForURL(`${url}${reunionCase}#consultations`), form.getByRole('button', { name: 'Ajouter' }).click()]);
    await page.getByRole('status').filter({ hasText: 'Consultation ajoutée.' }).waitFor();
    assert.equal(await rows(page).count(), 1);
    assert.deepEqual((await cells(page, 0)).slice(0, 3), ['mardi 14 mai 2024', '21:15', '20 h – 5 h']);
    assert.equal(await page.getByRole('columnheader', { name: 'Heure (heure de La Réunion)' }).count(), 1);
    assert.match(await page.locator('#consultations p.summary').innerText(), /\(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\)/);
    await local.checks.a11y(page, 'case page (La Réunion)');
    await screenshot(page, 'cases-local-time-laptop-02-case-reunion');
  });

  test('a Moselle case: a time the clocks passed twice is asked about, then stored as answered', STEP, async () => {
    const page = local.laptopPage();
    moselleCase = await createCaseInBrowser(page, 'Laurent Schmitt', 'Grand Est', '57 – Moselle');
    assert.match(await page.locator('dl.facts').filter({ hasText: 'Département' }).innerText(), /57 – Moselle/);

    let form = consultationForm(page);
    await form.getByLabel('Date et heure (heure de Paris)').fill('27/10/2024 02:30');
    const [asked] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${moselleCase}/consultations`),
      form.getByRole('button', { name: 'Ajouter' }).click(),
    ]);
    assert.equal(asked.status(), 400);
    form = consultationForm(page);
    const question = form.getByRole('group', { name: 'Laquelle des deux ?' });
    await question.waitFor();
    assert.match(await question.innerText(), /a eu lieu deux fois en heure de Paris : cette nuit-là, les horloges ont reculé d’une heure/);
    assert.equal(await form.getByLabel('Date et heure (heure de Paris)').inputValue(), '27/10/2024 02:30', 'the time typed is kept');
    assert.equal(await question.getByRole('radio', { checked: true }).count(), 0, 'nothing chosen for the rep');
    await local.checks.a11y(page, 'case page (which of the two?)');
    await screenshot(page, 'cases-local-time-laptop-03-fold-question');

    await question.getByLabel('heure d’hiver (la seconde)').check();
    await Promise.all([page.waitForURL(`${url}${moselleCase}#consultations`), form.getByRole('button', { name: 'Ajouter' }).click()]);
    await page.getByRole('status').filter({ hasText: 'Consultation ajoutée.' }).waitFor();
    assert.deepEqual((await cells(page, 0)).slice(0, 3), ['dimanche 27 octobre 2024', '02:30 (heure d’hiver)', '20 h – 5 h dimanche']);
    assert.equal(await consultationForm(page).getByRole('group', { name: 'Laquelle des deux ?' }).count(), 0, 'the question is gone once answered');
    await screenshot(page, 'cases-local-time-laptop-04-case-moselle');
  });

  test('on a phone: the form and both case pages, nothing scrolls sideways', STEP, async () => {
    assert.ok(reunionCase && moselleCase);
    const page = await local.checks.newPage(await local.openPhone());
    await page.goto(`${url}/connexion`);
    await logIn(page, url, OVERSEAS_REP);
    await page.goto(`${url}/dossiers/nouveau`);
    await page.getByRole('heading', { level: 1, name: 'Nouveau dossier' }).waitFor();
    await assertNoHorizontalScroll(page, 'case form (phone, two regions)');
    await screenshot(page, 'cases-local-time-phone-01-form');
    for (const [path, name] of [[reunionCase, 'reunion'], [moselleCase, 'moselle']] as const) {
      await page.goto(`${url}${path}`);
      await rows(page).first().waitFor();
      await assertNoHorizontalScroll(page, `case page (phone, ${name})`);
      await local.checks.a11y(page, `case page (phone, ${name})`);
      await screenshot(page, `cases-local-time-phone-02-case-${name}`);
    }
  });

  test('no repeated id, no script error, no CSP violation', STEP, () => {
    assert.deepEqual(local.checks.duplicateIds, []);
    assert.deepEqual(local.checks.pageProblems, []);
  });
});
