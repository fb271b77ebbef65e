import type { Request } from 'express';
import { type LineProblem, describeLineProblems, duplicatesSummary } from '../domain/consultation-lines';
import { COMMITMENT_STATUS_LABELS, type CommitmentStatus } from '../domain/commitment';
import { FOLD_LABELS } from '../domain/local-time';
import { PARIS_TERRITORY, type Territory } from '../domain/territories';
import { typedAndStoredText } from '../domain/typed-clock';
import { flash } from '../web/flash';
import type { ConsultationInput } from './cases.types';

/** What the case pages say back after a change, and the clock choices their forms offer. */

/** Every line of a pasted list, each with what the rep said of them all and the clock it was typed in. */
export function pastedConsultations(instants: readonly string[], about: Omit<ConsultationInput, 'at'>): ConsultationInput[] {
  return instants.map((at) => ({ at, ...about }));
}

/** The answers to « which of the two ? » for a time the clocks passed twice. */
export const FOLD_CHOICES = [
  { code: 'summer', label: `${FOLD_LABELS.summer} (la première)` },
  { code: 'winter', label: `${FOLD_LABELS.winter} (la seconde)` },
];

/** How many typed-and-stored pairs a flash names before « … et N autres ». */
const CONVERSIONS_LISTED = 5;

/**
 * When times were typed in another clock than the agent's (Paris time, by the rep's choice): what
 * each became in the agent's clock, « 14/05/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique ».
 */
export function conversions(instants: readonly string[], typedZone: string, agent: Territory): string {
  if (typedZone === agent.zone || instants.length === 0) return '';
  const listed = instants.slice(0, CONVERSIONS_LISTED).map((at) => typedAndStoredText(at, typedZone, agent));
  const more = instants.length - listed.length;
  return ` : ${listed.join(' ; ')}${more > 0 ? ` ; et ${more} autre(s)` : ''}`;
}

/** After a pasted list: how many were added (in which clock), and which lines were not, being already there. */
export function flashPasted(req: Request, added: number, pasted: { instants: readonly string[]; duplicates: readonly LineProblem[]; typedZone: string }, agent: Territory): void {
  const { duplicates } = pasted;
  if (added > 0 || duplicates.length === 0) flash(req, 'success', `${added} consultation(s) ajoutée(s)${added > 0 ? conversions(pasted.instants, pasted.typedZone, agent) : ''}.`);
  if (duplicates.length === 0) return;
  const summary = duplicatesSummary(duplicates);
  flash(req, 'info', summary ? `Non ajoutées, car déjà saisies : ${summary}.` : `Non ajoutée(s), car déjà saisie(s) : ${describeLineProblems(duplicates)}.`);
}

/** « Heures saisies en » : offered only for an agent outside Paris time, the agent's clock first. */
export function clockChoices(agentClock: string) {
  return [
    { code: 'agent', label: agentClock },
    { code: 'paris', label: PARIS_TERRITORY.zoneLabel },
  ];
}

/** Tells the rep when a timeline change moved the case to another commitment status. */
export function statusChange(before: CommitmentStatus, after: CommitmentStatus | undefined): string {
  return after && after !== before ? ` Le dossier passe en « ${COMMITMENT_STATUS_LABELS[after]} ».` : '';
}
