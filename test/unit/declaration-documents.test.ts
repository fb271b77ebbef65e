/**
 * CSE declarations, document side, below HTTP: case fixtures (FigureCase, no names) → protected
 * figures → template context → the rep's choice of blocks (readSections) → document model →
 * PDF (read back with pdfjs, byte-exact through the fonts' ToUnicode maps, and its vector bars
 * from the content streams) and DOCX (unzipped, paragraph by paragraph).
 *
 * The reference declaration: 40 HDF cases (39 agents) and 3 IDF cases outside the scope, with
 *  - situations 20 / 12 / 2 / 6: the 2 is published « moins de 5 » (and the 6 may be masked
 *    so that the 2 cannot be found by subtraction: which cells are masked is the figures
 *    module's choice, so the expectations below read it from the figures);
 *  - commitment 3 breached (withheld), 12 at risk, 25 respected;
 *  - 3 cases convoked to a pre-disciplinary interview and given a blâme;
 *  - the direction's figures: 939 agents, 1 250 cases, 92 % / 75 % legitimate, 3,5 % national misuse.
 * The rep unticks « droit à la déconnexion », moves « service public » up, rewrites « faux
 * positifs » and adds a paragraph of their own.
 * Then: pseudonymisation, the bar charts (model and PDF vectors), the loading of
 * templates/declarations.yaml, the claims shared/legal-references.md forbids, and countPhrase().
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { TEMPLATES_DIR, loadLegalReferences } from '../../src/briefs/argument-library';
import { citationText } from '../../src/legal/legal-references';
import { commitmentQuoted, countPhrase, declarationContext, type DeclarationContext } from '../../src/declarations/declaration-context';
import { METHOD_NOTICE, buildDeclarationDocument } from '../../src/declarations/declaration-document';
import { type DeclarationSection, type DeclarationSettings, readSections, readSettings } from '../../src/declarations/declaration-draft';
import { loadDeclarationTemplates } from '../../src/declarations/declaration-templates';
import type { Block, DocumentModel } from '../../src/documents/model';
import { renderDocx } from '../../src/documents/render-docx';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import type { CampaignFigure } from '../../src/domain/campaign-metrics';
import type { CaseEvent } from '../../src/domain/case-events';
import { type DeclarationFigures, type FigureCase, type PublishedCount, computeDeclarationFigures } from '../../src/domain/declaration-figures';
import type { WorkingPattern } from '../../src/domain/off-hours';
import { type DocxText, type PdfText, exactPdfBody, extractPdf, loosen, modelTexts, readDocx, squash } from '../helpers/document-text';
import { figureCaseMaker } from '../fixtures/figure-case';

const NBSP = '\u00a0';
/** How a withheld count is printed in a table or a chart. */
const WITHHELD = /^(moins de 5|n\.c\.)$/;
/** And in a sentence. */
const WITHHELD_PHRASE = (plural: string) => new RegExp(`^(moins de 5|un nombre non communiqué de)[ \u00a0]${plural}$`);
const NNBSP = '\u202f';
const TODAY = '2026-11-20';
/** 10 h 30 in Paris. */
const COMPUTED_AT = new Date('2026-11-20T09:30:00Z');
const REGION_NAMES = new Map([
  ['HDF', 'Hauts-de-France'],
  ['IDF', 'Île-de-France'],
]);

const templates = loadDeclarationTemplates();
const references = loadLegalReferences();

const block = (id: string) => {
  const found = templates.blocks.find((b) => b.id === id);
  assert.ok(found, `templates/declarations.yaml has a block ${id}`);
  return found;
};

// ---- Fixture ------------------------------------------------------------------------------------

const DISCIPLINED: CaseEvent[] = [
  { type: 'pre_disciplinary_convocation', date: '2026-09-20', hearingDate: '2026-10-01' },
  { type: 'sanction_notified', date: '2026-10-15', sanctionKind: 'blame' },
];

/** The campaign of 2026, each report told kindly unless a case says otherwise; every case below names its agent. */
const figureCase = figureCaseMaker({ knowledgeDate: '2026-06-01', convocationDate: '2026-09-01', interviewDate: '2026-09-10', openedOn: '2026-08-20', interviewTone: 'kind' });

/**
 * 40 HDF cases, in this order:
 *  0–19 political figures, Lille Centre, reports concluding « légitime »;
 *  20–31 agents formerly job seekers, Roubaix (20–27 « illégitime », 28–31 no conclusion);
 *  32–33 job seekers formerly agents, Arras (32 no conclusion, 33 no report yet): the 2;
 *  34–39 odd hours, Valenciennes, no report yet.
 * Cases 0–2 are breached (convocation, blâme), 3–14 at risk, the rest respected; 0–5 were held
 * under pressure. Cases 0 and 1 are the same agent. Then 3 IDF cases, out of scope.
 */
function hdfCases(): FigureCase[] {
  const cases: FigureCase[] = [];
  for (let i = 0; i < 40; i++) {
    const [situation, site] =
      i < 20 ? ['political_figure', 'Lille Centre'] : i < 32 ? ['agent_ex_job_seeker', 'Roubaix'] : i < 34 ? ['job_seeker_ex_agent', 'Arras'] : ['odd_hours', 'Valenciennes'];
    cases.push(
      figureCase({
        agentId: i === 1 ? 100 : 100 + i,
        situations: [situation],
        site,
        reportOutcome: i < 20 ? 'legitimate' : i < 28 ? 'illegitimate' : i < 33 ? 'not_stated' : null,
        interviewTone: i < 6 ? 'pressure' : 'kind',
        commitmentStatus: i < 3 ? 'breached' : i < 15 ? 'at_risk' : 'respected',
        events: i < 3 ? DISCIPLINED : [],
      }),
    );
  }
  for (let i = 0; i < 3; i++) cases.push(figureCase({ agentId: 900 + i, regionCode: 'IDF', site: 'Paris Nord', situations: ['job_seeker_ex_agent'] }));
  return cases;
}

const OFFICIAL: CampaignFigure[] = [
  { scope: 'HDF', metric: 'agents_concerned', situationCode: '', value: 939, source: 's' },
  { scope: 'HDF', metric: 'cases_identified', situationCode: '', value: 1250, source: 's' },
  { scope: 'HDF', metric: 'share_legitimate_local', situationCode: '', value: 92, source: 's' },
  { scope: 'HDF', metric: 'share_legitimate_regional', situationCode: '', value: 75, source: 's' },
  { scope: 'IDF', metric: 'agents_concerned', situationCode: '', value: 777, source: 's' },
  { scope: 'national', metric: 'share_real_misuse', situationCode: '', value: 3.5, source: 's' },
];

