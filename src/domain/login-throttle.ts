/**
 * When repeated login failures lock an account or an address, and for how long.
 * Locks grow with each failure past the threshold so guessing stays slow, but a rep who
 * mistyped a few times is back within minutes.
 */
export interface ThrottlePolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** First lock length, doubled with each further failure. */
  baseLockMinutes: number;
  maxLockMinutes: number;
  /** Failures older than this are forgotten. */
  windowMinutes: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseLockMinutes: 1,
  maxLockMinutes: 60,
  windowMinutes: 60,
};

/** An office's shared address sees many reps: it gets more room before locking. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseLockMinutes: 1,
  maxLockMinutes: 60,
  windowMinutes: 60,
};

/** After this long without a failure and past its lock, a throttle state counts for nothing: it may go. */
export const THROTTLE_FORGOTTEN_AFTER_MINUTES = Math.max(ACCOUNT_POLICY.windowMinutes, ADDRESS_POLICY.windowMinutes);

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export function isLocked(state: ThrottleState | undefined, now: Date): Date | null {
  if (!state?.lockedUntil) return null;
  return state.lockedUntil > now ? state.lockedUntil : null;
}

export function registerFailure(
  state: ThrottleState | undefined,
  now: Date,
  policy: ThrottlePolicy,
): ThrottleState {
  const stale =
    !state || now.getTime() - state.lastFailureAt.getTime() > policy.windowMinutes * 60_000;
  const failures = stale ? 1 : state.failures + 1;
  const beyond = failures - policy.freeFailures;
  if (beyond <= 0) return { failures, lastFailureAt: now, lockedUntil: null };
  const minutes = Math.min(policy.baseLockMinutes * 2 ** (beyond - 1), policy.maxLockMinutes);
  return { failures, lastFailureAt: now, lockedUntil: new Date(now.getTime() + minutes * 60_000) };
}
