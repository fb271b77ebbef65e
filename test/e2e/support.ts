/**
 * Shared plumbing for the browser tests: the real app served in-process on a throw-away SQLite
 * file, Debian's Chromium driven by playwright-core, axe-core injected with page.evaluate (the
 * app's CSP forbids inline scripts, page.evaluate is not subject to it), full-page screenshots
 * under test/artifacts/screenshots/ (git-ignored; with VIGIE_SCREENSHOTS=1) and a horizontal-scroll
 * check for phones.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { hashPassword } from '../../src/auth/passwords';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import type { Role } from '../../src/db/schema';
import { migrateToLatest } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'test/artifacts/screenshots');
const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * How long one step (one test) of a journey may take. Steps wait for states (Playwright's waits,
 * each capped at 15 to 20 s), never for a clock; a journey as a whole has no limit of its own: a
 * limit on the sum of its steps failed the slower ones on a loaded machine.
 */
export const STEP = { timeout: 60_000 };

export type Viewport = { width: number; height: number };
export const LAPTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

export interface RunningApp {
  baseUrl: string;
  services: Services;
  /** Stops the server, closes the database and removes its directory; safe to call twice. */
  close(): Promise<void>;
}

/** Migrated, seeded database in a temporary directory, app listening on a free local port. */
export async function startApp(): Promise<RunningApp> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-e2e-'));
  let closeDb: (() => Promise<void>) | undefined;
  let server: Server | undefined;
  const close = async () => {
    // Each step on its own: a failure in one must not leave the others running.
    if (server) {
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    if (closeDb) {
      const c = closeDb;
      closeDb = undefined;
      await c().catch(() => {});
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig(
      { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' },
      { sessionSecret: 'e2e-session-secret-'.padEnd(48, 'x') },
    );
    const { db, close: dbClose } = openDatabase(path.join(dataDir, 'vigie.db'));
    closeDb = dbClose;
    await migrateToLatest(db);
    await seedReferenceCampaigns(db, new Date());
    const services = buildServices(db, config);
    const app = createApp({ db, config, logger: createLogger('silent'), services });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { baseUrl, services, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** An active account made straight through the services, as an accepted invitation leaves it: for journeys that start at the login form. */
export async function createActiveUser(
  services: Services,
  who: { name: string; email: string; password: string; role: Role; regions: string[] },
): Promise<number> {
  return services.users.create({
    email: who.email,
    name: who.name,
    role: who.role,
    status: 'active',
    passwordHash: await hashPassword(who.password),
    regions: who.regions,
    now: new Date(),
  });
}

/** Closes what a journey opened, in the order given, each on its own: a failure in one must not leave the others running. */
export async function closeAll(...things: Array<{ close(): Promise<unknown> } | undefined>): Promise<void> {
  for (const thing of things) await thing?.close().catch(() => {});
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}

export async function newContext(browser: Browser, viewport: Viewport, phone = false): Promise<BrowserContext> {
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

/**
 * What a browser suite collects along the way: axe findings (all of them, for a human to read)
 * and page errors or CSP reports (the app ships no script, so any of these is a bug).
 */
export class BrowserChecks {
  readonly axeSummary: string[] = [];
  readonly pageProblems: string[] = [];
  /** Ids used more than once on a checked page (axe-core only checks ids referenced by aria-* now; a repeated id behind label[for] goes unnoticed). */
  readonly duplicateIds: string[] = [];

  async newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageProblems.push(`${page.url()}: page error ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
        this.pageProblems.push(`${page.url()}: ${msg.text()}`);
      }
    });
    return page;
  }

  /** Runs axe on the page as it is now; fails on serious or critical violations and notes the rest. */
  async a11y(page: Page, label: string): Promise<void> {
    await page.evaluate(AXE_SOURCE);
    // Only what is checked below comes back: the full results list every node of every passing
    // check, a large object to serialise in the page and send over the protocol after each run.
    const results = await page.evaluate(async () => {
      const all = await (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run();
      return { passes: all.passes.length, violations: all.violations };
    });
    const format = (v: AxeResults['violations'][number]) =>
      `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n      ${v.nodes.map((n) => n.target.join(' ')).join('\n      ')}`;
    assert.ok(results.passes > 0, `axe did not run any check on ${label}`);
    // A repeated id silently breaks label/for, aria-describedby and in-page links: the second
    // control is left without a name. Noted here, asserted by the suites that want it.
    const repeated = await page.evaluate(() => {
      const { document } = globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ id: string }> } };
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    });
    if (repeated.length > 0) this.duplicateIds.push(`${label}: ${repeated.join(', ')}`);
    for (const v of results.violations) this.axeSummary.push(`${label} — ${format(v)}`);
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.equal(
      blocking.length,
      0,
      `axe found serious/critical violations on ${label} (${page.url()}):\n  ${blocking.map(format).join('\n  ')}`,
    );
  }

  /** Writes every axe finding (minor/moderate ones included) next to the screenshots. */
  writeAxeReport(fileName: string): void {
    mkdirSync(path.dirname(SCREENSHOTS), { recursive: true });
    writeFileSync(
      path.join(SCREENSHOTS, '..', fileName),
      this.axeSummary.length > 0 ? `${this.axeSummary.join('\n')}\n` : 'No axe violation on any checked page.\n',
    );
  }
}

/**
 * Screenshots are for a human to look at, and encoding long pages as PNG (twice the pixels on a
 * phone) took a sixth of the journeys' time: they are taken with VIGIE_SCREENSHOTS=1 only.
 */
export const TAKE_SCREENSHOTS = process.env.VIGIE_SCREENSHOTS === '1';

/** A full-page screenshot (or only what the window shows), as test/artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  if (!TAKE_SCREENSHOTS) return;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

/**
 * Fails when the page is wider than the screen. On a mobile viewport Chromium widens the layout
 * viewport to fit overflowing content (the page is then shown zoomed out, and innerWidth grows with
 * it), so the reference is the initial containing block's width (documentElement.clientWidth).
 */
export async function assertNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, width, widest } = await page.evaluate(() => {
    // The project's tsconfig has no DOM lib (server code): describe the little used here.
    interface El { tagName: string; className: unknown; getBoundingClientRect(): { right: number } }
    const { document } = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(selector: string): Iterable<El> };
    };
    const screen = document.documentElement.clientWidth;
    // Name the elements poking out, so a failure says where to look.
    const over = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > screen + 1)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, width: screen, widest: over };
  });
  assert.ok(
    scrollWidth <= width,
    `${label} scrolls horizontally: scrollWidth ${scrollWidth} > clientWidth ${width}; overflowing: ${widest.join(', ')}`,
  );
}

/** The rep most journeys follow, as an admin would have invited them. */
export const REP = { name: 'Sonia Ferreira', email: 'sonia.ferreira@exemple.fr', password: 'une phrase de passe de représentante' };

/**
 * What a browser journey holds from its before() to its after(): the app, one browser, a laptop
 * window (a phone one when a step opens it), the laptop page the steps share, and the checks
 * collected on the way, whose axe findings go to `axeReport` at the end.
 */
export class Journey {
  readonly checks = new BrowserChecks();
  running: RunningApp | undefined;
  browser: Browser | undefined;
  laptop: BrowserContext | undefined;
  phone: BrowserContext | undefined;
  page: Page | undefined;

  constructor(private readonly axeReport: string) {}

  get baseUrl(): string {
    assert.ok(this.running, 'the app is started by before()');
    return this.running.baseUrl;
  }

  get services(): Services {
    assert.ok(this.running, 'the app is started by before()');
    return this.running.services;
  }

  /** Starts the app, lets `seed` fill it (through the services) before the browser opens its laptop window. */
  async start(seed?: (app: RunningApp) => Promise<unknown>): Promise<RunningApp> {
    const running = await startApp();
    this.running = running;
    await seed?.(running);
    this.browser = await launchBrowser();
    this.laptop = await newContext(this.browser, LAPTOP);
    return running;
  }

  /** A phone-sized window (390 px, touch), closed with the journey. */
  async openPhone(): Promise<BrowserContext> {
    assert.ok(this.browser, 'browser not started');
    this.phone = await newContext(this.browser, PHONE, true);
    return this.phone;
  }

  /** Opens the laptop page the following steps share. */
  async openLaptopPage(): Promise<Page> {
    assert.ok(this.laptop, 'browser not started');
    this.page = await this.checks.newPage(this.laptop);
    return this.page;
  }

  laptopPage(): Page {
    assert.ok(this.page, 'the laptop page is opened by an earlier step');
    return this.page;
  }

  /** Closes everything, each on its own, and writes every axe finding (minor ones included) for a human to read. */
  async close(): Promise<void> {
    await closeAll(this.phone, this.laptop, this.browser, this.running);
    this.checks.writeAxeReport(this.axeReport);
  }
}

/** An active account made through the services (see createActiveUser), as the app's User. */
export async function activeUser(services: Services, who: Parameters<typeof createActiveUser>[1]) {
  const user = await services.users.findById(await createActiveUser(services, who));
  assert.ok(user, 'the account was created');
  return user;
}

/**
 * Clicks « Prévisualiser » on a composer page (brief review, declaration compose) and waits for its
 * POST to `path` and the « Aperçu » heading. Returns the preview, and where its heading stands in
 * the window right after the click, before anything scrolls.
 */
export async function previewComposer(p: Page, path: string): Promise<{ preview: Locator; top: number; windowHeight: number }> {
  const [response] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
    p.getByRole('button', { name: 'Prévisualiser' }).click(),
  ]);
  assert.equal(response.status(), 200);
  const preview = p.locator('#apercu');
  const heading = preview.getByRole('heading', { level: 2, name: 'Aperçu' });
  await heading.waitFor();
  const position = await heading.evaluate((el) => ({
    top: (el as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top,
    windowHeight: (globalThis as unknown as { innerHeight: number }).innerHeight,
  }));
  return { preview, ...position };
}

/**
 * Signs in through the login form and waits for the page the app lands on. An account with a
 * second factor gives `secondFactor()`'s code (or recovery code) at the code page.
 */
export async function logIn(
  page: Page,
  baseUrl: string,
  who: { email: string; password: string; secondFactor?: () => string },
  landing = `${baseUrl}/`,
): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(who.email);
  await page.getByLabel('Mot de passe').fill(who.password);
  if (who.secondFactor) {
    await Promise.all([page.waitForURL(`${baseUrl}/connexion/code`), page.getByRole('button', { name: 'Se connecter' }).click()]);
    await page.getByLabel(/^Code/).fill(who.secondFactor());
    await Promise.all([page.waitForURL(landing), page.getByRole('button', { name: 'Vérifier' }).click()]);
    return;
  }
  await Promise.all([page.waitForURL(landing), page.getByRole('button', { name: 'Se connecter' }).click()]);
}

/**
 * Turns an account's second factor on through the service (the browser enrolment is the
 * foundation journey's), and returns what its phone would show at the next login: a code of a
 * later time step than the one the enrolment used, never a replay.
 */
export async function enrolSecondFactor(services: Services, account: { id: number; email: string }): Promise<() => string> {
  const started = await services.secondFactor.beginEnrolment(account, undefined);
  assert.ok(started, 'not enrolled yet');
  const enrolledStep = timeStepAt(new Date());
  const done = await services.secondFactor.confirmEnrolment(account, started.pendingBox, totpCodeAt(started.secret, enrolledStep));
  assert.ok(done.ok, 'the enrolment is confirmed');
  return () => totpCodeAt(started.secret, Math.max(timeStepAt(new Date()), enrolledStep + 1));
}
