/**
 * What Vigie prints about an agent's consultations, over HTTP, in the agent's own clock and
 * calendar (issue 13): the brief's review page and generated PDF for a La Réunion agent and a
 * Moselle agent, the agent data export (PDF), and the reduced cases the CSE declarations read.
 *
 * Cases are written through the cases service with UTC instants (as the case form stores them once
 * read in the agent's zone), so these tests do not depend on how the form reads a typed time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCaseStatisticsRepository } from '../../src/declarations/case-statistics.repository';
import type { AgentInput, CaseInput } from '../../src/cases/cases.types';
import type { CaseEvent } from '../../src/domain/case-events';
import type { User } from '../../src/access/user';
import { agentInput, caseInput } from '../fixtures/case-inputs';
import { binary } from '../helpers/binary-bodies';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT } from '../helpers/context';
import { extractPdf, squash } from '../helpers/document-text';
import { post } from '../helpers/forms';
import { decode, text } from '../helpers/html';
import { readForm } from '../security/support';

let ctx: TestContext;
let rep: Signed;
let user: User;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  rep = await ctx.signedIn({ role: 'rep', name: 'Rémi Représentant', regions: ['HDF', 'GES', 'REU', 'MTQ'] });
  user = (await ctx.services.users.findById(rep.user.id))!;
});
after(() => ctx.close());

const OFFICE = { workDays: [1, 2, 3, 4, 5], workStart: '08:30', workEnd: '17:00' };

async function newCase(name: string, agent: Partial<AgentInput>, consultations: string[], zone: string | null, kase: Partial<CaseInput> = {}, events: CaseEvent[] = []): Promise<number> {
  const id = await ctx.services.casesService.create(user, {
    agent: agentInput(name, { employmentStatus: 'private', job: 'Conseillère à l’emploi', ...OFFICE, ...agent }),
    case: caseInput(2, { knowledgeDate: '2024-07-01', convocationDate: '2024-09-02', interviewDate: '2024-09-16', reportOutcome: 'legitimate', interviewTone: 'kind', ...kase }),
  });
  await ctx.services.casesService.addConsultations(
    user,
    id,
    consultations.map((at) => ({ at, action: 'consulted', explanation: 'answering_user', explanationText: '', typedZone: zone })),
  );
  for (const e of events) await ctx.services.casesService.addEvent(user, id, e);
  return id;
}

/** The review page's form, generated as proposed; returns the version's PDF text. */
async function generatedPdf(caseId: number): Promise<{ page: string; pdf: string }> {
  const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
  assert.equal(page.status, 200);
  const res = await post(rep, `/dossiers/${caseId}/argumentaire`, { ...readForm(page.text, `/dossiers/${caseId}/argumentaire`), annex: 'on', action: 'generate' });
  assert.equal(res.status, 303, `generation refused: ${text(res.text).slice(0, 300)}`);
  const pdf = await rep.agent.get(`${String(res.headers.location)}.pdf`).buffer(true).parse(binary);
  assert.equal(pdf.status, 200);
  return { page: page.text, pdf: (await extractPdf(pdf.body as Buffer)).body };
}

