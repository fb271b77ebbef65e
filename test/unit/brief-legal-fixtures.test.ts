/**
 * The guard of issue 12: a brief read by a manager looking for the one false sentence.
 *
 * Twenty-two fact patterns (private, public and unknown status; own file, relative's file, colleague
 * asked, service reason; off-hours inside and outside declared hours, on a holiday; deadlines on
 * week-ends and holidays; each stage of a case; civilities; agents in La Réunion, Martinique and
 * Moselle, in their own clock and calendar) are rendered for EVERY purpose, as
 * Vigie proposes them (the arguments the facts support, in the purpose's ranking, with their
 * summaries and the annex), and read back sentence by sentence:
 *  - each conditional paragraph appears only under its condition (the table CONDITIONAL);
 *  - no claim of templates/never-claims.yaml (the never-list of shared/legal-references.md, kept
 *    as data) appears in any output, the PDF and DOCX included;
 *  - the references listed are exactly those the printed paragraphs name;
 *  - a letter to management or HR, and the agent's sheet, fit on two A4 pages before the annex;
 *  - the PDF, the DOCX and the HTML preview carry the same text;
 *  - the only clock named is the agent's own (« heure de La Réunion »).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { TEMPLATES_DIR, loadArgumentLibrary, loadLegalReferences } from '../../src/briefs/argument-library';
import { argumentFacts, briefContext } from '../../src/briefs/brief-context';
import { ANNEX_TITLE, buildBriefDocument } from '../../src/briefs/brief-document';
import { defaultsForStage, loadBriefSettings } from '../../src/briefs/brief-settings';
import { proposedDraft } from '../../src/briefs/briefs.service';
import { isCitedIn } from '../../src/legal/legal-references';
import type { CampaignWithFigures } from '../../src/campaigns/campaigns.repository';
import type { CaseDetail } from '../../src/cases/cases.types';
import type { DocumentModel } from '../../src/documents/model';
import { renderDocx } from '../../src/documents/render-docx';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import { caseStage } from '../../src/domain/case-stage';
import { VIEWS_DIR } from '../../src/web/view-engine';
import { TODAY, WAVE_1, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';
import { extractPdf, modelTexts, readDocx } from '../helpers/document-text';
import { decode } from '../helpers/html';

const library = loadArgumentLibrary();
const settings = loadBriefSettings();
const NOW = new Date('2024-11-20T10:00:00Z');
const NEVER = (parseYaml(readFileSync(path.join(TEMPLATES_DIR, 'never-claims.yaml'), 'utf8')) as {
  claims: Array<{ claim: string; onlyFor?: string[]; patterns: string[] }>;
}).claims.map((c) => ({ ...c, regexps: c.patterns.map((p) => new RegExp(p, 'iu')) }));

// ---- The fact patterns ---------------------------------------------------------------------------

const OFFICE = { workDays: [1, 2, 3, 4, 5], workStart: '08:30', workEnd: '17:00' };
const EVENING = { workDays: [1, 2, 3, 4, 5], workStart: '13:00', workEnd: '22:00' };
/** Tuesday 14 May 2024, 10:00 and 22:30 in Paris. */
const TEN = '2024-05-14T08:00:00Z';
const HALF_PAST_TEN_PM = '2024-05-14T20:30:00Z';
const HEADCOUNTS_ONLY: CampaignWithFigures = {
  ...WAVE_2,
  id: 3,
  name: 'Campagne sans taux',
  falsePositivesStatement: '',
  figures: [{ scope: 'HDF', metric: 'agents_concerned', situationCode: '', value: 939, source: 'tract' }],
};
const WAVE_1_RATES: CampaignWithFigures = {
  ...WAVE_1,
  figures: [
    { scope: 'HDF', metric: 'share_legitimate_local', situationCode: '', value: 90, source: 'tract' },
    { scope: 'HDF', metric: 'share_legitimate_regional', situationCode: '', value: 70, source: 'tract' },
  ],
};
const sanctionAfter = (knowledge: string, sanction: string) => ({
  knowledgeDate: knowledge,
  events: [event({ type: 'sanction_notified', date: sanction, sanctionKind: 'avertissement' })],
});

