import type { SupportRequestStatus } from '../db/schema';
import { situationLabel } from '../domain/situations';

export type RequestStatus = SupportRequestStatus;

export const REQUEST_STATUS_LABELS: Record<SupportRequestStatus, string> = {
  received: 'Reçue',
  taken: 'Prise en charge par un·e représentant·e',
  case_opened: 'Dossier ouvert',
  closed: 'Close',
  duplicate: 'Regroupée avec une autre demande',
};

export const UNKNOWN_SITUATION = 'unknown';

export function requestSituationLabel(code: string): string {
  return code === UNKNOWN_SITUATION ? 'Je ne sais pas' : situationLabel(code);
}
