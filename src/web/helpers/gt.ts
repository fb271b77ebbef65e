/** {{#if (gt a b)}}: numeric comparison. */
export function gt(a: unknown, b: unknown): boolean {
  return Number(a) > Number(b);
}