interface Fixture {
  name: string;
  detail: CaseDetail;
  campaign: CampaignWithFigures;
}

const FIXTURES: Fixture[] = [
  { name: '01 private, before the interview, 10:00 and 22:30 with office hours', campaign: WAVE_2, detail: caseDetail({ interviewDate: '2024-12-02', reportOutcome: null, interviewTone: null, agent: { ...OFFICE, civility: 'madame' }, consultations: [consultation(TEN), consultation(HALF_PAST_TEN_PM)] }) },
  { name: '02 private, evening shift: every flagged consultation within declared hours', campaign: WAVE_2, detail: caseDetail({ agent: { ...EVENING, civility: 'monsieur' }, consultations: [consultation('2024-05-14T18:30:00Z'), consultation('2024-05-15T19:00:00Z')] }) },
  { name: '03 private, a holiday (8 May, 10:00) and a night', campaign: WAVE_2, detail: caseDetail({ agent: OFFICE, consultations: [consultation('2024-05-08T08:00:00Z'), consultation(HALF_PAST_TEN_PM)] }) },
  { name: '04 private, own file modified, report legitimate', campaign: WAVE_2, detail: caseDetail({ situations: ['agent_ex_job_seeker'], consultations: [consultation(TEN, 'modified', 'own_file')] }) },
  { name: '05 private, relative’s file, hierarchy informed, report illegitimate', campaign: WAVE_2, detail: caseDetail({ situations: ['other_conflict'], otherSituationText: 'dossier de sa sœur', reportOutcome: 'illegitimate', hierarchyInformed: 'yes', hierarchyInformedDate: '2024-03-02', agent: { civility: 'madame' }, consultations: [consultation(TEN, 'consulted', 'relative')] }) },
  { name: '06 private, a colleague asked, one consultation', campaign: WAVE_2, detail: caseDetail({ situations: ['political_figure'], consultations: [consultation(TEN, 'consulted', 'colleague_asked')] }) },
  { name: '07 private, entretien préalable on Monday, sanction on Wednesday (two days early)', campaign: WAVE_2, detail: caseDetail({ situations: ['political_figure'], consultations: [consultation(TEN)], knowledgeDate: '2024-09-02', events: [event({ type: 'pre_disciplinary_convocation', date: '2024-09-23', hearingDate: '2024-09-30' }), event({ type: 'sanction_notified', date: '2024-10-02', sanctionKind: 'blame' })] }) },
  { name: '08 private, two-month limit ends on Sunday 1 September, step on Monday 2 September', campaign: WAVE_2, detail: caseDetail(sanctionAfter('2024-07-01', '2024-09-02')) },
  { name: '09 private, clear miss of the two-month limit', campaign: WAVE_2, detail: caseDetail(sanctionAfter('2024-07-01', '2024-10-03')) },
  { name: '10 unknown status, same clear miss', campaign: WAVE_2, detail: caseDetail({ ...sanctionAfter('2024-07-01', '2024-10-03'), agent: { employmentStatus: 'unknown' } }) },
  { name: '11 public-law agent, sanctioned', campaign: WAVE_2, detail: caseDetail({ ...sanctionAfter('2024-07-01', '2024-10-03'), agent: { employmentStatus: 'public' } }) },
  { name: '12 wave 1, no commitment, regional rates', campaign: WAVE_1_RATES, detail: caseDetail({ situations: ['political_figure'], consultations: [consultation(TEN)] }) },
  { name: '13 campaign with headcounts only', campaign: HEADCOUNTS_ONLY, detail: caseDetail() },
  { name: '14 pressure at the interview, after it', campaign: WAVE_2, detail: caseDetail({ interviewTone: 'pressure', toneNotes: 'La manageuse a parlé de licenciement', reportOutcome: null }) },
  { name: '15 a deadline falling soon, nothing else', campaign: WAVE_2, detail: caseDetail({ knowledgeDate: '2024-09-25', interviewDate: '2024-11-25', reportOutcome: null, interviewTone: null }) },
  { name: '16 entretien préalable announced, hearing to come', campaign: WAVE_2, detail: caseDetail({ knowledgeDate: '2024-10-01', events: [event({ type: 'pre_disciplinary_convocation', date: '2024-11-15', hearingDate: '2024-11-26' })], agent: { civility: 'monsieur' } }) },
  { name: '17 long account and notes, answering users', campaign: WAVE_2, detail: caseDetail({ agentAccount: 'Je répondais à des usagers qui appelaient tard. '.repeat(60), interviewTone: 'pressure', toneNotes: 'Propos répétés. '.repeat(80), reportOutcome: 'illegitimate', events: [event({ type: 'report_filed', date: '2024-10-10' })] }) },
  { name: '18 agent in Île-de-France, figures for Hauts-de-France only', campaign: WAVE_1_RATES, detail: caseDetail({ agent: { regionCode: 'IDF' } }) },
  { name: '19 pattern unknown, situation odd hours, no consultation recorded', campaign: WAVE_2, detail: caseDetail({ consultations: [], agent: { workDays: [], workStart: null, workEnd: null } }) },
  // Tuesday 21:15 and Saturday 10:00 in La Réunion (19:15 and 08:00 in Paris), Thursday 05:30 there (03:30 in Paris).
  { name: '20 La Réunion, evenings and a Saturday in the agent’s own time', campaign: WAVE_2, detail: caseDetail({ agent: { ...OFFICE, regionCode: 'REU', departmentCode: '974', civility: 'madame' }, consultations: [consultation('2024-05-14T17:15:00Z'), consultation('2024-05-18T06:00:00Z'), consultation('2024-05-16T01:30:00Z')] }) },
  // 16:10 in Martinique is 22:10 in Paris; the two months from 22 March end on 22 May, a holiday there only.
  { name: '21 Martinique, 16:10 local, limit ending on 22 May (a holiday there), step on the 23rd', campaign: WAVE_2, detail: caseDetail({ ...sanctionAfter('2024-03-22', '2024-05-23'), agent: { ...OFFICE, regionCode: 'MTQ', departmentCode: '972' }, consultations: [consultation('2024-05-14T20:10:00Z')] }) },
  { name: '22 Moselle, Good Friday 10:00', campaign: WAVE_2, detail: caseDetail({ situations: ['agent_ex_job_seeker'], agent: { ...OFFICE, regionCode: 'GES', departmentCode: '57' }, consultations: [consultation('2024-03-29T09:00:00Z')] }) },
];
const REGION_NAMES: Record<string, string> = { HDF: 'Hauts-de-France', IDF: 'Île-de-France', REU: 'La Réunion', MTQ: 'Martinique', GES: 'Grand Est' };
const CLOCKS = /heure (?:de Paris|de La Réunion|de la Martinique|de la Guadeloupe|de la Guyane|de Mayotte)/g;

