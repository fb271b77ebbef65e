/**
 * The PDF renderer's own ways around pdfkit's slow spots (src/documents/pdf-streams.ts,
 * pdf-font-layout.ts, pdf-font-subsets.ts): each gives what pdfkit gives, and a document's bytes
 * never depend on what was rendered before it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { dejavuParsedFonts } from '../../src/documents/fonts';
import type { DocumentModel } from '../../src/documents/model';
import { layOutFaster } from '../../src/documents/pdf-font-layout';
import { SUBSETS_MAX, keptFontSubsets } from '../../src/documents/pdf-font-subsets';
import { writeStreamsFaster } from '../../src/documents/pdf-streams';
import { type TrueTypeSubset, encodeTrueTypeSubset, isTrueTypeSubset } from '../../src/documents/truetype-subset';
import { forgetDocumentCaches, renderPdfBuffer } from '../../src/documents/render-pdf';

const NNBSP = '\u202f';
const TEXTS = [
  '',
  ' ',
  'mot',
  'deux mots',
  '  espaces  en\ttrop\t ',
  `L’agent, convoqué le 12\u00a0mars, n’a reçu aucune pièce${NNBSP}; «${NNBSP}des manquements${NNBSP}» …`,
  'Œuvres sociales, cœur, afflux, fi fl ffi — 1er juillet 2024 (articles L1222-4 et L2312-38)',
  'Aïcha Benali Élodie Martin Zoé Inès Chloé ÉÈÊËÀÂÄÎÏÔÖÙÛÜŸÇ',
  'mot mot mot mot',
];

type Doc = PDFKit.PDFDocument;

function newDocument(faster: { streams: boolean }): Doc {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { CreationDate: new Date('2024-11-20T10:00:00Z'), ModDate: new Date('2024-11-20T10:00:00Z') } });
  if (faster.streams) writeStreamsFaster(doc);
  doc.addPage();
  doc.registerFont('regular', dejavuParsedFonts().regular as unknown as Buffer);
  doc.registerFont('bold', dejavuParsedFonts().bold as unknown as Buffer);
  return doc;
}

const embeddedFont = (doc: Doc) => (doc as unknown as { _font: Record<string, any> })._font;

function finished(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Each object of a PDF by number: its dictionary (Length left out) and its stream, inflated. */
function pdfObjects(pdf: Buffer): Map<number, { dictionary: string; stream: string }> {
  const text = pdf.toString('latin1');
  const starts = [...text.matchAll(/\n(\d+) 0 obj\n/g)];
  const objects = new Map<number, { dictionary: string; stream: string }>();
  starts.forEach((match, i) => {
    const begin = match.index + match[0].length;
    const body = text.slice(begin, starts[i + 1]?.index ?? text.indexOf('\nxref', begin));
    const streamAt = body.indexOf('\nstream\n');
    const head = streamAt < 0 ? body : body.slice(0, streamAt);
    let stream = '';
    if (streamAt >= 0) {
      const length = Number(/\/Length (\d+)/.exec(head)![1]);
      const bytes = pdf.subarray(begin + streamAt + 8, begin + streamAt + 8 + length);
      stream = (head.includes('/FlateDecode') ? inflateSync(bytes) : bytes).toString('latin1');
    }
    objects.set(Number(match[1]), { dictionary: head.replace(/\/Length \d+/, '/Length ?'), stream });
  });
  return objects;
}

function draw(doc: Doc): void {
  doc.font('bold').fontSize(16).text('Titre « en gras »', 60, 60, { width: 400 });
  doc.font('regular').fontSize(10.5);
  for (const text of TEXTS) doc.text(text, { width: 300, lineGap: 2 });
  doc.rect(60, 500, 100, 20).fill('#a3161a');
  doc.addPage().font('regular').text(TEXTS.join(' '), 60, 60, { width: 200 });
}

describe('PDF streams written and deflated by Vigie', () => {
  it('hold the very objects pdfkit writes, streams included once inflated', async () => {
    const plain = newDocument({ streams: false });
    const faster = newDocument({ streams: true });
    draw(plain);
    draw(faster);
    const [expected, actual] = [pdfObjects(await finished(plain)), pdfObjects(await finished(faster))];
    assert.ok(expected.size > 10);
    assert.deepEqual([...actual.keys()], [...expected.keys()]);
    for (const [id, object] of expected) assert.deepEqual(actual.get(id), object, `object ${id}`);
  });
});

