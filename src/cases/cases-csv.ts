import { stringify } from 'csv-stringify/sync';
import { COMMITMENT_STATUS_LABELS, type CommitmentReason, type CommitmentStatus } from '../domain/commitment';
import { INTERVIEW_TONES, REPORT_OUTCOMES } from '../domain/case-vocabulary';
import { situationLabel } from '../domain/situations';

/** Spreadsheets run cells starting with these as formulas: such cells get a leading apostrophe. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

interface ExportRow {
  id: number;
  agentName: string;
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
  nextDeadlineDate: string | null;
  nextDeadlineLabel: string | null;
  consultationsCount: number;
  oddHoursCount: number;
  situations: string[];
  reps: string[];
}

const HEADER = [
  'N° dossier', 'Agent', 'Région', 'Site', 'Métier', 'Campagne', 'État', 'Engagement', 'Raisons',
  'Convocation', 'Entretien', 'Compte rendu', 'Ton de l’entretien', 'Prochaine échéance', 'Échéance',
  'Situations', 'Consultations', 'Dont hors normes', 'Représentant·es',
];

/** French Excel opens this directly: semicolons, UTF-8 with BOM, CRLF. */
export function toCsv(rows: ExportRow[], regionNames: Map<string, string>): string {
  const records = rows.map((r) =>
    [
      String(r.id),
      r.agentName,
      regionNames.get(r.regionCode) ?? r.regionCode,
      r.site,
      r.job,
      r.campaignName,
      r.status === 'open' ? 'ouvert' : 'clos',
      COMMITMENT_STATUS_LABELS[r.commitmentStatus],
      (JSON.parse(r.commitmentReasons) as CommitmentReason[]).filter((x) => x.level !== 'ok').map((x) => x.text).join(' | '),
      r.convocationDate ?? '',
      r.interviewDate ?? '',
      REPORT_OUTCOMES.label(r.reportOutcome),
      INTERVIEW_TONES.label(r.interviewTone),
      r.nextDeadlineDate ?? '',
      r.nextDeadlineLabel ?? '',
      r.situations.map(situationLabel).join(' | '),
      String(r.consultationsCount),
      String(r.oddHoursCount),
      r.reps.join(', '),
    ].map(guardFormula),
  );
  return `\uFEFF${stringify([HEADER, ...records], { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[\r\n]/ })}`;
}