// ---- Building what Vigie proposes -------------------------------------------------------------

interface Built {
  fixture: Fixture;
  purposeId: string;
  layout: 'letter' | 'sheet';
  model: DocumentModel;
  context: ReturnType<typeof briefContext>;
  selected: string[];
  /** Every text of the document, one string per block. */
  texts: string[];
  all: string;
}

function build(fixture: Fixture, purposeId: string): Built {
  const assessment = assess(fixture.detail, fixture.campaign);
  const regionName = REGION_NAMES[fixture.detail.agent.regionCode]!;
  const context = briefContext(fixture.detail, assessment, fixture.campaign, { regionName, repName: 'Sophie Lemaire', today: TODAY });
  const purpose = settings.purposes.find((p) => p.id === purposeId)!;
  const proposed = proposedDraft({ library, facts: argumentFacts(fixture.detail, assessment, fixture.campaign), context, purpose, addressee: purpose.addressee });
  const model = buildBriefDocument({
    caseId: fixture.detail.id,
    // Every argument's full text in the annex, whatever the purpose's default: each sentence is read.
    draft: { ...proposed, annex: true },
    context,
    library,
    settings,
    now: NOW,
    versionNumber: 1,
  });
  const texts = modelTexts(model, { header: false });
  return { fixture, purposeId, layout: purpose.layout, model, context, selected: proposed.sections.map((x) => x.argumentId!), texts, all: texts.join('\n') };
}