const SETTINGS: DeclarationSettings = {
  meetingKind: 'CSE',
  bodyName: 'CSE Hauts-de-France',
  meetingDate: '2026-12-03',
  campaignId: 2,
  regions: ['HDF'],
  periodFrom: null,
  periodTo: null,
};

const CAMPAIGN = {
  name: 'Vague 2 — détournements de finalités',
  commitmentText: 'Comme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée.',
  commitmentQuote:
    'si consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France travail.',
  excludesSanctions: true,
};

function figuresOf(cases: readonly FigureCase[], official: readonly CampaignFigure[] = OFFICIAL, period = { from: null as string | null, to: null as string | null }): DeclarationFigures {
  return computeDeclarationFigures({ cases, selection: { regions: ['HDF'], period }, official, regionNames: REGION_NAMES, today: TODAY });
}

function contextOf(
  figures: DeclarationFigures,
  options: { campaign?: Partial<typeof CAMPAIGN>; computedAt?: Date; period?: { from: string | null; to: string | null } } = {},
): DeclarationContext {
  return declarationContext({
    meeting: { kind: 'CSE', kindLabel: templates.meetingKinds.find((k) => k.id === 'CSE')!.label, body: SETTINGS.bodyName, date: SETTINGS.meetingDate },
    campaign: { ...CAMPAIGN, ...options.campaign },
    scopeLabel: 'Hauts-de-France',
    period: options.period ?? { from: null, to: null },
    figures,
    computedAt: options.computedAt ?? COMPUTED_AT,
  });
}

/** Every block as proposed, ticked, in the template's order. */
function allSections(context: DeclarationContext): DeclarationSection[] {
  return templates.blocks.map((b) => ({ blockId: b.id, title: b.title, text: b.text(context), order: b.order }));
}

function build(sections: DeclarationSection[], context: DeclarationContext, figures: DeclarationFigures, versionNumber?: number): DocumentModel {
  return buildDeclarationDocument({
    draft: { settings: SETTINGS, sections },
    templates,
    context,
    figures,
    campaignName: CAMPAIGN.name,
    computedAt: COMPUTED_AT,
    author: 'CGT France Travail',
    now: COMPUTED_AT,
    ...(versionNumber ? { versionNumber } : {}),
  });
}


const charts = (model: DocumentModel) => model.blocks.filter((b): b is Extract<Block, { kind: 'barChart' }> => b.kind === 'barChart');
const factsRows = (model: DocumentModel) => model.blocks.flatMap((b) => (b.kind === 'facts' ? b.rows : []));
const headings = (model: DocumentModel, level: number) => model.blocks.flatMap((b) => (b.kind === 'heading' && b.level === level ? [b.text] : []));

interface Rendered {
  pdfBuf: Buffer;
  pdf: PdfText;
  /** Exact characters of the PDF body, wrapped lines joined. */
  exact: string;
  docx: DocxText;
}

async function render(model: DocumentModel): Promise<Rendered> {
  const [pdfBuf, docxBuf] = await Promise.all([renderPdfBuffer(model), renderDocx(model)]);
  return { pdfBuf, pdf: await extractPdf(pdfBuf), exact: exactPdfBody(pdfBuf), docx: readDocx(docxBuf) };
}

function inBoth(r: Rendered, needle: string): { pdf: boolean; docx: boolean } {
  return { pdf: squash(r.pdf.body).includes(squash(needle)), docx: squash(r.docx.text).includes(squash(needle)) };
}

function assertInBoth(r: Rendered, needle: string, what = needle) {
  assert.deepEqual(inBoth(r, needle), { pdf: true, docx: true }, `${what} should be in the PDF and the DOCX`);
}

function assertInNeither(r: Rendered, needle: string, what = needle) {
  assert.deepEqual(inBoth(r, needle), { pdf: false, docx: false }, `${what} should be in neither the PDF nor the DOCX`);
}

/** Every decompressed content stream of a PDF (the ones that are not Flate data are skipped). */
function contentStreams(buf: Buffer): string[] {
  const text = buf.toString('latin1');
  const out: string[] = [];
  const marker = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end === -1) break;
    try {
      out.push(inflateSync(buf.subarray(start, end)).toString('latin1'));
    } catch {
      // fonts and images that are not deflated, or trailing bytes pdfkit leaves: not content
    }
    marker.lastIndex = end + 'endstream'.length;
  }
  return out;
}

