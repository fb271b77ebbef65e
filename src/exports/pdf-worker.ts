/** A worker thread of pdf-pool.ts: renders the document models it receives, one at a time. */
import { parentPort } from 'node:worker_threads';
import type { DocumentModel } from '../documents/model';
import { renderPdfBuffer } from '../documents/render-pdf';

const port = parentPort!;
port.on('message', async ({ id, model }: { id: number; model: DocumentModel }) => {
  try {
    const pdf = await renderPdfBuffer(model);
    // Handed over, not copied: the bytes leave this thread.
    const bytes = pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength);
    port.postMessage({ id, pdf: bytes }, [bytes as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
