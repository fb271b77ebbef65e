import { sql } from 'kysely';
import type { DB } from '../db/database';

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
 * Who did what to which record, and when. Never the content: the log must not become
 * a second copy of the sensitive data it watches over.
 */
export function createAuditLog(db: DB, now: () => Date) {
  /** Entries about a case or one of its brief versions (ids are stored as text, hence the cast). */
  function caseEntries(caseId: number, kind: CaseJournalKind | undefined) {
    const briefIds = db
      .selectFrom('briefVersions')
      .select((eb) => eb.cast<string>('briefVersions.id', 'text').as('id'))
      .where('briefVersions.caseId', '=', caseId);
    return db
      .selectFrom('auditLog')
      .where((eb) =>
        eb.or([
          eb.and([eb('auditLog.entityType', '=', 'case'), eb('auditLog.entityId', '=', String(caseId))]),
          eb.and([eb('auditLog.entityType', '=', 'brief'), eb('auditLog.entityId', 'in', briefIds)]),
        ]),
      )
      .$if(kind === 'views', (q) => q.where('auditLog.action', '=', 'view'))
      .$if(kind === 'others', (q) => q.where('auditLog.action', '!=', 'view'));
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

  return {
    async record(entry: AuditEntry): Promise<void> {
      await db
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
     * how many of each there are in all: the extract the case page shows, in one statement.
     */
    async caseJournalHeads(caseId: number, limit: number) {
      const isView = sql<number>`${sql.ref('auditLog.action')} = 'view'`;
      const ranked = journalRows(caseId, undefined).select([
        sql<number>`row_number() over (partition by ${isView} order by ${sql.ref('auditLog.id')} desc)`.as('rank'),
        sql<number>`count(*) over (partition by ${isView})`.as('kindTotal'),
      ]);
      const rows = await db.selectFrom(ranked.as('j')).selectAll().where('j.rank', '<=', limit).orderBy('j.id', 'desc').execute();
      const views = rows.filter((r) => r.action === 'view');
      const others = rows.filter((r) => r.action !== 'view');
      const strip = (list: typeof rows) => list.map(({ rank: _rank, kindTotal: _total, ...entry }) => entry);
      return {
        views: { rows: strip(views), total: Number(views[0]?.kindTotal ?? 0) },
        others: { rows: strip(others), total: Number(others[0]?.kindTotal ?? 0) },
      };
    },

    async countForCase(caseId: number, kind?: CaseJournalKind): Promise<number> {
      const row = await caseEntries(caseId, kind)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
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
