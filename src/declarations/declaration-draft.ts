import { z } from 'zod';
import { type FieldErrors, isoDate, optionalIsoDate, requiredText, stringList } from '../web/validation';

/**
 * What the rep chose for a declaration: the meeting, the campaign, the scope and the period
 * (settings), then which text blocks, in which order, with which wording (sections). Field names
 * are flat so the pages work as plain HTML forms.
 */
export interface DeclarationSettings {
  meetingKind: string;
  bodyName: string;
  meetingDate: string;
  campaignId: number;
  /** Region codes, or 'national'. */
  regions: string[] | 'national';
  periodFrom: string | null;
  periodTo: string | null;
}

export interface DeclarationSection {
  /** The template block it comes from; null for the rep's own paragraph. */
  blockId: string | null;
  title: string;
  text: string;
  order: number;
}

export interface DeclarationDraft {
  settings: DeclarationSettings;
  sections: DeclarationSection[];
}

export const NATIONAL = 'national';

/** « CSE Hauts-de-France » rather than « CSE — CSE Hauts-de-France » when the name already says it. */
export function meetingLabel(kind: string, bodyName: string): string {
  return bodyName.split(/\s+/)[0]?.toLocaleUpperCase('fr') === kind ? bodyName : `${kind} — ${bodyName}`;
}
export const FREE_SLOTS = 2;
const MAX_TEXT = 20_000;

export interface SettingsChoices {
  meetingKinds: string[];
  campaignIds: number[];
  /** Regions the rep covers. */
  regions: string[];
  /** Whether the rep covers every region, and so may speak for the whole country. */
  nationalAllowed: boolean;
}

/** Reads the settings form; every message is in French, on its own field. */
export function readSettings(query: Record<string, unknown>, choices: SettingsChoices): { settings?: DeclarationSettings; errors: FieldErrors } {
  const schema = z
    .object({
      meetingKind: z.string({ error: 'Choisissez l’instance.' }).refine((v) => choices.meetingKinds.includes(v), 'Choisissez l’instance.'),
      bodyName: requiredText('Le nom de l’instance', 120),
      meetingDate: z
        .string({ error: 'La date de la séance est obligatoire.' })
        .trim()
        .min(1, 'La date de la séance est obligatoire.')
        .pipe(isoDate('La date de la séance')),
      campaignId: z
        .string({ error: 'Choisissez la campagne.' })
        .regex(/^\d{1,9}$/, 'Choisissez la campagne.')
        .transform(Number)
        .refine((v) => choices.campaignIds.includes(v), 'Choisissez la campagne.'),
      regions: stringList().transform((list, ctx): string[] | 'national' => {
        if (list.includes(NATIONAL)) {
          if (!choices.nationalAllowed) {
            ctx.addIssue({ code: 'custom', message: 'Vous ne couvrez pas toutes les régions : choisissez parmi les vôtres.' });
            return z.NEVER;
          }
          return NATIONAL;
        }
        if (list.length === 0) {
          ctx.addIssue({ code: 'custom', message: 'Choisissez au moins une région.' });
          return z.NEVER;
        }
        const foreign = list.filter((r) => !choices.regions.includes(r));
        if (foreign.length > 0) {
          ctx.addIssue({ code: 'custom', message: 'Vous ne pouvez composer une déclaration que pour les régions que vous suivez.' });
          return z.NEVER;
        }
        return [...new Set(list)].sort();
      }),
      periodFrom: optionalIsoDate('Le début de la période'),
      periodTo: optionalIsoDate('La fin de la période'),
    })
    .refine((v) => !v.periodFrom || !v.periodTo || v.periodFrom <= v.periodTo, { path: ['periodTo'], message: 'La fin de la période doit suivre son début.' });
  const result = schema.safeParse(query);
  if (result.success) return { settings: result.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
  return { errors };
}

/** The settings as query parameters, to come back to the first step or to carry them in the second. */
export function settingsQuery(settings: DeclarationSettings): Record<string, string | string[]> {
  return {
    meetingKind: settings.meetingKind,
    bodyName: settings.bodyName,
    meetingDate: settings.meetingDate,
    campaignId: String(settings.campaignId),
    regions: settings.regions === NATIONAL ? [NATIONAL] : settings.regions,
    periodFrom: settings.periodFrom ?? '',
    periodTo: settings.periodTo ?? '',
  };
}

/** Reads the blocks form (b_<id>_include, b_<id>_order, b_<id>_text; free_<n>_…). */
export function readSections(body: Record<string, unknown>, blocks: ReadonlyArray<{ id: string; title: string; order: number }>): { sections: DeclarationSection[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const order = (key: string, fallback: number) => {
    const raw = str(key).trim();
    if (!raw) return fallback;
    const n = z.coerce.number().int().min(1).max(99).safeParse(raw);
    if (!n.success) {
      errors[key] = 'Indiquez une position entre 1 et 99.';
      return fallback;
    }
    return n.data;
  };
  const text = (key: string) => {
    const value = str(key).replace(/\r\n/g, '\n').trim();
    if (value.length > MAX_TEXT) errors[key] = `Ce texte dépasse ${new Intl.NumberFormat('fr-FR').format(MAX_TEXT)} caractères.`;
    return value;
  };

  const sections: DeclarationSection[] = [];
  for (const block of blocks) {
    if (!body[`b_${block.id}_include`]) continue;
    const value = text(`b_${block.id}_text`);
    if (!value) errors[`b_${block.id}_text`] = 'Ce texte est vide : décochez le bloc ou rédigez-le.';
    sections.push({ blockId: block.id, title: block.title, text: value, order: order(`b_${block.id}_order`, block.order) });
  }
  for (let slot = 1; slot <= FREE_SLOTS; slot++) {
    const value = text(`free_${slot}_text`);
    const title = str(`free_${slot}_title`).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
    if (!value && !title) continue;
    if (!value) errors[`free_${slot}_text`] = 'Rédigez le paragraphe ou effacez son titre.';
    sections.push({ blockId: null, title, text: value, order: order(`free_${slot}_order`, 90 + slot) });
  }
  if (sections.length === 0) errors._form = 'Gardez au moins un bloc ou un paragraphe.';
  // Stable: equal positions keep the template's order.
  sections.sort((a, b) => a.order - b.order);
  return { sections, errors };
}
