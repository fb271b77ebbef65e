import type { AccountTokensRepository } from '../auth/account-tokens.repository';
import type { SqliteSessionStore } from '../auth/session-store';
import type { AuditLog } from '../audit/audit.repository';
import type { Role } from '../db/schema';
import type { UsersRepository } from './users.repository';

export interface AccountsDeps {
  users: UsersRepository;
  tokens: AccountTokensRepository;
  sessions: SqliteSessionStore;
  audit: AuditLog;
  now: () => Date;
  invitationLinkDays: number;
}

export type AccountLink = { token: string; expiresAt: Date };

/** What administrators do to accounts. Each change is audited; nothing here knows about HTTP. */
export function createAccountsService(deps: AccountsDeps) {
  const { users, tokens, sessions, audit, now } = deps;
  const linkValidity = () => deps.invitationLinkDays * 86_400_000;

  return {
    list: () => users.list(),
    findById: (userId: number) => users.findById(userId),

    /** The account's latest audit entries, this administrator's view of it recorded first. */
    async openedBy(actorId: number, userId: number) {
      await audit.record({ actorUserId: actorId, action: 'view', entityType: 'user', entityId: userId });
      return { auditTrail: () => audit.forEntity('user', userId) };
    },

    async invite(
      actorId: number,
      input: { email: string; name: string; role: Role; regions: string[] },
    ): Promise<{ ok: true; userId: number; link: AccountLink } | { ok: false; reason: 'email_taken' }> {
      if (await users.findByEmail(input.email)) return { ok: false, reason: 'email_taken' };
      const userId = await users.create({ ...input, status: 'invited', passwordHash: null, now: now() });
      await audit.record({ actorUserId: actorId, action: 'create', entityType: 'user', entityId: userId });
      const link = await tokens.issue({
        purpose: 'invitation',
        userId,
        createdBy: actorId,
        now: now(),
        validForMs: linkValidity(),
      });
      return { ok: true, userId, link };
    },

    async update(actorId: number, userId: number, input: { name: string; role: Role; regions: string[] }) {
      await users.update(userId, { ...input, now: now() });
      await audit.record({ actorUserId: actorId, action: 'update', entityType: 'user', entityId: userId });
    },

    /** Disabling ends the account's sessions and voids its pending links at once. */
    async disable(actorId: number, userId: number): Promise<void> {
      await users.setStatus(userId, 'disabled', now());
      await users.revokeSessions(userId, now());
      await sessions.destroyForUser(userId);
      await tokens.voidForUser(userId, now());
      await audit.record({ actorUserId: actorId, action: 'update', entityType: 'user', entityId: userId });
    },

    async enable(actorId: number, userId: number): Promise<void> {
      const user = await users.findById(userId);
      await users.setStatus(userId, user?.passwordHash ? 'active' : 'invited', now());
      await audit.record({ actorUserId: actorId, action: 'update', entityType: 'user', entityId: userId });
    },

    /**
   * A reset voids the old password and ends the account's sessions, in case it was compromised;
   * the link lets its holder choose a new one.
   */
    async issueResetLink(actorId: number, userId: number): Promise<AccountLink> {
      const user = await users.findById(userId);
      const purpose = user?.status === 'invited' ? 'invitation' : 'reset';
      await users.setPassword(userId, null, now());
      await users.revokeSessions(userId, now());
      await sessions.destroyForUser(userId);
      const link = await tokens.issue({ purpose, userId, createdBy: actorId, now: now(), validForMs: linkValidity() });
      await audit.record({ actorUserId: actorId, action: 'update', entityType: 'user', entityId: userId });
      return link;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