/** A textarea's text as the browser shows it, French no-break spaces as plain ones. */
function textarea(html: string, name: string): string {
  const m = new RegExp(`<textarea [^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  assert.ok(m, `the page has ${name}`);
  return decode(m[1]!).replace(/[\u202f\u00a0]/g, ' ');
}

/**
 * May 2024, La Réunion UTC+4: Tuesday 21:15, Saturday 10:00, Wednesday 12:00, Thursday 05:30 and
 * Friday 20:30 there; in Paris 19:15, 08:00, 10:00, 03:30 and 18:30.
 */
const REUNION = ['2024-05-14T17:15:00Z', '2024-05-18T06:00:00Z', '2024-05-15T08:00:00Z', '2024-05-16T01:30:00Z', '2024-05-17T16:30:00Z'];

describe('a La Réunion agent’s brief', () => {
  let caseId: number;
  before(async () => {
    caseId = await newCase('Mireille Payet', { regionCode: 'REU', departmentCode: '974', site: 'Agence Saint-Denis Centre' }, REUNION, 'Indian/Reunion');
  });

  it('the review page says the consultations are counted in La Réunion’s time, and counts them so', async () => {
    const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.match(text(page.text), /Les consultations sont comptées et classées à l’heure de l’agent \(heure de La Réunion\)/);
    assert.match(textarea(page.text, 'a_right_to_disconnect_summary'), /^Parmi les consultations relevées, 3 ont eu lieu la nuit ou le week-end \(heure de La Réunion\), en dehors des horaires de travail de l’agent\./);
    assert.match(
      textarea(page.text, 'a_right_to_disconnect_text'),
      /^Sur les 5 consultations relevées, 3 ont eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\) : 2 entre 20 h et 5 h, 1 le week-end\./,
    );
  });

  it('the generated PDF counts in La Réunion’s time and says so, in the letter and its annex', async () => {
    const { pdf } = await generatedPdf(caseId);
    const body = squash(pdf);
    assert.ok(body.includes(squash('Parmi les consultations relevées, 3 ont eu lieu la nuit ou le week-end (heure de La Réunion), en dehors des horaires de travail de l’agent.')));
    assert.ok(body.includes(squash('au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de La Réunion) : 2 entre 20 h et 5 h, 1 le week-end.')));
    assert.doesNotMatch(pdf, /heure de Paris/);
  });

  it('the agent data export prints each consultation in La Réunion’s time, and says which clock is which', async () => {
    const agentId = (await ctx.services.cases.findById(caseId))!.agent.id;
    const res = await rep.agent.get(`/agents/${agentId}/donnees.pdf`).buffer(true).parse(binary);
    assert.equal(res.status, 200);
    const body = squash((await extractPdf(res.body as Buffer)).body);
    for (const expected of [
      'Consultations signalées (5), heure de La Réunion',
      '14 mai 2024 à 21:15 — Consultation seule',
      '18 mai 2024 à 10:00 — Consultation seule',
      '16 mai 2024 à 05:30 — Consultation seule',
      'Les heures des consultations sont à l’heure de l’agent (heure de La Réunion) ; les autres dates et heures, à l’heure de Paris.',
    ]) {
      assert.ok(body.includes(squash(expected)), `the export says « ${expected} »`);
    }
    assert.ok(!body.includes(squash('14 mai 2024 à 19:15')), 'not in Paris time');
  });
});

describe('consultations typed in another clock than the agent’s', () => {
  const WARNING = /consultations du dossier ont été saisies dans une autre heure que celle de l’agent \(heure de La Réunion\)/;

  it('the review page asks the rep to check those stored before Vigie knew the agent’s clock (read then as Paris time)', async () => {
    const caseId = await newCase('Lucien Hoarau', { regionCode: 'REU', departmentCode: '974' }, REUNION.slice(0, 2), null);
    const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.match(text(page.text), WARNING);
    assert.match(text(page.text), /2 consultations du dossier ont été saisies/);
    assert.match(page.text, new RegExp(`<a href="/dossiers/${caseId}#consultations">Vérifiez-les dans le dossier</a>`));
  });

  it('says nothing when every time was typed in the agent’s clock', async () => {
    const caseId = await newCase('Anne Grondin', { regionCode: 'REU', departmentCode: '974' }, REUNION.slice(0, 2), 'Indian/Reunion');
    const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.doesNotMatch(text(page.text), /saisies? dans une autre heure/);
  });
});

describe('a Moselle agent’s consultation on Good Friday', () => {
  it('is argued as on a public holiday, Vigie’s own observation, in the generated PDF', async () => {
    // Friday 29 March 2024, 10:00 in Metz.
    const caseId = await newCase('Joseph Muller', { regionCode: 'GES', departmentCode: '57', site: 'Agence Metz Centre' }, ['2024-03-29T09:00:00Z'], 'Europe/Paris', { situations: ['agent_ex_job_seeker'] });
    const { page, pdf } = await generatedPdf(caseId);
    assert.match(page, /<input type="checkbox" name="a_right_to_disconnect_include" value="on" checked>/);
    const body = squash(pdf);
    assert.ok(body.includes(squash('Une consultation relevée a eu lieu un jour férié (heure de Paris), en dehors des horaires de travail de l’agent.')));
    assert.ok(body.includes(squash('Elle a eu lieu un jour férié, ce que nous relevons en plus : la définition de la direction ne vise pas les jours fériés.')));
  });

  it('is an ordinary working morning for an agent in Nancy (Meurthe-et-Moselle)', async () => {
    const caseId = await newCase('Paul Thiriet', { regionCode: 'GES', departmentCode: '54', site: 'Agence Nancy' }, ['2024-03-29T09:00:00Z'], 'Europe/Paris', { situations: ['agent_ex_job_seeker'] });
    const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.match(page.text, /<input type="checkbox" name="a_right_to_disconnect_include" value="on" >/);
    assert.doesNotMatch(textarea(page.text, 'a_right_to_disconnect_text'), /jour férié, ce que nous relevons/);
  });
});

describe('the cases CSE declarations read', () => {
  it('carry the agent’s département, which decides their clock and holidays', async () => {
    const caseId = await newCase('Odile Schmitt', { regionCode: 'GES', departmentCode: '57', site: 'Agence Metz Centre' }, ['2024-03-29T09:00:00Z'], 'Europe/Paris');
    const cases = await createCaseStatisticsRepository(ctx.db).figureCases(2, ['GES']);
    const found = cases.find((c) => c.consultations.includes('2024-03-29T09:00:00Z') && c.departmentCode === '57');
    assert.ok(found, `case ${caseId} is read with its agent’s département`);
    assert.equal(found.regionCode, 'GES');
  });
});
