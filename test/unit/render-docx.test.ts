/**
 * DOCX renderer: the file is unzipped with a small reader over node:zlib (no unzip program, no
 * zip library) and its WordprocessingML read paragraph by paragraph, both in
 * test/helpers/document-text.ts. Word lays out the pages
 * itself, so page-level checks here are on what makes Word repeat the header and the
 * "page X sur Y" footer on every page: one section with default header and footer references.
 * The rich sample is also written to test/artifacts/sample-brief.docx (git-ignored).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Block, DocumentModel } from '../../src/documents/model';
import { renderDocx } from '../../src/documents/render-docx';
import { type DocxParagraph, openZip, paragraphsOf, plainText } from '../helpers/document-text';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

// ---- WordprocessingML --------------------------------------------------------------------------

/** The XML of one style in styles.xml. */
function styleXml(styles: string, id: string): string {
  const m = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(styles);
  assert.ok(m, `no style ${id}`);
  return m[1]!;
}

interface Docx {
  files: Map<string, Buffer>;
  document: string;
  paragraphs: DocxParagraph[];
  styles: string;
  numbering: string;
  core: string;
  header: string;
  footer: string;
}

async function open(model: DocumentModel): Promise<Docx & { buf: Buffer }> {
  const buf = await renderDocx(model);
  const { files, read } = openZip(buf);
  const document = read('word/document.xml');
  const rels = read('word/_rels/document.xml.rels');
  const target = (type: 'header' | 'footer') => {
    const id = new RegExp(`<w:${type}Reference w:type="default" r:id="([^"]+)"`).exec(document)?.[1];
    assert.ok(id, `no default ${type}`);
    const file = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
    assert.ok(file, `no relationship ${id}`);
    return read(`word/${file}`);
  };
  return {
    buf,
    files,
    document,
    paragraphs: paragraphsOf(document),
    styles: read('word/styles.xml'),
    numbering: read('word/numbering.xml'),
    core: read('docProps/core.xml'),
    header: target('header'),
    footer: target('footer'),
  };
}

// ---- Models ------------------------------------------------------------------------------------

const FRENCH = {
  heading1: `Sur la procédure\u00a0: «${NNBSP}l’entretien préalable${NNBSP}»`,
  heading2: 'Délai de prescription des faits fautifs',
  heading3: 'Œuvres sociales et congés payés à l’été',
  paragraph: `L’agent, convoqué le 12${NBSP}mars, n’a reçu aucune pièce${NNBSP}; la direction évoque «${NNBSP}des manquements répétés${NNBSP}» sans les dater… Ça ne suffit pas${NNBSP}! Le cœur du dossier reste vide & sans <preuve>.`,
};