/** The rectangles filled in the chart colour (#a3161a), as [x, y, width, height], in drawing order. */
function redRectangles(buf: Buffer): number[][] {
  const rects: number[][] = [];
  const op = /([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re\s+(?:\/DeviceRGB cs\s+)?([\d.]+) ([\d.]+) ([\d.]+) (?:scn|rg)\s+f\b/g;
  for (const stream of contentStreams(buf)) {
    for (const m of stream.matchAll(op)) {
      const [r, g, b] = [m[5], m[6], m[7]].map((v) => Math.round(Number(v) * 255));
      if (r === 0xa3 && g === 0x16 && b === 0x1a) rects.push([1, 2, 3, 4].map((i) => Number(m[i])));
    }
  }
  return rects;
}

/**
 * A bar chart as the PDF's text layer has it: labels in the left column, values right of the
 * axis (a wrapped label may put its value on a line of its own, between its lines).
 */
function chartInPdf(pdf: PdfText, title: string, allLabels: string): { labels: string; values: string[] } {
  for (const page of pdf.pages) {
    const at = page.lines.findIndex((l) => squash(l.text) === squash(title));
    if (at === -1) continue;
    let labels = '';
    const values: string[] = [];
    for (const line of page.lines.slice(at + 1)) {
      for (const item of line.items) {
        // The label column ends at 36 % of the width (62 + 170 pt); the bars start at 240 pt.
        if (item.x >= 236) values.push(squash(item.str));
        else labels += item.str;
      }
      if (squash(labels).length >= squash(allLabels).length) break;
    }
    return { labels: squash(labels), values: values.filter(Boolean) };
  }
  assert.fail(`no chart « ${title} » in the PDF`);
}

/** Bars are 11 points high; the accent rule under the title is 2.2. */
const barRectangles = (buf: Buffer) => redRectangles(buf).filter(([, , , h]) => Math.abs(h! - 11) < 0.01);

// ---- The reference declaration ----------------------------------------------------------------

const EDITED = 'Texte réécrit par l’élue : même la direction parle désormais de « nombreux faux positifs », et nous le répétons en séance.';
const FREE_TITLE = 'Le témoignage des collègues de Roubaix';
const FREE_TEXT = 'Plusieurs collègues nous ont dit avoir découvert la procédure en recevant leur convocation.\n\nNous demandons qu’ils soient reçus avec leurs représentant·es.';
const UNTICKED = 'right_to_disconnect';

describe('a declaration for the CSE Hauts-de-France', () => {
  const figures = figuresOf(hdfCases());
  const context = contextOf(figures);
  let sections: DeclarationSection[];
  let model: DocumentModel;
  let r: Rendered;

  before(async () => {
    // The blocks form as the page posts it: every block ticked with its proposed text, but one.
    const body: Record<string, unknown> = {};
    for (const b of templates.blocks) {
      if (b.id !== UNTICKED) body[`b_${b.id}_include`] = 'on';
      body[`b_${b.id}_text`] = b.text(context);
      body[`b_${b.id}_order`] = String(b.order);
    }
    body.b_public_service_order = '15';
    body.b_false_positives_text = EDITED;
    body.free_1_title = FREE_TITLE;
    body.free_1_text = FREE_TEXT.replace(/\n/g, '\r\n');
    const read = readSections(body, templates.blocks);
    assert.deepEqual(read.errors, {});
    sections = read.sections;
    model = build(sections, context, figures, 1);
    r = await render(model);
  });

  it('keeps the ticked blocks in the chosen order, with the edited text and the free paragraph last', () => {
    assert.deepEqual(
      sections.map((s) => s.blockId),
      ['opening', 'public_service', 'figures', 'commitment', 'false_positives', 'employer_responsibility', 'demands', null],
    );
    assert.equal(sections.find((s) => s.blockId === 'false_positives')!.text, EDITED);
    assert.deepEqual(sections.at(-1), { blockId: null, title: FREE_TITLE, text: FREE_TEXT, order: 91 });
  });

  it('reads the settings form into the settings the declaration is built with', () => {
    const read = readSettings(
      { meetingKind: 'CSE', bodyName: ' CSE Hauts-de-France ', meetingDate: '2026-12-03', campaignId: '2', regions: 'HDF', periodFrom: '', periodTo: '' },
      { meetingKinds: templates.meetingKinds.map((k) => k.id), campaignIds: [1, 2], regions: ['HDF'], nationalAllowed: false },
    );
    assert.deepEqual(read.errors, {});
    assert.deepEqual(read.settings, SETTINGS);
  });

  it('has the title, the meeting and the campaign, in the PDF and the DOCX', () => {
    assert.equal(model.title, 'Déclaration préalable de la CGT');
    assert.equal(model.subtitle, 'CSE Hauts-de-France — séance du 3 décembre 2026');
    assert.equal(model.fileName, 'declaration-cse-hauts-de-france-2026-12-03-v1');
    assert.match(model.fileName, /^[\x20-\x7e]+$/);
    assertInBoth(r, 'Déclaration préalable de la CGT', 'the title');
    assertInBoth(r, 'CSE Hauts-de-France — séance du 3 décembre 2026', 'the subtitle');
    assert.equal(r.docx.paragraphs.find((p) => p.style === 'Title')?.text, 'Déclaration préalable de la CGT');
    assert.equal(r.pdf.info.Title, 'Déclaration préalable de la CGT');
    for (const needle of ['Instance', 'CSE Hauts-de-France', 'Séance', CAMPAIGN.name, 'Périmètre', 'Hauts-de-France']) assertInBoth(r, needle);
    // Figures frozen at 10 h 30 in Paris (09:30 UTC in November).
    assertInBoth(r, '20 novembre 2026 à 10 h 30', 'when the figures were computed, Paris time');
    r.pdf.pages.forEach((page, i) => assert.match(page.lines[0]!.text, /^CGT France Travail\s*CSE du 3 décembre 2026 — version 1$/, `page ${i + 1} header`));
    assert.ok(!factsRows(model).some((row) => row.label === 'Période'), 'no period row for the whole campaign');
  });

  it('prints the figures: the direction’s, the cases followed, « moins de 5 » and « n.c. » for withheld counts', () => {
    // Exact characters: no-break space between number and noun, narrow no-break space in 1 250.
    for (const needle of [`Nous suivons 40${NBSP}dossiers concernant un nombre non communiqué d’agents`, `soit 40 des 1${NNBSP}250 cas identifiés par la direction (3${NBSP}%)`, `la direction a recensé 1${NNBSP}250 cas`]) {
      assert.ok(r.exact.includes(needle), `PDF: ${needle}`);
      assert.ok(r.docx.text.includes(needle), `DOCX: ${needle}`);
    }
    assertInBoth(r, `71${NBSP}% des comptes rendus qui concluent reconnaissent la légitimité`);
    // The direction's shares, quoted by the « faux positifs » block as proposed (the rep rewrote it here).
    const falsePositives = block('false_positives').text(context);
    assert.ok(falsePositives.includes(`Les managers locaux en ont jugé 92${NBSP}% légitimes, un taux que la direction régionale a ramené à 75${NBSP}%.`), falsePositives);
    assert.ok(falsePositives.includes(`environ 3,5${NBSP}% la part de détournements réels`), falsePositives);
    assert.match(context.figures.breached, WITHHELD_PHRASE('dossiers'));
    assert.match(context.figures.sanctions, new RegExp(`${WITHHELD_PHRASE('dossiers').source.slice(0, -1)} avec un blâme$`));
    assertInBoth(r, `l’engagement est rompu dans ${context.figures.breached}, menacé dans ${context.figures.atRisk} et respecté dans ${context.figures.respected}.`);
    assertInBoth(r, `Des sanctions ont été notifiées : ${context.figures.sanctions}.`);
    assertInBoth(r, `Entretiens rapportés comme menés sous pression ou avec des menaces : 6.`);
    // Facts tables.
    const rows = Object.fromEntries(factsRows(model).map((row) => [row.label, row.value]));
    assert.equal(rows['Dossiers suivis par la CGT'], '40');
    assert.equal(rows['Agents suivis par la CGT'], 'n.c.'); // 40 − 39 would count the agent flagged twice
    assert.equal(rows['Agents concernés'], '939');
    assert.equal(rows['Cas identifiés'], `1${NNBSP}250`);
    assert.equal(rows['Part des consultations jugées légitimes après revue par la direction régionale'], `75${NBSP}%`);
    assert.equal(rows['Part estimée de détournements réels, au niveau national (estimation de la direction)'], `3,5${NBSP}%`);
    assert.equal(rows['Dossiers suivis — Lille Centre'], '20');
    // Sites under 5 are pooled, never named.
    assert.equal(rows['Dossiers suivis — Arras'], undefined);
    assert.match(rows['Dossiers suivis — Autres sites (moins de 5 dossiers chacun)']!, WITHHELD);
    assert.equal(rows['Dossiers suivis — Valenciennes'], figures.bySite.find((c) => c.label === 'Valenciennes')?.display);
    assert.match(rows['Dossiers avec une convocation à un entretien préalable à sanction']!, WITHHELD);
    assert.match(rows['Dossiers avec une sanction notifiée : blâme']!, WITHHELD);
    assert.match(rows['Dossiers (droit privé) où une étape disciplinaire semble hors des délais du Code du travail']!, WITHHELD);
    assertInBoth(r, 'Chiffres communiqués par la direction');
    assert.ok(headings(model, 2).includes('Chiffres communiqués par la direction'));
    // The other region's figures and sites stay out.
    assertInNeither(r, '777');
    assertInNeither(r, 'Paris Nord');
  });

  it('shows the chosen blocks’ headings in the chosen order, the untitled opening first', () => {
    const expected = ['public_service', 'figures', 'commitment', 'false_positives', 'employer_responsibility', 'demands'].map((id) => block(id).title);
    expected.push(FREE_TITLE);
    assert.deepEqual(headings(model, 1), expected);
    assert.deepEqual(r.docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text), expected);
    const body = squash(r.pdf.body);
    const opening = body.indexOf(squash('Les élu·es CGT veulent revenir'));
    assert.ok(opening >= 0, 'the opening is in the PDF');
    let last = opening;
    for (const title of expected) {
      const at = body.indexOf(squash(title), last);
      assert.ok(at > last, `« ${title} » comes after the previous section in the PDF`);
      last = at;
    }
    const docxAt = (text: string) => r.docx.paragraphs.findIndex((p) => p.text.includes(text));
    assert.ok(docxAt('Les élu·es CGT veulent revenir') < docxAt(block('public_service').title));
  });

  it('prints each chosen block’s text, as proposed', () => {
    for (const id of ['opening', 'public_service', 'employer_responsibility']) {
      for (const paragraph of block(id).text(context).split(/\n\s*\n/)) assertInBoth(r, paragraph, `a paragraph of ${id}`);
    }
  });

  it('prints the edited text instead of the proposed one', () => {
    assertInBoth(r, EDITED, 'the edited text');
    assertInNeither(r, 'Une requête qui se trompe dans la grande majorité des cas', 'the proposed text of the edited block');
  });

  it('prints the rep’s own paragraph under its title, after the last block', () => {
    assertInBoth(r, 'Plusieurs collègues nous ont dit avoir découvert la procédure en recevant leur convocation.');
    assertInBoth(r, 'Nous demandons qu’ils soient reçus avec leurs représentant·es.');
    assert.ok(r.docx.paragraphs.some((p) => p.style === 'Heading1' && p.text === FREE_TITLE));
    const body = squash(r.pdf.body);
    assert.ok(body.indexOf(squash(FREE_TEXT.split('\n')[0]!)) > body.indexOf(squash('annexée au procès-verbal')));
  });

  it('leaves the unticked block out: no heading, no text, no reference', () => {
    assertInNeither(r, block(UNTICKED).title, 'the unticked block’s heading');
    assertInNeither(r, 'le soir ou le week-end', 'the unticked block’s text');
    assertInNeither(r, 'L2242-17', 'the unticked block’s reference');
    assert.ok(!modelTexts(model).some((t) => t.includes('L2242-17')));
  });

  it('lists each block’s references under it, in both formats', () => {
    const cited = ['commitment', 'employer_responsibility', 'demands'].map((id) => block(id).citations.map(citationText));
    assert.deepEqual(
      model.blocks.filter((b) => b.kind === 'citations').map((b) => (b as Extract<Block, { kind: 'citations' }>).items),
      cited,
    );
    assert.ok(cited.flat().includes('Article L2312-38 du Code du travail'));
    assert.ok(cited.flat().includes('Article L1222-1 du Code du travail'));
    assert.deepEqual(r.docx.references, cited.flat());
    const body = squash(r.pdf.body);
    for (const items of cited) {
      const list = squash(`Références :${items.map((i) => `–${i}`).join('')}`);
      assert.ok(body.includes(list), `PDF references: ${items.join(' | ')}`);
    }
    // L1222-1 is cited right after the commitment block, before the next heading.
    const at = body.indexOf(squash('Article L1222-1 du Code du travail'));
    assert.ok(at > body.indexOf(squash(block('commitment').title)) && at < body.indexOf(squash(block('false_positives').title)));
  });

  it('signs, then ends with the method notice', () => {
    assert.deepEqual(model.blocks.at(-2), { kind: 'signature', lines: ['Les élu·es et représentant·es CGT France Travail', 'CSE Hauts-de-France, séance du 3 décembre 2026'] });
    assert.deepEqual(model.blocks.at(-1), { kind: 'notice', text: METHOD_NOTICE });
    assertInBoth(r, 'CSE Hauts-de-France, séance du 3 décembre 2026', 'the signature');
    assertInBoth(r, METHOD_NOTICE, 'the method notice');
    assert.match(r.pdf.pages.at(-1)!.bodyLines.join(' '), /sans aucun nom/);
  });

  it('renders the demands as a bulleted list, not as lines starting with « - »', () => {
    const list = model.blocks.find((b) => b.kind === 'list') as Extract<Block, { kind: 'list' }> | undefined;
    assert.ok(list, 'a list block');
    assert.equal(list.ordered, false);
    const items = list.items.map((i) => i.map((run) => run.text).join(''));
    assert.equal(items.length, 4);
    assert.ok(items[0]!.startsWith("l’arrêt du dispositif de détection"), items[0]);
    assert.ok(items.every((i) => !i.startsWith('-')));
    // The sentence before the list stays a paragraph.
    assert.ok(model.blocks.some((b) => b.kind === 'paragraph' && b.runs[0]!.text === `La CGT demande${NNBSP}:`));
    // PDF: a bullet, then the item.
    const lines = r.pdf.pages.flatMap((p) => p.bodyLines);
    assert.ok(lines.some((l) => /^•\s*l’arrêt du dispositif/.test(l)), 'a bullet before the first demand in the PDF');
    assert.ok(!lines.some((l) => /^-\s*l’arrêt/.test(l)));
    // DOCX: numbered paragraphs (Word bullets), one per item.
    for (const item of items) {
      const paragraph = r.docx.paragraphs.find((p) => p.text === item);
      assert.ok(paragraph, `a DOCX paragraph for « ${item.slice(0, 30)}… »`);
      assert.match(paragraph.xml, /<w:numPr>/);
    }
    assert.ok(!r.docx.paragraphs.some((p) => /^- l’arrêt/.test(p.text)));
  });

  it('has two bar charts, by situation and by commitment status, drawn from the figures', () => {
    const [bySituation, byStatus] = charts(model);
    assert.equal(charts(model).length, 2);
    assert.equal(bySituation!.title, 'Dossiers suivis par situation signalée');
    // A shown count is drawn at its value, a withheld one at 0 with its « moins de 5 » or « n.c. ».
    const asBars = (counts: PublishedCount[]) => counts.map((c) => [c.label, c.state === 'shown' ? c.value : 0, c.display]);
    assert.deepEqual(bySituation!.bars.map((b) => [b.label, b.value, b.display]), asBars(figures.bySituation));
    assert.deepEqual(
      bySituation!.bars.slice(0, 3).map((b) => [b.label, b.value, b.display]),
      [
        ['Dossier d’une personnalité politique', 20, '20'],
        ['Dossier d’un·e agent FT ex-demandeur·se d’emploi', 12, '12'],
        ['Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT', 0, 'moins de 5'],
      ],
    );
    assert.equal(bySituation!.bars[3]!.label, 'Consultations répétées à des horaires hors normes');
    // Every situation has its bar, even at 0: a bar drawn only when non-zero would say « at least 1 ».
    assert.deepEqual(bySituation!.bars[4]!.label, 'Autre situation de conflit d’intérêts');
    assert.equal(byStatus!.title, 'Dossiers suivis par état de l’engagement');
    assert.deepEqual(byStatus!.bars.map((b) => [b.label, b.value, b.display]), asBars(figures.commitment));
    assert.deepEqual(byStatus!.bars.map((b) => b.label), ['Engagement rompu', 'Engagement menacé', 'Engagement respecté']);
    assert.equal(byStatus!.bars[0]!.value, 0);
    assert.match(byStatus!.bars[0]!.display!, WITHHELD);
    // Each chart sits in its block, after its text.
    const index = (b: Block) => model.blocks.indexOf(b);
    const headingAt = (id: string) => model.blocks.findIndex((b) => b.kind === 'heading' && b.text === block(id).title);
    assert.ok(index(bySituation!) > headingAt('figures') && index(bySituation!) < headingAt('commitment'));
    assert.ok(index(byStatus!) > headingAt('commitment') && index(byStatus!) < headingAt('false_positives'));
  });

  it('writes the charts’ titles, labels and values in the PDF, and as tables in the DOCX', () => {
    for (const chart of charts(model)) {
      assertInBoth(r, chart.title);
      const pdfChart = chartInPdf(r.pdf, chart.title, chart.bars.map((b) => b.label).join(''));
      assert.equal(pdfChart.labels, squash(chart.bars.map((b) => b.label).join('')), 'PDF: the labels, in order');
      assert.deepEqual(pdfChart.values, chart.bars.map((b) => squash(b.display!)), 'PDF: the values, in order');
      for (const bar of chart.bars) {
        const label = r.docx.paragraphs.findIndex((p) => p.text === bar.label);
        assert.ok(label >= 0, `DOCX: a cell for « ${bar.label} »`);
        assert.equal(r.docx.paragraphs[label + 1]!.text, bar.display, `DOCX: the value of « ${bar.label} »`);
      }
    }
  });

  it('draws the bars as vector rectangles scaled to the largest value, and none for a withheld count', () => {
    const drawn = barRectangles(r.pdfBuf);
    // Chart by chart, the bars with a value, as a percentage of the chart's longest.
    const expected = charts(model).map((chart) => {
      const values = chart.bars.map((b) => b.value).filter((v) => v > 0);
      return values.map((v) => Math.round((100 * v) / Math.max(...values)));
    });
    // At least 20 and 12 in the first chart and 25 in the second; withheld counts draw nothing.
    assert.deepEqual(expected[0]!.slice(0, 2), [100, 60]);
    assert.ok(expected[1]!.includes(100));
    assert.equal(drawn.length, expected.flat().length, `bars drawn: ${JSON.stringify(drawn)}`);
    let at = 0;
    const actual = expected.map((chart) => {
      const slice = drawn.slice(at, (at += chart.length));
      const full = Math.max(...slice.map((b) => b[2]!));
      assert.ok(full > 100, 'the longest bar is long');
      return slice.map((b) => Math.round((100 * b[2]!) / full));
    });
    assert.deepEqual(actual, expected);
  });
});

// ---- Pseudonymisation ---------------------------------------------------------------------------

describe('pseudonymisation: an exact small count never reaches the document', () => {
  const figures = figuresOf(hdfCases());
  const context = contextOf(figures);
  const model = build(allSections(context), context, figures);
  const json = JSON.stringify(model);
  let r: Rendered;

  before(async () => {
    r = await render(model);
  });

  it('the 2 cases of one situation are « moins de 5 », and its bar is worth 0', () => {
    const bar = charts(model)[0]!.bars.find((b) => b.label === 'Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT');
    assert.deepEqual(bar, { label: 'Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT', value: 0, display: 'moins de 5' });
  });

  /**
   * Whether a reader of the document pins a withheld cell to its true value, knowing that the
   * cells add up to the printed number of cases, that « moins de 5 » is 1 to 4 and « n.c. » 0 or
   * 5 and more (small-counts.ts), by trying every combination.
   */
  function pinned(displays: string[], total: number, target: number, truth: number): boolean {
    const domain = (d: string): number[] =>
      d === 'moins de 5' ? [1, 2, 3, 4] : d === 'n.c.' ? [0, ...Array.from({ length: Math.max(0, total - 4) }, (_, i) => i + 5)] : [Number(d.replace(/\s/g, ''))];
    const domains = displays.map(domain);
    const possible = new Set<number>();
    const walk = (i: number, sum: number, chosen: number): void => {
      if (sum > total) return;
      if (i === domains.length) {
        if (sum === total) possible.add(chosen);
        return;
      }
      for (const v of domains[i]!) walk(i + 1, sum + v, i === target ? v : chosen);
    };
    walk(0, 0, -1);
    return possible.size === 1 && possible.has(truth);
  }

  it('no small count can be worked out by subtraction from a chart or a table of the document', () => {
    const total = Number(factsRows(model).find((row) => row.label === 'Dossiers suivis par la CGT')!.value);
    assert.equal(total, 40);
    // Each fixture case has one situation, one commitment status and one site: each table adds up to 40.
    const [bySituation, byStatus] = charts(model);
    const sites = factsRows(model).filter((row) => row.label.startsWith('Dossiers suivis — '));
    const secrets: Array<[string, string[], number, number]> = [
      ['situation with 2 cases', bySituation!.bars.map((b) => b.display!), 2, 2],
      ['3 breached commitments', byStatus!.bars.map((b) => b.display!), 0, 3],
      ['sites under 5, pooled', sites.map((row) => row.value), sites.findIndex((row) => row.label.startsWith('Dossiers suivis — Autres sites')), 2],
    ];
    for (const [what, displays, target, truth] of secrets) {
      assert.ok(target >= 0 && displays.length > 1, what);
      assert.match(displays[target]!, WITHHELD, what);
      assert.ok(!pinned(displays, total, target, truth), `${what}: ${displays.join(' / ')} gives it away`);
    }
    // The reader does catch a table that withholds only the small cell.
    assert.ok(pinned(['20', '12', 'moins de 5', '6'], 40, 2, 2));
  });

  it('no bar anywhere carries a value from 1 to 4, and every withheld bar is worth 0', () => {
    for (const chart of charts(model)) {
      for (const bar of chart.bars) {
        assert.ok(bar.value === 0 || bar.value >= 5, `${chart.title} / ${bar.label}: ${bar.value}`);
        if (bar.display === 'moins de 5' || bar.display === 'n.c.') assert.equal(bar.value, 0, `${bar.label} is withheld but drawn`);
      }
    }
    assert.doesNotMatch(json, /"value":(?:[1-4]|"[1-4]")[,}]/);
    // The small counts of the fixture: 2 (situation, site), 3 (breached, convocations, blâmes, late steps).
    assert.doesNotMatch(json, /"(value|display)":(?:[23]|"[23]")[,}]/);
  });

  it('no text gives a count from 1 to 4, « 2 dossiers » least of all', () => {
    const smallCount = /(^|[^\d\u202f,.\-])[1-4][\s\u00a0]+(dossiers?|agents?|entretiens?|comptes rendus|compte rendu|blâmes?|sanctions?)\b/;
    for (const text of modelTexts(model)) assert.doesNotMatch(text, smallCount, text);
    assert.doesNotMatch(r.exact, smallCount);
    assert.doesNotMatch(r.docx.text, smallCount);
    for (const text of [r.exact, r.docx.text, json]) {
      assert.ok(!text.includes(`2${NBSP}dossiers`) && !text.includes('2 dossiers'));
    }
  });

  it('holds no name and no agent identifier', () => {
    // FigureCase carries agent ids, never names: neither may come out.
    for (const id of ['agentId', '"100"', '"134"']) assert.ok(!json.includes(id), id);
  });
});

