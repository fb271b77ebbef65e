/**
 * The rules of the second factor that need no I/O: which time steps a TOTP code may come from,
 * when a matching code is still refused (a replay), what a recovery code looks like, and who must
 * give a code or enrol. The codes themselves are computed in src/auth/totp.ts.
 */

/** RFC 6238's usual period: a code changes every 30 seconds. */
export const TOTP_PERIOD_SECONDS = 30;

/** One step either side: a phone's clock a little off, or a code typed as it changed, still works. */
export const TOTP_WINDOW_STEPS = 1;

export const RECOVERY_CODE_COUNT = 10;

/** Lower-case letters and digits a reader cannot confuse (no 0/o, 1/l/i). */
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUP = 5;
const RECOVERY_LENGTH = 10;

export function timeStepAt(at: Date, periodSeconds = TOTP_PERIOD_SECONDS): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/** The steps a code typed now may belong to, the current one first. */
export function candidateSteps(currentStep: number, window = TOTP_WINDOW_STEPS): number[] {
  const steps = [currentStep];
  for (let d = 1; d <= window; d += 1) steps.push(currentStep - d, currentStep + d);
  return steps;
}

export type CodeDecision = { kind: 'accepted'; step: number } | { kind: 'wrong' } | { kind: 'replayed' };

/**
 * A code is accepted once: its step must come after the last accepted one. A code of an earlier
 * step than the last accepted one is refused too, so an eavesdropped code cannot be used after the
 * owner's own, later one (RFC 6238, section 5.2).
 */
export function decideCode(matchedStep: number | null, lastUsedStep: number | null): CodeDecision {
  if (matchedStep === null) return { kind: 'wrong' };
  if (lastUsedStep !== null && matchedStep <= lastUsedStep) return { kind: 'replayed' };
  return { kind: 'accepted', step: matchedStep };
}

/**
 * A recovery code from random bytes, one character per byte. 256 is not a multiple of the
 * alphabet's 31 letters, so bytes from 248 up are skipped to keep every letter equally likely; null
 * when too few bytes were left (give 32: the chance of that is below 10^-12).
 */
export function recoveryCodeFrom(bytes: Uint8Array): string | null {
  const limit = 256 - (256 % RECOVERY_ALPHABET.length);
  let code = '';
  for (const byte of bytes) {
    if (byte >= limit) continue;
    code += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
    if (code.length === RECOVERY_LENGTH) return `${code.slice(0, RECOVERY_GROUP)}-${code.slice(RECOVERY_GROUP)}`;
  }
  return null;
}

/** What the holder typed, as a TOTP code, a recovery code (in its stored form), or neither. */
export type SecondFactorInput = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | { kind: 'invalid' };

export function readSecondFactorInput(raw: string): SecondFactorInput {
  const compact = raw.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  if (compact.length === RECOVERY_LENGTH && [...compact].every((c) => RECOVERY_ALPHABET.includes(c))) {
    return { kind: 'recovery', code: `${compact.slice(0, RECOVERY_GROUP)}-${compact.slice(RECOVERY_GROUP)}` };
  }
  return { kind: 'invalid' };
}

/**
 * After the password: `code` asks for a code before signing in; `enrol` signs in to the enrolment
 * page only; `none` signs in. Administrators must have a second factor; reps too when an
 * administrator requires it.
 */
export type SecondFactorStep = 'code' | 'enrol' | 'none';

export function secondFactorStep(input: { role: 'admin' | 'rep'; enrolled: boolean; requiredForReps: boolean }): SecondFactorStep {
  if (input.enrolled) return 'code';
  const required = input.role === 'admin' || input.requiredForReps;
  return required ? 'enrol' : 'none';
}

export function secondFactorRequired(role: 'admin' | 'rep', requiredForReps: boolean): boolean {
  return role === 'admin' || requiredForReps;
}
