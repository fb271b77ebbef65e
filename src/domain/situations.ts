/**
 * The situations the direction's queries flag. Codes are stable identifiers stored in the database;
 * labels are what reps read. 'other_conflict' covers any other conflict of interest, described in free text.
 */
export const SITUATIONS = [
  { code: 'political_figure', label: 'Dossier d’une personnalité politique' },
  { code: 'agent_ex_job_seeker', label: 'Dossier d’un·e agent FT ex-demandeur·se d’emploi' },
  { code: 'job_seeker_ex_agent', label: 'Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT' },
  { code: 'odd_hours', label: 'Consultations répétées à des horaires hors normes' },
  { code: 'other_conflict', label: 'Autre situation de conflit d’intérêts' },
] as const;

export type SituationCode = (typeof SITUATIONS)[number]['code'];

export const SITUATION_CODES = SITUATIONS.map((s) => s.code) as [SituationCode, ...SituationCode[]];

export function isSituationCode(value: string): value is SituationCode {
  return (SITUATION_CODES as readonly string[]).includes(value);
}

export function situationLabel(code: string): string {
  return SITUATIONS.find((s) => s.code === code)?.label ?? code;
}
