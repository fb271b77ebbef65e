import type { DB } from '../db/database';
import type { AccountTokenPurpose } from '../db/schema';
import { generateToken, hashToken } from './tokens';

export interface AccountToken {
  id: number;
  purpose: AccountTokenPurpose;
  userId: number | null;
  expiresAt: string;
}

export function createAccountTokensRepository(db: DB) {
  return {
    /** Issues a fresh link and voids any earlier unused one for the same purpose and account. */
    async issue(input: {
      purpose: AccountTokenPurpose;
      userId: number | null;
      createdBy: number | null;
      now: Date;
      validForMs: number;
    }): Promise<{ token: string; expiresAt: Date }> {
      const token = generateToken();
      const expiresAt = new Date(input.now.getTime() + input.validForMs);
      await db.transaction().execute(async (trx) => {
        let voided = trx
          .updateTable('accountTokens')
          .set({ usedAt: input.now.toISOString() })
          .where('usedAt', 'is', null)
          .where('purpose', '=', input.purpose);
        voided =
          input.userId === null
            ? voided.where('userId', 'is', null)
            : voided.where('userId', '=', input.userId);
        await voided.execute();
        await trx
          .insertInto('accountTokens')
          .values({
            tokenHash: hashToken(token),
            purpose: input.purpose,
            userId: input.userId,
            createdBy: input.createdBy,
            createdAt: input.now.toISOString(),
            expiresAt: expiresAt.toISOString(),
          })
          .execute();
      });
      return { token, expiresAt };
    },

    /** The token if it exists, is unused and unexpired; otherwise undefined, whatever the reason. */
    async findUsable(token: string, now: Date): Promise<AccountToken | undefined> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      const row = await db
        .selectFrom('accountTokens')
        .select(['id', 'purpose', 'userId', 'expiresAt'])
        .where('tokenHash', '=', hashToken(token))
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', now.toISOString())
        .executeTakeFirst();
      return row;
    },

    /** Marks the token used; false when another request consumed it first. */
    async consume(id: number, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('accountTokens')
        .set({ usedAt: now.toISOString() })
        .where('id', '=', id)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async voidForUser(userId: number, now: Date): Promise<void> {
      await db
        .updateTable('accountTokens')
        .set({ usedAt: now.toISOString() })
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .execute();
    },
  };
}

export type AccountTokensRepository = ReturnType<typeof createAccountTokensRepository>;
