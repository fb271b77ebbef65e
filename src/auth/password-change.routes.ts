import { Router } from 'express';
import { flash } from '../web/flash';
import { formatDateTime } from '../web/helpers/format-date-time';
import { clientIp, currentUser, requireUser } from '../web/guards';
import { parseForm } from '../web/validation';
import { changePasswordSchema } from './auth.schemas';
import type { AuthService } from './auth.service';
import { setRetryAfter } from '../web/retry-after';

const PATH = '/compte/mot-de-passe';
const TITLE = 'Changer de mot de passe';

/** A signed-in account changes its own password (the set-up and reset links have their own pages). */
export function passwordChangeRoutes({ auth, now }: { auth: Pick<AuthService, 'changePassword'>; now: () => Date }): Router {
  const router = Router();

  router.get(PATH, requireUser, (_req, res) => {
    res.render('account/password', { title: TITLE });
  });

  router.post(PATH, requireUser, async (req, res) => {
    // Passwords are never sent back to the page, even when the form is refused.
    const form = parseForm(changePasswordSchema, req.body);
    if (!form.ok) return res.status(400).render('account/password', { title: TITLE, errors: form.errors });
    const result = await auth.changePassword(currentUser(res).id, form.data.currentPassword, form.data.password, { ip: clientIp(req), sessionId: req.sessionID });
    if (!result.ok) {
      if (result.reason === 'locked') {
        setRetryAfter(res, result.until, now());
        return res.status(429).render('account/password', {
          title: TITLE,
          errors: { currentPassword: `Trop d’essais erronés depuis cette connexion : réessayez après le ${formatDateTime(result.until)}.` },
        });
      }
      const errors = result.reason === 'wrong_current' ? { currentPassword: 'Ce n’est pas votre mot de passe actuel.' } : { password: result.message };
      return res.status(400).render('account/password', { title: TITLE, errors });
    }
    const others = result.otherSessionsEnded;
    flash(req, 'success', `Votre mot de passe est changé.${others > 0 ? ` ${others === 1 ? 'Votre autre session ouverte est fermée' : `Vos ${others} autres sessions ouvertes sont fermées`}.` : ''}`);
    res.redirect(303, '/compte/double-authentification');
  });

  return router;
}
