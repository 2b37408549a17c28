import type { JobState } from '../../../shared/contract';
import type { Fen } from '../../../shared/money';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { ParallelRead } from '../db/parallelRead';
import { changeCounter, changesSince, type Change } from '../db/changes';
import { sql } from '../db/sql';
import { periodPublished } from '../readings/due';
import type { ReadableDB } from '../db/store';
import type { JobProgress } from '../jobs/runner';
import { writeStoppedImportKeys } from '../customers/importKeys';
import { checkpointNow as betweenSlicesCheckpoint, flushSlices, JOB_PACE, sliceDone, slicePart, sliceWrite, type SlicePace, yieldToWriters } from '../jobs/pace';
import { runInJobThread } from '../jobs/thread';
import { discardStoppedOpens } from '../readings/periods';
import { AppError } from '../errors';
import { billNumber, recordBills, reserveBillNumbers, stageBill, writeStaged, type StagedBill, type WrittenBill } from './bills';
import { BillingContext, gatherInputs, isProblem, type BillingScope, type PreparedProblem } from './calculate';
import { discardStoppedDemoBuild } from '../demo/stopped';

// The billing run (核算): a job that bills every customer of the period (or of one book) whose
// readings are all reviewed and who has no bill in force yet. Bills are computed and staged (their
// rows and head-office JSON made) in chunks with progress between them, then numbered and written
// in slices of a few hundred milliseconds each (issue 18: a payment at the counter, or the CLI,
// never waits for more than one slice), under a run state that keeps the run all-or-nothing for
// the clerk (migration 0011): while the run writes, it is listed in billing_runs_open and its bills
// stay out of the `bills` view every reader uses; its last, short transaction writes the run's
// record and removes the open row, and every bill appears at once. A run that stops half-way
// (crash, power cut) is resumed by the next run of the period or the back end's next start: it
// bills the customers not written yet, then finishes. A rerun bills only what is not billed yet.

const CHUNK = 2000;
/** Sliced, bills are computed between slices in pieces of this many ms, a turn of the event loop between. */
const COMPUTE_PIECE_MS = 15;
/** Bills written between two looks at the slice's time and at waiting writers (a few ms of work). */
const SLICE_PART = 200;

const FIRST_SLICE = 400;
const MIN_SLICE = 50;
const MAX_SLICE = 5000;
/** An open run whose last slice is older than this has stopped (its process died): it is resumed. */
export const STOPPED_AFTER_MS = 60_000;

/** Metering points due in scope from which a run reads on two threads: a thread costs more than it saves on a book. */
export const PARALLEL_FROM = 20_000;

export interface RunOptions {
  /** Overrides PARALLEL_FROM (tests). */
  parallelFrom?: number;
  /** false: compute every bill on its own, none shared (the bench's worst case; see BillingContext). */
  shareBills?: boolean;
  /** false: write every bill in one transaction, as before issue 18 (the bench's baseline). */
  sliced?: boolean;
  /** Called after each committed slice with its bills and how long its transaction took (bench, tests). */
  onSlice?: (bills: number, ms: number) => void | Promise<void>;
  /** Tests: stop (throw) after this many slices have committed, as a crash would. */
  stopAfterSlices?: number;
  /** Tests: a fixed number of bills per slice instead of sizing slices by their pace. */
  sliceSize?: number;
  /** Tests: runs inside each slice's transaction (a slow disk, to prove others still get their turn). */
  inSlice?: () => void;
  /** The bench's comparison with earlier settings (jobs/pace.ts SlicePace). */
  pace?: SlicePace;
}

/** How the slices are paced now: the jobs' common pacing (jobs/pace.ts). */
export const SLICE_PACE = JOB_PACE;

/** Metering points due in the run's scope: decides whether a second thread is worth starting. */
function dueInScope(db: ReadableDB, scope: BillingScope): number {
  if (scope.customerId) return 1;
  return (
    db.value<number>(
      scope.bookId
        ? sql`SELECT count(*) FROM reading_due WHERE period = ${scope.period} AND book_id = ${scope.bookId} AND ${periodPublished(scope.period)}`
        : sql`SELECT count(*) FROM reading_due WHERE period = ${scope.period} AND ${periodPublished(scope.period)}`,
    ) ?? 0
  );
}

