/**
 * DOCX rendering of a document model with the docx package: the same structure as the PDF, as
 * editable Word content built on named styles (Titre, Heading 1-3, Quote, Signature…), real
 * numbered lists and real tables, so the rep can rework the text in Word or LibreOffice.
 * Calibri is the font: it is on every Office installation, LibreOffice stands in Carlito (same
 * metrics), and it has the narrow no-break space. Bar charts become a table of their values.
 */
import {
  PageBreak,
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type IBorderOptions,
  type ParagraphChild,
} from 'docx';
import type { Block, DocumentModel, TextRun as ModelRun } from './model';
import { cleanXmlText } from './plain-text';

const FONT = 'Calibri';
/** A4 in twentieths of a point. */
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1500, bottom: 1300, left: 1240, right: 1240, header: 620, footer: 560 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const COLOR = { text: '1A1A1A', muted: '5C5C5C', rule: '9A9A9A', light: 'D0D0D0', accent: 'A3161A', labelBg: 'F1F1F1', noticeBg: 'EFEFEF', noticeBorder: 'B4B4B4' };
/** Font sizes in half-points. */
const SIZE = { body: 22, small: 18, header: 17, h1: 30, h2: 25, h3: 22, title: 40, subtitle: 24 };

const NUMBERING = { bullet: 'vigie-bullet', ordered: 'vigie-ordered', references: 'vigie-references' } as const;

const STYLE = { subtitle: 'Subtitle', quote: 'Quote', quoteSource: 'QuoteSource', references: 'References', signature: 'Signature', notice: 'Notice', chartTitle: 'ChartTitle', tableText: 'TableText' } as const;

const clean = cleanXmlText;

const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const line = (color: string, size = 4): IBorderOptions => ({ style: BorderStyle.SINGLE, size, color });

