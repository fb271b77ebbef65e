/**
 * The blocks of a document model laid out on PDF pages (see render-pdf.ts), with page breaks chosen
 * by hand where pdfkit would not: a heading always stays with the start of what follows it, table
 * rows, the notice box, the signature and charts are never split when they fit on a page, and a
 * paragraph or list item never starts with a lone line at the bottom of a page.
 */
import type { Block, TextRun } from './model';
import { PdfPage } from './pdf-page';
import {
  BAR_GAP,
  BAR_HEIGHT,
  BODY,
  CITATION_INDENT,
  COLOR,
  FACTS_PAD,
  FONT,
  HEADINGS,
  KEEP_WITH_HEADING_LINES,
  LIST_INDENT,
  NOTICE_PAD,
  PARAGRAPH_AFTER,
  QUOTE_INDENT,
  SIGNATURE_BEFORE,
  SMALL,
  clean,
  cleanRuns,
  numberFormat,
} from './pdf-style';

export class PdfWriter extends PdfPage {
  // ---- Blocks -------------------------------------------------------------------------------

  blocks(blocks: Block[]): void {
    blocks.forEach((block, i) => {
      const next = blocks[i + 1];
      // The closing paragraph and the signature stay together: a signature alone on a page signs nothing.
      if (block.kind === 'paragraph' && next?.kind === 'signature') {
        const together = this.measureRuns(cleanRuns(block.runs), BODY.size, this.width, BODY.lineGap) + PARAGRAPH_AFTER + this.signatureHeight(next.lines);
        if (together <= this.contentHeight) this.ensureSpace(together);
      }
      if (block.kind === 'heading') this.heading(block, blocks.slice(i + 1));
      else this.block(block);
    });
  }

  private block(block: Exclude<Block, { kind: 'heading' }>): void {
    switch (block.kind) {
      case 'paragraph':
        return this.paragraph(block.runs);
      case 'list':
        return this.list(block.ordered, block.items);
      case 'quote':
        return this.quote(block.text, block.source);
      case 'facts':
        return this.facts(block.rows, block.wideLabels);
      case 'citations':
        return this.citations(block.items);
      case 'signature':
        return this.signature(block.lines);
      case 'notice':
        return this.notice(block.text);
      case 'barChart':
        return this.barChart(block.title, block.bars);
      case 'pageBreak':
        if (!this.atPageTop) this.newPage();
        return;
    }
  }

  private headingHeight(block: Extract<Block, { kind: 'heading' }>): { before: number; body: number } {
    const h = HEADINGS[block.level];
    return { before: h.before, body: this.measure(clean(block.text), h.font, h.size, this.width, 1) + h.after };
  }

  /**
   * Space the blocks after a heading need on its page: the first lines of the next block, or all
   * of it when it is never split. Consecutive headings add up, so a chain of them moves together.
   */
  private keepWithHeading(next: Block[]): number {
    const [first, ...rest] = next;
    if (!first) return 0;
    const bodyLine = this.lineHeight(FONT.regular, BODY.size, BODY.lineGap);
    const lines = (height: number, lineHeight: number) => Math.min(height, KEEP_WITH_HEADING_LINES * lineHeight);
    switch (first.kind) {
      case 'heading': {
        const h = this.headingHeight(first);
        return h.before + h.body + this.keepWithHeading(rest);
      }
      case 'paragraph':
        return lines(this.measureRuns(cleanRuns(first.runs), BODY.size, this.width, BODY.lineGap), bodyLine);
      case 'list': {
        const item = first.items[0];
        if (!item) return 0;
        return lines(this.measureRuns(cleanRuns(item), BODY.size, this.width - LIST_INDENT, BODY.lineGap), bodyLine);
      }
      case 'quote':
        return lines(this.measure(clean(first.text), FONT.italic, BODY.size, this.width - QUOTE_INDENT, BODY.lineGap), bodyLine) + 4;
      case 'facts': {
        const rows = first.rows.slice(0, 2);
        return rows.reduce((sum, row) => sum + this.factsRowHeight(row, first.wideLabels), 0);
      }
      case 'citations': {
        const smallLine = this.lineHeight(FONT.italic, SMALL.size, SMALL.lineGap);
        const item = first.items[0];
        const itemHeight = item ? this.measure(clean(item), FONT.italic, SMALL.size, this.width - CITATION_INDENT, SMALL.lineGap) : 0;
        return smallLine + 2 + lines(itemHeight, smallLine);
      }
      case 'signature':
        return this.signatureHeight(first.lines);
      case 'notice':
        return this.noticeHeight(clean(first.text));
      case 'barChart':
        return this.barChartLayout(first.title, first.bars).height;
      case 'pageBreak':
        return 0;
    }
  }

