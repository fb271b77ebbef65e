import type { Insertable, Transaction } from 'kysely';
import type { DB } from '../db/database';
import type { Database, UserSecondFactorTable } from '../db/schema';

/** app_meta key: '1' when reps too must have a second factor (an administrator's setting). */
const REQUIRED_FOR_REPS_KEY = 'second_factor_required_for_reps';

export interface SecondFactorRecord {
  userId: number;
  /** Sealed (src/auth/secret-box.ts); null after an administrator's reset. */
  secretBox: string | null;
  confirmedAt: string | null;
  lastUsedStep: number | null;
  resetAt: string | null;
}

/** An account's factor row, created or overwritten (an enrolment, a reset). */
async function writeFactor(trx: Transaction<Database>, userId: number, values: Omit<Insertable<UserSecondFactorTable>, 'userId'>): Promise<void> {
  await trx
    .insertInto('userSecondFactors')
    .values({ userId, ...values })
    .onConflict((oc) => oc.column('userId').doUpdateSet(values))
    .execute();
}

async function replaceCodes(trx: Transaction<Database>, userId: number, codeHashes: string[], iso: string): Promise<void> {
  await trx.deleteFrom('secondFactorRecoveryCodes').where('userId', '=', userId).execute();
  if (codeHashes.length === 0) return;
  await trx
    .insertInto('secondFactorRecoveryCodes')
    .values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: iso, usedAt: null })))
    .execute();
}

export function createSecondFactorRepository(db: DB) {
  return {
    async find(userId: number): Promise<SecondFactorRecord | undefined> {
      return db
        .selectFrom('userSecondFactors')
        .select(['userId', 'secretBox', 'confirmedAt', 'lastUsedStep', 'resetAt'])
        .where('userId', '=', userId)
        .executeTakeFirst();
    },

    /**
     * Turns the factor on with its confirmed secret and first accepted step, and replaces the
     * recovery codes, in one transaction.
     */
    async enable(userId: number, secretBox: string, step: number, codeHashes: string[], at: Date): Promise<void> {
      const iso = at.toISOString();
      const values = { secretBox, confirmedAt: iso, lastUsedStep: step, updatedAt: iso };
      await db.transaction().execute(async (trx) => {
        await writeFactor(trx, userId, values);
        await replaceCodes(trx, userId, codeHashes, iso);
      });
    },

    async replaceRecoveryCodes(userId: number, codeHashes: string[], at: Date): Promise<void> {
      await db.transaction().execute((trx) => replaceCodes(trx, userId, codeHashes, at.toISOString()));
    },

    /**
     * Records an accepted step, only if no other request accepted this step or a later one first:
     * two logins racing with the same code cannot both pass. Returns whether this one won.
     */
    async useStep(userId: number, step: number, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('userSecondFactors')
        .set({ lastUsedStep: step, updatedAt: at.toISOString() })
        .where('userId', '=', userId)
        .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Spends a recovery code; false if it is unknown or already spent. */
    async spendRecoveryCode(userId: number, codeHash: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('secondFactorRecoveryCodes')
        .set({ usedAt: at.toISOString() })
        .where('userId', '=', userId)
        .where('codeHash', '=', codeHash)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async unusedRecoveryCodes(userId: number): Promise<number> {
      const row = await db
        .selectFrom('secondFactorRecoveryCodes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** An administrator's reset: secret and recovery codes gone, the holder told at next login. */
    async reset(userId: number, actorId: number | null, at: Date): Promise<void> {
      const iso = at.toISOString();
      const values = { secretBox: null, confirmedAt: null, lastUsedStep: null, resetAt: iso, resetBy: actorId, updatedAt: iso };
      await db.transaction().execute(async (trx) => {
        await writeFactor(trx, userId, values);
        await trx.deleteFrom('secondFactorRecoveryCodes').where('userId', '=', userId).execute();
      });
    },

    /** The holder turning their own (optional) factor off. */
    async remove(userId: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('secondFactorRecoveryCodes').where('userId', '=', userId).execute();
        await trx.deleteFrom('userSecondFactors').where('userId', '=', userId).execute();
      });
    },

    /** The reset notice, read once: when the reset happened, forgotten as it is read. */
    async takeResetNotice(userId: number): Promise<Date | null> {
      const row = await db.selectFrom('userSecondFactors').select('resetAt').where('userId', '=', userId).executeTakeFirst();
      if (!row?.resetAt) return null;
      const cleared = await db
        .updateTable('userSecondFactors')
        .set({ resetAt: null, resetBy: null })
        .where('userId', '=', userId)
        .where('resetAt', '=', row.resetAt)
        .executeTakeFirst();
      return Number(cleared.numUpdatedRows) === 1 ? new Date(row.resetAt) : null;
    },

    async requiredForReps(): Promise<boolean> {
      const row = await db.selectFrom('appMeta').select('value').where('key', '=', REQUIRED_FOR_REPS_KEY).executeTakeFirst();
      return row?.value === '1';
    },

    async setRequiredForReps(required: boolean): Promise<void> {
      const value = required ? '1' : '0';
      await db
        .insertInto('appMeta')
        .values({ key: REQUIRED_FOR_REPS_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}

export type SecondFactorRepository = ReturnType<typeof createSecondFactorRepository>;
