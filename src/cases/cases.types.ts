import type { CaseEvent } from '../domain/case-events';
import type { CommitmentReason, CommitmentStatus, InterviewTone, ReportOutcome } from '../domain/commitment';
import type { EmploymentStatus } from '../domain/deadlines';
import type { SituationCode } from '../domain/situations';

export interface AgentInput {
  fullName: string;
  /** How the agent is addressed, to agree letters (convoquée, il, elle); null when not stated. */
  civility: 'madame' | 'monsieur' | null;
  proEmail: string | null;
  personalEmail: string | null;
  phone: string | null;
  contactChannels: string[];
  regionCode: string;
  /** The agent's département ('57', '974'); null (or absent) when not stated. */
  departmentCode?: string | null;
  site: string;
  job: string;
  employmentStatus: EmploymentStatus;
  workDays: number[];
  workStart: string | null;
  workEnd: string | null;
  partTime: boolean;
  teleworkDays: number[];
}

export interface Agent extends AgentInput {
  id: number;
  departmentCode: string | null;
}

export interface CaseInput {
  campaignId: number;
  situations: SituationCode[];
  otherSituationText: string;
  knowledgeDate: string | null;
  convocationDate: string | null;
  convocationForm: string | null;
  interviewDate: string | null;
  managerName: string;
  repAccompanied: boolean | null;
  reportOutcome: ReportOutcome | null;
  interviewTone: InterviewTone | null;
  toneNotes: string;
  trainingReceived: 'yes' | 'no' | 'unknown';
  /** Whether the agent had told the hierarchy beforehand (e.g. of a relative's file). */
  hierarchyInformed: 'yes' | 'no' | 'unknown';
  /** When it was informed ('YYYY-MM-DD'); only when hierarchyInformed is 'yes'. */
  hierarchyInformedDate: string | null;
  agentAccount: string;
  repIds: number[];
}

export interface Consultation {
  id: number;
  at: string;
  action: 'consulted' | 'modified' | 'acted';
  explanation: string;
  explanationText: string;
  /** The IANA zone the time was typed in; null when typed before zones existed (then read as Paris time). */
  typedZone: string | null;
}

export type ConsultationInput = Omit<Consultation, 'id' | 'typedZone'> & { typedZone?: string | null };

export interface StoredCaseEvent extends CaseEvent {
  id: number;
  createdAt: string;
  updatedAt: string;
}

export interface CaseDetail extends CaseInput {
  id: number;
  agent: Agent;
  campaignName: string;
  status: 'open' | 'closed';
  commitmentStatus: CommitmentStatus;
  commitmentReasons: CommitmentReason[];
  consultations: Consultation[];
  events: StoredCaseEvent[];
  reps: Array<{ id: number; name: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface CaseListItem {
  id: number;
  agentName: string;
  site: string;
  regionCode: string;
  campaignId: number;
  campaignName: string;
  status: 'open' | 'closed';
  commitmentStatus: CommitmentStatus;
  commitmentReasons: CommitmentReason[];
  interviewDate: string | null;
  nextDeadlineDate: string | null;
  nextDeadlineLabel: string | null;
  consultationsCount: number;
  oddHoursCount: number;
  situations: string[];
  reps: string[];
}
