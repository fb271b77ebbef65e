import { frenchTypography } from '../legal/template-engine';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Campaign } from '../campaigns/campaigns.repository';
import type { Block, DocumentModel } from '../documents/model';
import { TEMPLATES_DIR } from './argument-library';

/** The "know your rights" guide for a summoned agent, from templates/rights-guide.yaml. */
const guideSchema = z.object({
  title: z.string().default('Convoqué·e pour un rappel aux règles : vos droits'),
  intro: z.union([z.string(), z.array(z.string())]).optional(),
  sections: z
    .array(
      z.object({
        heading: z.string().min(1),
        paragraphs: z.array(z.string()).default([]),
        bullets: z.array(z.string()).default([]),
      }),
    )
    .min(1),
  footer: z.union([z.string(), z.array(z.string())]).optional(),
});

export type RightsGuide = z.infer<typeof guideSchema>;

export function loadRightsGuide(dir = TEMPLATES_DIR): RightsGuide {
  const data = parseYaml(readFileSync(path.join(dir, 'rights-guide.yaml'), 'utf8')) as unknown;
  // The file may hold the guide at its top level or under a `guide:` key.
  const candidate = data && typeof data === 'object' && 'guide' in data ? (data as { guide: unknown }).guide : data;
  return guideSchema.parse(candidate);
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The guide as a document, with the commitments of the campaigns under way. */
export function buildRightsGuideDocument(guide: RightsGuide, campaigns: Campaign[], now: Date): DocumentModel {
  const blocks: Block[] = list(guide.intro).map((text) => ({ kind: 'paragraph', runs: [{ text }] }));
  for (const section of guide.sections) {
    blocks.push({ kind: 'heading', level: 1, text: section.heading });
    for (const text of section.paragraphs) blocks.push({ kind: 'paragraph', runs: [{ text }] });
    if (section.bullets.length) blocks.push({ kind: 'list', ordered: false, items: section.bullets.map((text) => [{ text }]) });
  }
  const committed = campaigns.filter((c) => c.status === 'active' && (c.commitmentText || c.commitmentQuote));
  if (committed.length) {
    blocks.push({ kind: 'heading', level: 1, text: 'Ce que la direction s’est engagée à faire' });
    // The union's account of the commitment is ours; only the direction's own words are quoted as theirs.
    for (const c of committed) {
      if (c.commitmentText) blocks.push({ kind: 'paragraph', runs: [{ text: `${c.name} : `, bold: true }, { text: c.commitmentText }] });
      if (c.commitmentQuote) blocks.push({ kind: 'quote', text: frenchTypography(`« ${c.commitmentQuote} »`), source: `la direction, dans ses propres termes (${c.name})` });
    }
  }
  for (const text of list(guide.footer)) blocks.push({ kind: 'notice', text });
  return {
    header: { left: 'CGT France Travail', right: 'Guide pour les agents convoqués' },
    title: guide.title,
    fileName: 'guide-droits-agent-convoque',
    properties: { author: 'CGT France Travail', subject: guide.title, createdAt: now },
    blocks,
  };
}
