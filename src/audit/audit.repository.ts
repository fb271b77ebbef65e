import { sql } from 'kysely';
import type { DB } from '../db/database';
import { preparedQuery, slot } from '../db/prepared-query';

export const AUDIT_ACTIONS = [
  'view',
  'create',
  'update',
  'delete',
  'export',
  'login',
  'login_failed',
  'logout',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A case's log entry as its journal shows it: the actor's name and, for a brief, its version number. */
export interface CaseJournalRow {
  id: number;
  at: string;
  action: string;
  entityType: string;
  actorLabel: string;
  actorName: string | null;
  briefNumber: number | null;
}

/** An entry of the case page's journal extract, with the journal's total. */
interface JournalHead extends CaseJournalRow {
  total: number;
}

export interface AuditEntry {
  /** null for the public, the command line or the system; actorLabel then says which. */
  actorUserId: number | null;
  actorLabel?: string;
  action: AuditAction;
  entityType: string;
  entityId?: string | number | null;
}

/** Consultations only, or every other kind of access (creation, changes, exports). */
export type CaseJournalKind = 'views' | 'others';

/**
 * Every action but the view, by name rather than `!= 'view'`: equalities on the indexed action
 * (audit_log_entity_action_idx) read only those entries, where an inequality reads them all.
 */
const NOT_VIEWS = AUDIT_ACTIONS.filter((action) => action !== 'view');

/**
 * Who did what to which record, and when. Never the content: the log must not become
 * a second copy of the sensitive data it watches over.
 */
export function createAuditLog(db: DB, now: () => Date) {
  /** Entries about a case or one of its brief versions (ids are stored as text, hence the cast). */
  function briefIdsOf(caseId: number) {
    return db
      .selectFrom('briefVersions')
      .select((eb) => eb.cast<string>('briefVersions.id', 'text').as('id'))
      .where('briefVersions.caseId', '=', caseId);
  }

  /** How many entries the case's journal holds, from the counts the audit_log triggers keep. */
  function entryCount(caseId: number, caseKey = String(caseId)) {
    return db
      .selectFrom('auditEntityCounts')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('auditEntityCounts.entries'), eb.lit(0)).as('n'))
      .where((eb) =>
        eb.or([
          eb.and([eb('auditEntityCounts.entityType', '=', 'case'), eb('auditEntityCounts.entityId', '=', caseKey)]),
          eb.and([eb('auditEntityCounts.entityType', '=', 'brief'), eb('auditEntityCounts.entityId', 'in', briefIdsOf(caseId))]),
        ]),
      );
  }

  function caseEntries(caseId: number, kind: CaseJournalKind | undefined) {
    const briefIds = briefIdsOf(caseId);
    return db
      .selectFrom('auditLog')
      .where((eb) =>
        eb.or([
          eb.and([eb('auditLog.entityType', '=', 'case'), eb('auditLog.entityId', '=', String(caseId))]),
          eb.and([eb('auditLog.entityType', '=', 'brief'), eb('auditLog.entityId', 'in', briefIds)]),
        ]),
      )
      .$if(kind !== undefined, (q) => q.where('auditLog.action', 'in', kind === 'views' ? ['view'] : NOT_VIEWS));
  }

  /** A case's log entries as the journal shows them: the actor's name and, for a brief, its version number. */
  function journalRows(caseId: number, kind: CaseJournalKind | undefined) {
    return caseEntries(caseId, kind)
      .leftJoin('users', 'users.id', 'auditLog.actorUserId')
      .leftJoin('briefVersions', (join) =>
        join.on('auditLog.entityType', '=', 'brief').on((eb) => eb('briefVersions.id', '=', eb.cast<number>('auditLog.entityId', 'integer'))),
      )
      .select([
        'auditLog.id',
        'auditLog.at',
        'auditLog.action',
        'auditLog.entityType',
        'auditLog.actorLabel',
        'users.name as actorName',
        'briefVersions.number as briefNumber',
      ]);
  }

  // Each arm reads only its newest entries down the (entity, action) index and the total comes
  // from the kept counts, so the extract costs the same for a case viewed ten times or ten thousand.
  // The limit is written into the SQL, not bound: with `limit ?` in its arms SQLite ran the union
  // several times slower (1.5 ms against 0.37, 300 views). One statement per limit: the page uses one.
  const journalHeadsBy = new Map<number, ReturnType<typeof journalHeadsQuery>>();
  const journalHeads = (args: { caseId: number; caseKey: string; limit: number }) => {
    let query = journalHeadsBy.get(args.limit);
    if (!query) journalHeadsBy.set(args.limit, (query = journalHeadsQuery(Math.trunc(args.limit))));
    return query(args);
  };
  const journalHeadsQuery = (limit: number) => preparedQuery<{ caseId: number; caseKey: string }, JournalHead>(db, () => {
    const [caseId, caseKey] = [slot<number>('caseId'), slot<string>('caseKey')];
    const newest = (entityType: 'case' | 'brief', kind: CaseJournalKind) =>
      db
        .selectFrom('auditLog')
        .select(['auditLog.id', 'auditLog.at', 'auditLog.action', 'auditLog.entityType', 'auditLog.entityId', 'auditLog.actorLabel', 'auditLog.actorUserId'])
        .where('auditLog.entityType', '=', entityType)
        .where('auditLog.entityId', entityType === 'case' ? '=' : 'in', entityType === 'case' ? caseKey : briefIdsOf(caseId))
        // An equality for the views, so that the index hands them over newest first, unsorted.
        .where((eb) => (kind === 'views' ? eb('auditLog.action', '=', 'view') : eb('auditLog.action', 'in', NOT_VIEWS)))
        .orderBy('auditLog.id', 'desc')
        .limit(sql.lit(limit));
    const arms = (['views', 'others'] as const).flatMap((kind) => (['case', 'brief'] as const).map((type) => db.selectFrom(newest(type, kind).as('arm')).selectAll()));
    return db
      .selectFrom(arms.slice(1).reduce((union, arm) => union.unionAll(arm), arms[0]!).as('j'))
      .leftJoin('users', 'users.id', 'j.actorUserId')
      .leftJoin('briefVersions', (join) => join.on('j.entityType', '=', 'brief').on((eb) => eb('briefVersions.id', '=', eb.cast<number>('j.entityId', 'integer'))))
      .select(['j.id', 'j.at', 'j.action', 'j.entityType', 'j.actorLabel', 'users.name as actorName', 'briefVersions.number as briefNumber'])
      .select(entryCount(caseId, caseKey).as('total'));
  });

  return {
    async record(entry: AuditEntry): Promise<void> {
      const insert = (to: DB) =>
        to
          .insertInto('auditLog')
          .values({
            at: now().toISOString(),
            actorUserId: entry.actorUserId,
            actorLabel: entry.actorLabel ?? (entry.actorUserId === null ? 'system' : 'user'),
            action: entry.action,
            entityType: entry.entityType,
            entityId: entry.entityId == null ? null : String(entry.entityId),
          })
          .execute();
      if (entry.action !== 'view' || db.isTransaction) {
        await insert(db);
        return;
      }
      // A view is committed without waiting for the disk's confirmation (the sync was a quarter of
      // the case page's time): it is in the WAL, in the system's cache, so it survives a crash of
      // Vigie; only a power cut before the next change or checkpoint, which syncs the log and the
      // views before it, could lose it. Every change still waits for the disk (database.ts).
      await db.connection().execute(async (connection) => {
        await sql`pragma synchronous = normal`.execute(connection);
        try {
          await insert(connection);
        } finally {
          await sql`pragma synchronous = full`.execute(connection);
        }
      });
    },

    /** Several entries at once, in one transaction (an export that read many records). */
    async recordMany(entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length === 0) return;
      const at = now().toISOString();
      const rows = entries.map((entry) => ({
        at,
        actorUserId: entry.actorUserId,
        actorLabel: entry.actorLabel ?? (entry.actorUserId === null ? 'system' : 'user'),
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId == null ? null : String(entry.entityId),
      }));
      const insert = async (trx: DB) => {
        // 7 parameters a row: well under SQLite's limit of bound parameters per statement.
        for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('auditLog').values(rows.slice(i, i + 1000)).execute();
      };
      // All or none; within the caller's transaction when there is one (a purge batch, an erasure).
      await (db.isTransaction ? insert(db) : db.transaction().execute(insert));
    },

    /**
     * One case's access log, newest first: the entries about the case itself and about its brief
     * versions (each with its number). Names of the actors, never content.
     */
    async forCase(caseId: number, options: { kind?: CaseJournalKind; limit: number; offset?: number }) {
      return journalRows(caseId, options.kind)
        .orderBy('auditLog.id', 'desc')
        .limit(options.limit)
        .offset(options.offset ?? 0)
        .execute();
    },

    /**
     * The latest `limit` entries of each kind of a case's log (views, and every other access), with
     * how many entries it holds in all: the extract the case page shows, in one statement.
     */
    async caseJournalHeads(caseId: number, limit: number) {
      // Sorted here: at most four times `limit` rows, where an ORDER BY over the union made SQLite sort each arm twice.
      const rows = (await journalHeads({ caseId, caseKey: String(caseId), limit })).sort((a, b) => b.id - a.id);
      const newestOf = (kind: CaseJournalKind) =>
        rows.filter((r) => (r.action === 'view') === (kind === 'views')).slice(0, limit).map(({ total: _total, ...entry }) => entry);
      return { views: newestOf('views'), others: newestOf('others'), total: Number(rows[0]?.total ?? 0) };
    },

    async countForCase(caseId: number, kind?: CaseJournalKind): Promise<number> {
      const row = await (kind === undefined ? entryCount(caseId) : caseEntries(caseId, kind).select((eb) => eb.fn.countAll<number>().as('n'))).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The latest entries about one record, newest first. */
    async forEntity(entityType: string, entityId: string | number, limit = 50, options: { views?: boolean } = {}) {
      return db
        .selectFrom('auditLog')
        .leftJoin('users', 'users.id', 'auditLog.actorUserId')
        .select([
          'auditLog.at',
          'auditLog.action',
          'auditLog.actorLabel',
          'users.name as actorName',
        ])
        .where('entityType', '=', entityType)
        .where('entityId', '=', String(entityId))
        .$if(options.views === true, (q) => q.where('action', '=', 'view'))
        .$if(options.views === false, (q) => q.where('action', '!=', 'view'))
        .orderBy('auditLog.id', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
