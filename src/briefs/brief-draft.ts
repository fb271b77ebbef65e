import { type ComposerSpec, readComposer } from '../web/composer-form';

/**
 * What the rep decided on the review page: which arguments, in which order, with which wording,
 * plus free paragraphs, the addressee and the purpose. Field names are flat (a_<id>_text…) so the
 * page works as a plain HTML form.
 */
export interface DraftSection {
  argumentId: string | null;
  title: string;
  /** The full text, for the annex (or the body of a free paragraph). */
  text: string;
  /** The argument in a few lines, for the letter or the sheet; '' for a free paragraph. */
  summary: string;
  order: number;
}

export interface BriefDraft {
  purpose: string;
  addressee: string;
  sections: DraftSection[];
  /** Whether the full argumentaire is appended after the letter or sheet. */
  annex: boolean;
}

/** The review page's composer: arguments (a_<id>_…) with a full text and a summary each. */
export const BRIEF_COMPOSER: ComposerSpec = {
  prefix: 'a',
  fields: [
    { name: 'text', emptyMessage: 'Ce texte est vide : décochez l’argument ou rédigez-le.' },
    { name: 'summary', emptyMessage: 'Ce résumé est vide : décochez l’argument ou rédigez-le en quelques lignes.' },
  ],
  freeSlots: 2,
  freeTitleFallback: 'Observations complémentaires',
  nothingKept: 'Gardez au moins un argument ou un paragraphe.',
};

export interface DraftInput {
  argumentIds: string[];
  /** Each argument's place in the library, used when the rep leaves a position empty. */
  argumentOrders?: Record<string, number>;
  purposes: string[];
  addressees: string[];
}

/** Reads the review form; returns the draft and field-level French messages. */
export function readDraft(body: Record<string, unknown>, input: DraftInput): { draft: BriefDraft; errors: Record<string, string> } {
  const items = input.argumentIds.map((id, index) => ({ id, order: input.argumentOrders?.[id] ?? (index + 1) * 10 }));
  // Purpose and addressee come first in the form, and so in the list of errors.
  const errors: Record<string, string> = {};
  const choice = (key: string, allowed: string[], message: string) => {
    const raw = body[key];
    const value = typeof raw === 'string' ? raw : '';
    if (!allowed.includes(value)) errors[key] = message;
    return value;
  };
  const purpose = choice('purpose', input.purposes, 'Choisissez l’objet du document.');
  const addressee = choice('addressee', input.addressees, 'Choisissez le destinataire.');
  const composed = readComposer(body, BRIEF_COMPOSER, items);
  Object.assign(errors, composed.errors);
  const sections = composed.sections;
  return {
    draft: {
      purpose,
      addressee,
      sections: sections.map((s) => ({ argumentId: s.itemId, title: s.title, text: s.texts.text!, summary: s.texts.summary ?? '', order: s.order })),
      annex: body.annex === 'on',
    },
    errors,
  };
}
