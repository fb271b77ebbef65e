import { instantToLocalText, localClock } from './local-time';
import { PARIS_TERRITORY, type Territory, zoneLabelOf } from './territories';

/**
 * What the case page says of the clock a consultation was typed in, against the agent's present
 * one. A time typed in Paris time for an overseas agent is a deliberate choice (the direction's
 * list gives Paris times): it is said, not doubted. A row is doubtful (« à vérifier ») only when:
 * - it was stored before zones existed (no typed zone) for an agent outside Paris time: it was read
 *   as Paris time, whatever the rep meant;
 * - it was stored before zones existed on a Paris clock-change hour: the old reader silently took
 *   « 02:30 » on those nights as winter time, or as 03:30;
 * - it was typed in the clock of a region the agent no longer has (neither theirs nor Paris's).
 */
export type TypedClockNote = { kind: 'none' } | { kind: 'info'; text: string } | { kind: 'check'; text: string };

const PARIS = PARIS_TERRITORY.zone;

/**
 * A Paris clock-change hour: one the clocks passed twice (late October), or 03:00–03:59 on the
 * last Sunday of March, where a typed « 02:30 » that never happened used to land.
 */
export function onParisClockChange(at: string): boolean {
  const clock = localClock(at, PARIS);
  if (clock.fold) return true;
  const [, month, day] = clock.date.split('-').map(Number);
  return month === 3 && clock.weekday === 7 && day! >= 25 && clock.hour === 3;
}

export function typedClockNote(at: string, typedZone: string | null, agentZone: string): TypedClockNote {
  if (typedZone === agentZone) return { kind: 'none' };
  if (typedZone === null) {
    if (agentZone !== PARIS) return { kind: 'check', text: `saisie en ${PARIS_TERRITORY.zoneLabel} : à vérifier` };
    return onParisClockChange(at) ? { kind: 'check', text: 'saisie pendant un changement d’heure, avant que Vigie ne le demande : à vérifier' } : { kind: 'none' };
  }
  if (typedZone === PARIS) return { kind: 'info', text: `saisie en ${PARIS_TERRITORY.zoneLabel}` };
  return { kind: 'check', text: `saisie en ${zoneLabelOf(typedZone)} : à vérifier` };
}

/** « Heures saisies en » : the agent's own clock (the default), or Paris time, as the direction's list may give it. */
export type TypedClock = 'agent' | 'paris';

/**
 * The territory a typed time is read in: the agent's, or Paris time when the rep says so for an
 * agent outside it. For reading only: a consultation is always classified in the agent's clock.
 */
export function readingTerritory(agent: Territory, clock: TypedClock | undefined): Territory {
  if (clock !== 'paris' || agent.zone === PARIS) return agent;
  return { ...agent, zone: PARIS, zoneLabel: PARIS_TERRITORY.zoneLabel };
}

/** « 14/05/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique »: what was typed, and what was stored in the agent's clock. */
export function typedAndStoredText(at: string, typedZone: string, agent: Territory): string {
  const typed = instantToLocalText(at, typedZone);
  const stored = instantToLocalText(at, agent.zone);
  const sameDay = typed.slice(0, 10) === stored.slice(0, 10);
  return `${typed} ${zoneLabelOf(typedZone)}, soit ${sameDay ? stored.slice(11) : stored} ${agent.zoneLabel}`;
}
