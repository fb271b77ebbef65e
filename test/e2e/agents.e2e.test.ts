/**
 * Browser journey of an administrator through one agent's data (rights of access and erasure), over
 * the real app (in-process server, throw-away SQLite file, Debian's Chromium):
 *  - an administrator logs in, opens one of the agent's cases and follows « Exporter ou effacer les
 *    données de l’agent » to /agents/:id, which lists what is held;
 *  - downloads « Toutes les données (JSON) » and « Résumé PDF »: the files name the agent and both
 *    of their cases, and nobody else;
 *  - goes to the erasure, types a wrong name: a French error, nothing erased;
 *  - types the agent's name (without its accents, as one may): the agent and both cases are gone,
 *    the case of another agent is still there.
 * axe (serious/critical = failure) runs on both pages; both are checked at phone width (390 px),
 * where nothing may scroll sideways. Screenshots (agents-*.png, with VIGIE_SCREENSHOTS=1) land in test/artifacts/screenshots/
 * (git-ignored), the downloaded files in test/artifacts/, axe's full findings in
 * test/artifacts/agents-axe-report.txt.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AgentInput, CaseInput } from '../../src/cases/cases.types';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { extractPdf, squash } from '../helpers/document-text';
import { PHONE, ROOT, assertNoHorizontalScroll, logIn, newContext, screenshot, Journey, activeUser, enrolSecondFactor, STEP } from './support';

const ADMIN = { name: 'Aïcha Benali', email: 'aicha.benali@exemple.fr', password: 'une phrase de passe d’administratrice' };
/** The administrator's phone: the code it shows (administrators must have a second factor). */
let adminCode: () => string = () => '';
const AGENT = 'Hélène Dupré-Laurent';
const AGENT_EMAIL = 'helene.dupre-laurent@francetravail.fr';
const NEIGHBOUR = 'Marc Voisin';
const DOWNLOADED_JSON = path.join(ROOT, 'test/artifacts/agents-e2e.json');
const DOWNLOADED_PDF = path.join(ROOT, 'test/artifacts/agents-e2e.pdf');

const journey = new Journey('agents-axe-report.txt');
const { checks } = journey;
let baseUrl = '';
/** The agent's two cases, then the neighbour's. */
const caseIds: number[] = [];
let neighbourCase = 0;
let agentId = 0;
let campaigns: Array<{ id: number; name: string }> = [];

function agentOf(fullName: string, proEmail: string): AgentInput {
  return agentInput(fullName, {
    proEmail,
    phone: '06 12 34 56 78',
    contactChannels: ['pro_email'],
    site: 'Agence Lille Hellemmes',
    job: 'Conseillère à l’emploi',
    employmentStatus: 'private',
  });
}

function interviewedCase(campaignId: number, situations: CaseInput['situations']): CaseInput {
  return caseInput(campaignId, { situations, convocationDate: '2024-09-02', interviewDate: '2024-09-16' });
}

