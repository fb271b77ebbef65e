/**
 * The page of a PDF being written (see render-pdf.ts): where the text may go, measuring and writing
 * runs of text, the title block, and the running header and footer written last on every page.
 */
import { hash } from 'node:crypto';
import { BODY, COLOR, type Doc, FONT, type FontName, FOOTER_FROM_BOTTOM, HEADER_RULE_Y, HEADER_TEXT_Y, clean, runFont } from './pdf-style';
import type { DocumentModel, TextRun } from './model';

/**
 * Lines a text takes in a font, size and width (see PdfPage.measure); dropped whole when full.
 * Keyed by a digest, not the text: a brief's paragraphs name the agent, and an erased agent's name
 * must not stay in memory (forgetMeasuredLines empties it on erasure too).
 */
const measuredLines = new Map<string, number>();
const MEASURED_MAX = 20_000;

export function forgetMeasuredLines(): void {
  measuredLines.clear();
}

/** For tests: how many texts are remembered, and whether any key holds `fragment` in clear. */
export function measuredLinesHold(fragment: string): { size: number; inClear: boolean } {
  return { size: measuredLines.size, inClear: [...measuredLines.keys()].some((key) => key.includes(fragment)) };
}

export class PdfPage {
  protected readonly doc: Doc;

  constructor(doc: Doc) {
    this.doc = doc;
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get right(): number {
    return this.left + this.width;
  }
  get top(): number {
    return this.doc.page.margins.top;
  }
  get maxY(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get contentHeight(): number {
    return this.maxY - this.top;
  }
  get remaining(): number {
    return this.maxY - this.doc.y;
  }
  get atPageTop(): boolean {
    return this.doc.y <= this.top + 0.5;
  }
  /** Index of the page being written: always the last one, pages being buffered. */
  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.y = this.top;
  }

  /** Starts a new page unless `height` fits below the current position (or we are at the top). */
  ensureSpace(height: number): void {
    if (height > this.remaining && !this.atPageTop) this.newPage();
  }

  style(font: FontName, size: number, color: string = COLOR.text): void {
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  lineHeight(font: FontName, size: number, lineGap: number): number {
    this.doc.font(font).fontSize(size);
    return this.doc.currentLineHeight(true) + lineGap;
  }

  /**
   * The height of `text` wrapped at `width`, as pdfkit's heightOfString gives it: one step of the
   * line height (gap included) per line. The number of lines is remembered across documents (the
   * same paragraphs come back in every brief), and the height summed again from the current
   * position as pdfkit sums it, so a remembered height is the very number pdfkit would give.
   */
  measure(text: string, font: FontName, size: number, width: number, lineGap: number): number {
    if (!text) return 0;
    const doc = this.doc;
    doc.font(font).fontSize(size);
    // The one-shot digest: a hash object per measured text cost more than the measuring it saves.
    const key = hash('sha256', `${font}\u0000${size}\u0000${width}\u0000${lineGap}\u0000${text}`, 'base64');
    const step = doc.currentLineHeight(true) + lineGap;
    const lines = measuredLines.get(key);
    if (lines !== undefined) {
      let y = doc.y;
      for (let i = 0; i < lines; i++) y += step;
      return y - doc.y;
    }
    const height = doc.heightOfString(text, { width, lineGap });
    if (measuredLines.size >= MEASURED_MAX) measuredLines.clear();
    measuredLines.set(key, Math.round(height / step));
    return height;
  }

  /** Height of runs written with mixed fonts; measured in bold when any run is bold, to be safe. */
  measureRuns(runs: TextRun[], size: number, width: number, lineGap: number): number {
    const text = runs.map((r) => r.text).join('');
    const font = runs.some((r) => r.bold) ? FONT.bold : FONT.regular;
    return this.measure(text, font, size, width, lineGap);
  }

  /** Writes runs as one flowing paragraph at (x, doc.y); pdfkit breaks pages inside it. */
  writeRuns(runs: TextRun[], x: number, width: number, size: number, lineGap: number, color: string = COLOR.text): void {
    const doc = this.doc;
    runs.forEach((run, i) => {
      this.style(runFont(run), size, color);
      const options: PDFKit.Mixins.TextOptions = { width, lineGap, align: 'left', continued: i < runs.length - 1 };
      if (i === 0) doc.text(run.text, x, doc.y, options);
      else doc.text(run.text, options);
    });
    doc.x = this.left;
  }

  // ---- Title block --------------------------------------------------------------------------

  title(model: DocumentModel): void {
    const doc = this.doc;
    doc.y = this.top;
    const title = clean(model.title).trim();
    if (title) {
      this.style(FONT.bold, 20, COLOR.text);
      doc.text(title, this.left, doc.y, { width: this.width, lineGap: 2 });
    }
    const subtitle = clean(model.subtitle ?? '').trim();
    if (subtitle) {
      doc.y += 3;
      this.style(FONT.regular, 12, COLOR.muted);
      doc.text(subtitle, this.left, doc.y, { width: this.width, lineGap: 1.5 });
    }
    if (title || subtitle) {
      doc.y += 8;
      doc.save().rect(this.left, doc.y, 56, 2.2).fill(COLOR.accent).restore();
      doc.y += 2.2 + 18;
    }
  }


  // ---- Running header and footer --------------------------------------------------------------

  /** Shortens `text` with an ellipsis until it fits `width` in the current font. */
  protected fit(text: string, width: number): string {
    if (this.doc.widthOfString(text) <= width) return text;
    let chars = [...text];
    while (chars.length > 1 && this.doc.widthOfString(`${chars.join('').trimEnd()}…`) > width) chars = chars.slice(0, -1);
    return `${chars.join('').trimEnd()}…`;
  }

  /** Written last, on every buffered page, when the page count is known. */
  headerAndFooter(model: DocumentModel): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const left = clean(model.header.left).replace(/\n/g, ' ').trim();
    const right = clean(model.header.right ?? '').replace(/\n/g, ' ').trim();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const margins = doc.page.margins;
      const bottomMargin = margins.bottom;
      // No automatic page break while writing in the margins.
      margins.bottom = 0;
      this.style(FONT.regular, 8.5, COLOR.muted);
      const rightText = right ? this.fit(right, this.width * 0.45) : '';
      const rightWidth = rightText ? doc.widthOfString(rightText) : 0;
      if (left) doc.text(this.fit(left, this.width - rightWidth - 16), this.left, HEADER_TEXT_Y, { lineBreak: false });
      if (rightText) doc.text(rightText, this.right - rightWidth, HEADER_TEXT_Y, { lineBreak: false });
      doc.save().lineWidth(0.5).moveTo(this.left, HEADER_RULE_Y).lineTo(this.right, HEADER_RULE_Y).stroke(COLOR.rule).restore();

      const footer = `page ${i - range.start + 1} sur ${range.count}`;
      this.style(FONT.regular, 8.5, COLOR.muted);
      const footerWidth = doc.widthOfString(footer);
      doc.text(footer, this.left + (this.width - footerWidth) / 2, doc.page.height - FOOTER_FROM_BOTTOM, { lineBreak: false });
      margins.bottom = bottomMargin;
    }
  }
}
