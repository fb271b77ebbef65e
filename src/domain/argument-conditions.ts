import { z } from 'zod';
import type { CommitmentStatus, InterviewTone, ReportOutcome } from './commitment';
import type { EmploymentStatus } from './deadlines';
import { CONSULTATION_EXPLANATIONS, EMPLOYMENT_STATUSES, HIERARCHY_INFORMED, INTERVIEW_TONES, REPORT_OUTCOMES, TRAINING_ANSWERS } from './case-vocabulary';
import { COMMITMENT_STATUS_LABELS } from './commitment';
import { SITUATION_CODES, type SituationCode, situationLabel } from './situations';

/**
 * The facts an argument's condition can test, and the small declarative language the
 * argument files under templates/arguments/ use to say when they apply.
 */
export interface ArgumentFacts {
  situations: SituationCode[];
  /** Consultations flagged off-hours: 20h–5h, a week-end or a public holiday. */
  oddHoursConsultations: number;
  /** Flagged consultations that fall within the agent's declared working hours. */
  oddHoursWithinDeclaredHours: number;
  /** Flagged consultations not known to be within them (outside, or the hours not stated). */
  oddHoursNotWithinDeclaredHours: number;
  consultationsWithoutActing: number;
  explanations: string[];
  campaignExcludesSanctions: boolean;
  commitmentStatus: CommitmentStatus;
  disciplinaryStep: boolean;
  lateDisciplinaryStep: boolean;
  employmentStatus: EmploymentStatus;
  trainingReceived: 'yes' | 'no' | 'unknown';
  hasAgentAccount: boolean;
  campaignFigures: boolean;
  /** The campaign carries a share or rate figure for the agent's region or the country (not plain headcounts). */
  campaignRates: boolean;
  hierarchyInformed: 'yes' | 'no' | 'unknown';
  interviewTone: InterviewTone | null;
  reportOutcome: ReportOutcome | null;
}

export type Condition =
  | { always: true }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { situations: SituationCode[] }
  | { oddHoursConsultations: { min: number } }
  | { oddHoursWithinDeclaredHours: { min: number } }
  | { oddHoursNotWithinDeclaredHours: { min: number } }
  | { consultationsWithoutActing: { min: number } }
  | { explanations: string[] }
  | { campaignExcludesSanctions: boolean }
  | { commitmentStatus: CommitmentStatus[] }
  | { disciplinaryStep: boolean }
  | { lateDisciplinaryStep: boolean }
  | { employmentStatus: EmploymentStatus[] }
  | { trainingReceived: Array<'yes' | 'no' | 'unknown'> }
  | { hasAgentAccount: boolean }
  | { campaignFigures: boolean }
  | { campaignRates: boolean }
  | { hierarchyInformed: Array<'yes' | 'no' | 'unknown'> }
  | { interviewTone: InterviewTone[] }
  | { reportOutcome: ReportOutcome[] };

const minimum = z.object({ min: z.number().int().min(1) }).strict();

