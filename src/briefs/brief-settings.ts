import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TEMPLATES_DIR } from './argument-library';
import { type TextTemplate, compileText } from './template-engine';

/** Addressees, purposes, signature and disclaimer of briefs, from templates/briefs.yaml. */
const settingsSchema = z.object({
  addressees: z
    .array(z.object({ id: z.string().min(1), label: z.string().min(1), salutation: z.string().optional().default('') }))
    .min(1),
  purposes: z
    .array(
      z.object({
        id: z.string().min(1),
        label: z.string().min(1),
        introduction: z.string().default(''),
        closing: z.string().default(''),
        closingTitle: z.string().optional(),
      }),
    )
    .min(1),
  signature: z.union([z.string(), z.array(z.string())]),
  disclaimer: z.string().min(1),
});

export interface BriefSettings {
  addressees: Array<{ id: string; label: string; salutation: string }>;
  purposes: Array<{ id: string; label: string; introduction: TextTemplate; closing: TextTemplate; closingTitle: string }>;
  signature: (context: object) => string[];
  disclaimer: string;
}

export function loadBriefSettings(dir = TEMPLATES_DIR): BriefSettings {
  const raw = settingsSchema.parse(parseYaml(readFileSync(path.join(dir, 'briefs.yaml'), 'utf8')));
  const signature = compileText(Array.isArray(raw.signature) ? raw.signature.join('\n') : raw.signature);
  return {
    addressees: raw.addressees,
    purposes: raw.purposes.map((p) => ({
      id: p.id,
      label: p.label,
      introduction: compileText(p.introduction),
      closing: compileText(p.closing),
      closingTitle: p.closingTitle ?? 'Nos demandes',
    })),
    signature: (context) => signature(context).split('\n').map((l) => l.trim()).filter(Boolean),
    disclaimer: raw.disclaimer.trim(),
  };
}
