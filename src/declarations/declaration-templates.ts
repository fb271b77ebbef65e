import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TEMPLATES_DIR, loadLegalReferences } from '../briefs/argument-library';
import type { LegalReference } from '../legal/legal-references';
import { type TextTemplate, compileText } from '../legal/template-engine';

/** What a block brings besides its text: the figures tables and charts, frozen with the version. */
export type BlockAttachment = 'figures' | 'commitment';

export interface DeclarationBlockTemplate {
  id: string;
  title: string;
  order: number;
  attach: BlockAttachment | null;
  citations: LegalReference[];
  text: TextTemplate;
}

export interface DeclarationTemplates {
  meetingKinds: Array<{ id: string; label: string }>;
  title: string;
  signature: (context: object) => string[];
  blocks: DeclarationBlockTemplate[];
}

const fileSchema = z.object({
  meetingKinds: z.array(z.object({ id: z.string().regex(/^[A-Z]+$/), label: z.string().min(1) })).min(1),
  title: z.string().min(1),
  signature: z.array(z.string()).min(1),
  blocks: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'id must be snake_case'),
        title: z.string().default(''),
        order: z.number().int().min(1).max(99),
        attach: z.enum(['figures', 'commitment']).optional(),
        citations: z.array(z.string()).default([]),
        text: z.string().min(1),
      }),
    )
    .min(1),
});

/**
 * Handlebars compiles a template at its first use: done at the load, so that the first
 * declaration composed after a start does not wait for every block's compilation (70 ms).
 */
function compiledNow(source: string): TextTemplate {
  const text = compileText(source);
  text({});
  return text;
}

/**
 * Reads templates/declarations.yaml. As for the argument library, a block that cites an unknown
 * or unverified (N) reference stops the load with its id.
 */
export function loadDeclarationTemplates(dir = TEMPLATES_DIR, references = loadLegalReferences(dir)): DeclarationTemplates {
  const raw = fileSchema.parse(parseYaml(readFileSync(path.join(dir, 'declarations.yaml'), 'utf8')));
  const seen = new Set<string>();
  const blocks = raw.blocks.map((b) => {
    if (seen.has(b.id)) throw new Error(`declarations.yaml: duplicate block id ${b.id}`);
    seen.add(b.id);
    const citations = b.citations.map((id) => {
      const ref = references.get(id);
      if (!ref) throw new Error(`declarations.yaml: block ${b.id} cites unknown reference ${id}`);
      if (ref.mark === 'N') throw new Error(`declarations.yaml: block ${b.id} cites ${id}, which is not verified (N)`);
      return ref;
    });
    return { id: b.id, title: b.title, order: b.order, attach: b.attach ?? null, citations, text: compiledNow(b.text) };
  });
  const signature = raw.signature.map((line) => compiledNow(line));
  return {
    meetingKinds: raw.meetingKinds,
    title: raw.title,
    signature: (context) => signature.map((line) => line(context)).filter(Boolean),
    blocks: blocks.sort((a, b) => a.order - b.order),
  };
}
