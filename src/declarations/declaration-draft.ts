import { z } from 'zod';
import { type ComposerSpec, readComposer } from '../web/composer-form';
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

/** The compose page's composer: template blocks (b_<id>_…) with one text each. */
export const DECLARATION_COMPOSER: ComposerSpec = {
  prefix: 'b',
  fields: [{ name: 'text', emptyMessage: 'Ce texte est vide : décochez le bloc ou rédigez-le.' }],
  freeSlots: 2,
  freeTitleFallback: '',
  nothingKept: 'Gardez au moins un bloc ou un paragraphe.',
};

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
  const { sections, errors } = readComposer(body, DECLARATION_COMPOSER, blocks);
  const titleOf = new Map(blocks.map((b) => [b.id, b.title]));
  return {
    sections: sections.map((s) => ({ blockId: s.itemId, title: s.itemId === null ? s.title : titleOf.get(s.itemId)!, text: s.texts.text!, order: s.order })),
    errors,
  };
}
