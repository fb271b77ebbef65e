import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.

export async function up(db: Kysely<any>): Promise<void> {
  // A CSV import of cases: the file as read and its dry run, kept between the upload and the rep's
  // choice, then the background job that writes it. Progress is committed with each chunk of cases,
  // so a job stopped by a restart resumes exactly where it was. The file's content is erased when the
  // job ends or the upload expires; the summary (counts, row numbers and messages) stays a day.
  await db.schema
    .createTable('case_imports')
    // Random and unguessable: the page of an import is its uploader's only.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // analysed → (checking →) running → done | failed
    .addColumn('status', 'text', (c) => c.notNull())
    // 'all' or 'valid', once the rep chose
    .addColumn('mode', 'text')
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('error_rows', 'integer', (c) => c.notNull())
    // JSON: the header's columns, the rows' cells, the dry run of each row; null once the job ended.
    .addColumn('columns', 'text')
    .addColumn('rows', 'text')
    .addColumn('plans', 'text')
    .addColumn('to_process', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON: rows the job could not write after all, with the reasons.
    .addColumn('job_errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('failure', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_imports_user').on('case_imports').column('user_id').execute();
  await db.schema.createIndex('case_imports_expiry').on('case_imports').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_imports').execute();
}
