/**
 * Browser journey of a support request, over the real app (in-process server, throw-away SQLite
 * file, Debian's Chromium):
 *  - on a phone (390×844), an agent without an account opens /demande, sends it empty once (errors),
 *    fills it in, is sent to the private link, whose first showing is the confirmation with the
 *    reference, and reloads it: the form is not posted again, the follow-up page shows; the same form
 *    sent again stores nothing and says the request is already sent;
 *  - on a laptop, another agent sends the form and gets the same confirmation;
 *  - on a laptop, a Hauts-de-France rep finds the request in /demandes, replies, and turns it into a
 *    case (the case's timeline starts with « Demande d’accompagnement »);
 *  - back on the phone, the agent reads the reply and the new state, then erases the request.
 * axe (serious/critical = failure) runs on /demande (empty and with errors), the confirmation (phone
 * and laptop), the follow-up page, the « already sent » page, /demandes and /demandes/:id; no public
 * page may scroll sideways at phone size.
 * Screenshots (requests-*.png, with VIGIE_SCREENSHOTS=1) land in test/artifacts/screenshots/, axe's full findings in
 * test/artifacts/requests-axe-report.txt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { LAPTOP, assertNoHorizontalScroll, logIn, newContext, screenshot, Journey, REP, createActiveUser, STEP } from './support';

const AGENT = {
  name: 'Karine Lefebvre',
  email: 'karine.lefebvre@exemple.fr',
  phone: '06 12 34 56 78',
  region: 'Hauts-de-France',
  site: 'Agence Lille Hellemmes',
  convocationDate: '2024-09-02',
  interviewDate: '2024-09-16',
  summonedBy: 'Ma manager de proximité',
  situation: 'Consultations répétées à des horaires hors normes',
  message: 'J’ai reçu un mail de convocation pour un « rappel aux règles » sur des consultations faites le soir, en télétravail.\nJe ne sais pas ce qu’on me reproche exactement.',
};
const REPLY = 'Bonjour, je vous appelle demain à 10 h pour préparer l’entretien. Vous pouvez venir accompagnée.';

const journey = new Journey('requests-axe-report.txt');
const { checks } = journey;
let agentPage: Page | undefined;
let repPage: Page | undefined;
let baseUrl = '';
/** /demande/suivi/<token>, as read off the confirmation page. */
let followUpPath = '';
let reference = '';
/** The rep's page of the request. */
let requestUrl = '';

function agent(): Page {
  assert.ok(agentPage, 'the agent’s phone page is opened by the first step');
  return agentPage;
}

function rep(): Page {
  assert.ok(repPage, 'the rep’s laptop page is opened by the rep’s step');
  return repPage;
}

/** How many support requests the database holds. */
async function requestCount(): Promise<number> {
  return (await journey.services.requests.queue({ kind: 'all' }, {})).length;
}

/** The URLs of the POST requests a page sends while `action` runs. */
async function postsDuring(p: Page, action: () => Promise<unknown>): Promise<string[]> {
  const posted: string[] = [];
  const listener = (request: import('playwright-core').Request) => {
    if (request.method() === 'POST') posted.push(new URL(request.url()).pathname);
  };
  p.on('request', listener);
  try {
    await action();
  } finally {
    p.off('request', listener);
  }
  return posted;
}

/** The public pages at phone size: checked by axe, photographed, and never wider than the screen. */
async function checkPublicPage(p: Page, label: string, shot: string) {
  await assertNoHorizontalScroll(p, `${label} (phone)`);
  await checks.a11y(p, `${label} (phone)`);
  await screenshot(p, shot);
}

