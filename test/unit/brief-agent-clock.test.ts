/**
 * Briefs in the agent's own clock and calendar (issue 13), below HTTP: case fixtures → assessment
 * → facts and texts → document model → PDF read back with pdfjs.
 *
 *  - La Réunion (UTC+4): consultations counted in La Réunion's time, « heure de La Réunion » printed
 *    wherever they are counted, never « heure de Paris »;
 *  - Martinique (UTC−4): 16:10 there is 22:10 in Paris, and not an odd hour;
 *  - Moselle: Good Friday is a public holiday there (Vigie's own observation), not in Lille;
 *  - La Réunion's 20 December (abolition of slavery day) in the limits a contestation argues.
 *
 * The La Réunion letter is written to test/artifacts/brief-la-reunion.pdf (git-ignored) for a look.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadArgumentLibrary } from '../../src/briefs/argument-library';
import { argumentFacts, briefContext } from '../../src/briefs/brief-context';
import { ANNEX_TITLE, buildBriefDocument } from '../../src/briefs/brief-document';
import { loadBriefSettings } from '../../src/briefs/brief-settings';
import { proposedDraft } from '../../src/briefs/briefs.service';
import type { CampaignWithFigures } from '../../src/campaigns/campaigns.repository';
import type { CaseDetail } from '../../src/cases/cases.types';
import type { DocumentModel } from '../../src/documents/model';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import { TODAY, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';
import { type PdfText, extractPdf, modelTexts, squash } from '../helpers/document-text';

const library = loadArgumentLibrary();
const settings = loadBriefSettings();
const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');
const NOW = new Date('2024-11-20T10:00:00Z');
const REGION_NAMES: Record<string, string> = { HDF: 'Hauts-de-France', REU: 'La Réunion', MTQ: 'Martinique', GES: 'Grand Est' };
const OFFICE = { workDays: [1, 2, 3, 4, 5], workStart: '08:30', workEnd: '17:00' };
/** French typography as documents print it: narrow no-break spaces read as plain ones. */
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

function assessOn(detail: CaseDetail, today: string, campaign: CampaignWithFigures = WAVE_2) {
  return assess(detail, campaign, [], today);
}

interface Brief {
  facts: ReturnType<typeof argumentFacts>;
  context: ReturnType<typeof briefContext>;
  selected: string[];
  model: DocumentModel;
  /** Every text of the model, plain spaces. */
  all: string;
}

/** What Vigie proposes for the case and purpose, untouched, with the annex. */
function brief(detail: CaseDetail, purposeId: string, today = TODAY): Brief {
  const assessment = assessOn(detail, today);
  const context = briefContext(detail, assessment, WAVE_2, { regionName: REGION_NAMES[detail.agent.regionCode]!, repName: 'Sophie Lemaire', today });
  const facts = argumentFacts(detail, assessment, WAVE_2);
  const purpose = settings.purposes.find((p) => p.id === purposeId)!;
  const draft = proposedDraft({ library, facts, context, purpose, addressee: purpose.addressee });
  const model = buildBriefDocument({ caseId: detail.id, draft: { ...draft, annex: true }, context, library, settings, now: NOW, versionNumber: 1 });
  return { facts, context, selected: draft.sections.map((s) => s.argumentId!), model, all: plain(modelTexts(model).join('\n')) };
}

/** The body of a rendered PDF, split at the annex's title: the letter or sheet, and the annex. */
function pdfParts(pdf: PdfText): { letter: string; annex: string } {
  const body = squash(pdf.body);
  const at = body.indexOf(squash(ANNEX_TITLE));
  assert.ok(at > 0, 'the PDF has its annex');
  return { letter: body.slice(0, at), annex: body.slice(at) };
}

// ---- La Réunion ---------------------------------------------------------------------------------

/**
 * Five consultations in May 2024 (La Réunion UTC+4, Paris UTC+2): in La Réunion's time three are
 * flagged (two after 20:00, one on a Saturday); in Paris time only two would be (a night at 03:30
 * and the Saturday), and the two evenings would be 19:15 and 18:30.
 */
