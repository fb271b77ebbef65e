import type { AuditLog } from '../audit/audit.repository';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  isLocked,
  registerFailure,
} from '../domain/login-throttle';
import type { UserWithSecret, UsersRepository } from '../users/users.repository';
import type { AccountTokensRepository } from './account-tokens.repository';
import type { LoginThrottleRepository } from './login-throttle.repository';
import { checkNewPassword } from './password-strength';
import { oneAtATime } from './one-at-a-time';
import { secondFactorThrottleKey } from './second-factor.service';
import { hashPassword, verifyPassword } from './passwords';
import type { ThrottleKeys } from './throttle-keys';

export type LoginOutcome =
  | { ok: true; user: UserWithSecret }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

export type WeakPassword = { ok: false; reason: 'weak_password'; message: string };

export type PasswordChange =
  | { ok: true; otherSessionsEnded: number }
  | { ok: false; reason: 'wrong_current' }
  | { ok: false; reason: 'locked'; until: Date }
  | WeakPassword;

export interface AuthDeps {
  users: UsersRepository;
  tokens: AccountTokensRepository;
  throttle: LoginThrottleRepository;
  throttleKeys: ThrottleKeys;
  audit: AuditLog;
  now: () => Date;
  setupLinkHours: number;
  /** Other sessions end when the password is changed from one of them. */
  sessions: { destroyOthersOf(userId: number, keptSid: string): Promise<number> };
}

