import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { preparedQuery, slot } from '../db/prepared-query';
import type { SupportRequestStatus, SupportRequestTable } from '../db/schema';
import { hashToken } from '../auth/tokens';
import type { Scope } from '../access/scope';

/** What an agent submits: the request's own columns, the rest being set by the app. */
export type RequestInput = Pick<
  SupportRequestTable,
  'name' | 'email' | 'phone' | 'preferredContact' | 'regionCode' | 'site' | 'convocationDate' | 'interviewDate' | 'summonedBy' | 'situation' | 'message'
>;

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short reference an agent can read out on the phone: « D-7KQ2-M9XA ». */
function newReference(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('');
  return `D-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** 128 random bits for the private follow-up link; only its hash is stored. */
export function newFollowUpToken(): string {
  return randomBytes(16).toString('base64url');
}

export function createRequestsRepository(db: DB) {
  // On every dashboard: compiled once, the scope's regions given as one JSON array.
  const unassignedSince = (inRegions: boolean) =>
    db
      .selectFrom('supportRequests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'received')
      .where('assignedUserId', 'is', null)
      .where('createdAt', '<', slot<string>('before'))
      .$if(inRegions, (q) => q.where('regionCode', 'in', sql<string>`(select value from json_each(${slot<string>('regions')}))`));
  const unassigned = preparedQuery<{ before: string }, { n: number }>(db, () => unassignedSince(false));
  const unassignedInRegions = preparedQuery<{ before: string; regions: string }, { n: number }>(db, () => unassignedSince(true));

  return {
    async create(input: RequestInput, token: string, now: Date): Promise<{ id: number; reference: string }> {
      const at = now.toISOString();
      for (let attempt = 0; ; attempt++) {
        const reference = newReference();
        try {
          const { id } = await db
            .insertInto('supportRequests')
            .values({ ...input, reference, tokenHash: hashToken(token), consentAt: at, status: 'received', createdAt: at, updatedAt: at })
            .returning('id')
            .executeTakeFirstOrThrow();
          return { id, reference };
        } catch (err) {
          if (attempt < 3 && String(err).includes('support_requests.reference')) continue;
          throw err;
        }
      }
    },

    /** A new follow-up link for the request; the previous one stops working. */
    async replaceToken(id: number, token: string, now: Date): Promise<void> {
      await db.updateTable('supportRequests').set({ tokenHash: hashToken(token), updatedAt: now.toISOString() }).where('id', '=', id).execute();
    },

    /** Looks a request up by its follow-up token: by the token's hash, so timing says nothing. */
    async findByToken(token: string) {
      if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
      return db.selectFrom('supportRequests').selectAll().where('tokenHash', '=', hashToken(token)).executeTakeFirst();
    },

    async findById(id: number) {
      return db
        .selectFrom('supportRequests')
        .leftJoin('users', 'users.id', 'supportRequests.assignedUserId')
        .selectAll('supportRequests')
        .select('users.name as assignedName')
        .where('supportRequests.id', '=', id)
        .executeTakeFirst();
    },

    async findByReference(reference: string) {
      return db.selectFrom('supportRequests').select(['id', 'regionCode']).where('reference', '=', reference).executeTakeFirst();
    },

    async messages(requestId: number) {
      return db
        .selectFrom('supportRequestMessages')
        .leftJoin('users', 'users.id', 'supportRequestMessages.userId')
        .select(['supportRequestMessages.id', 'supportRequestMessages.author', 'supportRequestMessages.body', 'supportRequestMessages.createdAt', 'users.name as userName'])
        .where('supportRequestMessages.requestId', '=', requestId)
        .orderBy('supportRequestMessages.id')
        .execute();
    },

    async addMessage(requestId: number, author: 'agent' | 'rep', userId: number | null, body: string, now: Date): Promise<void> {
      await db.insertInto('supportRequestMessages').values({ requestId, author, userId, body, createdAt: now.toISOString() }).execute();
      await db.updateTable('supportRequests').set({ updatedAt: now.toISOString() }).where('id', '=', requestId).execute();
    },

    async updateContact(requestId: number, contact: { email: string | null; phone: string | null; preferredContact: 'email' | 'phone' }, now: Date) {
      await db.updateTable('supportRequests').set({ ...contact, updatedAt: now.toISOString() }).where('id', '=', requestId).execute();
    },

    async assign(requestId: number, userId: number, now: Date) {
      await db
        .updateTable('supportRequests')
        .set({ assignedUserId: userId, updatedAt: now.toISOString() })
        .where('id', '=', requestId)
        .execute();
      await db
        .updateTable('supportRequests')
        .set({ status: 'taken' })
        .where('id', '=', requestId)
        .where('status', '=', 'received')
        .execute();
    },

    async setStatus(requestId: number, status: SupportRequestStatus, now: Date, extra: { caseId?: number; duplicateOf?: number } = {}) {
      await db
        .updateTable('supportRequests')
        .set({ status, updatedAt: now.toISOString(), ...(extra.caseId ? { caseId: extra.caseId } : {}), ...(extra.duplicateOf ? { duplicateOf: extra.duplicateOf } : {}) })
        .where('id', '=', requestId)
        .execute();
    },

    /** Erasure: the request and its messages are deleted, not flagged (secure_delete overwrites them). */
    async erase(requestId: number): Promise<void> {
      await db.deleteFrom('supportRequests').where('id', '=', requestId).execute();
    },

    async queue(scope: Scope, filters: { status?: SupportRequestStatus; region?: string }) {
      let q = db
        .selectFrom('supportRequests')
        .leftJoin('users', 'users.id', 'supportRequests.assignedUserId')
        .select([
          'supportRequests.id',
          'supportRequests.reference',
          'supportRequests.name',
          'supportRequests.regionCode',
          'supportRequests.site',
          'supportRequests.status',
          'supportRequests.situation',
          'supportRequests.interviewDate',
          'supportRequests.createdAt',
          'supportRequests.assignedUserId',
          'users.name as assignedName',
        ]);
      if (scope.kind === 'regions') q = scope.regions.length ? q.where('supportRequests.regionCode', 'in', [...scope.regions]) : q.where('supportRequests.id', '<', 0);
      if (filters.status) q = q.where('supportRequests.status', '=', filters.status);
      if (filters.region) q = q.where('supportRequests.regionCode', '=', filters.region);
      // New requests first, then the rest from the most recent.
      return q
        .orderBy((eb) => eb.case().when('supportRequests.status', '=', 'received').then(0).else(1).end())
        .orderBy('supportRequests.createdAt', 'desc')
        .limit(500)
        .execute();
    },

    /** New requests nobody took, received before the given instant, in the scope. */
    async countUnassignedSince(scope: Scope, before: string): Promise<number> {
      const [row] = await (scope.kind === 'regions' ? unassignedInRegions({ before, regions: JSON.stringify(scope.regions) }) : unassigned({ before }));
      return Number(row?.n ?? 0);
    },

    /** Requests never turned into a case, with no activity since the retention limit. */
    async purgeable(before: string) {
      return db
        .selectFrom('supportRequests')
        .select(['id', 'reference', 'createdAt', 'updatedAt', 'status'])
        .where('caseId', 'is', null)
        .where('updatedAt', '<', before)
        .execute();
    },

    /** How many messages the requests `purgeable(before)` lists carry. */
    async purgeableMessageCount(before: string): Promise<number> {
      const row = await db
        .selectFrom('supportRequestMessages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('requestId', 'in', (eb) => eb.selectFrom('supportRequests').select('id').where('caseId', 'is', null).where('updatedAt', '<', before))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Deletes them, checking again that none became a case since they were listed. */
    async deleteMany(ids: number[], before: string): Promise<number[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .deleteFrom('supportRequests')
        .where('id', 'in', ids)
        .where('caseId', 'is', null)
        .where('updatedAt', '<', before)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

export type RequestsRepository = ReturnType<typeof createRequestsRepository>;
