/**
 * Browser journey over the real app (in-process server, real SQLite file, Debian's Chromium):
 * first-admin set-up, log out / log in, campaigns (failed then successful creation), figures form,
 * account administration, 404. Every main page is checked with axe (serious/critical = failure),
 * at a laptop viewport, and the key pages again at a phone viewport (no horizontal scroll).
 * Full-page screenshots land in test/artifacts/screenshots/ (git-ignored) for a human look.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'test/artifacts/screenshots');
const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const ADMIN = { name: 'Camille Martin', email: 'camille.martin@exemple.fr', password: 'une phrase de passe assez longue' };
const CAMPAIGN = {
  name: 'Contrôle des consultations — vague test',
  tracesStart: '2025-01-06',
  tracesEnd: '2025-03-31',
  interviewsStart: '2025-05-05',
  interviewsEnd: '2025-06-27',
  commitment: 'Aucune sanction disciplinaire ne sera engagée à l’issue de ces entretiens.',
  situation: 'Dossier d’une personnalité politique',
};
/** A reference campaign (data/reference/campaigns.json) that comes with official figures. */
const SEEDED_WITH_FIGURES = 'Détournement de finalités — vague 1 (2023)';
const INVITED = { name: 'Dominique Petit', email: 'dominique.petit@exemple.fr', region: 'Hauts-de-France' };

/** Tests in this file share one server, one browser, and the state the journey builds step by step. */
let dataDir: string | undefined;
let closeDb: (() => Promise<void>) | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let laptop: BrowserContext | undefined;
let baseUrl = '';
let setupPath = '';
let campaignPath = '';
const axeSummary: string[] = [];
const pageProblems: string[] = [];

