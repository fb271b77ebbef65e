/**
 * Defense briefs end to end below HTTP: case fixtures → facts → selected arguments → texts filled
 * from the facts → document model → PDF (read back with pdfjs, and byte-exact through the fonts'
 * ToUnicode maps) and DOCX (unzipped and read paragraph by paragraph).
 *
 * Three reference scenarios:
 *  (a) wave 2, private-law agent, odd-hours consultations, a sanction notified after the
 *      two-month limit of L1332-4;
 *  (b) a public-law agent (décret n° 2003-1370) with a sanction: no Code du travail rule cited,
 *      no limit computed;
 *  (c) wave 1 (no commitment, no figures), consulted to answer a user.
 * Then what every brief must be: French text intact, "page X sur Y" on every page, the
 * disclaimer, clean page breaks in a long brief, and none of the claims shared/legal-references.md
 * forbids. Scenario (a) is also written to test/artifacts/briefs-scenario-a.{pdf,docx} for a look.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { type Argument, loadArgumentLibrary, loadLegalReferences } from '../../src/briefs/argument-library';
import { argumentFacts, briefContext } from '../../src/briefs/brief-context';
import { ANNEX_TITLE, buildBriefDocument } from '../../src/briefs/brief-document';
import type { DraftSection } from '../../src/briefs/brief-draft';
import { loadBriefSettings } from '../../src/briefs/brief-settings';
import { proposedOrder } from '../../src/briefs/briefs.service';
import { citationText } from '../../src/legal/legal-references';
import { buildRightsGuideDocument, loadRightsGuide } from '../../src/briefs/rights-guide';
import type { CampaignWithFigures } from '../../src/campaigns/campaigns.repository';
import type { CaseDetail } from '../../src/cases/cases.types';
import type { DocumentModel } from '../../src/documents/model';
import { renderDocx } from '../../src/documents/render-docx';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import { selectArguments } from '../../src/domain/argument-conditions';
import { TODAY, WAVE_1, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';
import { type DocxText, type PdfText, exactPdfBody, extractPdf, loosen, modelTexts, rawPdfLines, readDocx, squash } from '../helpers/document-text';

const library = loadArgumentLibrary();
const settings = loadBriefSettings();
const references = loadLegalReferences();
const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');
const NOW = new Date('2024-11-20T10:00:00Z');
const NNBSP = '\u202f';

const titleOf = (id: string) => {
  const argument = library.find((a) => a.id === id);
  assert.ok(argument, `the library has ${id}`);
  return argument.title;
};

interface Built {
  model: DocumentModel;
  selected: string[];
  /** Every piece of text the model holds, one string per block or line. */
  texts: string[];
}

/**
 * What the review page proposes and the rep keeps as is: the arguments the facts support, with
 * their full texts and summaries filled from the case (unless `only` names the arguments to keep),
 * at the positions the purpose's ranking proposes, plus free sections; the annex as the purpose
 * proposes it unless `annex` says otherwise.
 */
function buildBrief(
  detail: CaseDetail,
  campaign: CampaignWithFigures,
  options: { purpose?: string; addressee?: string; only?: Argument[]; free?: DraftSection[]; annex?: boolean } = {},
): Built {
  const assessment = assess(detail, campaign);
  const context = briefContext(detail, assessment, campaign, { regionName: 'Hauts-de-France', repName: 'Sophie Lemaire', today: TODAY });
  const selected = options.only ?? selectArguments(library, argumentFacts(detail, assessment, campaign)).map((s) => s.argument);
  const purpose = settings.purposes.find((p) => p.id === (options.purpose ?? 'contestation'));
  assert.ok(purpose, `briefs.yaml has the purpose ${options.purpose}`);
  const positions = proposedOrder(purpose, library);
  const sections: DraftSection[] = [
    ...selected.map((a) => ({ argumentId: a.id, title: '', text: a.body(context), summary: a.summary(context), order: positions.get(a.id)! })),
    ...(options.free ?? []),
  ].sort((a, b) => a.order - b.order);
  const model = buildBriefDocument({
    caseId: detail.id,
    draft: { purpose: purpose.id, addressee: options.addressee ?? 'hr_direction', sections, annex: options.annex ?? purpose.annex },
    context,
    library,
    settings,
    now: NOW,
    versionNumber: 1,
  });
  return { model, selected: selected.map((a) => a.id), texts: modelTexts(model) };
}


const citationsOf = (model: DocumentModel) => model.blocks.flatMap((b) => (b.kind === 'citations' ? b.items : []));
const headingsOf = (model: DocumentModel) => model.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
/** The letter or sheet (before the annex's page break) and the annex (after it). */
function partsOf(model: DocumentModel): { body: DocumentModel['blocks']; annex: DocumentModel['blocks'] } {
  const at = model.blocks.findIndex((b) => b.kind === 'pageBreak');
  return at === -1 ? { body: model.blocks, annex: [] } : { body: model.blocks.slice(0, at), annex: model.blocks.slice(at + 1) };
}
const textOf = (blocks: DocumentModel['blocks']) => modelTexts({ ...NO_TITLE, blocks }).join('\n');
const NO_TITLE: DocumentModel = { title: '', header: { left: '' }, fileName: 'x', properties: { author: '', subject: '', createdAt: NOW }, blocks: [] };

