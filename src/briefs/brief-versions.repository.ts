import type { DB } from '../db/database';
import { type DocumentModel, reviveDocument } from '../documents/model';

export interface BriefVersion {
  id: number;
  caseId: number;
  number: number;
  purpose: string;
  addressee: string;
  argumentIds: string[];
  document: DocumentModel;
  createdBy: string | null;
  createdAt: string;
}

export function createBriefVersionsRepository(db: DB) {
  return {
    /**
     * Stores a new version, numbered after the case's last one in the same transaction; the document
     * is built for that number. Versions are never updated.
     */
    async create(input: {
      caseId: number;
      purpose: string;
      addressee: string;
      argumentIds: string[];
      build: (number: number) => DocumentModel;
      createdBy: number;
      now: Date;
    }): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const last = await trx
          .selectFrom('briefVersions')
          .select((eb) => eb.fn.max('number').as('n'))
          .where('caseId', '=', input.caseId)
          .executeTakeFirst();
        const number = Number(last?.n ?? 0) + 1;
        const { id } = await trx
          .insertInto('briefVersions')
          .values({
            caseId: input.caseId,
            number,
            purpose: input.purpose,
            addressee: input.addressee,
            argumentIds: JSON.stringify(input.argumentIds),
            document: JSON.stringify(input.build(number)),
            createdBy: input.createdBy,
            createdAt: input.now.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return id;
      });
    },

    async listForCase(caseId: number) {
      return db
        .selectFrom('briefVersions')
        .leftJoin('users', 'users.id', 'briefVersions.createdBy')
        .select(['briefVersions.id', 'briefVersions.number', 'briefVersions.purpose', 'briefVersions.addressee', 'briefVersions.createdAt', 'users.name as createdBy'])
        .where('briefVersions.caseId', '=', caseId)
        .orderBy('briefVersions.number', 'desc')
        .execute();
    },

    /** The name of the case's agent, for a version's page (the version itself holds the document only). */
    async agentNameOf(caseId: number): Promise<string | undefined> {
      const row = await db
        .selectFrom('cases')
        .innerJoin('agents', 'agents.id', 'cases.agentId')
        .select('agents.fullName')
        .where('cases.id', '=', caseId)
        .executeTakeFirst();
      return row?.fullName;
    },

    /** The case's version with the highest number, or undefined when none was generated. */
    async latestForCase(caseId: number): Promise<{ id: number; number: number; createdAt: string; document: DocumentModel } | undefined> {
      const row = await db
        .selectFrom('briefVersions')
        .select(['id', 'number', 'createdAt', 'document'])
        .where('caseId', '=', caseId)
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && { id: row.id, number: row.number, createdAt: row.createdAt, document: reviveDocument(row.document) };
    },

    async find(caseId: number, versionId: number): Promise<BriefVersion | undefined> {
      const row = await db
        .selectFrom('briefVersions')
        .leftJoin('users', 'users.id', 'briefVersions.createdBy')
        .selectAll('briefVersions')
        .select('users.name as createdByName')
        .where('briefVersions.caseId', '=', caseId)
        .where('briefVersions.id', '=', versionId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        caseId: row.caseId,
        number: row.number,
        purpose: row.purpose,
        addressee: row.addressee,
        argumentIds: JSON.parse(row.argumentIds) as string[],
        document: reviveDocument(row.document),
        createdBy: row.createdByName,
        createdAt: row.createdAt,
      };
    },
  };
}

export type BriefVersionsRepository = ReturnType<typeof createBriefVersionsRepository>;
