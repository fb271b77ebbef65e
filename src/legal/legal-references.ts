import { z } from 'zod';

/**
 * The legal references briefs may cite, read from templates/legal-references.yaml so a union lawyer
 * can correct them without touching code. Only V (verified) entries are cited as law; P entries only
 * with their cautious wording; N entries are never cited, and an argument that names one is refused
 * when the library loads.
 */
export const legalReferenceSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  mark: z.enum(['V', 'P', 'N']),
  summary: z.string().default(''),
  caution: z.string().optional(),
  appliesTo: z.enum(['private', 'public', 'all']).default('all'),
  /**
   * Words whose presence in a printed paragraph means the paragraph relies on this reference: a
   * document lists a reference only when a paragraph it prints names it, so a sentence hidden for
   * this agent (or deleted by the rep) takes its reference with it.
   */
  cues: z.union([z.string().min(1).transform((c) => [c]), z.array(z.string().min(1))]).default([]),
});

export type LegalReference = z.infer<typeof legalReferenceSchema>;

export function parseLegalReferences(data: unknown): Map<string, LegalReference> {
  const list = z
    .union([z.array(legalReferenceSchema), z.object({ references: z.array(legalReferenceSchema) }).transform((v) => v.references)])
    .parse(data);
  const byId = new Map<string, LegalReference>();
  for (const ref of list) {
    if (byId.has(ref.id)) throw new Error(`Duplicate legal reference id: ${ref.id}`);
    if (ref.mark === 'P' && !ref.caution) throw new Error(`Legal reference ${ref.id} is marked P and needs a cautious wording (caution)`);
    byId.set(ref.id, ref);
  }
  return byId;
}

const normalise = (text: string) => text.replace(/[\s\u00A0\u202F]+/g, ' ').replace(/'/g, '’').toLowerCase();

/** Whether a printed text names the reference (one of its cues, spacing and case aside). */
export function isCitedIn(ref: LegalReference, text: string): boolean {
  // A text is asked about each reference of its argument in turn: normalised once for them all.
  if (text !== lastText) {
    lastText = text;
    lastPrinted = normalise(text);
  }
  const printed = lastPrinted;
  let cues = normalisedCues.get(ref);
  if (!cues) normalisedCues.set(ref, (cues = ref.cues.map(normalise)));
  return cues.some((cue) => printed.includes(cue));
}

let lastText = '';
let lastPrinted = '';
const normalisedCues = new WeakMap<LegalReference, string[]>();

/** How a reference appears in a brief's list of references. */
export function citationText(ref: LegalReference): string {
  if (ref.mark === 'V') return capitalise(ref.label);
  if (ref.mark === 'P') return `${capitalise(ref.label)} (à titre indicatif, à apprécier au cas par cas)`;
  throw new Error(`Reference ${ref.id} is not verified and cannot be cited`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