  private heading(block: Extract<Block, { kind: 'heading' }>, next: Block[]): void {
    const doc = this.doc;
    const h = HEADINGS[block.level];
    const { before, body } = this.headingHeight(block);
    const needed = (this.atPageTop ? 0 : before) + body + this.keepWithHeading(next);
    // A chain that cannot fit on any page is only asked to start on a fresh one.
    if (needed > this.remaining && !this.atPageTop) this.newPage();
    if (!this.atPageTop) doc.y += before;
    this.style(h.font, h.size, h.color);
    doc.text(clean(block.text), this.left, doc.y, { width: this.width, lineGap: 1 });
    doc.y += h.after;
  }

  private paragraph(runs: TextRun[]): void {
    const texts = cleanRuns(runs);
    if (texts.length === 0) return;
    const line = this.lineHeight(FONT.regular, BODY.size, BODY.lineGap);
    const height = this.measureRuns(texts, BODY.size, this.width, BODY.lineGap);
    // No lone first line at the bottom of a page: two lines, or the whole paragraph.
    this.ensureSpace(Math.min(height, 2 * line));
    this.writeRuns(texts, this.left, this.width, BODY.size, BODY.lineGap);
    this.doc.y += PARAGRAPH_AFTER;
  }

  private list(ordered: boolean, items: TextRun[][]): void {
    const doc = this.doc;
    const line = this.lineHeight(FONT.regular, BODY.size, BODY.lineGap);
    const textX = this.left + LIST_INDENT;
    const textWidth = this.width - LIST_INDENT;
    let number = 0;
    for (const item of items) {
      const runs = cleanRuns(item);
      number += 1;
      if (runs.length === 0) continue;
      const height = this.measureRuns(runs, BODY.size, textWidth, BODY.lineGap);
      this.ensureSpace(Math.min(height, 2 * line));
      const y = doc.y;
      const marker = ordered ? `${number}.` : '•';
      this.style(FONT.regular, BODY.size, ordered ? COLOR.text : COLOR.accent);
      const markerWidth = doc.widthOfString(marker);
      // Numbers end just before the text, bullets sit in the middle of the indent.
      const markerX = ordered ? textX - 6 - markerWidth : this.left + 8;
      doc.text(marker, markerX, y, { lineBreak: false });
      doc.y = y;
      this.writeRuns(runs, textX, textWidth, BODY.size, BODY.lineGap);
      doc.y += 3.5;
    }
    doc.y += PARAGRAPH_AFTER - 3.5;
  }