const ALL: Built[] = FIXTURES.flatMap((f) => settings.purposes.map((p) => build(f, p.id)));
const squash = (s: string) => s.replace(/[\s\u00A0\u202F]+/g, '');

// ---- Conditional paragraphs ---------------------------------------------------------------------

/**
 * A sentence Vigie prints, and the facts that must hold for it to be printed (`when`): it appears
 * in a brief exactly when `when` holds and its argument is selected (`argument`), or, for purpose
 * texts, when the purpose is one that carries it.
 */
interface Conditional {
  sentence: RegExp;
  argument?: string;
  when: (b: Built) => boolean;
}
const c = (b: Built) => b.context;
const CONDITIONAL: Array<[string, Conditional]> = [
  ['normal working hours', { sentence: /ce sont ses horaires normaux de travail/, argument: 'declared_working_hours', when: (b) => c(b).consultations.withinDeclaredHours > 0 }],
  ['workload spilling over', { sentence: /charge de travail qui déborde/, argument: 'right_to_disconnect', when: (b) => c(b).consultations.notWithinDeclaredHours > 0 || c(b).consultations.oddHours === 0 }],
  ['holiday as our own addition', { sentence: /ce que nous relevons en plus/, when: (b) => c(b).consultations.holidayOnly > 0 && (b.selected.includes('right_to_disconnect') || b.layout === 'sheet') }],
  ['own file: only own data', { sentence: /n’y a consulté que ses propres données/, argument: 'conflict_of_interest_not_misconduct', when: (b) => c(b).case.ownFile }],
  ['own file: the route of access', { sentence: /voie d’accès/, argument: 'conflict_of_interest_not_misconduct', when: (b) => c(b).case.ownFile }],
  ['relative’s file', { sentence: /S’agissant du dossier d’un·e proche/, argument: 'conflict_of_interest_not_misconduct', when: (b) => c(b).case.relativeFile }],
  ['hierarchy informed', { sentence: /avait informé sa hiérarchie|la hiérarchie en avait été informée/, argument: 'conflict_of_interest_not_misconduct', when: (b) => c(b).case.hierarchyInformed === 'yes' }],
  ['colleague asked', { sentence: /à la demande d’un·e collègue, pour les besoins du service/, argument: 'public_service_mission', when: (b) => c(b).case.colleagueAsked > 0 }],
  ['a single consultation', { sentence: /c’est une simple consultation|est une simple consultation/, when: (b) => c(b).consultations.single && c(b).consultations.allWithoutActing }],
  ['lateness claimed', { sentence: /ces délais n’ont pas été respectés|un de ces délais n’a pas été respecté|n’a pas respecté (un délai|des délais)/, argument: 'procedure_and_time_limits', when: (b) => c(b).agent.privateAgent && c(b).deadlines.lateSteps.length > 0 }],
  ['doubtful miss with its caveat', { sentence: /tranch/, argument: 'procedure_and_time_limits', when: (b) => c(b).agent.privateAgent && c(b).deadlines.doubtfulSteps.length > 0 }],
  ['status to confirm', { sentence: /reste à confirmer/, argument: 'procedure_and_time_limits', when: (b) => c(b).agent.statusUnknown }],
  ['fear for the commitment', { sentence: /font craindre/, argument: 'experiment_commitment', when: (b) => c(b).commitment.status === 'at_risk' }],
  ['direction’s own words', { sentence: /La direction a précisé, dans ses propres termes/, argument: 'experiment_commitment', when: (b) => Boolean(c(b).campaign.commitmentQuote) }],
  ['the direction’s figures', { sentence: /Les chiffres de la direction elle-même/, argument: 'false_positives', when: (b) => c(b).campaign.hasRates }],
  ['« faux positifs »', { sentence: /faux positifs/, argument: 'false_positives', when: (b) => Boolean(c(b).campaign.falsePositivesStatement) && c(b).campaign.hasRates }],
  ['QVT agreement of 2017', { sentence: /qualité de vie au travail de 2017/, argument: 'right_to_disconnect', when: (b) => !c(b).agent.publicAgent }],
  ['good faith, L1222-1', { sentence: /L1222-1/, argument: 'experiment_commitment', when: (b) => !c(b).agent.publicAgent }],
  ['report filed: withdrawal asked', { sentence: /soit retiré du dossier personnel/, argument: 'report_not_a_sanction', when: (b) => Boolean(c(b).case.reportFiled) }],
];

