import type { Request, RequestHandler } from 'express';

export function flash(req: Request, kind: 'success' | 'info' | 'error', text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text }];
}

/**
 * Pending messages are shown by the next page actually rendered, so a redirect in between
 * (to the login page, say) does not swallow them.
 */
export const exposeFlash: RequestHandler = (req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, ...rest: unknown[]) => {
    if (req.session?.flash?.length) {
      res.locals.flash = [...req.session.flash, ...(res.locals.flash ?? [])];
      delete req.session.flash;
    }
    return (render as (...args: unknown[]) => void)(view, ...rest);
  }) as typeof res.render;
  next();
};
