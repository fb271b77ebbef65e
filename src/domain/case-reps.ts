/** What the rules below read of an account: its id, whether it is an admin, the regions it covers. */
type Rep = { id: number; role: string; regions: readonly string[] };

/** Reps chosen for a case who do not cover its region (admins cover every region). */
export function repsOutsideRegion<R extends Rep>(reps: readonly R[], repIds: readonly number[], regionCode: string): R[] {
  return reps.filter((r) => repIds.includes(r.id) && r.role !== 'admin' && !r.regions.includes(regionCode));
}

/** The reps a user may assign to a case: admins, and reps who cover one of the user's regions. */
export function assignableReps<R extends Pick<Rep, 'role' | 'regions'>>(active: readonly R[], scopeRegionCodes: readonly string[]): R[] {
  const codes = new Set(scopeRegionCodes);
  return active.filter((u) => u.role === 'admin' || u.regions.some((r) => codes.has(r)));
}
