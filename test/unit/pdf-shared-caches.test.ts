/**
 * The PDF renderer shares shaped words and measured line counts across documents
 * (src/documents/render-pdf.ts, pdf-page.ts): a document laid out from those caches is the same,
 * line for line and point for point, as one laid out from nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentModel } from '../../src/documents/model';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import { extractPdf } from '../helpers/document-text';

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i % 7 === 0 ? ' l’« argument »\u202f;' : ' mot'}${i}`).join(' ');

function model(seed: string): DocumentModel {
  const blocks: DocumentModel['blocks'] = [];
  for (let i = 0; i < 14; i++) {
    blocks.push({ kind: 'heading', level: 1, text: `Partie ${i} ${seed}` });
    blocks.push({ kind: 'paragraph', runs: [{ text: words(40 + i * 9, seed) }] });
    blocks.push({ kind: 'citations', items: [`Article L${1330 + i} du Code du travail`, words(12, 'réf')] });
  }
  blocks.push({ kind: 'notice', text: words(30, 'avis') });
  blocks.push({ kind: 'signature', lines: ['Pour la CGT', seed] });
  return { title: `Essai ${seed}`, fileName: 'essai', header: { left: 'CGT France Travail', right: seed }, properties: { author: 'Vigie', createdAt: new Date('2024-11-20T10:00:00Z') }, blocks };
}

/** Every line of every page with where it stands. */
async function layout(pdf: Buffer) {
  const text = await extractPdf(pdf);
  return text.pages.map((page) => page.lines.map((line) => `${line.x.toFixed(3)},${line.y.toFixed(3)} ${line.text}`));
}

describe('PDF caches shared across documents', () => {
  it('lay a document out as it was laid out the first time, among other documents', async () => {
    const first = await layout(await renderPdfBuffer(model('Élodie')));
    assert.ok(first.length > 2, 'the document runs over several pages');
    // Other documents in between: different words, some the same paragraphs at other heights.
    await renderPdfBuffer(model('Zoé'));
    await renderPdfBuffer({ ...model('Élodie'), blocks: [{ kind: 'paragraph', runs: [{ text: 'Un paragraphe avant tout.' }] }, ...model('Élodie').blocks] });
    assert.deepEqual(await layout(await renderPdfBuffer(model('Élodie'))), first);
  });
});
