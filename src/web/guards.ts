import type { Request, RequestHandler, Response } from 'express';
import type { User } from '../access/user';
import { forbidden } from './errors';

/** Only same-site paths may be used as a return address after login. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  return value;
}

export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.currentUser) return next();
  if (req.method === 'GET') req.session.returnTo = safeReturnPath(req.originalUrl);
  res.redirect(303, '/connexion');
};

export const requireAdmin: RequestHandler = (req, res, next) => {
  if (!res.locals.currentUser) return requireUser(req, res, next);
  if (res.locals.currentUser.role !== 'admin') return next(forbidden());
  next();
};

/** The signed-in user, for handlers mounted behind requireUser. */
export function currentUser(res: Response): User {
  const user = res.locals.currentUser;
  if (!user) throw new Error('currentUser() used on a route without requireUser');
  return user;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string;
  }
}
