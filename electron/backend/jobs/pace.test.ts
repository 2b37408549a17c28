import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointNow, jobConnectionsArePrivate, Pace, sliceWrite, type SlicePace } from './pace';

// The jobs' slice pacing (issue 18): slices sized by measured time; a slice's commit may skip
// waiting for the disk, every other write on the connection still waits for it.

let dir: string | undefined;
afterEach(() => {
  jobConnectionsArePrivate(false);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function store() {
  dir = mkdtempSync(join(tmpdir(), 'pace-'));
  const file = join(dir, 'pace.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (x INTEGER)');
  return { db, file };
}

const pace = (lazySync: boolean): SlicePace => ({ targetMs: 40, gapMs: 0, checkpoint: true, lazySync });
const synchronous = (s: { db: Database.Database }) => s.db.pragma('synchronous', { simple: true });

describe('sliceWrite', () => {
  it.each([
    { lazySync: true, during: 1 },
    { lazySync: false, during: 2 },
  ])('lazySync $lazySync: the slice commits at synchronous=$during, the connection is FULL (2) again after', ({ lazySync, during }) => {
    const s = store();
    let seen: unknown;
    sliceWrite(s, pace(lazySync), () => {
      seen = synchronous(s);
      s.db.prepare('INSERT INTO t VALUES (1)').run();
    });
    expect(seen).toBe(during);
    expect(synchronous(s)).toBe(2);
    s.db.close();
  });

  it('puts FULL back when the slice throws', () => {
    const s = store();
    expect(() => sliceWrite(s, pace(true), () => {
      throw new Error('refused');
    })).toThrow('refused');
    expect(synchronous(s)).toBe(2);
    s.db.close();
  });
});

describe('Pace', () => {
  it.each([
    { first: 100, count: 100, ms: 80, target: 40, next: 50 }, // twice too slow: halved
    { first: 100, count: 100, ms: 10, target: 40, next: 150 }, // four times too fast: grown by half at most
    { first: 100, count: 100, ms: 1000, target: 40, min: 20, next: 20 }, // never under the minimum
    // Whole groups (the period open's books of 480 points): asked 800, took one book in 4 ms. Grown
    // from what was asked, the next slice takes two books and more; grown from the 480 taken it
    // would stay at 720, one book, for ever.
    { first: 800, count: 480, ms: 4, target: 40, next: 1200 },
  ])('after $count items in $ms ms (target $target ms) the next slice takes $next', ({ first, count, ms, target, min, next }) => {
    const p = new Pace(first, target, min ?? 1);
    const realNow = performance.now.bind(performance);
    let t = 0;
    performance.now = () => t;
    try {
      p.run(count, () => void (t += ms));
    } finally {
      performance.now = realNow;
    }
    expect(p.size).toBe(next);
  });
});

// Between slices a job copies the WAL into the file (a PASSIVE checkpoint) once its slices have put
// ~600 frames there, so a commit at the counter never finds SQLite's 1000-frame mark passed and
// copies them itself. On a job thread, while nobody else commits, it lets ~2000 gather first.
describe('checkpointNow', () => {
  /** Slices of ~300 frames each (a page-sized row a frame) and, after each, the checkpoint's look; whether it copied (the file grew). */
  function slices(s: { db: Database.Database; file: string }, count: number, between?: () => void): boolean[] {
    s.db.exec('CREATE TABLE IF NOT EXISTS b (y BLOB)');
    s.db.pragma('wal_autocheckpoint = 0');
    const insert = s.db.prepare('INSERT INTO b VALUES (randomblob(3900))');
    const copied: boolean[] = [];
    for (let i = 0; i < count; i++) {
      s.db.transaction(() => {
        for (let r = 0; r < 300; r++) insert.run();
      })();
      between?.();
      const before = statSync(s.file).size;
      checkpointNow(s);
      copied.push(statSync(s.file).size > before);
    }
    return copied;
  }

  it('on the host’s thread (a payment may commit on the job’s connection): after every ~600 frames', () => {
    const s = store();
    // The first look copies (nothing learnt yet), then every second slice of ~300 frames.
    expect(slices(s, 5)).toEqual([true, false, true, false, true]);
    s.db.close();
  });

  it('on a job thread: after ~2000 frames while nobody else commits, after ~600 again once somebody does', () => {
    jobConnectionsArePrivate();
    const s = store();
    const other = new Database(s.file);
    other.pragma('wal_autocheckpoint = 0'); // the counter's own copy would hide the job's
    let at = 0;
    // Slices 2–5 quiet (one look apart, nobody else wrote): no copy until ~2000 frames; before
    // slice 7 another connection commits a row (the counter): that look copies at ~600.
    const copied = slices(s, 8, () => {
      at += 1;
      if (at === 7) other.prepare('INSERT INTO t VALUES (7)').run();
    });
    expect(copied).toEqual([true, false, false, false, false, false, true, false]);
    other.close();
    s.db.close();
  });
});
