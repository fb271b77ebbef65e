import {
  CIVILITIES,
  CIVILITY_NOT_STATED,
  CONSULTATION_ACTIONS,
  CONSULTATION_EXPLANATIONS,
  CONTACT_CHANNELS,
  CONVOCATION_FORMS,
  EMPLOYMENT_STATUSES,
  HIERARCHY_INFORMED,
  INTERVIEW_TONES,
  REPORT_OUTCOMES,
  TRAINING_ANSWERS,
  WEEKDAYS,
} from '../domain/case-vocabulary';
import { CLOSING_OUTCOMES, eventLabel, sanctionLabel } from '../domain/case-events';
import { COMMITMENT_STATUS_LABELS } from '../domain/commitment';
import { frenchDate, parisToday } from '../domain/french-dates';
import { FOLD_LABELS, localClock } from '../domain/local-time';
import { situationLabel } from '../domain/situations';
import { PARIS_TERRITORY, territoryOf } from '../domain/territories';
import type { Block, DocumentModel } from '../documents/model';
import { REQUEST_STATUS_LABELS, requestSituationLabel } from '../requests/request-labels';
import type { SupportRequestStatus } from '../db/schema';
import type { AgentRecords, AuditRow } from './agents.repository';

/**
 * The PDF summary of everything Vigie holds about one agent: the same records as the JSON export,
 * in French and laid out for reading. Pure: built from the records, the regions' names and the
 * moment of the export.
 */

/** Audit entries listed one by one in the PDF; all of them are in the JSON. */
export const AUDIT_ENTRIES_IN_PDF = 200;

/** What Vigie and the union did (records made, exports, messages): in Paris time. */
const INSTANT = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TERRITORY.zone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const instant = (iso: string) => INSTANT.format(new Date(iso)).replace(/^1 /, '1er ');
/** A consultation, on the agent's own clock: « 14 mai 2024 à 21:15 », « … à 02:30 (heure d’hiver) » on the night the clocks go back. */
function localInstant(iso: string, zone: string): string {
  const clock = localClock(iso, zone);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  return `${frenchDate(clock.date)} à ${time}${clock.fold ? ` (${FOLD_LABELS[clock.fold]})` : ''}`;
}
const date = (iso: string | null) => (iso ? frenchDate(iso) : 'non renseignée');
const text = (value: string | null | undefined, empty = 'non renseigné') => (value && value.trim() ? value : empty);
const list = (csv: string) => (csv ? csv.split(',') : []);
const days = (csv: string) =>
  list(csv)
    .map((d) => WEEKDAYS.find((w) => w.day === Number(d))?.label ?? d)
    .join(', ');

const ACTIONS: Record<string, string> = {
  view: 'consultation',
  create: 'création',
  update: 'modification',
  delete: 'suppression',
  export: 'export',
};
const ENTITIES: Record<string, string> = {
  agent: 'l’agent',
  case: 'dossier',
  case_event: 'événement du suivi',
  brief: 'argumentaire',
  support_request: 'demande d’accompagnement',
};
const ACTORS: Record<string, string> = {
  system: 'Vigie (tâche automatique)',
  cli: 'ligne de commande',
  public: 'l’agent, par son lien de suivi',
  user: 'compte supprimé',
};

export function auditActor(row: Pick<AuditRow, 'actorName' | 'actorLabel'>): string {
  return row.actorName ?? ACTORS[row.actorLabel] ?? row.actorLabel;
}

function auditLine(row: AuditRow): string {
  const what = ACTIONS[row.action] ?? row.action;
  const about = ENTITIES[row.entityType] ?? row.entityType;
  const id = row.entityType === 'agent' || row.entityId === null ? '' : ` n° ${row.entityId}`;
  return `${instant(row.at)} — ${auditActor(row)} — ${what} (${about}${id})`;
}

export interface AgentExportContext {
  records: AgentRecords;
  regionNames: ReadonlyMap<string, string>;
  exportedBy: string;
  now: Date;
}

