/**
 * Reading back the documents Vigie writes, for the renderer and brief tests (unit, HTTP and browser):
 *  - PDF text per page and per line with pdfjs-dist (legacy build), and the images it paints;
 *  - the exact characters of a PDF (no-break spaces included, which pdfjs turns into plain
 *    spaces) decoded from the content streams through the fonts' ToUnicode maps;
 *  - DOCX paragraphs (text, style and XML) from a small zip reader over node:zlib (no unzip
 *    program, no zip library).
 */
import assert from 'node:assert/strict';
import { inflateRawSync, inflateSync } from 'node:zlib';
import type { DocumentModel } from '../../src/documents/model';

// ---- PDF through pdfjs --------------------------------------------------------------------------

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * pdfjs-dist's legacy build (the one Node 20 can run) carries core-js, which replaces
 * Array.prototype.push, JSON.parse and JSON.stringify for the whole process, with polyfills several
 * times slower, when its main module and then its worker load: every test reading a PDF ran the app
 * itself on them. pdfjs is loaded only when a PDF is read, and the natives are put back after
 * each load (pdfjs does not need the polyfills' extras).
 */
const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
function restoreNatives(): void {
  Array.prototype.push = natives.push;
  JSON.parse = natives.parse;
  JSON.stringify = natives.stringify;
}

let pdfjsLoaded: Promise<Pdfjs> | undefined;
function pdfjs(): Promise<Pdfjs> {
  pdfjsLoaded ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((lib) => {
    restoreNatives();
    return lib;
  });
  return pdfjsLoaded;
}

/** Opens a PDF; the first one also loads pdfjs's worker module. */
async function openPdf(buf: Buffer | Uint8Array) {
  const { getDocument } = await pdfjs();
  try {
    return await getDocument({ data: new Uint8Array(buf), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  } finally {
    restoreNatives();
  }
}

export interface PdfLine {
  text: string;
  y: number;
  /** Where the line's first item starts. */
  x: number;
  /** The line's text items, left to right, as pdfjs gives them. */
  items: Array<{ str: string; x: number }>;
}

export interface PdfPage {
  /** Top to bottom; items on one baseline form a line. The first is the running header, the last the footer. */
  lines: PdfLine[];
  text: string;
  /** The lines between the running header and the footer. */
  bodyLines: string[];
}

export interface PdfText {
  pages: PdfPage[];
  info: Record<string, unknown>;
  /** Every page's body, joined. */
  body: string;
}

export async function extractPdf(buf: Buffer | Uint8Array): Promise<PdfText> {
  const pdf = await openPdf(buf);
  const pages: PdfPage[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const byY = new Map<number, Array<{ str: string; x: number }>>();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const y = Math.round(item.transform[5] as number);
      const list = byY.get(y) ?? [];
      list.push({ str: item.str, x: item.transform[4] as number });
      byY.set(y, list);
    }
    const lines = [...byY.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([y, items]) => {
        items.sort((a, b) => a.x - b.x);
        return { y, x: items[0]!.x, items, text: items.map((i) => i.str).join('').trim() };
      })
      .filter((l) => l.text.length > 0);
    const bodyLines = lines.slice(1, -1).map((l) => l.text);
    pages.push({ lines, text: lines.map((l) => l.text).join('\n'), bodyLines });
    page.cleanup();
  }
  const meta = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, info: meta.info as Record<string, unknown>, body: pages.map((p) => p.bodyLines.join('\n')).join('\n') };
}

/** How many images the pages paint (0 for a PDF drawn with text and vectors only). */
export async function pdfImageOps(buf: Buffer | Uint8Array): Promise<number> {
  const { OPS } = await pdfjs();
  const pdf = await openPdf(buf);
  let imageOps = 0;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const ops = await page.getOperatorList();
    imageOps += ops.fnArray.filter((op) => op === OPS.paintImageXObject || op === OPS.paintInlineImageXObject).length;
    page.cleanup();
  }
  await pdf.destroy();
  return imageOps;
}

/** pdfjs reports every space as U+0020 and wraps lines: compare without any whitespace. */
export const squash = (s: string) => s.replace(/\s+/g, '');

