import { CSV_COLUMNS } from '../cases/cases-csv';
import { isoDate } from '../web/validation';
import type { PlanError } from './case-import.types';

/** How the cells of an imported file map onto the case form's fields, and the planner's small readers. */

/** The columns a file can change; the others are computed by Vigie (or are the case's number). */
export const IMPORTED_COLUMNS = [
  'agent',
  'civility',
  'region',
  'site',
  'job',
  'campaign',
  'convocation',
  'interview',
  'report',
  'tone',
  'hierarchyInformed',
  'hierarchyInformedDate',
  'situations',
  'reps',
] as const;
export type ImportedColumn = (typeof IMPORTED_COLUMNS)[number];

/** The case form's fields, by the column that carries them; fields the file has no column for fall under OTHER. */
export const FIELD_COLUMN: Record<string, ImportedColumn> = {
  fullName: 'agent',
  existingAgentId: 'agent',
  confirmNewAgent: 'agent',
  civility: 'civility',
  regionCode: 'region',
  site: 'site',
  job: 'job',
  campaignId: 'campaign',
  situations: 'situations',
  otherSituationText: 'situations',
  convocationDate: 'convocation',
  interviewDate: 'interview',
  reportOutcome: 'report',
  interviewTone: 'tone',
  toneNotes: 'tone',
  hierarchyInformed: 'hierarchyInformed',
  hierarchyInformedDate: 'hierarchyInformedDate',
  repIds: 'reps',
};
export const OTHER = 'Autres informations du dossier';
/** Form fields the file cannot carry: their message says where to fill them in. */
export const NOT_IN_FILE = new Set(['otherSituationText', 'toneNotes']);

/** The form's words where a file needs others; the rule behind each stays the form's. */
export const FILE_WORDING: Record<string, string> = {
  'Cochez au moins une situation signalée.': 'Indiquez au moins une situation signalée.',
  'Choisissez une région que vous suivez.': 'Indiquez une région que vous suivez.',
  'Choisissez le statut de l’agent.': 'Le statut de l’agent est inconnu.',
};

/** Labels compare without case, spacing or apostrophe style. */
export function fold(value: string): string {
  return value.normalize('NFC').replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Text as the form would keep it, for comparisons. */
export function plain(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function splitList(value: string, separator: string): string[] {
  return value
    .split(separator.trim())
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export const dateReader = isoDate('La date');

/** A message that quotes nothing: the dry run and the summary say the same. */
export const same = (message: string) => ({ error: message, kept: message });

/** The case's number is the cell's content: the summary does not repeat it. */
export const noSuchCase = (caseId: number): PlanError => ({
  column: CSV_COLUMNS.id,
  message: `Aucun dossier n° ${caseId} dans les régions que vous suivez.`,
  kept: 'Aucun dossier de ce numéro dans les régions que vous suivez.',
});
