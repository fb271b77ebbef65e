/**
 * A document (defense brief, rights guide, CSE declaration) as plain data. Built once from the
 * facts, then rendered to an HTML preview, a PDF and a DOCX by the renderers beside this file,
 * so the three never disagree. Text is plain text: renderers escape it for their format.
 */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; runs: TextRun[] }
  | { kind: 'list'; ordered: boolean; items: TextRun[][] }
  | { kind: 'quote'; text: string; source?: string }
  /** Label/value pairs: parties, facts of the case, dates. */
  | { kind: 'facts'; rows: Array<{ label: string; value: string }>; /** Long labels, short values (figures). */ wideLabels?: boolean }
  /** The references an argument relies on, in a consistent style. */
  | { kind: 'citations'; items: string[] }
  | { kind: 'signature'; lines: string[] }
  /** A boxed note, e.g. "drafted by union representatives, not legal advice". */
  | { kind: 'notice'; text: string }
  /** The next block starts a new page (a letter's annex). */
  | { kind: 'pageBreak' }
  /** Vector bar chart (declarations). */
  | { kind: 'barChart'; title: string; bars: Array<{ label: string; value: number; display?: string }> };

export interface DocumentModel {
  /** Shown in the running header of every page (union and case reference). */
  header: { left: string; right?: string };
  title: string;
  subtitle?: string;
  /** File name without extension, ASCII only. */
  fileName: string;
  /** Metadata written into the files. */
  properties: { author: string; subject?: string; createdAt: Date };
  blocks: Block[];
}

/** Paragraph from plain text; blank lines in the text start new paragraphs. */
export function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ kind: 'paragraph' as const, runs: [{ text: p }] }));
}

/**
 * Like paragraphs(), and a paragraph whose every line starts with « - » becomes a bulleted list,
 * so reps can write lists in a plain text area.
 */
export function textBlocks(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): Block => {
      const lines = p.split('\n').map((l) => l.trim()).filter(Boolean);
      // A lone line opened by an en dash is more likely a dialogue dash than a one-item list.
      const isList = lines.every((l) => /^[-–•]\s+/.test(l)) && (lines.length > 1 || !lines[0]!.startsWith('–'));
      if (isList) {
        return { kind: 'list', ordered: false, items: lines.map((l) => [{ text: l.replace(/^[-–•]\s+/, '') }]) };
      }
      return { kind: 'paragraph', runs: [{ text: p }] };
    });
}

/** A document model read back from its JSON (dates come back as strings). */
export function reviveDocument(json: string): DocumentModel {
  const doc = JSON.parse(json) as DocumentModel & { properties: { createdAt: string } };
  return { ...doc, properties: { ...doc.properties, createdAt: new Date(doc.properties.createdAt) } };
}

/** ASCII-only slug for file names: « CSE Hauts-de-France » → « cse-hauts-de-france ». */
export function fileSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60);
}
