import type { JobState } from '../../../shared/contract';
import type { Fen } from '../../../shared/money';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { JobProgress } from '../jobs/runner';
import { writeBill, stationCode } from './bills';
import { BillingContext, gatherInputs, isProblem, type BillingScope, type PreparedBill, type PreparedProblem } from './calculate';

// The billing run (核算): a job that bills every customer of the period (or of one book) whose
// readings are all reviewed and who has no bill in force yet. Bills are computed in chunks with
// progress between them, then written in one transaction with the run's record — so a run that
// stops (crash, power cut) leaves nothing, and a rerun bills only what is not billed yet.

const CHUNK = 2000;

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
}

/** Computes and writes one run; `progress` sees the computing (writing is one step at the end). */
export async function runBilling(backend: Backend, actor: Actor, scope: BillingScope, progress?: JobProgress): Promise<BillingRunResult> {
  const startedAt = backend.now();
  const db = backend.store.read;
  const inputs = gatherInputs(db, scope);
  const context = new BillingContext(db, scope);
  const todo = inputs.ready.filter((r) => !inputs.billed.has(r.customer.id));
  const steps = todo.length + 1; // the last step is writing
  await progress?.tick(0, steps);
  const prepared: PreparedBill[] = [];
  const problems: PreparedProblem[] = [];
  for (let i = 0; i < todo.length; i += CHUNK) {
    for (const item of todo.slice(i, i + CHUNK)) {
      const result = context.prepare(item.customer, item.readings, item.book);
      if (isProblem(result)) problems.push(result);
      else prepared.push(result);
    }
    await progress?.tick(Math.min(i + CHUNK, todo.length), steps);
  }

  return backend.write(actor, (unit) => {
    // What changed since computing started (a reading corrected, another run finished) waits
    // for the next run rather than being billed on stale figures or twice.
    const inScope = scope.bookId
      ? sql`SELECT p.customer_id FROM reading_due d JOIN metering_points p ON p.id = d.point_id WHERE d.period = ${scope.period} AND d.book_id = ${scope.bookId}`
      : sql`SELECT customer_id FROM billable_readings WHERE period = ${scope.period}`;
    const billedNow = new Set(unit.column<string>(sql`SELECT customer_id FROM bills_in_force WHERE period = ${scope.period} AND customer_id IN (${inScope})`));
    const billableNow = new Set(unit.column<string>(sql`SELECT id FROM billable_readings WHERE period = ${scope.period} AND customer_id IN (${inScope})`));
    const fresh = (customerId: string, readingIds: string[]) => !billedNow.has(customerId) && readingIds.every((id) => billableNow.has(id));

    const runId = uuidv7(unit.at);
    const code = stationCode(unit);
    let billed = 0;
    let totalFen = 0;
    let kwh = 0;
    let flagged = 0;
    let changed = 0;
    const written: { billId: string; customerId: string }[] = [];
    for (const bill of prepared) {
      if (!fresh(bill.customer.id, bill.readings.map((r) => r.id))) {
        changed += 1;
        continue;
      }
      const { id } = writeBill(unit, code, bill, scope.period, { runId, kind: 'regular', replacesBillId: null });
      written.push({ billId: id, customerId: bill.customer.id });
      billed += 1;
      totalFen += bill.bill.totalFen;
      kwh += bill.kwh;
      if (bill.flags.length > 0) flagged += 1;
    }
    const kept = problems.filter((p) => !billedNow.has(p.customer.id));
    unit.run(sql`
      INSERT INTO billing_runs (id, station_id, period, book_id, run_by, started_at, finished_at, bills, total_fen, kwh, problems)
      VALUES (${runId}, ${unit.stationId()}, ${scope.period}, ${scope.bookId ?? null}, ${unit.actor.staffId}, ${startedAt}, ${unit.at},
              ${billed}, ${totalFen}, ${kwh}, ${kept.length})`);
    for (const p of kept) {
      unit.run(sql`INSERT INTO billing_run_problems (run_id, customer_id, code, detail) VALUES (${runId}, ${p.customer.id}, ${p.code}, ${p.detail})`);
    }
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
      changed,
    };
    unit.record({
      action: 'billing.run',
      entity: 'billing_run',
      entityId: runId,
      op: 'insert',
      summary: { period: scope.period, bookId: scope.bookId ?? null, billed, totalFen, problems: kept.length, flagged },
      payload: { ...result, startedAt, finishedAt: unit.at, problems: kept.map((p) => ({ customerId: p.customer.id, code: p.code, detail: p.detail })) },
    });
    return result;
  });
}

export function startBillingRun(backend: Backend, actor: Actor, scope: BillingScope): JobState {
  return backend.jobs.start('billing.run', actor.staffId, (progress) => runBilling(backend, actor, scope, progress));
}
