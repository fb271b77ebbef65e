import { CLOSING_OUTCOMES, type CaseEvent, eventLabel, sanctionLabel } from '../domain/case-events';
import { frenchDate } from '../domain/french-dates';

/**
 * The same timeline event entered twice (a double click, two reps, a form sent again) is most
 * often a mistake; sometimes a step really happened twice the same day. The rep is asked.
 */

/** A note as compared: line endings (CRLF, LF), repeated spaces and the ends do not make it another. */
const sameWords = (note: string | null | undefined) => (note ?? '').replace(/\s+/g, ' ').trim();

/** What makes two events the same: type, date, note (whitespace aside), and the detail their type carries. */
function identity(event: CaseEvent): string {
  return JSON.stringify([
    event.type,
    event.date,
    sameWords(event.note),
    event.sanctionKind ?? null,
    event.hearingDate ?? null,
    event.closingOutcome ?? null,
  ]);
}

/** The event of the timeline identical to the one about to be added, if there is one. */
export function identicalEvent<E extends CaseEvent>(timeline: readonly E[], candidate: CaseEvent): E | undefined {
  const key = identity(candidate);
  return timeline.find((e) => identity(e) === key);
}

/**
 * The form's message: which event is already there, and how to go on anyway (« Ajouter quand
 * même » when adding, « Corriger quand même » when a correction would make two identical).
 */
export function duplicateEventMessage(event: CaseEvent, confirm: 'Ajouter quand même' | 'Corriger quand même' = 'Ajouter quand même'): string {
  const detail = [
    event.type === 'sanction_notified' ? sanctionLabel(event.sanctionKind) : '',
    event.closingOutcome ? (CLOSING_OUTCOMES.find((o) => o.code === event.closingOutcome)?.label ?? '') : '',
  ].filter(Boolean);
  const what = [eventLabel(event.type), ...detail].join(' — ');
  const note = sameWords(event.note) ? ', avec la même note' : '';
  return `Cet événement est déjà au suivi : « ${what} » du ${frenchDate(event.date)}${note}. S’il s’est vraiment produit deux fois, cochez « ${confirm} ».`;
}