export function createAuthService(deps: AuthDeps) {
  const { users, tokens, throttle, throttleKeys, audit, now, sessions } = deps;
  // Password checks from one client network wait for each other: a burst of guesses sent at once
  // would otherwise all pass the lock check before the first failure was counted.
  const byNetwork = oneAtATime();

  /** A password tried for this account from this client: the two throttle keys it counts under. */
  const keysFor = (email: string, ip: string) => ({ account: throttleKeys.accountAtAddress(email, ip), address: throttleKeys.address(ip) });

  /** Until when a password may not be tried under these keys, if either is locked. */
  async function lockOn(keys: { account: string; address: string }, at: Date): Promise<Date | null> {
    const [accountState, addressState] = await Promise.all([throttle.get(keys.account), throttle.get(keys.address)]);
    return isLocked(accountState, at) ?? isLocked(addressState, at);
  }

  /** A wrong password, counted under both keys, and in the account's journal when there is one. */
  async function countFailure(keys: { account: string; address: string }, at: Date, userId: number | undefined): Promise<void> {
    await throttle.update(keys.account, (state) => registerFailure(state, at, ACCOUNT_POLICY));
    await throttle.update(keys.address, (state) => registerFailure(state, at, ADDRESS_POLICY));
    if (userId !== undefined) await audit.record({ actorUserId: userId, action: 'login_failed', entityType: 'user', entityId: userId });
  }

  async function loginNow(email: string, password: string, ip: string): Promise<LoginOutcome> {
    const at = now();
    const keys = keysFor(email, ip);
    const lockedUntil = await lockOn(keys, at);
    if (lockedUntil) return { ok: false, reason: 'locked', until: lockedUntil };

    const user = await users.findByEmail(email);
    const passwordOk = await verifyPassword(user?.passwordHash, password);
    if (!user || !passwordOk || user.status !== 'active') {
      await countFailure(keys, at, user?.id);
      return { ok: false, reason: 'invalid' };
    }
    await throttle.clear(keys.account);
    await users.recordLogin(user.id, at);
    await audit.record({ actorUserId: user.id, action: 'login', entityType: 'user', entityId: user.id });
    return { ok: true, user };
  }

  async function changePasswordNow(userId: number, current: string, next: string, context: { ip: string; sessionId: string }): Promise<PasswordChange> {
    const at = now();
    const user = await users.findById(userId);
    if (!user) return { ok: false, reason: 'wrong_current' };
    const keys = keysFor(user.email, context.ip);
    const lockedUntil = await lockOn(keys, at);
    if (lockedUntil) return { ok: false, reason: 'locked', until: lockedUntil };
    if (!(await verifyPassword(user.passwordHash, current))) {
      await countFailure(keys, at, user.id);
      return { ok: false, reason: 'wrong_current' };
    }
    const verdict = await checkNewPassword(next, user);
    if (!verdict.ok) return { ok: false, reason: 'weak_password', message: verdict.message };
    await users.setPassword(user.id, await hashPassword(next), now());
    await throttle.clearPrefix(throttleKeys.accountPrefix(user.email));
    const otherSessionsEnded = await sessions.destroyOthersOf(user.id, context.sessionId);
    await audit.record({ actorUserId: user.id, action: 'update', entityType: 'user', entityId: user.id });
    return { ok: true, otherSessionsEnded };
  }

  return {
    /**
     * Failures count per client address and per account at that address, never per account alone:
     * whoever guesses from one network is slowed there, and cannot lock the owner out elsewhere.
     */
    login(email: string, password: string, ip: string): Promise<LoginOutcome> {
      return byNetwork(throttleKeys.address(ip), () => loginNow(email, password, ip));
    },

    /** Forgets failures that no longer count (the server's timer, with the sessions). */
    pruneThrottle: () => throttle.prune(now()),

    /** When no administrator can sign in, a one-time link lets the first one set up their account. */
    async issueSetupLinkIfNeeded(): Promise<{ token: string; expiresAt: Date } | null> {
      if ((await users.countActiveAdmins()) > 0) return null;
      return tokens.issue({
        purpose: 'setup',
        userId: null,
        createdBy: null,
        now: now(),
        validForMs: deps.setupLinkHours * 3_600_000,
      });
    },

    async findSetupToken(token: string) {
      const found = await tokens.findUsable(token, now());
      return found?.purpose === 'setup' ? found : undefined;
    },

    async completeSetup(
      token: string,
      input: { email: string; name: string; password: string },
    ): Promise<{ ok: true; user: UserWithSecret } | { ok: false; reason: 'invalid_link' | 'email_taken' } | WeakPassword> {
      const found = await this.findSetupToken(token);
      if (!found) return { ok: false, reason: 'invalid_link' };
      if (await users.findByEmail(input.email)) return { ok: false, reason: 'email_taken' };
      const verdict = await checkNewPassword(input.password, input);
      if (!verdict.ok) return { ok: false, reason: 'weak_password', message: verdict.message };
      const passwordHash = await hashPassword(input.password);
      if (!(await tokens.consume(found.id, now()))) return { ok: false, reason: 'invalid_link' };
      const id = await users.create({
        email: input.email,
        name: input.name,
        role: 'admin',
        status: 'active',
        passwordHash,
        regions: [],
        now: now(),
      });
      await audit.record({ actorUserId: id, action: 'create', entityType: 'user', entityId: id });
      const user = await users.findById(id);
      return { ok: true, user: user! };
    },

    /** Invitation and reset links: the holder chooses a new password for the linked account. */
    async findPasswordToken(token: string) {
      const found = await tokens.findUsable(token, now());
      if (!found || found.purpose === 'setup' || found.userId === null) return undefined;
      const user = await users.findById(found.userId);
      if (!user || user.status === 'disabled') return undefined;
      return { token: found, user };
    },

    async logout(userId: number): Promise<void> {
      await audit.record({ actorUserId: userId, action: 'logout', entityType: 'user', entityId: userId });
    },

    /**
     * A signed-in account changes its password: the current one is asked (a session left open must
     * not be enough), wrong ones count as failed logins from that address, and every other session
     * of the account ends — whoever else holds the old password, or a session, is out.
     */
    changePassword(userId: number, current: string, next: string, context: { ip: string; sessionId: string }): Promise<PasswordChange> {
      return byNetwork(throttleKeys.address(context.ip), () => changePasswordNow(userId, current, next, context));
    },

    async choosePassword(
      token: string,
      password: string,
    ): Promise<{ ok: true; user: UserWithSecret } | { ok: false; reason: 'invalid_link' } | WeakPassword> {
      const found = await this.findPasswordToken(token);
      if (!found) return { ok: false, reason: 'invalid_link' };
      const verdict = await checkNewPassword(password, found.user);
      if (!verdict.ok) return { ok: false, reason: 'weak_password', message: verdict.message };
      const passwordHash = await hashPassword(password);
      if (!(await tokens.consume(found.token.id, now()))) return { ok: false, reason: 'invalid_link' };
      await users.setPassword(found.user.id, passwordHash, now());
      if (found.user.status === 'invited') await users.setStatus(found.user.id, 'active', now());
      await throttle.clearPrefix(throttleKeys.accountPrefix(found.user.email));
      // A lock on the code step too: someone who knew the old password may have run it up.
      await throttle.clear(secondFactorThrottleKey(found.user.id));
      await audit.record({ actorUserId: found.user.id, action: 'update', entityType: 'user', entityId: found.user.id });
      const user = await users.findById(found.user.id);
      return user ? { ok: true, user } : { ok: false, reason: 'invalid_link' };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
