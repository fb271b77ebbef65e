/**
 * The font subsets embedded in PDFs, kept across documents. Each PDF embeds, per font it uses, a
 * TrueType font of just the glyphs it shows, numbered in the order the text first uses them. Making
 * that font (fontkit's subset encoding) and deflating it cost about a seventh of a brief's
 * rendering, and documents written from the same texts use the same glyphs in the same order: the
 * headings, labels and references of every brief, in the bold and italic fonts above all. A subset
 * is kept by a digest of its font and glyph list, and handed back, with its deflated bytes, to the
 * next document asking for the same one. Its bytes are those fontkit would make again.
 *
 * A glyph list says which letters a text uses, in which order: the list is kept only as a digest,
 * and everything is dropped with the other texts' caches (forgetFontSubsets, on an agent's erasure).
 */
import { hash } from 'node:crypto';
import { deflate, rememberDeflated } from './pdf-streams';
import { encodeTrueTypeSubset, isTrueTypeSubset } from './truetype-subset';

/** Some 25 KB each (the font and its deflated bytes): a few megabytes at most. */
export const SUBSETS_MAX = 96;

interface KeptSubset {
  raw: Uint8Array;
  /** The glyph list once encoded: composite glyphs add their parts to it. */
  glyphs: number[];
}

const keptSubsets = new Map<string, KeptSubset>();

export function forgetFontSubsets(): void {
  keptSubsets.clear();
}

/** For tests: how many subsets are kept. */
export function keptFontSubsets(): number {
  return keptSubsets.size;
}

/** fontkit's TTFSubset, as pdfkit's embedded font holds it. */
interface Subset {
  glyphs: number[];
  mapping: Record<number, number>;
  encode(): Uint8Array;
}

function looksLikeSubset(subset: unknown): subset is Subset {
  const s = subset as Partial<Subset> | null;
  return !!s && Array.isArray(s.glyphs) && typeof s.mapping === 'object' && typeof s.encode === 'function';
}

/**
 * Has the subset of pdfkit's embedded font `font` (its `subset`) made once per glyph list.
 * `fontName` tells the fonts apart. Left alone if pdfkit or fontkit change shape.
 */
export function shareFontSubset(font: unknown, fontName: string): void {
  const subset = (font as { subset?: unknown } | null)?.subset;
  if (!looksLikeSubset(subset)) return;
  const fontkitEncode = subset.encode.bind(subset);
  const encode = isTrueTypeSubset(subset) ? () => encodeTrueTypeSubset(subset, fontkitEncode) : fontkitEncode;
  subset.encode = () => {
    const key = hash('sha256', `${fontName}\u0000${subset.glyphs.join(',')}`, 'base64');
    const kept = keptSubsets.get(key);
    if (kept) {
      // Most recently used last, so that the oldest go first.
      keptSubsets.delete(key);
      keptSubsets.set(key, kept);
      for (let gid = subset.glyphs.length; gid < kept.glyphs.length; gid++) subset.mapping[kept.glyphs[gid]!] = gid;
      subset.glyphs = kept.glyphs.slice();
      return kept.raw;
    }
    const raw = encode();
    rememberDeflated(raw, deflate(raw));
    if (keptSubsets.size >= SUBSETS_MAX) keptSubsets.delete(keptSubsets.keys().next().value!);
    keptSubsets.set(key, { raw, glyphs: subset.glyphs.slice() });
    return raw;
  };
}
