/**
 * Reading binary responses in the supertest suites: a whole body as a Buffer, and a ZIP's entries.
 */
import type request from 'supertest';
import type { Agent } from './context';
import yauzl from 'yauzl';

/** A binary body (a ZIP, a PDF), read whole: `agent.get(url).buffer(true).parse(binary)`. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** A file as a signed-in user downloads it: status, headers and the whole body. */
export async function download(who: { agent: Agent }, url: string) {
  const res = await who.agent.get(url).buffer(true).parse(binary);
  return { status: res.status, headers: res.headers as Record<string, string>, body: res.body as Buffer };
}

/** Every entry of a ZIP, in order (yauzl checks each entry's CRC-32). */
export function zipEntries(buf: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a ZIP'));
      const entries: Array<{ name: string; data: Buffer }> = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