/** Runs of text; line breaks inside a run become Word line breaks. */
function textRuns(text: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun[] {
  return clean(text)
    .split('\n')
    .map((part, i) => new TextRun({ text: part, ...options, ...(i > 0 ? { break: 1 } : {}) }));
}

function modelRuns(runs: ModelRun[]): TextRun[] {
  return runs.flatMap((r) => textRuns(r.text, { ...(r.bold ? { bold: true } : {}), ...(r.italic ? { italics: true } : {}) }));
}

const hasText = (runs: ModelRun[]) => runs.some((r) => clean(r.text).trim() !== '');

class DocxBuilder {
  private readonly children: Array<Paragraph | Table> = [];
  /** Each list is its own numbering instance, so every ordered list counts from 1. */
  private listInstance = 0;

  build(model: DocumentModel): Array<Paragraph | Table> {
    const title = clean(model.title).trim();
    if (title) this.children.push(new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns(title) }));
    const subtitle = clean(model.subtitle ?? '').trim();
    if (subtitle) this.children.push(new Paragraph({ style: STYLE.subtitle, children: textRuns(subtitle) }));
    for (const block of model.blocks) this.block(block);
    // Word needs at least one paragraph in the body, and one after a final table.
    const last = this.children.at(-1);
    if (!last || last instanceof Table) this.children.push(new Paragraph({}));
    return this.children;
  }

  private block(block: Block): void {
    switch (block.kind) {
      case 'heading': {
        const heading = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][block.level - 1];
        return void this.children.push(new Paragraph({ heading, children: textRuns(block.text) }));
      }
      case 'paragraph':
        if (hasText(block.runs)) this.children.push(new Paragraph({ children: modelRuns(block.runs) }));
        return;
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
        return void this.children.push(new Paragraph({ children: [new PageBreak()] }));
    }
  }

  private list(ordered: boolean, items: ModelRun[][]): void {
    const instance = ++this.listInstance;
    const reference = ordered ? NUMBERING.ordered : NUMBERING.bullet;
    for (const item of items) {
      // An empty item keeps its number, as in the PDF.
      this.children.push(new Paragraph({ numbering: { reference, level: 0, instance }, children: hasText(item) ? modelRuns(item) : [] }));
    }
  }

  private quote(text: string, source: string | undefined): void {
    const from = clean(source ?? '').trim();
    this.children.push(new Paragraph({ style: STYLE.quote, keepNext: Boolean(from), children: textRuns(text) }));
    if (from) this.children.push(new Paragraph({ style: STYLE.quoteSource, children: textRuns(`— ${from}`) }));
  }

  private cell(children: ParagraphChild[], options: { width: number; shade?: string; alignRight?: boolean }): TableCell {
    return new TableCell({
      width: { size: options.width, type: WidthType.DXA },
      margins: { top: 80, bottom: 80, left: 110, right: 110 },
      ...(options.shade ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: options.shade } } : {}),
      children: [new Paragraph({ style: STYLE.tableText, ...(options.alignRight ? { alignment: AlignmentType.RIGHT } : {}), children })],
    });
  }

  /** Label/value table; a row never splits over two pages. */
  private facts(rows: Array<{ label: string; value: string }>, wideLabels = false): void {
    if (rows.length === 0) return;
    const labelWidth = Math.round(CONTENT_WIDTH * (wideLabels ? 0.6 : 0.32));
    const valueWidth = CONTENT_WIDTH - labelWidth;
    this.children.push(
      new Table({
        width: { size: CONTENT_WIDTH, type: WidthType.DXA },
        columnWidths: [labelWidth, valueWidth],
        layout: TableLayoutType.FIXED,
        borders: { top: line(COLOR.rule, 6), bottom: line(COLOR.rule, 6), insideHorizontal: line(COLOR.light), left: NONE, right: NONE, insideVertical: NONE },
        rows: rows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: [
                this.cell(textRuns(row.label, { bold: true }), { width: labelWidth, shade: COLOR.labelBg }),
                this.cell(textRuns(row.value), { width: valueWidth }),
              ],
            }),
        ),
      }),
    );
    this.spacer();
  }

  /** "Références :" then the references as a dashed list, small and italic. */
  private citations(items: string[]): void {
    const refs = items.map((i) => clean(i).trim()).filter(Boolean);
    if (refs.length === 0) return;
    const instance = ++this.listInstance;
    this.children.push(new Paragraph({ style: STYLE.references, keepNext: true, children: textRuns('Références\u00a0:', { bold: true }) }));
    refs.forEach((ref, i) => {
      this.children.push(
        new Paragraph({ style: STYLE.references, keepNext: i < refs.length - 1, numbering: { reference: NUMBERING.references, level: 0, instance }, children: textRuns(ref) }),
      );
    });
  }

  /** Right-aligned lines kept together on one page, the first one in bold. */
  private signature(lines: string[]): void {
    const texts = lines.map(clean).filter((l) => l.trim());
    texts.forEach((text, i) => {
      this.children.push(
        new Paragraph({
          style: STYLE.signature,
          keepNext: i < texts.length - 1,
          ...(i === 0 ? { spacing: { before: 360 } } : {}),
          children: textRuns(text, i === 0 ? { bold: true } : {}),
        }),
      );
    });
  }

  /** A one-cell table shaded light grey with a thin border: stays whole, and edits as a box. */
  private notice(text: string): void {
    const body = clean(text).trim();
    if (!body) return;
    this.spacer();
    this.children.push(
      new Table({
        width: { size: CONTENT_WIDTH, type: WidthType.DXA },
        columnWidths: [CONTENT_WIDTH],
        layout: TableLayoutType.FIXED,
        borders: {
          top: line(COLOR.noticeBorder),
          bottom: line(COLOR.noticeBorder),
          left: line(COLOR.noticeBorder),
          right: line(COLOR.noticeBorder),
          insideHorizontal: NONE,
          insideVertical: NONE,
        },
        rows: [
          new TableRow({
            cantSplit: true,
            children: [
              new TableCell({
                width: { size: CONTENT_WIDTH, type: WidthType.DXA },
                margins: { top: 140, bottom: 140, left: 170, right: 170 },
                shading: { type: ShadingType.CLEAR, color: 'auto', fill: COLOR.noticeBg },
                children: body.split(/\n\s*\n/).map((p) => new Paragraph({ style: STYLE.notice, children: textRuns(p) })),
              }),
            ],
          }),
        ],
      }),
    );
    this.spacer();
  }

  /** Charts are not drawn in Word: the same figures as a two-column table under the title. */
  private barChart(title: string, bars: Array<{ label: string; value: number; display?: string }>): void {
    const heading = clean(title).trim();
    if (heading) this.children.push(new Paragraph({ style: STYLE.chartTitle, children: textRuns(heading) }));
    if (bars.length === 0) return;
    const valueWidth = Math.round(CONTENT_WIDTH * 0.25);
    const labelWidth = CONTENT_WIDTH - valueWidth;
    const row = (label: TextRun[], value: TextRun[], header = false) =>
      new TableRow({
        cantSplit: true,
        keepNext: true,
        ...(header ? { tableHeader: true } : {}),
        children: [
          this.cell(label, { width: labelWidth, ...(header ? { shade: COLOR.labelBg } : {}) }),
          this.cell(value, { width: valueWidth, alignRight: true, ...(header ? { shade: COLOR.labelBg } : {}) }),
        ],
      });
    const display = (b: { value: number; display?: string }) => b.display ?? numberFormat.format(Number.isFinite(b.value) ? b.value : 0);
    this.children.push(
      new Table({
        width: { size: CONTENT_WIDTH, type: WidthType.DXA },
        columnWidths: [labelWidth, valueWidth],
        layout: TableLayoutType.FIXED,
        borders: { top: line(COLOR.rule, 6), bottom: line(COLOR.rule, 6), insideHorizontal: line(COLOR.light), left: NONE, right: NONE, insideVertical: NONE },
        rows: [row(textRuns('Libellé', { bold: true }), textRuns('Valeur', { bold: true }), true), ...bars.map((b) => row(textRuns(b.label), textRuns(display(b), { bold: true })))],
      }),
    );
    this.spacer();
  }

  /** Space after a table: Word puts none. */
  private spacer(): void {
    this.children.push(new Paragraph({ spacing: { before: 0, after: 0, line: 200 }, children: [] }));
  }
}

