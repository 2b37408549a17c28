import type { JobState } from '../../../shared/contract';
import type { Fen } from '../../../shared/money';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { ParallelRead } from '../db/parallelRead';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import type { JobProgress } from '../jobs/runner';
import { billNumber, recordBills, reserveBillNumbers, stageBill, writeStaged, type StagedBill } from './bills';
import { BillingContext, gatherInputs, isProblem, type BillingScope, type PreparedProblem } from './calculate';

// The billing run (核算): a job that bills every customer of the period (or of one book) whose
// readings are all reviewed and who has no bill in force yet. Bills are computed and staged (their
// rows and head-office JSON made) in chunks with progress between them, then numbered and written
// in one transaction with the run's record — so a run that stops (crash, power cut) leaves
// nothing, a rerun bills only what is not billed yet, and the transaction, which holds the back
// end, does no more than it must.

const CHUNK = 2000;

/** Metering points due in scope from which a run reads on two threads: a thread costs more than it saves on a book. */
export const PARALLEL_FROM = 20_000;

export interface RunOptions {
  /** Overrides PARALLEL_FROM (tests). */
  parallelFrom?: number;
  /** false: compute every bill on its own, none shared (the bench's worst case; see BillingContext). */
  shareBills?: boolean;
}

/** Metering points due in the run's scope: decides whether a second thread is worth starting. */
function dueInScope(db: ReadableDB, scope: BillingScope): number {
  if (scope.customerId) return 1;
  return (
    db.value<number>(
      scope.bookId
        ? sql`SELECT count(*) FROM reading_due WHERE period = ${scope.period} AND book_id = ${scope.bookId}`
        : sql`SELECT count(*) FROM reading_due WHERE period = ${scope.period}`,
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
}

/**
 * The last row of each table whose rows decide what is billable and what is billed. They are
 * insert-only, so equal marks mean nothing changed while the run was computing.
 */
function marks(db: ReadableDB): string {
  return JSON.stringify(
    db.get(sql`SELECT (SELECT max(rowid) FROM readings) AS r, (SELECT max(rowid) FROM reading_reviews) AS v,
                      (SELECT max(rowid) FROM bills) AS b, (SELECT max(rowid) FROM bill_voids) AS x`),
  );
}

/** Computes and writes one run; `progress` sees the computing (writing is one step at the end). */
export async function runBilling(backend: Backend, actor: Actor, scope: BillingScope, progress?: JobProgress, options: RunOptions = {}): Promise<BillingRunResult> {
  const startedAt = backend.now();
  const db = backend.store.read;
  const before = marks(db);
  const context = new BillingContext(db, scope, { share: options.shareBills ?? true });
  // At a whole station's size, the customers' year of bills is read on the second core while this
  // thread gathers the month's readings (see parallelRead.ts).
  const parallel = dueInScope(db, scope) >= (options.parallelFrom ?? PARALLEL_FROM);
  const reads = context.reads({ tierYears: parallel });
  const alongside = parallel ? ParallelRead.start({ file: backend.store.file, nativeBinding: backend.driver.nativeBinding }, reads) : null;
  const inputs = gatherInputs(db, scope);
  context.load(alongside ? await alongside.rowsOf(db) : reads.map((q) => db.rows(q)));
  const todo = inputs.ready.filter((r) => !inputs.billed.has(r.customer.id));
  context.loadTierYearUsage(todo.map((r) => r.customer));
  const steps = todo.length + 1; // the last step is writing
  await progress?.tick(0, steps);
  const runId = uuidv7(startedAt);
  const origin = { runId, kind: 'regular' as const, replacesBillId: null };
  const station = backend.requireStation();
  const staged: StagedBill[] = [];
  const problems: PreparedProblem[] = [];
  for (let i = 0; i < todo.length; i += CHUNK) {
    const end = Math.min(i + CHUNK, todo.length);
    for (let j = i; j < end; j++) {
      const item = todo[j];
      if (!item) continue;
      const result = context.prepare(item.customer, item.readings, item.book);
      if (isProblem(result)) problems.push(result);
      else staged.push(stageBill(result, origin, scope.period, station.id, actor.staffId, startedAt));
    }
    await progress?.tick(end, steps);
  }

  return backend.write(actor, (unit) => {
    // Whatever changed while computing (a reading corrected, another run finished) waits for the
    // next run rather than being billed on stale figures or twice.
    let fresh = (_customerId: string, _readingIds: readonly string[]) => true;
    let billedNow = new Set<string>();
    if (marks(unit) !== before) {
      const again = gatherInputs(unit, scope);
      billedNow = again.billed;
      const billable = new Set(again.ready.flatMap((r) => r.readings.map((x) => x.id)));
      fresh = (customerId, readingIds) => !billedNow.has(customerId) && readingIds.every((id) => billable.has(id));
    }

    const toWrite = staged.filter((b) => fresh(b.customerId, b.readingIds));
    const first = toWrite.length > 0 ? reserveBillNumbers(unit, toWrite.length) : 0;
    const written = writeStaged(unit, toWrite, (i) => billNumber(station.code, first + i));
    const kwh = toWrite.reduce((s, b) => s + b.kwh, 0);
    const flagged = toWrite.filter((b) => b.flagged).length;
    recordBills(unit, scope.period, written);
    const totalFen = written.reduce((s, b) => s + b.totalFen, 0);
    const kept = problems.filter((p) => !billedNow.has(p.customer.id));
    unit.run(sql`
      INSERT INTO billing_runs (id, station_id, period, book_id, run_by, started_at, finished_at, bills, total_fen, kwh, problems)
      VALUES (${runId}, ${unit.stationId()}, ${scope.period}, ${scope.bookId ?? null}, ${unit.actor.staffId}, ${startedAt}, ${unit.at},
              ${written.length}, ${totalFen}, ${kwh}, ${kept.length})`);
    for (const p of kept) {
      unit.run(sql`INSERT INTO billing_run_problems (run_id, customer_id, code, detail) VALUES (${runId}, ${p.customer.id}, ${p.code}, ${p.detail})`);
    }
    const result: BillingRunResult = {
      runId,
      period: scope.period,
      bookId: scope.bookId ?? null,
      billed: written.length,
      totalFen,
      kwh,
      flagged,
      problems: kept.length,
      alreadyBilled: inputs.billed.size,
      waiting: inputs.waiting.length,
      changed: staged.length - toWrite.length,
      twoThreads: alongside?.helped ?? false,
      computed: context.distinct,
    };
    unit.record({
      action: 'billing.run',
      entity: 'billing_run',
      entityId: runId,
      op: 'insert',
      summary: { period: scope.period, bookId: scope.bookId ?? null, billed: written.length, totalFen, problems: kept.length, flagged },
      payload: { ...headOfficeResult(result), startedAt, finishedAt: unit.at, problems: kept.map((p) => ({ customerId: p.customer.id, code: p.code, detail: p.detail })) },
    });
    return result;
  });
}

/** The run's figures head office gets (how the work was done is this machine's business). */
function headOfficeResult({ twoThreads: _threads, computed: _computed, ...result }: BillingRunResult): Omit<BillingRunResult, 'twoThreads' | 'computed'> {
  return result;
}

export function startBillingRun(backend: Backend, actor: Actor, scope: BillingScope): JobState {
  return backend.jobs.start('billing.run', actor.staffId, (progress) => runBilling(backend, actor, scope, progress));
}
