import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger';
import { HttpError, STATUS_MESSAGES, notFound } from './errors';

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const candidate = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 600 ? candidate : 500;
}

function codeOf(err: unknown): string {
  const { code, type, name } = (err ?? {}) as { code?: unknown; type?: unknown; name?: unknown };
  return String(code ?? type ?? name ?? 'unknown');
}

/**
 * The one place errors become pages. Expected refusals (4xx) are logged quietly without a stack;
 * anything else is logged in full and shown as a plain French apology: never a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = statusOf(err);
    if (status >= 500) logger.error({ err, method: req.method, route: req.route?.path }, 'request failed');
    // Our own refusals say why in words we wrote; anything else (a parser's message may quote the
    // URL, and with it a one-time link) is logged by its code only.
    else logger.info({ status, method: req.method, reason: err instanceof HttpError ? err.message : codeOf(err) }, 'request refused');

    if (res.headersSent) return res.end();
    const known = STATUS_MESSAGES[status] ?? STATUS_MESSAGES[status >= 500 ? 500 : 400]!;
    const text = err instanceof HttpError ? err.message : known.text;
    res.status(status);
    res.set('Cache-Control', 'no-store');
    if (req.accepts(['html', 'json']) === 'json') {
      return res.json({ error: known.title });
    }
    res.render('errors/error', { title: known.title, status, text }, (renderErr, html) => {
      if (renderErr) {
        logger.error({ err: renderErr }, 'error page failed to render');
        return res.type('text/plain; charset=utf-8').send(`${known.title}\n${text}`);
      }
      res.send(html);
    });
  };
}
