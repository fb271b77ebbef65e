import { CASE_EVENT_TYPES, CLOSING_OUTCOMES, SANCTION_KINDS, eventLabel, sanctionLabel } from '../domain/case-events';
import type { CaseAssessment } from '../domain/case-assessment';
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
import { COMMITMENT_STATUS_LABELS, type CommitmentStatus } from '../domain/commitment';
import type { DeadlineStatus } from '../domain/deadlines';
import { workingPatternOf } from '../domain/case-assessment';
import { FOLD_LABELS } from '../domain/local-time';
import { classifyConsultation } from '../domain/off-hours';
import { frenchPublicHolidays } from '../domain/public-holidays';
import { ALSACE_MOSELLE_DEPARTMENTS, PARIS_TERRITORY, type Territory, departmentLabel, departmentsOf, territoryOf } from '../domain/territories';
import { typedClockNote } from '../domain/typed-clock';
import { situationLabel } from '../domain/situations';
import { frenchDate } from '../domain/french-dates';
import type { CaseDetail } from './cases.types';

export const COMMITMENT_BADGES: Record<CommitmentStatus, string> = {
  respected: 'ok',
  at_risk: 'warn',
  breached: 'danger',
};

const DEADLINE_STATUS: Record<DeadlineStatus, { label: string; badge: string }> = {
  running: { label: 'En cours', badge: '' },
  soon: { label: 'Échéance proche', badge: 'warn' },
  passed: { label: 'Écoulé', badge: 'muted' },
  met: { label: 'Étape prise dans le délai', badge: 'muted' },
  missed: { label: 'Délai non respecté par la direction', badge: 'danger' },
  // A limit ending on a Saturday, Sunday or holiday, missed by no more than the extension to the next working day.
  doubtful: { label: 'Dépassé de peu après un week-end ou un jour férié : prorogation non tranchée', badge: 'warn' },
  // "Hors délai" rather than "dépassé": a sanction notified too early is outside the limits too.
  unconfirmed: { label: 'Hors délai si l’agent est de droit privé : statut à confirmer', badge: 'warn' },
  unknown: { label: 'Date manquante', badge: 'warn' },
  not_verified: { label: 'Non calculé', badge: 'muted' },
};

const REASON_LABELS = { night: '20 h – 5 h', saturday: 'samedi', sunday: 'dimanche', public_holiday: 'jour férié' } as const;

/** Which public holidays the deadlines count, in the words of the case page's « Délais légaux ». */
function holidaysCounted(territory: Territory): string {
  if (territory.calendar === 'national') return 'avec les onze jours fériés nationaux';
  if (territory.calendar === 'alsace_moselle') return 'avec les jours fériés d’Alsace-Moselle : les onze nationaux, le Vendredi saint et le 26 décembre';
  const abolition = frenchPublicHolidays(2024, territory.calendar).find((h) => !frenchPublicHolidays(2024).some((n) => n.date === h.date));
  const day = abolition ? ` (le ${frenchDate(abolition.date).replace(/ \d{4}$/, '')})` : '';
  return `avec les onze jours fériés nationaux et celui de l’abolition de l’esclavage${day}`;
}

function days(list: number[]): string {
  return list.map((d) => WEEKDAYS.find((w) => w.day === d)?.label ?? '').filter(Boolean).join(', ');
}

export function commitmentView(status: CommitmentStatus) {
  return { code: status, label: COMMITMENT_STATUS_LABELS[status], badge: COMMITMENT_BADGES[status] };
}

/**
 * When the agent's status is unknown and a Code du travail limit matters to the case (a date was
 * computed, or a disciplinary step was taken), the sentence asking the rep to confirm it.
 */
function statusToConfirm(detail: CaseDetail, assessment: CaseAssessment): string | null {
  if (detail.agent.employmentStatus !== 'unknown') return null;
  const relevant =
    assessment.deadlines.deadlines.some((d) => d.dueDate !== null) ||
    detail.events.some((e) => e.type === 'pre_disciplinary_convocation' || e.type === 'sanction_notified');
  return relevant
    ? 'Le statut de l’agent n’est pas renseigné : les délais ci-dessous sont ceux du Code du travail, qui ne s’appliquent qu’aux salarié·es de droit privé. Confirmez son statut avant de vous appuyer sur ces délais.'
    : null;
}

