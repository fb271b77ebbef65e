import type { Response } from 'express';

/** Tells the client, in whole seconds (one at least), when a refused request may be tried again. */
export function setRetryAfter(res: Response, until: Date, now: Date): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))));
}
