/**
 * Text as the PDF and DOCX renderers write it: the model's plain text with Windows line ends
 * made "\n", tabs made spaces, and the other control characters dropped (a PDF would show them
 * as boxes, and they are not even allowed in the XML of a DOCX, which Word then refuses to open).
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '');
}

/** Lone surrogates are not valid XML either: keep only complete pairs. */
export function cleanXmlText(text: string): string {
  return cleanText(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}