export interface BillingRunResult {
  runId: string;
  period: string;
  bookId: string | null;
  billed: number;
  totalFen: Fen;
  kwh: number;
  flagged: number;
  problems: number;
  /** In scope with a bill in force already (not billed again). */
  alreadyBilled: number;
  /** In scope still waiting for a reading or its review. */
  waiting: number;
  /** Readings or bills that changed while the run was computing: left for the next run. */
  changed: number;
  /** Whether part of the gathering was read on a second thread (see parallelRead.ts). */
  twoThreads: boolean;
  /** Bills computed; the others shared the computed bill of a customer with the same tariff and input. */
  computed: number;
  /** Write transactions the run took (1 + its slices), and the longest, in ms (this machine's business). */
  slices?: number;
  longestSliceMs?: number;
  /** A stopped run this run resumed and finished first. */
  resumed?: string[];
}

/**
 * What a bill depends on, by outbox entity: the readings and their reviews, bills in force and
 * their voids and corrections (another run finishing), the customer record, its points and
 * meters, and the prices. A change to any of these between computing and writing is rechecked;
 * others (payments, ledger, staff, sync …) leave the run alone (db/changes.ts).
 */
const BILL_INPUTS = new Set(['reading', 'reading_review', 'bill', 'bill_void', 'bill_correction', 'billing_run', 'customer', 'metering_point', 'meter', 'tariff_version', 'billing_policy', 'billing_meter_extra']);
/** Changes whose customers cannot be told from the change: every bill not written yet waits for the next run. */
const AFFECTS_ALL = new Set(['tariff_version', 'billing_policy', 'billing_meter_extra']);

/** The customers whose bills a change makes stale (null: all of them), beyond what gatherInputs sees again. */
function customersChanged(db: ReadableDB, changes: readonly Change[]): Set<string> | null {
  const out = new Set<string>();
  const points: string[] = [];
  const meters: string[] = [];
  for (const c of changes) {
    if (AFFECTS_ALL.has(c.entity)) return null;
    if (c.entity === 'customer') out.add(c.entity_id);
    else if (c.entity === 'metering_point') points.push(c.entity_id);
    else if (c.entity === 'meter') meters.push(c.entity_id);
  }
  for (let i = 0; i < points.length; i += 500) {
    for (const id of db.column<string>(sql`SELECT customer_id FROM metering_points WHERE id IN ${sql.list(points.slice(i, i + 500))}`)) out.add(id);
  }
  for (let i = 0; i < meters.length; i += 500) {
    for (const id of db.column<string>(sql`SELECT p.customer_id FROM meters m JOIN metering_points p ON p.id = m.point_id WHERE m.id IN ${sql.list(meters.slice(i, i + 500))}`)) out.add(id);
  }
  return out;
}

/** A run that is writing, or stopped while writing (migration 0011). */
interface OpenRun {
  run_id: string;
  period: string;
  book_id: string | null;
  customer_id: string | null;
  run_by: string | null;
  started_at: number;
  heartbeat_at: number;
  bills: number;
  total_fen: number;
  kwh: number;
}

/** Runs this process is writing now, per database file (another process's runs keep their heartbeat fresh). */
const writing = new Set<string>();
const writingKey = (backend: Backend, runId: string) => `${backend.store.file}\u0000${runId}`;

function openRuns(db: ReadableDB, period?: string): OpenRun[] {
  return period
    ? db.all<OpenRun>(sql`SELECT * FROM billing_runs_open WHERE period = ${period} ORDER BY started_at`)
    : db.all<OpenRun>(sql`SELECT * FROM billing_runs_open ORDER BY started_at`);
}

/** Open runs nobody is writing: this process is not, and no other has written a slice for a minute. */
export function stoppedRuns(backend: Backend, period?: string): OpenRun[] {
  const now = backend.now();
  return openRuns(backend.store.read, period).filter((r) => !writing.has(writingKey(backend, r.run_id)) && now - r.heartbeat_at >= STOPPED_AFTER_MS);
}

