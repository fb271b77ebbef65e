import type { Request, RequestHandler } from 'express';

export function flash(req: Request, kind: 'success' | 'info' | 'error', text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text }];
}

/** Moves pending messages into the page being rendered, once. */
export const exposeFlash: RequestHandler = (req, res, next) => {
  if (req.session?.flash?.length) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
