/**
 * pdfkit's embedded font lays a text out by cutting it after each space and tab and looking each
 * word up in its cache of shaped words (shared across documents, see render-pdf.ts): it measures
 * every word while wrapping lines, then lays out and encodes every line it writes. Its own code
 * grows a new array for each word (`concat`) and writes each glyph's id in hex again for every
 * occurrence: together a sixth of a brief's rendering. The two methods below do the same, with the
 * same results, in one pass: the words are cut at the same places, found in the same cache, and
 * each glyph is added to the font subset, its width and its characters noted, the first time the
 * document uses it, exactly as pdfkit does.
 */

interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface Run {
  glyphs: Glyph[];
  positions: object[];
  advanceWidth: number;
}
interface Layout {
  glyphs: Glyph[] | null;
  positions: object[] | null;
  advanceWidth: number;
}
/** pdfkit's EmbeddedFont, as far as these methods use it. */
interface EmbeddedFont {
  scale: number;
  widths: number[];
  unicode: number[][];
  subset: { includeGlyph(id: number): number };
  layoutCached(text: string): Run;
  layout(text: string, features?: unknown, onlyWidth?: boolean): Layout;
  encode(text: string, features?: unknown): [string[], object[]];
}

function looksLikeEmbeddedFont(font: unknown): font is EmbeddedFont {
  const f = font as Partial<EmbeddedFont> | null;
  return (
    !!f &&
    typeof f.scale === 'number' &&
    Array.isArray(f.widths) &&
    Array.isArray(f.unicode) &&
    typeof f.subset?.includeGlyph === 'function' &&
    typeof f.layoutCached === 'function' &&
    typeof f.layout === 'function' &&
    typeof f.encode === 'function'
  );
}

const SPACE = 32;
const TAB = 9;

/**
 * A shaped word's advance: fontkit sums its glyphs' advances again each time it is asked. A shaped
 * word is never changed once in the cache (pdfkit copies a position before changing it), so its
 * sum is kept for as long as the word is.
 */
const advances = new WeakMap<Run, number>();

function runAdvance(run: Run): number {
  let advance = advances.get(run);
  if (advance === undefined) {
    advance = run.advanceWidth;
    advances.set(run, advance);
  }
  return advance;
}

/** Gives pdfkit's embedded font `font` the faster layout and encode; left alone if it changes shape. */
export function layOutFaster(font: unknown): void {
  if (!looksLikeEmbeddedFont(font)) return;
  const layout = font.layout.bind(font);
  const encode = font.encode.bind(font);

  font.layout = (text, features, onlyWidth) => {
    // Features (never asked for by Vigie) go through pdfkit's own layout, uncached.
    if (features) return layout(text, features, onlyWidth);
    const glyphs: Glyph[] | null = onlyWidth ? null : [];
    const positions: object[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    let last = 0;
    // A word ends just after a space or a tab (which belongs to it), or at the end of the text.
    // One loop, no closure: this runs for every word measured and every line written.
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      const end = code === SPACE || code === TAB ? index + 1 : index === text.length - 1 ? text.length : -1;
      if (end < 0) continue;
      const run = font.layoutCached(text.slice(last, end));
      if (glyphs && positions) {
        for (let i = 0; i < run.glyphs.length; i++) {
          glyphs.push(run.glyphs[i]!);
          positions.push(run.positions[i]!);
        }
      }
      advanceWidth += runAdvance(run);
      last = end;
    }
    return { glyphs, positions, advanceWidth };
  };

  // The hex id of each glyph in this document's subset, by the glyph's id in the font.
  const hexIds = new Map<number, string>();
  font.encode = (text, features) => {
    if (features) return encode(text, features);
    const { glyphs, positions } = font.layout(text);
    const hex: string[] = new Array(glyphs!.length);
    for (let i = 0; i < glyphs!.length; i++) {
      const glyph = glyphs![i]!;
      let id = hexIds.get(glyph.id);
      if (id === undefined) {
        const gid = font.subset.includeGlyph(glyph.id);
        id = `0000${gid.toString(16)}`.slice(-4);
        hexIds.set(glyph.id, id);
        if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
        if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
      }
      hex[i] = id;
    }
    return [hex, positions!];
  };
}