export function agentExportDocument({ records, regionNames, exportedBy, now }: AgentExportContext): DocumentModel {
  const { agent } = records;
  const region = (code: string) => regionNames.get(code) ?? code;
  // Consultations are read on the agent's clock, as their cases count them; everything else is Vigie's, in Paris.
  const territory = territoryOf(agent.regionCode, agent.departmentCode);
  const clocks =
    territory.zone === PARIS_TERRITORY.zone
      ? 'Les dates et heures sont à l’heure de Paris.'
      : `Les heures des consultations sont à l’heure de l’agent (${territory.zoneLabel}) ; les autres dates et heures, à l’heure de Paris.`;
  const blocks: Block[] = [
    {
      kind: 'notice',
      text:
        `Relevé de toutes les données que Vigie, l’outil de suivi des représentant·es CGT France Travail, détient sur cet agent le ${instant(now.toISOString())}, ` +
        `établi à la demande de ${exportedBy}. Le fichier JSON exporté en même temps contient les mêmes données, champ par champ. ` +
        'Vigie ne connaît jamais l’identité des demandeur·ses d’emploi : d’une consultation, seules la date, l’heure et sa nature sont gardées. ' +
        clocks,
    },
  ];

  blocks.push({ kind: 'heading', level: 1, text: 'L’agent' });
  blocks.push({
    kind: 'facts',
    rows: [
      { label: 'Nom', value: agent.fullName },
      { label: 'Civilité', value: CIVILITIES.label(agent.civility) || CIVILITY_NOT_STATED.toLocaleLowerCase('fr-FR') },
      { label: 'Région', value: region(agent.regionCode) },
      { label: 'Site', value: text(agent.site) },
      { label: 'Métier', value: text(agent.job) },
      { label: 'Statut', value: EMPLOYMENT_STATUSES.label(agent.employmentStatus) },
      { label: 'E-mail professionnel', value: text(agent.proEmail, 'aucun') },
      { label: 'E-mail personnel', value: text(agent.personalEmail, 'aucun') },
      { label: 'Téléphone', value: text(agent.phone, 'aucun') },
      { label: 'Moyens de contact acceptés', value: list(agent.contactChannels).map((c) => CONTACT_CHANNELS.label(c)).join(', ') || 'aucun' },
      { label: 'Jours travaillés', value: days(agent.workDays) || 'non renseignés' },
      { label: 'Horaires', value: agent.workStart && agent.workEnd ? `de ${agent.workStart} à ${agent.workEnd}` : 'non renseignés' },
      { label: 'Temps partiel', value: agent.partTime ? 'oui' : 'non' },
      { label: 'Jours de télétravail', value: days(agent.teleworkDays) || 'aucun' },
      { label: 'Enregistré le', value: instant(agent.createdAt) },
      { label: 'Dernière modification', value: instant(agent.updatedAt) },
    ],
  });

  blocks.push({ kind: 'heading', level: 1, text: records.cases.length === 1 ? 'Son dossier' : `Ses dossiers (${records.cases.length})` });
  if (records.cases.length === 0) blocks.push({ kind: 'paragraph', runs: [{ text: 'Aucun dossier.' }] });
  for (const kase of records.cases) {
    const situations = records.situations.filter((s) => s.caseId === kase.id).map((s) => s.situationCode);
    const reps = records.reps.filter((r) => r.caseId === kase.id).map((r) => r.name);
    blocks.push({ kind: 'heading', level: 2, text: `Dossier n° ${kase.id} — ${kase.campaignName}` });
    blocks.push({
      kind: 'facts',
      rows: [
        { label: 'État', value: kase.status === 'closed' ? 'clos' : 'ouvert' },
        { label: 'Région', value: region(kase.regionCode) },
        {
          label: 'Situation(s)',
          value: situations.map((code) => (code === 'other_conflict' && kase.otherSituationText ? `${situationLabel(code)} : ${kase.otherSituationText}` : situationLabel(code))).join(' ; ') || 'aucune',
        },
        { label: 'Connaissance des faits', value: date(kase.knowledgeDate) },
        { label: 'Convocation', value: `${date(kase.convocationDate)}${kase.convocationForm ? ` (${CONVOCATION_FORMS.label(kase.convocationForm)})` : ''}` },
        { label: 'Entretien', value: date(kase.interviewDate) },
        { label: 'Responsable de l’entretien', value: text(kase.managerName) },
        { label: 'Accompagnement', value: kase.repAccompanied === null ? 'non renseigné' : kase.repAccompanied ? 'oui' : 'non' },
        { label: 'Compte rendu', value: REPORT_OUTCOMES.label(kase.reportOutcome) || 'non renseigné' },
        { label: 'Ton de l’entretien', value: INTERVIEW_TONES.label(kase.interviewTone) || 'non renseigné' },
        { label: 'Formation reçue', value: TRAINING_ANSWERS.label(kase.trainingReceived).toLocaleLowerCase('fr-FR') },
        {
          label: 'Hiérarchie informée au préalable',
          value: `${HIERARCHY_INFORMED.label(kase.hierarchyInformed).toLocaleLowerCase('fr-FR')}${kase.hierarchyInformedDate ? `, le ${frenchDate(kase.hierarchyInformedDate)}` : ''}`,
        },
        { label: 'Engagement de la campagne', value: COMMITMENT_STATUS_LABELS[kase.commitmentStatus] },
        { label: 'Représentant·es', value: reps.join(', ') || 'aucun·e' },
        { label: 'Ouvert le', value: instant(kase.createdAt) },
        { label: 'Dernière modification', value: instant(kase.updatedAt) },
      ],
    });
    if (kase.toneNotes) blocks.push({ kind: 'quote', text: kase.toneNotes, source: 'Notes sur le ton de l’entretien' });
    if (kase.agentAccount) blocks.push({ kind: 'quote', text: kase.agentAccount, source: 'Récit de l’agent' });

    const events = records.events.filter((e) => e.caseId === kase.id);
    blocks.push({ kind: 'heading', level: 3, text: `Suivi (${events.length} événement(s))` });
    if (events.length > 0) {
      blocks.push({
        kind: 'list',
        ordered: false,
        items: events.map((e) => {
          const detail = [
            e.type === 'sanction_notified' ? sanctionLabel(e.sanctionKind ?? undefined) : '',
            e.type === 'closed' && e.closingOutcome ? CLOSING_OUTCOMES.find((o) => o.code === e.closingOutcome)?.label ?? '' : '',
            e.hearingDate ? `entretien préalable le ${frenchDate(e.hearingDate)}` : '',
          ].filter(Boolean);
          return [
            { text: `${frenchDate(e.date)} — ${eventLabel(e.type)}`, bold: true },
            { text: `${detail.length ? ` (${detail.join(', ')})` : ''}${e.note ? ` : ${e.note}` : ''}` },
          ];
        }),
      });
    }

    const consultations = records.consultations.filter((c) => c.caseId === kase.id);
    blocks.push({ kind: 'heading', level: 3, text: `Consultations signalées (${consultations.length}), ${territory.zoneLabel}` });
    if (consultations.length > 0) {
      blocks.push({
        kind: 'list',
        ordered: false,
        items: consultations.map((c) => [
          { text: `${localInstant(c.at, territory.zone)} — ${CONSULTATION_ACTIONS.label(c.action)} — ${CONSULTATION_EXPLANATIONS.label(c.explanation) || c.explanation}${c.explanationText ? ` : ${c.explanationText}` : ''}` },
        ]),
      });
    }

    const briefs = records.briefVersions.filter((b) => b.caseId === kase.id);
    blocks.push({ kind: 'heading', level: 3, text: `Argumentaires (${briefs.length} version(s))` });
    if (briefs.length > 0) {
      blocks.push({
        kind: 'list',
        ordered: false,
        items: briefs.map((b) => [{ text: `Version ${b.number} — ${documentTitle(b.document)} — générée le ${instant(b.createdAt)}${b.createdByName ? ` par ${b.createdByName}` : ''}` }]),
      });
      blocks.push({ kind: 'paragraph', runs: [{ text: 'Le texte complet de chaque version est dans le fichier JSON.', italic: true }] });
    }
  }

  blocks.push({ kind: 'heading', level: 1, text: `Demandes d’accompagnement (${records.requests.length})` });
  if (records.requests.length === 0) blocks.push({ kind: 'paragraph', runs: [{ text: 'Aucune demande reliée à ses dossiers.' }] });
  for (const request of records.requests) {
    blocks.push({ kind: 'heading', level: 2, text: `Demande ${request.reference}` });
    blocks.push({
      kind: 'facts',
      rows: [
        { label: 'Nom donné', value: request.name },
        { label: 'E-mail', value: text(request.email, 'aucun') },
        { label: 'Téléphone', value: text(request.phone, 'aucun') },
        { label: 'Moyen préféré', value: request.preferredContact === 'email' ? 'e-mail' : 'téléphone' },
        { label: 'Région', value: region(request.regionCode) },
        { label: 'Site', value: text(request.site) },
        { label: 'Convocation', value: date(request.convocationDate) },
        { label: 'Entretien', value: date(request.interviewDate) },
        { label: 'Convoqué·e par', value: text(request.summonedBy) },
        { label: 'Situation', value: requestSituationLabel(request.situation) },
        { label: 'État', value: REQUEST_STATUS_LABELS[request.status as SupportRequestStatus] ?? request.status },
        { label: 'Suivie par', value: text(request.assignedName, 'personne') },
        { label: 'Consentement donné le', value: instant(request.consentAt) },
        { label: 'Reçue le', value: instant(request.createdAt) },
      ],
    });
    if (request.message) blocks.push({ kind: 'quote', text: request.message, source: 'Message de la demande' });
    const messages = records.messages.filter((m) => m.requestId === request.id);
    if (messages.length > 0) {
      blocks.push({ kind: 'heading', level: 3, text: `Échanges (${messages.length} message(s))` });
      for (const m of messages) {
        blocks.push({ kind: 'quote', text: m.body, source: `${m.author === 'agent' ? 'L’agent' : (m.userName ?? 'Un·e représentant·e')}, le ${instant(m.createdAt)}` });
      }
    }
  }

  blocks.push({ kind: 'heading', level: 1, text: 'Journal des accès' });
  blocks.push({
    kind: 'paragraph',
    runs: [
      {
        text:
          `${records.audit.length} entrée(s) du journal d’audit portent sur l’agent, ses dossiers, leurs événements, leurs argumentaires et ses demandes : ` +
          'qui a consulté, créé, modifié, exporté ou supprimé quoi, et quand. Le journal ne garde jamais le contenu.',
      },
    ],
  });
  if (records.audit.length > 0) {
    const counts = new Map<string, number>();
    for (const row of records.audit) counts.set(row.action, (counts.get(row.action) ?? 0) + 1);
    blocks.push({ kind: 'facts', rows: [...counts].map(([action, n]) => ({ label: capitalise(ACTIONS[action] ?? action), value: String(n) })) });
    const shown = records.audit.slice(-AUDIT_ENTRIES_IN_PDF).reverse();
    blocks.push({
      kind: 'heading',
      level: 3,
      text: shown.length < records.audit.length ? `Les ${shown.length} plus récentes (toutes sont dans le fichier JSON)` : 'Toutes les entrées, les plus récentes d’abord',
    });
    blocks.push({ kind: 'list', ordered: false, items: shown.map((row) => [{ text: auditLine(row) }]) });
  }

  return {
    header: { left: 'CGT France Travail', right: `Données de l’agent n° ${agent.id}` },
    title: 'Données détenues sur un agent',
    subtitle: `${agent.fullName} — au ${frenchDate(parisToday(now))}`,
    fileName: `donnees-agent-${agent.id}`,
    properties: { author: `CGT France Travail — ${exportedBy}`, subject: 'Données détenues sur un agent', createdAt: now },
    blocks,
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A brief version's title, read from its stored document; the purpose code when it cannot be read. */
function documentTitle(json: string): string {
  try {
    const doc = JSON.parse(json) as { title?: unknown };
    return typeof doc.title === 'string' ? doc.title : 'argumentaire';
  } catch {
    return 'argumentaire';
  }
}
