import type { Selectable } from 'kysely';
import type { DB } from '../db/database';
import type { CaseImportTable, ImportMode, ImportStatus } from '../db/schema';
import type { FileRow } from './case-import-file';
import type { RowError, RowPlan } from './case-import.plan';
import type { CsvColumn } from '../cases/cases-csv';

export type { CaseImportTable, ImportMode, ImportStatus } from '../db/schema';

export type ImportRecord = Omit<Selectable<CaseImportTable>, 'columns' | 'rows' | 'plans' | 'jobErrors'> & {
  jobErrors: Array<RowError & { line: number }>;
};

export interface ImportPayload {
  columns: CsvColumn[];
  rows: FileRow[];
  plans: RowPlan[];
}

const SUMMARY = [
  'id',
  'userId',
  'fileName',
  'status',
  'mode',
  'totalRows',
  'errorRows',
  'toProcess',
  'checked',
  'processed',
  'created',
  'updated',
  'unchanged',
  'skipped',
  'jobErrors',
  'failure',
  'createdAt',
  'startedAt',
  'finishedAt',
  'expiresAt',
] as const;

export type ImportProgress = Partial<Pick<Selectable<CaseImportTable>, 'status' | 'checked' | 'processed' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failure' | 'startedAt' | 'finishedAt' | 'expiresAt'>> & {
  jobErrors?: Array<RowError & { line: number }>;
};

export function createCaseImportRepository(database: DB) {
  const tables = (db: DB) => db.withTables<{ caseImports: CaseImportTable }>();
  const db = tables(database);

  function toRecord(row: Pick<Selectable<CaseImportTable>, (typeof SUMMARY)[number]>): ImportRecord {
    return { ...row, jobErrors: JSON.parse(row.jobErrors) };
  }

  return {
    async insert(input: { id: string; userId: number; fileName: string; payload: ImportPayload; errorRows: number; now: Date; expiresAt: Date }) {
      await db
        .insertInto('caseImports')
        .values({
          id: input.id,
          userId: input.userId,
          fileName: input.fileName,
          status: 'analysed',
          mode: null,
          totalRows: input.payload.rows.length,
          errorRows: input.errorRows,
          columns: JSON.stringify(input.payload.columns),
          rows: JSON.stringify(input.payload.rows),
          plans: JSON.stringify(input.payload.plans),
          jobErrors: '[]',
          createdAt: input.now.toISOString(),
          expiresAt: input.expiresAt.toISOString(),
        })
        .execute();
    },

    async find(id: string): Promise<ImportRecord | undefined> {
      const row = await db.selectFrom('caseImports').select(SUMMARY).where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    /** The file and its dry run, while they are kept. */
    async payload(id: string): Promise<ImportPayload | undefined> {
      const row = await db.selectFrom('caseImports').select(['columns', 'rows', 'plans']).where('id', '=', id).executeTakeFirst();
      if (!row?.columns || !row.rows || !row.plans) return undefined;
      return { columns: JSON.parse(row.columns), rows: JSON.parse(row.rows), plans: JSON.parse(row.plans) };
    },

    /** The dry run alone, without the file's cells (the larger part), while it is kept. */
    async analysis(id: string): Promise<Omit<ImportPayload, 'rows'> | undefined> {
      const row = await db.selectFrom('caseImports').select(['columns', 'plans']).where('id', '=', id).executeTakeFirst();
      if (!row?.columns || !row.plans) return undefined;
      return { columns: JSON.parse(row.columns), plans: JSON.parse(row.plans) };
    },

    /**
     * Moves an analysed upload to its job, once: false when it was no longer waiting (a second click).
     * Importing the valid rows only, the rows left out are counted and listed in the summary from the start.
     */
    async start(
      id: string,
      input: { mode: ImportMode; status: ImportStatus; toProcess: number; now: Date; skipped?: number; jobErrors?: Array<RowError & { line: number }> },
    ): Promise<boolean> {
      const result = await db
        .updateTable('caseImports')
        .set({
          mode: input.mode,
          status: input.status,
          toProcess: input.toProcess,
          startedAt: input.now.toISOString(),
          ...(input.skipped !== undefined ? { skipped: input.skipped } : {}),
          ...(input.jobErrors ? { jobErrors: JSON.stringify(input.jobErrors) } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', 'analysed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Saves a job's progress; inside a chunk's transaction when given one, so progress and cases commit together. */
    async progress(id: string, progress: ImportProgress, trx?: DB): Promise<void> {
      const { jobErrors, ...rest } = progress;
      await (trx ? tables(trx) : db)
        .updateTable('caseImports')
        .set({ ...rest, ...(jobErrors ? { jobErrors: JSON.stringify(jobErrors) } : {}) })
        .where('id', '=', id)
        .execute();
    },

    /** The end of a job: the file's content goes, the summary stays until it expires. */
    async finish(id: string, progress: ImportProgress): Promise<void> {
      await this.progress(id, progress);
      await db.updateTable('caseImports').set({ columns: null, rows: null, plans: null }).where('id', '=', id).execute();
    },

    async delete(id: string): Promise<void> {
      await db.deleteFrom('caseImports').where('id', '=', id).execute();
    },

    /** A user's uploads still waiting for a choice (a new upload replaces them); their ids. */
    async deleteWaiting(userId: number): Promise<string[]> {
      const rows = await db.deleteFrom('caseImports').where('userId', '=', userId).where('status', '=', 'analysed').returning('id').execute();
      return rows.map((r) => r.id);
    },

    /** Expired uploads and summaries; a job under way never expires. */
    async purgeExpired(now: Date): Promise<number> {
      const result = await db
        .deleteFrom('caseImports')
        .where('expiresAt', '<', now.toISOString())
        .where('status', 'not in', ['checking', 'running'])
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async unfinished(): Promise<string[]> {
      return (await db.selectFrom('caseImports').select('id').where('status', 'in', ['checking', 'running']).execute()).map((r) => r.id);
    },

    async runningOf(userId: number): Promise<string | undefined> {
      return (
        await db.selectFrom('caseImports').select('id').where('userId', '=', userId).where('status', 'in', ['checking', 'running']).executeTakeFirst()
      )?.id;
    },
  };
}

export type CaseImportRepository = ReturnType<typeof createCaseImportRepository>;