/** Everything the case page shows, already in French: the template only lays it out. */
export function presentCase(detail: CaseDetail, assessment: CaseAssessment, regionName: string) {
  const pattern = workingPatternOf(detail.agent.workDays.join(','), detail.agent.workStart, detail.agent.workEnd);
  const territory = territoryOf(detail.agent.regionCode, detail.agent.departmentCode);
  const { agent } = detail;
  return {
    id: detail.id,
    agent: {
      ...agent,
      regionName,
      civilityLabel: CIVILITIES.label(agent.civility) || CIVILITY_NOT_STATED,
      employmentLabel: EMPLOYMENT_STATUSES.label(agent.employmentStatus),
      contacts: [
        agent.proEmail ? { label: 'E-mail professionnel', value: agent.proEmail, allowed: agent.contactChannels.includes('pro_email') } : null,
        agent.personalEmail ? { label: 'E-mail personnel', value: agent.personalEmail, allowed: agent.contactChannels.includes('personal_email') } : null,
        agent.phone ? { label: 'Téléphone', value: agent.phone, allowed: agent.contactChannels.includes('phone') } : null,
      ].filter(Boolean),
      patternText: pattern
        ? `${days(agent.workDays)}, de ${agent.workStart} à ${agent.workEnd}${agent.partTime ? ' (temps partiel)' : ''}`
        : 'Non renseignés',
      teleworkText: agent.teleworkDays.length ? days(agent.teleworkDays) : '',
      departmentLabel: departmentLabel(agent.departmentCode) || 'Non précisé',
    },
    /** « heure de La Réunion »: the clock every time on the page is in. */
    zoneLabel: territory.zoneLabel,
    holidaysCounted: holidaysCounted(territory),
    /** A region where the département decides the holidays, with none stated. */
    departmentMissing:
      !agent.departmentCode && departmentsOf(agent.regionCode).some((d) => ALSACE_MOSELLE_DEPARTMENTS.includes(d.code))
        ? 'Le département de l’agent n’est pas précisé : s’il travaille en Moselle, dans le Bas-Rhin ou le Haut-Rhin, précisez-le pour que le Vendredi saint et le 26 décembre comptent comme jours fériés.'
        : '',
    campaignId: detail.campaignId,
    campaignName: detail.campaignName,
    status: detail.status,
    commitment: { ...commitmentView(assessment.commitment.status), reasons: assessment.commitment.reasons },
    situations: detail.situations.map((code) => (code === 'other_conflict' && detail.otherSituationText ? `${situationLabel(code)} : ${detail.otherSituationText}` : situationLabel(code))),
    facts: {
      knowledgeDate: detail.knowledgeDate,
      convocationDate: detail.convocationDate,
      convocationForm: CONVOCATION_FORMS.label(detail.convocationForm),
      interviewDate: detail.interviewDate,
      managerName: detail.managerName,
      repAccompanied: detail.repAccompanied === null ? 'Non renseigné' : detail.repAccompanied ? 'Oui' : 'Non',
      reportOutcome: REPORT_OUTCOMES.label(detail.reportOutcome) || 'Non renseigné',
      interviewTone: INTERVIEW_TONES.label(detail.interviewTone) || 'Non renseigné',
      tonePressure: detail.interviewTone === 'pressure',
      toneNotes: detail.toneNotes,
      training: TRAINING_ANSWERS.label(detail.trainingReceived),
      hierarchyInformed: HIERARCHY_INFORMED.label(detail.hierarchyInformed),
      hierarchyInformedDate: detail.hierarchyInformedDate,
      agentAccount: detail.agentAccount,
    },
    deadlines: assessment.deadlines.deadlines.map((d) => ({ ...d, statusLabel: DEADLINE_STATUS[d.status].label, badge: DEADLINE_STATUS[d.status].badge })),
    lateSteps: assessment.deadlines.lateSteps,
    doubtfulSteps: assessment.deadlines.doubtfulSteps,
    unconfirmedSteps: assessment.deadlines.unconfirmedSteps,
    statusToConfirm: statusToConfirm(detail, assessment),
    offHours: assessment.offHours,
    consultations: detail.consultations.map((c) => {
      const k = classifyConsultation(c.at, pattern, territory);
      const note = typedClockNote(c.at, c.typedZone, territory.zone);
      // Every zone's offset is whole minutes: the UTC second is the local one.
      const second = new Date(c.at).getUTCSeconds();
      const inDirectionWindow = k.reasons.filter((r) => r !== 'public_holiday');
      return {
        id: c.id,
        date: k.localDate,
        /** « 21:15 », « 21:15:07 » when the list gave seconds: two consultations of one minute are two rows. */
        time: second ? `${k.localTime}:${String(second).padStart(2, '0')}` : k.localTime,
        /** « heure d’hiver » for the second of a time the clocks passed twice. */
        fold: k.fold ? FOLD_LABELS[k.fold] : '',
        /** « saisie en heure de Paris » (a choice), or a doubt to check (« … : à vérifier »). */
        typedNote: note.kind === 'none' ? '' : note.text,
        typedNoteToCheck: note.kind === 'check',
        weekday: WEEKDAYS.find((w) => w.day === k.weekday)?.label ?? '',
        /** The direction's own « hors normes » (20 h – 5 h, week-end): a holiday is never one of them. */
        oddHours: inDirectionWindow.length > 0,
        reasons: inDirectionWindow.map((r) => REASON_LABELS[r]),
        /** « 8 mai : férié », beside the date: Vigie's own observation. */
        holiday: k.holidayName ? `${k.holidayName} : férié` : '',
        within: k.withinDeclaredHours === null ? '—' : k.withinDeclaredHours ? 'oui' : 'non',
        action: CONSULTATION_ACTIONS.label(c.action),
        explanation: CONSULTATION_EXPLANATIONS.label(c.explanation),
        explanationText: c.explanationText,
      };
    }),
    events: detail.events.map((e) => ({
      ...e,
      label: eventLabel(e.type),
      detail: [
        e.type === 'sanction_notified' ? sanctionLabel(e.sanctionKind) : '',
        e.closingOutcome ? CLOSING_OUTCOMES.find((o) => o.code === e.closingOutcome)?.label ?? '' : '',
      ].filter(Boolean),
      disciplinary: e.type === 'pre_disciplinary_convocation' || e.type === 'sanction_notified',
      corrected: e.updatedAt !== e.createdAt,
    })),
    reps: detail.reps,
  };
}

