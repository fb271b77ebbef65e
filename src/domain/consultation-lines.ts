import { clockChangeMessage, type Fold, instantToLocalText, readLocalDateTime } from './local-time';
import type { Territory } from './territories';

/**
 * Reads consultation times pasted from the direction's list, one per line, in the agent's local
 * time (« 14/05/2024 21:15 », « 14/05/24 à 21h15 », « 2024-05-14T21:15 »…, local-time.ts). Each
 * line is an instant, or a reason in French: unreadable, a time the clocks skipped, a time they
 * passed twice without « (été) » or « (hiver) », or a consultation already entered.
 */
export type LineProblemKind = 'unreadable' | 'nonexistent' | 'ambiguous' | 'duplicate';

export interface LineProblem {
  /** 1-based line number; 0 for the list as a whole. */
  line: number;
  text: string;
  kind: LineProblemKind;
  message: string;
}

export interface ParsedLines {
  instants: string[];
  /** Lines that stop the list from being saved: fix them and send again. */
  errors: LineProblem[];
  /** Lines already entered (on the case, or higher in the list): never stored twice, reported. */
  duplicates: LineProblem[];
}

/** Milliseconds since the epoch: the same instant whatever its ISO spelling. */
export const instantKey = (at: string) => Date.parse(at);

export interface LineOptions {
  /** Instants already on the case. */
  existing?: readonly string[];
  maxLines?: number;
}

export function parseConsultationLines(text: string, territory: Territory, options: LineOptions = {}): ParsedLines {
  const maxLines = options.maxLines ?? 500;
  const seen = new Map<number, number>(options.existing?.map((at) => [instantKey(at), 0]) ?? []);
  const instants: string[] = [];
  const errors: LineProblem[] = [];
  const duplicates: LineProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const shown = raw.trim().slice(0, 60);
    if (!shown) return;
    const reading = readLocalDateTime(raw, territory.zone);
    if (reading.kind === 'unreadable') {
      errors.push({ line, text: shown, kind: 'unreadable', message: 'date ou heure illisible' });
      return;
    }
    if (reading.kind !== 'instant') {
      const kind = reading.kind;
      const why = kind === 'nonexistent' ? 'heure qui n’a pas existé (passage à l’heure d’été)' : 'heure passée deux fois (passage à l’heure d’hiver) : ajoutez « (été) » ou « (hiver) » en fin de ligne';
      errors.push({ line, text: shown, kind, message: why });
      return;
    }
    const key = instantKey(reading.at);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      duplicates.push({ line, text: shown, kind: 'duplicate', message: earlier ? `déjà saisie (ligne ${earlier})` : 'déjà saisie' });
      return;
    }
    seen.set(key, line);
    instants.push(reading.at);
  });
  const filled = text.split(/\r?\n/).filter((line) => line.trim()).length;
  if (filled > maxLines) errors.push({ line: 0, text: '', kind: 'unreadable', message: `plus de ${maxLines} lignes` });
  return { instants, errors, duplicates };
}

/** « ligne 3 (« 30/03/2025 02:30 ») : heure qui n’a pas existé … » joined for one form message. */
export function describeLineProblems(problems: readonly LineProblem[]): string {
  return problems.map((p) => (p.line ? `ligne ${p.line} (« ${p.text} ») : ${p.message}` : p.message)).join(' ; ');
}

/** Past this many lines already entered, a report summarises them instead of listing each. */
export const DUPLICATES_LISTED = 10;

/**
 * « 497 lignes déjà saisies (lignes 1 à 497) », « 12 lignes déjà saisies, dont les lignes 3, 4,
 * 9… »: a re-pasted list of hundreds of lines is reported in one sentence. Null when there are few
 * enough to name each (describeLineProblems).
 */
export function duplicatesSummary(duplicates: readonly LineProblem[]): string | null {
  if (duplicates.length <= DUPLICATES_LISTED) return null;
  const lines = duplicates.map((d) => d.line);
  const first = lines[0]!;
  const last = lines.at(-1)!;
  if (last - first + 1 === lines.length) return `${lines.length} lignes déjà saisies (lignes ${first} à ${last})`;
  return `${lines.length} lignes déjà saisies, dont les lignes ${lines.slice(0, DUPLICATES_LISTED).join(', ')}…`;
}

export type SingleReading = { ok: true; at: string } | { ok: false; kind: Exclude<LineProblemKind, 'duplicate'> | 'duplicate'; message: string };

/**
 * One consultation typed in a form, with the rep's answer for a time the clocks passed twice.
 * The messages are whole French sentences for the field.
 */
export function readSingleConsultation(text: string, territory: Territory, fold: Fold | undefined, existing: readonly string[] = []): SingleReading {
  const reading = readLocalDateTime(text, territory.zone, fold);
  if (reading.kind === 'unreadable') {
    return { ok: false, kind: 'unreadable', message: `Date et heure illisibles : indiquez le jour et l’heure, en ${territory.zoneLabel} (exemple : 14/05/2024 21:15 ou 14/05/24 21h15).` };
  }
  if (reading.kind !== 'instant') return { ok: false, kind: reading.kind, message: clockChangeMessage(reading, territory.zoneLabel)! };
  if (existing.some((at) => instantKey(at) === instantKey(reading.at))) {
    // The time as stored, with the clock it was read on (« (heure d’hiver) »), not the raw text.
    return { ok: false, kind: 'duplicate', message: `Cette consultation est déjà saisie sur ce dossier : ${instantToLocalText(reading.at, territory.zone)}, ${territory.zoneLabel}.` };
  }
  return { ok: true, at: reading.at };
}
