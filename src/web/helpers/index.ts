import { auditActionLabel } from './audit-action-label';
import { concat } from './concat';
import { eq } from './eq';
import { formatDate } from './format-date';
import { formatDateTime } from './format-date-time';
import { formatNumber } from './format-number';
import { gt } from './gt';
import { hasEntries } from './has-entries';
import { includes } from './includes';
import { object } from './object';

/** Handlebars helpers take a trailing options argument; each helper here ignores it. */
function plain<A extends unknown[], R>(fn: (...args: A) => R) {
  return (...args: unknown[]) => fn(...(args.slice(0, -1) as A));
}

export const helpers = {
  auditActionLabel: plain(auditActionLabel),
  concat: plain(concat),
  eq: plain(eq),
  gt: plain(gt),
  hasEntries: plain(hasEntries),
  includes: plain(includes),
  formatDate: plain(formatDate),
  formatDateTime: plain(formatDateTime),
  formatNumber: plain(formatNumber),
  object,
};
