import { Router, type Response } from 'express';
import type { SecondFactorService } from '../auth/second-factor.service';
import type { Region } from '../regions/regions.repository';
import type { AccountLink, AccountsService } from '../users/accounts.service';
import type { UserWithSecret } from '../users/users.repository';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireAdmin } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import { inviteSchema, updateAccountSchema } from './accounts.schemas';

export interface AccountsRoutesDeps {
  accounts: AccountsService;
  regions: { list(): Promise<Region[]> };
  secondFactor: Pick<SecondFactorService, 'status' | 'requiredForReps'>;
  config: { baseUrl: string; smtp: unknown };
}

export function accountsRoutes({ accounts, regions, secondFactor, config }: AccountsRoutesDeps): Router {
  const router = Router();
  router.use('/admin', requireAdmin);

  const linkUrl = (link: AccountLink) => `${config.baseUrl}/acces/${link.token}`;

  async function findAccount(rawId: unknown) {
    const id = idParam.safeParse(rawId);
    const user = id.success ? await accounts.findById(id.data) : undefined;
    if (!user) throw notFound();
    return user;
  }

  async function renderForm(res: Response, view: string, locals: Record<string, unknown>, status = 200) {
    res.status(status).render(view, { regions: await regions.list(), ...locals });
  }

  /**
   * The account page. A freshly issued link is shown in this very response and kept nowhere else:
   * only its hash is stored, so it cannot be shown again.
   */
  async function renderAccount(
    res: Response,
    account: UserWithSecret,
    extra: { revealed?: { url: string; expiresAt: string; purpose: 'invitation' | 'reset' }; values?: unknown; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    const actor = currentUser(res);
    const { auditTrail } = await accounts.openedBy(actor.id, account.id);
    const { passwordHash: _secret, sessionsRevokedAt: _revoked, ...visible } = account;
    await renderForm(
      res,
      'admin/account',
      {
        title: account.name,
        account: visible,
        values: extra.values ?? visible,
        errors: extra.errors,
        revealed: extra.revealed,
        isSelf: account.id === actor.id,
        secondFactor: await secondFactor.status(account),
        auditTrail: await auditTrail(),
      },
      status,
    );
  }

  router.get('/admin/comptes', async (_req, res) => {
    const list = await accounts.list();
    const regionNames = new Map((await regions.list()).map((r) => [r.code, r.name]));
    res.render('admin/accounts', {
      title: 'Comptes',
      accounts: list.map((u) => ({ ...u, regionNames: u.regions.map((c) => regionNames.get(c) ?? c) })),
      smtpConfigured: config.smtp !== null,
      secondFactorRequiredForReps: await secondFactor.requiredForReps(),
    });
  });

  router.get('/admin/comptes/nouveau', async (_req, res) => {
    await renderForm(res, 'admin/account-new', { title: 'Inviter un compte', values: { role: 'rep', regions: [] } });
  });

  router.post('/admin/comptes', async (req, res) => {
    const codes = (await regions.list()).map((r) => r.code);
    const form = parseForm(inviteSchema(codes), req.body);
    if (!form.ok) {
      return renderForm(res, 'admin/account-new', { title: 'Inviter un compte', values: form.values, errors: form.errors }, 400);
    }
    const result = await accounts.invite(currentUser(res).id, form.data);
    if (!result.ok) {
      return renderForm(
        res,
        'admin/account-new',
        { title: 'Inviter un compte', values: form.values, errors: { email: 'Un compte existe déjà avec cette adresse.' } },
        400,
      );
    }
    res.locals.flash = [{ kind: 'success', text: `Compte créé pour ${form.data.name}.` }];
    await renderAccount(
      res,
      (await accounts.findById(result.userId))!,
      { revealed: { url: linkUrl(result.link), expiresAt: result.link.expiresAt.toISOString(), purpose: 'invitation' } },
      201,
    );
  });

  router.get('/admin/comptes/:id', async (req, res) => {
    await renderAccount(res, await findAccount(req.params.id));
  });

  router.post('/admin/comptes/:id', async (req, res) => {
    const account = await findAccount(req.params.id);
    const codes = (await regions.list()).map((r) => r.code);
    const form = parseForm(updateAccountSchema(codes), req.body);
    const isSelf = account.id === currentUser(res).id;
    const errors = form.ok ? {} : form.errors;
    if (form.ok && isSelf && form.data.role !== 'admin') {
      errors.role = 'Vous ne pouvez pas retirer votre propre rôle d’administrateur·rice.';
    }
    if (!form.ok || Object.keys(errors).length > 0) {
      // What was submitted, not what is stored: an unticked region must stay unticked.
      const values = form.ok ? { ...account, ...form.data } : { ...account, ...form.values, regions: form.values.regions ?? [] };
      return renderAccount(res, account, { values, errors }, 400);
    }
    await accounts.update(currentUser(res).id, account.id, form.data);
    flash(req, 'success', 'Compte mis à jour.');
    res.redirect(303, `/admin/comptes/${account.id}`);
  });

  router.post('/admin/comptes/:id/desactiver', async (req, res) => {
    const account = await findAccount(req.params.id);
    if (account.id === currentUser(res).id) {
      flash(req, 'error', 'Vous ne pouvez pas désactiver votre propre compte.');
    } else {
      await accounts.disable(currentUser(res).id, account.id);
      flash(req, 'success', `Le compte de ${account.name} est désactivé ; ses sessions sont fermées.`);
    }
    res.redirect(303, `/admin/comptes/${account.id}`);
  });

  router.post('/admin/comptes/:id/reactiver', async (req, res) => {
    const account = await findAccount(req.params.id);
    await accounts.enable(currentUser(res).id, account.id);
    flash(req, 'success', `Le compte de ${account.name} est réactivé.`);
    res.redirect(303, `/admin/comptes/${account.id}`);
  });

  router.post('/admin/comptes/:id/lien', async (req, res) => {
    const account = await findAccount(req.params.id);
    if (account.status === 'disabled') {
      flash(req, 'error', 'Réactivez d’abord ce compte.');
      return res.redirect(303, `/admin/comptes/${account.id}`);
    }
    const link = await accounts.issueResetLink(currentUser(res).id, account.id);
    const invited = account.status === 'invited';
    res.locals.flash = [
      {
        kind: 'success',
        text: invited
          ? 'Nouveau lien d’invitation créé ; l’ancien ne fonctionne plus.'
          : 'Lien de réinitialisation créé ; l’ancien mot de passe ne fonctionne plus et les sessions de ce compte sont fermées.',
      },
    ];
    await renderAccount(res, (await accounts.findById(account.id))!, {
      revealed: { url: linkUrl(link), expiresAt: link.expiresAt.toISOString(), purpose: invited ? 'invitation' : 'reset' },
    });
  });

  return router;
}