/**
 * Computes and writes one run; `progress` sees the computing and the writing. A stopped run of the
 * same period is resumed and finished first; one still being written (here or by another process)
 * makes this run wait its turn: it is refused.
 */
export async function runBilling(backend: Backend, actor: Actor, scope: BillingScope, progress?: JobProgress, options: RunOptions = {}): Promise<BillingRunResult> {
  const resumed: string[] = [];
  for (const open of openRuns(backend.store.read, scope.period)) {
    const stopped = stoppedRuns(backend, scope.period).some((r) => r.run_id === open.run_id);
    if (!stopped) throw new AppError('conflict', 'billing.runInProgress', { period: scope.period });
    await billScope(backend, actor, { period: open.period, bookId: open.book_id ?? undefined, customerId: open.customer_id ?? undefined }, progress, options, open);
    resumed.push(open.run_id);
  }
  const result = await billScope(backend, actor, scope, progress, options);
  return resumed.length ? { ...result, resumed } : result;
}

/** Resumes every stopped run (the back end's start): each as a job of the staff member who started it. */
export function resumeStoppedRuns(backend: Backend): JobState[] {
  if (!backend.station()) return [];
  return stoppedRuns(backend).map((open) =>
    backend.jobs.start('billing.run', open.run_by, (progress) =>
      billScope(backend, { staffId: open.run_by, label: 'system' }, { period: open.period, bookId: open.book_id ?? undefined, customerId: open.customer_id ?? undefined }, progress, {}, open),
    ),
  );
}

/**
 * At the back end's start: resumes the runs a crash stopped. A run whose last slice is recent may
 * be another process's (the CLI's) still writing, or this one's from just before the crash: it is
 * looked at again once it would count as stopped.
 */
export function scheduleRunResume(backend: Backend): void {
  try {
    discardStoppedOpens(backend); // a period open a crash stopped: its staged due rows go (issue 18)
    // A customer import a crash stopped: its customers get their search keys (issue 18).
    if (!backend.store.readonly) void writeStoppedImportKeys(backend).catch((error: unknown) => console.error('customers: the search keys of a stopped import failed', error));
    if (backend.paths.db !== ':memory:' && discardStoppedDemoBuild(backend.paths.db)) console.warn('demo: a stopped demo build was discarded');
    resumeStoppedRuns(backend);
    if (openRuns(backend.store.read).some((r) => !writing.has(writingKey(backend, r.run_id)))) {
      setTimeout(() => {
        if (backend.store.isOpen) scheduleRunResume(backend);
      }, STOPPED_AFTER_MS).unref();
    }
  } catch (error) {
    console.error('billing: resuming stopped runs failed', error);
  }
}

async function billScope(backend: Backend, actor: Actor, scope: BillingScope, progress: JobProgress | undefined, options: RunOptions, resume?: OpenRun): Promise<BillingRunResult> {
  const startedAt = resume?.started_at ?? backend.now();
  const runId = resume?.run_id ?? uuidv7(startedAt);
  const key = writingKey(backend, runId);
  writing.add(key);
  try {
    return await computeAndWrite(backend, actor, scope, progress, options, runId, startedAt, resume);
  } finally {
    writing.delete(key);
  }
}

