import { DateTime } from 'luxon';
import { PARIS } from './off-hours';

/**
 * Reads consultation times pasted from the direction's list, one per line, in Paris time:
 * « 14/05/2024 21:15 », « 14/05/2024 à 21h15 », « 2024-05-14 21:15 » or « 2024-05-14T21:15 ».
 */
export interface ParsedLines {
  instants: string[];
  errors: Array<{ line: number; text: string }>;
}

const FORMATS = ['dd/LL/yyyy HH:mm', 'd/L/yyyy H:mm', 'yyyy-LL-dd HH:mm', "yyyy-LL-dd'T'HH:mm", 'dd/LL/yyyy HH:mm:ss', 'yyyy-LL-dd HH:mm:ss'];

export function parseConsultationLine(raw: string): string | null {
  const text = raw
    .trim()
    .replace(/\s+à\s+/i, ' ')
    .replace(/(\d{1,2})\s*h\s*(\d{2})/i, '$1:$2')
    .replace(/\s+/g, ' ');
  for (const format of FORMATS) {
    const dt = DateTime.fromFormat(text, format, { zone: PARIS });
    if (dt.isValid) return dt.toUTC().toISO({ suppressMilliseconds: true });
  }
  return null;
}

export function parseConsultationLines(text: string, maxLines = 500): ParsedLines {
  const instants: string[] = [];
  const errors: ParsedLines['errors'] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const at = parseConsultationLine(line);
    if (at) instants.push(at);
    else errors.push({ line: index + 1, text: line.trim().slice(0, 60) });
  });
  if (instants.length > maxLines) errors.push({ line: 0, text: `plus de ${maxLines} lignes` });
  return { instants, errors };
}
