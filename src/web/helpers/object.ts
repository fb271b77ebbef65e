/** {{> partial form=(object values=values errors=errors)}}: builds a small object from hash arguments. */
export function object(options: { hash?: Record<string, unknown> }): Record<string, unknown> {
  return { ...(options?.hash ?? {}) };
}