// ---- Bar charts follow the blocks ---------------------------------------------------------------

describe('bar charts come with the figures and commitment blocks only', () => {
  const figures = figuresOf(hdfCases());
  const context = contextOf(figures);
  const without = allSections(context).filter((s) => s.blockId !== 'figures' && s.blockId !== 'commitment');

  it('none when both blocks are unticked, in the model and in the PDF, which still renders', async () => {
    const model = build(without, context, figures);
    assert.equal(charts(model).length, 0);
    assert.ok(!factsRows(model).some((row) => row.label === 'Dossiers suivis par la CGT'), 'no figures table either');
    const r = await render(model);
    assert.equal(barRectangles(r.pdfBuf).length, 0);
    assertInNeither(r, 'Dossiers suivis par situation signalée');
    assertInNeither(r, 'Dossiers suivis par état de l’engagement');
    assertInBoth(r, METHOD_NOTICE);
  });

  it('one each when one block is ticked, whatever the text the rep wrote in it', () => {
    const figuresOnly = build([...without, { blockId: 'figures', title: 'Nos chiffres', text: 'Texte entièrement réécrit.', order: 20 }], context, figures);
    assert.deepEqual(charts(figuresOnly).map((c) => c.title), ['Dossiers suivis par situation signalée']);
    assert.ok(factsRows(figuresOnly).some((row) => row.label === 'Agents concernés' && row.value === '939'));
    const commitmentOnly = build([...without, { ...allSections(context).find((s) => s.blockId === 'commitment')! }], context, figures);
    assert.deepEqual(charts(commitmentOnly).map((c) => c.title), ['Dossiers suivis par état de l’engagement']);
  });
});

