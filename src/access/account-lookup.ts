import type { User } from './user';

/** What the web layer needs to know of an account on each request: who, and whether their sessions still hold. */
export interface AccountLookup {
  findById(id: number): Promise<(User & { passwordHash?: string | null; sessionsRevokedAt: string | null }) | undefined>;
}