  private quote(text: string, source: string | undefined): void {
    const doc = this.doc;
    const body = clean(text);
    const from = clean(source ?? '').trim();
    const line = this.lineHeight(FONT.italic, BODY.size, BODY.lineGap);
    const x = this.left + QUOTE_INDENT;
    const width = this.width - QUOTE_INDENT;
    const height = this.measure(body, FONT.italic, BODY.size, width, BODY.lineGap);
    this.ensureSpace(Math.min(height, 2 * line) + 4);
    doc.y += 2;
    const start = { page: this.pageIndex, y: doc.y };
    this.style(FONT.italic, BODY.size, '#333333');
    doc.text(body, x, doc.y, { width, lineGap: BODY.lineGap });
    if (from) {
      const sourceHeight = this.measure(`— ${from}`, FONT.regular, SMALL.size, width, SMALL.lineGap);
      this.ensureSpace(sourceHeight + 2);
      doc.y += 2;
      this.style(FONT.regular, SMALL.size, COLOR.muted);
      doc.text(`— ${from}`, x, doc.y, { width, lineGap: SMALL.lineGap });
    }
    const end = { page: this.pageIndex, y: doc.y - BODY.lineGap };
    // The bar beside the quote, one piece on each page the quote runs over.
    for (let page = start.page; page <= end.page; page++) {
      this.doc.switchToPage(page);
      const y0 = page === start.page ? start.y : this.top;
      const y1 = page === end.page ? end.y : this.maxY;
      if (y1 > y0) doc.save().rect(this.left + 4, y0 + 1, 2.5, y1 - y0 - 1).fill(COLOR.light).restore();
    }
    doc.x = this.left;
    doc.y = end.y + BODY.lineGap + PARAGRAPH_AFTER + 2;
  }

  private factsRowHeight(row: { label: string; value: string }, wideLabels = false): number {
    const { labelWidth, valueWidth } = this.factsColumns(wideLabels);
    const label = this.measure(clean(row.label), FONT.bold, SMALL.size + 0.5, labelWidth - 2 * FACTS_PAD, SMALL.lineGap);
    const value = this.measure(clean(row.value), FONT.regular, BODY.size - 0.5, valueWidth - 2 * FACTS_PAD, SMALL.lineGap);
    return Math.max(label, value, this.lineHeight(FONT.regular, BODY.size - 0.5, SMALL.lineGap)) + 2 * FACTS_PAD;
  }

  private factsColumns(wideLabels = false): { labelWidth: number; valueWidth: number } {
    const labelWidth = Math.round(this.width * (wideLabels ? 0.6 : 0.32));
    return { labelWidth, valueWidth: this.width - labelWidth };
  }

  /** A two-column table, row by row: a page break only ever falls between two rows. */
  private facts(rows: Array<{ label: string; value: string }>, wideLabels = false): void {
    const doc = this.doc;
    if (rows.length === 0) return;
    const { labelWidth, valueWidth } = this.factsColumns(wideLabels);
    const rule = (color: string, width: number) =>
      doc.save().lineWidth(width).moveTo(this.left, doc.y).lineTo(this.right, doc.y).stroke(color).restore();
    let first = true;
    for (const row of rows) {
      const label = clean(row.label);
      const value = clean(row.value);
      const height = this.factsRowHeight(row, wideLabels);
      const page = this.pageIndex;
      this.ensureSpace(height);
      const y = doc.y;
      if (height > this.contentHeight) {
        // A value longer than a page: label above, value flowing over the pages below it.
        rule(COLOR.rule, 0.6);
        this.style(FONT.bold, SMALL.size + 0.5, COLOR.text);
        doc.text(label, this.left + FACTS_PAD, y + FACTS_PAD, { width: this.width - 2 * FACTS_PAD, lineGap: SMALL.lineGap });
        this.style(FONT.regular, BODY.size - 0.5, COLOR.text);
        doc.text(value, this.left + FACTS_PAD, doc.y + 2, { width: this.width - 2 * FACTS_PAD, lineGap: SMALL.lineGap });
        doc.y += FACTS_PAD;
      } else {
        doc.save().rect(this.left, y, labelWidth, height).fill(COLOR.factsLabelBg).restore();
        // The table's top rule, again at the top of a page it continues on.
        if (first || this.pageIndex !== page) rule(COLOR.rule, 0.6);
        this.style(FONT.bold, SMALL.size + 0.5, COLOR.text);
        doc.text(label, this.left + FACTS_PAD, y + FACTS_PAD + 0.6, { width: labelWidth - 2 * FACTS_PAD, lineGap: SMALL.lineGap });
        this.style(FONT.regular, BODY.size - 0.5, COLOR.text);
        doc.text(value, this.left + labelWidth + FACTS_PAD, y + FACTS_PAD, { width: valueWidth - 2 * FACTS_PAD, lineGap: SMALL.lineGap });
        doc.y = y + height;
      }
      first = false;
      rule(COLOR.light, 0.4);
    }
    rule(COLOR.rule, 0.6);
    doc.x = this.left;
    doc.y += PARAGRAPH_AFTER + 3;
  }

