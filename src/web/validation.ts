import { z } from 'zod';

z.config(z.locales.fr());

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, unknown> }
  | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/**
 * Validates a submitted form. On failure, returns one French message per field (the first issue)
 * and the submitted values so the form can be shown again without losing the user's work.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** A trimmed single-line text field with a French message when missing or too long. */
export function requiredText(label: string, max = 200) {
  return z
    .string({ error: `${label} est obligatoire.` })
    // A single-line field: line breaks and control characters become spaces.
    .overwrite((v) => v.replace(/[\u0000-\u001f\u007f]+/g, ' '))
    .trim()
    .min(1, `${label} est obligatoire.`)
    .max(max, `${label} ne peut pas dépasser ${max} caractères.`);
}

export function optionalText(label: string, max = 2000) {
  return z
    .string()
    .trim()
    .max(max, `${label} ne peut pas dépasser ${max} caractères.`)
    .optional()
    .default('');
}

/** Checkbox groups arrive as a string, an array of strings, or nothing. */
export function stringList() {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((item) => item !== ''));
}

export const checkbox = z
  .union([z.literal('on'), z.literal('1'), z.literal('true')])
  .optional()
  .transform((v) => v !== undefined);

export const emailField = z
  .string({ error: 'L’adresse e-mail est obligatoire.' })
  .trim()
  .toLowerCase()
  .min(1, 'L’adresse e-mail est obligatoire.')
  .max(254, 'L’adresse e-mail est trop longue.')
  .pipe(z.email('L’adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).'));

/** Route ids: anything but a positive integer is simply a page that does not exist. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));

/** Browsers without a date picker send what the person typed: « 16/09/2024 » is read as 2024-09-16. */
function frenchDateToIso(value: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : value;
}

export function isoDate(label: string) {
  return z
    .string()
    .trim()
    .overwrite(frenchDateToIso)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} doit être une date (jj/mm/aaaa).`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${label} n’est pas une date valide.`);
}

/**
 * An optional number typed by a person: accepts « 1 208 » and « 12,5 »; empty means unknown (null).
 */
export function optionalNumber(label: string, options: { integer?: boolean; max: number }) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return null;
      const n = Number(raw.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));
      const problem = !Number.isFinite(n)
        ? `${label} doit être un nombre.`
        : options.integer && !Number.isInteger(n)
          ? `${label} doit être un nombre entier.`
          : n < 0
            ? `${label} ne peut pas être négatif.`
            : n > options.max
              ? `${label} ne peut pas dépasser ${options.max}.`
              : undefined;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return n;
    });
}

export function optionalIsoDate(label: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(isoDate(label).nullable());
}
