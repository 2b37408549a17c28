import { writersWaiting } from '../db/waiting';
import { CheckpointAside, type AsideResult } from './checkpointAside';

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

  /**
   * Times `slice` (which worked on `count` items) and sizes the next one from its pace: at most
   * 1.5 times what was asked for this one. (A job that takes whole groups, such as the period open's
   * whole books, may take fewer items than asked; growing from what it took would never get past
   * one group when a group is more than two thirds of the size.)
   */
  run<T>(count: number, slice: () => T): T {
    const started = performance.now();
    const result = slice();
    this.measured(count, performance.now() - started);
    return result;
  }

  /** Sizes the next slice from one that worked on `count` items in `ms` (see run). */
  measured(count: number, ms: number): void {
    const asked = this.size;
    const paced = Math.round((count * this.targetMs) / Math.max(ms, 1));
    this.next = Math.max(this.min, Math.min(this.max, Math.round(Math.max(count, asked, 1) * 1.5), paced));
  }
}

/**
 * How the long jobs pace their write slices (issue 18): the billing run, the customer- and
 * readings-import commits and the period open all take these (the bench compares settings).
 * - `targetMs`: what one slice aims to hold the write lock for (sized by Pace, so by measured time).
 * - `gapMs`: a pause after every slice (0 now: the bench's comparison with the fixed gaps of
 *   before). Between slices the job takes a turn of its event loop (a payment served by the same
 *   thread gets in) and then holds back while another writer waits for the lock (db/waiting.ts: a
 *   write on another thread or in another process that found the lock taken announces itself and
 *   tries every millisecond), so the job pauses only when somebody needs the lock, and only as long.
 * - `checkpoint`: a PASSIVE checkpoint by the job between slices once they have put ~600 frames
 *   into the WAL, so the WAL never passes SQLite's 1000-page mark during the job and the counter's
 *   next commit does not copy it and fsync.
 * - `lazySync`: a slice commits without waiting for the disk (synchronous=NORMAL for that one
 *   transaction; the database stays consistent, a power cut may lose the last slices, which the
 *   job's own state resumes or re-files); the job's last transaction waits for the disk as every
 *   other write does (synchronous=FULL), and so flushes the slices before it. A payment's own
 *   commit stays FULL and flushes everything before it, so no payment can be lost by this.
 * - `aside`: while nobody else writes, the checkpoints between slices run on a thread of their own
 *   (checkpointNow, jobs/checkpointAside.ts): a sliced job no longer stops for their waits on the disk.
 * - `shortHere`: while the job's own thread also serves the counter, shorter slices and parts
 *   (sliceTargetMs, slicePart).
 */
export interface SlicePace {
  targetMs: number;
  gapMs: number;
  checkpoint: boolean;
  lazySync: boolean;
  aside?: boolean;
  shortHere?: boolean;
}

const envNumber = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));

/**
 * The pacing every sliced job uses now (environment overrides for the bench's comparisons). A
 * request for the thread a job runs on waits for the rest of the slice; a write from another
 * thread or process announces that it waits and the slice commits at its next part (sliceDone).
 * Longer slices on a job thread (100 ms) were tried: fewer commits rewrite the same hot pages, but
 * the billing run's slices cannot stop part-way and the bigger checkpoints between slices slowed
 * the payments beside them (payment p95 on a job thread 72–78 ms against 32–42 ms at 40 ms).
 */
export const JOB_PACE: SlicePace = {
  targetMs: envNumber('GRIDDESK_SLICE_TARGET_MS', 40),
  gapMs: envNumber('GRIDDESK_SLICE_GAP_MS', 0),
  checkpoint: (process.env.GRIDDESK_SLICE_CHECKPOINT ?? '1') === '1',
  lazySync: (process.env.GRIDDESK_SLICE_LAZY_SYNC ?? '1') === '1',
  aside: (process.env.GRIDDESK_SLICE_CHECKPOINT_ASIDE ?? '1') === '1',
  shortHere: (process.env.GRIDDESK_SLICE_SHORT_HERE ?? '1') === '1',
};

/** The pacing of the round before (80 ms slices 10 ms apart, each synced, no checkpoint): the bench's comparison. */
export const PREVIOUS_PACE: SlicePace = { targetMs: 80, gapMs: 10, checkpoint: false, lazySync: false };

/** The store connection a job writes on (a structural type: pace.ts needs no back end import). */
export interface SliceStore {
  file: string;
  /** better-sqlite3's native binding, for a checkpoint thread's connection (db/open.ts). */
  nativeBinding?: string | undefined;
  db: object & {
    pragma(source: string, options?: { simple: boolean }): unknown;
    prepare(source: string): { pluck(): { get(): unknown } };
    inTransaction: boolean;
  };
}

