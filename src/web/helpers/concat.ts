/** {{concat "a_" id "_text"}}: builds a field name from parts. */
export function concat(...parts: unknown[]): string {
  return parts.map((p) => (p == null ? '' : String(p))).join('');
}