/**
 * The clock the creation form's pasted list is read in, as its hint says it: the followed agent's
 * own, or the one of the region chosen in the form, among those the user may choose (regionCodes).
 */
export function pastedListHint(regionCodes: readonly string[], followed?: Pick<CaseDetail['agent'], 'regionCode' | 'departmentCode' | 'fullName'>): string {
  // Only Paris time has clock changes: overseas, the advice is for a list typed in Paris time.
  const folds = 'Une heure passée deux fois au passage à l’heure d’hiver : ajoutez « (été) » ou « (hiver) » en fin de ligne.';
  const parisFolds = 'En heure de Paris, une heure passée deux fois au passage à l’heure d’hiver : ajoutez « (été) » ou « (hiver) » en fin de ligne.';
  const paris = PARIS_TERRITORY.zoneLabel;
  if (followed) {
    const { zoneLabel } = territoryOf(followed.regionCode, followed.departmentCode);
    return `En ${zoneLabel}, l’heure locale de ${followed.fullName}. ${zoneLabel === paris ? folds : parisFolds}`;
  }
  const labels = [...new Set(regionCodes.map((code) => territoryOf(code).zoneLabel))];
  if (labels.length <= 1) return `Heure locale de l’agent : ${labels[0] ?? paris}. ${(labels[0] ?? paris) === paris ? folds : parisFolds}`;
  const worded = labels.map((label) => (label === paris ? `${label} en métropole et en Corse` : label));
  return `Heure locale de l’agent, selon la région choisie : ${worded.join(', ')}. ${folds}`;
}

/** Options for the case page's small forms. */
export const CASE_FORM_OPTIONS = {
  eventTypes: CASE_EVENT_TYPES,
  sanctionKinds: SANCTION_KINDS,
  closingOutcomes: CLOSING_OUTCOMES,
  consultationActions: CONSULTATION_ACTIONS.list,
  consultationExplanations: CONSULTATION_EXPLANATIONS.list,
  employmentStatuses: EMPLOYMENT_STATUSES.list,
  contactChannels: CONTACT_CHANNELS.list,
  convocationForms: CONVOCATION_FORMS.list,
  reportOutcomes: REPORT_OUTCOMES.list,
  interviewTones: INTERVIEW_TONES.list,
  trainingAnswers: TRAINING_ANSWERS.list,
  civilities: CIVILITIES.list,
  civilityNotStated: CIVILITY_NOT_STATED,
  hierarchyInformed: HIERARCHY_INFORMED.list,
  weekdays: WEEKDAYS,
};