// ---- PDF: exact characters from the content streams --------------------------------------------

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function pdfObjects(buf: Buffer): Map<number, PdfObject> {
  const text = buf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(text))) {
    const start = header.lastIndex;
    const end = text.indexOf('endobj', start);
    const streamAt = text.indexOf('stream', start);
    if (streamAt !== -1 && streamAt < end) {
      const dict = text.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      let dataStart = streamAt + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      let data: Buffer = buf.subarray(dataStart, dataStart + length);
      if (dict.includes('/FlateDecode')) data = inflateSync(data);
      objects.set(Number(m[1]), { dict, stream: data });
      header.lastIndex = dataStart + length;
    } else {
      objects.set(Number(m[1]), { dict: text.slice(start, end) });
      header.lastIndex = end;
    }
  }
  return objects;
}

function utf16(hex: string): string {
  hex = hex.replace(/\s+/g, '');
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const r of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = parseInt(r[1]!, 16);
      const to = parseInt(r[2]!, 16);
      if (r[3]!.startsWith('[')) {
        // Ligatures map to several characters: <0066 0069> is "fi".
        [...r[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((d, i) => map.set(from + i, utf16(d[1]!)));
      } else {
        const base = parseInt(r[3]!.slice(1, -1), 16);
        for (let c = from; c <= to; c++) map.set(c, String.fromCharCode(base + c - from));
      }
    }
  }
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const r of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(r[1]!, 16), utf16(r[2]!));
  }
  return map;
}

const ref = (dict: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);

/** Each font resource name's ToUnicode map (fonts without one are left out). */
function fontMaps(objects: Map<number, PdfObject>): Map<string, Map<number, string>> {
  const fontsByName = new Map<string, Map<number, string>>();
  for (const { dict } of objects.values()) {
    for (const fonts of dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, num] of fonts[1]!.matchAll(/\/(\S+?)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(num));
        const cmap = font && objects.get(ref(font.dict, 'ToUnicode'))?.stream;
        if (cmap) fontsByName.set(name!, parseToUnicode(cmap.toString('latin1')));
      }
    }
  }
  return fontsByName;
}

/**
 * The text of every page as a viewer's copy and paste gives it, one string per line, with the
 * exact characters (no-break spaces kept). The running header and the footer are the last two
 * lines of each page (pdfkit writes them after the body).
 */
export function rawPdfLines(buf: Buffer): string[][] {
  const objects = pdfObjects(buf);
  const fontsByName = fontMaps(objects);
  const pagesDict = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict))!.dict;
  const kids = [.../\/Kids \[([^\]]*)\]/.exec(pagesDict)![1]!.matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1]));
  return kids.map((num) => {
    const content = objects.get(ref(objects.get(num)!.dict, 'Contents'))!.stream!.toString('latin1');
    const lines = new Map<string, string>();
    let font: Map<number, string> | undefined;
    let y = '';
    let started = false;
    // The first Tm of a text object places the line; later ones only shift single glyphs.
    for (const op of content.matchAll(/\bBT\b|\/(\S+) [\d.]+ Tf|1 0 0 1 [\d.-]+ ([\d.-]+) Tm|\[((?:<[0-9a-fA-F]*>|[^\]<])*)\] TJ/g)) {
      if (op[0] === 'BT') started = true;
      else if (op[1]) font = fontsByName.get(op[1]);
      else if (op[2]) {
        if (started) y = op[2];
        started = false;
      } else if (op[3] !== undefined && font) {
        let s = '';
        for (const hex of op[3].matchAll(/<([0-9a-fA-F]*)>/g)) {
          for (let i = 0; i + 4 <= hex[1]!.length; i += 4) s += font.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '\ufffd';
        }
        lines.set(y, (lines.get(y) ?? '') + s);
      }
    }
    return [...lines.values()];
  });
}

/** Every character the embedded fonts' ToUnicode maps give: a character missing here cannot be copied out of the PDF. */
export function pdfMappedCharacters(buf: Buffer): Set<string> {
  const mapped = new Set<string>();
  for (const map of fontMaps(pdfObjects(buf)).values()) for (const s of map.values()) mapped.add(s);
  return mapped;
}

/** The exact body text of a PDF (header and footer left out), wrapped lines joined by a space. */
export function exactPdfBody(buf: Buffer): string {
  return loosen(rawPdfLines(buf).map((lines) => lines.slice(0, -2).join('\n')).join('\n'));
}

