/**
 * How a PDF's streams are written and compressed (see render-pdf.ts). pdfkit turns every piece of
 * page content into bytes one character at a time as it is written, and deflates each stream at
 * zlib's default level when the document ends: on a brief, about a fifth of the rendering time.
 * Here the content of a stream is kept as text and turned into bytes once, and a stream whose bytes
 * were deflated before (a font subset shared by many documents, see pdf-font-subsets.ts) is not
 * deflated again. The PDF is the same, byte for byte, apart from the compression level.
 */
import { deflateSync } from 'node:zlib';
import type { Doc } from './pdf-style';

/**
 * Page contents are text (operators, numbers, glyph ids in hex): zlib's level 3 deflates them about
 * twice as fast as its default level 6, for some 4 KB more in a 60 KB brief. Fonts deflate about as
 * well at either level. Every stream uses this one level, so that a document's bytes never depend on
 * what was rendered before it (a font subset deflated earlier, or now).
 */
const STREAM_LEVEL = 3;

export function deflate(raw: Uint8Array): Uint8Array {
  return deflateSync(raw, { level: STREAM_LEVEL });
}

/** Characters of page content turned into bytes at a time. */
const TEXT_CHUNK = 16 * 1024;

/** Bytes already deflated, by the very object handed to pdfkit (font subsets kept across documents). */
const deflatedBytes = new WeakMap<Uint8Array, Uint8Array>();

export function rememberDeflated(raw: Uint8Array, deflated: Uint8Array): void {
  deflatedBytes.set(raw, deflated);
}

/** pdfkit's indirect object (PDFReference), which it does not export. */
interface Reference {
  compress: boolean;
  buffer: Array<Uint8Array | string>;
  data: Record<string, unknown>;
  uncompressedLength: number;
  write(chunk: Uint8Array | string): void;
  finalize(): void;
}

function looksLikeReference(ref: unknown): ref is Reference {
  const r = ref as Partial<Reference> | null;
  return !!r && typeof r.compress === 'boolean' && Array.isArray(r.buffer) && typeof r.data === 'object' && typeof r.write === 'function' && typeof r.finalize === 'function';
}

/**
 * Takes over the writing and compression of the document's streams. Left as pdfkit does it when a
 * reference is not shaped as expected (a later pdfkit), so a change there costs speed, not output.
 */
export function writeStreamsFaster(doc: Doc): void {
  const internal = doc as unknown as { ref: (data?: Record<string, unknown>) => unknown };
  const ref = internal.ref.bind(doc);
  internal.ref = (data) => {
    const reference = ref(data);
    if (looksLikeReference(reference) && reference.compress) takeOver(reference);
    return reference;
  };
}

function takeOver(reference: Reference): void {
  const finalize = reference.finalize.bind(reference);
  // pdfkit ends each string it is given with a newline. Strings are joined and encoded by the
  // few kilobytes: kept whole until the document ends, they would outlive the young generation
  // and swell the heap of a worker rendering briefs one after the other.
  const pending: string[] = [];
  let pendingLength = 0;
  reference.write = (chunk) => {
    if (typeof chunk === 'string') {
      pending.push(chunk, '\n');
      pendingLength += chunk.length + 1;
      if (pendingLength >= TEXT_CHUNK) flushText();
    } else {
      flushText();
      reference.buffer.push(chunk);
    }
    // Key order matters to the bytes written: Length, then Filter, as pdfkit sets them.
    reference.data.Length ??= 0;
    if (reference.compress) reference.data.Filter = 'FlateDecode';
  };
  function flushText(): void {
    if (pending.length === 0) return;
    // Latin-1 keeps the low byte of each character, as pdfkit's own conversion does.
    reference.buffer.push(Buffer.from(pending.join(''), 'latin1'));
    pending.length = 0;
    pendingLength = 0;
  }
  reference.finalize = () => {
    flushText();
    if (reference.compress && reference.buffer.length > 0) {
      const chunks = reference.buffer as Uint8Array[];
      const known = chunks.length === 1 ? deflatedBytes.get(chunks[0]!) : undefined;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      reference.uncompressedLength = raw.length;
      reference.buffer = [known ?? deflate(raw)];
    }
    // What is left for pdfkit: writing the object, its stream as it now stands.
    reference.compress = false;
    finalize();
  };
}
