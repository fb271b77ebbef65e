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

/**
 * Who did what to which record, and when. Never the content: the log must not become
 * a second copy of the sensitive data it watches over.
 */
export function createAuditLog(db: DB, now: () => Date) {
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