describe('Vigie in a browser: an agent asks for support from a phone, a rep answers', () => {
  before(async () => {
    baseUrl = (await journey.start(({ services }) => createActiveUser(services, { ...REP, role: 'rep', regions: ['HDF'] }))).baseUrl;
    await journey.openPhone();
  });

  after(() => journey.close());

  test('on a phone, the agent sends the form empty once, then fills it in and gets a reference and a private link', STEP, async () => {
    assert.ok(journey.phone);
    agentPage = await checks.newPage(journey.phone);
    const p = agentPage;
    await p.goto(`${baseUrl}/demande`);
    await p.getByRole('heading', { level: 1, name: 'Convoqué·e ? Demandez l’accompagnement de la CGT' }).waitFor();
    assert.equal(await p.getByRole('navigation', { name: 'Navigation principale' }).count(), 0, 'no reps’ menu for the public');
    await checkPublicPage(p, 'public form (empty)', 'requests-phone-01-form');

    // Sent as is: refused, with the errors listed and each one next to its field.
    const [refused] = await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/demande'),
      p.getByRole('button', { name: 'Envoyer ma demande' }).click(),
    ]);
    assert.equal(refused.status(), 400);
    const summary = p.locator('.error-summary');
    await summary.waitFor();
    // The page opens on the errors: the keyboard and the screen reader start there, not at the top.
    await p.locator('.error-summary:focus').waitFor();
    const summaryText = await summary.innerText();
    assert.match(summaryText, /Votre nom est obligatoire\./);
    // The missing contact is only reported once the rest is valid (see test/http/requests.test.ts).
    assert.match(summaryText, /Choisissez votre région\./);
    assert.match(summaryText, /Votre accord est nécessaire/);
    assert.equal(await p.getByLabel('Votre nom et prénom').getAttribute('aria-invalid'), 'true');
    await checkPublicPage(p, 'public form (errors)', 'requests-phone-02-form-errors');

    // Each link of the error summary leads to its field.
    for (const href of await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      assert.ok(href && (await p.locator(href).count()) === 1, `the summary link ${href} points to one element`);
    }

    await p.getByLabel('Votre nom et prénom').fill(AGENT.name);
    await p.getByRole('textbox', { name: 'Adresse e-mail' }).fill(AGENT.email);
    await p.getByRole('textbox', { name: 'Téléphone' }).fill(AGENT.phone);
    await p.getByLabel('Votre région').selectOption({ label: AGENT.region });
    await p.getByLabel('Votre site (agence, plateforme…)').fill(AGENT.site);
    await p.getByLabel('Date de la convocation').fill(AGENT.convocationDate);
    await p.getByLabel('Date de l’entretien, si connue').fill(AGENT.interviewDate);
    await p.getByLabel('Qui vous a convoqué·e ? (fonction)').fill(AGENT.summonedBy);
    await p.getByRole('group', { name: 'Ce qui vous est reproché, si vous le savez' }).getByLabel(AGENT.situation).check();
    await p.getByLabel('Votre message').fill(AGENT.message);
    await p.getByLabel(/J’accepte que la CGT France Travail enregistre ces informations/).check();
    const spentKey = await p.locator('input[name="submissionKey"]').inputValue();
    const [sent] = await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/demande'),
      p.getByRole('button', { name: 'Envoyer ma demande' }).click(),
    ]);
    // Post/Redirect/Get: the browser is sent to the private link, whose first showing is the confirmation.
    assert.equal(sent.status(), 303);
    await p.getByRole('heading', { level: 1, name: 'Votre demande est envoyée' }).waitFor();
    followUpPath = new URL(p.url()).pathname;
    assert.match(followUpPath, /^\/demande\/suivi\/[A-Za-z0-9_-]{22}$/, `the browser is at its private link: ${followUpPath}`);
    reference = (await p.locator('.reference').innerText()).trim();
    assert.match(reference, /^D-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    // The test server's BASE_URL is not its real address: the link shown is compared by its path.
    const link = (await p.locator('.link-box').innerText()).trim();
    assert.ok(link.endsWith(followUpPath), `the link shown is this page's: ${link}`);
    assert.match(await p.getByRole('main').innerText(), /Gardez ce lien privé/);
    assert.match(await p.locator('p.lead').innerText(), /État : Reçue\./);
    assert.equal(await requestCount(), 1);
    await checkPublicPage(p, 'confirmation', 'requests-phone-03-confirmation');

    // Reloading the confirmation asks for the page again and never posts the form a second time:
    // one request still, and the confirmation gives way to the follow-up page.
    const posted = await postsDuring(p, () => p.reload());
    assert.deepEqual(posted, [], 'the reload posted a form');
    await p.getByRole('heading', { level: 1, name: `Votre demande ${reference}` }).waitFor();
    assert.equal(new URL(p.url()).pathname, followUpPath);
    assert.equal(await p.locator('.link-box').count(), 0, 'the link box is shown once');
    assert.match(await p.locator('p.lead').innerText(), /État : Reçue\./);
    assert.equal(await requestCount(), 1, 'the reload sent no second request');
    await checkPublicPage(p, 'follow-up page', 'requests-phone-04-follow-up');

    // The same form sent again (a second click that got through, a page restored as it was): nothing
    // stored twice, and a page saying so, without the link. Chromium reloads the form on « back » with
    // a new key (it restores only what was typed), so the spent key is put back in the form by hand.
    await p.goto(`${baseUrl}/demande`);
    await p.getByLabel('Votre nom et prénom').fill(AGENT.name);
    await p.getByRole('textbox', { name: 'Adresse e-mail' }).fill(AGENT.email);
    await p.getByLabel('Votre région').selectOption({ label: AGENT.region });
    await p.getByLabel(/J’accepte que la CGT France Travail enregistre ces informations/).check();
    await p.locator('input[name="submissionKey"]').evaluate((input: { value: string }, key) => {
      input.value = key;
    }, spentKey);
    const [again] = await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/demande'),
      p.getByRole('button', { name: 'Envoyer ma demande' }).click(),
    ]);
    assert.equal(again.status(), 200);
    await p.getByRole('heading', { level: 1, name: 'Cette demande est déjà envoyée' }).waitFor();
    const main = await p.getByRole('main').innerText();
    assert.match(main, /n’a pas été enregistrée une deuxième fois/);
    assert.doesNotMatch(main, /demande\/suivi/, 'the link is not shown again');
    assert.equal(await requestCount(), 1, 'no second request');
    await checkPublicPage(p, 'already sent', 'requests-phone-04b-already-sent');
  });

  test('on a laptop, another agent gets the same confirmation', STEP, async () => {
    assert.ok(journey.browser);
    const context = await newContext(journey.browser, LAPTOP);
    try {
      const p = await checks.newPage(context);
      await p.goto(`${baseUrl}/demande`);
      await p.getByLabel('Votre nom et prénom').fill('Marc Dubois');
      await p.getByRole('textbox', { name: 'Téléphone' }).fill('07 98 76 54 32');
      await p.getByRole('group', { name: 'Comment préférez-vous être contacté·e ?' }).getByLabel('Par téléphone').check();
      await p.getByLabel('Votre région').selectOption({ label: AGENT.region });
      await p.getByLabel(/J’accepte que la CGT France Travail enregistre ces informations/).check();
      await Promise.all([p.waitForURL(/\/demande\/suivi\/[A-Za-z0-9_-]{22}$/), p.getByRole('button', { name: 'Envoyer ma demande' }).click()]);
      await p.getByRole('heading', { level: 1, name: 'Votre demande est envoyée' }).waitFor();
      assert.ok((await p.locator('.link-box').innerText()).trim().endsWith(new URL(p.url()).pathname));
      assert.match(await p.getByRole('main').innerText(), /Aucun e-mail ne vous est envoyé/);
      assert.equal(await requestCount(), 2);
      await checks.a11y(p, 'confirmation (laptop)');
      await screenshot(p, 'requests-laptop-00-confirmation');
    } finally {
      await context.close();
    }
  });

  test('on a laptop, the rep finds the request, replies, and turns it into a case', STEP, async () => {
    assert.ok(journey.laptop && reference);
    repPage = await checks.newPage(journey.laptop);
    const p = repPage;
    await p.goto(`${baseUrl}/connexion`);
    await logIn(p, baseUrl, REP);
    await p.goto(`${baseUrl}/demandes`);
    await p.getByRole('heading', { level: 1, name: 'Demandes d’accompagnement' }).waitFor();
    const row = p.locator('li.case-row').filter({ hasText: reference });
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /Non attribuée/);
    await checks.a11y(p, 'queue (laptop)');
    await screenshot(p, 'requests-laptop-01-queue');

    await Promise.all([p.waitForURL(/\/demandes\/\d+$/), row.getByRole('link', { name: AGENT.name }).click()]);
    await p.getByRole('heading', { level: 1, name: AGENT.name }).waitFor();
    requestUrl = p.url();
    assert.match(await p.locator('.prewrap').first().innerText(), /Je ne sais pas ce qu’on me reproche exactement\./);
    await checks.a11y(p, 'request page (laptop)');
    await screenshot(p, 'requests-laptop-02-request');

    await p.getByLabel('Répondre à l’agent').fill(REPLY);
    await Promise.all([p.waitForURL(requestUrl), p.getByRole('button', { name: 'Envoyer la réponse' }).click()]);
    await p.getByText('Réponse envoyée : l’agent la verra sur sa page de suivi.').waitFor();
    assert.match(await p.locator('.thread').innerText(), new RegExp(`${REP.name} — [\\s\\S]*${REPLY.slice(0, 30)}`));
    await checks.a11y(p, 'request page after the reply (laptop)');
    await screenshot(p, 'requests-laptop-03-replied');

    await Promise.all([p.waitForURL(/\/dossiers\/nouveau\?demande=\d+$/), p.getByRole('link', { name: 'Ouvrir un dossier' }).click()]);
    await p.getByText(`Dossier ouvert à partir de la demande d’accompagnement ${reference}`).waitFor();
    assert.equal(await p.getByLabel('Nom et prénom').inputValue(), AGENT.name);
    assert.equal(await p.getByLabel('Région (direction régionale)').inputValue(), 'HDF');
    assert.equal(await p.getByRole('textbox', { name: 'E-mail personnel' }).inputValue(), AGENT.email);
    assert.equal(await p.getByRole('group', { name: 'Situation(s) signalée(s)' }).getByLabel(AGENT.situation).isChecked(), true);
    await screenshot(p, 'requests-laptop-04-case-form');
    await Promise.all([p.waitForURL(/\/dossiers\/\d+$/), p.getByRole('button', { name: 'Enregistrer le dossier' }).click()]);
    await p.getByText('Dossier créé.').waitFor();
    const timeline = p.locator('ol.timeline');
    assert.match(await timeline.innerText(), /Demande d’accompagnement/);
    assert.match(await timeline.innerText(), new RegExp(`Demande ${reference}`));
    await screenshot(p, 'requests-laptop-05-case');

    await p.goto(requestUrl);
    assert.match(await p.locator('.subtitle').innerText(), /Dossier ouvert/);
    assert.equal(await p.getByRole('link', { name: 'Voir le dossier' }).count(), 1);
  });

  test('back on the phone, the agent reads the reply and the new state, and writes back', STEP, async () => {
    assert.ok(followUpPath);
    const p = agent();
    await p.goto(`${baseUrl}${followUpPath}`);
    assert.match(await p.locator('p.lead').innerText(), /État : Dossier ouvert\./);
    const thread = p.locator('.thread');
    assert.match(await thread.innerText(), /Représentant·e CGT — /);
    assert.match(await thread.innerText(), /je vous appelle demain à 10 h/);
    assert.doesNotMatch(await thread.innerText(), new RegExp(REP.name), 'the rep’s name is not shown on the public page');
    await checkPublicPage(p, 'follow-up page with a reply', 'requests-phone-05-follow-up-replied');

    await p.getByLabel('Écrire aux représentant·es').fill('Merci, je serai disponible.');
    await Promise.all([p.waitForURL(`${baseUrl}${followUpPath}#messages`), p.getByRole('button', { name: 'Envoyer', exact: true }).click()]);
    assert.match(await thread.innerText(), /Vous — [\s\S]*Merci, je serai disponible\./);
    await screenshot(p, 'requests-phone-06-follow-up-written');

    // The rep sees it.
    const r = rep();
    await r.goto(requestUrl);
    assert.match(await r.locator('.thread').innerText(), /L’agent — [\s\S]*Merci, je serai disponible\./);
  });

  test('the private link does not leak through the Referer header', STEP, async () => {
    assert.ok(followUpPath);
    const p = agent();
    const token = followUpPath.split('/').pop()!;
    const referers: string[] = [];
    const listener = async (request: import('playwright-core').Request) => {
      const referer = (await request.allHeaders())['referer'];
      if (referer) referers.push(`${new URL(request.url()).pathname} ← ${referer}`);
    };
    p.on('request', listener);
    try {
      await p.goto(`${baseUrl}${followUpPath}`);
      // Any link of the page: the brand link back to the home page is on every page.
      await Promise.all([p.waitForLoadState('load'), p.locator('a.brand').click()]);
      await p.waitForURL(/\/connexion$/);
    } finally {
      p.off('request', listener);
    }
    const leaks = referers.filter((r) => r.includes(token));
    assert.deepEqual(leaks, [], 'requests made from the follow-up page carry the secret link as Referer');
  });

  test('on the phone, the agent erases the request: the link no longer works', STEP, async () => {
    assert.ok(followUpPath);
    const p = agent();
    await p.goto(`${baseUrl}${followUpPath}`);
    await p.getByLabel('Je veux effacer définitivement ma demande et mes messages').check();
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Effacer' }).click()]);
    await p.getByRole('heading', { level: 1, name: 'Votre demande est effacée' }).waitFor();
    assert.match(await p.getByRole('main').innerText(), /Un dossier avait déjà été ouvert pour vous accompagner/);
    await checkPublicPage(p, 'erased', 'requests-phone-07-erased');
    const gone = await p.goto(`${baseUrl}${followUpPath}`);
    assert.equal(gone?.status(), 404);
    await assertNoHorizontalScroll(p, 'not found (phone)');
  });

  test('no page error, no CSP violation, no repeated id', STEP, () => {
    assert.deepEqual(checks.pageProblems, []);
    assert.deepEqual(checks.duplicateIds, []);
  });
});
