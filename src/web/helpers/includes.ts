/**
 * {{#if (includes list value)}}: for ticking the checkboxes a form had selected. A form that comes
 * back with one box ticked holds a plain string, not a list.
 */
export function includes(list: unknown, value: unknown): boolean {
  const items = Array.isArray(list) ? list : typeof list === 'string' ? [list] : [];
  return items.some((item) => String(item) === String(value));
}
