/**
 * {{#if (hasEntries errors)}}: Handlebars takes any object for true, so a form rendered with no
 * errors yet ({}) would show an empty error summary.
 */
export function hasEntries(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
