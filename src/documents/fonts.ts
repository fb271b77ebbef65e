/**
 * The DejaVu Sans fonts embedded in the PDFs. They come from the dejavu-fonts-ttf package, found
 * through Node's module resolution (never a hard-coded path), so they work wherever node_modules
 * is. DejaVu Sans covers every character French text needs, including « », œ, ’, … and the
 * narrow no-break space (U+202F) used before ; : ! ? and inside guillemets.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

const FILES: Record<FontStyle, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
};

let fontDir: string | undefined;

/** The package's ttf/ folder. The package has no "exports" map, so its package.json resolves. */
export function dejavuDirectory(): string {
  if (!fontDir) {
    const require = createRequire(import.meta.url);
    fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  }
  return fontDir;
}

/** Absolute paths of the four DejaVu Sans styles. */
export function dejavuFontPaths(): Record<FontStyle, string> {
  const dir = dejavuDirectory();
  return {
    regular: join(dir, FILES.regular),
    bold: join(dir, FILES.bold),
    italic: join(dir, FILES.italic),
    boldItalic: join(dir, FILES.boldItalic),
  };
}

let fontData: Record<FontStyle, Buffer> | undefined;

/**
 * The font files' bytes, read once per process (about 2.5 MB in all) and shared by every PDF:
 * each document parses and subsets them itself, so the buffers are only read, never changed.
 */
export function dejavuFontData(): Record<FontStyle, Buffer> {
  if (!fontData) {
    const paths = dejavuFontPaths();
    fontData = {
      regular: readFileSync(paths.regular),
      bold: readFileSync(paths.bold),
      italic: readFileSync(paths.italic),
      boldItalic: readFileSync(paths.boldItalic),
    };
  }
  return fontData;
}

/** Name of the font family as office suites know it. */
export const DEJAVU_FAMILY = 'DejaVu Sans';


export type ParsedFont = { layout: (...args: unknown[]) => unknown };
let parsedFonts: Record<FontStyle, ParsedFont> | undefined;

/**
 * The fonts parsed once per process and shared by every PDF: parsing and the glyph tables fontkit
 * builds on first use are the same for every document (the subsets embedded: pdf-font-subsets.ts).
 */
export function dejavuParsedFonts(): Record<FontStyle, ParsedFont> {
  if (!parsedFonts) {
    const data = dejavuFontData();
    const parse = (buffer: Buffer): ParsedFont => keepDecodedGlyphs(fontkit.create(new Uint8Array(buffer)) as unknown as GlyphSource);
    parsedFonts = { regular: parse(data.regular), bold: parse(data.bold), italic: parse(data.italic), boldItalic: parse(data.boldItalic) };
  }
  return parsedFonts;
}

interface GlyphSource extends ParsedFont {
  getGlyph(id: number, codePoints?: number[]): { _decode?: () => unknown } | null;
}

/**
 * Every PDF embeds a subset of each font it uses, and making the subset decodes the outline of each
 * glyph it holds (fontkit's TrueType glyph `_decode`, to find the parts of composite glyphs): the
 * same outlines for every document. Glyph objects live as long as the parsed font, so each one
 * keeps its decoded outline, which nothing changes afterwards. Left as it is if fontkit changes shape.
 */
function keepDecodedGlyphs(font: GlyphSource): ParsedFont {
  const getGlyph = font.getGlyph.bind(font);
  const kept = new WeakSet<object>();
  font.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints);
    if (glyph && !kept.has(glyph) && typeof glyph._decode === 'function') {
      const decode = glyph._decode.bind(glyph);
      let done = false;
      let decoded: unknown;
      glyph._decode = () => {
        if (!done) {
          decoded = decode();
          done = true;
        }
        return decoded;
      };
      kept.add(glyph);
    }
    return glyph;
  };
  return font;
}
