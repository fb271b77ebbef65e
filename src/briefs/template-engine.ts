import Handlebars from 'handlebars';

/**
 * Handlebars for document texts (not pages): the output is plain text that the document renderers
 * escape for HTML, PDF or DOCX, so nothing is HTML-escaped here.
 */
export const documentHandlebars = Handlebars.create();
documentHandlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
documentHandlebars.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
documentHandlebars.registerHelper('join', (list: unknown) => (Array.isArray(list) ? list.join(', ') : ''));

export type TextTemplate = (context: object) => string;

export function compileText(source: string): TextTemplate {
  const template = documentHandlebars.compile(source, { noEscape: true, strict: false, preventIndent: true });
  return (context) => tidy(template(context));
}

/**
 * Collapses what optional sections leave behind (trailing spaces, runs of blank lines) and applies
 * French typography, so a line never starts with « » » or « ; » nor ends with « « » or « n° ».
 */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/« /g, '«\u202F')
    .replace(/ »/g, '\u202F»')
    .replace(/ ([;:!?])/g, '\u202F$1')
    .replace(/\b(n°|N°) /g, '$1\u00A0')
    .trim();
}
