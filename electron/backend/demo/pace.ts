// How the demo builder paces its writes (issue 18, "Nothing waits"): every step writes in slices,
// each one transaction that commits once it has held the store DEMO_PACE.targetMs, with a turn of
// the event loop between slices. The demo writes its own file, which nobody else opens until the
// rename, so no other writer waits for a slice; what the slices bound is how long the building
// process's thread is held at a time (in the desktop app's first run, the back-end process, or
// its job thread). The random draws go in the same order whatever the slices, so the station
// built is the same (demo/slices.test.ts builds it in one transaction per loop and in slices of 7).
import type { Actor, Unit } from '../audit/record';
import type { Backend } from '../context';
import { checkpointNow, Pace, sliceWrite, type SlicePace, type SliceStore } from '../jobs/pace';
import { yieldToLoop } from '../jobs/runner';

/**
 * The demo's slices: ~40 ms each, as a desk's job aims at beside the counter (20 ms was tried: at
 * 20,000 customers it made twice the commits and the build ×1.23 the one-transaction baseline
 * against ×1.05 at 40 ms, whose longest write was 85 ms), no gap but a turn of the loop, and the
 * job's own PASSIVE checkpoint between slices (jobs/pace.ts checkpointNow) instead of SQLite's
 * inside a commit. No fsync per slice: the building file runs without
 * syncing at all (see tuneBuildingFile) and is synced before the rename.
 */
export const DEMO_PACE: SlicePace = { targetMs: 40, gapMs: 0, checkpoint: true, lazySync: true };

/** The building connection's tuning is on (GRIDDESK_DEMO_TUNING=0: off, the bench's comparison). */
const tuning = () => process.env.GRIDDESK_DEMO_TUNING !== '0';

/**
 * The building file's connection, once the station is set up: no fsync (synchronous=OFF: a crash
 * of the machine may leave the file damaged, but a stopped build's file is discarded anyway, see
 * demo/stopped.ts) and no checkpoint by SQLite inside a commit (wal_autocheckpoint=0; the slices
 * checkpoint between them, see between). Without them a commit copied the WAL into the file
 * and synced it: at 5,000 customers the payments' slices took a median 53 ms for 20 ms of work.
 */
export function tuneBuildingFile(store: SliceStore): void {
  if (!tuning()) return;
  store.db.pragma('synchronous = OFF');
  store.db.pragma('wal_autocheckpoint = 0');
}

/** Before the close and the rename: the file synced whole (FULL again, the WAL copied in and emptied). */
export function syncBuildingFile(store: SliceStore): void {
  store.db.pragma('synchronous = FULL');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Between two slices: the job's checkpoint when due (jobs/pace.ts), then a turn of the event loop. */
export async function between(store: SliceStore): Promise<void> {
  checkpointNow(store);
  await yieldToLoop();
}

/**
 * For reads and planning between slices, done a piece at a time: `await breathe()` after each
 * piece gives the loop a turn once DEMO_PACE.targetMs has passed since the last one (issue 18: a
 * step's reads in one piece held the building thread 1.85 s at 20,000 customers).
 */
export function breather(): () => Promise<void> {
  let held = performance.now();
  return async () => {
    if (performance.now() - held < DEMO_PACE.targetMs) return;
    await yieldToLoop();
    held = performance.now();
  };
}

/**
 * Items per slice when the size is fixed (Pace.fixed: the tests' small slices, the one-transaction
 * baseline's huge ones); undefined when slices are sized by time.
 */
export function fixedSliceSize(): number | undefined {
  return Pace.fixed;
}

export interface SliceOptions {
  /** Called after each slice's commit with the items written so far (progress; it may yield). */
  afterSlice?: (done: number) => void | Promise<void>;
  /** At least this many items in a slice even when they take longer than the pace (default 1). */
  atLeast?: number;
  /** Inside each slice's transaction, after its items: `upTo` is the index after its last item (a counter brought up to date). */
  endSlice?: (unit: Unit, upTo: number) => void;
}

/**
 * Writes `items` in order, `write(unit, item, index)` each, in slices: a slice is one
 * transaction that takes items until it has held the store DEMO_PACE.targetMs (or Pace.fixed
 * items), commits, and gives the loop a turn before the next. An item is never split, so an item
 * should be small (a customer's tariff, a reading, a review, a payment). Returns the slices.
 */
export async function writeInSlices<T>(
  backend: Backend,
  actor: Actor,
  items: readonly T[],
  write: (unit: Unit, item: T, index: number) => void,
  options: SliceOptions = {},
): Promise<number> {
  let at = 0;
  let slices = 0;
  const atLeast = options.atLeast ?? 1;
  while (at < items.length) {
    const fixed = fixedSliceSize();
    const began = performance.now();
    const from = at;
    const end = fixed === undefined ? items.length : Math.min(items.length, from + fixed);
    const upTo = sliceWrite(backend.store, DEMO_PACE, () =>
      backend.write(actor, (unit) => {
        let i = from;
        do {
          write(unit, items[i] as T, i);
          i += 1;
        } while (i < end && (fixed !== undefined || i - from < atLeast || performance.now() - began < DEMO_PACE.targetMs));
        options.endSlice?.(unit, i);
        return i;
      }),
    );
    at = upTo;
    slices += 1;
    await options.afterSlice?.(at);
    await between(backend.store);
  }
  return slices;
}

/**
 * Runs `write` (one transaction that works on up to `size` items and says how many it took) until
 * it takes none, sized by pace: the next size from the last one's measured time (jobs/pace.ts),
 * or Pace.fixed. For writes that choose their own items (the drafts issueDrafts issues, a limit
 * at a time). Returns the items written.
 */
export async function writeUntilDone(backend: Backend, first: number, write: (size: number) => number, max = 5000): Promise<number> {
  const pace = new Pace(first, DEMO_PACE.targetMs, 1, max);
  let total = 0;
  for (;;) {
    const size = pace.size;
    const began = performance.now();
    const taken = sliceWrite(backend.store, DEMO_PACE, () => write(size));
    pace.measured(Math.max(taken, 1), performance.now() - began);
    total += taken;
    if (taken < size) return total;
    await between(backend.store);
  }
}
