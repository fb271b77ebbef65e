import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** The password was right; the account waits for its code. The session is not signed in. */
    secondStep?: { userId: number; startedAt: number };
    /** Set at sign-in: `ok`, or `enrol` when the account must set up its second factor before any other page. */
    secondFactor?: 'ok' | 'enrol';
    /** The role `secondFactor` was judged for: judged again when an administrator changes it. */
    secondFactorRole?: 'admin' | 'rep';
    /** The secret being enrolled, sealed (src/auth/secret-box.ts): stored only once a first code confirms it. */
    secondFactorPending?: string;
  }
}

/** How long the code page waits after the password before the login starts over. */
export const SECOND_STEP_MINUTES = 10;

/**
 * After a right password, for an account with a second factor: a fresh session (no id planted
 * before the password survives it) that names the account but is not signed in.
 */
export async function beginSecondStep(req: Request, userId: number, now: Date): Promise<void> {
  const { returnTo, flash } = req.session;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.secondStep = { userId, startedAt: now.getTime() };
  req.session.returnTo = returnTo;
  req.session.flash = flash;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** The account waiting for its code, if the password was given recently enough. */
export function pendingSecondStep(req: Request, now: Date): number | undefined {
  const pending = req.session?.secondStep;
  if (!pending) return undefined;
  if (now.getTime() - pending.startedAt > SECOND_STEP_MINUTES * 60_000) return undefined;
  return pending.userId;
}
