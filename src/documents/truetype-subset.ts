/**
 * The TrueType font subset embedded in a PDF, written the way fontkit writes it, only faster.
 * fontkit gathers the glyphs (TTFSubset#_addGlyph, kept as it is) and then encodes the whole font
 * through its generic structure encoder, number by number: the hinting tables (cvt, prep, fpgm,
 * some 2 KB, the same for every subset of a font) and the glyph index and metrics. That encoding
 * was most of the time a brief spends embedding its fonts. Here the tables that never change are
 * taken, once per font, from fontkit's own encoding of a one-glyph subset; only the glyph data,
 * their index (loca), their metrics (hmtx) and the two counts that follow them (hhea, maxp) are
 * written for each subset. The bytes are fontkit's, byte for byte (test/unit/pdf-fast-paths.test.ts).
 */

/** fontkit's TTFSubset, as far as this file uses it. */
export interface TrueTypeSubset {
  font: TrueTypeFont;
  glyphs: number[];
  glyf: Uint8Array[];
  offset: number;
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: Array<{ advance: number; bearing: number }>; bearings: number[] };
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
}

interface TrueTypeFont {
  loca: { version: number };
  directory: { tables: Record<string, unknown> };
  createSubset(): TrueTypeSubset;
}

/** The tables fontkit writes into a subset, in its order. */
const TABLES = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;
const DIRECTORY_SIZE = 12 + 16 * TABLES.length;
/** Where hhea keeps numberOfMetrics and maxp numGlyphs (uint16 each). */
const HHEA_METRICS_AT = 34;
const MAXP_GLYPHS_AT = 4;

interface Template {
  /** The directory's first 12 bytes: 'true', the number of tables and the search fields. */
  header: Uint8Array;
  /** Each table as fontkit encodes it for this font (those that change are rewritten). */
  tables: Map<string, Uint8Array>;
  locaVersion: number;
}

const templates = new WeakMap<object, Template | null>();

export function isTrueTypeSubset(subset: unknown): subset is TrueTypeSubset {
  const s = subset as Partial<TrueTypeSubset> | null;
  return (
    !!s &&
    typeof s._addGlyph === 'function' &&
    typeof s.encode === 'function' &&
    Array.isArray(s.glyphs) &&
    typeof s.font?.createSubset === 'function' &&
    typeof s.font.loca?.version === 'number' &&
    !!s.font.directory?.tables?.glyf
  );
}

/** The unchanging tables of `font`, from fontkit's own encoding; null when it is not laid out as expected. */
function templateOf(font: TrueTypeFont): Template | null {
  if (templates.has(font)) return templates.get(font)!;
  let template: Template | null = null;
  try {
    const bytes = font.createSubset().encode();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = view.getUint16(4);
    const tables = new Map<string, Uint8Array>();
    let expectedOffset = DIRECTORY_SIZE;
    for (let i = 0; i < count; i++) {
      const at = 12 + 16 * i;
      const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
      const offset = view.getUint32(at + 8);
      const length = view.getUint32(at + 12);
      // Tables one after the other, in fontkit's order, unpadded, checksums left at zero.
      if (tag !== TABLES[i] || offset !== expectedOffset || view.getUint32(at + 4) !== 0) throw new Error('unexpected layout');
      tables.set(tag, bytes.slice(offset, offset + length));
      expectedOffset += length;
    }
    if (count !== TABLES.length || expectedOffset !== bytes.length) throw new Error('unexpected layout');
    template = { header: bytes.slice(0, 12), tables, locaVersion: font.loca.version };
  } catch {
    template = null;
  }
  templates.set(font, template);
  return template;
}

/**
 * Encodes the subset as fontkit's TTFSubset#encode does, leaving the subset in the same state (its
 * glyph list grown by the parts of composite glyphs). Falls back to fontkit's own encoding when
 * the font is not laid out as expected.
 */
export function encodeTrueTypeSubset(subset: TrueTypeSubset, fontkitEncode: () => Uint8Array): Uint8Array {
  const template = templateOf(subset.font);
  if (!template || (template.locaVersion !== 0 && template.locaVersion !== 1)) return fontkitEncode();

  // fontkit's gathering, as in TTFSubset#encode: parts of composite glyphs are added as it goes.
  subset.glyf = [];
  subset.offset = 0;
  subset.loca = { offsets: [], version: template.locaVersion };
  subset.hmtx = { metrics: [], bearings: [] };
  for (let i = 0; i < subset.glyphs.length; i++) subset._addGlyph(subset.glyphs[i]!);
  subset.loca.offsets.push(subset.offset);

  const glyphCount = subset.glyf.length;
  const { offsets } = subset.loca;
  const shortOffsets = template.locaVersion === 0;
  const loca = new Uint8Array(offsets.length * (shortOffsets ? 2 : 4));
  const locaView = new DataView(loca.buffer);
  offsets.forEach((offset, i) => (shortOffsets ? locaView.setUint16(2 * i, offset >>> 1) : locaView.setUint32(4 * i, offset)));
  const hmtx = new Uint8Array(subset.hmtx.metrics.length * 4);
  const hmtxView = new DataView(hmtx.buffer);
  subset.hmtx.metrics.forEach((metric, i) => {
    hmtxView.setUint16(4 * i, metric.advance);
    hmtxView.setInt16(4 * i + 2, metric.bearing);
  });
  const hhea = template.tables.get('hhea')!.slice();
  new DataView(hhea.buffer).setUint16(HHEA_METRICS_AT, subset.hmtx.metrics.length);
  const maxp = template.tables.get('maxp')!.slice();
  new DataView(maxp.buffer).setUint16(MAXP_GLYPHS_AT, glyphCount);
  const glyfLength = subset.glyf.reduce((sum, glyph) => sum + glyph.length, 0);

  const parts: Record<(typeof TABLES)[number], Uint8Array | Uint8Array[]> = {
    head: template.tables.get('head')!,
    hhea,
    loca,
    maxp,
    'cvt ': template.tables.get('cvt ')!,
    prep: template.tables.get('prep')!,
    glyf: subset.glyf,
    hmtx,
    fpgm: template.tables.get('fpgm')!,
  };
  const lengths = TABLES.map((tag) => (tag === 'glyf' ? glyfLength : (parts[tag] as Uint8Array).length));
  const out = new Uint8Array(DIRECTORY_SIZE + lengths.reduce((a, b) => a + b, 0));
  const view = new DataView(out.buffer);
  out.set(template.header, 0);
  let offset = DIRECTORY_SIZE;
  TABLES.forEach((tag, i) => {
    const entry = 12 + 16 * i;
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c);
    view.setUint32(entry + 4, 0);
    view.setUint32(entry + 8, offset);
    view.setUint32(entry + 12, lengths[i]!);
    const part = parts[tag];
    if (Array.isArray(part)) {
      for (const glyph of part) {
        out.set(glyph, offset);
        offset += glyph.length;
      }
    } else {
      out.set(part, offset);
      offset += part.length;
    }
  });
  return out;
}
