import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types as Kysely sees them through CamelCasePlugin (columns are snake_case in SQLite).
 * Dates are ISO strings: 'YYYY-MM-DD' for calendar dates, full UTC ISO for instants.
 * Booleans are SQLite integers 0/1.
 */

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface RegionTable {
  code: string;
  name: string;
  position: number;
}

export type Role = 'admin' | 'rep';
export type UserStatus = 'invited' | 'active' | 'disabled';

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  sessionsRevokedAt: string | null;
}

export interface UserRegionTable {
  userId: number;
  regionCode: string;
}

export interface SessionTable {
  sid: string;
  userId: number | null;
  data: string;
  expiresAt: number;
}

export type AccountTokenPurpose = 'setup' | 'invitation' | 'reset';

export interface AccountTokenTable {
  id: Generated<number>;
  tokenHash: string;
  purpose: AccountTokenPurpose;
  userId: number | null;
  createdBy: number | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

/** An account's TOTP second factor (2026-12-10-1003 migration): the secret sealed, never in clear. */
export interface UserSecondFactorTable {
  userId: number;
  secretBox: string | null;
  confirmedAt: string | null;
  lastUsedStep: number | null;
  resetAt: string | null;
  resetBy: number | null;
  updatedAt: string;
}

export interface SecondFactorRecoveryCodeTable {
  id: Generated<number>;
  userId: number;
  codeHash: string;
  createdAt: string;
  usedAt: string | null;
}

/** How many log entries each record has, kept by triggers on audit_log (2026-12-08-1000 migration). */
export interface AuditEntityCountTable {
  entityType: string;
  entityId: string;
  entries: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actorUserId: number | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
}

export interface CampaignTable {
  id: Generated<number>;
  name: string;
  wave: number | null;
  description: string;
  tracesStart: string | null;
  tracesEnd: string | null;
  interviewsStart: string | null;
  interviewsEnd: string | null;
  /** The commitment as a union document reports it: its framing, not a quotation. */
  commitmentText: string;
  /** The direction's exact words, without guillemets; '' when none. */
  commitmentQuote: string;
  /** What the direction said about false positives, as a union document reports it; '' when none. */
  falsePositivesStatement: string;
  excludesSanctions: number;
  reportRequired: number;
  status: 'active' | 'closed';
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignSituationTable {
  campaignId: number;
  situationCode: string;
}

export interface CampaignFigureTable {
  id: Generated<number>;
  campaignId: number;
  /** A region code, or 'national'. */
  scope: string;
  metric: string;
  /** '' when the metric is not broken down by situation. */
  situationCode: string;
  value: number;
  source: string;
}

export interface AgentTable {
  id: Generated<number>;
  fullName: string;
  searchName: string;
  civility: 'madame' | 'monsieur' | null;
  proEmail: string | null;
  personalEmail: string | null;
  phone: string | null;
  /** Comma-separated channels the agent allows: 'pro_email', 'personal_email', 'phone'. */
  contactChannels: string;
  regionCode: string;
  /** Département code ('57', '2A', '974'); null when not stated. Decides Alsace-Moselle's holidays. */
  departmentCode: string | null;
  site: string;
  job: string;
  employmentStatus: 'private' | 'public' | 'unknown';
  /** Comma-separated ISO weekdays (1 = Monday). */
  workDays: string;
  workStart: string | null;
  workEnd: string | null;
  partTime: number;
  teleworkDays: string;
  createdAt: string;
  updatedAt: string;
}

export interface CaseTable {
  id: Generated<number>;
  agentId: number;
  campaignId: number;
  regionCode: string;
  otherSituationText: string;
  knowledgeDate: string | null;
  convocationDate: string | null;
  convocationForm: string | null;
  interviewDate: string | null;
  managerName: string;
  repAccompanied: number | null;
  reportOutcome: 'legitimate' | 'illegitimate' | 'not_stated' | 'none_given' | null;
  interviewTone: 'kind' | 'neutral' | 'pressure' | null;
  toneNotes: string;
  trainingReceived: 'yes' | 'no' | 'unknown';
  hierarchyInformed: 'yes' | 'no' | 'unknown';
  /** 'YYYY-MM-DD', only when hierarchyInformed is 'yes'. */
  hierarchyInformedDate: string | null;
  agentAccount: string;
  status: 'open' | 'closed';
  commitmentStatus: 'respected' | 'at_risk' | 'breached';
  commitmentReasons: string;
  nextDeadlineDate: string | null;
  nextDeadlineLabel: string | null;
  assessedOn: string;
  consultationsCount: number;
  oddHoursCount: number;
  /**
   * What the case brings to the declaration figures (StoredFigureFacts), written with its
   * assessment; null until it is first assessed after they were added.
   */
  figureOpenedOn: string | null;
  figureDelayDays: number | null;
  figureOddOutside: number | null;
  figureOddWithin: number | null;
  figurePreDisciplinary: 0 | 1 | null;
  figureLate: 0 | 1 | null;
  figureSanctionKinds: string | null;
  /** The agent's site, for the same sums. */
  figureSite: string | null;
  repsCount: number;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseSituationTable {
  caseId: number;
  situationCode: string;
}

export interface CaseRepTable {
  caseId: number;
  userId: number;
}

export interface ConsultationTable {
  id: Generated<number>;
  caseId: number;
  at: string;
  action: 'consulted' | 'modified' | 'acted';
  explanation: string;
  explanationText: string;
  /** IANA zone the time was typed in; null for rows typed before zones existed (read as Paris time). */
  typedZone: string | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  caseId: number;
  type: string;
  date: string;
  note: string;
  sanctionKind: string | null;
  hearingDate: string | null;
  closingOutcome: string | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface BriefVersionTable {
  id: Generated<number>;
  caseId: number;
  number: number;
  purpose: string;
  addressee: string;
  /** JSON array of the argument ids kept, in order. */
  argumentIds: string;
  /** JSON of the DocumentModel as generated. */
  document: string;
  createdBy: number | null;
  createdAt: string;
}

export type SupportRequestStatus = 'received' | 'taken' | 'case_opened' | 'closed' | 'duplicate';

export interface SupportRequestTable {
  id: Generated<number>;
  reference: string;
  tokenHash: string;
  name: string;
  email: string | null;
  phone: string | null;
  preferredContact: 'email' | 'phone';
  regionCode: string;
  site: string;
  convocationDate: string | null;
  interviewDate: string | null;
  summonedBy: string;
  situation: string;
  message: string;
  consentAt: string;
  status: SupportRequestStatus;
  assignedUserId: number | null;
  caseId: number | null;
  duplicateOf: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface SupportRequestMessageTable {
  id: Generated<number>;
  requestId: number;
  author: 'agent' | 'rep';
  userId: number | null;
  body: string;
  createdAt: string;
}

export interface DeclarationTable {
  id: Generated<number>;
  seriesKey: string;
  number: number;
  meetingKind: string;
  bodyName: string;
  meetingDate: string;
  campaignId: number;
  /** 'national', or comma-separated region codes. */
  scope: string;
  periodFrom: string | null;
  periodTo: string | null;
  /** JSON of the rep's draft (settings and blocks), to start a new version from it. */
  draft: string;
  /** JSON of the published (already protected) figures. */
  figures: string;
  figuresComputedAt: string;
  /** JSON of the DocumentModel as generated. */
  document: string;
  /** Random key of the composed page that generated it (null for none). */
  submissionKey: string | null;
  createdBy: number | null;
  createdAt: string;
}

/** analysed: the dry run waits for the rep; checking: every row is read again before writing anything (« tout importer »). */
export type ImportStatus = 'analysed' | 'checking' | 'running' | 'done' | 'failed';
export type ImportMode = 'all' | 'valid';

/**
 * A CSV import of cases (migrations/2026-11-24-0900-case-imports.ts): an uploaded file with its dry
 * run, then the job that writes it. The file's content (columns, rows, plans: JSON) is emptied when
 * the job ends; the row itself goes when it expires.
 */
export interface CaseImportTable {
  id: string;
  userId: number;
  fileName: string;
  status: ImportStatus;
  mode: ImportMode | null;
  totalRows: number;
  errorRows: number;
  columns: string | null;
  rows: string | null;
  plans: string | null;
  toProcess: Generated<number>;
  checked: Generated<number>;
  processed: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  jobErrors: Generated<string>;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string;
}

export interface Database {
  appMeta: AppMetaTable;
  regions: RegionTable;
  users: UserTable;
  userRegions: UserRegionTable;
  sessions: SessionTable;
  accountTokens: AccountTokenTable;
  loginThrottle: LoginThrottleTable;
  userSecondFactors: UserSecondFactorTable;
  secondFactorRecoveryCodes: SecondFactorRecoveryCodeTable;
  auditEntityCounts: AuditEntityCountTable;
  auditLog: AuditLogTable;
  campaigns: CampaignTable;
  campaignSituations: CampaignSituationTable;
  campaignFigures: CampaignFigureTable;
  agents: AgentTable;
  cases: CaseTable;
  caseSituations: CaseSituationTable;
  caseReps: CaseRepTable;
  consultations: ConsultationTable;
  caseEvents: CaseEventTable;
  briefVersions: BriefVersionTable;
  supportRequests: SupportRequestTable;
  supportRequestMessages: SupportRequestMessageTable;
  declarations: DeclarationTable;
  caseImports: CaseImportTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type CampaignRow = Selectable<CampaignTable>;
