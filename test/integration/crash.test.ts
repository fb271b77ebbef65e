import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database';
import { integrityCheck, missingCases, prepareDatabase, startCaseWriter, wholeness } from './fixtures/writer-process';

/**
 * Crash test: a child process (fixtures/case-writer.ts) writes cases through the app's own
 * database code as fast as it can and prints each case id once its commit has returned; it is
 * killed with SIGKILL at random moments, round after round, on the same database. After every
 * kill the database must pass integrity_check, hold every acknowledged case, and hold no
 * transaction in part (a case without its situations or rep, an agent without its case).
 *
 * The delays are drawn from a seeded generator so a failure can be replayed: CRASH_SEED=<seed>.
 */

const ROUNDS = 30;
/** Longest wait, once the writer has committed its first case, before it is killed. */
const MAX_DELAY_MS = 250;
const SEED = Number(process.env.CRASH_SEED ?? 7_112_026);

/** mulberry32: tiny, seedable, good enough to spread kill moments. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let databaseFile: string;

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-crash-'));
  databaseFile = path.join(dataDir, 'vigie.db');
  await prepareDatabase(databaseFile);
});

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash test', () => {
  it('opens databases with synchronous = FULL, so an acknowledged write also survives a power cut', async () => {
    const { sqlite, close } = openDatabase(databaseFile);
    try {
      assert.equal(sqlite.pragma('journal_mode', { simple: true }), 'wal');
      // 2 is FULL: the write-ahead log is synced at every commit, not only at checkpoints.
      assert.equal(sqlite.pragma('synchronous', { simple: true }), 2);
    } finally {
      await close();
    }
  });

  it(`loses no acknowledged write and applies no transaction in part across ${ROUNDS} kill -9`, async (t) => {
    const random = seededRandom(SEED);
    const acknowledged: number[] = [];
    let writingMs = 0;
    const started = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      const delay = Math.floor(random() * MAX_DELAY_MS);
      const writer = startCaseWriter(databaseFile);
      // Killed only once it is writing: on a loaded machine a writer may take longer than any
      // delay to start, and a kill before its first commit would prove nothing.
      await writer.acknowledgedAtLeast(1);
      await sleep(delay);
      writer.child.kill('SIGKILL');
      const exit = await writer.exited;
      writingMs += delay;
      assert.equal(exit.signal, 'SIGKILL', `round ${round}: the writer stopped on its own: ${exit.stderr}`);
      acknowledged.push(...writer.acknowledged);

      const { db, close } = openDatabase(databaseFile);
      try {
        assert.deepEqual(await integrityCheck(db), ['ok'], `round ${round} (seed ${SEED}, delay ${delay} ms): integrity_check`);
        assert.deepEqual(await missingCases(db, acknowledged), [], `round ${round} (seed ${SEED}, delay ${delay} ms): acknowledged cases lost`);
        const report = await wholeness(db);
        assert.deepEqual(report.partialCases, [], `round ${round}: cases missing their situations or rep`);
        assert.equal(report.orphanAgents, 0, `round ${round}: agents written without their case`);
        // At most one commit per round can have landed without being acknowledged (killed in between).
        assert.ok(report.cases >= acknowledged.length && report.cases <= acknowledged.length + round, `round ${round}: ${report.cases} cases for ${acknowledged.length} acknowledged`);
      } finally {
        await close();
      }
    }
    assert.ok(new Set(acknowledged).size === acknowledged.length, 'no id acknowledged twice');
    t.diagnostic(
      `${ROUNDS} rounds (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${acknowledged.length} transactions acknowledged, ` +
        `${Math.round(acknowledged.length / (writingMs / 1000))} per second while writing`,
    );
  });
});
