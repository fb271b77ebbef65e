import { z } from 'zod';

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

export const FREE_SLOTS = 2;
const MAX_TEXT = 20_000;

export interface DraftInput {
  argumentIds: string[];
  /** Each argument's place in the library, used when the rep leaves a position empty. */
  argumentOrders?: Record<string, number>;
  purposes: string[];
  addressees: string[];
}

/** Reads the review form; returns the draft and field-level French messages. */
export function readDraft(body: Record<string, unknown>, input: DraftInput): { draft: BriefDraft; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
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

  const purpose = str('purpose');
  if (!input.purposes.includes(purpose)) errors.purpose = 'Choisissez l’objet du document.';
  const addressee = str('addressee');
  if (!input.addressees.includes(addressee)) errors.addressee = 'Choisissez le destinataire.';

  const sections: DraftSection[] = [];
  input.argumentIds.forEach((id, index) => {
    if (!body[`a_${id}_include`]) return;
    const value = text(`a_${id}_text`);
    if (!value) errors[`a_${id}_text`] = 'Ce texte est vide : décochez l’argument ou rédigez-le.';
    const summary = text(`a_${id}_summary`);
    if (!summary) errors[`a_${id}_summary`] = 'Ce résumé est vide : décochez l’argument ou rédigez-le en quelques lignes.';
    sections.push({ argumentId: id, title: '', text: value, summary, order: order(`a_${id}_order`, input.argumentOrders?.[id] ?? (index + 1) * 10) });
  });
  for (let slot = 1; slot <= FREE_SLOTS; slot++) {
    const value = text(`free_${slot}_text`);
    const title = str(`free_${slot}_title`).trim().slice(0, 200);
    if (!value && !title) continue;
    if (!value) errors[`free_${slot}_text`] = 'Rédigez le paragraphe ou effacez son titre.';
    sections.push({ argumentId: null, title: title || 'Observations complémentaires', text: value, summary: '', order: order(`free_${slot}_order`, 90 + slot) });
  }
  if (sections.length === 0) errors._form = 'Gardez au moins un argument ou un paragraphe.';
  sections.sort((a, b) => a.order - b.order);
  return { draft: { purpose, addressee, sections, annex: body.annex === 'on' }, errors };
}
