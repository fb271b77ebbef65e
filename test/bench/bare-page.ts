/**
 * The second baseline: a bare signed-in page. It goes through everything a real page pays for
 * (session read and touch, the account re-read, CSRF token, flash, the layout with its navigation)
 * and nothing a feature adds (no data read, a one-line body), so the page ratios to it show what
 * each feature costs above the fixed price of being signed in.
 *
 * No production route exists for it: the bench mounts its own on the app it built, right after the
 * last of createApp's middleware (navSection), so everything a page goes through runs first exactly
 * as for a real page, and no feature's router is walked before it: matching a feature's routes is
 * that feature's cost, as its data is.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { requireUser } from '../../src/web/guards';
import { navSection } from '../../src/web/nav-section';

export const BARE_PAGE_PATH = '/banc/page-nue';
const VIEW = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-page.hbs');

export function mountBarePage(app: express.Express): void {
  app.get(BARE_PAGE_PATH, requireUser, (_req, res) => res.render(VIEW, { title: 'Page nue' }));
  // app.get appends its layer after the 404 handler: move it to just after the middleware.
  const stack = (app as unknown as { router: { stack: Array<{ handle: unknown }> } }).router.stack;
  const lastMiddleware = stack.findIndex((layer) => layer.handle === navSection);
  if (lastMiddleware < 0) throw new Error('bench: navSection, the last middleware before the routes, was not found in the app');
  stack.splice(lastMiddleware + 1, 0, stack.pop()!);
}