describe('PDF font layout without pdfkit’s array copies', () => {
  it('gives the glyphs, positions, widths, hex ids and characters pdfkit gives', () => {
    const plain = newDocument({ streams: false });
    const faster = newDocument({ streams: false });
    for (const name of ['bold', 'regular']) {
      const expected = embeddedFont(plain.font(name));
      const actual = embeddedFont(faster.font(name));
      layOutFaster(actual);
      for (const text of [...TEXTS, TEXTS.join('\t'), ...TEXTS.map((t) => t.toUpperCase())]) {
        const [want, got] = [expected.layout(text), actual.layout(text)];
        assert.deepEqual(got.glyphs.map((g: { id: number }) => g.id), want.glyphs.map((g: { id: number }) => g.id), text);
        assert.deepEqual(got.positions, want.positions, text);
        assert.equal(got.advanceWidth, want.advanceWidth, text);
        assert.equal(actual.layout(text, undefined, true).advanceWidth, expected.layout(text, undefined, true).advanceWidth, text);
        assert.equal(actual.widthOfString(text, 10.5), expected.widthOfString(text, 10.5), text);
        assert.deepEqual(actual.encode(text), expected.encode(text), text);
      }
      assert.deepEqual(actual.subset.glyphs, expected.subset.glyphs, `${name}: subset`);
      assert.deepEqual(actual.widths, expected.widths, `${name}: widths`);
      assert.deepEqual(actual.unicode, expected.unicode, `${name}: characters`);
      assert.deepEqual(Object.keys(actual.layoutCache).sort(), Object.keys(expected.layoutCache).sort(), `${name}: the words shaped`);
    }
  });
});

describe('TrueType subsets written without fontkit’s structure encoder', () => {
  it('are the bytes fontkit writes, for any glyphs, composite ones included', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    for (const [style, font] of Object.entries(dejavuParsedFonts()) as Array<[string, any]>) {
      // Latin letters, accented letters (composite glyphs), and anything at all in the font.
      const lists = [[], [36, 37, 38], Array.from({ length: 120 }, (_, i) => 3 + i)];
      for (let n = 0; n < 12; n++) lists.push(Array.from({ length: 1 + random(200) }, () => random(font.numGlyphs)));
      for (const list of lists) {
        const [ours, theirs] = [font.createSubset(), font.createSubset()];
        for (const id of list) {
          ours.includeGlyph(id);
          theirs.includeGlyph(id);
        }
        assert.ok(isTrueTypeSubset(ours));
        const bytes = encodeTrueTypeSubset(ours as TrueTypeSubset, () => assert.fail('fell back on fontkit'));
        assert.deepEqual(Buffer.from(bytes), Buffer.from(theirs.encode()), `${style}: ${list.length} glyphs`);
        assert.deepEqual(ours.glyphs, theirs.glyphs, `${style}: the parts of composite glyphs added`);
      }
    }
  });
});

function model(title: string, body = title): DocumentModel {
  return {
    title,
    fileName: 'essai',
    header: { left: 'CGT France Travail', right: title },
    properties: { author: 'Vigie', createdAt: new Date('2024-11-20T10:00:00Z') },
    blocks: [
      { kind: 'heading', level: 2, text: `Partie ${body}` },
      { kind: 'paragraph', runs: [{ text: `Texte de ${body}, ` }, { text: 'en italique', italic: true }, { text: ' et ', bold: true, italic: true }] },
      { kind: 'citations', items: [`Article L1222-4 du Code du travail (${body})`] },
    ],
  };
}

describe('PDF font subsets kept across documents', () => {
  it('are made once for the same glyphs, and a document comes out the same, byte for byte, whatever came before', async () => {
    forgetDocumentCaches();
    const first = await renderPdfBuffer(model('Élodie Martin'));
    const kept = keptFontSubsets();
    assert.ok(kept >= 4, 'one subset per font used');
    assert.deepEqual(await renderPdfBuffer(model('Élodie Martin')), first);
    assert.equal(keptFontSubsets(), kept, 'the same glyphs in the same order: the same subsets');
    // Other glyphs, in another order, with some subsets shared.
    await renderPdfBuffer(model('Zoé Ÿ Benali', 'Aïcha'));
    assert.ok(keptFontSubsets() > kept);
    assert.deepEqual(await renderPdfBuffer(model('Élodie Martin')), first);
  });

  it('are dropped with the other caches, and never more than a bounded number are kept', async () => {
    await renderPdfBuffer(model('Élodie Martin'));
    assert.ok(keptFontSubsets() > 0);
    forgetDocumentCaches();
    assert.equal(keptFontSubsets(), 0);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < SUBSETS_MAX / 2 + 10; i++) {
      // Every title puts its letters in another order: other subsets in the bold and regular fonts.
      const rotated = letters.slice(i % 26) + letters.slice(0, i % 26);
      await renderPdfBuffer({ ...model(`${rotated} ${i}`), blocks: [] });
    }
    assert.ok(keptFontSubsets() <= SUBSETS_MAX, `${keptFontSubsets()} kept`);
    assert.ok(keptFontSubsets() >= SUBSETS_MAX / 2);
    forgetDocumentCaches();
  });
});
