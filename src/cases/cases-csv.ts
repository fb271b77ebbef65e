import { stringify } from 'csv-stringify/sync';
import { COMMITMENT_STATUS_LABELS, type CommitmentReason, type CommitmentStatus } from '../domain/commitment';
import { CIVILITIES, HIERARCHY_INFORMED, INTERVIEW_TONES, REPORT_OUTCOMES } from '../domain/case-vocabulary';
import { situationLabel } from '../domain/situations';

/** Spreadsheets run cells starting with these as formulas: such cells get a leading apostrophe. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The inverse of guardFormula, for a file coming back: only the apostrophe the export added goes. */
export function unguardFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export interface ExportRow {
  id: number;
  agentName: string;
  civility: string | null;
  regionCode: string;
  site: string;
  job: string;
  campaignName: string;
  status: 'open' | 'closed';
  commitmentStatus: CommitmentStatus;
  commitmentReasons: string;
  convocationDate: string | null;
  interviewDate: string | null;
  reportOutcome: string | null;
  interviewTone: string | null;
  hierarchyInformed: string;
  hierarchyInformedDate: string | null;
  nextDeadlineDate: string | null;
  nextDeadlineLabel: string | null;
  consultationsCount: number;
  oddHoursCount: number;
  situations: string[];
  reps: string[];
}

/** The export's columns, in file order: the import reads the same ones (src/case-import/case-import-file.ts). */
export const CSV_COLUMNS = {
  id: 'N° dossier',
  agent: 'Agent',
  region: 'Région',
  site: 'Site',
  job: 'Métier',
  campaign: 'Campagne',
  status: 'État',
  commitment: 'Engagement',
  reasons: 'Raisons',
  convocation: 'Convocation',
  interview: 'Entretien',
  report: 'Compte rendu',
  tone: 'Ton de l’entretien',
  deadlineDate: 'Prochaine échéance',
  deadlineLabel: 'Échéance',
  situations: 'Situations',
  consultations: 'Consultations',
  oddHours: 'Dont hors normes',
  reps: 'Représentant·es',
  // Added after the others, so spreadsheets built on the earlier columns keep their places.
  civility: 'Civilité',
  hierarchyInformed: 'Hiérarchie informée au préalable',
  hierarchyInformedDate: 'Date d’information de la hiérarchie',
} as const;

export type CsvColumn = keyof typeof CSV_COLUMNS;

const COLUMN_ORDER = Object.keys(CSV_COLUMNS) as CsvColumn[];
const HEADER = COLUMN_ORDER.map((c) => CSV_COLUMNS[c]);

/** How lists sit in one cell. */
export const SITUATIONS_SEPARATOR = ' | ';
export const REPS_SEPARATOR = ', ';

/** One case as the export writes it, before the formula guard. */
export function exportCells(r: ExportRow, regionNames: Map<string, string>): Record<CsvColumn, string> {
  return {
    id: String(r.id),
    agent: r.agentName,
    region: regionNames.get(r.regionCode) ?? r.regionCode,
    site: r.site,
    job: r.job,
    campaign: r.campaignName,
    status: r.status === 'open' ? 'ouvert' : 'clos',
    commitment: COMMITMENT_STATUS_LABELS[r.commitmentStatus],
    reasons: (JSON.parse(r.commitmentReasons) as CommitmentReason[]).filter((x) => x.level !== 'ok').map((x) => x.text).join(' | '),
    convocation: r.convocationDate ?? '',
    interview: r.interviewDate ?? '',
    report: REPORT_OUTCOMES.label(r.reportOutcome),
    tone: INTERVIEW_TONES.label(r.interviewTone),
    deadlineDate: r.nextDeadlineDate ?? '',
    deadlineLabel: r.nextDeadlineLabel ?? '',
    situations: r.situations.map(situationLabel).join(SITUATIONS_SEPARATOR),
    consultations: String(r.consultationsCount),
    oddHours: String(r.oddHoursCount),
    reps: r.reps.join(REPS_SEPARATOR),
    civility: CIVILITIES.label(r.civility),
    hierarchyInformed: HIERARCHY_INFORMED.label(r.hierarchyInformed),
    hierarchyInformedDate: r.hierarchyInformedDate ?? '',
  };
}

/** French Excel opens this directly: semicolons, UTF-8 with BOM, CRLF. */
export function toCsv(rows: ExportRow[], regionNames: Map<string, string>): string {
  const records = rows.map((r) => {
    const cells = exportCells(r, regionNames);
    return COLUMN_ORDER.map((c) => guardFormula(cells[c]));
  });
  return `\uFEFF${stringify([HEADER, ...records], { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[\r\n]/ })}`;
}
