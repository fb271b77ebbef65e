/** The look of Vigie's PDFs (see render-pdf.ts): fonts, page geometry, colours, sizes and spacing. */
import { cleanText } from './plain-text';
import type { TextRun } from './model';

export type Doc = PDFKit.PDFDocument;

export const FONT = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  italic: 'DejaVuSans-Oblique',
  boldItalic: 'DejaVuSans-BoldOblique',
} as const;
export type FontName = (typeof FONT)[keyof typeof FONT];

export const MARGINS = { top: 82, bottom: 68, left: 62, right: 62 };
/** Running header: top of its text and the rule under it, both above the top margin. */
export const HEADER_TEXT_Y = 36;
export const HEADER_RULE_Y = 52;
/** Footer text, measured from the bottom edge of the page. */
export const FOOTER_FROM_BOTTOM = 42;

export const COLOR = {
  text: '#1a1a1a',
  muted: '#5c5c5c',
  rule: '#9a9a9a',
  light: '#d0d0d0',
  accent: '#a3161a',
  factsLabelBg: '#f1f1f1',
  noticeBg: '#efefef',
  noticeBorder: '#b4b4b4',
  bar: '#a3161a',
} as const;

export const BODY = { size: 10.5, lineGap: 2.2 };
export const SMALL = { size: 9, lineGap: 1.6 };
export const HEADINGS = {
  1: { size: 14.5, font: FONT.bold, color: COLOR.accent, before: 16, after: 7 },
  2: { size: 12, font: FONT.bold, color: COLOR.text, before: 12, after: 5 },
  3: { size: 10.5, font: FONT.boldItalic, color: COLOR.text, before: 10, after: 4 },
} as const;
export const PARAGRAPH_AFTER = 7;
/** Lines of the next block a heading must have beneath it on its page. */
export const KEEP_WITH_HEADING_LINES = 3;

export const LIST_INDENT = 22;
export const QUOTE_INDENT = 18;
export const CITATION_INDENT = 14;
export const FACTS_PAD = 5;
export const NOTICE_PAD = 9;
export const SIGNATURE_BEFORE = 18;
export const BAR_HEIGHT = 11;
export const BAR_GAP = 6;

export const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

export const clean = cleanText;

export function runFont(run: TextRun): FontName {
  if (run.bold && run.italic) return FONT.boldItalic;
  if (run.bold) return FONT.bold;
  if (run.italic) return FONT.italic;
  return FONT.regular;
}

export function cleanRuns(runs: TextRun[]): TextRun[] {
  return runs.map((r) => ({ ...r, text: clean(r.text) })).filter((r) => r.text.length > 0);
}
