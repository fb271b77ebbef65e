/**
 * Mixed load on loopback: 50 connections for LOAD_SECONDS (60 by default), 80 % reads (the filtered
 * case list, a case page, the dashboard) and 20 % writes (a timeline event, a consultation: real
 * forms with their CSRF token, answered by a redirect to the case), over 50 signed-in sessions. The
 * requests come from a worker thread (test/bench/load-request.cjs picks each one); a response that is
 * not the whole page or the redirect expected (load-verify.cjs) counts as a failure.
 *
 * Memory (RSS, V8 heap used) is read before (after a warm-up and a forced GC), right after, and
 * after a forced GC, so growth that a collection does not take back shows.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Session } from './batch-export';
import { type MemorySample, forcedGc, memory, memoryAfterGc } from './memory';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LOAD_CONNECTIONS = 50;

export interface LoadResult {
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  writes: number;
  errors: number;
  timeouts: number;
  /** Statuses other than 200 for reads and 303 for writes. */
  unexpectedStatus: number;
  /** Bodies that were neither the whole page nor the expected redirect. */
  mismatches: number;
  memory: { before: MemorySample; after: MemorySample; afterGc: MemorySample | null; gc: boolean };
}

function run(url: string, seconds: number) {
  return autocannon({
    url,
    connections: LOAD_CONNECTIONS,
    duration: seconds,
    // In a worker thread, so the load does not share the server's event loop; functions go as files.
    workers: 1,
    timeout: 10,
    requests: [{ setupRequest: path.join(HERE, 'load-request.cjs') }],
    verifyBody: path.join(HERE, 'load-verify.cjs') as unknown as NonNullable<autocannon.Options['verifyBody']>,
  });
}

export async function benchLoad(input: { url: string; sessions: Session[]; caseIds: number[]; seconds: number; dataDir: string }): Promise<LoadResult> {
  const planFile = path.join(input.dataDir, 'load-plan.json');
  writeFileSync(planFile, JSON.stringify({ sessions: input.sessions, caseIds: input.caseIds }));
  // Read by the worker thread, which inherits the environment.
  process.env.VIGIE_LOAD_PLAN = planFile;

  // Warm-up: templates compiled, statements prepared, caches filled, then the baseline.
  await run(input.url, Math.min(5, Math.max(1, Math.round(input.seconds / 6))));
  const gc = forcedGc() !== null;
  const before = memoryAfterGc() ?? memory();
  const result = await run(input.url, input.seconds);
  const after = memory();
  const afterGc = memoryAfterGc();

  const redirects = Number(result.statusCodeStats?.['303']?.count ?? 0);
  return {
    seconds: input.seconds,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    writes: redirects,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpectedStatus: result.non2xx - redirects,
    mismatches: result.mismatches,
    memory: { before, after, afterGc, gc },
  };
}