// ---- The template file --------------------------------------------------------------------------

describe('templates/declarations.yaml', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigie-declarations-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of templates/ with declarations.yaml edited. */
  function copyWith(name: string, edit: (yaml: string) => string): string {
    const target = path.join(dir, name);
    cpSync(TEMPLATES_DIR, target, { recursive: true });
    const file = path.join(target, 'declarations.yaml');
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    assert.notEqual(after, before, 'the edit changed the file');
    writeFileSync(file, after);
    return target;
  }

  it('loads the real file: meeting kinds, blocks in order, their attachments and references', () => {
    assert.deepEqual(templates.meetingKinds.map((k) => k.id), ['CSE', 'CSEC']);
    assert.deepEqual(
      templates.blocks.map((b) => b.id),
      ['opening', 'figures', 'commitment', 'false_positives', 'right_to_disconnect', 'public_service', 'employer_responsibility', 'demands'],
    );
    const orders = templates.blocks.map((b) => b.order);
    assert.deepEqual(orders, [...orders].sort((a, b) => a - b));
    assert.deepEqual(
      templates.blocks.filter((b) => b.attach).map((b) => [b.id, b.attach]),
      [
        ['figures', 'figures'],
        ['commitment', 'commitment'],
      ],
    );
    assert.deepEqual(block('demands').citations.map((c) => c.id), ['ct-l2312-38', 'ct-l1222-4']);
    for (const b of templates.blocks) for (const c of b.citations) assert.notEqual(c.mark, 'N', `${b.id} cites ${c.id}`);
  });

  it('is refused when a block cites ct-l2312-8, marked N, naming the block', () => {
    assert.equal(references.get('ct-l2312-8')?.mark, 'N');
    const copy = copyWith('n-mark', (yaml) => yaml.replace('citations: [ct-l2312-38, ct-l1222-4]', 'citations: [ct-l2312-38, ct-l2312-8]'));
    assert.throws(() => loadDeclarationTemplates(copy), /block demands cites ct-l2312-8, which is not verified \(N\)/);
  });

  it('is refused when a block cites an unknown reference, naming the block', () => {
    const copy = copyWith('unknown', (yaml) => yaml.replace('citations: [ct-l1222-1]', 'citations: [ct-l1222-1, ct-l9999-9]'));
    assert.throws(() => loadDeclarationTemplates(copy), /block commitment cites unknown reference ct-l9999-9/);
  });

  it('is refused when two blocks share an id', () => {
    const copy = copyWith('duplicate', (yaml) => yaml.replace('- id: public_service', '- id: opening'));
    assert.throws(() => loadDeclarationTemplates(copy), /duplicate block id opening/);
  });

  it('loads from a copy left as is (the refusals above come from the edits)', () => {
    const copy = copyWith('untouched', (yaml) => `${yaml}\n`);
    assert.deepEqual(loadDeclarationTemplates(copy).blocks.map((b) => b.id), templates.blocks.map((b) => b.id));
  });
});