const REUNION_CONSULTATIONS = [
  '2024-05-14T17:15:00Z', // Tuesday 21:15 in La Réunion, 19:15 in Paris
  '2024-05-18T06:00:00Z', // Saturday 10:00 in La Réunion, 08:00 in Paris
  '2024-05-15T08:00:00Z', // Wednesday 12:00 in La Réunion, 10:00 in Paris
  '2024-05-16T01:30:00Z', // Thursday 05:30 in La Réunion, 03:30 in Paris
  '2024-05-17T16:30:00Z', // Friday 20:30 in La Réunion, 18:30 in Paris
];
const reunionAgent = { regionCode: 'REU', departmentCode: '974', site: 'Agence Saint-Denis Centre', ...OFFICE };

describe('a La Réunion agent’s brief counts in La Réunion’s time, and says so', () => {
  const detail = caseDetail({ agent: reunionAgent, consultations: REUNION_CONSULTATIONS.map((at) => consultation(at)) });
  const letter = brief(detail, 'letter');
  let pdf: PdfText;

  before(async () => {
    const buf = await renderPdfBuffer(letter.model);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'brief-la-reunion.pdf'), buf);
    pdf = await extractPdf(buf);
  });

  it('counts three flagged consultations, all for work outside the declared hours', () => {
    assert.equal(letter.facts.oddHoursConsultations, 3);
    assert.equal(letter.facts.oddHoursNotWithinDeclaredHours, 3);
    assert.equal(letter.context.consultations.outOfHoursWork, 3);
    assert.equal(letter.context.consultations.zoneLabel, 'heure de La Réunion');
    assert.ok(letter.selected.includes('right_to_disconnect'));
  });

  it('prints the count and the clock in the letter’s summary and in the annex, in the PDF', () => {
    const { letter: body, annex } = pdfParts(pdf);
    const summary = 'Parmi les consultations relevées, 3 ont eu lieu la nuit ou le week-end (heure de La Réunion), en dehors des horaires de travail de l’agent.';
    assert.ok(body.includes(squash(summary)), `the letter says « ${summary} »`);
    const counted =
      'Sur les 5 consultations relevées, 3 ont eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de La Réunion) : 2 entre 20 h et 5 h, 1 le week-end.';
    assert.ok(annex.includes(squash(counted)), `the annex says « ${counted} »`);
    assert.ok(annex.includes(squash('Ces 3 consultations « hors normes » se situent toutes en dehors des horaires de travail déclarés de l’agent.')));
  });

  it('never speaks of Paris time', () => {
    assert.doesNotMatch(letter.all, /heure de Paris/);
    assert.doesNotMatch(pdf.body, /heure de Paris/);
  });

  it('says it in the agent’s sheet too, where the summary opens the document', () => {
    const sheet = brief(detail, 'interview_preparation');
    assert.match(sheet.all, /Sur les 5 consultations relevées, 3 ont eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\)/);
  });

  it('argues an evening worker’s normal hours in La Réunion’s time: 21:15 there is within 19:00–23:00 (19:15 in Paris would not be flagged at all)', () => {
    const evenings = { ...reunionAgent, workStart: '19:00', workEnd: '23:00' };
    const b = brief(caseDetail({ agent: evenings, consultations: [consultation('2024-05-14T17:15:00Z'), consultation('2024-05-15T08:00:00Z')] }), 'letter');
    assert.ok(b.selected.includes('declared_working_hours'), b.selected.join(', '));
    assert.ok(!b.selected.includes('right_to_disconnect'), 'the one flagged consultation was within the declared hours');
    assert.match(b.all, /Toutes les consultations relevées comme « hors normes » \(heure de La Réunion\) ont eu lieu pendant les horaires de travail déclarés de l’agent : ce sont ses horaires normaux de travail\./);
    assert.match(b.all, /Toutes les consultations relevées comme « hors normes » \(1 sur 2, heure de La Réunion\) ont eu lieu pendant les horaires de travail déclarés de l’agent \(Conseillère à l’emploi\)/);
  });

  it('would count otherwise for the same instants in Lille: the clock is the agent’s', () => {
    const lille = brief(caseDetail({ agent: OFFICE, consultations: REUNION_CONSULTATIONS.map((at) => consultation(at)) }), 'letter');
    assert.equal(lille.context.consultations.outOfHoursWork, 2);
    assert.match(lille.all, /Parmi les consultations relevées, 2 ont eu lieu la nuit ou le week-end \(heure de Paris\)/);
    assert.match(lille.all, /Sur les 5 consultations relevées, 2 ont eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\) : 1 entre 20 h et 5 h, 1 le week-end\./);
  });
});

