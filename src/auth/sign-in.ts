import type { Request } from 'express';

/** A fresh session id at every sign-in: a session id planted before login is worthless after it. */
export async function signIn(req: Request, userId: number, now: Date): Promise<void> {
  const returnTo = req.session.returnTo;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = userId;
  req.session.authenticatedAt = now.getTime();
  req.session.returnTo = returnTo;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export async function signOut(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}
