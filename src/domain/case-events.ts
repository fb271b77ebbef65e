/**
 * The typed events of a case's timeline. Codes are stored; labels are what reps read.
 */
export const CASE_EVENT_TYPES = [
  { code: 'flagged', label: 'Signalement par la requête de la direction' },
  { code: 'convocation_received', label: 'Convocation reçue' },
  { code: 'support_requested', label: 'Demande d’accompagnement' },
  { code: 'rep_assigned', label: 'Représentant·e désigné·e' },
  { code: 'interview_held', label: 'Entretien tenu' },
  { code: 'report_received', label: 'Compte rendu reçu' },
  { code: 'observations_sent', label: 'Observations écrites de l’agent envoyées' },
  { code: 'report_filed', label: 'Compte rendu versé au dossier personnel' },
  { code: 'pre_disciplinary_convocation', label: 'Convocation à un entretien préalable à sanction' },
  { code: 'sanction_notified', label: 'Sanction notifiée' },
  { code: 'appeal', label: 'Recours' },
  { code: 'closed', label: 'Dossier clos' },
] as const;

export type CaseEventType = (typeof CASE_EVENT_TYPES)[number]['code'];

export const SANCTION_KINDS = [
  { code: 'avertissement', label: 'avertissement' },
  { code: 'blame', label: 'blâme' },
  { code: 'mise_a_pied', label: 'mise à pied' },
  { code: 'mutation', label: 'mutation' },
  { code: 'licenciement', label: 'licenciement' },
  { code: 'other', label: 'autre sanction' },
] as const;

export type SanctionKind = (typeof SANCTION_KINDS)[number]['code'];

export const CLOSING_OUTCOMES = [
  { code: 'no_follow_up', label: 'sans suite' },
  { code: 'kind_reminder', label: 'rappel des règles, sans sanction' },
  { code: 'sanction', label: 'sanction' },
  { code: 'other', label: 'autre issue' },
] as const;

export type ClosingOutcome = (typeof CLOSING_OUTCOMES)[number]['code'];

export interface CaseEvent {
  type: CaseEventType;
  /** Calendar date 'YYYY-MM-DD'. */
  date: string;
  note?: string;
  sanctionKind?: SanctionKind;
  /** For a pre-disciplinary convocation: the date set for the entretien préalable, when known. */
  hearingDate?: string | null;
  closingOutcome?: ClosingOutcome;
}

/** Steps that start or complete disciplinary proceedings. */
export const DISCIPLINARY_EVENT_TYPES: readonly CaseEventType[] = ['pre_disciplinary_convocation', 'sanction_notified'];

export function eventLabel(type: string): string {
  return CASE_EVENT_TYPES.find((t) => t.code === type)?.label ?? type;
}

export function sanctionLabel(kind: string | undefined): string {
  return SANCTION_KINDS.find((k) => k.code === kind)?.label ?? 'sanction';
}

export function byDate<T extends { date: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => a.date.localeCompare(b.date));
}