  private citations(items: string[]): void {
    const doc = this.doc;
    const refs = items.map(clean).map((s) => s.trim()).filter(Boolean);
    if (refs.length === 0) return;
    const line = this.lineHeight(FONT.italic, SMALL.size, SMALL.lineGap);
    const textX = this.left + CITATION_INDENT;
    const width = this.width - CITATION_INDENT;
    const heights = refs.map((ref) => this.measure(ref, FONT.italic, SMALL.size, width, SMALL.lineGap) + 1.5);
    const total = line + 2 + heights.reduce((a, b) => a + b, 0);
    // A list of references is short: kept whole with its label when a page can hold it.
    this.ensureSpace(total <= this.contentHeight ? total : line + 2 + Math.min(heights[0]!, 2 * line));
    this.style(FONT.boldItalic, SMALL.size, COLOR.muted);
    doc.text('Références\u00a0:', this.left, doc.y, { width: this.width, lineGap: SMALL.lineGap });
    doc.y += 2;
    for (const ref of refs) {
      const height = this.measure(ref, FONT.italic, SMALL.size, width, SMALL.lineGap);
      this.ensureSpace(Math.min(height, 2 * line));
      const y = doc.y;
      this.style(FONT.italic, SMALL.size, COLOR.muted);
      doc.text('–', this.left + 4, y, { lineBreak: false });
      doc.text(ref, textX, y, { width, lineGap: SMALL.lineGap });
      doc.y += 1.5;
    }
    doc.x = this.left;
    doc.y += PARAGRAPH_AFTER;
  }

  private signatureHeight(lines: string[]): number {
    const texts = lines.map(clean).filter((l) => l.trim());
    const width = this.width * 0.6;
    return SIGNATURE_BEFORE + texts.reduce((sum, l, i) => sum + this.measure(l, i === 0 ? FONT.bold : FONT.regular, BODY.size, width, BODY.lineGap), 0);
  }

  /** Right-aligned, kept together on one page. */
  private signature(lines: string[]): void {
    const doc = this.doc;
    const texts = lines.map(clean).filter((l) => l.trim());
    if (texts.length === 0) return;
    const width = this.width * 0.6;
    this.ensureSpace(this.signatureHeight(lines));
    if (!this.atPageTop) doc.y += SIGNATURE_BEFORE;
    texts.forEach((text, i) => {
      this.style(i === 0 ? FONT.bold : FONT.regular, BODY.size, COLOR.text);
      doc.text(text, this.right - width, doc.y, { width, align: 'right', lineGap: BODY.lineGap });
    });
    doc.x = this.left;
    doc.y += PARAGRAPH_AFTER + 4;
  }

  private noticeHeight(text: string): number {
    return this.measure(text, FONT.regular, SMALL.size, this.width - 2 * NOTICE_PAD, SMALL.lineGap) + 2 * NOTICE_PAD;
  }

  /** A light grey box around the text, measured first so the box is drawn beneath it whole. */
  private notice(raw: string): void {
    const doc = this.doc;
    const text = clean(raw).trim();
    if (!text) return;
    const height = this.noticeHeight(text);
    if (!this.atPageTop) doc.y += 4;
    this.ensureSpace(height);
    const y = doc.y;
    if (height <= this.contentHeight) {
      doc.save().lineWidth(0.6).rect(this.left, y, this.width, height).fillAndStroke(COLOR.noticeBg, COLOR.noticeBorder).restore();
    }
    this.style(FONT.regular, SMALL.size, '#333333');
    doc.text(text, this.left + NOTICE_PAD, y + NOTICE_PAD, { width: this.width - 2 * NOTICE_PAD, lineGap: SMALL.lineGap });
    doc.x = this.left;
    doc.y = Math.max(doc.y, y + height) + PARAGRAPH_AFTER + 3;
  }

