import { CsvError, parse } from 'csv-parse/sync';
import { CSV_COLUMNS, type CsvColumn, unguardFormula } from '../cases/cases-csv';

/**
 * Reading a file of cases in the export's format (src/cases/cases-csv.ts): semicolons, a header
 * naming the export's columns, UTF-8 with or without its BOM (or Windows-1252, as older Excel
 * saves « CSV (séparateur : point-virgule) »), the export's formula-guard apostrophe taken back off.
 * Pure: no database, no Express. Every message is for the rep, in French.
 */

/** Columns Vigie computes from the rest: accepted in a file and ignored. */
export const COMPUTED_COLUMNS: readonly CsvColumn[] = ['status', 'commitment', 'reasons', 'deadlineDate', 'deadlineLabel', 'consultations', 'oddHours'];
/** Columns a file must have: a case cannot be created without them. */
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['id', 'agent', 'region', 'campaign', 'situations'];
/** Beyond this many cases, a file is refused (the test suite imports 10 000). */
export const MAX_IMPORT_ROWS = 20_000;

export interface FileRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  line: number;
  /** The row's cells by column, formula guard removed; a column the file lacks is absent. */
  cells: Partial<Record<CsvColumn, string>>;
  /** A problem with the row as a whole (too many cells). */
  problem?: string;
}

export type ReadFileResult =
  | { ok: true; columns: CsvColumn[]; rows: FileRow[] }
  | { ok: false; error: string };

/** Header cells compare without case, accents kept, typographic apostrophes and spacing folded. */
function headerKey(value: string): string {
  return value.normalize('NFC').replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

const COLUMN_BY_HEADER = new Map((Object.entries(CSV_COLUMNS) as Array<[CsvColumn, string]>).map(([key, label]) => [headerKey(label), key]));

/** Windows-1252's bytes 0x80–0x9F (where Latin-1 has control characters); the five unassigned stay as they are. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Bytes to text: UTF-8 (its BOM dropped), else Windows-1252; anything with NUL bytes is not a text file. */
export function decodeCsv(buffer: Buffer): string | undefined {
  if (buffer.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    // Not every Node build's TextDecoder knows Windows-1252 from Latin-1: mapped here.
    return buffer.toString('latin1').replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252_HIGH[ch.charCodeAt(0) - 0x80]!);
  }
}

export function readCasesFile(buffer: Buffer): ReadFileResult {
  const notCsv = {
    ok: false as const,
    error: 'Ce fichier n’est pas un fichier CSV. Enregistrez le tableau au format « CSV UTF-8 (délimité par des points-virgules) », ou partez d’un export de Vigie.',
  };
  if (buffer.length === 0) return { ok: false, error: 'Le fichier est vide.' };
  const text = decodeCsv(buffer);
  if (text === undefined) return notCsv;

  let records: string[][];
  try {
    records = parse(text, { delimiter: ';', bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? ` vers la ligne ${err.lines}` : '';
      const why =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'un guillemet (") ouvert n’est jamais fermé'
          : err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
            ? 'un guillemet (") est mal placé dans une cellule'
            : 'sa structure n’est pas celle d’un fichier CSV';
      return { ok: false, error: `Le fichier est illisible${line} : ${why}.` };
    }
    throw err;
  }

  const headerIndex = records.findIndex((r) => r.some((cell) => cell.trim() !== ''));
  const header = records[headerIndex];
  if (!header) return { ok: false, error: 'Le fichier est vide.' };
  if (header.length === 1 && /[,\t]/.test(header[0]!)) {
    return { ok: false, error: 'Les colonnes doivent être séparées par des points-virgules (;), comme dans l’export de Vigie : enregistrez le tableau au format « CSV (point-virgule) ».' };
  }
  const columns: Array<CsvColumn | undefined> = [];
  const unknown: string[] = [];
  for (const cell of header) {
    const key = headerKey(cell);
    const column = COLUMN_BY_HEADER.get(key);
    if (key === '') columns.push(undefined);
    else if (!column) {
      unknown.push(`« ${cell.trim()} »`);
      columns.push(undefined);
    } else if (columns.includes(column)) {
      return { ok: false, error: `La colonne « ${CSV_COLUMNS[column]} » figure deux fois dans la première ligne.` };
    } else columns.push(column);
  }
  const present = columns.filter((c): c is CsvColumn => c !== undefined);
  const missing = REQUIRED_COLUMNS.filter((c) => !present.includes(c));
  if (present.length === 0 || unknown.length > 0 || missing.length > 0) {
    const problems = [
      ...(unknown.length ? [`colonne${unknown.length > 1 ? 's' : ''} inconnue${unknown.length > 1 ? 's' : ''} : ${unknown.join(', ')}`] : []),
      ...(missing.length ? [`colonne${missing.length > 1 ? 's' : ''} manquante${missing.length > 1 ? 's' : ''} : ${missing.map((c) => `« ${CSV_COLUMNS[c]} »`).join(', ')}`] : []),
    ];
    return {
      ok: false,
      error: `La première ligne doit reprendre les colonnes de l’export de Vigie (${Object.values(CSV_COLUMNS).join(' ; ')})${problems.length ? ` — ${problems.join(' ; ')}` : ''}.`,
    };
  }

  const rows: FileRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i += 1) {
    const record = records[i]!;
    // A row with nothing in it (spreadsheets leave some) is no case.
    if (record.every((cell) => cell.trim() === '')) continue;
    if (rows.length >= MAX_IMPORT_ROWS) {
      return { ok: false, error: `Le fichier compte plus de ${MAX_IMPORT_ROWS.toLocaleString('fr-FR')} dossiers : découpez-le en plusieurs fichiers.` };
    }
    const cells: Partial<Record<CsvColumn, string>> = {};
    columns.forEach((column, index) => {
      if (column) cells[column] = unguardFormula(record[index] ?? '');
    });
    const extra = record.slice(columns.length).some((cell) => cell.trim() !== '');
    rows.push({
      line: i + 1,
      cells,
      ...(extra ? { problem: `La ligne compte ${record.length} cellules pour ${columns.length} colonnes : un point-virgule de trop, ou une cellule contenant un point-virgule sans guillemets.` } : {}),
    });
  }
  if (rows.length === 0) return { ok: false, error: 'Le fichier ne contient aucun dossier : seulement la ligne des colonnes.' };
  return { ok: true, columns: present, rows };
}
