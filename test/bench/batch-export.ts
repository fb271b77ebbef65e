/**
 * The batch export of 1 000 briefs through the real routes, on loopback: 1 000 cases seeded in one
 * region (Corse) followed by one rep, a tenth of them with generated versions (the others get a
 * proposal); then the ZIP through the background job (POST, progress page polled, download): the
 * direct download (GET /dossiers/argumentaires.zip) is for lists of up to 100 cases. Times, sizes, the archive's entries
 * counted back with yauzl, and the process's peak memory during each.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type SQLite from 'better-sqlite3';
import yauzl from 'yauzl';
import type { Services } from '../../src/services';
import { type MemorySample, mb, memory, memoryAfterGc, watchMemory } from './memory';
import { seedCases } from './seed';

export const BATCH_BRIEFS = 1000;

export interface Session {
  cookie: string;
  csrf: string;
}

export interface BatchExportLine {
  title: string;
  value: string;
  target: string;
  /** False when the line has a target and missed it. */
  met?: boolean;
  note: string;
}

function zipEntries(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      let count = 0;
      zip.on('entry', () => {
        count += 1;
        zip.readEntry();
      });
      zip.on('end', () => resolve(count));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Peak RSS over the baseline (garbage included), and heap still used after a forced GC. */
function memoryNote(before: MemorySample, peak: MemorySample, retained: MemorySample | null): string {
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${mb(v)}`;
  return `peak RSS ${signed(peak.rss - before.rss)}${retained ? `, heap after GC ${signed(retained.heapUsed - before.heapUsed)}` : ''}`;
}

async function saveBody(res: Response, file: string): Promise<number> {
  if (!res.body) throw new Error('no body');
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(file));
  return size;
}

export async function benchBatchExport(input: {
  url: string;
  services: Services;
  sqlite: SQLite.Database;
  today: string;
  dataDir: string;
  signIn: (email: string, password: string) => Promise<Session>;
  createRep: (email: string, regions: string[]) => Promise<number>;
}): Promise<BatchExportLine[]> {
  const { url, services, sqlite, today, dataDir } = input;
  const { caseIds } = seedCases(sqlite, { cases: BATCH_BRIEFS, regions: ['COR'], campaignId: 2, today });
  const repId = await input.createRep('corse@bench.fr', ['COR']);
  const user = (await services.users.findById(repId))!;
  // A tenth of the cases carry a generated version, which the archive takes instead of a proposal.
  for (const caseId of caseIds.filter((_, i) => i % 10 === 0)) {
    const proposed = (await services.briefs.propose(user, caseId))!;
    const sections = proposed.proposals.filter((p) => p.applies).map((p) => ({ argumentId: p.id, title: '', text: p.text, summary: p.summary, order: p.order }));
    await services.briefs.generate(user, caseId, { purpose: 'written_observations', addressee: 'regional_direction', sections, annex: true });
  }
  const session = await input.signIn('corse@bench.fr', 'bench password long');
  const lines: BatchExportLine[] = [];

  // Lists over 100 cases go through the background job only (the direct download is for short lists).
  let watch: { stop: () => MemorySample };
  let started: number;
  let peak: MemorySample;
  let retained: MemorySample | null;

  // ---- background job: POST, progress page polled (faster than its 2 s refresh), download
  memoryAfterGc();
  const beforeJob = memory();
  watch = watchMemory();
  started = performance.now();
  // Wall time depends on what else the machine runs; the CPU the process spent (all its threads) does less.
  const cpuBefore = process.cpuUsage();
  const post = await fetch(`${url}/dossiers/argumentaires`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: session.csrf }).toString(),
    redirect: 'manual',
  });
  const jobPath = post.headers.get('location');
  if (post.status !== 303 || !jobPath?.startsWith('/dossiers/argumentaires/')) throw new Error(`job refused: ${post.status}`);
  let polls = 0;
  for (;;) {
    const page = await fetch(`${url}${jobPath}`, { headers: { cookie: session.cookie } });
    const html = await page.text();
    polls += 1;
    if (page.status !== 200) throw new Error(`progress page answered ${page.status}`);
    if (!html.includes('http-equiv="refresh"')) {
      if (!html.includes(`${jobPath}.zip`)) throw new Error('the job failed');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ready = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const jobFile = path.join(dataDir, 'bench-job.zip');
  const download = await fetch(`${url}${jobPath}.zip`, { headers: { cookie: session.cookie } });
  if (download.status !== 200) throw new Error(`download answered ${download.status}`);
  const jobSize = await saveBody(download, jobFile);
  const done = performance.now();
  peak = watch.stop();
  retained = memoryAfterGc();
  const jobEntries = await zipEntries(jobFile);
  if (jobEntries !== BATCH_BRIEFS + 1) throw new Error(`job export holds ${jobEntries} entries`);
  lines.push({
    title: `${BATCH_BRIEFS} briefs, background job: ready`,
    value: `${((ready - started) / 1000).toFixed(1)} s`,
    target: '< 20 s',
    met: ready - started < 20_000,
    note: `progress page read ${polls} times, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU (all threads)`,
  });
  lines.push({
    title: '  then downloaded',
    value: `${((done - ready) / 1000).toFixed(1)} s`,
    target: '',
    note: `${(jobSize / 1024 / 1024).toFixed(0)} MB, ${jobEntries} entries, ${memoryNote(beforeJob, peak, retained)}`,
  });
  return lines;
}
