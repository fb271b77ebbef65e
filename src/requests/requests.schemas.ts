import { z } from 'zod';
import { checkbox, optionalIsoDate, optionalText, requiredText } from '../web/validation';

const optionalEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'L’adresse e-mail est trop longue.')
  .optional()
  .transform((v) => (v ? v : null))
  .pipe(z.email('L’adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).').nullable());

const optionalPhone = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .pipe(z.string().regex(/^[+\d][\d .-]{5,24}$/, 'Le numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78).').nullable());

const contactFields = {
  email: optionalEmail,
  phone: optionalPhone,
  preferredContact: z.enum(['email', 'phone'], { error: 'Indiquez comment vous préférez être contacté·e.' }),
};

/** The contact check runs with the other fields' errors, unless the contact fields themselves failed. */
const CONTACT_CHECK = {
  when: (payload: { issues: Array<{ path?: PropertyKey[] }> }) =>
    !payload.issues.some((i) => ['email', 'phone', 'preferredContact'].includes(String(i.path?.[0]))),
};

function contactIsReachable<T extends { email: string | null; phone: string | null; preferredContact: 'email' | 'phone' }>(v: T, ctx: z.RefinementCtx) {
  if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Donnez au moins une adresse e-mail ou un numéro de téléphone.' });
  if (v.preferredContact === 'email' && !v.email && v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Vous préférez l’e-mail : indiquez votre adresse.' });
  if (v.preferredContact === 'phone' && !v.phone && v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Vous préférez le téléphone : indiquez votre numéro.' });
}

export function publicRequestSchema(regionCodes: string[], situationCodes: string[]) {
  return z
    .object({
      name: requiredText('Votre nom', 120),
      ...contactFields,
      regionCode: z.enum(regionCodes as [string, ...string[]], { error: 'Choisissez votre région.' }),
      site: optionalText('Le site', 120),
      convocationDate: optionalIsoDate('La date de la convocation'),
      interviewDate: optionalIsoDate('La date de l’entretien'),
      summonedBy: optionalText('La personne qui vous a convoqué·e', 120),
      situation: z.enum(situationCodes as [string, ...string[]], { error: 'Choisissez ce qui vous semble correspondre, ou « Je ne sais pas ».' }),
      message: optionalText('Votre message', 4000),
      consent: checkbox.refine((v) => v, 'Votre accord est nécessaire pour que nous puissions traiter votre demande.'),
      // The honeypot: hidden from people, left empty by them; filled by robots that fill every field.
      // Its name must match no autofill heuristic (url, website, email, name…): a browser filling
      // it in would have a real agent's request silently dropped.
      precisions: z.string().optional().default(''),
    })
    .superRefine(contactIsReachable, CONTACT_CHECK);
}

export const followUpMessageSchema = z.object({
  body: z.string({ error: 'Écrivez votre message.' }).trim().min(1, 'Écrivez votre message.').max(4000, 'Votre message ne peut pas dépasser 4000 caractères.'),
});

export const contactSchema = z.object(contactFields).superRefine(contactIsReachable, CONTACT_CHECK);

export const repMessageSchema = followUpMessageSchema;

export const assignSchema = z.object({ userId: z.coerce.number<string>().int().positive({ error: 'Choisissez un·e représentant·e.' }) });

export const duplicateSchema = z.object({
  duplicateOf: z
    .string()
    .trim()
    .regex(/^D-[A-Z0-9]{4}-[A-Z0-9]{4}$/i, 'Indiquez la référence de l’autre demande (exemple : D-7KQ2-M9XA).')
    .transform((v) => v.toUpperCase()),
});
