import { z } from 'zod';

/** A code of the app (six digits) or a recovery code: read by src/domain/second-factor.ts. */
export const codeSchema = z.object({
  code: z.string({ error: 'Saisissez le code.' }).trim().min(1, 'Saisissez le code.').max(40, 'Ce code est trop long.'),
});

export const requiredForRepsSchema = z.object({
  requiredForReps: z.enum(['on', 'off']).optional().default('off'),
});