/**
 * Runs one slice's write (`write` is the job's `backend.write(...)`) under the pace: with
 * `lazySync`, its commit does not wait for the disk. The connection's setting is put back at once,
 * so every other write on it (a payment served by the same process between slices) syncs as always.
 */
export function sliceWrite<T>(store: SliceStore, pace: SlicePace, write: () => T): T {
  if (store.db.inTransaction) return write();
  const before = pace.lazySync ? Number(store.db.pragma('synchronous', { simple: true })) : 0;
  const relax = before > 1; // OFF or NORMAL already (a test store): nothing to relax
  // The job checkpoints between its slices (checkpointNow); SQLite's own checkpoint after a commit
  // past 1000 frames would do it inside the slice, on every slice.
  const autoBefore = pace.checkpoint ? Number(store.db.pragma('wal_autocheckpoint', { simple: true })) : 0;
  if (relax) store.db.pragma('synchronous = NORMAL');
  if (autoBefore > 0) store.db.pragma('wal_autocheckpoint = 0');
  const state = sliceState(store.db);
  // A write on this connection since the job's last slice (a payment served by this thread):
  // somebody else writes, so the next checkpoint comes early (checkpointNow) and the next slices
  // are shorter (sliceTargetMs).
  if (state.changesAfterSlice !== undefined && totalChanges(store.db) !== state.changesAfterSlice) {
    state.otherWrote = true;
    // Recent only if the last slice was (an earlier job's slice long ago says nothing of the counter now).
    const now = performance.now();
    if (state.sliceEndedAt !== undefined && now - state.sliceEndedAt < SERVED_HERE_MS) state.servedHereAt = now;
  }
  try {
    return write();
  } finally {
    state.changesAfterSlice = totalChanges(store.db);
    state.sliceEndedAt = performance.now();
    if (relax) store.db.pragma(`synchronous = ${before}`);
    if (autoBefore > 0) store.db.pragma(`wal_autocheckpoint = ${autoBefore}`);
  }
}

/** A job checkpoints once its slices have put about this many frames into the WAL (SQLite's own mark is 1000). */
export const CHECKPOINT_AT_FRAMES = 600;

/**
 * The same while nobody else writes to the file: about 8 MB of WAL. A commit of the counter that
 * comes then copies those frames once before it returns (~10 ms a thousand frames here,
 * 2026-12-06), and the job goes back to CHECKPOINT_AT_FRAMES at its next slice. Every PASSIVE
 * checkpoint copies the pages the slices since the last one changed, the index pages every slice
 * touches among them, so fewer checkpoints copy them fewer times: the 50,000-row customer-import
 * commit on a job thread took 3.34 s instead of 3.75 s (medians of 3, one transaction 3.35 s, on
 * the 100,000-customer station; 4,000 frames: 3.20 s).
 */
export const QUIET_CHECKPOINT_AT_FRAMES = 2000;

/**
 * Per connection, what the job's slices learn between them: slices since the job's last
 * checkpoint, the WAL frames a slice adds (learnt from the last one), the file's data version at
 * the last look (it moves when another connection commits), the connection's row changes when the
 * job's last slice ended (they move when somebody else writes on the same connection: a payment
 * served by the host's thread between two slices), whether they moved since the last look, and
 * when they last did (sliceTargetMs).
 */
interface SliceState {
  slices: number;
  framesPerSlice: number;
  /** The WAL's frames at the last checkpoint aside (0 after the job's own: the WAL starts again). */
  walFrames: number;
  dataVersion?: number | undefined;
  changesAfterSlice?: number | undefined;
  otherWrote: boolean;
  /** When a write of somebody else on this connection was last seen between two slices (performance.now()). */
  servedHereAt?: number | undefined;
  /** When the last slice on this connection ended (performance.now()). */
  sliceEndedAt?: number | undefined;
}
const sliceStates = new WeakMap<object, SliceState>();

function sliceState(db: object): SliceState {
  let state = sliceStates.get(db);
  if (!state) sliceStates.set(db, (state = { slices: 0, framesPerSlice: Number.POSITIVE_INFINITY, walFrames: 0, otherWrote: false }));
  return state;
}

/** The rows the connection's statements have changed since it opened (triggers' included). */
const totalChanges = (db: SliceStore['db']) => Number(db.prepare('SELECT total_changes()').pluck().get());

