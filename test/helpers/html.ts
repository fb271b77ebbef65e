/**
 * Reading the app's HTML pages as text, for the supertest suites under test/http.
 */

/** Undoes Handlebars' escaping, to read text as the browser shows it. */
export function decode(html: string): string {
  return html
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of a page, tags and escaping removed, whitespace (French no-break spaces included) collapsed. */
export function text(html: string): string {
  return decode(html.replace(/<[^>]+>/g, ' ')).replace(/[\s\u202f\u00a0]+/g, ' ');
}

/** A literal string as a RegExp source, for patterns built around names and URLs a test chose. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
