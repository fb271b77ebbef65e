/**
 * PDF rendering of a document model with pdfkit: A4, DejaVu Sans embedded (every French
 * character, the narrow no-break space included), a running header and a "page X sur Y" footer
 * on every page, and page breaks chosen by hand where pdfkit would not: a heading always stays
 * with the start of what follows it (three lines of it, or all of it when shorter), table rows,
 * the notice box, the signature and charts are never split when they fit on a page, and a
 * paragraph or list item never starts with a lone line at the bottom of a page.
 *
 * Text is left-aligned, not justified: pdfkit justifies by splitting lines on every whitespace
 * character, which would stretch the no-break spaces of French typography (« », ; : ! ?) like
 * ordinary spaces and drop them from the text layer.
 */
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { dejavuParsedFonts } from './fonts';
import type { DocumentModel } from './model';
import { PdfWriter } from './pdf-blocks';
import { layOutFaster } from './pdf-font-layout';
import { forgetFontSubsets, shareFontSubset } from './pdf-font-subsets';
import { forgetMeasuredLines } from './pdf-page';
import { writeStreamsFaster } from './pdf-streams';
import { BODY, COLOR, type Doc, FONT, type FontName, MARGINS } from './pdf-style';

function createDocument(model: DocumentModel): Doc {
  const created = model.properties.createdAt;
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    // The first page once the streams are taken over (writeStreamsFaster), so that it is too.
    autoFirstPage: false,
    // No default font: pdfkit would parse Helvetica's metrics for every document, never to use them.
    font: null as unknown as string,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: model.title,
      Author: model.properties.author,
      ...(model.properties.subject ? { Subject: model.properties.subject } : {}),
      Creator: 'Vigie',
      CreationDate: created,
      ModDate: created,
    },
  });
  writeStreamsFaster(doc);
  doc.addPage();
  const fonts = dejavuParsedFonts() as unknown as Record<keyof ReturnType<typeof dejavuParsedFonts>, Buffer>;
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);
  doc.registerFont(FONT.italic, fonts.italic);
  doc.registerFont(FONT.boldItalic, fonts.boldItalic);
  for (const name of [FONT.bold, FONT.italic, FONT.boldItalic, FONT.regular]) {
    shareLayouts(doc.font(name), name);
    shareFontSubset(embeddedFont(doc), name);
    layOutFaster(embeddedFont(doc));
  }
  doc.fontSize(BODY.size).fillColor(COLOR.text);
  return doc;
}

/**
 * Shaping a word (fontkit's OpenType layout) is most of what laying out a PDF costs, and every
 * document shapes the same words again: pdfkit keeps the shaped words of a font in a cache of its
 * own, one per document. Each document's fonts are given one cache per font, shared by every
 * document this process (or worker thread) renders. A shaped word holds glyph ids and advances,
 * the same in every document, and pdfkit copies what it changes; a fresh cache is started every
 * few hundred documents so that the words of long-gone texts do not pile up.
 */
const SHARED_LAYOUTS_DOCUMENTS = 500;
let sharedLayouts: Record<string, Record<string, unknown>> = {};
let documentsSinceFresh = 0;

/**
 * Drops every text remembered across documents (shaped words, measured lines): called when an
 * agent's data is erased or cases are purged, so that their names do not outlive them in memory.
 * Worker threads keep their own, and stop after a minute without work (exports/pdf-pool.ts).
 */
export function forgetDocumentCaches(): void {
  sharedLayouts = {};
  documentsSinceFresh = 0;
  forgetMeasuredLines();
  forgetFontSubsets();
}

/** For tests: how many words are kept shaped, all fonts together. */
export function sharedLayoutWords(): number {
  return Object.values(sharedLayouts).reduce((sum, words) => sum + Object.keys(words).length, 0);
}

/** pdfkit's current font of the document (it has no public accessor). */
function embeddedFont(doc: Doc): unknown {
  return (doc as unknown as { _font?: unknown })._font;
}

function shareLayouts(doc: Doc, name: FontName): void {
  // Left alone if pdfkit's embedded font changes shape.
  const font = embeddedFont(doc) as { layoutCache?: Record<string, unknown> } | undefined;
  if (!font || typeof font.layoutCache !== 'object') return;
  if (name === FONT.regular && ++documentsSinceFresh > SHARED_LAYOUTS_DOCUMENTS) {
    sharedLayouts = {};
    documentsSinceFresh = 1;
  }
  font.layoutCache = sharedLayouts[name] ??= Object.create(null) as Record<string, unknown>;
}

/**
 * Lays out the whole document and ends it: the returned pdfkit document is a readable stream
 * holding the finished PDF, to pipe into a response or a file. Throws before anything is
 * streamed if the model cannot be rendered.
 */
export function renderPdf(model: DocumentModel): Doc {
  const doc = createDocument(model);
  const writer = new PdfWriter(doc);
  writer.title(model);
  writer.blocks(model.blocks);
  writer.headerAndFooter(model);
  doc.end();
  return doc;
}

/** Renders the PDF into `out` and resolves when it is fully written. */
export function renderPdfTo(model: DocumentModel, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = renderPdf(model);
    doc.on('error', reject);
    out.on('error', reject);
    out.on('finish', () => resolve());
    doc.pipe(out);
  });
}

/** The finished PDF in memory (tests, benchmarks, storage). */
export function renderPdfBuffer(model: DocumentModel): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = renderPdf(model);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
