import { z } from 'zod';
import { emailField, requiredText, stringList } from '../web/validation';

const ROLE_MESSAGE = 'Choisissez un rôle : représentant·e ou administrateur·rice.';

function accountFields(regionCodes: string[]) {
  return {
    name: requiredText('Le nom', 120),
    role: z.enum(['rep', 'admin'], { error: ROLE_MESSAGE }),
    regions: stringList().pipe(
      z.array(z.enum(regionCodes as [string, ...string[]], { error: 'Région inconnue.' })),
    ),
  };
}

/** A rep without a region would see nothing: the scope is required for reps. */
function requireRegionsForReps<T extends { role: string; regions: string[] }>(schema: z.ZodType<T>) {
  return schema.refine((v) => v.role !== 'rep' || v.regions.length > 0, {
    path: ['regions'],
    message: 'Cochez au moins une région suivie par ce·tte représentant·e.',
  });
}

export function inviteSchema(regionCodes: string[]) {
  return requireRegionsForReps(z.object({ email: emailField, ...accountFields(regionCodes) }));
}

export function updateAccountSchema(regionCodes: string[]) {
  return requireRegionsForReps(z.object(accountFields(regionCodes)));
}
