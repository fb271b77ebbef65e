import { z } from 'zod';
import type { CommitmentStatus, InterviewTone, ReportOutcome } from './commitment';
import type { EmploymentStatus } from './deadlines';
import { SITUATION_CODES, type SituationCode } from './situations';

/**
 * The facts an argument's condition can test, and the small declarative language the
 * argument files under templates/arguments/ use to say when they apply.
 */
export interface ArgumentFacts {
  situations: SituationCode[];
  oddHoursConsultations: number;
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
