/** {{#if (eq a b)}}: strict equality, comparing as strings so form values match numeric ids. */
export function eq(a: unknown, b: unknown): boolean {
  return a != null && b != null && String(a) === String(b);
}