// ---- Martinique ---------------------------------------------------------------------------------

/** Tuesday 14 May 2024, 16:10 in Martinique (UTC−4), 22:10 in Paris. */
const TEN_PAST_FOUR_IN_MARTINIQUE = '2024-05-14T20:10:00Z';
const martiniqueAgent = { regionCode: 'MTQ', departmentCode: '972', site: 'Agence Fort-de-France', ...OFFICE };

describe('a Martinique agent’s consultation at 16:10 is not at an odd hour, though it was 22:10 in Paris', () => {
  it('flags nothing, and the right to disconnect is not argued from it', () => {
    const b = brief(caseDetail({ situations: ['agent_ex_job_seeker'], agent: martiniqueAgent, consultations: [consultation(TEN_PAST_FOUR_IN_MARTINIQUE)] }), 'letter');
    assert.equal(b.facts.oddHoursConsultations, 0);
    assert.equal(b.facts.oddHoursNotWithinDeclaredHours, 0);
    assert.ok(!b.selected.includes('right_to_disconnect'), b.selected.join(', '));
    assert.doesNotMatch(b.all, /la nuit \(heure/);
  });

  it('says so in the agent’s sheet, in Martinique’s time', () => {
    const b = brief(caseDetail({ situations: ['agent_ex_job_seeker'], agent: martiniqueAgent, consultations: [consultation(TEN_PAST_FOUR_IN_MARTINIQUE)] }), 'interview_preparation');
    assert.match(b.all, /La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de la Martinique\)\./);
  });

  it('answers the direction’s « hors normes » with the agent’s own clock when it flagged the agent for odd hours', () => {
    const b = brief(caseDetail({ situations: ['odd_hours'], agent: martiniqueAgent, consultations: [consultation(TEN_PAST_FOUR_IN_MARTINIQUE)] }), 'letter');
    assert.ok(b.selected.includes('right_to_disconnect'), 'proposed from the situation the direction reported');
    const text = plain(b.model.blocks.map((x) => (x.kind === 'paragraph' ? x.runs.map((r) => r.text).join('') : '')).join('\n'));
    assert.match(
      text,
      /La direction reproche à Élodie Martin des consultations à des horaires qu’elle qualifie de « hors normes » \(entre 20 h et 5 h, et le week-end\)\. La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de la Martinique\)\./,
    );
  });

  it('is flagged at night for an agent in Lille', () => {
    const b = brief(caseDetail({ situations: ['agent_ex_job_seeker'], agent: OFFICE, consultations: [consultation(TEN_PAST_FOUR_IN_MARTINIQUE)] }), 'letter');
    assert.equal(b.facts.oddHoursNotWithinDeclaredHours, 1);
    assert.match(b.all, /Une consultation relevée a eu lieu la nuit \(heure de Paris\), en dehors des horaires de travail de l’agent\./);
  });
});

// ---- Moselle ------------------------------------------------------------------------------------

/** Good Friday, 29 March 2024, 10:00 in Paris: a public holiday in Moselle, a working day in Lille. */
const GOOD_FRIDAY_TEN = '2024-03-29T09:00:00Z';

describe('a Moselle agent’s consultation on Good Friday is on a public holiday', () => {
  const moselle = { regionCode: 'GES', departmentCode: '57', site: 'Agence Metz Centre', ...OFFICE };

  it('argues the right to disconnect from it, the holiday as Vigie’s own observation', async () => {
    const b = brief(caseDetail({ situations: ['agent_ex_job_seeker'], agent: moselle, consultations: [consultation(GOOD_FRIDAY_TEN)] }), 'letter');
    assert.equal(b.context.consultations.publicHoliday, 1);
    assert.equal(b.facts.oddHoursNotWithinDeclaredHours, 1, 'a holiday is outside the declared hours');
    assert.ok(b.selected.includes('right_to_disconnect'), b.selected.join(', '));
    const { letter, annex } = pdfParts(await extractPdf(await renderPdfBuffer(b.model)));
    assert.ok(letter.includes(squash('Une consultation relevée a eu lieu un jour férié (heure de Paris), en dehors des horaires de travail de l’agent.')));
    assert.ok(annex.includes(squash('La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de Paris).')));
    assert.ok(annex.includes(squash('Elle a eu lieu un jour férié, ce que nous relevons en plus : la définition de la direction ne vise pas les jours fériés.')));
    // Never inside the direction's definition (templates/never-claims.yaml).
    assert.doesNotMatch(b.all, /«\s*hors normes\s*»[^.]{0,60}\([^)]*férié[^)]*\)/);
    assert.doesNotMatch(b.all, /(au sens de la direction|que la direction qualifie|qu.elle qualifie)[^.]{0,40}\([^)]*férié[^)]*\)/);
  });

  it('is an ordinary working morning in Lille (Nord)', () => {
    const b = brief(caseDetail({ situations: ['agent_ex_job_seeker'], agent: { ...moselle, regionCode: 'HDF', departmentCode: '59' }, consultations: [consultation(GOOD_FRIDAY_TEN)] }), 'letter');
    assert.equal(b.context.consultations.oddHours, 0);
    assert.ok(!b.selected.includes('right_to_disconnect'));
    assert.doesNotMatch(b.all, /jour férié/);
  });
});

