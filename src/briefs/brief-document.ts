import type { Block, DocumentModel } from '../documents/model';
import { fileSlug, paragraphs } from '../documents/model';
import type { Argument } from './argument-library';
import type { BriefContext } from './brief-context';
import type { BriefDraft } from './brief-draft';
import type { BriefSettings } from './brief-settings';
import { type LegalReference, citationText } from './legal-references';

/**
 * The Code du travail's disciplinary rules do not apply to public-law agents, and the rules of
 * their decree do not apply to private-law staff: a brief cites only what governs this agent.
 */
export function citableFor(ref: LegalReference, status: string): boolean {
  if (status === 'public') return ref.appliesTo !== 'private';
  if (status === 'private') return ref.appliesTo !== 'public';
  return true;
}

/**
 * Builds the brief as a document model from the rep's draft. The texts are final: they were
 * filled from the case facts on the review page and possibly edited by the rep.
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
  const blocks: Block[] = [];

  blocks.push({
    kind: 'facts',
    rows: [
      { label: 'Agent', value: [context.agent.name, context.agent.job].filter(Boolean).join(', ') },
      { label: 'Site', value: [context.agent.site, context.agent.regionName].filter(Boolean).join(', ') },
      { label: 'Campagne', value: context.campaign.name },
      ...(context.case.situations.length ? [{ label: 'Situation(s) signalée(s)', value: context.case.situations.join(' ; ') }] : []),
      ...(context.case.convocationDate ? [{ label: 'Convocation', value: context.case.convocationDate }] : []),
      ...(context.case.interviewDate ? [{ label: 'Entretien', value: context.case.interviewDate }] : []),
      { label: 'Destinataire', value: addressee.label },
    ],
  });
  if (addressee.salutation) blocks.push({ kind: 'paragraph', runs: [{ text: addressee.salutation }] });
  blocks.push(...paragraphs(purpose.introduction(context)));

  for (const section of draft.sections) {
    const argument = section.argumentId ? input.library.find((a) => a.id === section.argumentId) : undefined;
    blocks.push({ kind: 'heading', level: 1, text: argument?.title ?? section.title });
    blocks.push(...paragraphs(section.text));
    const citations = (argument?.citations ?? []).filter((ref) => citableFor(ref, context.agent.employmentStatus));
    if (citations.length > 0) blocks.push({ kind: 'citations', items: citations.map(citationText) });
  }

  const closing = purpose.closing(context);
  if (closing) {
    blocks.push({ kind: 'heading', level: 1, text: purpose.closingTitle });
    blocks.push(...paragraphs(closing));
  }
  blocks.push({ kind: 'signature', lines: settings.signature(context) });
  blocks.push({ kind: 'notice', text: settings.disclaimer });

  const version = input.versionNumber ? ` — version ${input.versionNumber}` : '';
  return {
    header: { left: 'CGT France Travail', right: `Dossier n° ${input.caseId}${version}` },
    title: purpose.label,
    subtitle: `${context.agent.name} — ${context.campaign.name}`,
    fileName: `argumentaire-${input.caseId}-${fileSlug(purpose.label)}${input.versionNumber ? `-v${input.versionNumber}` : ''}`,
    properties: { author: `CGT France Travail — ${context.rep.name}`, subject: purpose.label, createdAt: input.now },
    blocks,
  };
}
