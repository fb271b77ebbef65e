/** Which body of law a legal reference belongs to: the Code du travail (private), the public agents' decree, or both. */
export type ReferenceScope = 'private' | 'public' | 'all';

/**
 * The Code du travail's disciplinary rules do not apply to public-law agents, and the rules of
 * their decree do not apply to private-law staff: a brief cites only what governs this agent.
 * While the agent's status is unknown, everything may be cited.
 */
export function citableFor(ref: { appliesTo: ReferenceScope }, status: string): boolean {
  if (status === 'public') return ref.appliesTo !== 'private';
  if (status === 'private') return ref.appliesTo !== 'public';
  return true;
}
