import { Router } from 'express';
import { flash } from '../web/flash';
import { currentUser, requireAdmin } from '../web/guards';
import { parseForm } from '../web/validation';
import { settingsFormSchema } from './settings.schemas';
import type { SettingsService } from './settings.service';

/** The instance's settings, for administrators. */
export function settingsRoutes({ settings }: { settings: SettingsService }): Router {
  const router = Router();

  router.get('/admin/reglages', requireAdmin, async (_req, res) => {
    res.render('admin/settings', { title: 'Réglages', values: await settings.current() });
  });

  router.post('/admin/reglages', requireAdmin, async (req, res) => {
    const form = parseForm(settingsFormSchema, req.body);
    if (!form.ok) {
      res.status(400).render('admin/settings', { title: 'Réglages', values: form.values, errors: form.errors });
      return;
    }
    await settings.update(currentUser(res), form.data);
    flash(req, 'success', 'Réglages enregistrés.');
    res.redirect(303, '/admin/reglages');
  });

  return router;
}
