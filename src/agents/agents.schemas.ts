import { z } from 'zod';

/** Ids as the confirmation page lists them: « 12,15 », or nothing. */
const idList = z
  .string()
  .max(20_000)
  .regex(/^(\d{1,15}(,\d{1,15})*)?$/, 'Liste d’identifiants invalide.')
  .optional()
  .default('')
  .transform((v) => (v ? v.split(',').map(Number) : []));

/** The erasure's confirmation: the agent's name typed by hand, and the records the page showed. */
export const erasureSchema = z.object({
  confirmName: z
    .string({ error: 'Tapez le nom de l’agent pour confirmer l’effacement.' })
    .trim()
    .min(1, 'Tapez le nom de l’agent pour confirmer l’effacement.')
    .max(200, 'Le nom saisi est trop long.'),
  caseIds: idList,
  requestIds: idList,
});