// ---- Claims the app must never make -------------------------------------------------------------

describe('no declaration text makes a claim legal-references.md forbids', () => {
  const OFFICE: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:00' };
  /** 20 cases with odd-hours consultations the evening before the interview, so the odd-hours and delay sentences appear. */
  const withOddHours = [
    ...hdfCases(),
    ...Array.from({ length: 20 }, (_, i) =>
      figureCase({
        agentId: 500 + i,
        situations: ['odd_hours'],
        interviewDate: '2026-09-16',
        consultations: ['2026-09-14T19:30:00Z', '2026-09-15T08:00:00Z'],
        workingPattern: i < 10 ? OFFICE : { days: [1, 2, 3, 4, 5], start: '19:00', end: '23:00' },
      }),
    ),
  ];
  const variants: Array<[string, DeclarationContext]> = [
    ['reference fixture, no-sanction commitment', contextOf(figuresOf(hdfCases()))],
    ['reference fixture, no commitment', contextOf(figuresOf(hdfCases()), { campaign: { excludesSanctions: false, commitmentText: '' } })],
    ['odd hours and delays, over a period', contextOf(figuresOf(withOddHours, OFFICIAL, { from: '2026-09-01', to: '2026-10-31' }), { period: { from: '2026-09-01', to: '2026-10-31' } })],
    ['no case at all, no official figure', contextOf(figuresOf([], []))],
  ];
  const texts = variants.map(([name, context]) => ({
    name,
    context,
    text: [...templates.blocks.map((b) => b.text(context)), ...templates.signature(context), METHOD_NOTICE].join('\n\n'),
  }));

  const FORBIDDEN: Array<[RegExp, string]> = [
    [/avis (conforme|contraignant|obligatoire)|avis du CSE (lie|s.impose|est contraignant|oblige)|li(e|ent) l.employeur|s.impose à l.employeur|l.employeur est tenu de suivre/i, 'a binding CSE opinion'],
    [/L2312-8(?!\d)/, 'any quotation of L2312-8'],
    [/(la loi|le Code du travail|légalement|obligation légale)[^.]{0,80}ferm(er|eture)/i, 'a statutory duty to shut applications'],
    [/la loi (oblige|impose|exige)|obligation légale de fermer|légalement (tenu|obligé)|droit à la déconnexion (oblige|impose)/i, 'the right to disconnect as a legal obligation'],
    [/rappel (verbal )?(des|aux) règles[^.]{0,20}(est|constitue|vaut)[^.]{0,20}sanction/i, 'a rappel aux règles is a sanction'],
    [/tout écrit (est|constitue) une sanction/i, 'every written reminder is a sanction'],
    [/juridiquement (contraignant|obligatoire|opposable)|engagement[^.]{0,40}(lie juridiquement|s.impose juridiquement|a force obligatoire)/i, 'the no-sanction promise is legally binding'],
    [/la CNIL (interdit|prohibe|défend)/i, 'the CNIL forbids logs'],
    [/2020-24|2020-29|23 novembre 2020/, 'unverified France Travail instructions (N)'],
  ];

  it('the variants produce the sentences worth checking', () => {
    const oddHours = texts.find((t) => t.name.startsWith('odd hours'))!;
    assert.match(oddHours.text, /ont eu lieu, à l’heure locale de l’agent, en dehors de ses horaires déclarés/);
    assert.match(oddHours.text, /il s’est écoulé en médiane/);
    assert.match(oddHours.text, /dossiers placés du 1er septembre 2026 au 31 octobre 2026/);
    assert.match(texts[1]!.text, /aucun engagement de non-sanction/);
    assert.match(texts[0]!.text, /fermer les accès/, 'the right-to-disconnect paragraph is among the texts');
  });

  it('in every default text, for every variant', () => {
    const found: string[] = [];
    for (const { name, text } of texts) {
      for (const [pattern, claim] of FORBIDDEN) {
        const m = pattern.exec(text);
        if (m) found.push(`${name}: ${claim} — « ${text.slice(Math.max(0, m.index - 60), m.index + 80).replace(/\s+/g, ' ')} »`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('leaves no template variable unfilled', () => {
    for (const { name, text } of texts) assert.doesNotMatch(text, /\{\{|\}\}|undefined|NaN|\[object Object\]|null/, name);
  });

  it('never names an unverified (N) reference', () => {
    const unverified = [...references.values()].filter((ref) => ref.mark === 'N');
    assert.ok(unverified.length >= 4);
    for (const { name, text } of texts) {
      for (const ref of unverified) assert.ok(!text.toLowerCase().includes(ref.label.toLowerCase()), `${name} names ${ref.id}`);
    }
  });

  it('in the rendered PDF and DOCX with every block, and the P reference cited with its caution', async () => {
    const figures = figuresOf(withOddHours, OFFICIAL, { from: '2026-09-01', to: '2026-10-31' });
    const context = texts[2]!.context;
    const model = build(allSections(context), context, figures);
    const r = await render(model);
    for (const [pattern, claim] of FORBIDDEN) {
      assert.doesNotMatch(loosen(r.exact), pattern, `PDF: ${claim}`);
      assert.doesNotMatch(r.docx.text.replace(/\n/g, ' '), pattern, `DOCX: ${claim}`);
    }
    assertInBoth(r, 'Article L2242-17, 7° du Code du travail (à titre indicatif, à apprécier au cas par cas)');
    assertInBoth(r, 'Selon notre lecture du Code du travail');
    assertInBoth(r, 'dossiers placés du 1er septembre 2026 au 31 octobre 2026', 'the period row');
  });

  it('renders a declaration with no case at all', async () => {
    const figures = figuresOf([], []);
    const context = texts[3]!.context;
    const model = build(allSections(context), context, figures);
    assert.ok(charts(model).every((c) => c.bars.every((b) => b.value === 0)));
    const r = await render(model);
    assertInBoth(r, `Nous suivons 0${NBSP}dossier concernant 0${NBSP}agent.`);
    assert.equal(barRectangles(r.pdfBuf).length, 0);
    assertInBoth(r, METHOD_NOTICE);
  });
});

// ---- countPhrase and the context ----------------------------------------------------------------

describe('countPhrase', () => {
  const shown = (value: number) => ({ state: 'shown' as const, value });

  it('is singular for 0 and 1, plural from 2, with a no-break space between number and noun', () => {
    assert.equal(countPhrase(shown(0), 'dossier', 'dossiers'), `0${NBSP}dossier`);
    assert.equal(countPhrase(shown(1), 'dossier', 'dossiers'), `1${NBSP}dossier`);
    assert.equal(countPhrase(shown(2), 'dossier', 'dossiers'), `2${NBSP}dossiers`);
    assert.equal(countPhrase(shown(12), 'compte rendu', 'comptes rendus'), `12${NBSP}comptes rendus`);
  });

  it('groups thousands the French way', () => {
    assert.equal(countPhrase(shown(1250), 'agent', 'agents'), `1${NNBSP}250${NBSP}agents`);
  });

  it('says « moins de 5 » with the plural for a small count, whatever value it is handed', () => {
    assert.match(countPhrase({ state: 'small', value: null }, 'dossier', 'dossiers'), /^moins de 5[ \u00a0]dossiers$/);
    assert.match(countPhrase({ state: 'small', value: 1 }, 'blâme', 'blâmes'), /^moins de 5[ \u00a0]blâmes$/);
  });

  it('says « un nombre non communiqué de » for a masked count', () => {
    assert.equal(countPhrase({ state: 'masked', value: null }, 'dossier', 'dossiers'), 'un nombre non communiqué de dossiers');
    assert.equal(countPhrase({ state: 'masked', value: 7 }, 'sanction', 'sanctions'), 'un nombre non communiqué de sanctions');
  });

  it(
    'elides « de » before a vowel: « un nombre non communiqué d’entretiens »',
    () => {
      assert.match(countPhrase({ state: 'masked', value: null }, 'entretien', 'entretiens'), /^un nombre non communiqué d[’']entretiens$/);
      assert.match(countPhrase({ state: 'masked', value: null }, 'avertissement', 'avertissements'), /^un nombre non communiqué d[’']avertissements$/);
      // As a declaration prints it when the count of avertissements is masked (as the blâmes of the reference fixture are).
      const figures = figuresOf(hdfCases());
      const masked = { key: 'avertissement', label: 'Dossiers avec une sanction notifiée : avertissement', state: 'masked' as const, value: null, display: 'n.c.' };
      const text = block('commitment').text(contextOf({ ...figures, sanctions: [masked] }));
      assert.match(text, /Des sanctions ont été notifiées/);
      assert.doesNotMatch(text, /\bde avertissements\b/);
    },
  );

  it('makes the context’s phrases from the figures', () => {
    const context = contextOf(figuresOf(hdfCases()));
    assert.equal(context.figures.cases, `40${NBSP}dossiers`);
    assert.match(context.figures.breached, WITHHELD_PHRASE('dossiers'));
    // The situation of 2 cases, and the site of 2 cases, are small: « moins de 5 ».
    assert.equal(figuresOf(hdfCases()).bySituation.find((c) => c.key === 'job_seeker_ex_agent')!.display, 'moins de 5');
    assert.equal(context.figures.atRisk, 'un nombre non communiqué de dossiers');
    assert.equal(context.figures.noneGiven, `0${NBSP}dossier`);
    assert.match(context.figures.sanctions, new RegExp(`${WITHHELD_PHRASE('dossiers').source.slice(0, -1)} avec un blâme$`));
    // 40 cases for 39 agents: the agents count is masked, so the coverage is given in cases.
    assert.equal(context.figures.coverage, `40 des 1${NNBSP}250 cas identifiés par la direction (3${NBSP}%)`);
    assert.equal(context.official.cases, `1${NNBSP}250`);
    assert.equal(context.official.shareRealMisuse, `3,5${NBSP}%`);
    assert.equal(context.meeting.date, '3 décembre 2026');
    assert.equal(context.computedOn, '20 novembre 2026');
  });

  it(
    'dates the figures in the text as the facts table does, in Paris time',
    () => {
      // 23:30 UTC on 20 November is 00:30 on 21 November in Paris.
      const computedAt = new Date('2026-11-20T23:30:00Z');
      const figures = figuresOf(hdfCases());
      const context = contextOf(figures, { computedAt });
      const model = buildDeclarationDocument({
        draft: { settings: SETTINGS, sections: allSections(context) },
        templates,
        context,
        figures,
        campaignName: CAMPAIGN.name,
        computedAt,
        author: 'CGT France Travail',
        now: computedAt,
      });
      assert.equal(factsRows(model).find((row) => row.label === 'Chiffres arrêtés le')?.value, '21 novembre 2026 à 0 h 30, heure de Paris');
      assert.equal(context.computedOn, '21 novembre 2026');
    },
  );
});

describe('texts that follow the campaign and the rep’s writing', () => {
  it('a campaign without a no-sanction commitment is not said to have one broken', () => {
    const templates = loadDeclarationTemplates();
    const commitment = templates.blocks.find((b) => b.id === 'commitment')!;
    const without = commitment.text(contextOf(figuresOf(hdfCases()), { campaign: { excludesSanctions: false, commitmentText: '' } }));
    assert.doesNotMatch(without, /engagement est rompu/);
    assert.match(without, /aucun engagement de non-sanction/);
    assert.match(without, /Dossiers suivis à surveiller/);
    const withCommitment = commitment.text(contextOf(figuresOf(hdfCases())));
    assert.match(withCommitment, /l’engagement est rompu dans/);
  });

  it('quotes the direction’s own words as the direction’s, and the union’s account of the commitment as no quotation', () => {
    const templates = loadDeclarationTemplates();
    const commitment = templates.blocks.find((b) => b.id === 'commitment')!;
    assert.match(
      commitment.text(contextOf(figuresOf(hdfCases()))),
      /la direction s’est engagée\s:\sComme il s’agit d’une expérimentation, aucune sanction disciplinaire ne sera engagée\. Selon ses propres termes\s:\s«\ssi consultation illégitime du dossier, rappel avec bienveillance des règles, le cadre et les risques encourus personnellement et pour France travail\.\s» La CGT/,
    );
    assert.equal(commitmentQuoted({ commitmentText: 'Aucune sanction ne sera prise', commitmentQuote: '' }), 'Aucune sanction ne sera prise.', 'the account alone, unquoted, as a sentence');
    assert.equal(commitmentQuoted({ commitmentText: '', commitmentQuote: 'pas de sanction' }), '« pas de sanction »', 'the words alone, quoted');
    assert.equal(commitmentQuoted({ commitmentText: '', commitmentQuote: '' }), '');
  });

  it('a lone line opened by an en dash stays a paragraph; hyphen lines and several en-dash lines make lists', async () => {
    const { textBlocks } = await import('../../src/documents/model');
    assert.deepEqual(textBlocks('– Pour la CGT, c’est non.').map((b) => b.kind), ['paragraph']);
    assert.deepEqual(textBlocks('- une seule demande').map((b) => b.kind), ['list']);
    assert.deepEqual(textBlocks('– première\n– seconde').map((b) => b.kind), ['list']);
    assert.deepEqual(textBlocks('Texte\n- pas une liste').map((b) => b.kind), ['paragraph']);
  });
});

describe('meetingLabel', () => {
  it('names the meeting once when its name already says the kind', async () => {
    const { meetingLabel } = await import('../../src/declarations/declaration-draft');
    assert.equal(meetingLabel('CSE', 'CSE Hauts-de-France'), 'CSE Hauts-de-France');
    assert.equal(meetingLabel('CSE', 'cse Normandie'), 'cse Normandie');
    assert.equal(meetingLabel('CSEC', 'Comité central'), 'CSEC — Comité central');
    assert.equal(meetingLabel('CSE', 'CSEC France Travail'), 'CSE — CSEC France Travail');
  });
});