  private barChartLayout(title: string, bars: Array<{ label: string; value: number; display?: string }>) {
    const doc = this.doc;
    const labelWidth = Math.round(this.width * 0.36);
    const values = bars.map((b) => (Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
    const displays = bars.map((b) => clean(b.display ?? numberFormat.format(Number.isFinite(b.value) ? b.value : 0)));
    doc.font(FONT.bold).fontSize(SMALL.size);
    const valueWidth = Math.max(24, ...displays.map((d) => doc.widthOfString(d))) + 8;
    const barAreaX = this.left + labelWidth + 8;
    const barAreaWidth = Math.max(40, this.right - barAreaX - valueWidth);
    const max = Math.max(0, ...values);
    const titleText = clean(title).trim();
    const titleHeight = titleText ? this.measure(titleText, FONT.bold, BODY.size + 0.5, this.width, 1) + 8 : 0;
    const rows = bars.map((bar, i) => {
      const labelHeight = this.measure(clean(bar.label), FONT.regular, SMALL.size, labelWidth, SMALL.lineGap);
      return {
        label: clean(bar.label),
        display: displays[i]!,
        width: max > 0 ? (values[i]! / max) * barAreaWidth : 0,
        height: Math.max(BAR_HEIGHT, labelHeight) + BAR_GAP,
      };
    });
    const height = titleHeight + rows.reduce((sum, r) => sum + r.height, 0) + 4;
    return { titleText, titleHeight, labelWidth, barAreaX, rows, height };
  }

  /** Horizontal bars drawn as vector rectangles, scaled to the largest value. */
  private barChart(title: string, bars: Array<{ label: string; value: number; display?: string }>): void {
    const doc = this.doc;
    const layout = this.barChartLayout(title, bars);
    if (!layout.titleText && layout.rows.length === 0) return;
    // Kept whole on one page when it fits on one.
    if (layout.height <= this.contentHeight) this.ensureSpace(layout.height);
    if (layout.titleText) {
      this.style(FONT.bold, BODY.size + 0.5, COLOR.text);
      doc.text(layout.titleText, this.left, doc.y, { width: this.width, lineGap: 1 });
      doc.y += 8;
    }
    let axisTop = doc.y;
    const drawAxis = (bottom: number) => {
      if (bottom > axisTop) {
        doc.save().lineWidth(0.8).moveTo(layout.barAreaX, axisTop).lineTo(layout.barAreaX, bottom).stroke(COLOR.rule).restore();
      }
    };
    for (const row of layout.rows) {
      if (row.height > this.remaining && !this.atPageTop) {
        drawAxis(doc.y);
        this.newPage();
        axisTop = doc.y;
      }
      const y = doc.y;
      this.style(FONT.regular, SMALL.size, COLOR.text);
      doc.text(row.label, this.left, y + 1, { width: layout.labelWidth, lineGap: SMALL.lineGap });
      const barY = y + (row.height - BAR_GAP - BAR_HEIGHT) / 2;
      if (row.width > 0) doc.save().rect(layout.barAreaX, barY, row.width, BAR_HEIGHT).fill(COLOR.bar).restore();
      this.style(FONT.bold, SMALL.size, COLOR.text);
      doc.text(row.display, layout.barAreaX + row.width + 5, barY + (BAR_HEIGHT - doc.currentLineHeight()) / 2, { lineBreak: false });
      doc.y = y + row.height;
    }
    drawAxis(doc.y - BAR_GAP / 2);
    doc.x = this.left;
    doc.y += PARAGRAPH_AFTER + 4;
  }

}
