/**
 * Browser journey over the real app (in-process server, real SQLite file, Debian's Chromium):
 * first-admin set-up, log out / log in, campaigns (failed then successful creation), figures form,
 * account administration, 404. Every main page is checked with axe (serious/critical = failure),
 * at a laptop viewport, and the key pages again at a phone viewport (no horizontal scroll).
 * With VIGIE_SCREENSHOTS=1, full-page screenshots land in test/artifacts/screenshots/ (git-ignored) for a human look.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';
import { assertNoHorizontalScroll, logIn, screenshot, Journey, STEP } from './support';

const ADMIN = { name: 'Camille Martin', email: 'camille.martin@exemple.fr', password: 'une phrase de passe assez longue' };
const CAMPAIGN = {
  name: 'Contrôle des consultations — vague test',
  tracesStart: '2025-01-06',
  tracesEnd: '2025-03-31',
  interviewsStart: '2025-05-05',
  interviewsEnd: '2025-06-27',
  commitment: 'Aucune sanction disciplinaire ne sera engagée à l’issue de ces entretiens.',
  /** The direction's words, typed with their guillemets: the form takes them off, the page puts its own. */
  quote: '« un rappel bienveillant des règles »',
  situation: 'Dossier d’une personnalité politique',
};
/** A reference campaign (data/reference/campaigns.json) that comes with official figures. */
const SEEDED_WITH_FIGURES = 'Détournement de finalités — vague 1 (2023)';
const INVITED = { name: 'Dominique Petit', email: 'dominique.petit@exemple.fr', region: 'Hauts-de-France' };

/** Tests in this file share one server, one browser, and the state the journey builds step by step. */
const journey = new Journey('axe-report.txt');
const { checks } = journey;
let baseUrl = '';
let setupPath = '';
let campaignPath = '';
const pageProblems = checks.pageProblems;

function newPage(context: BrowserContext): Promise<Page> {
  return checks.newPage(context);
}

function checkA11y(page: Page, label: string): Promise<void> {
  return checks.a11y(page, label);
}

/** The recovery codes the administrator noted at enrolment, spent one per later login. */
const recoveryCodes: string[] = [];

function fillLogin(page: Page): Promise<void> {
  return logIn(page, baseUrl, { ...ADMIN, secondFactor: () => recoveryCodes.shift()! });
}

/** A new laptop page, from the home page through the main navigation's link to a page of that title. */
async function openFromMainNavigation(title: string, path: string): Promise<Page> {
  assert.ok(journey.laptop);
  const page = await newPage(journey.laptop);
  await page.goto(`${baseUrl}/`);
  await Promise.all([
    page.waitForURL(`${baseUrl}${path}`),
    page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: title }).click(),
  ]);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  return page;
}

