import { z } from 'zod';
import { CASE_EVENT_TYPES, CLOSING_OUTCOMES, SANCTION_KINDS } from '../domain/case-events';
import {
  CIVILITIES,
  CONSULTATION_ACTIONS,
  CONSULTATION_EXPLANATIONS,
  CONTACT_CHANNELS,
  CONVOCATION_FORMS,
  EMPLOYMENT_STATUSES,
  HIERARCHY_INFORMED,
  INTERVIEW_TONES,
  REPORT_OUTCOMES,
  TRAINING_ANSWERS,
} from '../domain/case-vocabulary';
import { type ParsedLines, describeLineProblems, duplicatesSummary, parseConsultationLines, readSingleConsultation } from '../domain/consultation-lines';
import { DEPARTMENTS, type Territory, departmentLabel, departmentOf, impliedDepartment, territoryOf } from '../domain/territories';
import { SITUATION_CODES } from '../domain/situations';
import { type TypedClock, readingTerritory } from '../domain/typed-clock';
import { checkbox, isoDate, optionalIsoDate, optionalText, requiredText, stringList } from '../web/validation';

const optionalChoice = <T extends [string, ...string[]]>(codes: T, message: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.enum(codes, { error: message }).nullable());

const optionalEmail = (label: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .max(254, `${label} est trop longue.`)
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email(`${label} n’est pas valide.`).nullable());