/**
 * The PASSIVE checkpoint between slices (it takes no write lock: another write may commit
 * meanwhile), once the slices since the last one have put about CHECKPOINT_AT_FRAMES frames into
 * the WAL: the WAL stays under SQLite's 1000-frame mark, so the counter's next commit does not
 * copy it and fsync. (A slice of 40 ms writes more than that, so in practice after every slice;
 * SQLite's own checkpoint is off during the slice, see sliceWrite.)
 *
 * With `pace.aside`, the quiet checkpoints (nobody else writes: at QUIET_CHECKPOINT_AT_FRAMES) run
 * on a thread of their own (jobs/checkpointAside.ts) while the job goes on; a look that comes while
 * the last one still copies lets the slices wait for the next look, up to twice that mark. Once
 * somebody else writes, the job waits for a checkpoint still running aside and runs its own as
 * before: a thread copying beside the slices while payments came every 50 ms was tried and dropped
 * (the WAL stayed over the mark and the payments between slices did the copying: payment p95 42 →
 * 76 ms beside the import on a job thread).
 */
export function checkpointNow(store: SliceStore, pace?: SlicePace): void {
  const state = sliceState(store.db);
  state.slices += 1;
  // Quiet: nobody else committed since the last look, on another connection (the file's data
  // version moved) or on this one (its row changes moved since the job's slice), and nobody waits
  // to. Only a job whose slices went through sliceWrite is known to be alone on its connection.
  const version = Number(store.db.pragma('data_version', { simple: true }));
  const ownOnly = state.changesAfterSlice !== undefined && !state.otherWrote && totalChanges(store.db) === state.changesAfterSlice;
  const quiet = ownOnly && version === state.dataVersion && !writersWaiting(store.file);
  state.dataVersion = version;
  state.otherWrote = false;
  const aside = pace?.aside ? asideOf(store) : undefined;
  // What a checkpoint aside did once it has ended (it covered the slices before it started).
  if (aside && !aside.running) learn(state, aside.settle());
  if (state.slices * state.framesPerSlice < (quiet ? QUIET_CHECKPOINT_AT_FRAMES : CHECKPOINT_AT_FRAMES)) return;
  if (aside?.running) {
    // Quiet, and the last one still copies: the slices wait for the next look, up to twice the mark.
    if (quiet && state.slices * state.framesPerSlice < 2 * QUIET_CHECKPOINT_AT_FRAMES) return;
    // Somebody else writes, or the slices have outrun it past twice the mark: wait for it, then
    // checkpoint as below.
    learn(state, aside.settle());
  }
  // The WAL starts again from its beginning only when a write finds every frame copied, which a
  // checkpoint aside never leaves (the slices go on beside it): every ASIDE_WAL_FRAMES the job's own
  // checkpoint catches up, so the WAL file stops growing with the job (the 50,000-row import's
  // peaked at 68 MB, against 191 MB without this and 42 MB without checkpoints aside).
  if (quiet && state.walFrames < ASIDE_WAL_FRAMES && aside?.start(state.slices)) {
    state.slices = 0;
    return;
  }
  try {
    const [answer] = store.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    // `log`: the frames in the WAL, those of other writes between the slices included (after
    // checkpoints aside, those before the last one's too: they are left out).
    if (answer && answer.log > state.walFrames) state.framesPerSlice = (answer.log - state.walFrames) / state.slices;
  } catch {
    // a busy or read-only file: the next commit's own checkpoint does it
  }
  state.slices = 0;
  state.walFrames = 0;
}

/** The WAL's frames at which the job's own checkpoint catches up after checkpoints aside (~31 MB). */
export const ASIDE_WAL_FRAMES = 8000;

/**
 * What a checkpoint aside did: the WAL's frames (`log`) when it ran, and so the frames a slice adds
 * (those since the last checkpoint aside, over the slices between them).
 */
function learn(state: SliceState, result: AsideResult | undefined): void {
  if (!result || result.frames <= state.walFrames) return;
  if (result.slices > 0) state.framesPerSlice = (result.frames - state.walFrames) / result.slices;
  state.walFrames = result.frames;
}

/** Per connection: its checkpoint thread (jobs/checkpointAside.ts), once a job has asked for one. */
const asides = new WeakMap<object, CheckpointAside>();

/** The checkpoints a job on this connection has run aside so far, its thread's state, and why it could not (tests). */
export function checkpointsAside(store: SliceStore): { started: number; spawned: boolean; ready: boolean; failure: string | null } | undefined {
  const aside = asides.get(store.db);
  return aside ? { started: aside.started, spawned: aside.spawned, ready: aside.ready, failure: aside.failure } : undefined;
}

