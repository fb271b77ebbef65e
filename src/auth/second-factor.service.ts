import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit.repository';
import { ACCOUNT_POLICY, type ThrottleState, isLocked, registerFailure } from '../domain/login-throttle';
import {
  RECOVERY_CODE_COUNT,
  type SecondFactorStep,
  decideCode,
  readSecondFactorInput,
  recoveryCodeFrom,
  secondFactorRequired,
  secondFactorStep,
} from '../domain/second-factor';
import type { SecretBox } from './secret-box';
import type { SecondFactorRepository } from './second-factor.repository';
import { groupedSecret, matchingStep, newTotpSecret, otpauthUri, qrCodeSvg } from './totp';

/** The login throttle's store, as the password step uses it: codes are throttled the same way. */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleState | undefined>;
  update(key: string, change: (state: ThrottleState | undefined) => ThrottleState): Promise<ThrottleState>;
  clear(key: string): Promise<void>;
}

/** Wrong codes of an account, counted under this key of the login throttle (cleared with a new password). */
export const secondFactorThrottleKey = (userId: number) => `second-factor:${userId}`;

export interface SecondFactorDeps {
  repository: SecondFactorRepository;
  box: SecretBox;
  throttle: ThrottleStore;
  audit: AuditLog;
  now: () => Date;
}

type Account = { id: number; role: 'admin' | 'rep'; email: string };

export type CodeOutcome =
  | { ok: true; via: 'totp' | 'recovery'; recoveryCodesLeft: number }
  | { ok: false; reason: 'wrong' | 'replayed' }
  | { ok: false; reason: 'locked'; until: Date };

type Locked = { ok: false; reason: 'locked'; until: Date };

export type Enrolment = { secret: string; groupedSecret: string; uri: string; qrSvg: string };

/** The audit's name for an account's second factor (its id is the account's). */
const ENTITY = 'second_factor';

function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    const code = recoveryCodeFrom(randomBytes(32));
    if (code) codes.add(code);
  }
  return [...codes];
}