function richModel(): DocumentModel {
  const blocks: Block[] = [
    {
      kind: 'facts',
      rows: [
        { label: 'Agent', value: 'Élodie Lefèvre, conseillère à l’emploi' },
        { label: 'Situation(s) signalée(s)', value: `Retards répétés${NNBSP}; refus d’une mission` },
        { label: 'Convocation', value: `12${NBSP}mars 2026` },
      ],
    },
    { kind: 'heading', level: 1, text: FRENCH.heading1 },
    { kind: 'paragraph', runs: [{ text: FRENCH.paragraph }] },
    {
      kind: 'paragraph',
      runs: [
        { text: 'Nous rappelons que ' },
        { text: 'l’article L1332-4', bold: true },
        { text: ' est clair et que ' },
        { text: 'la jurisprudence', italic: true },
        { text: ' est constante.' },
      ],
    },
    { kind: 'list', ordered: false, items: [[{ text: 'aucun entretien préalable' }], [{ text: 'pas d’assistance proposée' }]] },
    { kind: 'heading', level: 2, text: FRENCH.heading2 },
    { kind: 'list', ordered: true, items: [[{ text: 'connaissance des faits le 3 janvier' }], [{ text: 'convocation le 12 mars' }]] },
    { kind: 'paragraph', runs: [{ text: 'Entre les deux listes.' }] },
    { kind: 'list', ordered: true, items: [[{ text: 'seconde liste, premier point' }], [{ text: 'seconde liste, second point' }]] },
    { kind: 'quote', text: 'Aucun fait fautif ne peut donner lieu à lui seul à l’engagement de poursuites disciplinaires au-delà d’un délai de deux mois.', source: 'Code du travail, art. L1332-4' },
    { kind: 'citations', items: ['Code du travail, art. L1332-4', 'Cass. soc., 17 février 1993, n° 88-45.539'] },
    { kind: 'heading', level: 3, text: FRENCH.heading3 },
    {
      kind: 'barChart',
      title: 'Déclarations par motif (2025)',
      bars: [
        { label: 'Charge de travail', value: 42 },
        { label: 'Agressions d’usagers', value: 17.5 },
        { label: 'Réorganisation', value: 1234, display: `1${NNBSP}234` },
      ],
    },
    { kind: 'signature', lines: ['Pour la CGT France Travail', 'Marie Dupont', 'Représentante syndicale'] },
    { kind: 'notice', text: 'Document rédigé par des représentants syndicaux. Il ne constitue pas une consultation juridique.' },
  ];
  return {
    header: { left: 'CGT France Travail', right: 'Dossier n° 42 — version 3' },
    title: 'Argumentaire de défense',
    subtitle: `Élodie Lefèvre — Campagne «${NNBSP}contrôle${NNBSP}»`,
    fileName: 'argumentaire-42',
    properties: { author: 'CGT France Travail — Marie Dupont', subject: 'Argumentaire de défense', createdAt: new Date('2026-03-15T10:30:00Z') },
    blocks,
  };
}

// ---- Tests -------------------------------------------------------------------------------------

