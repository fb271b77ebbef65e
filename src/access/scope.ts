import type { User } from './user';

/** Which cases a user may see: admins all of them, reps those of the regions they cover. */
export type Scope = { kind: 'all' } | { kind: 'regions'; regions: readonly string[] };

export function scopeOf(user: Pick<User, 'role' | 'regions'>): Scope {
  return user.role === 'admin' ? { kind: 'all' } : { kind: 'regions', regions: user.regions };
}

export function inScope(scope: Scope, regionCode: string): boolean {
  return scope.kind === 'all' || scope.regions.includes(regionCode);
}