describe('legal fixtures: every conditional sentence only under its condition', () => {
  it('has at least 15 fact patterns covering every stage and status', () => {
    assert.ok(FIXTURES.length >= 15);
    const stages = new Set(FIXTURES.map((f) => caseStage({ interviewDate: f.detail.interviewDate, reportOutcome: f.detail.reportOutcome, events: f.detail.events, today: TODAY })));
    assert.deepEqual([...stages].sort(), ['after_interview', 'before_interview', 'pre_disciplinary', 'report_illegitimate', 'sanctioned']);
    assert.deepEqual([...new Set(FIXTURES.map((f) => f.detail.agent.employmentStatus))].sort(), ['private', 'public', 'unknown']);
  });

  for (const [name, rule] of CONDITIONAL) {
    it(`« ${name} »`, () => {
      let printedSomewhere = false;
      for (const b of ALL) {
        // The annex holds every selected argument's full text: the sentence is there iff its argument is selected and its condition holds.
        const annex = b.all.slice(b.all.indexOf(ANNEX_TITLE));
        const selected = rule.argument ? b.selected.includes(rule.argument) : true;
        const expected = selected && rule.when(b);
        const where = `${b.fixture.name} / ${b.purposeId}`;
        if (rule.argument) {
          assert.equal(rule.sentence.test(annex), expected, `${where}: « ${name} » should ${expected ? '' : 'not '}be in the annex`);
        } else if (!expected) {
          assert.doesNotMatch(b.all, rule.sentence, `${where}: « ${name} » printed without its condition`);
        }
        if (!expected) assert.doesNotMatch(b.all, rule.sentence, `${where}: « ${name} » printed without its condition`);
        printedSomewhere ||= expected;
      }
      assert.ok(printedSomewhere, `no fixture prints « ${name} »: the table does not exercise it`);
    });
  }

  it('never prints both « normal working hours » and « workload spilling over » about the same consultations', () => {
    for (const b of ALL) {
      if (!c(b).consultations.allWithinDeclaredHours) continue;
      assert.doesNotMatch(b.all, /charge de travail qui déborde/, `${b.fixture.name}: every flagged consultation was within declared hours`);
    }
  });

  it('names no clock but the agent’s own, and names it wherever consultations are counted', () => {
    for (const b of ALL) {
      const own = c(b).consultations.zoneLabel;
      const named = new Set(b.all.replace(/[\u202f\u00a0]/g, ' ').match(CLOCKS) ?? []);
      for (const clock of named) assert.equal(clock, own, `${b.fixture.name} / ${b.purposeId}: « ${clock} » for an agent on ${own}`);
      if (/au sens de la direction \(entre 20 h et 5 h|relevées comme «\u202Fhors normes\u202F»|signalées \(«\u202Fhors normes/.test(b.all)) assert.ok(named.has(own), `${b.fixture.name} / ${b.purposeId}: a count without its clock`);
    }
    const of = (n: string, purpose: string) => ALL.find((b) => b.fixture.name.startsWith(n) && b.purposeId === purpose)!;
    assert.match(of('20', 'interview_preparation').all, /Sur les 3 consultations relevées, 2 ont eu lieu à un horaire «\u202Fhors normes\u202F» au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\)/);
    assert.match(of('21', 'interview_preparation').all, /La consultation relevée n’a pas eu lieu à un horaire «\u202Fhors normes\u202F» au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de la Martinique\)/);
    assert.ok(of('22', 'letter').selected.includes('right_to_disconnect'), 'Good Friday in Moselle is a holiday');
    assert.deepEqual(c(of('21', 'contestation')).deadlines.lateSteps, [], '22 May ends the limit on a holiday in Martinique: a doubtful step, not a clear miss');
  });

  it('selects conflict of interest for own and relative’s files, never for « a colleague asked »', () => {
    const byName = (n: string) => ALL.find((b) => b.fixture.name.startsWith(n))!;
    assert.ok(byName('04').selected.includes('conflict_of_interest_not_misconduct'));
    assert.ok(byName('05').selected.includes('conflict_of_interest_not_misconduct'));
    assert.ok(!byName('06').selected.includes('conflict_of_interest_not_misconduct'));
    assert.ok(byName('06').selected.includes('public_service_mission'));
  });

  it('argues false positives only from a share or rate, never from headcounts or another region’s figures', () => {
    const byName = (n: string) => ALL.find((b) => b.fixture.name.startsWith(n))!;
    assert.ok(byName('12').selected.includes('false_positives'));
    assert.ok(!byName('13').selected.includes('false_positives'), 'headcounts only');
    assert.ok(!byName('18').selected.includes('false_positives'), 'another region’s rates');
    assert.doesNotMatch(byName('18').all, /Hauts-de-France|HDF/);
  });

  it('proposes by default the document of the case’s stage', () => {
    const expected: Record<string, string> = {
      before_interview: 'interview_preparation',
      after_interview: 'letter',
      report_illegitimate: 'written_observations',
      pre_disciplinary: 'pre_disciplinary_preparation',
      sanctioned: 'contestation',
    };
    for (const f of FIXTURES) {
      const b = ALL.find((x) => x.fixture === f)!;
      assert.equal(defaultsForStage(settings, c(b).case.stage).purpose.id, expected[c(b).case.stage], f.name);
    }
  });

  it('agrees with a stated civility: « convoquée », « convoqué », « reçue »', () => {
    const of = (n: string, purpose: string) => ALL.find((b) => b.fixture.name.startsWith(n) && b.purposeId === purpose)!.all;
    assert.match(of('01', 'interview_preparation'), /Madame Élodie Martin est convoquée à un entretien fixé au 2 décembre 2024/);
    assert.match(of('16', 'pre_disciplinary_preparation'), /Monsieur Élodie Martin a été convoqué à un entretien préalable/);
    assert.match(of('05', 'written_observations'), /Madame Élodie Martin, reçue en entretien le 20 septembre 2024/);
    assert.match(of('15', 'interview_preparation'), /Élodie Martin a reçu une convocation à un entretien/, 'civility not stated: no agreement needed');
  });

  it('names the agent with their civility, and never agrees « ·e » after the name when it is not stated', () => {
    for (const b of ALL) {
      const { name, civility } = c(b).agent;
      if (civility === 'madame') assert.match(b.all, new RegExp(`Madame ${name}`), b.fixture.name);
      if (civility === 'monsieur') assert.match(b.all, new RegExp(`Monsieur ${name}`), b.fixture.name);
      assert.doesNotMatch(b.all, new RegExp(`${name}[^.;:]{0,40}\\p{L}+·e\\b(?!s)`, 'u'), `${b.fixture.name} / ${b.purposeId}: an inclusive agreement after the agent’s name`);
      assert.doesNotMatch(b.all, /\bil ou elle\b|\blui ou elle\b/, `${b.fixture.name}: « il ou elle »`);
    }
  });
});