describe('Vigie in a browser: foundation journey', () => {
  before(() =>
    journey.start(async (app) => {
      baseUrl = app.baseUrl;
      const setup = await app.services.auth.issueSetupLinkIfNeeded();
      assert.ok(setup, 'a fresh database must offer a set-up link');
      setupPath = `/installation/${setup.token}`;
    }),
  );

  // Writes all axe findings (including minor/moderate ones that do not fail the test), for a human to read.
  after(() => journey.close());

  test('the set-up link creates the first admin, who can log out and log back in', STEP, async () => {
    assert.ok(journey.laptop);
    const page = await newPage(journey.laptop);

    const setupResponse = await page.goto(`${baseUrl}${setupPath}`);
    assert.equal(setupResponse?.status(), 200);
    await assert.doesNotReject(
      page.getByRole('heading', { level: 1, name: 'Créer le compte administrateur' }).waitFor(),
    );
    await checkA11y(page, 'set-up page');
    await screenshot(page, 'laptop-01-setup');

    await page.getByLabel('Votre nom').fill(ADMIN.name);
    await page.getByLabel('Adresse e-mail').fill(ADMIN.email);
    await page.getByLabel(/^Mot de passe/).fill(ADMIN.password);
    await page.getByLabel('Confirmez le mot de passe').fill(ADMIN.password);
    // An administrator sets up a second factor before any other page: the QR code, the key as
    // text, a first code typed from « the phone », then the recovery codes shown once.
    await Promise.all([page.waitForURL(`${baseUrl}/compte/double-authentification/activer`), page.getByRole('button', { name: 'Créer le compte' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Activer la double authentification' }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /Votre compte administrateur est créé/);
    assert.equal(await page.locator('.qr-code svg').count(), 1, 'the QR code is drawn in the page');
    assert.equal(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link').count(), 1, 'no menu but the name, until enrolled');
    await checkA11y(page, 'second factor enrolment');
    await screenshot(page, 'laptop-02a-second-factor-enrol');
    const secret = (await page.locator('.secret-key').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code affiché par l’application').fill(totpCodeAt(secret, timeStepAt(new Date())));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vos codes de secours' }).waitFor();
    recoveryCodes.push(...(await page.locator('.recovery-codes code').allInnerTexts()));
    assert.equal(recoveryCodes.length, 10);
    await checkA11y(page, 'recovery codes');
    await screenshot(page, 'laptop-02b-recovery-codes');
    await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole('link', { name: 'J’ai noté mes codes, continuer' }).click()]);

    await page.getByRole('heading', { level: 1, name: `Bonjour ${ADMIN.name}` }).waitFor();
    await checkA11y(page, 'home page');
    await screenshot(page, 'laptop-02-home');

    // The one-time link is spent.
    const reused = await page.goto(`${baseUrl}${setupPath}`);
    assert.equal(reused?.status(), 404);
    await page.goto(`${baseUrl}/`);

    await Promise.all([
      page.waitForURL(`${baseUrl}/connexion`),
      page.getByRole('button', { name: 'Se déconnecter' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /Vous êtes déconnecté·e/);
    assert.equal(await page.getByRole('button', { name: 'Se déconnecter' }).count(), 0);

    // Signed out, a protected page sends back to the login form.
    await page.goto(`${baseUrl}/campagnes`);
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await checkA11y(page, 'login page');
    await screenshot(page, 'laptop-03-login');

    // A wrong password is refused with a message, the e-mail is kept.
    await page.getByLabel('Adresse e-mail').fill(ADMIN.email);
    await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), ADMIN.email);
    await checkA11y(page, 'login page after a failed attempt');

    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await Promise.all([page.waitForURL(`${baseUrl}/connexion/code`), page.getByRole('button', { name: 'Se connecter' }).click()]);
    await checkA11y(page, 'second factor code page');
    await screenshot(page, 'laptop-03b-second-factor-code');
    // Each later login of this journey spends a recovery code: within one 30-second step, a code
    // of the app would be refused as a replay.
    await page.getByLabel(/^Code/).fill(recoveryCodes.shift()!);
    // After login the app returns to the page that was asked for.
    await Promise.all([
      page.waitForURL(`${baseUrl}/campagnes`),
      page.getByRole('button', { name: 'Vérifier' }).click(),
    ]);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: `Bonjour ${ADMIN.name}` }).waitFor();
    await page.close();
  });

  test('an admin creates a campaign; a refused form keeps what was typed', STEP, async () => {
    const page = await openFromMainNavigation('Campagnes', '/campagnes');
    const seeded = await page.locator('ul.cards > li').count();
    assert.ok(seeded > 0, 'the reference campaigns are listed');
    await checkA11y(page, 'campaigns list');

    await Promise.all([
      page.waitForURL(`${baseUrl}/campagnes/nouvelle`),
      page.getByRole('link', { name: 'Nouvelle campagne' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Nouvelle campagne' }).waitFor();
    await checkA11y(page, 'campaign form');
    await screenshot(page, 'laptop-06-campaign-form');

    await page.getByLabel('Nom de la campagne').fill(CAMPAIGN.name);
    const traces = page.getByRole('group', { name: 'Période des traces analysées' });
    await traces.getByLabel('Du').fill(CAMPAIGN.tracesStart);
    await traces.getByLabel('Au').fill(CAMPAIGN.tracesEnd);
    const interviews = page.getByRole('group', { name: 'Fenêtre annoncée pour les entretiens' });
    await interviews.getByLabel('Du').fill(CAMPAIGN.interviewsStart);
    await interviews.getByLabel('Au').fill(CAMPAIGN.interviewsEnd);
    await page.getByLabel('Engagement tel que rapporté (tract, compte rendu)').fill(CAMPAIGN.commitment);
    await page.getByLabel('Mots exacts de la direction').fill(CAMPAIGN.quote);
    const noSanction = page.getByLabel('La direction s’est engagée à n’engager aucune sanction disciplinaire');
    await noSanction.check();

    // First submission without any situation: refused, nothing lost.
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.field__error').getByText('Cochez au moins une situation visée par la campagne.').waitFor();
    assert.match(await page.getByRole('alert').first().innerText(), /Le formulaire contient des erreurs/);
    assert.equal(await page.getByLabel('Nom de la campagne').inputValue(), CAMPAIGN.name);
    assert.equal(await page.getByLabel('Engagement tel que rapporté (tract, compte rendu)').inputValue(), CAMPAIGN.commitment);
    assert.equal(await page.getByLabel('Mots exacts de la direction').inputValue(), CAMPAIGN.quote);
    assert.equal(await traces.getByLabel('Du').inputValue(), CAMPAIGN.tracesStart);
    assert.equal(await interviews.getByLabel('Au').inputValue(), CAMPAIGN.interviewsEnd);
    assert.equal(await noSanction.isChecked(), true);
    const situations = page.getByRole('group', { name: /Situations visées/ });
    assert.equal(
      await situations.getAttribute('aria-describedby'),
      'f-situations-error',
      'the situations group points at its error message',
    );
    await checkA11y(page, 'campaign form with errors');
    await screenshot(page, 'laptop-07-campaign-form-errors');

    // Fix it and submit again.
    await page.getByLabel(CAMPAIGN.situation).check();
    await Promise.all([
      page.waitForURL(/\/campagnes\/\d+$/),
      page.getByRole('button', { name: 'Enregistrer' }).click(),
    ]);
    campaignPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: CAMPAIGN.name }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /Campagne créée/);
    // The union's account as a paragraph, the direction's words alone as the quotation.
    const commitment = page.getByRole('region', { name: 'Engagement de la direction' });
    assert.equal(await commitment.getByText(CAMPAIGN.commitment, { exact: true }).count(), 1);
    assert.equal((await page.locator('blockquote.quote').innerText()).replace(/\u00a0/g, ' '), CAMPAIGN.quote);
    const main = page.getByRole('main');
    assert.equal(await main.getByText('Aucune sanction disciplinaire', { exact: true }).count(), 1);
    assert.equal(await main.getByText(CAMPAIGN.situation).count(), 1);
    assert.equal(await main.getByText('du 6 janvier 2025 au 31 mars 2025').count(), 1);
    await checkA11y(page, 'campaign page');
    await screenshot(page, 'laptop-05-campaign');

    await Promise.all([
      page.waitForURL(`${baseUrl}/campagnes`),
      page.getByRole('main').getByRole('link', { name: 'Campagnes' }).click(),
    ]);
    const card = page.locator('ul.cards > li').filter({ has: page.getByRole('link', { name: CAMPAIGN.name }) });
    assert.equal(await card.count(), 1, 'the new campaign is listed once');
    assert.match(await card.innerText(), /Engagement : aucune sanction/);
    assert.equal(await page.locator('ul.cards > li').count(), seeded + 1);
    await screenshot(page, 'laptop-04-campaigns');
    await page.close();
  });

  test('the official figures form of the new campaign', STEP, async () => {
    assert.ok(journey.laptop);
    assert.ok(campaignPath, 'needs the campaign created by the previous test');
    const page = await newPage(journey.laptop);
    await page.goto(`${baseUrl}${campaignPath}`);
    await Promise.all([
      page.waitForURL(`${baseUrl}${campaignPath}/chiffres`),
      page.getByRole('link', { name: 'Saisir des chiffres' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Chiffres officiels' }).waitFor();
    await checkA11y(page, 'campaign figures form');
    await screenshot(page, 'laptop-08-campaign-figures');
    await page.close();
  });

  test('admin pages: accounts list, invitation form, account page', STEP, async () => {
    const page = await openFromMainNavigation('Comptes', '/admin/comptes');
    assert.equal(await page.getByRole('table').getByRole('link', { name: ADMIN.name }).count(), 1);
    await checkA11y(page, 'accounts list');
    await screenshot(page, 'laptop-09-accounts');

    await Promise.all([
      page.waitForURL(`${baseUrl}/admin/comptes/nouveau`),
      page.getByRole('link', { name: 'Inviter un compte' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Inviter un compte' }).waitFor();
    await checkA11y(page, 'account creation form');
    await screenshot(page, 'laptop-10-account-new');

    await page.getByLabel('Adresse e-mail').fill(INVITED.email);
    await page.getByLabel(/^Nom(\s|$)/).fill(INVITED.name);
    await page.getByRole('radio', { name: /^Représentant·e/ }).check();
    await page.getByLabel(INVITED.region, { exact: true }).check();
    // The account page is rendered in answer to the POST (201, no redirect): the one-time link is
    // shown once and never stored in the session for a later page.
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin/comptes'),
      page.getByRole('button', { name: 'Créer le compte et le lien' }).click(),
    ]);
    assert.equal(created.status(), 201);
    await page.getByRole('heading', { level: 1, name: INVITED.name }).waitFor();
    assert.match(await page.locator('code.link-box').innerText(), /\/acces\/[\w-]+$/);
    await checkA11y(page, 'account page');
    await screenshot(page, 'laptop-11-account');
    await page.close();
  });

  // A form shown again after an error must keep a *single* ticked checkbox (it arrives as a string, not a list).
  test('a refused campaign form keeps the one situation that was ticked', STEP, async () => {
    assert.ok(journey.laptop);
    const page = await newPage(journey.laptop);
    try {
      await page.goto(`${baseUrl}/campagnes/nouvelle`);
      await page.getByLabel('Nom de la campagne').fill('Campagne aux dates inversées');
      const traces = page.getByRole('group', { name: 'Période des traces analysées' });
      await traces.getByLabel('Du').fill('2025-03-01');
      await traces.getByLabel('Au').fill('2025-01-01');
      await page.getByLabel(CAMPAIGN.situation).check();
      await page.getByLabel('Engagement tel que rapporté (tract, compte rendu)').fill(CAMPAIGN.commitment);
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.locator('.field__error').getByText('La fin de la période analysée doit suivre son début.').waitFor();
      assert.equal(await page.getByLabel(CAMPAIGN.situation).isChecked(), true, 'the ticked situation is lost');
    } finally {
      await page.close();
    }
  });

  test('a refused invitation form keeps the one region that was ticked', STEP, async () => {
    assert.ok(journey.laptop);
    const page = await newPage(journey.laptop);
    try {
      await page.goto(`${baseUrl}/admin/comptes/nouveau`);
      await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
      await page.getByLabel(/^Nom(\s|$)/).fill('Alex Moreau');
      await page.getByRole('radio', { name: /^Représentant·e/ }).check();
      await page.getByLabel(INVITED.region, { exact: true }).check();
      await page.getByRole('button', { name: 'Créer le compte et le lien' }).click();
      await page.locator('.field__error').getByText('L’adresse e-mail n’est pas valide', { exact: false }).waitFor();
      assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), 'pas-une-adresse');
      assert.equal(await page.getByLabel(INVITED.region, { exact: true }).isChecked(), true, 'the ticked region is lost');
    } finally {
      await page.close();
    }
  });

  test('an unknown address shows the 404 page', STEP, async () => {
    assert.ok(journey.laptop);
    const page = await newPage(journey.laptop);
    const response = await page.goto(`${baseUrl}/cette-page-n-existe-pas`);
    assert.equal(response?.status(), 404);
    await page.getByText('Erreur 404').waitFor();
    await checkA11y(page, '404 page');
    await screenshot(page, 'laptop-12-not-found');
    await page.close();
  });

  test('on a phone: login, home, campaigns and campaign page fit the screen', STEP, async () => {
    assert.ok(campaignPath, 'needs the campaign created earlier');
    const phone = await journey.openPhone();
    try {
      const page = await newPage(phone);
      await page.goto(`${baseUrl}/connexion`);
      await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
      await assertNoHorizontalScroll(page, 'login page (phone)');
      await checkA11y(page, 'login page (phone)');
      await screenshot(page, 'phone-03-login');

      await fillLogin(page);
      await page.getByRole('heading', { level: 1, name: `Bonjour ${ADMIN.name}` }).waitFor();
      // The logout button must stay reachable on a small screen.
      assert.equal(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible(), true);
      await assertNoHorizontalScroll(page, 'home page (phone)');
      await checkA11y(page, 'home page (phone)');
      await screenshot(page, 'phone-02-home');

      await page.goto(`${baseUrl}/campagnes`);
      await page.getByRole('heading', { level: 1, name: 'Campagnes' }).waitFor();
      await assertNoHorizontalScroll(page, 'campaigns list (phone)');
      await screenshot(page, 'phone-04-campaigns');

      await page.goto(`${baseUrl}${campaignPath}`);
      await page.getByRole('heading', { level: 1, name: CAMPAIGN.name }).waitFor();
      await assertNoHorizontalScroll(page, 'campaign page (phone)');
      await screenshot(page, 'phone-05-campaign');

      // A seeded campaign has a figures table, the widest thing on these pages.
      await page.goto(`${baseUrl}/campagnes`);
      await page.getByRole('link', { name: SEEDED_WITH_FIGURES }).click();
      await page.locator('table.table').first().waitFor();
      await assertNoHorizontalScroll(page, 'campaign page with figures (phone)');
      await screenshot(page, 'phone-05b-campaign-with-figures');
    } finally {
      await phone.close().catch(() => {});
    }
  });

  test('no page raised a script error or a CSP violation', STEP, () => {
    assert.deepEqual(pageProblems, []);
  });
});