describe('renderDocx: a rich brief', () => {
  const model = richModel();
  let docx: Awaited<ReturnType<typeof open>>;
  const find = (text: string) => docx.paragraphs.find((p) => p.text === text);

  before(async () => {
    docx = await open(model);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'sample-brief.docx'), docx.buf);
  });

  it('is a Word package with the document properties', () => {
    assert.equal(docx.buf.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(docx.files.has('[Content_Types].xml'));
    assert.match(docx.core, /<dc:title>Argumentaire de défense<\/dc:title>/);
    assert.match(docx.core, /<dc:creator>CGT France Travail — Marie Dupont<\/dc:creator>/);
    assert.match(docx.core, /<dc:description>Argumentaire de défense<\/dc:description>/);
  });

  it('writes title, subtitle and headings with their styles, French text exactly', () => {
    assert.equal(find(model.title)?.style, 'Title');
    assert.equal(find(model.subtitle!)?.style, 'Subtitle');
    assert.equal(find(FRENCH.heading1)?.style, 'Heading1');
    assert.equal(find(FRENCH.heading2)?.style, 'Heading2');
    assert.equal(find(FRENCH.heading3)?.style, 'Heading3');
    for (const id of ['Heading1', 'Heading2', 'Heading3']) assert.match(styleXml(docx.styles, id), /<w:keepNext\/>/, `${id} does not keep with next`);
  });

  it('keeps every paragraph, with bold and italic runs and no-break spaces exactly', () => {
    assert.ok(find(FRENCH.paragraph), 'French paragraph not found exactly');
    assert.ok(FRENCH.paragraph.includes(NNBSP) && FRENCH.paragraph.includes(NBSP));
    const mixed = find('Nous rappelons que l’article L1332-4 est clair et que la jurisprudence est constante.');
    assert.ok(mixed);
    assert.match(mixed.xml, /<w:b\/>[\s\S]*?l’article L1332-4/);
    assert.match(mixed.xml, /<w:i\/>[\s\S]*?la jurisprudence/);
    assert.ok(find('Entre les deux listes.'));
    const all = plainText(docx.document);
    for (const ch of ['é', 'è', 'à', 'ç', 'Ç', 'œ', 'Œ', 'É', '«', '»', '’', '…', '—', NNBSP, NBSP]) assert.ok(all.includes(ch), `lost ${ch}`);
  });

  it('writes lists as numbered paragraphs, each ordered list counting from 1', () => {
    const numId = (text: string) => /<w:numId w:val="(\d+)"\/>/.exec(find(text)?.xml ?? '')?.[1];
    const bullets = numId('aucun entretien préalable');
    const first = numId('connaissance des faits le 3 janvier');
    const second = numId('seconde liste, premier point');
    assert.ok(bullets && first && second);
    assert.equal(numId('convocation le 12 mars'), first);
    assert.notEqual(first, second);
    const abstractOf = (id: string) => new RegExp(`<w:num w:numId="${id}"><w:abstractNumId w:val="(\\d+)"/>`).exec(docx.numbering)?.[1];
    const formatOf = (id: string) => new RegExp(`<w:abstractNum [^>]*w:abstractNumId="${abstractOf(id)}"[^>]*>[\\s\\S]*?<w:numFmt w:val="([^"]+)"/><w:lvlText w:val="([^"]+)"/>`).exec(docx.numbering)?.slice(1);
    assert.deepEqual(formatOf(first), ['decimal', '%1.']);
    assert.deepEqual(formatOf(bullets), ['bullet', '•']);
    // A second list of the same kind restarts: its own w:num with a start override.
    assert.match(docx.numbering, new RegExp(`<w:num w:numId="${second}">[\\s\\S]*?<w:startOverride w:val="1"/>`));
  });

  it('writes the quote indented and italic, with its source', () => {
    const quote = docx.paragraphs.find((p) => p.text.startsWith('Aucun fait fautif'));
    assert.equal(quote?.style, 'Quote');
    const style = styleXml(docx.styles, 'Quote');
    assert.match(style, /<w:i\/>/);
    assert.match(style, /<w:ind w:left="\d+"\/>/);
    assert.ok(find('— Code du travail, art. L1332-4'));
  });

  it('writes the facts as a two-column table, label then value', () => {
    const table = /<w:tbl>([\s\S]*?)<\/w:tbl>/.exec(docx.document)![1]!;
    const rows = [...table.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) => paragraphsOf(r[1]!).map((p) => p.text));
    assert.deepEqual(rows, [
      ['Agent', 'Élodie Lefèvre, conseillère à l’emploi'],
      ['Situation(s) signalée(s)', `Retards répétés${NNBSP}; refus d’une mission`],
      ['Convocation', `12${NBSP}mars 2026`],
    ]);
  });

  it('writes the citations small and italic after "Références :"', () => {
    const label = find(`Références${NBSP}:`);
    assert.equal(label?.style, 'References');
    for (const c of ['Code du travail, art. L1332-4', 'Cass. soc., 17 février 1993, n° 88-45.539']) assert.equal(find(c)?.style, 'References', c);
    const style = styleXml(docx.styles, 'References');
    assert.match(style, /<w:i\/>/);
    assert.match(style, /<w:sz w:val="18"\/>/);
  });

  it('writes the signature right-aligned and the notice in a shaded box', () => {
    for (const line of ['Pour la CGT France Travail', 'Marie Dupont', 'Représentante syndicale']) assert.equal(find(line)?.style, 'Signature');
    assert.match(styleXml(docx.styles, 'Signature'), /<w:jc w:val="right"\/>/);
    const cell = [...docx.document.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].find((c) => c[1]!.includes('consultation juridique'));
    assert.ok(cell, 'the notice is not in a table cell');
    assert.match(cell[1]!, /<w:shd [^>]*w:fill="EFEFEF"/);
  });

  it('writes the bar chart as a table of labels and values', () => {
    assert.equal(find('Déclarations par motif (2025)')?.style, 'ChartTitle');
    const all = plainText(docx.document);
    for (const [label, value] of [['Charge de travail', '42'], ['Agressions d’usagers', '17,5'], ['Réorganisation', `1${NNBSP}234`]]) {
      assert.ok(all.includes(`${label}\n${value}`), `bar ${label} = ${value} not found`);
    }
  });

  it('puts the header and "page X sur Y" fields in the header and footer of every page', () => {
    const header = plainText(docx.header);
    assert.equal(header, 'CGT France Travail\tDossier n° 42 — version 3');
    assert.match(docx.header, /<w:tab w:val="right"/);
    assert.match(docx.footer, /page <\/w:t>[\s\S]*<w:instrText[^>]*>PAGE<\/w:instrText>[\s\S]* sur <\/w:t>[\s\S]*<w:instrText[^>]*>NUMPAGES<\/w:instrText>/);
    // One section, default header and footer, no different first page: every page has them.
    assert.equal(docx.document.match(/<w:sectPr/g)?.length, 1);
    assert.doesNotMatch(docx.document, /<w:titlePg/);
  });

  it('uses one editable font for the whole document, in French', () => {
    assert.match(docx.styles, /<w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri"[^>]*w:hAnsi="Calibri"/);
    assert.match(docx.styles, /<w:rPrDefault>[\s\S]*?<w:lang w:val="fr-FR"\/>/);
  });
});

