import { z } from 'zod';
import type { FieldErrors } from './validation';

/**
 * The composer form shared by the brief review and the declaration compose pages: a list of
 * proposed items (arguments, template blocks), each kept or dropped (`<p>_<id>_include`), placed
 * (`<p>_<id>_order`) and worded (`<p>_<id>_<field>`), then a few free paragraphs (`free_<n>_title`,
 * `free_<n>_order`, `free_<n>_text`). Field names are flat so the pages work as plain HTML forms.
 * This module reads that form (values kept, one French message per field) and builds the rows the
 * page shows again, from what was sent or from the proposals.
 */
export interface ComposerSpec {
  /** Prefix of the items' fields: `a` for arguments, `b` for template blocks. */
  prefix: string;
  /** The text fields of an item, each with the message when it is kept but left empty. */
  fields: ReadonlyArray<{ name: string; emptyMessage: string }>;
  freeSlots: number;
  /** The title a free paragraph gets when the rep gives none. */
  freeTitleFallback: string;
  /** When nothing at all is kept. */
  nothingKept: string;
}

export interface ComposedSection {
  /** The item it comes from; null for a free paragraph. */
  itemId: string | null;
  /** A free paragraph's title; '' for an item. */
  title: string;
  /** The item's text fields by name; a free paragraph has `text` only. */
  texts: Record<string, string>;
  order: number;
}

export const MAX_TEXT = 20_000;
const ORDER_MESSAGE = 'Indiquez une position entre 1 et 99.';
const TOO_LONG = `Ce texte dépasse ${new Intl.NumberFormat('fr-FR').format(MAX_TEXT)} caractères.`;
const FREE_EMPTY = 'Rédigez le paragraphe ou effacez son titre.';

/** Where a free paragraph goes when the rep gives no position: after every proposal. */
export const freeSlotOrder = (slot: number) => 90 + slot;

/** A field the browser did not send, or sent twice, reads as empty. */
const field = z.string().catch('');
const position = z.coerce.number().int().min(1).max(99);
/** Windows line ends from the textarea, and the blank lines around, go. */
const longText = field.transform((v) => v.replace(/\r\n/g, '\n').trim());
/** A single line: control characters become spaces. */
const titleText = field.transform((v) => v.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200));

/**
 * Reads the composer form. Sections are sorted by position, stably, so equal positions keep the
 * proposals' order then the slots'. An empty position takes the item's `order`.
 */
export function readComposer(
  body: Record<string, unknown>,
  spec: ComposerSpec,
  items: ReadonlyArray<{ id: string; order: number }>,
): { sections: ComposedSection[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const order = (key: string, fallback: number) => {
    const raw = field.parse(body[key]).trim();
    if (!raw) return fallback;
    const n = position.safeParse(raw);
    if (n.success) return n.data;
    errors[key] = ORDER_MESSAGE;
    return fallback;
  };
  const text = (key: string) => {
    const value = longText.parse(body[key]);
    if (value.length > MAX_TEXT) errors[key] = TOO_LONG;
    return value;
  };

  const sections: ComposedSection[] = [];
  for (const item of items) {
    const key = `${spec.prefix}_${item.id}`;
    if (!body[`${key}_include`]) continue;
    const texts: Record<string, string> = {};
    for (const { name, emptyMessage } of spec.fields) {
      texts[name] = text(`${key}_${name}`);
      if (!texts[name]) errors[`${key}_${name}`] = emptyMessage;
    }
    sections.push({ itemId: item.id, title: '', texts, order: order(`${key}_order`, item.order) });
  }
  for (let slot = 1; slot <= spec.freeSlots; slot++) {
    const value = text(`free_${slot}_text`);
    const title = titleText.parse(body[`free_${slot}_title`]);
    if (!value && !title) continue;
    if (!value) errors[`free_${slot}_text`] = FREE_EMPTY;
    sections.push({ itemId: null, title: title || spec.freeTitleFallback, texts: { text: value }, order: order(`free_${slot}_order`, freeSlotOrder(slot)) });
  }
  if (sections.length === 0) errors._form = spec.nothingKept;
  sections.sort((a, b) => a.order - b.order);
  return { sections, errors };
}

/** What an item or a free paragraph shows when the page comes without a submitted form. */
export interface ComposerDefaults {
  included: boolean;
  order: number;
  texts: Record<string, string>;
}

type Row = { included: boolean; order: string; orderError?: string } & Record<string, unknown>;

/**
 * The items as the page shows them: what the rep sent when the form comes back (errors beside
 * their fields), else the defaults. Each text field `f` gives `f` and `fError`.
 */
export function composerRows<T extends { id: string }>(
  spec: ComposerSpec,
  items: readonly T[],
  state: { body?: Record<string, unknown>; errors?: FieldErrors },
  defaults: (item: T) => ComposerDefaults,
): Array<T & Row> {
  const { body } = state;
  const errors = state.errors ?? {};
  return items.map((item) => {
    const key = `${spec.prefix}_${item.id}`;
    const fallback = body ? undefined : defaults(item);
    const row: Row = {
      included: body ? Boolean(body[`${key}_include`]) : fallback!.included,
      order: body ? String(body[`${key}_order`] ?? '') : String(fallback!.order),
      orderError: errors[`${key}_order`],
    };
    for (const { name } of spec.fields) {
      row[name] = body ? String(body[`${key}_${name}`] ?? '') : (fallback!.texts[name] ?? '');
      row[`${name}Error`] = errors[`${key}_${name}`];
    }
    return { ...item, ...row };
  });
}

/** The free paragraphs as the page shows them; `kept(i)` gives the i-th one of a draft shown again. */
export function freeSlotRows(
  spec: ComposerSpec,
  state: { body?: Record<string, unknown>; errors?: FieldErrors },
  kept: (index: number) => { title: string; order: number; text: string } | undefined = () => undefined,
) {
  const { body } = state;
  const errors = state.errors ?? {};
  return Array.from({ length: spec.freeSlots }, (_, i) => {
    const slot = i + 1;
    const from = kept(i);
    return {
      slot,
      title: body ? String(body[`free_${slot}_title`] ?? '') : (from?.title ?? ''),
      order: body ? String(body[`free_${slot}_order`] ?? '') : String(from?.order ?? freeSlotOrder(slot)),
      text: body ? String(body[`free_${slot}_text`] ?? '') : (from?.text ?? ''),
      orderError: errors[`free_${slot}_order`],
      textError: errors[`free_${slot}_text`],
    };
  });
}

/**
 * The texts typed into a composer form, with a heading each, for a page that cannot use the form
 * (its settings came back wrong) but must not lose what was written.
 */
export function typedTexts(
  body: Record<string, unknown>,
  spec: ComposerSpec,
  items: ReadonlyArray<{ id: string; heading: string }>,
): Array<{ heading: string; text: string }> {
  const texts = items.map((item) => ({ heading: item.heading, text: body[`${spec.prefix}_${item.id}_text`] }));
  for (let slot = 1; slot <= spec.freeSlots; slot++) texts.push({ heading: String(body[`free_${slot}_title`] ?? '') || `Paragraphe libre ${slot}`, text: body[`free_${slot}_text`] });
  return texts.filter((t): t is { heading: string; text: string } => typeof t.text === 'string' && t.text.trim() !== '');
}
