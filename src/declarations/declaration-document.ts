import { citationText } from '../legal/legal-references';
import type { Block, DocumentModel } from '../documents/model';
import { fileSlug, textBlocks } from '../documents/model';
import type { DeclarationFigures, PublishedCount } from '../domain/declaration-figures';
import { frenchDate } from '../domain/french-dates';
import { DateTime } from 'luxon';
import type { DeclarationContext } from './declaration-context';
import { type DeclarationDraft, meetingLabel } from './declaration-draft';
import type { BlockAttachment, DeclarationTemplates } from './declaration-templates';

/** Said when counts were withheld so that they cannot be set against a declaration already published. */
export const DIFFERENCING_NOTICE =
  'Certains chiffres sont en outre indiqués « n.c. » parce que, rapprochés d’une déclaration déjà diffusée sur un périmètre ou une période qui recoupent ceux-ci, ils auraient permis de retrouver un effectif de moins de 5 par différence.';

export const METHOD_NOTICE =
  'Chiffres issus des dossiers suivis par les représentant·es CGT, sans aucun nom. Tout effectif de 1 à 4 est indiqué « moins de 5 » ; « n.c. » (non communiqué) signale un effectif masqué pour qu’un petit effectif ne puisse pas être retrouvé par soustraction ; les sites ou régions de moins de 5 dossiers sont regroupés. Les délais légaux sont estimés par nos soins. Les chiffres de la direction sont ceux qu’elle a communiqués.';

function bars(counts: PublishedCount[]) {
  // A withheld count draws no bar: its length would give the value away.
  return counts.map((c) => ({ label: c.label, value: c.state === 'shown' ? (c.value ?? 0) : 0, display: c.display }));
}

function rows(counts: PublishedCount[]) {
  return counts.map((c) => ({ label: c.label, value: c.display }));
}

function figuresBlocks(figures: DeclarationFigures): Block[] {
  const blocks: Block[] = [];
  if (figures.bySituation.length > 0) blocks.push({ kind: 'barChart', title: 'Dossiers suivis par situation signalée', bars: bars(figures.bySituation) });
  blocks.push({
    kind: 'facts',
    wideLabels: true,
    rows: [
      { label: 'Agents suivis par la CGT', value: figures.agents.display },
      { label: 'Dossiers suivis par la CGT', value: figures.cases.display },
      ...figures.byRegion.map((c) => ({ label: `Dossiers suivis — région ${c.label}`, value: c.display })),
      ...figures.bySite.map((c) => ({ label: `Dossiers suivis — ${c.label}`, value: c.display })),
      ...rows(figures.outcomes),
      { label: 'Part des comptes rendus concluant à la légitimité', value: [figures.shareLegitimate.display, figures.shareLegitimate.base].filter(Boolean).join(' ') },
      { label: 'Entretiens tenus', value: figures.interviewsHeld.display },
      { label: 'Entretiens rapportés comme menés sous pression ou avec des menaces', value: figures.pressure.display },
      { label: 'Délai médian entre la dernière consultation relevée et l’entretien', value: [figures.medianDelay.display, figures.medianDelay.base].filter(Boolean).join(', ') },
      { label: 'Consultations « hors normes » en dehors des horaires déclarés de l’agent (à son heure locale)', value: [figures.offHours.outside.display, figures.offHours.outside.base].filter(Boolean).join(', ') },
    ],
  });
  if (figures.official.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Chiffres communiqués par la direction' });
    blocks.push({ kind: 'facts', wideLabels: true, rows: figures.official.map((l) => ({ label: l.label, value: l.display })) });
  }
  return blocks;
}

/** Without a no-sanction commitment, the same statuses read as levels of alert. */
const ALERT_LABELS: Record<string, string> = { breached: 'Procédure disciplinaire engagée', at_risk: 'À surveiller', respected: 'Sans alerte' };