/** TOTP second factor: enrolment, the login's second step, recovery codes, an administrator's reset. */
export function createSecondFactorService(deps: SecondFactorDeps) {
  const { repository, box, throttle, audit, now } = deps;
  const context = (userId: number) => `user:${userId}`;
  // A pending secret is sealed apart: it cannot be moved into the account's row as a confirmed one.
  const pendingContext = (userId: number) => `pending:user:${userId}`;
  const throttleKey = secondFactorThrottleKey;

  async function enrolledSecret(userId: number): Promise<string | null> {
    const record = await repository.find(userId);
    if (!record?.secretBox || !record.confirmedAt) return null;
    return box.open(record.secretBox, context(userId));
  }

  /** Runs one attempt under the throttle: a failure counts like a wrong password, a success clears it. */
  async function throttled<T extends { ok: boolean }>(userId: number, attempt: () => Promise<T>): Promise<T | Locked> {
    const at = now();
    const state = await throttle.get(throttleKey(userId));
    const until = isLocked(state, at);
    if (until) return { ok: false, reason: 'locked', until };
    const outcome = await attempt();
    if (outcome.ok) await throttle.clear(throttleKey(userId));
    // Counted from the state as it is now, in one transaction, as the password step counts (no await
    // is real I/O here today, so codes cannot race yet; a slower check would make them).
    else await throttle.update(throttleKey(userId), (current) => registerFailure(current, at, ACCOUNT_POLICY));
    return outcome;
  }

  async function checkTotp(userId: number, secret: string, code: string): Promise<CodeOutcome> {
    const record = await repository.find(userId);
    const decision = decideCode(matchingStep(secret, code, now()), record?.lastUsedStep ?? null);
    if (decision.kind !== 'accepted') return { ok: false, reason: decision.kind };
    // Another request may have accepted this step meanwhile: only one wins.
    if (!(await repository.useStep(userId, decision.step, now()))) return { ok: false, reason: 'replayed' };
    return { ok: true, via: 'totp', recoveryCodesLeft: await repository.unusedRecoveryCodes(userId) };
  }

  return {
    async requiredForReps(): Promise<boolean> {
      return repository.requiredForReps();
    },

    async setRequiredForReps(actorId: number, required: boolean): Promise<void> {
      await repository.setRequiredForReps(required);
      await audit.record({ actorUserId: actorId, action: 'update', entityType: 'second_factor_policy', entityId: required ? 'reps_required' : 'reps_optional' });
    },

    /** What follows a right password for this account. */
    async stepAfterPassword(account: Pick<Account, 'id' | 'role'>): Promise<SecondFactorStep> {
      const record = await repository.find(account.id);
      const enrolled = Boolean(record?.confirmedAt);
      return secondFactorStep({ role: account.role, enrolled, requiredForReps: enrolled ? false : await repository.requiredForReps() });
    },

    async status(account: Pick<Account, 'id' | 'role'>) {
      const record = await repository.find(account.id);
      const enrolled = Boolean(record?.confirmedAt);
      return {
        enrolled,
        enrolledAt: record?.confirmedAt ?? null,
        required: secondFactorRequired(account.role, await repository.requiredForReps()),
        recoveryCodesLeft: enrolled ? await repository.unusedRecoveryCodes(account.id) : 0,
      };
    },

    /**
     * The secret to scan, sealed for the session until a first code confirms it (nothing is
     * stored before: a page read changes nothing). Reloading the page shows the same secret, so
     * an app that already scanned it still works. Null when the account already has a factor.
     */
    async beginEnrolment(account: Pick<Account, 'id' | 'email'>, pendingBox: string | undefined): Promise<(Enrolment & { pendingBox: string }) | null> {
      if ((await repository.find(account.id))?.confirmedAt) return null;
      let secret = pendingBox ? box.open(pendingBox, pendingContext(account.id)) : null;
      if (!secret || !pendingBox) {
        secret = newTotpSecret();
        pendingBox = box.seal(secret, pendingContext(account.id));
      }
      const uri = otpauthUri(secret, account.email);
      return { secret, groupedSecret: groupedSecret(secret), uri, qrSvg: await qrCodeSvg(uri), pendingBox };
    },

    /** A first code proves the app works: the factor is on, and ten recovery codes are made (shown once). */
    async confirmEnrolment(
      account: Pick<Account, 'id'>,
      pendingBox: string | undefined,
      raw: string,
    ): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: 'not_pending' } | Exclude<CodeOutcome, { ok: true }>> {
      const secret = pendingBox ? box.open(pendingBox, pendingContext(account.id)) : null;
      if (!secret || (await repository.find(account.id))?.confirmedAt) return { ok: false, reason: 'not_pending' };
      const input = readSecondFactorInput(raw);
      const outcome = await throttled(account.id, async (): Promise<{ ok: true; step: number } | { ok: false; reason: 'wrong' }> => {
        const step = input.kind === 'totp' ? matchingStep(secret, input.code, now()) : null;
        return step === null ? { ok: false, reason: 'wrong' } : { ok: true, step };
      });
      if (!outcome.ok) return outcome;
      const recoveryCodes = newRecoveryCodes();
      await repository.enable(account.id, box.seal(secret, context(account.id)), outcome.step, recoveryCodes.map((c) => box.hashRecoveryCode(c)), now());
      await audit.record({ actorUserId: account.id, action: 'create', entityType: ENTITY, entityId: account.id });
      return { ok: true, recoveryCodes };
    },

    /** The login's second step: a code of the app (once per time step) or a recovery code (once). */
    async verify(userId: number, raw: string): Promise<CodeOutcome> {
      const outcome = await throttled(userId, async (): Promise<CodeOutcome> => {
        const input = readSecondFactorInput(raw);
        if (input.kind === 'invalid') return { ok: false, reason: 'wrong' };
        if (input.kind === 'recovery') {
          if (!(await repository.spendRecoveryCode(userId, box.hashRecoveryCode(input.code), now()))) return { ok: false, reason: 'wrong' };
          return { ok: true, via: 'recovery', recoveryCodesLeft: await repository.unusedRecoveryCodes(userId) };
        }
        const secret = await enrolledSecret(userId);
        if (!secret) return { ok: false, reason: 'wrong' };
        return checkTotp(userId, secret, input.code);
      });
      if (!outcome.ok && outcome.reason !== 'locked') {
        await audit.record({ actorUserId: userId, action: 'login_failed', entityType: ENTITY, entityId: userId });
      } else if (outcome.ok && outcome.via === 'recovery') {
        await audit.record({ actorUserId: userId, action: 'update', entityType: ENTITY, entityId: userId });
      }
      return outcome;
    },

    /** New recovery codes, the old ones void: asked with a current code of the app. */
    async renewRecoveryCodes(account: Pick<Account, 'id'>, raw: string): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<CodeOutcome, { ok: true }>> {
      const outcome = await this.verify(account.id, raw);
      if (!outcome.ok) return outcome;
      const recoveryCodes = newRecoveryCodes();
      await repository.replaceRecoveryCodes(account.id, recoveryCodes.map((c) => box.hashRecoveryCode(c)), now());
      await audit.record({ actorUserId: account.id, action: 'update', entityType: ENTITY, entityId: account.id });
      return { ok: true, recoveryCodes };
    },

    /** A rep whose factor is optional may turn it off, with a current code. */
    async disable(account: Pick<Account, 'id' | 'role'>, raw: string): Promise<{ ok: true } | { ok: false; reason: 'required' } | Exclude<CodeOutcome, { ok: true }>> {
      if (secondFactorRequired(account.role, await repository.requiredForReps())) return { ok: false, reason: 'required' };
      const outcome = await this.verify(account.id, raw);
      if (!outcome.ok) return outcome;
      await repository.remove(account.id);
      await audit.record({ actorUserId: account.id, action: 'delete', entityType: ENTITY, entityId: account.id });
      return { ok: true };
    },

    /**
     * An administrator's reset (a lost phone), or the console's (`cli user:reset-2fa`, for an
     * administrator who lost theirs with no one else to reset it): the holder enrols again, and is
     * told at next login.
     */
    async reset(actorId: number | 'cli', userId: number): Promise<void> {
      const byConsole = actorId === 'cli';
      await repository.reset(userId, byConsole ? null : actorId, now());
      await throttle.clear(throttleKey(userId));
      await audit.record({ actorUserId: byConsole ? null : actorId, ...(byConsole ? { actorLabel: 'cli' } : {}), action: 'delete', entityType: ENTITY, entityId: userId });
    },

    takeResetNotice: (userId: number) => repository.takeResetNotice(userId),
  };
}

export type SecondFactorService = ReturnType<typeof createSecondFactorService>;
