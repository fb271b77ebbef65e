/** {{#if (includes list value)}}: for ticking the checkboxes a form had selected. */
export function includes(list: unknown, value: unknown): boolean {
  return Array.isArray(list) && list.some((item) => String(item) === String(value));
}