function commitmentBlocks(figures: DeclarationFigures, excludesSanctions: boolean): Block[] {
  const statuses = excludesSanctions ? figures.commitment : figures.commitment.map((c) => ({ ...c, label: ALERT_LABELS[c.key] ?? c.label }));
  return [
    {
      kind: 'barChart',
      title: excludesSanctions ? 'Dossiers suivis par état de l’engagement' : 'Dossiers suivis par niveau d’alerte',
      bars: bars(statuses),
    },
    {
      kind: 'facts',
      wideLabels: true,
      rows: [
        { label: 'Dossiers avec une convocation à un entretien préalable à sanction', value: figures.preDisciplinary.display },
        ...(figures.sanctions.length > 0 ? rows(figures.sanctions) : [{ label: 'Sanctions notifiées', value: 'aucune' }]),
        { label: figures.lateSteps.label, value: figures.lateSteps.display },
      ],
    },
  ];
}

const ATTACHMENTS: Record<BlockAttachment, (figures: DeclarationFigures, context: DeclarationContext) => Block[]> = {
  figures: (figures) => figuresBlocks(figures),
  commitment: (figures, context) => commitmentBlocks(figures, context.campaign.excludesSanctions),
};

/** When Vigie computed the figures: the union's own moment, in Paris time, which a CSE overseas needs said. */
function parisDateTime(at: Date): string {
  const local = DateTime.fromJSDate(at).setZone('Europe/Paris');
  return `${frenchDate(local.toISODate()!)} à ${local.toFormat("H 'h' mm")}, heure de Paris`;
}

/**
 * Builds the declaration as a document model from the rep's final texts and the figures frozen
 * for this version. Figures tables and charts come from the figures, never from edited text.
 */
export function buildDeclarationDocument(input: {
  draft: DeclarationDraft;
  templates: DeclarationTemplates;
  context: DeclarationContext;
  figures: DeclarationFigures;
  campaignName: string;
  computedAt: Date;
  author: string;
  now: Date;
  versionNumber?: number;
  /** Counts were withheld by the differencing guard: the method note says why. */
  differencing?: boolean;
}): DocumentModel {
  const { draft, templates, context, figures } = input;
  const { settings } = draft;
  const blocks: Block[] = [
    {
      kind: 'facts',
      rows: [
        { label: 'Instance', value: meetingLabel(settings.meetingKind, settings.bodyName) },
        { label: 'Séance', value: frenchDate(settings.meetingDate) },
        { label: 'Campagne', value: input.campaignName },
        { label: 'Périmètre', value: context.scope.label },
        ...(context.period.label ? [{ label: 'Période', value: context.period.label }] : []),
        { label: 'Chiffres arrêtés le', value: parisDateTime(input.computedAt) },
      ],
    },
  ];
  for (const section of draft.sections) {
    const template = section.blockId ? templates.blocks.find((b) => b.id === section.blockId) : undefined;
    if (section.title) blocks.push({ kind: 'heading', level: 1, text: section.title });
    blocks.push(...textBlocks(section.text));
    if (template?.attach) blocks.push(...ATTACHMENTS[template.attach](figures, context));
    if (template && template.citations.length > 0) blocks.push({ kind: 'citations', items: template.citations.map(citationText) });
  }
  blocks.push({ kind: 'signature', lines: templates.signature(context) });
  blocks.push({ kind: 'notice', text: input.differencing ? `${METHOD_NOTICE} ${DIFFERENCING_NOTICE}` : METHOD_NOTICE });

  const version = input.versionNumber ? ` — version ${input.versionNumber}` : '';
  return {
    header: { left: 'CGT France Travail', right: `${settings.meetingKind} du ${frenchDate(settings.meetingDate)}${version}` },
    title: templates.title,
    subtitle: `${settings.bodyName} — séance du ${frenchDate(settings.meetingDate)}`,
    fileName: `declaration-${fileSlug(meetingLabel(settings.meetingKind, settings.bodyName))}-${settings.meetingDate}${input.versionNumber ? `-v${input.versionNumber}` : ''}`,
    properties: { author: input.author, subject: `${templates.title} — ${settings.bodyName}`, createdAt: input.now },
    blocks,
  };
}
