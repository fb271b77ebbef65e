import assert from 'node:assert/strict';

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

/** What a textarea holds, as the browser will show it. */
export function textareaValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<textarea [^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]!) : undefined;
}

/** The value of a text input, as the browser will show it. */
export function inputValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input [^>]*name="${name}"[^>]*>`).exec(html);
  if (!m) return undefined;
  return decode(/value="([^"]*)"/.exec(m[0])?.[1] ?? '');
}

/** The « Aperçu » of a composer page (brief review, declaration compose) up to `end`, or undefined when there is none. */
export function previewOf(html: string, end: string): string | undefined {
  const start = html.indexOf('id="apercu"');
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf(end, start));
}

/** The document shown on a version page (brief or declaration). */
export function documentOf(html: string): string {
  const start = html.indexOf('<article class="document"');
  assert.ok(start >= 0, 'the page shows the document');
  return html.slice(start, html.indexOf('</article>', start));
}