/** Validates a condition read from a file; a typo fails at load time, not silently at selection. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ always: z.literal(true) }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ situations: z.array(z.enum(SITUATION_CODES)).min(1) }).strict(),
    z.object({ oddHoursConsultations: minimum }).strict(),
    z.object({ oddHoursWithinDeclaredHours: minimum }).strict(),
    z.object({ oddHoursNotWithinDeclaredHours: minimum }).strict(),
    z.object({ consultationsWithoutActing: minimum }).strict(),
    z.object({ explanations: z.array(z.enum(['answering_user', 'service_task', 'colleague_asked', 'own_file', 'relative', 'other', 'unknown'])).min(1) }).strict(),
    z.object({ campaignExcludesSanctions: z.boolean() }).strict(),
    z.object({ commitmentStatus: z.array(z.enum(['respected', 'at_risk', 'breached'])).min(1) }).strict(),
    z.object({ disciplinaryStep: z.boolean() }).strict(),
    z.object({ lateDisciplinaryStep: z.boolean() }).strict(),
    z.object({ employmentStatus: z.array(z.enum(['private', 'public', 'unknown'])).min(1) }).strict(),
    z.object({ trainingReceived: z.array(z.enum(['yes', 'no', 'unknown'])).min(1) }).strict(),
    z.object({ hasAgentAccount: z.boolean() }).strict(),
    z.object({ campaignFigures: z.boolean() }).strict(),
    z.object({ campaignRates: z.boolean() }).strict(),
    z.object({ hierarchyInformed: z.array(z.enum(['yes', 'no', 'unknown'])).min(1) }).strict(),
    z.object({ interviewTone: z.array(z.enum(['kind', 'neutral', 'pressure'])).min(1) }).strict(),
    z.object({ reportOutcome: z.array(z.enum(['legitimate', 'illegitimate', 'not_stated', 'none_given'])).min(1) }).strict(),
  ]),
);

export function evaluate(condition: Condition, facts: ArgumentFacts): boolean {
  if ('always' in condition) return true;
  if ('all' in condition) return condition.all.every((c) => evaluate(c, facts));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, facts));
  if ('not' in condition) return !evaluate(condition.not, facts);
  if ('situations' in condition) return condition.situations.some((s) => facts.situations.includes(s));
  if ('oddHoursConsultations' in condition) return facts.oddHoursConsultations >= condition.oddHoursConsultations.min;
  if ('oddHoursWithinDeclaredHours' in condition) return facts.oddHoursWithinDeclaredHours >= condition.oddHoursWithinDeclaredHours.min;
  if ('oddHoursNotWithinDeclaredHours' in condition) return facts.oddHoursNotWithinDeclaredHours >= condition.oddHoursNotWithinDeclaredHours.min;
  if ('consultationsWithoutActing' in condition) return facts.consultationsWithoutActing >= condition.consultationsWithoutActing.min;
  if ('explanations' in condition) return condition.explanations.some((e) => facts.explanations.includes(e));
  if ('campaignExcludesSanctions' in condition) return facts.campaignExcludesSanctions === condition.campaignExcludesSanctions;
  if ('commitmentStatus' in condition) return condition.commitmentStatus.includes(facts.commitmentStatus);
  if ('disciplinaryStep' in condition) return facts.disciplinaryStep === condition.disciplinaryStep;
  if ('lateDisciplinaryStep' in condition) return facts.lateDisciplinaryStep === condition.lateDisciplinaryStep;
  if ('employmentStatus' in condition) return condition.employmentStatus.includes(facts.employmentStatus);
  if ('trainingReceived' in condition) return condition.trainingReceived.includes(facts.trainingReceived);
  if ('hasAgentAccount' in condition) return facts.hasAgentAccount === condition.hasAgentAccount;
  if ('campaignFigures' in condition) return facts.campaignFigures === condition.campaignFigures;
  if ('campaignRates' in condition) return facts.campaignRates === condition.campaignRates;
  if ('hierarchyInformed' in condition) return condition.hierarchyInformed.includes(facts.hierarchyInformed);
  if ('interviewTone' in condition) return facts.interviewTone !== null && condition.interviewTone.includes(facts.interviewTone);
  if ('reportOutcome' in condition) return facts.reportOutcome !== null && condition.reportOutcome.includes(facts.reportOutcome);
  const unknown: never = condition;
  throw new Error(`Unknown condition: ${JSON.stringify(unknown)}`);
}

export interface SelectableArgument {
  id: string;
  title: string;
  order: number;
  when: Condition;
  reason: string;
}

export interface SelectedArgument<A extends SelectableArgument> {
  argument: A;
  reason: string;
}

/** The arguments this case supports, in the library's order, each with why it applies. */
export function selectArguments<A extends SelectableArgument>(library: readonly A[], facts: ArgumentFacts): SelectedArgument<A>[] {
  return library
    .filter((a) => evaluate(a.when, facts))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    .map((argument) => ({ argument, reason: argument.reason }));
}

