import type { Campaign } from '../campaigns/campaigns.repository';
import type { CsvColumn } from '../cases/cases-csv';
import type { AgentInput, CaseInput } from '../cases/cases.types';
import type { Region } from '../regions/regions.repository';
import type { Scope } from '../access/scope';
import type { User } from '../access/user';

/** What the planner reads (ImportContext) and what it says of each row of an imported file. */

export interface RowError {
  /** The column's header as in the file, or null for the row as a whole. */
  column: string | null;
  message: string;
  /** In an import's summary: the dry run found the row in error, and the rep chose to import the others. */
  leftOut?: true;
}

/**
 * An error as the dry run finds it. Its message is for the uploader, on the dry run's page, and may
 * quote the cell (a misplaced semicolon puts an agent's name under « Région »); `kept` says the same
 * without any cell's content: the import's summary, kept a day after the job, has only that.
 */
export interface PlanError extends RowError {
  kept: string;
}

export interface RowPlan {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  caseId: number | null;
  agentName: string;
  regionName: string;
  campaignName: string;
  /** For a creation: whose case it is (an agent already followed, or a new one). */
  agentNote: string | null;
  /** For an update: each column that changes, as the export writes it. */
  changes: Array<{ column: string; before: string; after: string }>;
  errors: PlanError[];
}

export type RowWrite =
  | { kind: 'create'; agent: AgentInput | { existingId: number }; case: CaseInput }
  | { kind: 'update'; caseId: number; agent: AgentInput; case: CaseInput };

export interface ImportContext {
  user: User;
  scope: Scope;
  /** Every region: a file names them by name (the export's) or by code. */
  regions: readonly Region[];
  /** The regions the user covers: the form's choices. */
  scopeRegionCodes: readonly string[];
  campaigns: readonly Campaign[];
  /** The reps the user may assign, as the form offers them. */
  reps: readonly User[];
  /** The columns the file has: a column it lacks leaves a case's value as it is. */
  columns: readonly CsvColumn[];
  /** Today in Paris ('YYYY-MM-DD'), as the form's rules need it. */
  today: string;
}
