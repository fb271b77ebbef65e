import type { Response } from 'express';
import type { DocumentModel } from '../documents/model';
import { renderDocx } from '../documents/render-docx';
import { renderPdf } from '../documents/render-pdf';

export type DocumentFormat = 'pdf' | 'docx';

const CONTENT_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * Sends a document model as a file: the one place that knows the headers of each format.
 * `inline` opens a public guide in the browser; letters and briefs are downloaded.
 */
export async function sendDocument(
  res: Response,
  model: DocumentModel,
  format: DocumentFormat,
  options: { inline?: boolean } = {},
): Promise<void> {
  res.set('Content-Type', CONTENT_TYPES[format]);
  res.set('Content-Disposition', `${options.inline ? 'inline' : 'attachment'}; filename="${model.fileName}.${format}"`);
  if (format === 'docx') {
    res.send(await renderDocx(model));
    return;
  }
  // Laid out before the first byte is sent, so a model that cannot be rendered still gets an error page.
  renderPdf(model).pipe(res);
}

/** The `12`, `12.pdf` or `12.docx` of a document URL: which version, and which format if any. */
export function documentFileParam(value: unknown): { id: number; format?: DocumentFormat } | undefined {
  const match = /^([1-9]\d{0,15})(?:\.(pdf|docx))?$/.exec(String(value));
  if (!match) return undefined;
  return { id: Number(match[1]), format: match[2] as DocumentFormat | undefined };
}
