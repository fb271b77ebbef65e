import type { RequestHandler } from 'express';
import type { AccountLookup } from '../access/account-lookup';
import { flash } from './flash';

/**
 * Re-reads the signed-in account on every request, so a disabled account or a changed scope
 * takes effect at once, and ends sessions past their absolute lifetime.
 */
export function loadCurrentUser(
  users: AccountLookup,
  options: { absoluteHours: number; now: () => Date },
): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    const tooOld =
      !req.session.authenticatedAt ||
      options.now().getTime() - req.session.authenticatedAt > options.absoluteHours * 3_600_000;
    const user = tooOld ? undefined : await users.findById(userId);
    const revoked = user?.sessionsRevokedAt && (req.session.authenticatedAt ?? 0) <= Date.parse(user.sessionsRevokedAt);
    if (!user || user.status !== 'active' || revoked) {
      await new Promise<void>((resolve, reject) =>
        req.session.regenerate((err) => (err ? reject(err) : resolve())),
      );
      if (tooOld) flash(req, 'info', 'Votre session a expiré. Reconnectez-vous.');
      return next();
    }
    const { passwordHash: _secret, sessionsRevokedAt: _revoked, ...visible } = user;
    res.locals.currentUser = visible;
    next();
  };
}
