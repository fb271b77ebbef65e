/**
 * The second baseline: a bare signed-in page. It goes through everything a real page pays for
 * (session read and touch, the account re-read, CSRF token, flash, the layout with its navigation)
 * and nothing a feature adds (no data read, a one-line body), so the page ratios to it show what
 * each feature costs above the fixed price of being signed in.
 *
 * No production route exists for it: the bench mounts its own on the app it built, just before the
 * 404 handler, so every middleware of createApp runs first exactly as for a real page.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { notFoundHandler } from '../../src/web/error-handler';
import { requireUser } from '../../src/web/guards';

export const BARE_PAGE_PATH = '/banc/page-nue';
const VIEW = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-page.hbs');

export function mountBarePage(app: express.Express): void {
  app.get(BARE_PAGE_PATH, requireUser, (_req, res) => res.render(VIEW, { title: 'Page nue' }));
  // app.get appends its layer after the 404 handler: move it just before.
  const stack = (app as unknown as { router: { stack: Array<{ handle: unknown }> } }).router.stack;
  const notFoundAt = stack.findIndex((layer) => layer.handle === notFoundHandler);
  if (notFoundAt < 0) throw new Error('bench: the 404 handler was not found in the app');
  stack.splice(notFoundAt, 0, stack.pop()!);
}
