import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Condition, type SelectableArgument, conditionSchema } from '../domain/argument-conditions';
import { type LegalReference, parseLegalReferences } from '../legal/legal-references';
import { type TextTemplate, compileText } from '../legal/template-engine';

export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

export interface Argument extends SelectableArgument {
  when: Condition;
  citations: LegalReference[];
  body: TextTemplate;
  /** The argument in a few lines, for a letter or the agent's preparation sheet. */
  summary: TextTemplate;
  source: string;
}

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'id must be snake_case'),
  title: z.string().min(1),
  order: z.number().int(),
  when: conditionSchema,
  reason: z.string().min(1),
  citations: z.array(z.string()).default([]),
  summary: z.string().min(1),
});

/** Splits a file into its YAML front matter and its Handlebars body. */
export function splitFrontMatter(text: string, file: string): { data: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: missing front matter (--- … ---)`);
  return { data: parseYaml(match[1]!), body: match[2]!.trim() };
}

export function loadLegalReferences(dir = TEMPLATES_DIR): Map<string, LegalReference> {
  return parseLegalReferences(parseYaml(readFileSync(path.join(dir, 'legal-references.yaml'), 'utf8')));
}

/**
 * Reads every argument file, validates its condition, compiles its body and resolves its
 * citations. Any mistake (unknown reference, an unverified one, a bad condition) stops the load
 * with the file's name: a library that loads is a library that only cites what it may.
 */
export function loadArgumentLibrary(dir = TEMPLATES_DIR, references = loadLegalReferences(dir)): Argument[] {
  const folder = path.join(dir, 'arguments');
  const files = readdirSync(folder).filter((f) => f.endsWith('.md')).sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const { data, body } = splitFrontMatter(readFileSync(path.join(folder, file), 'utf8'), file);
    const parsed = frontMatterSchema.safeParse(data);
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const meta = parsed.data;
    if (seen.has(meta.id)) throw new Error(`${file}: duplicate argument id ${meta.id}`);
    seen.add(meta.id);
    const citations = meta.citations.map((id) => {
      const ref = references.get(id);
      if (!ref) throw new Error(`${file}: unknown legal reference ${id}`);
      if (ref.mark === 'N') throw new Error(`${file}: ${id} is not verified (N) and may not be cited`);
      if (ref.cues.length === 0) throw new Error(`${file}: ${id} has no cue in legal-references.yaml, so no paragraph could be found to cite it`);
      return ref;
    });
    return { ...meta, citations, body: compileText(body), summary: compileText(meta.summary), source: body };
  });
}
