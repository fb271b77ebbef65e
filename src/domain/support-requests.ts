import { DateTime } from 'luxon';

/**
 * Rules of the support requests agents send from the public form: when one has waited too long,
 * and which ones representatives may still close or merge.
 */

/** An unassigned request older than this is shown as waiting too long. */
export const STALE_REQUEST_HOURS = 48;

/** The instant before which an unassigned request has waited too long, as stored instants are written. */
export function staleSince(now: Date): string {
  return DateTime.fromJSDate(now).minus({ hours: STALE_REQUEST_HOURS }).toUTC().toISO()!;
}

/** Whole hours since the request came in (negative for a clock set back, which reads as new). */
export function hoursWaiting(createdAt: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(createdAt)) / 3_600_000);
}

/** Nobody took it and it has waited at least STALE_REQUEST_HOURS. */
export function isStale(request: { status: string; assignedUserId: number | null; createdAt: string }, now: Date): boolean {
  return request.assignedUserId === null && request.status === 'received' && hoursWaiting(request.createdAt, now) >= STALE_REQUEST_HOURS;
}

/** Closing or merging is for requests still waiting: never for one a case was opened from. */
export function stillOpen(request: { status: string; caseId: number | null }): boolean {
  return (request.status === 'received' || request.status === 'taken') && request.caseId === null;
}

/** How long it has waited, as the queue says it: « moins d’une heure », « 5 h », « 3 jours ». */
export function waitingText(hours: number): string {
  return hours < 1 ? 'moins d’une heure' : hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} jours`;
}
