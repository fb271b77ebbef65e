import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CaseStage } from '../domain/case-stage';
import { TEMPLATES_DIR } from './argument-library';
import { type TextTemplate, compileText } from '../legal/template-engine';

const STAGES = ['before_interview', 'after_interview', 'report_illegitimate', 'pre_disciplinary', 'sanctioned'] as const;

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
        layout: z.enum(['letter', 'sheet']),
        stages: z.array(z.enum(STAGES)).default([]),
        addressee: z.string().min(1),
        arguments: z.number().int().min(1).max(12),
        annex: z.boolean(),
        ranking: z.array(z.string()).default([]),
        introduction: z.string().default(''),
        closing: z.string().default(''),
        closingTitle: z.string().optional(),
      }),
    )
    .min(1),
  closingFormula: z.string().min(1),
  signature: z.union([z.string(), z.array(z.string())]),
  disclaimer: z.string().min(1),
});

export interface BriefPurpose {
  id: string;
  label: string;
  /** letter: to management or HR, at most two pages, the full argumentaire in an annex; sheet: the agent's preparation sheet. */
  layout: 'letter' | 'sheet';
  stages: CaseStage[];
  addressee: string;
  /** How many arguments the body summarises (the first ones ticked, by position). */
  arguments: number;
  annex: boolean;
  ranking: string[];
  introduction: TextTemplate;
  closing: TextTemplate;
  closingTitle: TextTemplate;
}

export interface BriefSettings {
  addressees: Array<{ id: string; label: string; salutation: string }>;
  purposes: BriefPurpose[];
  closingFormula: (salutation: string) => string;
  signature: (context: object) => string[];
  disclaimer: string;
}

export function loadBriefSettings(dir = TEMPLATES_DIR): BriefSettings {
  const raw = settingsSchema.parse(parseYaml(readFileSync(path.join(dir, 'briefs.yaml'), 'utf8')));
  const addresseeIds = new Set(raw.addressees.map((a) => a.id));
  for (const p of raw.purposes) {
    if (!addresseeIds.has(p.addressee)) throw new Error(`briefs.yaml: purpose ${p.id} names an unknown addressee ${p.addressee}`);
  }
  for (const stage of STAGES) {
    if (!raw.purposes.some((p) => p.stages.includes(stage))) throw new Error(`briefs.yaml: no purpose for the stage ${stage}`);
  }
  const signature = compileText(Array.isArray(raw.signature) ? raw.signature.join('\n') : raw.signature);
  const closingFormula = compileText(raw.closingFormula);
  return {
    addressees: raw.addressees,
    purposes: raw.purposes.map((p) => ({
      ...p,
      introduction: compileText(p.introduction),
      closing: compileText(p.closing),
      closingTitle: compileText(p.closingTitle ?? 'Nos demandes'),
    })),
    closingFormula: (salutation) => closingFormula({ salutation }),
    signature: (context) => signature(context).split('\n').map((l) => l.trim()).filter(Boolean),
    disclaimer: raw.disclaimer.trim(),
  };
}

/** The purpose and addressee Vigie proposes first for a case at this stage. */
export function defaultsForStage(settings: BriefSettings, stage: CaseStage): { purpose: BriefPurpose; addressee: BriefSettings['addressees'][number] } {
  const purpose = settings.purposes.find((p) => p.stages.includes(stage)) ?? settings.purposes[0]!;
  const addressee = settings.addressees.find((a) => a.id === purpose.addressee) ?? settings.addressees[0]!;
  return { purpose, addressee };
}