describe('renderDocx: long and sparse models', () => {
  it('renders 200 paragraphs and headings, all present and in order', async () => {
    const blocks: Block[] = [];
    const expected: string[] = [];
    for (let i = 1; i <= 200; i++) {
      if (i % 10 === 1) {
        const text = `Section ${i} — point à établir`;
        blocks.push({ kind: 'heading', level: 1, text });
        expected.push(text);
      }
      const text = `${i}. L’agent conteste la version des faits${NNBSP}; il demande la communication de son dossier. `.repeat(3).trim();
      blocks.push({ kind: 'paragraph', runs: [{ text }] });
      expected.push(text);
    }
    const docx = await open({ header: { left: 'CGT', right: 'Dossier n° 7' }, title: 'Long', fileName: 'long', properties: { author: 'CGT', createdAt: new Date() }, blocks });
    const texts = docx.paragraphs.map((p) => p.text);
    let from = 0;
    for (const text of expected) {
      const at = texts.indexOf(text, from);
      assert.ok(at >= from, `missing or out of order: ${text.slice(0, 40)}`);
      from = at + 1;
    }
  });

  it('renders a model with no subtitle, no header right and no blocks', async () => {
    const docx = await open({ header: { left: 'CGT France Travail' }, title: 'Document vide', fileName: 'vide', properties: { author: 'CGT', createdAt: new Date() }, blocks: [] });
    assert.deepEqual(
      docx.paragraphs.map((p) => p.text),
      ['Document vide'],
    );
    assert.equal(plainText(docx.header), 'CGT France Travail');
    assert.match(docx.core, /<dc:description>Document vide<\/dc:description>/);
  });

  it('drops control characters, which are not allowed in XML, and survives empty content', async () => {
    const docx = await open({
      header: { left: 'CGT\u0001', right: '' },
      title: '',
      fileName: 'odd',
      properties: { author: 'CGT', createdAt: new Date() },
      blocks: [
        { kind: 'paragraph', runs: [{ text: 'tab\there\u0007 bell\nnouvelle ligne', bold: true, italic: true }] },
        { kind: 'paragraph', runs: [] },
        { kind: 'list', ordered: true, items: [] },
        { kind: 'facts', rows: [] },
        { kind: 'citations', items: [] },
        { kind: 'signature', lines: [] },
        { kind: 'notice', text: '' },
        { kind: 'barChart', title: '', bars: [{ label: 'NaN', value: Number.NaN }] },
      ],
    });
    for (const [name, file] of docx.files) {
      if (name.endsWith('.xml') || name.endsWith('.rels')) assert.doesNotMatch(file.toString('utf8'), /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, name);
    }
    const odd = docx.paragraphs.find((p) => p.text.startsWith('tab'));
    assert.equal(odd?.text, 'tab here bell\nnouvelle ligne');
    assert.ok(plainText(docx.document).includes('NaN\n0'));
  });
});