const quoted = (labels: string[]) => labels.map((l) => `« ${l} »`).join(' ou ');
/** « Aucune consultation … n’est enregistrée » when one is enough, else « Moins de 3 consultations … sont enregistrées ». */
const tooFew = (min: number, what: string, none: string, some: string) =>
  min === 1 ? `Aucune ${what} ${none}.` : `Moins de ${min} ${what.replace(/^consultation/, 'consultations')} ${some}.`;

/**
 * Why a condition does not hold, in French, one sentence per missing fact: what the review page
 * tells the rep beside an argument it did not tick. Only the leaves that fail are named: in an
 * `all`, the parts missing; in an `any`, every branch (none held); under a `not`, the fact that
 * is present and rules the argument out.
 */
export function explainFailure(condition: Condition, facts: ArgumentFacts): string[] {
  if (evaluate(condition, facts)) return [];
  return [...new Set(failing(condition, facts, false))];
}

function failing(condition: Condition, facts: ArgumentFacts, negated: boolean): string[] {
  if ('all' in condition) {
    return negated ? condition.all.flatMap((c) => failing(c, facts, true)) : condition.all.filter((c) => !evaluate(c, facts)).flatMap((c) => failing(c, facts, false));
  }
  if ('any' in condition) {
    return negated ? condition.any.filter((c) => evaluate(c, facts)).flatMap((c) => failing(c, facts, true)) : condition.any.flatMap((c) => failing(c, facts, false));
  }
  if ('not' in condition) return failing(condition.not, facts, !negated);
  return [negated ? describePresent(condition) : describeMissing(condition)];
}

/** The fact a leaf asks for, said as missing. */
function describeMissing(leaf: Condition): string {
  if ('always' in leaf) return '';
  if ('situations' in leaf) return `Aucune de ces situations n’est cochée dans le dossier : ${quoted(leaf.situations.map(situationLabel))}.`;
  if ('oddHoursConsultations' in leaf) return tooFew(leaf.oddHoursConsultations.min, 'consultation entre 20 h et 5 h, le week-end ou un jour férié', 'n’est enregistrée', 'sont enregistrées');
  if ('oddHoursWithinDeclaredHours' in leaf)
    return `${tooFew(leaf.oddHoursWithinDeclaredHours.min, 'consultation « hors normes »', 'ne se situe pendant les horaires de travail déclarés de l’agent', 'se situent pendant les horaires de travail déclarés de l’agent').slice(0, -1)} (ou ces horaires ne sont pas renseignés).`;
  if ('oddHoursNotWithinDeclaredHours' in leaf)
    return tooFew(leaf.oddHoursNotWithinDeclaredHours.min, 'consultation « hors normes » faite pour le travail (ni le dossier de l’agent, ni celui d’un·e proche) en dehors des horaires de travail déclarés de l’agent', 'n’est enregistrée', 'sont enregistrées');
  if ('consultationsWithoutActing' in leaf) return tooFew(leaf.consultationsWithoutActing.min, 'consultation seule, sans intervention sur le dossier,', 'n’est enregistrée', 'sont enregistrées');
  if ('explanations' in leaf) return `Aucune consultation n’a pour explication ${quoted(leaf.explanations.map((e) => CONSULTATION_EXPLANATIONS.label(e)))}.`;
  if ('campaignExcludesSanctions' in leaf) return leaf.campaignExcludesSanctions ? 'La campagne ne comporte pas d’engagement de n’engager aucune sanction.' : 'La campagne comporte un engagement de n’engager aucune sanction.';
  if ('commitmentStatus' in leaf) return `L’engagement n’est pas évalué ${quoted(leaf.commitmentStatus.map((s) => COMMITMENT_STATUS_LABELS[s].replace('Engagement ', '')))} dans ce dossier.`;
  if ('disciplinaryStep' in leaf) return leaf.disciplinaryStep ? 'Aucune convocation à un entretien préalable à sanction ni aucune sanction n’est enregistrée.' : 'Une démarche disciplinaire est enregistrée.';
  if ('lateDisciplinaryStep' in leaf) return leaf.lateDisciplinaryStep ? 'Aucune étape disciplinaire prise hors délai n’est relevée.' : 'Une étape disciplinaire prise hors délai est relevée.';
  if ('employmentStatus' in leaf) return `Le statut de l’agent n’est pas ${quoted(leaf.employmentStatus.map((s) => EMPLOYMENT_STATUSES.label(s)))}.`;
  if ('trainingReceived' in leaf) return `La réponse sur la formation reçue n’est pas ${quoted(leaf.trainingReceived.map((t) => TRAINING_ANSWERS.label(t)))}.`;
  if ('hasAgentAccount' in leaf) return leaf.hasAgentAccount ? 'Le récit de l’agent n’est pas renseigné dans le dossier.' : 'Le récit de l’agent est renseigné.';
  if ('campaignFigures' in leaf) return leaf.campaignFigures ? 'La campagne ne comporte aucun chiffre de la direction.' : 'La campagne comporte des chiffres de la direction.';
  if ('campaignRates' in leaf)
    return leaf.campaignRates
      ? 'La campagne ne comporte aucun taux de la direction pour la région de l’agent ou le niveau national (part des consultations jugées légitimes, estimation des détournements réels) : de simples effectifs ne suffisent pas.'
      : 'La campagne comporte un taux de la direction.';
  if ('hierarchyInformed' in leaf) return `La réponse à « hiérarchie informée au préalable » n’est pas ${quoted(leaf.hierarchyInformed.map((h) => HIERARCHY_INFORMED.label(h)))}.`;
  if ('interviewTone' in leaf) return `L’entretien n’est pas rapporté comme ${quoted(leaf.interviewTone.map((t) => INTERVIEW_TONES.label(t)))}.`;
  if ('reportOutcome' in leaf) return `La conclusion du compte rendu n’est pas ${quoted(leaf.reportOutcome.map((o) => REPORT_OUTCOMES.label(o)))}.`;
  return '';
}

