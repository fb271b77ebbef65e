import type { Selectable } from 'kysely';
import type { Database } from '../db/schema';
import type { CaseEvent } from '../domain/case-events';
import type { Agent, AgentInput, CaseInput, StoredCaseEvent } from './cases.types';
import { searchName } from './search-name';

/** Between the domain's agents and cases and their rows: lists are stored as comma-separated text. */

const csv = (values: readonly (string | number)[]) => values.join(',');
const list = (value: string) => (value ? value.split(',') : []);

export function agentRow(input: AgentInput, now: string) {
  return {
    fullName: input.fullName,
    searchName: searchName(input.fullName),
    civility: input.civility,
    proEmail: input.proEmail,
    personalEmail: input.personalEmail,
    phone: input.phone,
    contactChannels: csv(input.contactChannels),
    regionCode: input.regionCode,
    departmentCode: input.departmentCode ?? null,
    site: input.site,
    job: input.job,
    employmentStatus: input.employmentStatus,
    workDays: csv(input.workDays),
    workStart: input.workStart,
    workEnd: input.workEnd,
    partTime: input.partTime ? 1 : 0,
    teleworkDays: csv(input.teleworkDays),
    updatedAt: now,
  };
}

export function caseRow(input: CaseInput, now: string) {
  return {
    campaignId: input.campaignId,
    otherSituationText: input.otherSituationText,
    knowledgeDate: input.knowledgeDate,
    convocationDate: input.convocationDate,
    convocationForm: input.convocationForm,
    interviewDate: input.interviewDate,
    managerName: input.managerName,
    repAccompanied: input.repAccompanied === null ? null : input.repAccompanied ? 1 : 0,
    reportOutcome: input.reportOutcome,
    interviewTone: input.interviewTone,
    toneNotes: input.toneNotes,
    trainingReceived: input.trainingReceived,
    hierarchyInformed: input.hierarchyInformed,
    hierarchyInformedDate: input.hierarchyInformedDate,
    agentAccount: input.agentAccount,
    updatedAt: now,
  };
}

export type AgentRow = Selectable<Database['agents']>;

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    fullName: row.fullName,
    civility: row.civility,
    proEmail: row.proEmail,
    personalEmail: row.personalEmail,
    phone: row.phone,
    contactChannels: list(row.contactChannels),
    regionCode: row.regionCode,
    departmentCode: row.departmentCode,
    site: row.site,
    job: row.job,
    employmentStatus: row.employmentStatus,
    workDays: list(row.workDays).map(Number),
    workStart: row.workStart,
    workEnd: row.workEnd,
    partTime: row.partTime === 1,
    teleworkDays: list(row.teleworkDays).map(Number),
  };
}

/** A timeline event as stored (a caseEvents row, or the same fields folded into JSON by the case load). */
export type EventRow = Omit<StoredCaseEvent, 'type' | 'sanctionKind' | 'closingOutcome' | 'hearingDate'> & {
  type: string;
  sanctionKind: string | null;
  hearingDate: string | null;
  closingOutcome: string | null;
};

export function toStoredEvent(r: EventRow): StoredCaseEvent {
  return {
    id: r.id,
    type: r.type as CaseEvent['type'],
    date: r.date,
    note: r.note,
    sanctionKind: (r.sanctionKind ?? undefined) as CaseEvent['sanctionKind'],
    hearingDate: r.hearingDate,
    closingOutcome: (r.closingOutcome ?? undefined) as CaseEvent['closingOutcome'],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
