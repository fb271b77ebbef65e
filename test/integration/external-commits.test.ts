import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { externalCommitWatch } from '../../src/db/external-commits';

/**
 * The app drops its cached dashboards when another process (the CLI's purge or erasure) commits
 * to the database; its own commits are followed by the cases service itself.
 */
describe('externalCommitWatch', () => {
  let dir: string;
  let app: SQLite.Database;
  let cli: SQLite.Database;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigie-external-'));
    const file = path.join(dir, 'vigie.db');
    app = new SQLite(file);
    app.pragma('journal_mode = WAL');
    app.exec('create table cases (id integer primary key, name text)');
    cli = new SQLite(file);
  });
  after(() => {
    app.close();
    cli.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells of a commit by another connection, once', () => {
    let changes = 0;
    const watch = externalCommitWatch(app, () => (changes += 1));
    assert.equal(watch.check(), false, 'nothing happened yet');
    cli.prepare('insert into cases (name) values (?)').run('purged later');
    assert.equal(watch.check(), true);
    assert.equal(watch.check(), false, 'the same commit is told once');
    cli.prepare('delete from cases').run();
    assert.equal(watch.check(), true);
    assert.equal(changes, 2);
  });

  it('ignores the connection’s own commits and a reader', () => {
    let changes = 0;
    const watch = externalCommitWatch(app, () => (changes += 1));
    app.prepare('insert into cases (name) values (?)').run('written by the app');
    cli.prepare('select count(*) from cases').get();
    assert.equal(watch.check(), false);
    assert.equal(changes, 0);
  });

  it('checks on a timer until stopped', async () => {
    let changes = 0;
    const stop = externalCommitWatch(app, () => (changes += 1)).every(10);
    cli.prepare('insert into cases (name) values (?)').run('seen by the timer');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(changes, 1);
    stop();
    cli.prepare('insert into cases (name) values (?)').run('after the stop');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(changes, 1);
  });

  it('reports a failed read and drops the caches, without throwing', () => {
    const closing = new SQLite(path.join(dir, 'vigie.db'));
    const errors: unknown[] = [];
    let changes = 0;
    const watch = externalCommitWatch(closing, () => (changes += 1), (err) => errors.push(err));
    closing.close();
    assert.equal(watch.check(), true);
    assert.equal(errors.length, 1);
    assert.equal(changes, 1);
  });
});