function asideOf(store: SliceStore): CheckpointAside {
  let aside = asides.get(store.db);
  if (!aside) asides.set(store.db, (aside = new CheckpointAside(store)));
  return aside;
}

/**
 * Before a sliced job's last transaction, which waits for the disk (synchronous=FULL): a PASSIVE
 * checkpoint copies the slices' frames into the file and waits for the disk outside any write lock,
 * so the last transaction waits only for its own few frames. Without it, the last transaction
 * flushed every slice not yet checkpointed (up to QUIET_CHECKPOINT_AT_FRAMES frames, ~8 MB):
 * the 100,000-point period open's last write took 171–189 ms, against 11–17 ms with it.
 */
export function flushSlices(store: SliceStore, pace: SlicePace): void {
  if (!pace.checkpoint && !pace.lazySync) return;
  // A checkpoint still copying aside ends first (its thread closes: the job is at its end).
  asides.get(store.db)?.close();
  try {
    store.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // a busy or read-only file: the last transaction flushes the slices itself
  }
  const state = sliceStates.get(store.db);
  if (state) {
    state.slices = 0;
    state.walFrames = 0;
    // The job ends: what is written on the connection from now on is nobody's between its slices.
    state.changesAfterSlice = undefined;
    state.sliceEndedAt = undefined;
  }
}

/**
 * How long after a write served between two slices on the job's own connection the slices stay
 * short (sliceTargetMs): while a clerk is taking payments one after another, not after the last.
 */
export const SERVED_HERE_MS = 2_000;

/** Whether somebody else wrote on the job's own connection (the host's thread) in the last SERVED_HERE_MS. */
function servingHere(store: { db?: object }, pace: SlicePace): boolean {
  const at = pace.shortHere && store.db ? sliceStates.get(store.db)?.servedHereAt : undefined;
  return at !== undefined && performance.now() - at < SERVED_HERE_MS;
}

/**
 * What a slice aims to hold the lock for now: the pace's time, or half of it while the job's own
 * thread also serves the counter (a job on the host's thread when no job thread could start). A
 * write from another thread or process ends the slice at its next part (sliceDone), but a request
 * for the job's own thread is not heard until the slice has ended: it waits for the rest of it.
 * Beside the 50,000-row import with payments every 50 ms on that thread (the nowait bench's
 * `counterOnHostThread`, six runs): payment p95 31–46 ms with these shorter slices, 24–73 ms with
 * whole ones (over 50 ms in five runs of six); the import took about a quarter longer beside it.
 */
export function sliceTargetMs(store: { db?: object }, pace: SlicePace): number {
  return servingHere(store, pace) ? pace.targetMs / 2 : pace.targetMs;
}

/**
 * How many items a slice takes between two looks at its time (sliceDone): `part`, or a quarter of
 * it while the job's own thread also serves the counter (see sliceTargetMs), so a slice ends within
 * a few ms of its time. Smaller parts cost a third more per item, so only then.
 */
export function slicePart(store: { db?: object }, pace: SlicePace, part: number): number {
  return servingHere(store, pace) ? Math.max(1, Math.ceil(part / 4)) : part;
}

/**
 * Inside a slice, between two of its parts: true when the slice should commit now, because it has
 * held the lock for its time (sliceTargetMs) or because another writer waits for it (db/waiting.ts).
 */
export function sliceDone(store: { file: string; db?: object }, pace: SlicePace, began: number): boolean {
  return performance.now() - began >= sliceTargetMs(store, pace) || writersWaiting(store.file);
}

/** The longest a job holds back for waiting writers before it takes its next slice anyway. */
export const MAX_YIELD_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets waiting writers in: a turn of the event loop (what arrived for this thread is served), then,
 * while another thread or process announces that it waits for the lock (db/waiting.ts), a
 * millisecond at a time until it has written (at most MAX_YIELD_MS, so a stuck entry cannot stop
 * the job).
 */
export async function yieldToWriters(store: { file: string }): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const until = performance.now() + MAX_YIELD_MS;
  while (writersWaiting(store.file) && performance.now() < until) await pause(1);
}

/** After a slice: the checkpoint (see SlicePace), the pace's fixed gap if any, and waiting writers. */
export async function betweenSlices(store: SliceStore, pace: SlicePace): Promise<void> {
  if (pace.checkpoint) checkpointNow(store, pace);
  if (pace.gapMs > 0) await pause(pace.gapMs);
  await yieldToWriters(store);
}