function header(model: DocumentModel): Header {
  const left = clean(model.header.left).replace(/\n/g, ' ').trim();
  const right = clean(model.header.right ?? '').replace(/\n/g, ' ').trim();
  return new Header({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
        border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: COLOR.rule, space: 4 } },
        children: [
          new TextRun({ text: left, size: SIZE.header, color: COLOR.muted }),
          ...(right ? [new TextRun({ children: [new Tab(), right], size: SIZE.header, color: COLOR.muted })] : []),
        ],
      }),
    ],
  });
}

function footer(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES], size: SIZE.header, color: COLOR.muted })],
      }),
    ],
  });
}

function listLevel(format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string, left: number, hanging: number, color?: string) {
  return {
    level: 0,
    format,
    text,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left, hanging } }, ...(color ? { run: { color } } : {}) },
  };
}

/** The document as a .docx file. */
export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  const subject = model.properties.subject ? clean(model.properties.subject) : undefined;
  const doc = new Document({
    title: clean(model.title),
    creator: clean(model.properties.author),
    lastModifiedBy: clean(model.properties.author),
    description: subject ?? clean(model.title),
    ...(subject ? { subject } : {}),
    styles: {
      default: {
        document: {
          run: { font: FONT, size: SIZE.body, color: COLOR.text, language: { value: 'fr-FR' } },
          paragraph: { spacing: { after: 140, line: 276 } },
        },
        title: { run: { font: FONT, size: SIZE.title, bold: true, color: COLOR.text }, paragraph: { spacing: { after: 60 }, keepNext: true } },
        heading1: { run: { font: FONT, size: SIZE.h1, bold: true, color: COLOR.accent }, paragraph: { spacing: { before: 320, after: 120 }, keepNext: true, keepLines: true } },
        heading2: { run: { font: FONT, size: SIZE.h2, bold: true, color: COLOR.text }, paragraph: { spacing: { before: 240, after: 100 }, keepNext: true, keepLines: true } },
        heading3: { run: { font: FONT, size: SIZE.h3, bold: true, italics: true, color: COLOR.text }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true, keepLines: true } },
        listParagraph: { paragraph: { spacing: { after: 60 } } },
      },
      paragraphStyles: [
        { id: STYLE.subtitle, name: 'Subtitle', basedOn: 'Normal', next: 'Normal', run: { size: SIZE.subtitle, color: COLOR.muted }, paragraph: { spacing: { after: 360 }, keepNext: true, border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: COLOR.accent, space: 8 } } } },
        { id: STYLE.quote, name: 'Quote', basedOn: 'Normal', next: 'Normal', run: { italics: true, color: '333333' }, paragraph: { indent: { left: 420 }, spacing: { before: 60, after: 100 }, border: { left: { style: BorderStyle.SINGLE, size: 18, color: COLOR.light, space: 10 } } } },
        { id: STYLE.quoteSource, name: 'Quote Source', basedOn: STYLE.quote, next: 'Normal', run: { italics: false, size: SIZE.small, color: COLOR.muted }, paragraph: { spacing: { before: 0, after: 160 } } },
        { id: STYLE.references, name: 'Références', basedOn: 'Normal', next: 'Normal', run: { italics: true, size: SIZE.small, color: COLOR.muted }, paragraph: { spacing: { before: 0, after: 40 } } },
        { id: STYLE.signature, name: 'Signature', basedOn: 'Normal', next: 'Normal', paragraph: { alignment: AlignmentType.RIGHT, spacing: { after: 0 }, keepLines: true } },
        { id: STYLE.notice, name: 'Encadré', basedOn: 'Normal', next: 'Normal', run: { size: SIZE.small, color: '333333' }, paragraph: { spacing: { before: 0, after: 0 } } },
        { id: STYLE.chartTitle, name: 'Titre de graphique', basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 200, after: 100 }, keepNext: true } },
        { id: STYLE.tableText, name: 'Texte de tableau', basedOn: 'Normal', next: STYLE.tableText, run: { size: 20 }, paragraph: { spacing: { before: 0, after: 0, line: 252 } } },
      ],
    },
    numbering: {
      config: [
        { reference: NUMBERING.bullet, levels: [listLevel(LevelFormat.BULLET, '•', 440, 280, COLOR.accent)] },
        { reference: NUMBERING.ordered, levels: [listLevel(LevelFormat.DECIMAL, '%1.', 440, 320)] },
        { reference: NUMBERING.references, levels: [listLevel(LevelFormat.BULLET, '–', 300, 200)] },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: MARGIN,
          },
        },
        headers: { default: header(model) },
        footers: { default: footer() },
        children: new DocxBuilder().build(model),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
