import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * One line per request with the route pattern, never the raw URL: links carry one-time tokens
 * and filters carry names, and neither belongs in logs.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/assets/') ? '/assets' : '(no route)';
      logger.info(
        {
          method: req.method,
          route,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
          user: res.locals.currentUser?.id,
        },
        'request',
      );
    });
    next();
  };
}
