import { z } from 'zod';

/**
 * How else agents can reach the union, shown where the public form turns them away (too many
 * requests from one address: a whole office may share it). Plain text, a few lines: an address,
 * a phone number, opening hours.
 */
const unionContact = z
  .string()
  .overwrite((v) => v.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, ' '))
  .trim()
  .max(600, 'Le contact ne peut pas dépasser 600 caractères.')
  .refine((v) => v.split('\n').length <= 8, 'Le contact tient en 8 lignes au plus.');

/** Every setting, with its value when no administrator has set it. */
export const settingsSchema = z.object({
  unionContact: unionContact.catch(''),
});

export type AppSettings = z.output<typeof settingsSchema>;

/** The settings form, as posted. */
export const settingsFormSchema = z.object({
  unionContact: unionContact.optional().default(''),
});