async function computeAndWrite(
  backend: Backend,
  actor: Actor,
  scope: BillingScope,
  progress: JobProgress | undefined,
  options: RunOptions,
  runId: string,
  startedAt: number,
  resume: OpenRun | undefined,
): Promise<BillingRunResult> {
  const db = backend.store.read;
  // The store's change counter when the inputs are read; moved past by this run's own slices.
  let expected = changeCounter(db);
  const context = new BillingContext(db, scope, { share: options.shareBills ?? true });
  // At a whole station's size, the customers' year of bills is read on the second core while this
  // thread gathers the month's readings (see parallelRead.ts).
  const parallel = dueInScope(db, scope) >= (options.parallelFrom ?? PARALLEL_FROM);
  const reads = context.reads({ tierYears: parallel });
  const alongside = parallel ? ParallelRead.start({ file: backend.store.file, nativeBinding: backend.driver.nativeBinding }, reads) : null;
  const inputs = gatherInputs(db, scope);
  context.load(alongside ? await alongside.rowsOf(db) : reads.map((q) => db.rows(q)));
  // A resumed run's bills are written but not in force yet (not in `bills`): those customers are done.
  const writtenBefore = resume
    ? new Set(db.column<string>(sql`SELECT customer_id FROM bill_rows WHERE period = ${scope.period} AND run_id = ${runId}`))
    : new Set<string>();
  const todo = inputs.ready.filter((r) => !inputs.billed.has(r.customer.id) && !writtenBefore.has(r.customer.id));
  context.loadTierYearUsage(todo.map((r) => r.customer));
  const steps = todo.length * 2 + 1; // computing, then writing each bill, then the run's record
  await progress?.tick(0, steps);
  const origin = { runId, kind: 'regular' as const, replacesBillId: null };
  const station = backend.requireStation();
  let staged: StagedBill[] = [];
  const problems: PreparedProblem[] = [];
  const sliced = options.sliced ?? true;
  /** How many of `todo` have been computed (staged or found a problem), and how many a change left out before computing. */
  let computed = 0;
  let skipped = 0;
  // Whatever changed while computing or between slices (a reading corrected, a bill voided,
  // another run finished, the customer record edited) waits for the next run rather than being
  // billed on stale figures or twice. `stillValid` is the test for bills not written yet, and for
  // customers not computed yet (computed from the inputs read at the start).
  let billedNow = new Set<string>();
  let stillValid: ((customerId: string, readingIds: readonly string[]) => boolean) | null = null;
  const editedSoFar = new Set<string>();
  let allEdited = false;
  const computeOne = () => {
    const item = todo[computed++];
    if (!item) return;
    if (stillValid && !stillValid(item.customer.id, item.readings.map((x) => x.id))) {
      skipped += 1;
      return;
    }
    const result = context.prepare(item.customer, item.readings, item.book);
    if (isProblem(result)) problems.push(result);
    else staged.push(stageBill(result, origin, scope.period, station.id, actor.staffId, startedAt));
  };
  if (!sliced) {
    // The one transaction (the baseline): every bill computed first, as before issue 18.
    for (let i = 0; i < todo.length; i += CHUNK) {
      const end = Math.min(i + CHUNK, todo.length);
      while (computed < end) computeOne();
      await progress?.tick(end, steps);
    }
  }

  const dropStale = (from: number, changes: readonly Change[] | null) => {
    const mark = changeCounter(db);
    const again = gatherInputs(db, scope);
    billedNow = again.billed;
    const billable = new Set(again.ready.flatMap((r) => r.readings.map((x) => x.id)));
    // Unknown changes (an ack pruned the outbox meanwhile) are read as readings changes only: gatherInputs sees those again.
    const edited = changes ? customersChanged(db, changes) : new Set<string>();
    if (edited === null) allEdited = true;
    else for (const id of edited) editedSoFar.add(id);
    const billed = billedNow;
    stillValid = (customerId, readingIds) => !allEdited && !editedSoFar.has(customerId) && !billed.has(customerId) && readingIds.every((id) => billable.has(id));
    const valid = stillValid;
    staged = [...staged.slice(0, from), ...staged.slice(from).filter((b) => valid(b.customerId, b.readingIds))];
    expected = mark;
  };
  /** Inside a write: the changes since `expected` that this run must recheck (none: []). */
  const staleChanges = (unit: ReadableDB): Change[] | null => {
    if (changeCounter(unit) === expected) return [];
    const changes = changesSince(unit, expected);
    if (changes === null) return null;
    return changes.filter((c) => BILL_INPUTS.has(c.entity));
  };

  let open = resume !== undefined;
  let slices = 0;
  let longest = 0;
  const pace = options.pace ?? SLICE_PACE;
  let size = options.sliceSize ?? FIRST_SLICE;
  let at = 0;
  let flagged = 0;
  let stagedEver = 0;
  /**
   * Sliced, the bills are computed between the slices (issue 18): the gap a waiting payment needs
   * is spent on work the run had to do anyway, so the run is hardly longer than computing
   * everything first and writing at once. Computing goes in pieces of a few ms with a turn of the
   * event loop between them (a payment served by the same thread gets in), until the next slice's
   * bills are ready and at least the pace's gap (0 now) has passed; then the run holds back while
   * another writer waits for the lock (jobs/pace.ts yieldToWriters).
   */
  const computeAhead = async (gapMs: number) => {
    const gapEnd = performance.now() + gapMs;
    while (computed < todo.length && staged.length - at < size) {
      const pieceEnd = performance.now() + COMPUTE_PIECE_MS;
      const before = staged.length;
      while (computed < todo.length && staged.length - at < size && performance.now() < pieceEnd) computeOne();
      stagedEver += staged.length - before;
      await progress?.tick(computed + at, steps);
    }
    const left = gapEnd - performance.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  };
  if (sliced) await computeAhead(0);
  while (sliced && at < staged.length) {
    const part = staged.slice(at, at + size);
    const began = performance.now();
    let stale: Change[] | null = [];
    let taken = 0;
    const wrote = sliceWrite(backend.store, pace, () => backend.write(actor, (unit) => {
      stale = staleChanges(unit);
      if (stale === null || stale.length > 0) return false;
      if (!open) {
        unit.run(sql`
          INSERT INTO billing_runs_open (run_id, station_id, period, book_id, customer_id, run_by, started_at, heartbeat_at)
          VALUES (${runId}, ${unit.stationId()}, ${scope.period}, ${scope.bookId ?? null}, ${scope.customerId ?? null}, ${actor.staffId}, ${startedAt}, ${unit.at})`);
      }
      // A few hundred bills at a time; the slice commits early once it has held the lock its time
      // or another writer waits (jobs/pace.ts sliceDone). The bills it did not reach go to the next.
      const written: WrittenBill[] = [];
      taken = 0;
      const each = slicePart(backend.store, pace, SLICE_PART);
      while (taken < part.length) {
        const group = part.slice(taken, taken + each);
        const first = reserveBillNumbers(unit, group.length);
        written.push(...writeStaged(unit, group, (i) => billNumber(station.code, first + i)));
        taken += group.length;
        if (options.sliceSize === undefined && sliceDone(backend.store, pace, began)) break;
      }
      recordBills(unit, scope.period, written);
      unit.run(sql`
        UPDATE billing_runs_open SET heartbeat_at = ${unit.at}, bills = bills + ${written.length},
               total_fen = total_fen + ${written.reduce((s, b) => s + b.totalFen, 0)}, kwh = kwh + ${part.slice(0, taken).reduce((s, b) => s + b.kwh, 0)}
        WHERE run_id = ${runId}`);
      expected = changeCounter(unit);
      options.inSlice?.();
      return true;
    }));
    if (!wrote) {
      dropStale(at, stale);
      if (at >= staged.length) await computeAhead(0);
      continue;
    }
    const ms = performance.now() - began;
    open = true;
    slices += 1;
    longest = Math.max(longest, ms);
    const done = part.slice(0, taken);
    flagged += done.filter((b) => b.flagged).length;
    at += taken;
    // The next slice is sized from this one's pace, so each stays near the target on this machine.
    // Grown by at most half at a time (a fast slice on a warm cache is no promise for the next),
    // shrunk at once.
    if (options.sliceSize === undefined) {
      const paced = Math.round((taken * pace.targetMs) / Math.max(ms, 1));
      size = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.round(Math.max(taken, size) * 1.5), paced));
    }
    await options.onSlice?.(taken, ms);
    if (options.stopAfterSlices !== undefined && slices >= options.stopAfterSlices) throw new Error('stopped (test)');
    await progress?.tick(computed + at, steps);
    if (at < staged.length || computed < todo.length) {
      if (pace.checkpoint) betweenSlicesCheckpoint(backend.store, pace);
      await computeAhead(pace.gapMs);
      await yieldToWriters(backend.store);
    }
  }
  if (!sliced) stagedEver = staged.length;
  // The last transaction waits for the disk (synchronous=FULL); the slices before it are flushed first, outside the lock.
  if (open) flushSlices(backend.store, pace);

  const began = performance.now();
  const result = backend.write(actor, (unit) => {
    // Unsliced (the baseline), the bills are written here in the one transaction.
    let unslicedWritten: WrittenBill[] = [];
    if (!sliced) {
      const stale = staleChanges(unit);
      if (stale === null || stale.length > 0) dropStale(0, stale);
      const first = staged.length > 0 ? reserveBillNumbers(unit, staged.length) : 0;
      unslicedWritten = writeStaged(unit, staged, (i) => billNumber(station.code, first + i));
      recordBills(unit, scope.period, unslicedWritten);
      flagged = staged.filter((b) => b.flagged).length;
    }
    const sofar = open
      ? unit.get<{ bills: number; total_fen: number; kwh: number; run_by: string | null }>(sql`SELECT bills, total_fen, kwh, run_by FROM billing_runs_open WHERE run_id = ${runId}`)
      : undefined;
    const billed = sofar ? sofar.bills : unslicedWritten.length;
    const totalFen = sofar ? sofar.total_fen : unslicedWritten.reduce((s, b) => s + b.totalFen, 0);
    const kwh = sofar ? sofar.kwh : staged.reduce((s, b) => s + b.kwh, 0);
    const kept = problems.filter((p) => !billedNow.has(p.customer.id));
    unit.run(sql`
      INSERT INTO billing_runs (id, station_id, period, book_id, run_by, started_at, finished_at, bills, total_fen, kwh, problems)
      VALUES (${runId}, ${unit.stationId()}, ${scope.period}, ${scope.bookId ?? null}, ${sofar ? sofar.run_by : unit.actor.staffId}, ${startedAt}, ${unit.at},
              ${billed}, ${totalFen}, ${kwh}, ${kept.length})`);
    for (const p of kept) {
      unit.run(sql`INSERT INTO billing_run_problems (run_id, customer_id, code, detail) VALUES (${runId}, ${p.customer.id}, ${p.code}, ${p.detail})`);
    }
    // The run's bills come into force here, all at once.
    if (open) unit.run(sql`DELETE FROM billing_runs_open WHERE run_id = ${runId}`);
    const result: BillingRunResult = {
      runId,
      period: scope.period,
      bookId: scope.bookId ?? null,
      billed,
      totalFen,
      kwh,
      flagged,
      problems: kept.length,
      alreadyBilled: inputs.billed.size,
      waiting: inputs.waiting.length,
      changed: skipped + (stagedEver - staged.length),
      twoThreads: alongside?.helped ?? false,
      computed: context.distinct,
    };
    unit.record({
      action: 'billing.run',
      entity: 'billing_run',
      entityId: runId,
      op: 'insert',
      summary: { period: scope.period, bookId: scope.bookId ?? null, billed, totalFen, problems: kept.length, flagged },
      payload: { ...headOfficeResult(result), startedAt, finishedAt: unit.at, problems: kept.map((p) => ({ customerId: p.customer.id, code: p.code, detail: p.detail })) },
    });
    return result;
  });
  const lastMs = performance.now() - began;
  await options.onSlice?.(sliced ? 0 : staged.length, lastMs);
  return { ...result, slices: slices + 1, longestSliceMs: Math.round(Math.max(longest, lastMs)) };
}

/** The run's figures head office gets (how the work was done is this machine's business). */
function headOfficeResult({ twoThreads: _threads, computed: _computed, slices: _slices, longestSliceMs: _longest, resumed: _resumed, ...result }: BillingRunResult): Omit<BillingRunResult, 'twoThreads' | 'computed' | 'slices' | 'longestSliceMs' | 'resumed'> {
  return result;
}

export function startBillingRun(backend: Backend, actor: Actor, scope: BillingScope): JobState {
  return backend.jobs.start('billing.run', actor.staffId, (progress) =>
    backend.jobThreads
      ? runInJobThread<BillingRunResult>(backend, { kind: 'billing.run', actor, scope }, progress, () => runBilling(backend, actor, scope, progress))
      : runBilling(backend, actor, scope, progress),
  );
}
