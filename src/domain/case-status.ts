import { type CaseEvent, byDate } from './case-events';

/**
 * A case is closed by its latest « clôture » on the timeline, unless an appeal came after it: an
 * appeal reopens the defence. Events of the same day keep the order they were entered in.
 */
export function statusFromEvents(events: readonly Pick<CaseEvent, 'type' | 'date'>[]): 'open' | 'closed' {
  const relevant = byDate(events).filter((e) => e.type === 'closed' || e.type === 'appeal');
  return relevant.at(-1)?.type === 'closed' ? 'closed' : 'open';
}
