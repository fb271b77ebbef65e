import { CLOSING_OUTCOMES, type CaseEvent, eventLabel, sanctionLabel } from '../domain/case-events';
import { frenchDate } from '../domain/french-dates';

/**
 * The same timeline event entered twice (a double click, two reps, a form sent again) is most
 * often a mistake; sometimes a step really happened twice the same day. The rep is asked.
 */

/** What makes two events the same: type, date, note (trimmed), and the detail their type carries. */
function identity(event: CaseEvent): string {
  return JSON.stringify([
    event.type,
    event.date,
    (event.note ?? '').trim(),
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

/** The form's message: which event is already there, and how to add it anyway. */
export function duplicateEventMessage(event: CaseEvent): string {
  const detail = [
    event.type === 'sanction_notified' ? sanctionLabel(event.sanctionKind) : '',
    event.closingOutcome ? (CLOSING_OUTCOMES.find((o) => o.code === event.closingOutcome)?.label ?? '') : '',
  ].filter(Boolean);
  const what = [eventLabel(event.type), ...detail].join(' — ');
  const note = (event.note ?? '').trim() ? ', avec la même note' : '';
  return `Cet événement est déjà au suivi : « ${what} » du ${frenchDate(event.date)}${note}. S’il s’est vraiment produit deux fois, cochez « Ajouter quand même ».`;
}
