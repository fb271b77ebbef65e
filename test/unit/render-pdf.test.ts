/**
 * PDF renderer: text extracted with pdfjs (structure, positions, pages) and, where pdfjs turns
 * every kind of space into a plain one, straight from the PDF's content streams through the
 * embedded fonts' ToUnicode maps, so no-break spaces are checked exactly (both readers are in
 * test/helpers/document-text.ts).
 * The rich sample is also written to test/artifacts/sample-brief.pdf (git-ignored) for a look.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it, before } from 'node:test';
import type { Block, DocumentModel } from '../../src/documents/model';
import { renderPdf, renderPdfBuffer, renderPdfTo } from '../../src/documents/render-pdf';
import { type PdfText, extractPdf, loosen, pdfImageOps, pdfMappedCharacters, rawPdfLines, squash } from '../helpers/document-text';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

// ---- Models ------------------------------------------------------------------------------------

const FRENCH = {
  heading1: `Sur la procédure\u00a0: «${NNBSP}l’entretien préalable${NNBSP}»`,
  heading2: 'Délai de prescription des faits fautifs',
  heading3: 'Œuvres sociales et congés payés à l’été',
  paragraph: `L’agent, convoqué le 12${NBSP}mars, n’a reçu aucune pièce${NNBSP}; la direction évoque «${NNBSP}des manquements répétés${NNBSP}» sans les dater… Ça ne suffit pas${NNBSP}! Où sont les éléments${NNBSP}? Le cœur du dossier reste vide, à l’évidence.`,
};

function richModel(): DocumentModel {
  const blocks: Block[] = [
    {
      kind: 'facts',
      rows: [
        { label: 'Agent', value: 'Élodie Lefèvre, conseillère à l’emploi' },
        { label: 'Site', value: `Agence de Besançon — Bourgogne-Franche-Comté` },
        { label: 'Situation(s) signalée(s)', value: `Retards répétés${NNBSP}; refus d’une mission hors fiche de poste` },
        { label: 'Convocation', value: `12${NBSP}mars 2026` },
      ],
    },
    { kind: 'paragraph', runs: [{ text: 'Madame la Directrice régionale,' }] },
    { kind: 'heading', level: 1, text: FRENCH.heading1 },
    { kind: 'paragraph', runs: [{ text: FRENCH.paragraph }] },
    {
      kind: 'paragraph',
      runs: [
        { text: 'Nous rappelons que ' },
        { text: 'l’article L1332-4 du Code du travail', bold: true },
        { text: ' prévoit un délai de deux mois, et que ' },
        { text: 'la jurisprudence', italic: true },
        { text: ' est constante sur ce point.' },
      ],
    },
    {
      kind: 'list',
      ordered: false,
      items: [
        [{ text: 'aucun entretien n’a été tenu avant la sanction' }],
        [{ text: 'la convocation ne mentionnait pas ' }, { text: 'l’assistance', bold: true }, { text: ' possible d’un représentant' }],
        [{ text: `les faits reprochés datent de plus de deux mois${NNBSP}: ils sont prescrits` }],
      ],
    },
    { kind: 'heading', level: 2, text: FRENCH.heading2 },
    {
      kind: 'list',
      ordered: true,
      items: [
        [{ text: 'connaissance des faits par l’employeur le 3 janvier' }],
        [{ text: 'convocation envoyée le 12 mars, soit après l’expiration du délai' }],
        [{ text: 'sanction notifiée le 2 avril' }],
      ],
    },
    {
      kind: 'quote',
      text: `Aucun fait fautif ne peut donner lieu à lui seul à l’engagement de poursuites disciplinaires au-delà d’un délai de deux mois à compter du jour où l’employeur en a eu connaissance.`,
      source: 'Code du travail, art. L1332-4',
    },
    { kind: 'citations', items: ['Code du travail, art. L1332-4', 'Cass. soc., 17 février 1993, n° 88-45.539', 'Convention collective nationale de Pôle emploi, art. 27'] },
    { kind: 'heading', level: 3, text: FRENCH.heading3 },
    { kind: 'paragraph', runs: [{ text: 'Les congés payés de l’été, prévus de longue date, ne sauraient être remis en cause par la procédure.' }] },
    {
      kind: 'barChart',
      title: 'Déclarations par motif (2025)',
      bars: [
        { label: 'Charge de travail', value: 42 },
        { label: 'Agressions d’usagers', value: 17 },
        { label: 'Outils informatiques', value: 8 },
        { label: 'Réorganisation', value: 1234, display: `1${NNBSP}234` },
      ],
    },
    { kind: 'signature', lines: ['Pour la CGT France Travail', 'Marie Dupont', 'Représentante syndicale'] },
    { kind: 'notice', text: 'Document rédigé par des représentants syndicaux à partir des éléments du dossier. Il ne constitue pas une consultation juridique.' },
  ];
  return {
    header: { left: 'CGT France Travail', right: 'Dossier n° 42 — version 3' },
    title: 'Argumentaire de défense',
    subtitle: 'Élodie Lefèvre — Campagne «\u202fcontrôle de la recherche d’emploi\u202f»',
    fileName: 'argumentaire-42-defense-v3',
    properties: { author: 'CGT France Travail — Marie Dupont', subject: 'Argumentaire de défense', createdAt: new Date('2026-03-15T10:30:00Z') },
    blocks,
  };
}

/** A pseudo-random but fixed sequence, so headings fall at every height of a page. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const SENTENCES = [
  'La direction n’a produit aucun élément daté à l’appui de ses griefs.',
  `L’agent conteste formellement la version des faits présentée lors de l’entretien${NNBSP}; il demande la communication de son dossier.`,
  'Les objectifs fixés n’ont jamais été formalisés par écrit, contrairement à ce qu’exige la procédure interne.',
  `Le représentant syndical a relevé «${NNBSP}des pressions répétées${NNBSP}» de la hiérarchie de proximité.`,
  'Aucune formation n’a été proposée avant la mise en œuvre du nouvel outil, à l’été précédent.',
  `Le délai de prévenance de cinq jours ouvrables n’a pas été respecté${NNBSP}!`,
];

function longModel(): { model: DocumentModel; headings: string[] } {
  const random = sequence(7);
  const blocks: Block[] = [];
  const headings: string[] = [];
  for (let i = 1; i <= 200; i++) {
    if (i % 5 === 1) {
      const level = ((i / 5) % 3) + 1;
      const text = `Section ${headings.length + 1} — point à établir n°${NBSP}${i}`;
      headings.push(text);
      blocks.push({ kind: 'heading', level: Math.floor(level) as 1 | 2 | 3, text });
    }
    // At least three lines each, so a heading always has three lines to keep with it.
    const count = 3 + Math.floor(random() * 5);
    const text = Array.from({ length: count }, () => SENTENCES[Math.floor(random() * SENTENCES.length)]).join(' ');
    blocks.push({ kind: 'paragraph', runs: [{ text: `${i}. ${text}` }] });
  }
  return {
    model: {
      header: { left: 'CGT France Travail', right: 'Dossier n° 7' },
      title: 'Un long argumentaire',
      fileName: 'long',
      properties: { author: 'CGT', createdAt: new Date('2026-01-02T08:00:00Z') },
      blocks,
    },
    headings,
  };
}

// ---- Tests -------------------------------------------------------------------------------------

describe('renderPdf: a rich brief', () => {
  const model = richModel();
  let buf: Buffer;
  let extracted: PdfText & { imageOps: number };
  let raw: { pages: string[][]; mapped: Set<string> };
  let all: string;

  before(async () => {
    buf = await renderPdfBuffer(model);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'sample-brief.pdf'), buf);
    extracted = { ...(await extractPdf(buf)), imageOps: await pdfImageOps(buf) };
    raw = { pages: rawPdfLines(buf), mapped: pdfMappedCharacters(buf) };
    all = squash(extracted.body);
  });

  it('is a PDF with the document information from the model', () => {
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(extracted.info.Title, model.title);
    assert.equal(extracted.info.Author, model.properties.author);
    assert.equal(extracted.info.Subject, model.properties.subject);
    assert.match(String(extracted.info.CreationDate), /^D:20260315/);
  });

  it('shows the title, subtitle, every heading, paragraph and list item', () => {
    const expected = [model.title, model.subtitle!];
    for (const block of model.blocks) {
      if (block.kind === 'heading') expected.push(block.text);
      if (block.kind === 'paragraph') expected.push(block.runs.map((r) => r.text).join(''));
      if (block.kind === 'list') expected.push(...block.items.map((item) => item.map((r) => r.text).join('')));
      if (block.kind === 'quote') expected.push(block.text, block.source!);
      if (block.kind === 'facts') expected.push(...block.rows.flatMap((r) => [r.label, r.value]));
      if (block.kind === 'signature') expected.push(...block.lines);
      if (block.kind === 'notice') expected.push(block.text);
    }
    for (const text of expected) assert.ok(all.includes(squash(text)), `missing: ${text}`);
  });

  it('shows the citations after a "Références :" label, and numbers ordered lists', () => {
    const text = extracted.pages.map((p) => p.text).join('\n');
    assert.match(text, /Références\s:/);
    for (const citation of ['Code du travail, art. L1332-4', 'Cass. soc., 17 février 1993, n° 88-45.539', 'Convention collective nationale de Pôle emploi, art. 27']) {
      assert.ok(all.includes(squash(citation)), `missing citation: ${citation}`);
    }
    const lines = extracted.pages.flatMap((p) => p.lines.map((l) => l.text));
    assert.ok(lines.some((l) => l.startsWith('1.') && l.includes('connaissance des faits')));
    assert.ok(lines.some((l) => l.startsWith('3.') && l.includes('sanction notifiée')));
    assert.ok(lines.some((l) => l.startsWith('•') && l.includes('aucun entretien')));
  });

  it('round-trips French characters exactly, no-break spaces included', () => {
    // The running header and the footer are written last on each page.
    const text = loosen(raw.pages.map((lines) => lines.slice(0, -2).join('\n')).join('\n'));
    for (const s of [FRENCH.heading1, FRENCH.heading2, FRENCH.heading3, FRENCH.paragraph, model.subtitle!]) {
      assert.ok(text.includes(loosen(s)), `not found exactly: ${JSON.stringify(s)}`);
    }
    for (const ch of ['é', 'è', 'à', 'ç', 'Ç', 'œ', 'Œ', 'É', '«', '»', '’', '…', '—', NNBSP, NBSP]) {
      assert.ok(raw.mapped.has(ch), `no glyph mapped to U+${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
    }
    assert.ok(!text.includes('\ufffd'), 'a glyph without Unicode mapping');
  });

  it('writes the running header and "page X sur Y" on the page', () => {
    const n = extracted.pages.length;
    extracted.pages.forEach((page, i) => {
      assert.equal(page.lines[0]!.text.replace(/\s+/g, ' '), 'CGT France Travail Dossier n° 42 — version 3');
      assert.equal(page.lines.at(-1)!.text, `page ${i + 1} sur ${n}`);
    });
  });

  it('draws the bar chart as vectors: labels, values, bar lengths scaled to the largest value', () => {
    assert.equal(extracted.imageOps, 0);
    const chart = model.blocks.find((b) => b.kind === 'barChart')!;
    assert.ok(all.includes(squash(chart.title)));
    const lines = extracted.pages.flatMap((p) => p.lines);
    const ends: number[] = [];
    for (const bar of chart.bars) {
      const line = lines.find((l) => l.text.startsWith(bar.label));
      assert.ok(line, `missing bar label: ${bar.label}`);
      const value = line.items.at(-1)!;
      assert.equal(squash(value.str), squash(bar.display ?? String(bar.value)));
      ends.push(value.x);
    }
    // Each value is written just past the end of its bar: a straight line through the longest
    // bar and another gives where every other value must start.
    const values = chart.bars.map((b) => b.value);
    const top = values.indexOf(Math.max(...values));
    const slope = (ends[top]! - ends[0]!) / (values[top]! - values[0]!);
    const zero = ends[top]! - slope * values[top]!;
    values.forEach((v, i) => assert.ok(Math.abs(ends[i]! - (zero + slope * v)) < 0.5, `bar ${i} is not to scale`));
    assert.ok(slope > 0.2, 'the longest bar is not long');
  });

  it('can be piped into a stream', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    await renderPdfTo(model, out);
    const piped = Buffer.concat(chunks);
    assert.equal(piped.subarray(0, 5).toString('latin1'), '%PDF-');
    const doc = renderPdf(model);
    assert.equal(typeof doc.pipe, 'function');
    doc.resume();
  });
});

describe('renderPdf: a long document', () => {
  const { model, headings } = longModel();
  let extracted: PdfText;

  before(async () => {
    extracted = await extractPdf(await renderPdfBuffer(model));
  });

  it('runs over several pages, each with the header and "page X sur N"', () => {
    const n = extracted.pages.length;
    assert.ok(n > 5, `only ${n} pages`);
    extracted.pages.forEach((page, i) => {
      assert.ok(page.lines[0]!.text.startsWith('CGT France Travail'), `page ${i + 1}: no header`);
      assert.ok(page.lines[0]!.text.endsWith('Dossier n° 7'), `page ${i + 1}: no header`);
      assert.equal(page.lines.at(-1)!.text, `page ${i + 1} sur ${n}`);
    });
  });

  it('keeps all the text: every heading and numbered paragraph', () => {
    const all = squash(extracted.body);
    for (const h of headings) assert.ok(all.includes(squash(h)), `missing heading: ${h}`);
    for (const block of model.blocks) {
      if (block.kind === 'paragraph') assert.ok(all.includes(squash(block.runs[0]!.text)), `missing: ${block.runs[0]!.text.slice(0, 40)}`);
    }
  });

  it('never leaves a heading at the bottom of a page, and keeps three lines under each', () => {
    const isHeading = new Set(headings.map(squash));
    let seen = 0;
    extracted.pages.forEach((page, p) => {
      const body = page.lines.slice(1, -1); // without the running header and the footer
      assert.ok(!isHeading.has(squash(body.at(-1)!.text)), `page ${p + 1} ends with the heading "${body.at(-1)!.text}"`);
      body.forEach((line, i) => {
        if (!isHeading.has(squash(line.text))) return;
        seen += 1;
        assert.ok(body.length - i - 1 >= 3, `page ${p + 1}: heading "${line.text}" has only ${body.length - i - 1} lines under it`);
      });
    });
    assert.equal(seen, headings.length);
  });
});

describe('renderPdf: sparse and odd models', () => {
  it('renders a model with no subtitle, no header right and no blocks', async () => {
    const model: DocumentModel = {
      header: { left: 'CGT France Travail' },
      title: 'Document vide',
      fileName: 'vide',
      properties: { author: 'CGT', createdAt: new Date('2026-01-01T00:00:00Z') },
      blocks: [],
    };
    const { pages, info } = await extractPdf(await renderPdfBuffer(model));
    assert.equal(pages.length, 1);
    assert.deepEqual(
      pages[0]!.lines.map((l) => l.text),
      ['CGT France Travail', 'Document vide', 'page 1 sur 1'],
    );
    assert.equal(info.Title, 'Document vide');
  });

  it('survives empty and unusual content', async () => {
    const model: DocumentModel = {
      header: { left: 'CGT '.repeat(40), right: 'Dossier '.repeat(30) },
      title: '',
      fileName: 'odd',
      properties: { author: 'CGT', createdAt: new Date('2026-01-01T00:00:00Z') },
      blocks: [
        { kind: 'heading', level: 1, text: 'Titre seul en fin de document' },
        { kind: 'paragraph', runs: [] },
        { kind: 'paragraph', runs: [{ text: 'tab\there\u0007 bell', bold: true, italic: true }] },
        { kind: 'list', ordered: true, items: [[], [{ text: 'second' }]] },
        { kind: 'facts', rows: [] },
        { kind: 'facts', rows: [{ label: 'Long', value: 'très long texte '.repeat(500) }] },
        { kind: 'citations', items: [] },
        { kind: 'signature', lines: [] },
        { kind: 'notice', text: '' },
        { kind: 'barChart', title: 'Rien', bars: [{ label: 'zéro', value: 0 }, { label: 'négatif', value: -3 }, { label: 'NaN', value: Number.NaN }] },
        { kind: 'barChart', title: '', bars: [] },
        { kind: 'quote', text: 'citation '.repeat(400) },
        { kind: 'heading', level: 3, text: 'Dernier titre' },
      ],
    };
    const { pages } = await extractPdf(await renderPdfBuffer(model));
    assert.ok(pages.length >= 2);
    const all = squash(pages.map((p) => p.text).join('\n'));
    assert.ok(all.includes('tabherebell'));
    assert.ok(all.includes('2.second'));
    assert.ok(all.includes('Derniertitre'));
    for (const page of pages) assert.ok(page.lines[0]!.text.includes('…'), 'a long header is shortened');
  });
});
