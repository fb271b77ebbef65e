import SQLite from 'better-sqlite3';

/**
 * Counts the SQL statements run while an action runs, at the driver: every statement better-sqlite3
 * executes, whoever sent it (Kysely queries, raw SQL, transactions' begin and commit, the session
 * store). Production code is untouched: the statement class's methods are wrapped in this test
 * process only, once, and count only while a recording is open.
 */

export interface Recorded {
  sql: string;
  kind: 'select' | 'write' | 'other';
}

let recording: Recorded[] | null = null;
let installed = false;

function kindOf(sql: string): Recorded['kind'] {
  const head = sql.trimStart().slice(0, 12).toLowerCase();
  if (head.startsWith('select') || head.startsWith('with')) return 'select';
  if (/^(insert|update|delete|replace)/.test(head)) return 'write';
  return 'other';
}

function install(): void {
  if (installed) return;
  installed = true;
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method] as (this: SQLite.Statement, ...args: unknown[]) => unknown;
    proto[method] = function (this: SQLite.Statement, ...args: unknown[]) {
      recording?.push({ sql: this.source, kind: kindOf(this.source) });
      return original.apply(this, args);
    };
  }
}

/** The statements `action` ran, in order. Recordings do not nest: one request at a time. */
export async function statementsDuring(action: () => Promise<unknown>): Promise<Recorded[]> {
  install();
  if (recording) throw new Error('statementsDuring: a recording is already open');
  recording = [];
  try {
    await action();
    return recording;
  } finally {
    recording = null;
  }
}

/** A readable list of statements for an assertion's message. */
export function describeStatements(statements: readonly Recorded[]): string {
  return statements.map((s, i) => `  ${i + 1}. ${s.sql.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n');
}