/** A leaf under `not` that holds: the fact present that rules the argument out. */
function describePresent(leaf: Condition): string {
  if ('situations' in leaf) return `La situation signalée ${quoted(leaf.situations.map(situationLabel))} l’écarte.`;
  if ('explanations' in leaf) return `Une consultation a pour explication ${quoted(leaf.explanations.map((e) => CONSULTATION_EXPLANATIONS.label(e)))} : cet argument ne lui convient pas.`;
  if ('employmentStatus' in leaf) return `Le statut de l’agent (${quoted(leaf.employmentStatus.map((s) => EMPLOYMENT_STATUSES.label(s)))}) l’écarte.`;
  if ('oddHoursConsultations' in leaf)
    return 'Au moins une consultation entre 20 h et 5 h, le week-end ou un jour férié est enregistrée : cet argument ne vaut que pour les consultations faites pour le travail en dehors des horaires de travail déclarés de l’agent.';
  if ('oddHoursWithinDeclaredHours' in leaf) return 'Au moins une consultation « hors normes » se situe pendant les horaires de travail déclarés de l’agent.';
  if ('consultationsWithoutActing' in leaf) return 'Au moins une consultation sans intervention sur le dossier est enregistrée.';
  if ('disciplinaryStep' in leaf) return leaf.disciplinaryStep ? 'Une démarche disciplinaire est enregistrée.' : 'Aucune démarche disciplinaire n’est enregistrée.';
  if ('reportOutcome' in leaf) return `La conclusion du compte rendu est ${quoted(leaf.reportOutcome.map((o) => REPORT_OUTCOMES.label(o)))}.`;
  if ('interviewTone' in leaf) return `L’entretien est rapporté comme ${quoted(leaf.interviewTone.map((t) => INTERVIEW_TONES.label(t)))}.`;
  return 'Un fait enregistré dans le dossier écarte cet argument.';
}