describe('Vigie in a browser: an administrator exports, then erases, one agent’s data', () => {
  before(() =>
    journey.start(async (app) => {
      baseUrl = app.baseUrl;
      const { services } = app;
      const admin = await activeUser(services, { ...ADMIN, role: 'admin', regions: [] });
      adminCode = await enrolSecondFactor(services, admin);
      campaigns = (await services.campaigns.list()).map((c) => ({ id: c.id, name: c.name }));
      const [wave1, wave2] = [campaigns.find((c) => /vague 1/.test(c.name))!, campaigns.find((c) => /vague 2/.test(c.name))!];
      // Two cases of the agent (waves 1 and 2), and a case of another agent that must survive the erasure.
      caseIds.push(await services.casesService.create(admin, { agent: agentOf(AGENT, AGENT_EMAIL), case: interviewedCase(wave2.id, ['odd_hours']) }));
      agentId = (await services.cases.findById(caseIds[0]!))!.agent.id;
      caseIds.push(await services.casesService.create(admin, { agent: { existingId: agentId }, case: interviewedCase(wave1.id, ['agent_ex_job_seeker']) }));
      neighbourCase = await services.casesService.create(admin, { agent: agentOf(NEIGHBOUR, 'marc.voisin@francetravail.fr'), case: interviewedCase(wave2.id, ['odd_hours']) });
    }),
  );

  after(() => journey.close());

  test('from a case, the administrator opens the agent’s page', STEP, async () => {
    const page = await journey.openLaptopPage();
    await page.goto(`${baseUrl}/dossiers/${caseIds[0]}`);
    await logIn(page, baseUrl, { ...ADMIN, secondFactor: adminCode }, `${baseUrl}/dossiers/${caseIds[0]}`);
    await Promise.all([
      page.waitForURL(`${baseUrl}/agents/${agentId}`),
      page.getByRole('link', { name: 'Exporter ou effacer les données de l’agent' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: `Données de l’agent ${AGENT}` }).waitFor();
    const held = (await page.locator('dl.facts').innerText()).replace(/\s+/g, ' ');
    assert.match(held, /Région\(s\) Hauts-de-France/);
    for (const id of caseIds) assert.match(held, new RegExp(`n° ${id} — `));
    assert.doesNotMatch(held, new RegExp(`n° ${neighbourCase} `), 'the neighbour’s case is not listed');
    assert.equal(await page.getByRole('link', { name: 'Effacer les données de l’agent…' }).count(), 1, 'an administrator is offered the erasure');
    await checks.a11y(page, 'agent page');
    await screenshot(page, 'agents-01-page');
  });

  test('downloads everything as JSON: the agent and both cases, nobody else', STEP, async () => {
    const p = journey.laptopPage();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Toutes les données (JSON)' }).click()]);
    assert.equal(download.suggestedFilename(), `donnees-agent-${agentId}.json`);
    await download.saveAs(DOWNLOADED_JSON);
    const data = JSON.parse(readFileSync(DOWNLOADED_JSON, 'utf8'));
    assert.equal(data.format, 'vigie-agent-data');
    assert.equal(data.exportedBy, ADMIN.name);
    assert.equal(data.agent.id, agentId);
    assert.equal(data.agent.fullName, AGENT);
    assert.equal(data.agent.proEmail, AGENT_EMAIL);
    assert.deepEqual(data.cases.map((c: { id: number }) => c.id), caseIds);
    assert.deepEqual(data.cases.map((c: { situations: string[] }) => c.situations), [['odd_hours'], ['agent_ex_job_seeker']]);
    assert.ok(!JSON.stringify(data).includes(NEIGHBOUR) && !JSON.stringify(data).includes('marc.voisin'), 'nothing about another agent');
    assert.equal(p.url(), `${baseUrl}/agents/${agentId}`, 'the page stays where it was');
  });

  test('downloads the PDF summary of the same records', STEP, async () => {
    const p = journey.laptopPage();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Résumé PDF' }).click()]);
    assert.equal(download.suggestedFilename(), `donnees-agent-${agentId}.pdf`);
    await download.saveAs(DOWNLOADED_PDF);
    const buf = readFileSync(DOWNLOADED_PDF);
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    const body = squash((await extractPdf(buf)).body);
    const [first, second] = caseIds;
    for (const expected of [
      'Données détenues sur un agent',
      AGENT,
      AGENT_EMAIL,
      `Dossier n° ${first} — ${campaigns.find((c) => /vague 2/.test(c.name))!.name}`,
      `Dossier n° ${second} — ${campaigns.find((c) => /vague 1/.test(c.name))!.name}`,
      'Consultations répétées à des horaires hors normes',
      'Journal des accès',
    ]) {
      assert.ok(body.includes(squash(expected)), `the PDF says « ${expected} »`);
    }
    assert.ok(!body.includes(squash(NEIGHBOUR)), 'nothing about another agent');
  });

  test('both pages read on a phone without scrolling sideways', STEP, async () => {
    assert.ok(journey.browser && journey.laptop);
    const phone = await newContext(journey.browser, PHONE, true);
    try {
      await phone.addCookies(await journey.laptop.cookies());
      const p = await checks.newPage(phone);
      await p.goto(`${baseUrl}/agents/${agentId}`);
      await p.getByRole('heading', { level: 1, name: `Données de l’agent ${AGENT}` }).waitFor();
      await assertNoHorizontalScroll(p, 'agent page on a phone');
      await checks.a11y(p, 'agent page (phone)');
      await screenshot(p, 'agents-05-page-phone');
      await p.goto(`${baseUrl}/agents/${agentId}/effacement`);
      await p.getByRole('heading', { level: 1, name: `Effacer les données de ${AGENT}` }).waitFor();
      await assertNoHorizontalScroll(p, 'erasure page on a phone');
      await checks.a11y(p, 'erasure page (phone)');
      await screenshot(p, 'agents-06-erasure-phone');
    } finally {
      await phone.close();
    }
  });

  test('the erasure page shows no error before anything is typed', STEP, async () => {
    const p = await checks.newPage(journey.laptop!);
    try {
      await p.goto(`${baseUrl}/agents/${agentId}/effacement`);
      await p.getByRole('heading', { level: 1, name: `Effacer les données de ${AGENT}` }).waitFor();
      assert.equal(await p.locator('.error-summary').count(), 0, 'no error summary on first load');
    } finally {
      await p.close();
    }
  });

  test('the erasure page says what goes; a wrong name erases nothing, with a French error', STEP, async () => {
    const p = journey.laptopPage();
    await Promise.all([p.waitForURL(`${baseUrl}/agents/${agentId}/effacement`), p.getByRole('link', { name: 'Effacer les données de l’agent…' }).click()]);
    await p.getByRole('heading', { level: 1, name: `Effacer les données de ${AGENT}` }).waitFor();
    const goes = (await p.locator('section[aria-labelledby="efface"]').innerText()).replace(/\s+/g, ' ');
    assert.match(goes, new RegExp(`L’agent ${AGENT} \\(Hauts-de-France\\)`));
    assert.match(goes, new RegExp(`2 dossier\\(s\\) : n° ${caseIds[0]} — .*, n° ${caseIds[1]} — `));
    await checks.a11y(p, 'erasure page');
    await screenshot(p, 'agents-02-erasure');

    const field = p.getByLabel('Pour confirmer, tapez le nom de l’agent');
    await field.fill('Hélène Dupré');
    await Promise.all([p.waitForURL(`${baseUrl}/agents/${agentId}/effacement`), p.getByRole('button', { name: 'Effacer définitivement' }).click()]);
    await p.getByRole('heading', { level: 1, name: `Effacer les données de ${AGENT}` }).waitFor();
    assert.match(await p.locator('.field__error').innerText(), /Le nom saisi n’est pas celui de l’agent : rien n’a été effacé\./);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.inputValue(), '', 'the typed name is not shown back');
    for (const id of [...caseIds, neighbourCase]) assert.ok(await journey.running!.services.cases.findById(id), `case ${id} is still there`);
    await checks.a11y(p, 'erasure page with an error');
    await screenshot(p, 'agents-03-wrong-name');
  });

  test('the agent’s name erases the agent and both cases, and nothing else', STEP, async () => {
    const p = journey.laptopPage();
    // Case, accents and spacing do not count: what matters is that the name was typed.
    await p.getByLabel('Pour confirmer, tapez le nom de l’agent').fill('helene dupre-laurent');
    await Promise.all([p.waitForURL(`${baseUrl}/dossiers`), p.getByRole('button', { name: 'Effacer définitivement' }).click()]);
    assert.match(await p.getByRole('status').first().innerText(), /Données de l’agent effacées : 2 dossier\(s\)/);
    for (const id of caseIds) assert.equal(await journey.running!.services.cases.findById(id), undefined, `case ${id} is gone`);
    assert.ok(await journey.running!.services.cases.findById(neighbourCase), 'the other agent’s case is still there');
    const list = await p.locator('main').innerText();
    assert.ok(!list.includes(AGENT), 'the case list no longer names the agent');
    assert.ok(list.includes(NEIGHBOUR));
    await screenshot(p, 'agents-04-erased');

    const gone = await p.goto(`${baseUrl}/agents/${agentId}`);
    assert.equal(gone?.status(), 404);
    assert.equal((await p.goto(`${baseUrl}/dossiers/${caseIds[0]}`))?.status(), 404);
    assert.equal(checks.pageProblems.length, 0, checks.pageProblems.join('\n'));
  });
});
