import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { yieldToWriters } from '../jobs/pace';
import { sql } from './sql';
import { Store } from './store';
import { announceWaiting, waitingDir, writersWaiting } from './waiting';

// Writers waiting for the lock announce themselves (issue 18), so a job between its slices holds
// back exactly while somebody waits, and not otherwise.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function station(): string {
  dir = mkdtempSync(join(tmpdir(), 'waiting-'));
  const file = join(dir, 'station.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x INTEGER)');
  db.close();
  return file;
}

describe('announceWaiting / writersWaiting', () => {
  it('an entry is seen while it stands, and the last one out leaves no folder', () => {
    const file = station();
    expect(writersWaiting(file)).toBe(false);
    const first = announceWaiting(file);
    const second = announceWaiting(file);
    expect(readdirSync(waitingDir(file))).toHaveLength(2);
    expect(writersWaiting(file)).toBe(true);
    first();
    expect(writersWaiting(file)).toBe(true);
    second();
    expect(writersWaiting(file)).toBe(false);
    expect(existsSync(waitingDir(file))).toBe(false);
  });

  it("a dead writer's entry (over 30 s old) is not waited for, and is swept", () => {
    const file = station();
    announceWaiting(file); // never withdrawn: its process was killed
    const [name] = readdirSync(waitingDir(file));
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(waitingDir(file), name ?? ''), old, old);
    expect(writersWaiting(file)).toBe(false);
    expect(readdirSync(waitingDir(file))).toHaveLength(0);
  });
});

describe('yieldToWriters', () => {
  it('holds back while a writer waits, and only so long', async () => {
    const file = station();
    const withdraw = announceWaiting(file);
    const started = performance.now();
    setTimeout(withdraw, 60);
    await yieldToWriters({ file });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('does not wait when nobody waits', async () => {
    const file = station();
    const started = performance.now();
    for (let i = 0; i < 20; i++) await yieldToWriters({ file });
    expect(performance.now() - started).toBeLessThan(200); // 20 turns of the loop, not 20 pauses
  });
});

describe('Store.write when another connection holds the lock', () => {
  it('announces that it waits, and writes within milliseconds of the other commit', async () => {
    const file = station();
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    const store = new Store(db, file);
    // Another thread takes the write lock, waits until a writer announces itself (or 3 s), holds
    // on 100 ms more, and commits: it reports whether it saw the announcement and when it committed.
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const holder = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const Database = require(workerData.sqlite);
       const { readdirSync } = require('node:fs');
       const db = new Database(workerData.file);
       db.exec('BEGIN IMMEDIATE');
       db.prepare('INSERT INTO t VALUES (1)').run();
       Atomics.store(workerData.signal, 0, 1); Atomics.notify(workerData.signal, 0);
       const seen = () => { try { return readdirSync(workerData.dir).length > 0; } catch { return false; } };
       const until = Date.now() + 3000;
       while (!seen() && Date.now() < until) Atomics.wait(workerData.signal, 0, 1, 1);
       const saw = seen();
       Atomics.wait(workerData.signal, 0, 1, 100);
       db.exec('COMMIT');
       parentPort.postMessage({ saw, committedAt: Number(process.hrtime.bigint()) / 1e6 });`,
      { eval: true, workerData: { file, dir: waitingDir(file), signal, sqlite: require.resolve('better-sqlite3') } },
    );
    const reported = new Promise<{ saw: boolean; committedAt: number }>((resolve, reject) => {
      holder.once('message', resolve);
      holder.once('error', reject);
    });
    Atomics.wait(signal, 0, 0, 5000); // the lock is held now
    store.write((tx) => tx.run(sql`INSERT INTO t VALUES (2)`));
    // One monotonic clock for both threads: each thread's performance.timeOrigin is its own, and
    // under load the two disagreed by a few ms (the write seemed to land before the other commit).
    const wroteAt = Number(process.hrtime.bigint()) / 1e6;
    const { saw, committedAt } = await reported;
    await holder.terminate();
    expect(saw).toBe(true);
    expect(wroteAt).toBeGreaterThanOrEqual(committedAt);
    expect(wroteAt - committedAt).toBeLessThan(50); // tries every millisecond: not SQLite's 25–100 ms sleeps
    expect(db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 2]);
    expect(writersWaiting(file)).toBe(false);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    store.close();
  });

  it('an uncontended write leaves no entry and keeps the busy_timeout', () => {
    const file = station();
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    const store = new Store(db, file);
    let inside: unknown;
    store.write((tx) => {
      inside = db.pragma('busy_timeout', { simple: true });
      tx.run(sql`INSERT INTO t VALUES (3)`);
    });
    expect(inside).toBe(5000);
    expect(existsSync(waitingDir(file))).toBe(false);
    store.close();
  });
});
