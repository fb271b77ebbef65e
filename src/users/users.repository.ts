import { CompiledQuery } from 'kysely';
import type { DB } from '../db/database';
import type { User } from '../access/user';
import type { Role, UserRow, UserStatus } from '../db/schema';

export type { User };

export interface UserWithSecret extends User {
  passwordHash: string | null;
  sessionsRevokedAt: string | null;
}

function toUser(row: UserRow, regions: string[]): UserWithSecret {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    regions,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
    passwordHash: row.passwordHash,
    sessionsRevokedAt: row.sessionsRevokedAt,
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An account and its regions in the order regionsOf gives them (the regions' own order). */
const ACCOUNT_WITH_REGIONS = `select users.*,
  (select json_group_array(user_regions.region_code order by regions.position)
     from user_regions join regions on regions.code = user_regions.region_code
    where user_regions.user_id = users.id) as regions_json
  from users where users.id = ?`;

export function createUsersRepository(db: DB) {
  async function regionsOf(userIds: number[]): Promise<Map<number, string[]>> {
    const byUser = new Map<number, string[]>();
    if (userIds.length === 0) return byUser;
    const rows = await db
      .selectFrom('userRegions')
      .innerJoin('regions', 'regions.code', 'userRegions.regionCode')
      .select(['userRegions.userId', 'userRegions.regionCode'])
      .where('userRegions.userId', 'in', userIds)
      .orderBy('regions.position')
      .execute();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.regionCode]);
    return byUser;
  }

  async function withRegions(row: UserRow | undefined): Promise<UserWithSecret | undefined> {
    if (!row) return undefined;
    return toUser(row, (await regionsOf([row.id])).get(row.id) ?? []);
  }

  return {
    /** Read on every signed-in request (web/current-user.ts): one statement, its SQL written once. */
    async findById(id: number): Promise<UserWithSecret | undefined> {
      const { rows: [row] } = await db.executeQuery<UserRow & { regionsJson: string }>(CompiledQuery.raw(ACCOUNT_WITH_REGIONS, [id]));
      if (!row) return undefined;
      const { regionsJson, ...user } = row;
      return toUser(user, JSON.parse(regionsJson) as string[]);
    },

    async findByEmail(email: string): Promise<UserWithSecret | undefined> {
      return withRegions(
        await db
          .selectFrom('users')
          .selectAll()
          .where('email', '=', normaliseEmail(email))
          .executeTakeFirst(),
      );
    },

    async list(): Promise<User[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
      const regions = await regionsOf(rows.map((r) => r.id));
      return rows.map((r) => {
        const { passwordHash: _secret, sessionsRevokedAt: _revoked, ...user } = toUser(r, regions.get(r.id) ?? []);
        return user;
      });
    },

    /** Active accounts that can be assigned to cases, with the regions they cover. */
    async listAssignable(): Promise<User[]> {
      return (await this.list()).filter((u) => u.status === 'active');
    },

    async countActiveAdmins(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async create(input: {
      email: string;
      name: string;
      role: Role;
      status: UserStatus;
      passwordHash: string | null;
      regions: string[];
      now: Date;
    }): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const at = input.now.toISOString();
        const { id } = await trx
          .insertInto('users')
          .values({
            email: normaliseEmail(input.email),
            name: input.name.trim(),
            role: input.role,
            status: input.status,
            passwordHash: input.passwordHash,
            createdAt: at,
            updatedAt: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (input.regions.length > 0) {
          await trx
            .insertInto('userRegions')
            .values(input.regions.map((regionCode) => ({ userId: id, regionCode })))
            .execute();
        }
        return id;
      });
    },

    async update(
      id: number,
      input: { name: string; role: Role; regions: string[]; now: Date },
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ name: input.name.trim(), role: input.role, updatedAt: input.now.toISOString() })
          .where('id', '=', id)
          .execute();
        await trx.deleteFrom('userRegions').where('userId', '=', id).execute();
        if (input.regions.length > 0) {
          await trx
            .insertInto('userRegions')
            .values(input.regions.map((regionCode) => ({ userId: id, regionCode })))
            .execute();
        }
      });
    },

    async setStatus(id: number, status: UserStatus, now: Date): Promise<void> {
      await db
        .updateTable('users')
        .set({ status, updatedAt: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },

    async setPassword(id: number, passwordHash: string | null, now: Date): Promise<void> {
      await db
        .updateTable('users')
        .set({ passwordHash, updatedAt: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },

    async revokeSessions(id: number, now: Date): Promise<void> {
      await db.updateTable('users').set({ sessionsRevokedAt: now.toISOString() }).where('id', '=', id).execute();
    },

    async recordLogin(id: number, now: Date): Promise<void> {
      await db.updateTable('users').set({ lastLoginAt: now.toISOString() }).where('id', '=', id).execute();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
