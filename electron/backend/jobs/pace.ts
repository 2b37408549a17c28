// Sizing a job's next slice by the pace of the last one (issue 18): a write transaction should
// hold the store about `targetMs` (well under the 250 ms bound), on a quiet machine or a busy one.
// The billing run, the imports and the period open size their slices the same way.

export class Pace {
  /** Tests: every slice takes this many items (a huge number: the one-transaction baseline). */
  static fixed: number | undefined;
  private next: number;

  constructor(
    /** The first slice's size, small enough for a slow machine. */
    first: number,
    private readonly targetMs = 80,
    private readonly min = 1,
    private readonly max = 100_000,
  ) {
    this.next = first;
  }

  /** How many items the next slice takes. */
  get size(): number {
    return Pace.fixed ?? this.next;
  }

  /** Times `slice` (which worked on `count` items) and sizes the next one from its pace (at most 1.5 times this one). */
  run<T>(count: number, slice: () => T): T {
    const started = performance.now();
    const result = slice();
    const ms = performance.now() - started;
    const paced = Math.round((count * this.targetMs) / Math.max(ms, 1));
    this.next = Math.max(this.min, Math.min(this.max, Math.round(Math.max(count, 1) * 1.5), paced));
    return result;
  }
}

/**
 * How the long jobs pace their write slices (issue 18): the billing run, the customer- and
 * readings-import commits and the period open all take these (the bench compares settings).
 * - `targetMs`: what one slice aims to hold the write lock for (sized by Pace, so by measured time).
 * - `gapMs`: the pause after a slice. Another process's write (the CLI, the host's thread when the
 *   job is on a job thread) that found the lock taken sleeps in SQLite's busy handler 1, 2, 5, 10,
 *   15, 20, 25, 25 … ms between tries; a gap shorter than those sleeps is mostly missed, so it would
 *   wait slice after slice.
 * - `checkpoint`: a PASSIVE checkpoint by the job between slices, so the WAL never passes SQLite's
 *   1000-page mark during the job and the counter's next commit does not copy it and fsync.
 * - `lazySync`: a slice commits without waiting for the disk (synchronous=NORMAL for that one
 *   transaction; the database stays consistent, a power cut may lose the last slices, which the
 *   job's own state resumes or re-files); the job's last transaction waits for the disk as every
 *   other write does (synchronous=FULL), and so flushes the slices before it. A payment's own
 *   commit stays FULL and flushes everything before it, so no payment can be lost by this.
 */
export interface SlicePace {
  targetMs: number;
  gapMs: number;
  checkpoint: boolean;
  lazySync: boolean;
}

const envNumber = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));

/** The pacing every sliced job uses now (environment overrides for the bench's comparisons). */
export const JOB_PACE: SlicePace = {
  targetMs: envNumber('GRIDDESK_SLICE_TARGET_MS', 40),
  gapMs: envNumber('GRIDDESK_SLICE_GAP_MS', 25),
  checkpoint: (process.env.GRIDDESK_SLICE_CHECKPOINT ?? '1') === '1',
  lazySync: (process.env.GRIDDESK_SLICE_LAZY_SYNC ?? '1') === '1',
};

/** The pacing of before this round (80 ms slices 10 ms apart, each synced, no checkpoint): the bench's comparison. */
export const PREVIOUS_PACE: SlicePace = { targetMs: 80, gapMs: 10, checkpoint: false, lazySync: false };

/** The store connection a job writes on (a structural type: pace.ts needs no back end import). */
interface SliceStore {
  db: { pragma(source: string, options?: { simple: boolean }): unknown; inTransaction: boolean };
}

/**
 * Runs one slice's write (`write` is the job's `backend.write(...)`) under the pace: with
 * `lazySync`, its commit does not wait for the disk. The connection's setting is put back at once,
 * so every other write on it (a payment served by the same process between slices) syncs as always.
 */
export function sliceWrite<T>(store: SliceStore, pace: SlicePace, write: () => T): T {
  if (!pace.lazySync || store.db.inTransaction) return write();
  const before = Number(store.db.pragma('synchronous', { simple: true }));
  if (before <= 1) return write(); // OFF or NORMAL already (a test store): nothing to relax
  store.db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    store.db.pragma(`synchronous = ${before}`);
  }
}

/** A PASSIVE checkpoint (it takes no write lock: another write may commit meanwhile); see SlicePace. */
export function checkpointNow(store: SliceStore): void {
  try {
    store.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // a busy or read-only file: the next commit's own checkpoint does it
  }
}

/** After a slice: the checkpoint (see SlicePace) and the pause that lets a waiting writer in. */
export async function betweenSlices(store: SliceStore, pace: SlicePace): Promise<void> {
  if (pace.checkpoint) checkpointNow(store);
  await new Promise((resolve) => setTimeout(resolve, pace.gapMs));
}