// ---- La Réunion's 20 December in the limits ----------------------------------------------------

describe('a contestation counts the limits with La Réunion’s 20 December', () => {
  const AFTER = '2025-01-15';
  /** Entretien préalable on Wednesday 20 November 2024: the one-month limit ends on Friday 20 December 2024. */
  const sanctionedOn = (agent: Partial<CaseDetail['agent']>, hearing: string, sanction: string) =>
    caseDetail({
      agent,
      knowledgeDate: '2024-10-15',
      events: [event({ type: 'pre_disciplinary_convocation', date: '2024-11-12', hearingDate: hearing }), event({ type: 'sanction_notified', date: sanction, sanctionKind: 'blame' })],
    });

  it('a blâme on Monday 23 December: only doubtful in La Réunion, where the limit ended on a holiday', async () => {
    const b = brief(sanctionedOn(reunionAgent, '2024-11-20', '2024-12-23'), 'contestation', AFTER);
    assert.deepEqual(b.context.deadlines.lateSteps, []);
    const text = squash((await extractPdf(await renderPdfBuffer(b.model))).body);
    assert.ok(
      text.includes(squash('après la fin du délai d’un mois qui suivait l’entretien préalable du 20 novembre 2024, le vendredi 20 décembre 2024, jour férié (Abolition de l’esclavage) ; la question de savoir si ce délai est prorogé jusqu’au lundi 23 décembre 2024')),
      'the doubtful step names the holiday and its caveat',
    );
    assert.doesNotMatch(b.all, /n’a pas été respecté|n’ont pas été respectés|n’a pas respecté/);
  });

  it('the same blâme is a clear miss in Lille, where 20 December is a working day', () => {
    const b = brief(sanctionedOn(OFFICE, '2024-11-20', '2024-12-23'), 'contestation', AFTER);
    assert.deepEqual(b.context.deadlines.lateSteps, ['La sanction (blâme) a été notifiée le 23 décembre 2024, plus d’un mois après l’entretien préalable du 20 novembre 2024 : le délai avait pris fin le 20 décembre 2024.']);
    assert.match(b.all, /un de ces délais n’a pas été respecté/);
    assert.doesNotMatch(b.all, /Abolition de l’esclavage/);
  });

  it('a blâme on Saturday 21 December after an entretien préalable on Wednesday 18: too early in La Réunion, not in Lille', () => {
    const reunion = brief(sanctionedOn(reunionAgent, '2024-12-18', '2024-12-21'), 'contestation', AFTER);
    assert.deepEqual(reunion.context.deadlines.lateSteps, [
      'La sanction (blâme) a été notifiée le 21 décembre 2024, moins de deux jours ouvrables pleins après l’entretien préalable du 18 décembre 2024, alors qu’elle ne pouvait l’être avant le 22 décembre 2024.',
    ]);
    assert.match(reunion.all, /alors qu’elle ne pouvait l’être avant le 22 décembre 2024/);
    const lille = brief(sanctionedOn(OFFICE, '2024-12-18', '2024-12-21'), 'contestation', AFTER);
    assert.deepEqual(lille.context.deadlines.lateSteps, []);
    assert.doesNotMatch(lille.all, /deux jours ouvrables pleins après l’entretien préalable|n’a pas été respecté/);
  });
});