describe('legal fixtures: the never-list', () => {
  it('reads the never-list as data, one entry per claim of legal-references.md', () => {
    assert.ok(NEVER.length >= 15);
  });

  it('no model text of any fixture and purpose makes a never-list claim', () => {
    const found: string[] = [];
    for (const b of ALL) {
      for (const claim of NEVER) {
        if (claim.onlyFor && !claim.onlyFor.includes(c(b).agent.employmentStatus)) continue;
        for (const re of claim.regexps) {
          const m = re.exec(b.all);
          if (m) found.push(`${b.fixture.name} / ${b.purposeId}: ${claim.claim} — « ${b.all.slice(Math.max(0, m.index - 50), m.index + 70).replace(/\s+/g, ' ')} »`);
        }
      }
    }
    assert.deepEqual(found, []);
  });

  it('one apostrophe (’) and « » with no-break spaces in every text', () => {
    for (const b of ALL) {
      assert.doesNotMatch(b.all, /\p{L}'/u, `${b.fixture.name}: a straight apostrophe`);
      assert.doesNotMatch(b.all, /«(?!\u202F)|(?<!\u202F)»/, `${b.fixture.name}: « » without a no-break space`);
    }
  });
});

describe('templates: clean text', () => {
  it('no file under templates/ holds a control character or a mis-encoded apostrophe (â€™)', () => {
    const files = ['briefs.yaml', 'declarations.yaml', 'legal-references.yaml', 'never-claims.yaml', 'rights-guide.yaml', ...readdirSync(path.join(TEMPLATES_DIR, 'arguments')).map((f) => `arguments/${f}`)];
    for (const file of files) {
      const text = readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');
      assert.doesNotMatch(text, /[\u0080-\u009f\ufffd]|â€|Ã©/u, `${file} holds mis-encoded characters`);
      assert.doesNotMatch(text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n'), /\p{L}'\p{L}/u, `${file}: a straight apostrophe in French text`);
    }
  });
});

describe('templates: the corrections of issue 12', () => {
  it('summarises Cass. soc. 11 Dec 2019 n° 18-11.792 as shared/legal-references.md does: a man, the former L2323-32 (now L2312-38)', () => {
    const ref = loadLegalReferences().get('ct-l1222-4-cass-2019')!;
    assert.match(ref.summary, /Un salarié \(formateur\)/);
    assert.match(ref.summary, /L2323-32, devenu L2312-38/);
    assert.doesNotMatch(ref.summary, /salariée/);
  });

  it('writes « à un·e collègue » in the declarations, never « à une collègue »', () => {
    const text = readFileSync(path.join(TEMPLATES_DIR, 'declarations.yaml'), 'utf8');
    assert.match(text, /à un·e collègue/);
    assert.doesNotMatch(text, /à une collègue/);
  });
});

describe('legal fixtures: references', () => {
  it('lists a reference only when a printed paragraph of the annex names it', () => {
    for (const b of ALL) {
      const blocks = b.model.blocks;
      const annexAt = blocks.findIndex((x) => x.kind === 'heading' && x.text === ANNEX_TITLE);
      for (let i = annexAt + 1; i < blocks.length; i++) {
        const block = blocks[i]!;
        if (block.kind !== 'heading' || block.level !== 2) continue;
        const argument = library.find((a) => a.title === block.text);
        const paragraphs: string[] = [];
        let citations: string[] = [];
        for (let j = i + 1; j < blocks.length; j++) {
          const next = blocks[j]!;
          if (next.kind === 'heading') break;
          if (next.kind === 'paragraph') paragraphs.push(next.runs.map((r) => r.text).join(''));
          if (next.kind === 'citations') citations = next.items;
        }
        const printed = paragraphs.join('\n');
        for (const ref of argument?.citations ?? []) {
          const listed = citations.some((item) => item.toLowerCase().startsWith(ref.label.toLowerCase().slice(0, 20)));
          if (listed) assert.ok(isCitedIn(ref, printed), `${b.fixture.name}: ${ref.id} listed but no printed paragraph names it`);
        }
      }
    }
  });

  it('a public-law agent’s brief lists no QVT 2017 agreement and no Code du travail disciplinary rule', () => {
    for (const b of ALL.filter((x) => c(x).agent.publicAgent)) {
      assert.doesNotMatch(b.all, /accord sur la qualité de vie au travail de 2017/i);
      assert.doesNotMatch(b.all, /L133[12]-\d|L1222-1\b/);
    }
  });
});

// ---- Rendered: page counts and the same text in PDF, DOCX and preview ---------------------------

describe('legal fixtures: rendered letters and sheets', () => {
  const preview = Handlebars.create();
  preview.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const document = preview.compile(readFileSync(path.join(VIEWS_DIR, 'partials', 'document.hbs'), 'utf8'));
  const rendered: Array<{ b: Built; pages: string[]; docx: string; html: string }> = [];

  before(async () => {
    for (const b of ALL) {
      const [pdfBuf, docxBuf] = await Promise.all([renderPdfBuffer(b.model), renderDocx(b.model)]);
      const pdf = await extractPdf(pdfBuf);
      rendered.push({ b, pages: pdf.pages.map((p) => p.bodyLines.join('\n')), docx: readDocx(docxBuf).text, html: decode(document({ doc: b.model }).replace(/<[^>]+>/g, ' ')) });
    }
  });

  it('fits every letter and sheet on at most two A4 pages before its annex', () => {
    const sizes: string[] = [];
    for (const { b, pages } of rendered) {
      const annexPage = pages.findIndex((p) => squash(p).includes(squash(ANNEX_TITLE)));
      const letterPages = annexPage < 0 ? pages.length : annexPage;
      if (letterPages > 2) sizes.push(`${b.fixture.name} / ${b.purposeId}: ${letterPages} pages`);
      if (b.model.blocks.some((x) => x.kind === 'pageBreak')) assert.ok(annexPage >= 1, `${b.fixture.name} / ${b.purposeId}: the annex starts on its own page`);
    }
    assert.deepEqual(sizes, []);
  });

  it('carries the same text in the PDF, the DOCX and the HTML preview', () => {
    for (const { b, pages, docx, html } of rendered) {
      const pdf = squash(pages.join(''));
      const word = squash(docx);
      const page = squash(html);
      for (const text of b.texts) {
        const t = squash(text);
        if (!t) continue;
        assert.ok(pdf.includes(t), `${b.fixture.name} / ${b.purposeId}: PDF lacks « ${text.slice(0, 80)} »`);
        assert.ok(word.includes(t), `${b.fixture.name} / ${b.purposeId}: DOCX lacks « ${text.slice(0, 80)} »`);
        assert.ok(page.includes(t), `${b.fixture.name} / ${b.purposeId}: preview lacks « ${text.slice(0, 80)} »`);
      }
    }
  });

  it('no never-list claim in the PDF or DOCX either', () => {
    for (const { b, pages, docx } of rendered) {
      for (const claim of NEVER) {
        if (claim.onlyFor && !claim.onlyFor.includes(c(b).agent.employmentStatus)) continue;
        for (const re of claim.regexps) {
          assert.doesNotMatch(pages.join('\n').replace(/\s+/g, ' '), re, `${b.fixture.name} / ${b.purposeId} (PDF): ${claim.claim}`);
          assert.doesNotMatch(docx.replace(/\s+/g, ' '), re, `${b.fixture.name} / ${b.purposeId} (DOCX): ${claim.claim}`);
        }
      }
    }
  });
});