async function newContext(viewport: { width: number; height: number }, phone = false): Promise<BrowserContext> {
  assert.ok(browser, 'browser not started');
  const context = await browser.newContext({
    viewport,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  // The app ships no script and a strict CSP: a page error or a CSP report means something is wrong.
  page.on('pageerror', (err) => pageProblems.push(`${page.url()}: page error ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      pageProblems.push(`${page.url()}: ${msg.text()}`);
    }
  });
  return page;
}

/** Runs axe on the page as it is now; fails on serious or critical violations and notes the rest. */
async function checkA11y(page: Page, label: string): Promise<void> {
  // page.evaluate is not subject to the page's CSP (script-src 'self'), unlike a <script> tag.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  const format = (v: AxeResults['violations'][number]) =>
    `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n      ${v.nodes.map((n) => n.target.join(' ')).join('\n      ')}`;
  assert.ok(results.passes.length > 0, `axe did not run any check on ${label}`);
  for (const v of results.violations) axeSummary.push(`${label} — ${format(v)}`);
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(
    blocking.length,
    0,
    `axe found serious/critical violations on ${label} (${page.url()}):\n  ${blocking.map(format).join('\n  ')}`,
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function assertNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    // The project's tsconfig has no DOM lib (server code): describe the little used here.
    interface El { tagName: string; className: unknown; getBoundingClientRect(): { right: number } }
    const { document, innerWidth: width } = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): Iterable<El> };
    };
    // Name the elements poking out, so a failure says where to look.
    const over = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: over };
  });
  assert.ok(
    scrollWidth <= innerWidth,
    `${label} scrolls horizontally: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}; overflowing: ${widest.join(', ')}`,
  );
}

async function fillLogin(page: Page): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(ADMIN.email);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole('button', { name: 'Se connecter' }).click()]);
}

describe('Vigie in a browser: foundation journey', { timeout: 120_000 }, () => {
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-e2e-'));
    const config = loadConfig(
      { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' },
      { sessionSecret: 'e2e-session-secret-'.padEnd(48, 'x') },
    );
    const { db, close } = openDatabase(path.join(dataDir, 'vigie.db'));
    closeDb = close;
    await migrateToLatest(db);
    await seedReferenceCampaigns(db, new Date());
    const services = buildServices(db, config);
    const app = createApp({ db, config, logger: createLogger('silent'), services });
    const setup = await services.auth.issueSetupLinkIfNeeded();
    assert.ok(setup, 'a fresh database must offer a set-up link');
    setupPath = `/installation/${setup.token}`;

    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      timeout: 30_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    laptop = await newContext(LAPTOP);
  });

  after(async () => {
    // Each step on its own: a failure in one must not leave the others running.
    await laptop?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (server) {
      const s = server;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await closeDb?.().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    // All axe findings (including minor/moderate ones that do not fail the test), for a human to read.
    writeFileSync(
      path.join(SCREENSHOTS, '..', 'axe-report.txt'),
      axeSummary.length > 0 ? `${axeSummary.join('\n')}\n` : 'No axe violation on any checked page.\n',
    );
  });

  test('the set-up link creates the first admin, who can log out and log back in', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);

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
    await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole('button', { name: 'Créer le compte' }).click()]);

    await page.getByRole('heading', { level: 1, name: `Bonjour ${ADMIN.name}` }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /Votre compte administrateur est créé/);
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
    // After login the app returns to the page that was asked for.
    await Promise.all([
      page.waitForURL(`${baseUrl}/campagnes`),
      page.getByRole('button', { name: 'Se connecter' }).click(),
    ]);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: `Bonjour ${ADMIN.name}` }).waitFor();
    await page.close();
  });

  test('an admin creates a campaign; a refused form keeps what was typed', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);
    await page.goto(`${baseUrl}/`);
    await Promise.all([
      page.waitForURL(`${baseUrl}/campagnes`),
      page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Campagnes' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Campagnes' }).waitFor();
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
    await page.getByLabel('Engagement de la direction (texte exact)').fill(CAMPAIGN.commitment);
    const noSanction = page.getByLabel('La direction s’est engagée à n’engager aucune sanction disciplinaire');
    await noSanction.check();

    // First submission without any situation: refused, nothing lost.
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Cochez au moins une situation visée par la campagne.').waitFor();
    assert.match(await page.getByRole('alert').first().innerText(), /Le formulaire contient des erreurs/);
    assert.equal(await page.getByLabel('Nom de la campagne').inputValue(), CAMPAIGN.name);
    assert.equal(await page.getByLabel('Engagement de la direction (texte exact)').inputValue(), CAMPAIGN.commitment);
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
    assert.equal(await page.locator('blockquote.quote').innerText(), CAMPAIGN.commitment);
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

  test('the official figures form of the new campaign', async () => {
    assert.ok(laptop);
    assert.ok(campaignPath, 'needs the campaign created by the previous test');
    const page = await newPage(laptop);
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

  test('admin pages: accounts list, invitation form, account page', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);
    await page.goto(`${baseUrl}/`);
    await Promise.all([
      page.waitForURL(`${baseUrl}/admin/comptes`),
      page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Comptes' }).waitFor();
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
    await Promise.all([
      page.waitForURL(/\/admin\/comptes\/\d+$/),
      page.getByRole('button', { name: 'Créer le compte et le lien' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: INVITED.name }).waitFor();
    assert.match(await page.locator('code.link-box').innerText(), /\/acces\/[\w-]+$/);
    await checkA11y(page, 'account page');
    await screenshot(page, 'laptop-11-account');
    await page.close();
  });

  // A form shown again after an error must keep a *single* ticked checkbox (it arrives as a string, not a list).
  test('a refused campaign form keeps the one situation that was ticked', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);
    try {
      await page.goto(`${baseUrl}/campagnes/nouvelle`);
      await page.getByLabel('Nom de la campagne').fill('Campagne aux dates inversées');
      const traces = page.getByRole('group', { name: 'Période des traces analysées' });
      await traces.getByLabel('Du').fill('2025-03-01');
      await traces.getByLabel('Au').fill('2025-01-01');
      await page.getByLabel(CAMPAIGN.situation).check();
      await page.getByLabel('Engagement de la direction (texte exact)').fill(CAMPAIGN.commitment);
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('La fin de la période analysée doit suivre son début.').waitFor();
      assert.equal(await page.getByLabel(CAMPAIGN.situation).isChecked(), true, 'the ticked situation is lost');
    } finally {
      await page.close();
    }
  });

  test('a refused invitation form keeps the one region that was ticked', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);
    try {
      await page.goto(`${baseUrl}/admin/comptes/nouveau`);
      await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
      await page.getByLabel(/^Nom(\s|$)/).fill('Alex Moreau');
      await page.getByRole('radio', { name: /^Représentant·e/ }).check();
      await page.getByLabel(INVITED.region, { exact: true }).check();
      await page.getByRole('button', { name: 'Créer le compte et le lien' }).click();
      await page.getByText('L’adresse e-mail n’est pas valide', { exact: false }).waitFor();
      assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), 'pas-une-adresse');
      assert.equal(await page.getByLabel(INVITED.region, { exact: true }).isChecked(), true, 'the ticked region is lost');
    } finally {
      await page.close();
    }
  });

  test('an unknown address shows the 404 page', async () => {
    assert.ok(laptop);
    const page = await newPage(laptop);
    const response = await page.goto(`${baseUrl}/cette-page-n-existe-pas`);
    assert.equal(response?.status(), 404);
    await page.getByText('Erreur 404').waitFor();
    await checkA11y(page, '404 page');
    await screenshot(page, 'laptop-12-not-found');
    await page.close();
  });

  test('on a phone: login, home, campaigns and campaign page fit the screen', async () => {
    assert.ok(campaignPath, 'needs the campaign created earlier');
    const phone = await newContext(PHONE, true);
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

  test('no page raised a script error or a CSP violation', () => {
    assert.deepEqual(pageProblems, []);
  });
});
