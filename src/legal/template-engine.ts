import Handlebars from 'handlebars';

/**
 * Handlebars for document texts (not pages): the output is plain text that the document renderers
 * escape for HTML, PDF or DOCX, so nothing is HTML-escaped here.
 */
export const documentHandlebars = Handlebars.create();
documentHandlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
documentHandlebars.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
documentHandlebars.registerHelper('join', (list: unknown) => (Array.isArray(list) ? list.join(', ') : ''));
/** {{plural n "consultation" "consultations"}}: the word that agrees with the number. */
documentHandlebars.registerHelper('plural', (n: unknown, one: unknown, many: unknown) => (Number(n) > 1 ? String(many) : String(one)));
/**
 * {{accord "convoqué" "convoquée"}}: the form that agrees with the agent's civility. Templates
 * use it only where the civility is known ({{#if agent.civility}}): without it, a sentence is
 * written so that it needs no agreement, never « convoqué·e » after a name.
 */
documentHandlebars.registerHelper('accord', function (this: unknown, masculine: unknown, feminine: unknown, options: Handlebars.HelperOptions) {
  const civility = (options.data?.root as { agent?: { civility?: string | null } } | undefined)?.agent?.civility;
  if (civility === 'madame') return String(feminine);
  if (civility === 'monsieur') return String(masculine);
  return `${String(masculine)}·e`;
});
/** {{sentence text}}: the rep's own words, closed by a full stop when they end without punctuation. */
documentHandlebars.registerHelper('sentence', (text: unknown) => endSentence(String(text ?? '')));
/** {{lowerFirst text}}: a sentence continued after « D’après …, » (an acronym's capitals kept). */
documentHandlebars.registerHelper('lowerFirst', (text: unknown) => {
  const value = String(text ?? '');
  return /^\p{Lu}\p{Ll}/u.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value;
});

export type TextTemplate = (context: object) => string;

export function compileText(source: string): TextTemplate {
  const template = documentHandlebars.compile(source, { noEscape: true, strict: false, preventIndent: true });
  return (context) => tidy(template(context));
}

/** The rep's or the agent's words as a sentence: a capital first, a full stop last when they have none. */
export function endSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…»)"]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * Collapses what optional sections leave behind (trailing spaces, runs of blank lines) and applies
 * French typography.
 */
function tidy(text: string): string {
  return frenchTypography(
    text
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      // A value ending in an abbreviation's full stop (« n.c. ») at the end of a sentence: one stop, not
      // two. An ellipsis (« ... ») is left alone.
      .replace(/(?<=\p{L})\.\.(?!\.)/gu, '.'),
  ).trim();
}

/**
 * French typography for any text of a document: one apostrophe (’), « » with narrow no-break
 * spaces inside, a no-break space before ; : ! ? and after n°, so a line never starts with « » »
 * or « ; » nor ends with « « » or « n° ».
 */
export function frenchTypography(text: string): string {
  // Every text of every document goes through here, most of them more than once: a rule runs only
  // when its character is there.
  let out = text;
  if (out.includes("'")) out = out.replace(/(\p{L})'(?=\p{L}|\s|$)/gmu, '$1’');
  if (out.includes('«')) out = out.replace(/«[ \u00A0\u202F]*/g, '«\u202F');
  if (out.includes('»')) out = out.replace(/[ \u00A0\u202F]*»/g, '\u202F»');
  if (PUNCTUATION.test(out)) out = out.replace(/[ \u00A0]([;:!?])/g, '\u202F$1');
  if (out.includes('°')) out = out.replace(/\b(n°|N°) /g, '$1\u00A0');
  return out;
}

const PUNCTUATION = /[;:!?]/;