/** Joins wrapped lines: only ASCII spaces and line breaks are loosened, no-break spaces are kept. */
export const loosen = (s: string) => s.replace(/[ \n]+/g, ' ').trim();

// ---- DOCX -------------------------------------------------------------------------------------

/** The files of a zip archive, read through its central directory (sizes are always there). */
export function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const localHeader = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    assert.equal(buf.readUInt32LE(localHeader), 0x04034b50, 'bad local header');
    const dataStart = localHeader + 30 + buf.readUInt16LE(localHeader + 26) + buf.readUInt16LE(localHeader + 28);
    const data = buf.subarray(dataStart, dataStart + compressedSize);
    assert.ok(method === 0 || method === 8, `unsupported compression ${method}`);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** A zip's files, and their text by name, failing on a missing one. */
export function openZip(buf: Buffer): { files: Map<string, Buffer>; read(name: string): string } {
  const files = unzip(buf);
  const read = (name: string) => {
    const file = files.get(name);
    assert.ok(file, `missing ${name}`);
    return file.toString('utf8');
  };
  return { files, read };
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

export interface DocxParagraph {
  style: string | undefined;
  text: string;
  /** The paragraph's inner WordprocessingML, for checks on its runs and numbering. */
  xml: string;
}

/** Paragraphs in order (those in table cells too), with their style and their text. */
export function paragraphsOf(xml: string): DocxParagraph[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const body = m[1]!;
    const text = [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)]
      .map((t) => (t[0] === '<w:tab/>' ? '\t' : t[0] === '<w:br/>' ? '\n' : decodeXml(t[1]!)))
      .join('');
    return { style: /<w:pStyle w:val="([^"]+)"\/>/.exec(body)?.[1], text, xml: body };
  });
}

/** All the text of a part (document, header, footer), tags stripped, one line per paragraph. */
export const plainText = (xml: string) => paragraphsOf(xml).map((p) => p.text).join('\n');

export interface DocxText {
  paragraphs: DocxParagraph[];
  /** One line per paragraph. */
  text: string;
  /** The items of every « Références : » list. */
  references: string[];
  footerXml: string;
  documentXml: string;
  stylesXml: string;
}

export function readDocx(buf: Buffer): DocxText {
  assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'a DOCX is a zip file');
  const { files, read } = openZip(buf);
  const documentXml = read('word/document.xml');
  const footers = [...files.keys()].filter((n) => /^word\/footer\d*\.xml$/.test(n)).map(read);
  const paragraphs = paragraphsOf(documentXml);
  return {
    paragraphs,
    text: paragraphs.map((p) => p.text).join('\n'),
    references: paragraphs.filter((p) => p.style === 'References' && !/^Références\s*:$/.test(p.text.trim())).map((p) => p.text),
    footerXml: footers.join('\n'),
    documentXml,
    stylesXml: read('word/styles.xml'),
  };
}

// ---- Document models ----------------------------------------------------------------------------

/**
 * Every piece of text a document model holds, one string per block or line; the running header
 * too unless `header: false` (the PDF body lines leave it out).
 */
export function modelTexts(model: DocumentModel, options: { header?: boolean } = {}): string[] {
  const out = [model.title, model.subtitle ?? ''];
  if (options.header !== false) out.push(model.header.left, model.header.right ?? '');
  for (const b of model.blocks) {
    if (b.kind === 'heading' || b.kind === 'notice') out.push(b.text);
    else if (b.kind === 'paragraph') out.push(b.runs.map((r) => r.text).join(''));
    else if (b.kind === 'list') out.push(...b.items.map((i) => i.map((r) => r.text).join('')));
    else if (b.kind === 'quote') out.push(b.text, b.source ?? '');
    else if (b.kind === 'facts') out.push(...b.rows.flatMap((r) => [r.label, r.value]));
    else if (b.kind === 'citations') out.push(...b.items);
    else if (b.kind === 'signature') out.push(...b.lines);
    else if (b.kind === 'barChart') out.push(b.title, ...b.bars.flatMap((bar) => [bar.label, bar.display ?? String(bar.value)]));
  }
  return out.filter(Boolean);
}