interface Rendered {
  pdfBuf: Buffer;
  pdf: PdfText;
  /** Exact characters of the PDF body, wrapped lines joined. */
  exact: string;
  docxBuf: Buffer;
  docx: DocxText;
}

async function render(model: DocumentModel): Promise<Rendered> {
  const [pdfBuf, docxBuf] = await Promise.all([renderPdfBuffer(model), renderDocx(model)]);
  return { pdfBuf, pdf: await extractPdf(pdfBuf), exact: exactPdfBody(pdfBuf), docxBuf, docx: readDocx(docxBuf) };
}

/** The « Références » items of a PDF: the lines after each « – » dash, wrapped lines joined. */
function pdfReferences(pdf: PdfText): string[] {
  const lines = pdf.pages.flatMap((p) => p.bodyLines);
  const refs: string[] = [];
  let inList = false;
  for (const line of lines) {
    if (/^Références\s*:$/.test(line)) {
      inList = true;
      continue;
    }
    if (!inList) continue;
    if (line.startsWith('–')) refs.push(line.replace(/^–\s*/, ''));
    else if (refs.length && /^[a-z0-9(]/.test(line) && line.length < 120) refs[refs.length - 1] += ` ${line}`;
    else inList = false;
  }
  return refs;
}

type Part = 'anywhere' | 'body' | 'annex';

/** The rendered text before the annex's title (body), after it (annex), or all of it. */
function partText(text: string, part: Part): string {
  const squashed = squash(text);
  if (part === 'anywhere') return squashed;
  const at = squashed.indexOf(squash(ANNEX_TITLE));
  if (part === 'body') return at === -1 ? squashed : squashed.slice(0, at);
  return at === -1 ? '' : squashed.slice(at);
}

/** Whether `needle` is somewhere in the PDF's text (spaces and line breaks ignored) and in the DOCX's. */
function inBoth(r: Rendered, needle: string, part: Part = 'anywhere'): { pdf: boolean; docx: boolean } {
  return { pdf: partText(r.pdf.body, part).includes(squash(needle)), docx: partText(r.docx.text, part).includes(squash(needle)) };
}

function assertInBoth(r: Rendered, needle: string, what = needle, part: Part = 'anywhere') {
  assert.deepEqual(inBoth(r, needle, part), { pdf: true, docx: true }, `${what} should be in the PDF and the DOCX${part === 'anywhere' ? '' : ` (${part === 'body' ? 'in the letter, before the annex' : 'in the annex'})`}`);
}

function assertInNeither(r: Rendered, needle: string, what = needle) {
  assert.deepEqual(inBoth(r, needle), { pdf: false, docx: false }, `${what} should be in neither the PDF nor the DOCX`);
}

// ---- The scenarios ------------------------------------------------------------------------------

/** (a) Wave 2, private law, consultations at 21:15 on a Tuesday, on a Saturday and within hours. */
const scenarioA = caseDetail({
  id: 101,
  agent: { fullName: 'Élodie Martin', employmentStatus: 'private' },
  situations: ['odd_hours'],
  knowledgeDate: '2024-07-01',
  consultations: [consultation('2024-05-14T19:15:00Z'), consultation('2024-05-18T08:00:00Z'), consultation('2024-05-15T08:00:00Z')],
  events: [event({ type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' })],
});

/** (b) The same facts for a public-law agent, with a convocation and a sanction, knowledge date known. */
const scenarioB = caseDetail({
  id: 102,
  agent: { fullName: 'Bernard Œillet', employmentStatus: 'public' },
  situations: ['odd_hours'],
  knowledgeDate: '2024-07-01',
  consultations: [consultation('2024-05-14T19:15:00Z'), consultation('2024-05-15T08:00:00Z')],
  events: [
    event({ type: 'pre_disciplinary_convocation', date: '2024-09-20', hearingDate: '2024-10-01' }),
    event({ type: 'sanction_notified', date: '2024-11-15', sanctionKind: 'blame' }),
  ],
});

/** (c) Wave 1 (no commitment, no figures in the fixture), a file opened to answer a user. */
const scenarioC = caseDetail({
  id: 103,
  campaignId: 1,
  campaignName: WAVE_1.name,
  agent: { fullName: 'Françoise Lebœuf' },
  situations: ['agent_ex_job_seeker'],
  knowledgeDate: '2023-06-01',
  convocationDate: '2023-09-01',
  interviewDate: '2023-09-12',
  consultations: [consultation('2023-03-14T09:00:00Z', 'consulted', 'answering_user')],
});

describe('scenario (a): wave 2, private law, odd hours, sanction after the two-month limit', () => {
  let built: Built;
  let r: Rendered;

  before(async () => {
    built = buildBrief(scenarioA, WAVE_2);
    r = await render(built.model);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'briefs-scenario-a.pdf'), r.pdfBuf);
    writeFileSync(path.join(ARTIFACTS, 'briefs-scenario-a.docx'), r.docxBuf);
  });

  it('selects the right-to-disconnect, commitment and procedure arguments', () => {
    for (const id of ['right_to_disconnect', 'experiment_commitment', 'procedure_and_time_limits']) {
      assert.ok(built.selected.includes(id), `${id} is selected (got ${built.selected.join(', ')})`);
    }
  });

  it('shows those three arguments in the PDF and the DOCX, in the letter and in the annex', () => {
    for (const id of ['right_to_disconnect', 'experiment_commitment', 'procedure_and_time_limits']) {
      assertInBoth(r, titleOf(id), `the title of ${id}`, 'body');
      assertInBoth(r, titleOf(id), `the title of ${id}`, 'annex');
    }
    const docxHeadings = r.docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    for (const id of ['right_to_disconnect', 'experiment_commitment', 'procedure_and_time_limits']) assert.ok(docxHeadings.includes(titleOf(id)), `${id} is a Word heading`);
    const annexHeadings = r.docx.paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text);
    for (const id of built.selected) assert.ok(annexHeadings.includes(titleOf(id)), `${id} is a Word heading of the annex`);
  });

  it('lists « article L1332-4 du Code du travail » among the references of the annex, in both formats, and none in the letter', () => {
    const pdfRefs = pdfReferences(r.pdf).map((s) => s.toLowerCase());
    assert.ok(pdfRefs.includes('article l1332-4 du code du travail'), `PDF references: ${pdfRefs.join(' | ')}`);
    const docxRefs = r.docx.references.map((s) => s.toLowerCase());
    assert.ok(docxRefs.includes('article l1332-4 du code du travail'), `DOCX references: ${docxRefs.join(' | ')}`);
    const { body, annex } = partsOf(built.model);
    assert.equal(body.filter((b) => b.kind === 'citations').length, 0, 'the summaries of the letter carry no references');
    assert.ok(annex.some((b) => b.kind === 'citations' && b.items.includes('Article L1332-4 du Code du travail')));
    assert.ok(partText(r.pdf.body, 'annex').includes(squash('article L1332-4 du Code du travail')));
  });

  it('lists a reference only when a printed paragraph names it: the 2017 QVT agreement, whose sentence a private-law agent’s text prints', () => {
    assertInBoth(r, 'l’accord sur la qualité de vie au travail de 2017', 'the QVT sentence', 'annex');
    assert.ok(citationsOf(built.model).some((c) => /qualité de vie au travail de 2017/.test(c)), citationsOf(built.model).join(' | '));
  });

  it('states the computed end of the two-month limit and the late step', () => {
    assertInBoth(r, 'La procédure disciplinaire a été engagée le 3 octobre 2024, après la fin du délai de deux mois');
    assertInBoth(r, '(le 1er juillet 2024), le 1er septembre 2024.');
    assertInBoth(r, 'la direction avait connaissance des faits le 1er juillet 2024', undefined, 'annex');
  });

  it('counts the odd-hours consultations of the case, in the letter’s summary and in the annex', () => {
    assertInBoth(r, 'Parmi les consultations relevées, 2 ont eu lieu la nuit ou le week-end (heure de Paris), en dehors des horaires de travail de l’agent', 'the flagged consultations outside declared hours', 'body');
    assertInBoth(r, 'Sur les 3 consultations relevées, 2 ont eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de Paris)', 'the number of odd-hours consultations, and their clock', 'annex');
  });

  it('quotes the campaign’s own commitment and says it was broken', () => {
    assertInBoth(r, WAVE_2.commitmentText, undefined, 'annex');
    assertInBoth(r, 'Cet engagement n’a pas été tenu', undefined, 'body');
    assertInBoth(r, 'Cet engagement n’a pas été tenu.', undefined, 'annex');
  });

  it('is a letter of at most two pages, the detailed argumentaire starting a new page after it', () => {
    const annexPage = r.pdf.pages.findIndex((page) => page.bodyLines.some((l) => squash(l) === squash(ANNEX_TITLE)));
    assert.ok(annexPage > 0, 'the annex is in the PDF');
    assert.ok(annexPage <= 2, `the letter runs over ${annexPage} pages`);
    assert.equal(squash(r.pdf.pages[annexPage]!.bodyLines[0]!), squash(ANNEX_TITLE), 'the annex opens its page');
    assert.ok(r.docx.paragraphs.some((p) => p.text === ANNEX_TITLE && p.style === 'Heading1'));
    assert.match(r.docx.documentXml, /<w:br w:type="page"\/>|<w:pageBreakBefore\/>/, 'the DOCX breaks the page before the annex');
  });

  it('summarises the first ticked arguments, by position, and annexes every one in full', () => {
    const purpose = settings.purposes.find((p) => p.id === 'contestation')!;
    assert.equal(purpose.layout, 'letter');
    const byPosition = [...built.selected].sort((a, b) => proposedOrder(purpose, library).get(a)! - proposedOrder(purpose, library).get(b)!);
    const { body, annex } = partsOf(built.model);
    const bodyArguments = body.flatMap((b) => (b.kind === 'heading' && b.level === 1 ? [b.text] : [])).filter((t) => library.some((a) => a.title === t));
    assert.deepEqual(bodyArguments, byPosition.slice(0, purpose.arguments).map(titleOf));
    assert.deepEqual(bodyArguments, ['procedure_and_time_limits', 'experiment_commitment', 'public_service_mission', 'right_to_disconnect'].map(titleOf), 'the strongest first, as the contestation ranks them');
    const annexArguments = annex.flatMap((b) => (b.kind === 'heading' && b.level === 2 ? [b.text] : []));
    assert.deepEqual(annexArguments, byPosition.map(titleOf));
    // The letter holds the summaries, the annex the full texts.
    assert.ok(!textOf(body).includes('Sur les 3 consultations relevées'), 'the full right-to-disconnect text stays in the annex');
    assert.ok(!textOf(body).includes(titleOf('duty_to_train')), 'arguments beyond the first four are only in the annex');
    assert.ok(textOf(annex).includes('Sur les 3 consultations relevées'));
  });

  it('says the annex is attached, then closes with the formula and the signature', () => {
    const { body } = partsOf(built.model);
    const texts = body.map((b) => (b.kind === 'paragraph' ? b.runs.map((x) => x.text).join('') : ''));
    assert.ok(texts.includes('L’argumentaire détaillé, avec ses références, est joint en annexe\u202F; il reprend aussi les arguments que ce document ne résume pas.'), texts.join('\n'));
    const signatureAt = body.findIndex((b) => b.kind === 'signature');
    assert.equal(texts[signatureAt - 1], 'Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.');
    const signature = body[signatureAt];
    assert.ok(signature?.kind === 'signature');
    assert.deepEqual(signature.lines, ['Fait le 20 novembre 2024.', 'Pour la CGT France Travail,', 'Sophie Lemaire']);
    assert.equal(body.at(-1)?.kind, 'notice', 'the disclaimer closes the letter, before the annex');
  });

  it('leaves out the annex, its references and the sentence announcing it when the rep unticks it', () => {
    const without = buildBrief(scenarioA, WAVE_2, { annex: false });
    assert.equal(without.model.blocks.some((b) => b.kind === 'pageBreak'), false);
    assert.equal(headingsOf(without.model).includes(ANNEX_TITLE), false);
    assert.deepEqual(citationsOf(without.model), []);
    assert.ok(!without.texts.some((t) => /joint en annexe/.test(t)));
    assert.ok(without.texts.includes('Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.'));
    assert.equal(without.model.blocks.at(-1)?.kind, 'notice');
  });
});

describe('scenario (b): a public-law agent with a sanction', () => {
  let built: Built;
  let r: Rendered;

  before(async () => {
    built = buildBrief(scenarioB, WAVE_2);
    r = await render(built.model);
  });

  it('keeps the procedure argument, framed by the décret n° 2003-1370', () => {
    assert.ok(built.selected.includes('procedure_and_time_limits'));
    assertInBoth(r, 'décret n° 2003-1370', undefined, 'body');
    assertInBoth(r, 'aucun délai n’est calculé dans ce document', undefined, 'annex');
    for (const [format, refs] of [['PDF', pdfReferences(r.pdf)], ['DOCX', r.docx.references]] as const) {
      assert.ok(refs.some((ref) => /décret n°\s2003-1370/i.test(ref)), `the decree is among the ${format} references: ${refs.join(' | ')}`);
    }
  });

  it('lists no reference whose sentence is hidden for a public-law agent: not the 2017 QVT agreement', () => {
    assert.ok(built.selected.includes('right_to_disconnect'), 'the argument that could cite it is there');
    assertInNeither(r, 'qualité de vie au travail de 2017');
    const refs = [...pdfReferences(r.pdf), ...r.docx.references];
    assert.ok(!refs.some((ref) => /qualité de vie au travail/i.test(ref)), refs.join(' | '));
  });

  it('cites no Code du travail rule reserved to private-law staff, and no L1332 anywhere', () => {
    const privateOnly = [...references.values()].filter((ref) => ref.appliesTo === 'private' && ref.mark !== 'N').map(citationText);
    const cited = citationsOf(built.model);
    for (const label of privateOnly) assert.ok(!cited.includes(label), `a private-law reference is cited: ${label}`);
    const refs = [...pdfReferences(r.pdf), ...r.docx.references];
    assert.ok(refs.length > 0);
    for (const ref of refs) assert.doesNotMatch(ref, /L13\d\d|L1222|L4121|L6321|L2312|L2242/, `reference not for a public-law agent: ${ref}`);
    assert.doesNotMatch(r.pdf.body, /L1332/);
    assert.doesNotMatch(r.docx.text, /L1332/);
  });

  it('computes no date: neither the two-month limit nor the one-month limit after the hearing', () => {
    for (const date of ['1er septembre 2024', '1er novembre 2024']) assertInNeither(r, date);
    assert.doesNotMatch(squash(r.pdf.body), /aprèsl’expirationdudélai/);
    assert.doesNotMatch(r.docx.text, /délai de deux mois/);
  });

  it('names, in its text, no article its reference list withholds from a public-law agent', () => {
    // brief-document.ts: "a brief cites only what governs this agent". The references are
    // filtered by citableFor(); the texts must follow, or the body cites what the list hides.
    const privateArticles = new Set(
      [...references.values()].filter((ref) => ref.appliesTo === 'private').flatMap((ref) => ref.label.match(/L\d{4}-\d+/g) ?? []),
    );
    const named = [...new Set(built.texts.join('\n').match(/L\d{4}-\d+/g) ?? [])].filter((a) => privateArticles.has(a));
    assert.deepEqual(named, [], `a public-law agent's brief names private-law articles in its text: ${named.join(', ')}`);
  });
});

describe('scenario (c): wave 1, consulted to answer a user', () => {
  let built: Built;
  let r: Rendered;
  /** The same sheet with the detailed argumentaire annexed. */
  let annexed: Rendered;

  before(async () => {
    built = buildBrief(scenarioC, WAVE_1, { purpose: 'interview_preparation', addressee: 'agent' });
    r = await render(built.model);
    annexed = await render(buildBrief(scenarioC, WAVE_1, { purpose: 'interview_preparation', addressee: 'agent', annex: true }).model);
  });

  it('argues the public-service mission: its summary on the sheet, its full text in the annex', () => {
    assert.ok(built.selected.includes('public_service_mission'), built.selected.join(', '));
    assertInBoth(r, titleOf('public_service_mission'));
    assertInBoth(r, 'consulter un dossier afin de répondre à un usager ou pour les besoins du service fait partie de nos missions de service public');
    assertInNeither(r, 'à partir du moment où nous rendons le service', 'the full text, on a sheet without annex');
    assertInBoth(annexed, 'à partir du moment où nous rendons le service, il n’y a pas pour nous détournement de finalités', undefined, 'annex');
  });

  it('is a sheet for the agent: the arguments in brief, no annex by default, no letter formula', () => {
    const purpose = settings.purposes.find((p) => p.id === 'interview_preparation')!;
    assert.equal(purpose.layout, 'sheet');
    assert.equal(purpose.annex, false);
    assert.equal(built.model.blocks.some((b) => b.kind === 'pageBreak'), false);
    assert.ok(headingsOf(built.model).includes('Les arguments, en bref'));
    assert.ok(built.model.blocks.some((b) => b.kind === 'heading' && b.level === 2 && b.text === titleOf('public_service_mission')));
    assert.ok(!built.texts.some((t) => /Veuillez agréer/.test(t)), 'a sheet is not a letter');
    assert.deepEqual(citationsOf(built.model), [], 'references belong to the annex');
    assert.ok(r.pdf.pages.length <= 2, `the sheet runs over ${r.pdf.pages.length} pages`);
  });

  it('has no commitment argument and no figures argument', () => {
    assert.ok(!built.selected.includes('experiment_commitment'));
    assert.ok(!built.selected.includes('false_positives'));
    assertInNeither(r, titleOf('experiment_commitment'));
    assertInNeither(r, titleOf('false_positives'));
    assertInNeither(r, 'aucune sanction disciplinaire ne serait engagée', 'the wave-2 promise');
  });
});

// ---- What every brief must be -------------------------------------------------------------------

describe('French text, pages and disclaimer', () => {
  // Already in French typography, so it must come out exactly as typed.
  const typed = `Le cœur du dossier${NNBSP}: «${NNBSP}je répondais à l’usager${NNBSP}», ça suffit${NNBSP}! Œuvre commune, à l’évidence.`;
  // As a rep types it on a keyboard: straight apostrophes, plain spaces.
  const keyboard = "L'agent l'a dit : « je répondais à l'usager » ; voir le courrier n° 12 !";
  const typeset = `L’agent l’a dit${NNBSP}: «${NNBSP}je répondais à l’usager${NNBSP}»${NNBSP}; voir le courrier n°\u00A012${NNBSP}!`;
  let r: Rendered;
  let built: Built;

  before(async () => {
    built = buildBrief(scenarioA, WAVE_2, {
      free: [
        { argumentId: null, title: 'Précisions de l’agent', text: typed, summary: '', order: 95 },
        { argumentId: null, title: "Ce que l'agent a dit", text: keyboard, summary: '', order: 96 },
      ],
    });
    r = await render(built.model);
  });

  it('sets every text, the rep’s own paragraphs included, in French typography', () => {
    assert.ok(built.texts.includes(typeset), 'the typed paragraph gets ’, « » with narrow no-break spaces, and no-break spaces before ; ! and after n°');
    assert.ok(built.texts.includes('Ce que l’agent a dit'));
    assert.deepEqual(built.texts.filter((t) => t.includes("'")), [], 'no straight apostrophe left anywhere in the document');
    assert.ok(r.docx.paragraphs.some((p) => p.text === typeset));
    assert.ok(r.exact.includes(loosen(typeset)), 'the PDF has the same characters');
  });

  it('round-trips é à ç œ Œ « » ’ and the narrow no-break space exactly, in the PDF', () => {
    assert.ok(r.exact.includes(loosen(typed)), 'the typed paragraph is in the PDF with its exact characters');
    assert.ok(r.exact.includes('Précisions de l’agent'));
    assert.ok(r.exact.includes('Élodie Martin'));
    for (const ch of ['é', 'à', 'ç', 'œ', 'Œ', '«', '»', '’', NNBSP, 'É', '·']) assert.ok(r.exact.includes(ch), `U+${ch.codePointAt(0)!.toString(16)} in the PDF`);
    assert.ok(!r.exact.includes('\ufffd'), 'every glyph maps back to a character');
  });

  it('round-trips the same characters exactly in the DOCX', () => {
    assert.ok(r.docx.paragraphs.some((p) => p.text === typed), 'the typed paragraph is one DOCX paragraph, unchanged');
    assert.ok(r.docx.paragraphs.some((p) => p.text === 'Précisions de l’agent' && p.style === 'Heading1'));
  });

  it('writes "page X sur Y" at the foot of every PDF page, and the fields in the DOCX footer', () => {
    const n = r.pdf.pages.length;
    assert.ok(n >= 3, `a letter with its annex runs over several pages (${n})`);
    r.pdf.pages.forEach((page, i) => {
      assert.equal(page.lines.at(-1)!.text, `page ${i + 1} sur ${n}`);
      assert.match(page.lines[0]!.text, /^CGT France Travail\s*Dossier n° 101 — version 1$/);
    });
    assert.match(r.docx.footerXml, /page <\/w:t>[\s\S]*PAGE[\s\S]* sur <\/w:t>[\s\S]*NUMPAGES/);
  });

  it('ends the letter with the disclaimer: drafted by union representatives, not legal advice', () => {
    assert.match(settings.disclaimer, /ne constitue pas une consultation juridique/);
    assertInBoth(r, settings.disclaimer, 'the disclaimer', 'body');
    // The letter's last page is the one before the annex, which starts a page of its own.
    const annexPage = r.pdf.pages.findIndex((page) => page.bodyLines.some((l) => squash(l) === squash(ANNEX_TITLE)));
    assert.ok(annexPage > 0);
    assert.match(r.pdf.pages[annexPage - 1]!.bodyLines.join(' '), /ne constitue pas une consultation juridique/);
    const { body } = partsOf(built.model);
    assert.equal(body.at(-1)?.kind, 'notice');
  });
});

describe('French typography in the PDF', () => {
  it('never leaves « or n° at the end of a line, nor starts a line with », ; or :', async () => {
    // French puts a (narrow) no-break space inside « » and before ; : ! ?, and « n° » stays with
    // its number. pdfkit only breaks at breakable spaces, so ordinary spaces in the texts let a
    // guillemet or « n° » hang at the end of a line, away from what it belongs to.
    const orphans: string[] = [];
    for (const [detail, campaign] of [[scenarioA, WAVE_2], [scenarioB, WAVE_2], [scenarioC, WAVE_1]] as const) {
      const { model } = buildBrief(detail, campaign, { only: library, annex: true });
      const lines = rawPdfLines(await renderPdfBuffer(model)).flatMap((page) => page.slice(0, -2));
      lines.forEach((line, i) => {
        const l = line.trim();
        if (/(«|n°)$/.test(l) || /^(»|;|:|!|\?)/.test(l)) orphans.push(`${detail.agent.fullName}: …${(lines[i - 1] ?? '').slice(-20)} ⏎ ${l.length > 60 ? `${l.slice(0, 20)}…${l.slice(-30)}` : l} ⏎ ${(lines[i + 1] ?? '').slice(0, 20)}…`);
      });
    }
    assert.deepEqual(orphans, []);
  });
});

describe('a long brief', () => {
  let r: Rendered;
  let headings: string[];

  before(async () => {
    const paragraph = (i: number) =>
      `${i}. L’agent a consulté ce dossier à la demande d’un usager qui se présentait à l’accueil ; il n’a rien modifié. ` +
      'La direction ne produit aucun élément daté à l’appui de ses griefs, et les traces ne disent pas pourquoi le dossier a été ouvert. '.repeat(1 + (i % 3));
    const long = (n: number) => Array.from({ length: n }, (_, i) => paragraph(i + 1)).join('\n\n');
    const detail = caseDetail({
      ...scenarioA,
      id: 104,
      agentAccount: 'Je répondais à un usager.',
      interviewTone: 'pressure',
      toneNotes: '« Vous risquez gros. »',
      reportOutcome: 'illegitimate',
      trainingReceived: 'no',
      situations: ['odd_hours', 'agent_ex_job_seeker'],
      consultations: Array.from({ length: 200 }, (_, i) =>
        consultation(`2024-05-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:10:00Z`, 'consulted', i % 2 ? 'answering_user' : 'relative'),
      ),
      events: [
        event({ type: 'pre_disciplinary_convocation', date: '2024-09-20', hearingDate: '2024-10-01' }),
        event({ type: 'sanction_notified', date: '2024-11-15', sanctionKind: 'blame' }),
      ],
    });
    const built = buildBrief(detail, WAVE_2, {
      only: library,
      annex: true,
      free: [
        { argumentId: null, title: 'Observations complémentaires de l’agent', text: long(14), summary: '', order: 95 },
        { argumentId: null, title: 'Chronologie détaillée', text: long(10), summary: '', order: 96 },
      ],
    });
    headings = headingsOf(built.model);
    r = await render(built.model);
  });

  it('runs over many pages, each numbered "page X sur N"', () => {
    const n = r.pdf.pages.length;
    assert.ok(n >= 8, `only ${n} pages`);
    r.pdf.pages.forEach((page, i) => assert.equal(page.lines.at(-1)!.text, `page ${i + 1} sur ${n}`));
  });

  it('never leaves a heading alone at the bottom of a page, nor splits one across pages', () => {
    assert.ok(headings.length >= 13);
    const missing: string[] = [];
    const stranded: string[] = [];
    for (const heading of headings) {
      const target = squash(heading);
      let found = false;
      r.pdf.pages.forEach((page, p) => {
        const lines = page.bodyLines;
        for (let i = 0; i < lines.length && !found; i++) {
          // A heading may wrap: join up to three lines from one that starts it.
          let joined = '';
          for (let j = i; j < Math.min(lines.length, i + 3); j++) {
            joined += squash(lines[j]!);
            if (!target.startsWith(joined)) break;
            if (joined === target) {
              found = true;
              const below = lines.length - 1 - j;
              if (below < 2) stranded.push(`page ${p + 1}: « ${heading} » has ${below} line(s) under it`);
              break;
            }
          }
        }
      });
      if (!found) missing.push(heading);
    }
    assert.deepEqual(missing, [], 'every heading is whole on one page');
    assert.deepEqual(stranded, [], 'no heading at the foot of a page');
  });

  it('keeps every Word heading with the paragraph that follows', () => {
    for (const style of ['Heading1', 'Heading2']) {
      assert.match(r.docx.stylesXml, new RegExp(`<w:style [^>]*w:styleId="${style}"[^>]*>[\\s\\S]*?<w:keepNext/>[\\s\\S]*?</w:style>`), `${style} keeps with next`);
    }
    const docxHeadings = r.docx.paragraphs.filter((p) => p.style === 'Heading1' || p.style === 'Heading2').map((p) => p.text);
    assert.deepEqual(docxHeadings, headings);
    assert.ok(headings.includes(ANNEX_TITLE), 'the long brief has its annex');
  });
});

// ---- Claims the app must never make -------------------------------------------------------------

describe('no generated text makes a claim legal-references.md forbids', () => {
  const sanctioned = [
    event({ type: 'pre_disciplinary_convocation', date: '2024-09-20', hearingDate: '2024-10-01' }),
    event({ type: 'sanction_notified', date: '2024-11-15', sanctionKind: 'blame' }),
  ];
  const variants: Array<[string, CaseDetail, CampaignWithFigures]> = [];
  for (const status of ['private', 'public', 'unknown'] as const) {
    for (const [wave, campaign] of [['wave 1', WAVE_1], ['wave 2', WAVE_2]] as const) {
      variants.push([`${status}, ${wave}, nothing disciplinary`, caseDetail({ agent: { employmentStatus: status } }), campaign]);
      variants.push([
        `${status}, ${wave}, sanctioned, everything recorded`,
        caseDetail({
          agent: { employmentStatus: status },
          events: sanctioned,
          situations: ['odd_hours', 'agent_ex_job_seeker', 'other_conflict'],
          otherSituationText: 'dossier d’un voisin',
          reportOutcome: 'illegitimate',
          interviewTone: 'pressure',
          toneNotes: 'Menaces.',
          trainingReceived: 'no',
          agentAccount: 'Je répondais à un usager.',
          consultations: [consultation('2024-05-14T19:15:00Z', 'consulted', 'own_file'), consultation('2024-05-15T08:00:00Z', 'modified', 'colleague_asked')],
        }),
        campaign,
      ]);
      variants.push([`${status}, ${wave}, no dates`, caseDetail({ agent: { employmentStatus: status }, knowledgeDate: null, interviewDate: null, events: sanctioned.slice(1) }), campaign]);
    }
  }

  /** Every text a brief or the rights guide can contain, for every variant, purpose and addressee. */
  function allTexts(): Array<{ where: string; text: string; status: string }> {
    const out: Array<{ where: string; text: string; status: string }> = [];
    for (const [name, detail, campaign] of variants) {
      for (const purpose of settings.purposes) {
        for (const addressee of settings.addressees) {
          // With the annex, so that every argument's full text is read, not only the summaries.
          const built = buildBrief(detail, campaign, { purpose: purpose.id, addressee: addressee.id, only: library, annex: true });
          out.push({ where: `${name} / ${purpose.id} / ${addressee.id}`, text: built.texts.join('\n'), status: detail.agent.employmentStatus });
        }
      }
    }
    const guide = buildRightsGuideDocument(loadRightsGuide(), [{ ...WAVE_2 }], NOW);
    out.push({ where: 'rights guide', text: modelTexts(guide).join('\n'), status: 'any' });
    return out;
  }

  const FORBIDDEN: Array<[RegExp, string]> = [
    [/L2312-8(?!\d)/, 'any quotation of L2312-8'],
    [/2020-24|2020-29|23 novembre 2020/, 'unverified France Travail instructions (N)'],
    [/(délai|prescription) de (trois|3) ans|trois ans pour (poursuivre|engager)|3 ans pour (poursuivre|engager)/i, 'L1332-5 as a 3-year limit on prosecuting facts'],
    [/rappel (verbal )?(des|aux) règles (est|constitue) une sanction|observations? verbales? (est|sont|constitue\w*) une sanction/i, 'a verbal reminder is a sanction'],
    [/tout écrit (est|constitue) une sanction/i, 'every written reminder is a sanction'],
    [/toute sanction (doit être|est) précédée d.un entretien|droit (légal )?(à l.assistance|d.être assisté\S*) (lors|pendant) (d.une|de la|de cette) (réunion|entretien) informel/i, 'a prior interview for every sanction / assistance at an informal meeting'],
    [/irrecevable|(toujours|nécessairement|obligatoirement) écart[ée]|doi(t|vent) être écart[ée]/i, 'evidence from an undisclosed device is always inadmissible'],
    [/la CNIL (interdit|prohibe|défend)|durées? de conservation (obligatoire|impérative)/i, 'the CNIL forbids logs / binding retention'],
    [/(la loi|le Code du travail|légalement|obligation légale)[^.]{0,80}ferm(er|eture)/i, 'a statutory duty to shut applications'],
    [/L5312-1[^.]{0,80}autoris/i, 'L5312-1 authorises consultations'],
    [/(peu(t|vent)|pourra\w*) obtenir[^.,]{0,30}(le nom|les noms|l.identité)/i, 'job seekers obtain the agents’ names'],
    [/juridiquement (contraignant|obligatoire|opposable)|engagement[^.]{0,40}(lie juridiquement|s.impose juridiquement|a force obligatoire)/i, 'the no-sanction promise is legally binding'],
    [/avis (conforme|contraignant)|avis du CSE (lie|s.impose|est contraignant)/i, 'a binding CSE opinion'],
  ];

  it('on every argument, purpose, addressee, signature and the rights guide', () => {
    const texts = allTexts();
    assert.ok(texts.length > 100);
    const found: string[] = [];
    for (const { where, text } of texts) {
      for (const [pattern, claim] of FORBIDDEN) {
        const m = pattern.exec(text);
        if (m) found.push(`${where}: ${claim} — « ${text.slice(Math.max(0, m.index - 60), m.index + 80).replace(/\s+/g, ' ')} »`);
      }
    }
    assert.deepEqual([...new Set(found)], []);
  });

  it('never names an unverified (N) reference', () => {
    const unverified = [...references.values()].filter((ref) => ref.mark === 'N');
    assert.ok(unverified.length >= 4);
    for (const { where, text } of allTexts()) {
      for (const ref of unverified) assert.ok(!text.toLowerCase().includes(ref.label.toLowerCase()), `${where} names ${ref.id}`);
    }
  });

  it('never applies Code du travail disciplinary rules, or a computed limit, to a public-law agent', () => {
    for (const { where, text, status } of allTexts()) {
      if (status !== 'public') continue;
      assert.doesNotMatch(text, /L133[12]-\d/, `${where} cites a Code du travail disciplinary article`);
      assert.doesNotMatch(text, /délai de deux mois \(le |après l’expiration du délai|après la fin du délai|délai de deux mois qui courait/, `${where} computes a limit`);
    }
  });

  it('qualifies the rule on prior interviews whenever it states it', () => {
    let stated = 0;
    for (const { where, text } of allTexts()) {
      if (!/Lorsqu[’']une sanction est envisagée/.test(text)) continue;
      stated++;
      assert.match(text, /sauf s[’']il s[’']agit d[’']un avertissement/, `${where} states the prior-interview rule without its exception`);
    }
    assert.ok(stated > 0, 'the rule is stated somewhere (private-law procedure argument), so this check reads it');
  });
});
