import { Router } from 'express';
import type { SecondFactorService } from '../auth/second-factor.service';
import { requiredForRepsSchema } from '../auth/second-factor.schemas';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireAdmin } from '../web/guards';
import { idParam, parseForm } from '../web/validation';

export interface SecondFactorAdminRoutesDeps {
  secondFactor: Pick<SecondFactorService, 'reset' | 'setRequiredForReps'>;
  accounts: { findById(id: number): Promise<{ id: number; name: string } | undefined> };
}

/** Administrators: reset an account's second factor (a lost phone), and require one of every rep. */
export function secondFactorAdminRoutes({ secondFactor, accounts }: SecondFactorAdminRoutesDeps): Router {
  const router = Router();

  router.post('/admin/comptes/:id/double-authentification', requireAdmin, async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const account = id.success ? await accounts.findById(id.data) : undefined;
    if (!account) throw notFound();
    // A stolen session must not swap its own account's factor: another administrator does it.
    if (account.id === currentUser(res).id) {
      flash(req, 'error', 'Demandez à un·e autre administrateur·rice de réinitialiser votre propre double authentification.');
    } else {
      await secondFactor.reset(currentUser(res).id, account.id);
      flash(req, 'success', `La double authentification de ${account.name} est réinitialisée ; ses codes de secours ne valent plus. Le compte en sera informé à sa prochaine connexion.`);
    }
    res.redirect(303, `/admin/comptes/${account.id}`);
  });

  router.post('/admin/double-authentification', requireAdmin, async (req, res) => {
    const form = parseForm(requiredForRepsSchema, req.body);
    const required = form.ok && form.data.requiredForReps === 'on';
    await secondFactor.setRequiredForReps(currentUser(res).id, required);
    flash(
      req,
      'success',
      required
        ? 'La double authentification est désormais obligatoire pour tous les comptes, à leur prochaine connexion.'
        : 'La double authentification est facultative pour les représentant·es (elle reste obligatoire pour les administrateur·rices).',
    );
    res.redirect(303, '/admin/comptes');
  });

  return router;
}