const time = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label} doit être une heure (hh:mm).`).nullable());

const weekdays = stringList().pipe(z.array(z.coerce.number<string>().int().min(1).max(7)));

export interface CaseFormContext {
  regionCodes: string[];
  campaignIds: number[];
  repIds: number[];
  /** Today in Paris ('YYYY-MM-DD'): facts already past cannot be dated later. */
  today: string;
  /**
   * A new case for an agent already followed: the pasted consultations are read in that agent's
   * own territory, not in the one the form's region and département would give.
   */
  agentTerritory?: Territory;
}

const DEPARTMENT_CODES = DEPARTMENTS.map((d) => d.code) as [string, ...string[]];

/** The example every consultation field and message gives: both notations Vigie reads. */
export const CONSULTATION_EXAMPLE = '14/05/2024 21:15 ou 14/05/24 21h15';

/** A pasted list refused: each line to fix, the clock they are read in, and those already entered. */
function pastedLinesMessage(parsed: ParsedLines, territory: Territory): string {
  const problems = describeLineProblems(parsed.errors);
  const summary = duplicatesSummary(parsed.duplicates);
  const already = summary
    ? ` ${summary.charAt(0).toUpperCase()}${summary.slice(1)} : elles ne seront pas ajoutées une seconde fois.`
    : parsed.duplicates.length > 0
      ? ` Déjà saisies, ces lignes ne seront pas ajoutées une seconde fois : ${describeLineProblems(parsed.duplicates)}.`
      : '';
  // A list too long and nothing else: its lines' format is not the matter.
  const onlyLength = parsed.errors.every((e) => e.line === 0);
  const format = onlyLength ? ' Collez-la en plusieurs fois.' : ` Format attendu, en ${territory.zoneLabel} : ${CONSULTATION_EXAMPLE}.`;
  return `${problems.charAt(0).toUpperCase()}${problems.slice(1)}.${format}${already}`;
}

/** « Heures saisies en » : anything but Paris time is the agent's own clock. */
const clockAnswer = z
  .string()
  .optional()
  .transform((v): TypedClock => (v === 'paris' ? 'paris' : 'agent'));

/** The département the form's region implies or that was chosen in it; null when it is another region's. */
function departmentIn(regionCode: string, departmentCode: string | null): string | null {
  const implied = impliedDepartment(regionCode);
  if (implied) return implied;
  return departmentCode && departmentOf(departmentCode)?.region === regionCode ? departmentCode : null;
}

/** The pasted list's precision, as long as a single consultation's (consultationSchema). */
const CONSULTATION_TEXT_MAX = 1000;

/** One radio group answers "is this the same person?": an agent's id, or 'new'. */
function readSamePersonAnswer(body: unknown): unknown {
  if (body && typeof body === 'object' && (body as Record<string, unknown>).existingAgentId === 'new') {
    return { ...(body as Record<string, unknown>), existingAgentId: undefined, confirmNewAgent: 'on' };
  }
  return body;
}

export function caseFormSchema(ctx: CaseFormContext) {
  return z.preprocess(readSamePersonAnswer, caseFormObject(ctx));
}

function caseFormObject(ctx: CaseFormContext) {
  return z
    .object({
      existingAgentId: z
        .string()
        .optional()
        .transform((v) => (v ? Number(v) : null))
        .pipe(z.number().int().positive().nullable()),
      confirmNewAgent: checkbox,
      fullName: requiredText('Le nom de l’agent', 120),
      civility: optionalChoice(CIVILITIES.codes, 'Choisissez « Madame », « Monsieur » ou « Non précisée ».'),
      proEmail: optionalEmail('L’adresse e-mail professionnelle'),
      personalEmail: optionalEmail('L’adresse e-mail personnelle'),
      phone: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? v : null))
        .pipe(z.string().regex(/^[+\d][\d .-]{5,24}$/, 'Le téléphone n’est pas valide (exemple : 06 12 34 56 78).').nullable()),
      contactChannels: stringList().pipe(z.array(z.enum(CONTACT_CHANNELS.codes, { error: 'Moyen de contact inconnu.' }))),
      regionCode: z.enum(ctx.regionCodes as [string, ...string[]], { error: 'Choisissez une région que vous suivez.' }),
      departmentCode: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? v : null))
        .pipe(z.enum(DEPARTMENT_CODES, { error: 'Département inconnu : choisissez-le dans la liste.' }).nullable()),
      site: optionalText('Le site', 120),
      job: optionalText('Le métier', 120),
      employmentStatus: z.enum(EMPLOYMENT_STATUSES.codes, { error: 'Choisissez le statut de l’agent.' }),
      workDays: weekdays,
      workStart: time('L’heure de début'),
      workEnd: time('L’heure de fin'),
      partTime: checkbox,
      teleworkDays: weekdays,

      campaignId: z.coerce
        .number({ error: 'Choisissez une campagne.' })
        .int()
        .refine((id) => ctx.campaignIds.includes(id), 'Choisissez une campagne.'),
      situations: stringList().pipe(
        z.array(z.enum(SITUATION_CODES, { error: 'Situation inconnue.' })).min(1, 'Cochez au moins une situation signalée.'),
      ),
      otherSituationText: optionalText('La description de la situation', 1000),
      knowledgeDate: optionalIsoDate('La date de connaissance des faits'),
      convocationDate: optionalIsoDate('La date de convocation'),
      convocationForm: optionalChoice(CONVOCATION_FORMS.codes, 'Forme de convocation inconnue.'),
      interviewDate: optionalIsoDate('La date de l’entretien'),
      managerName: optionalText('Le nom du manager', 120),
      repAccompanied: z
        .enum(['', 'yes', 'no'], { error: 'Réponse inconnue.' })
        .optional()
        .transform((v) => (v === 'yes' ? true : v === 'no' ? false : null)),
      reportOutcome: optionalChoice(REPORT_OUTCOMES.codes, 'Conclusion inconnue.'),
      interviewTone: optionalChoice(INTERVIEW_TONES.codes, 'Ton inconnu.'),
      toneNotes: optionalText('Ce qui a été dit', 4000),
      trainingReceived: z.enum(TRAINING_ANSWERS.codes, { error: 'Réponse inconnue.' }).optional().default('unknown'),
      hierarchyInformed: z.enum(HIERARCHY_INFORMED.codes, { error: 'Répondez « Oui », « Non » ou « Non renseigné ».' }).optional().default('unknown'),
      hierarchyInformedDate: optionalIsoDate('La date à laquelle la hiérarchie a été informée'),
      agentAccount: optionalText('Le récit de l’agent', 8000),
      repIds: stringList().pipe(
        z.array(z.coerce.number<string>().int().refine((id) => ctx.repIds.includes(id), 'Représentant·e inconnu·e ou hors de cette région.')),
      ),
      consultationsText: optionalText('La liste des consultations', 30_000),
      consultationsClock: clockAnswer,
      consultationAction: z.enum(CONSULTATION_ACTIONS.codes).optional().default('consulted'),
      consultationExplanation: z.enum(CONSULTATION_EXPLANATIONS.codes).optional().default('unknown'),
      consultationExplanationText: optionalText('La précision sur ces consultations', CONSULTATION_TEXT_MAX),
    })
    .superRefine((v, issue) => {
      if (v.situations.includes('other_conflict') && !v.otherSituationText) {
        issue.addIssue({ code: 'custom', path: ['otherSituationText'], message: 'Décrivez l’autre situation de conflit d’intérêts.' });
      }
      if ((v.workStart && !v.workEnd) || (!v.workStart && v.workEnd)) {
        issue.addIssue({ code: 'custom', path: ['workEnd'], message: 'Indiquez l’heure de début et l’heure de fin.' });
      }
      if (v.interviewTone === 'pressure' && !v.toneNotes) {
        issue.addIssue({ code: 'custom', path: ['toneNotes'], message: 'Notez ce qui a été dit : c’est ce qui permettra de le contester.' });
      }
      if (v.hierarchyInformedDate && v.hierarchyInformed !== 'yes') {
        issue.addIssue({
          code: 'custom',
          path: ['hierarchyInformedDate'],
          message: 'Une date n’a de sens que si la hiérarchie avait été informée : répondez « Oui » ou effacez la date.',
        });
      } else if (v.hierarchyInformedDate && v.hierarchyInformedDate > ctx.today) {
        issue.addIssue({ code: 'custom', path: ['hierarchyInformedDate'], message: 'La date à laquelle la hiérarchie a été informée ne peut pas être dans le futur.' });
      }
      if (v.convocationDate && v.interviewDate && v.interviewDate < v.convocationDate) {
        issue.addIssue({ code: 'custom', path: ['interviewDate'], message: 'L’entretien ne peut pas précéder la convocation.' });
      }
      // An overseas region has one département, implied whatever is sent; a mainland one is the rep's choice within the region.
      if (v.departmentCode && !impliedDepartment(v.regionCode) && departmentOf(v.departmentCode)?.region !== v.regionCode) {
        issue.addIssue({
          code: 'custom',
          path: ['departmentCode'],
          message: `Le département ${departmentLabel(v.departmentCode)} n’est pas dans la région choisie : choisissez un département de cette région, ou « Non précisé ».`,
        });
      }
      if (v.consultationsText) {
        const territory = readingTerritory(ctx.agentTerritory ?? territoryOf(v.regionCode, departmentIn(v.regionCode, v.departmentCode)), v.consultationsClock);
        const parsed = parseConsultationLines(v.consultationsText, territory);
        if (parsed.errors.length > 0) {
          issue.addIssue({ code: 'custom', path: ['consultationsText'], message: pastedLinesMessage(parsed, territory) });
        }
      }
    })
    .transform((v) => {
      const departmentCode = departmentIn(v.regionCode, v.departmentCode);
      const territory = ctx.agentTerritory ?? territoryOf(v.regionCode, departmentCode);
      const reading = readingTerritory(territory, v.consultationsClock);
      const parsed = v.consultationsText ? parseConsultationLines(v.consultationsText, reading) : { instants: [], duplicates: [] };
      return {
        ...v,
        departmentCode,
        /**
         * The pasted list, read in the agent's clock or, when the rep says so, in Paris time: the
         * instants to store, the lines given twice, the zone they were typed in, the agent's territory.
         */
        pasted: { instants: parsed.instants, duplicates: parsed.duplicates, typedZone: reading.zone, territory },
      };
    });
}

export type CaseForm = z.output<ReturnType<typeof caseFormObject>>;

/** Which of the two times the clocks passed twice the rep meant; anything else is no answer. */
const foldAnswer = z
  .string()
  .optional()
  .transform((v) => (v === 'summer' || v === 'winter' ? v : undefined));

/**
 * One consultation typed on the case page, in the agent's clock (territory), refused when the case
 * already has it (existing: its instants). A time the clocks passed twice is asked about on `fold`.
 */
export function consultationSchema(territory: Territory, existing: readonly string[] = []) {
  return z
    .object({
      at: z
        .string({ error: 'Indiquez la date et l’heure.' })
        .trim()
        .min(1, 'Indiquez la date et l’heure.')
        .max(100, `Date et heure illisibles : indiquez le jour et l’heure, en ${territory.zoneLabel} (exemple : ${CONSULTATION_EXAMPLE}).`),
      fold: foldAnswer,
      clock: clockAnswer,
      action: z.enum(CONSULTATION_ACTIONS.codes, { error: 'Indiquez ce qui a été fait.' }),
      explanation: z.enum(CONSULTATION_EXPLANATIONS.codes, { error: 'Choisissez une explication.' }),
      explanationText: optionalText('La précision', CONSULTATION_TEXT_MAX),
    })
    .transform((v, ctx) => {
      // The same strict reader as pasted lists: a date and a time, in the agent's clock, nothing else.
      // Read in the clock the rep chose (the agent's, or Paris time); stored with the zone actually used.
      const typedIn = readingTerritory(territory, v.clock);
      const reading = readSingleConsultation(v.at, typedIn, v.fold, existing);
      if (!reading.ok) {
        ctx.addIssue({ code: 'custom', path: [reading.kind === 'ambiguous' ? 'fold' : 'at'], message: reading.message });
        return z.NEVER;
      }
      return { at: reading.at, action: v.action, explanation: v.explanation, explanationText: v.explanationText, typedZone: typedIn.zone };
    });
}

/**
 * A pasted list on the case page, read in the agent's clock. Lines already on the case (or higher
 * in the list) are set apart to be reported, never stored twice; any other problem refuses the list.
 */
export function bulkConsultationsSchema(territory: Territory, existing: readonly string[] = []) {
  return z
    .object({
      lines: z.string({ error: 'Collez au moins une date et heure.' }).trim().min(1, 'Collez au moins une date et heure.').max(30_000),
      action: z.enum(CONSULTATION_ACTIONS.codes, { error: 'Indiquez ce qui a été fait.' }),
      explanation: z.enum(CONSULTATION_EXPLANATIONS.codes, { error: 'Choisissez une explication.' }),
      explanationText: optionalText('La précision sur ces consultations', CONSULTATION_TEXT_MAX),
      clock: clockAnswer,
    })
    .transform((v, ctx) => {
      const typedIn = readingTerritory(territory, v.clock);
      const parsed = parseConsultationLines(v.lines, typedIn, { existing });
      if (parsed.errors.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['lines'], message: pastedLinesMessage(parsed, typedIn) });
        return z.NEVER;
      }
      return {
        instants: parsed.instants,
        duplicates: parsed.duplicates,
        typedZone: typedIn.zone,
        action: v.action,
        explanation: v.explanation,
        explanationText: v.explanationText,
      };
    });
}

const EVENT_CODES = CASE_EVENT_TYPES.map((t) => t.code) as [string, ...string[]];

export const eventSchema = z
  .object({
    type: z.enum(EVENT_CODES as [(typeof CASE_EVENT_TYPES)[number]['code'], ...(typeof CASE_EVENT_TYPES)[number]['code'][]], {
      error: 'Choisissez le type d’événement.',
    }),
    date: z
      .string({ error: 'La date est obligatoire.' })
      .trim()
      .min(1, 'La date est obligatoire.')
      .pipe(isoDate('La date')),
    note: optionalText('La note', 4000),
    sanctionKind: optionalChoice(SANCTION_KINDS.map((k) => k.code) as [string, ...string[]], 'Sanction inconnue.'),
    hearingDate: optionalIsoDate('La date de l’entretien préalable'),
    closingOutcome: optionalChoice(CLOSING_OUTCOMES.map((k) => k.code) as [string, ...string[]], 'Issue inconnue.'),
    /** The rep confirms an event identical to one already on the timeline. */
    confirmDuplicate: checkbox,
  })
  .superRefine((v, ctx) => {
    if (v.type === 'sanction_notified' && !v.sanctionKind) {
      ctx.addIssue({ code: 'custom', path: ['sanctionKind'], message: 'Précisez la sanction notifiée.' });
    }
    if (v.type === 'closed' && !v.closingOutcome) {
      ctx.addIssue({ code: 'custom', path: ['closingOutcome'], message: 'Précisez l’issue du dossier.' });
    }
    if (v.hearingDate && v.hearingDate < v.date) {
      ctx.addIssue({ code: 'custom', path: ['hearingDate'], message: 'L’entretien préalable ne peut pas précéder la convocation.' });
    }
  });
