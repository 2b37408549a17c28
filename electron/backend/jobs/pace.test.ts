import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ASIDE_WAL_FRAMES, checkpointNow, checkpointsAside, flushSlices, Pace, QUIET_CHECKPOINT_AT_FRAMES, SERVED_HERE_MS, sliceDone, slicePart, sliceTargetMs, sliceWrite, type SlicePace } from './pace';

// The jobs' slice pacing (issue 18): slices sized by measured time; a slice's commit may skip
// waiting for the disk, every other write on the connection still waits for it.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function store(pageSize?: number) {
  dir = mkdtempSync(join(tmpdir(), 'pace-'));
  const file = join(dir, 'pace.db');
  const db = new Database(file);
  if (pageSize) db.pragma(`page_size = ${pageSize}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (x INTEGER)');
  return { db, file };
}

const pace = (lazySync: boolean, shortHere = true): SlicePace => ({ targetMs: 40, gapMs: 0, checkpoint: true, lazySync, shortHere });
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

describe('slices beside the counter on the job’s own thread', () => {
  const insert = (s: { db: Database.Database }) => s.db.prepare('INSERT INTO t VALUES (1)').run();
  const seen = (s: ReturnType<typeof store>, p = pace(true)) => {
    let inside: { target: number; part: number; doneAt25: boolean } | undefined;
    sliceWrite(s, p, () => {
      insert(s);
      inside = { target: sliceTargetMs(s, p), part: slicePart(s, p, 200), doneAt25: sliceDone(s, p, performance.now() - 25) };
    });
    return inside;
  };

  const WHOLE = { target: 40, part: 200, doneAt25: false };
  const SHORT = { target: 20, part: 50, doneAt25: true };
  /** Runs `steps` with performance.now() on a clock that only `advance` moves. */
  function onClock(steps: (advance: (ms: number) => void) => void) {
    let now = 1_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      steps((ms) => void (now += ms));
    } finally {
      vi.restoreAllMocks();
    }
  }

  it('alone: the pace’s time and the whole part', () => {
    const s = store();
    expect([seen(s), seen(s), seen(s)]).toEqual([WHOLE, WHOLE, WHOLE]);
    s.db.close();
  });

  it('a payment written on the same connection between two slices: half the time and a quarter of the part, for SERVED_HERE_MS', () => {
    const s = store();
    onClock((advance) => {
      expect(seen(s)).toEqual(WHOLE);
      insert(s); // the counter's payment, served by the job's thread between slices
      expect(seen(s)).toEqual(SHORT);
      advance(SERVED_HERE_MS - 1);
      expect(seen(s)).toEqual(SHORT);
      advance(2);
      expect(seen(s)).toEqual(WHOLE);
    });
    s.db.close();
  });

  it('a write after a job’s end (flushSlices) leaves the next job’s slices whole, and one long after the last slice too', () => {
    const s = store();
    onClock((advance) => {
      seen(s);
      flushSlices(s, pace(true));
      insert(s); // a payment after the job
      expect(seen(s)).toEqual(WHOLE);
      advance(SERVED_HERE_MS); // the job's slices stopped a while (it waited for somebody), then a payment
      insert(s);
      expect(seen(s)).toEqual(WHOLE);
    });
    s.db.close();
  });

  it('without `shortHere` (the bench’s comparison) a payment on the same connection leaves the slices whole', () => {
    const s = store();
    seen(s, pace(true, false));
    insert(s);
    expect(seen(s, pace(true, false))).toEqual(WHOLE);
    s.db.close();
  });

  it('another connection’s commits leave the slices whole (that writer ends a slice when it waits: db/waiting.ts)', () => {
    const s = store();
    const other = new Database(s.file);
    seen(s);
    other.prepare('INSERT INTO t VALUES (2)').run();
    expect(seen(s)).toEqual(WHOLE);
    other.close();
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
// copies them itself. While nobody else commits, on its connection or another, it lets ~2000 gather first.
describe('checkpointNow', () => {
  /**
   * Slices of ~300 frames each (a page-sized row a frame; through sliceWrite unless `raw`) and,
   * after each, `between` and the checkpoint's look; whether it copied (the file grew).
   */
  function slices(s: { db: Database.Database; file: string; nativeBinding?: string }, count: number, between?: (slice: number) => void, raw = false, paced?: SlicePace): boolean[] {
    s.db.exec('CREATE TABLE IF NOT EXISTS b (y BLOB)');
    s.db.pragma('wal_autocheckpoint = 0');
    const insert = s.db.prepare('INSERT INTO b VALUES (randomblob(3900))');
    const copied: boolean[] = [];
    for (let i = 1; i <= count; i++) {
      const slice = s.db.transaction(() => {
        for (let r = 0; r < 300; r++) insert.run();
      });
      if (raw) slice();
      else sliceWrite(s, pace(true), () => slice());
      between?.(i);
      const before = statSync(s.file).size;
      checkpointNow(s, paced);
      copied.push(statSync(s.file).size > before);
    }
    return copied;
  }

  const aside: SlicePace = { ...pace(true), aside: true };

  /** Waits (at most 5 s) for the file to grow past `size` while this thread does nothing else. */
  function grows(file: string, size: number): boolean {
    const until = performance.now() + 5000;
    while (statSync(file).size <= size && performance.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    return statSync(file).size > size;
  }

  /** Waits (at most 5 s) for the connection's checkpoint thread to have its connection open. */
  function threadReady(s: { db: Database.Database; file: string }): boolean {
    const until = performance.now() + 5000;
    while (!checkpointsAside(s)?.ready && performance.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    return checkpointsAside(s)?.ready ?? false;
  }

  it('aside: while nobody else commits, the checkpoints at ~2000 frames run on a thread of its own, which copies while this one waits for nothing', () => {
    const s = store();
    // The first look copies (nothing learnt yet), then ~2100 frames gather; at slice 8 the thread
    // starts, and while it opens its connection the job checkpoints on its own thread.
    expect(slices(s, 8, undefined, false, aside)).toEqual([true, false, false, false, false, false, false, true]);
    expect(checkpointsAside(s)?.started).toBe(0);
    expect(threadReady(s)).toBe(true);
    slices(s, 6, undefined, false, aside);
    expect(checkpointsAside(s)?.started).toBe(0);
    const before = statSync(s.file).size;
    slices(s, 1, undefined, false, aside);
    expect(checkpointsAside(s)?.started).toBe(1);
    // This thread runs no checkpoint of its own: the file grows anyway.
    expect(grows(s.file, before)).toBe(true);
    flushSlices(s, aside);
    const [left] = s.db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(left?.checkpointed).toBe(left?.log);
    // The job's end closes the thread.
    expect(checkpointsAside(s)).toEqual({ started: 1, spawned: false, ready: false, failure: null });
    s.db.close();
  });

  it('aside: the WAL starts again from its beginning every ~8000 frames, as the job then catches up on its own thread', () => {
    // Small pages, so the test writes 13 MB for its 24,000 frames (a page-sized row a frame).
    const s = store(512);
    const { db, file } = s;
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE b (y BLOB)');
    const insert = db.prepare('INSERT INTO b VALUES (randomblob(400))');
    const slice = db.transaction(() => {
      for (let r = 0; r < 300; r++) insert.run();
    });
    let largest = 0;
    let ready = false;
    for (let i = 1; i <= 80; i++) {
      sliceWrite(s, aside, () => slice());
      // Time for a checkpoint aside to end before the look (it covered the frames up to the slice
      // before: this slice was written beside it, so the WAL never ends up all copied by it alone).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      checkpointNow(s, aside);
      // Once started, the thread loads the driver (slower on a loaded machine): wait for it once.
      if (!ready && checkpointsAside(s)?.spawned) ready = threadReady(s);
      largest = Math.max(largest, statSync(`${file}-wal`).size);
    }
    expect(ready).toBe(true);
    expect(checkpointsAside(s)?.started).toBeGreaterThan(2);
    // Without the job's own checkpoints between them, the WAL would hold all 24,000 frames.
    const frame = 512 + 24;
    expect(largest).toBeLessThan((ASIDE_WAL_FRAMES + 3 * QUIET_CHECKPOINT_AT_FRAMES) * frame);
    flushSlices(s, aside);
    db.close();
  });

  it('aside: once another connection commits, the job copies on its own thread at ~600 frames as before', () => {
    const s = store();
    const other = new Database(s.file);
    other.pragma('wal_autocheckpoint = 0');
    const copied = slices(s, 7, (i) => other.prepare('INSERT INTO t VALUES (?)').run(i), false, aside);
    // Every look copies at ~600 frames (two slices of ~300), here, before it returns.
    expect(copied).toEqual([true, false, true, false, true, false, true]);
    expect(checkpointsAside(s)?.started ?? 0).toBe(0);
    other.close();
    s.db.close();
  });

  it('aside: a thread that cannot open the file is said once, and the job copies on its own thread', () => {
    const s = store();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // The thread is told a driver build that is not there.
      const elsewhere = { ...s, nativeBinding: join(dir!, 'missing.node') };
      // The thread starts at the eighth slice and says it failed when it has tried (later on a loaded machine).
      slices(elsewhere, 8, undefined, false, aside);
      for (let tries = 0; !checkpointsAside(elsewhere)?.failure && tries < 50; tries++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        slices(elsewhere, 1, undefined, false, aside);
      }
      expect(checkpointsAside(elsewhere)?.failure).toMatch(/could not open/);
      // From then on the job's own checkpoints copy again (within twice the mark).
      expect(slices(elsewhere, 16, undefined, false, aside).some(Boolean)).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    s.db.close();
  });

  it('while nobody else commits: after ~2000 frames', () => {
    const s = store();
    // The first look copies (nothing learnt yet); then no copy until seven slices have put ~2100 frames there.
    expect(slices(s, 9)).toEqual([true, false, false, false, false, false, false, true, false]);
    s.db.close();
  });

  it('after ~600 frames again once another connection commits (the counter on a job thread’s file)', () => {
    const s = store();
    const other = new Database(s.file);
    other.pragma('wal_autocheckpoint = 0'); // the counter's own copy would hide the job's
    // After slice 4 another connection commits a row: that look copies at ~600 frames (slices 2–4:
    // 900), the next ones again every ~600 while it keeps committing.
    const copied = slices(s, 7, (i) => {
      if (i >= 4) other.prepare('INSERT INTO t VALUES (?)').run(i);
    });
    expect(copied).toEqual([true, false, false, true, false, true, false]);
    other.close();
    s.db.close();
  });

  it('after ~600 frames once a payment commits on the job’s own connection (the host’s thread serves both)', () => {
    const s = store();
    // The data version does not move for the connection's own commits; its row changes do.
    const copied = slices(s, 7, (i) => {
      if (i >= 4) s.db.prepare('INSERT INTO t VALUES (?)').run(i);
    });
    expect(copied).toEqual([true, false, false, true, false, true, false]);
    s.db.close();
  });

  it('after every ~600 frames for writes that did not go through sliceWrite (not known to be the job’s own)', () => {
    const s = store();
    expect(slices(s, 5, undefined, true)).toEqual([true, false, true, false, true]);
    s.db.close();
  });

  it('flushSlices: before the last transaction every slice is in the file, so that transaction waits for its own frames only', () => {
    const s = store();
    expect(slices(s, 4)).toEqual([true, false, false, false]); // quiet: slices 2–4 wait in the WAL
    const before = statSync(s.file).size;
    flushSlices(s, pace(true));
    expect(statSync(s.file).size).toBeGreaterThan(before);
    const [left] = s.db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(left?.checkpointed).toBe(left?.log);
    // A pace that neither checkpoints nor skips the disk's wait has nothing to flush.
    s.db.prepare('INSERT INTO b VALUES (randomblob(3900))').run();
    const after = statSync(s.file).size;
    flushSlices(s, { targetMs: 40, gapMs: 0, checkpoint: false, lazySync: false });
    expect(statSync(s.file).size).toBe(after);
    s.db.close();
  });
});
