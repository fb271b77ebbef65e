import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { FairSqliteDialect } from '../../src/db/fair-sqlite-dialect';
import { openDatabase } from '../../src/db/database';

/**
 * The one SQLite connection goes to queries in the order they asked for it, so a request with many
 * queries is not overtaken again and again by newer ones under load.
 */
describe('FairSqliteDialect', () => {
  it('hands the connection over in the order it was asked for, a latecomer last', async () => {
    const driver = new FairSqliteDialect({ database: new SQLite(':memory:') }).createDriver();
    await driver.init();
    const held = await driver.acquireConnection();
    const order: string[] = [];
    const take = (name: string) =>
      driver.acquireConnection().then(async (connection) => {
        order.push(name);
        await driver.releaseConnection(connection);
      });
    const waiting = [take('first'), take('second'), take('third')];
    const released = driver.releaseConnection(held);
    // Asks at once after the release, before any waiter ran: it must not jump the queue.
    const late = take('late');
    await Promise.all([released, ...waiting, late]);
    assert.deepEqual(order, ['first', 'second', 'third', 'late']);
    await driver.destroy();
  });

  it('lets a free connection be taken at once, and again after the queue empties', async () => {
    const driver = new FairSqliteDialect({ database: new SQLite(':memory:') }).createDriver();
    await driver.init();
    for (let i = 0; i < 3; i++) {
      const connection = await driver.acquireConnection();
      await driver.releaseConnection(connection);
    }
    await driver.destroy();
  });

  it('keeps a transaction to itself while other queries wait their turn', async () => {
    const { db, close } = openDatabase(':memory:');
    await sql`create table counter (n integer)`.execute(db);
    await sql`insert into counter values (0)`.execute(db);
    const seen: number[] = [];
    let step!: () => void;
    const paused = new Promise<void>((resolve) => (step = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await sql`update counter set n = 1`.execute(trx);
      await paused;
      await sql`update counter set n = 2`.execute(trx);
    });
    // Issued while the transaction holds the connection: runs after its commit, never inside it.
    const reads = [1, 2, 3].map(() => sql<{ n: number }>`select n from counter`.execute(db).then((r) => seen.push(r.rows[0]!.n)));
    step();
    await Promise.all([transaction, ...reads]);
    assert.deepEqual(seen, [2, 2, 2]);
    await close();
  });

  it('makes a transaction that reads before it writes wait for another process’s write lock, not fail', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigie-immediate-'));
    const file = path.join(dir, 'vigie.db');
    const { db, close } = openDatabase(file);
    try {
      await sql`create table counter (n integer)`.execute(db);
      await sql`insert into counter values (0)`.execute(db);
      // Another process (the CLI's purge) holds the write lock for a moment.
      const holder = spawn(
        process.execPath,
        ['-e', "const d = new (require('better-sqlite3'))(process.env.FILE); d.exec('begin immediate'); console.log('locked'); const end = Date.now() + 300; while (Date.now() < end); d.exec('commit'); d.close();"],
        { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), env: { ...process.env, FILE: file } },
      );
      const exited = new Promise((resolve) => holder.on('close', resolve));
      await new Promise<void>((resolve, reject) => {
        holder.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('locked') && resolve());
        holder.on('close', () => reject(new Error('the holder never took the lock')));
      });
      // Read, then write, as a case update does: with a plain BEGIN the write fails at once.
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
        await sql`update counter set n = ${rows[0]!.n + 1}`.execute(trx);
      });
      await exited;
      const { rows } = await sql<{ n: number }>`select n from counter`.execute(db);
      assert.equal(rows[0]!.n, 1);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
