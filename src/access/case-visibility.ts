import { inScope, scopeOf } from './scope';
import type { User } from './user';

/**
 * Whether a user may see a case: admins every case, reps the cases of the regions they cover. A
 * case nobody may see and a case that does not exist are the same to the caller (a 404 either way),
 * so that ids cannot be probed.
 */
export function maySeeCase(user: Pick<User, 'role' | 'regions'>, kase: { regionCode: string } | undefined): boolean {
  return kase !== undefined && inScope(scopeOf(user), kase.regionCode);
}

/** The case if the user may see it; undefined otherwise, whichever the reason. */
export function visibleTo<C extends { regionCode: string }>(user: Pick<User, 'role' | 'regions'>, kase: C | undefined): C | undefined {
  return maySeeCase(user, kase) ? kase : undefined;
}
