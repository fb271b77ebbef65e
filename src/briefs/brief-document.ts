import type { Block, DocumentModel } from '../documents/model';
import { fileSlug, paragraphs } from '../documents/model';
import type { Argument } from './argument-library';
import type { BriefContext } from './brief-context';
import type { BriefDraft, DraftSection } from './brief-draft';
import type { BriefSettings } from './brief-settings';
import { citableFor } from '../domain/citations';
import { citationText, isCitedIn } from '../legal/legal-references';
import { frenchTypography } from '../legal/template-engine';

export const ANNEX_TITLE = 'Annexe\u202F: argumentaire détaillé';

/** The references a printed text relies on: those of its argument that govern this agent and that the text names. */
export function citationsOf(argument: Argument | undefined, text: string, status: string): string[] {
  return (argument?.citations ?? []).filter((ref) => citableFor(ref, status) && isCitedIn(ref, text)).map(citationText);
}

/**
 * Builds the brief as a document model from the rep's draft. The texts are final: they were
 * filled from the case facts on the review page and possibly edited by the rep.
 *
 * A letter (to management or HR) holds the facts, the first arguments ticked in a few lines each
 * and the demands, so that it fits on two pages; a sheet (for the agent) the same in short. The
 * full argumentaire, with its references, follows as an annex on a new page when the rep keeps it.
 */
export function buildBriefDocument(input: {
  caseId: number;
  draft: BriefDraft;
  context: BriefContext;
  library: Argument[];
  settings: BriefSettings;
  now: Date;
  versionNumber?: number;
}): DocumentModel {
  const { draft, context, settings } = input;
  const purpose = settings.purposes.find((p) => p.id === draft.purpose)!;
  const addressee = settings.addressees.find((a) => a.id === draft.addressee)!;
  const argumentOf = (section: DraftSection) => (section.argumentId ? input.library.find((a) => a.id === section.argumentId) : undefined);
  const argued = draft.sections.filter((s) => s.argumentId !== null);
  const free = draft.sections.filter((s) => s.argumentId === null);
  const inBody = argued.slice(0, purpose.arguments);
  const annexed = draft.annex && argued.length > 0;
  const blocks: Block[] = [];

  blocks.push({
    kind: 'facts',
    rows: [
      { label: 'Agent', value: [context.agent.designation, context.agent.job].filter(Boolean).join(', ') },
      { label: 'Site', value: [context.agent.site, context.agent.regionName].filter(Boolean).join(', ') },
      { label: 'Campagne', value: context.campaign.name },
      ...(context.case.situations.length ? [{ label: 'Situation(s) signalée(s)', value: context.case.situations.join(' ; ') }] : []),
      ...(context.case.convocationDate ? [{ label: 'Convocation', value: context.case.convocationDate }] : []),
      ...(context.case.interviewDate ? [{ label: 'Entretien', value: context.case.interviewDate }] : []),
      ...(context.events.preDisciplinaryConvocation
        ? [{ label: 'Entretien préalable', value: context.events.preDisciplinaryHearing || `convocation du ${context.events.preDisciplinaryConvocation}` }]
        : []),
      ...(context.events.sanction ? [{ label: 'Sanction', value: [context.events.sanction.kind, context.events.sanction.date].filter(Boolean).join(', notifiée le ') }] : []),
      { label: 'Destinataire', value: addressee.label },
    ],
  });
  if (addressee.salutation) blocks.push({ kind: 'paragraph', runs: [{ text: addressee.salutation }] });
  blocks.push(...paragraphs(purpose.introduction(context)));

  if (inBody.length > 0) {
    if (purpose.layout === 'sheet') blocks.push({ kind: 'heading', level: 1, text: 'Les arguments, en bref' });
    for (const section of inBody) {
      blocks.push({ kind: 'heading', level: purpose.layout === 'sheet' ? 2 : 1, text: argumentOf(section)?.title ?? section.title });
      blocks.push(...paragraphs(section.summary || section.text));
    }
  }
  for (const section of free) {
    blocks.push({ kind: 'heading', level: 1, text: section.title });
    blocks.push(...paragraphs(section.text));
  }
  if (annexed) {
    blocks.push({ kind: 'paragraph', runs: [{ text: `L’argumentaire détaillé, avec ses références, est joint en annexe${argued.length > inBody.length ? ' ; il reprend aussi les arguments que ce document ne résume pas' : ''}.` }] });
  }

  const closing = purpose.closing(context);
  if (closing) {
    blocks.push({ kind: 'heading', level: 1, text: purpose.closingTitle(context) });
    blocks.push(...paragraphs(closing));
  }
  if (purpose.layout === 'letter' && addressee.salutation) {
    blocks.push({ kind: 'paragraph', runs: [{ text: settings.closingFormula(addressee.salutation) }] });
  }
  blocks.push({ kind: 'signature', lines: settings.signature(context) });
  blocks.push({ kind: 'notice', text: settings.disclaimer });

  if (annexed) {
    blocks.push({ kind: 'pageBreak' });
    blocks.push({ kind: 'heading', level: 1, text: ANNEX_TITLE });
    for (const section of argued) {
      const argument = argumentOf(section);
      blocks.push({ kind: 'heading', level: 2, text: argument?.title ?? section.title });
      blocks.push(...paragraphs(section.text));
      const citations = citationsOf(argument, section.text, context.agent.employmentStatus);
      if (citations.length > 0) blocks.push({ kind: 'citations', items: citations });
    }
  }

  const version = input.versionNumber ? ` — version ${input.versionNumber}` : '';
  return typeset({
    header: { left: 'CGT France Travail', right: `Dossier n° ${input.caseId}${version}` },
    title: purpose.label,
    subtitle: `${context.agent.name} — ${context.campaign.name}`,
    fileName: `argumentaire-${input.caseId}-${fileSlug(purpose.label)}${input.versionNumber ? `-v${input.versionNumber}` : ''}`,
    properties: { author: `CGT France Travail — ${context.rep.name}`, subject: purpose.label, createdAt: input.now },
    blocks,
  });
}

/** French typography on every text of the document, the rep's own paragraphs included. */
function typeset(model: DocumentModel): DocumentModel {
  const t = frenchTypography;
  return {
    ...model,
    title: t(model.title),
    subtitle: model.subtitle === undefined ? undefined : t(model.subtitle),
    header: { left: t(model.header.left), ...(model.header.right ? { right: t(model.header.right) } : {}) },
    blocks: model.blocks.map((b): Block => {
      switch (b.kind) {
        case 'heading':
        case 'notice':
          return { ...b, text: t(b.text) };
        case 'paragraph':
          return { ...b, runs: b.runs.map((r) => ({ ...r, text: t(r.text) })) };
        case 'list':
          return { ...b, items: b.items.map((item) => item.map((r) => ({ ...r, text: t(r.text) }))) };
        case 'quote':
          return { ...b, text: t(b.text), ...(b.source ? { source: t(b.source) } : {}) };
        case 'facts':
          return { ...b, rows: b.rows.map((r) => ({ label: t(r.label), value: t(r.value) })) };
        case 'citations':
          return { ...b, items: b.items.map(t) };
        case 'signature':
          return { ...b, lines: b.lines.map(t) };
        default:
          return b;
      }
    }),
  };
}
